"""The chunk cache: addressing, integrity, eviction, many processes, and its use in runs."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from narrate.cli import app
from narrate.engines.base import Clip
from narrate.engines.cache import STALE_SECONDS, USAGE_FILE, ChunkCache
from tests.audio_tools import duration_ms
from tests.fakes import FakeEngine

runner = CliRunner()

CLIP = Clip(bytes(range(256)) * 40, 16000)


@pytest.fixture
def cache(tmp_path: Path) -> ChunkCache:
    return ChunkCache(tmp_path / "cache")


def test_a_stored_clip_comes_back_exactly(cache: ChunkCache) -> None:
    key = cache.key(FakeEngine(), "fake-de", "de", 1.0, "Ein Satz.")
    assert cache.get(key) is None
    cache.put(key, CLIP)
    assert cache.get(key) == CLIP
    assert cache.info().entries == 1


@pytest.mark.parametrize(
    "change",
    [
        {"voice": "fake-en"},
        {"lang": "en"},
        {"speed": 1.1},
        {"text": "Ein Satz!"},
        {"text": "Ein  Satz."},
    ],
)
def test_the_key_covers_voice_language_speed_and_exact_text(
    cache: ChunkCache, change: dict[str, object]
) -> None:
    base: dict[str, object] = {"voice": "fake-de", "lang": "de", "speed": 1.0, "text": "Ein Satz."}
    engine = FakeEngine()
    assert cache.key(engine, **base) != cache.key(engine, **{**base, **change})  # type: ignore[arg-type]


def test_the_key_covers_engine_name_and_version(cache: ChunkCache) -> None:
    class Newer(FakeEngine):
        version = "2.0"

    class Other(FakeEngine):
        name = "other"

    keys = {
        cache.key(engine, "v", "de", 1.0, "Satz") for engine in (FakeEngine(), Newer(), Other())
    }
    assert len(keys) == 3


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-1],
        lambda data: data[:10],
        lambda data: b"XXXX" + data[4:],
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),
        lambda data: b"",
    ],
    ids=["one byte short", "header cut", "wrong magic", "flipped bit", "empty"],
)
def test_a_corrupt_entry_is_a_miss_and_is_deleted(cache: ChunkCache, damage) -> None:  # type: ignore[no-untyped-def]
    key = cache.key(FakeEngine(), "fake-de", "de", 1.0, "Satz")
    cache.put(key, CLIP)
    [path] = cache.root.glob("??/*.pcm")
    path.write_bytes(damage(path.read_bytes()))
    assert cache.get(key) is None
    assert not path.exists()


def test_least_recently_used_entries_are_evicted_over_the_cap(tmp_path: Path) -> None:
    cache = ChunkCache(tmp_path / "cache", max_bytes=3 * (len(CLIP.pcm) + 100))
    keys = [cache.key(FakeEngine(), "v", "de", 1.0, f"Satz {n}") for n in range(5)]
    for age, key in enumerate(keys):
        cache.put(key, CLIP)
        path = next(cache.root.glob(f"??/{key}.pcm"))
        os.utime(path, (1_000_000 + age, 1_000_000 + age))
    assert cache.get(keys[0]) == CLIP  # used now: the newest
    assert cache.trim() == 3
    assert [key for key in keys if cache.get(key) is not None] == [keys[0], keys[4]]


def test_clear_removes_everything(cache: ChunkCache) -> None:
    for n in range(3):
        cache.put(cache.key(FakeEngine(), "v", "de", 1.0, str(n)), CLIP)
    assert cache.clear() == 3
    assert cache.info().entries == 0


def _hammer(root: str) -> int:
    cache = ChunkCache(Path(root))
    good = 0
    for _ in range(30):
        for n in range(5):
            key = cache.key(FakeEngine(), "v", "de", 1.0, f"Satz {n}")
            cache.put(key, Clip(bytes([n]) * 3000, 16000))
            clip = cache.get(key)
            good += clip is not None and clip.pcm == bytes([n]) * 3000
    return good


def test_many_processes_share_one_cache_safely(tmp_path: Path) -> None:
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.map(_hammer, [str(tmp_path / "cache")] * 4)
    assert results == [150] * 4
    assert ChunkCache(tmp_path / "cache").info().entries == 5
    assert not list((tmp_path / "cache").glob("??/.tmp-*"))


# The cache in runs.

ARTICLE = "Der Titel\n\nErster Satz hier. Zweiter Satz dort.\n\nDritter Satz am Ende.\n"


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "artikel.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def _narrate(article: Path, *options: str) -> str:
    result = runner.invoke(app, [str(article), "-e", "fake", "-l", "de", *options])
    assert result.exit_code == 0, result.output
    return result.stderr


def test_a_second_run_takes_every_sentence_from_the_cache(
    article: Path, fake_engine: FakeEngine
) -> None:
    first = _narrate(article)
    length = duration_ms(article.with_suffix(".mp3"))
    calls = len(fake_engine.calls)
    second = _narrate(article)
    assert "from cache" not in first
    assert "4 of 4 sentences from cache" in second
    assert len(fake_engine.calls) == calls
    assert duration_ms(article.with_suffix(".mp3")) == pytest.approx(length, abs=30)


def test_editing_one_sentence_renders_only_that_sentence(
    article: Path, fake_engine: FakeEngine
) -> None:
    _narrate(article)
    fake_engine.calls.clear()
    article.write_text(ARTICLE.replace("Zweiter Satz dort.", "Zweiter Satz anders."), "utf-8")
    summary = _narrate(article)
    assert [call[0] for call in fake_engine.calls] == ["Zweiter Satz anders."]
    assert "3 of 4 sentences from cache" in summary


def test_no_cache_neither_reads_nor_writes(
    article: Path, fake_engine: FakeEngine, tmp_path: Path
) -> None:
    folder = tmp_path / "eigener-cache"
    _narrate(article, "--cache-dir", str(folder), "--no-cache")
    assert not folder.exists()
    _narrate(article, "--cache-dir", str(folder))
    calls = len(fake_engine.calls)
    _narrate(article, "--cache-dir", str(folder), "--no-cache")
    assert len(fake_engine.calls) == calls + 4


def test_a_failed_run_keeps_what_it_rendered_and_the_next_run_continues(
    article: Path, tmp_path: Path
) -> None:
    from narrate.engines.registry import default_registry

    failing, healthy = FakeEngine(fail_on="Dritter"), FakeEngine()
    registry = default_registry()
    registry.register("fake", lambda: failing)
    try:
        failed = runner.invoke(app, [str(article), "-e", "fake", "-l", "de"])
        assert failed.exit_code == 1, failed.output
        assert not article.with_suffix(".mp3").exists()
        registry.register("fake", lambda: healthy)
        summary = _narrate(article)
    finally:
        registry.unregister("fake")
    assert [call[0] for call in healthy.calls] == ["Dritter Satz am Ende."]
    assert "3 of 4 sentences from cache" in summary


def test_cache_info_and_clear(article: Path, fake_engine: FakeEngine, tmp_path: Path) -> None:
    folder = tmp_path / "c"
    _narrate(article, "--cache-dir", str(folder))
    info = runner.invoke(app, ["cache", "info", "--cache-dir", str(folder)])
    assert info.exit_code == 0, info.output
    rows = dict(line.split("\t", 1) for line in info.stdout.splitlines())
    assert rows["folder"] == str(folder) and rows["chunks"] == "4"
    cleared = runner.invoke(app, ["cache", "clear", "--cache-dir", str(folder)])
    assert cleared.exit_code == 0, cleared.output
    assert "removed 4 chunks" in cleared.stderr
    assert ChunkCache(folder).info().entries == 0


def test_cache_dir_from_the_environment(
    article: Path, fake_engine: FakeEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NARRATE_CACHE_DIR", str(tmp_path / "env-cache"))
    _narrate(article)
    assert ChunkCache(tmp_path / "env-cache").info().entries == 4


def test_clear_also_removes_temporary_files_a_killed_process_left(cache: ChunkCache) -> None:
    cache.put(cache.key(FakeEngine(), "v", "de", 1.0, "Satz"), CLIP)
    [folder] = [path for path in cache.root.iterdir() if path.is_dir()]
    stale, fresh = folder / ".tmp-stale", folder / ".tmp-in-use"
    stale.write_bytes(b"half an entry")
    fresh.write_bytes(b"being written")
    old = stale.stat().st_mtime - STALE_SECONDS - 60
    os.utime(stale, (old, old))
    assert cache.clear() == 1
    assert not stale.exists() and fresh.exists()


def test_a_cache_folder_that_is_a_file_warns_once_and_the_run_goes_on(
    article: Path, fake_engine: FakeEngine, tmp_path: Path
) -> None:
    not_a_folder = tmp_path / "cache-file"
    not_a_folder.write_text("mine\n", encoding="utf-8")
    result = runner.invoke(app, [str(article), "-e", "fake", "--cache-dir", str(not_a_folder)])
    assert result.exit_code == 0, result.output
    warnings = [
        line for line in result.stderr.splitlines() if "could not write to the cache" in line
    ]
    assert len(warnings) == 1 and "not caching for the rest of this run" in warnings[0]
    assert not_a_folder.read_text(encoding="utf-8") == "mine\n"
    assert duration_ms(article.with_suffix(".mp3")) > 1000
    for command in ("info", "clear"):
        for folder, said in (
            (not_a_folder, "a file"),
            (not_a_folder / "chunks", f"inside the file {not_a_folder}"),
        ):
            refused = runner.invoke(app, ["cache", command, "--cache-dir", str(folder)])
            assert refused.exit_code == 2, refused.output
            assert f"the cache folder {folder} is {said}" in refused.stderr


def _walks(cache: ChunkCache, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count how often the cache visits all its entries."""
    walks: list[int] = []
    entries = ChunkCache._entries

    def counting(self: ChunkCache) -> Any:
        walks.append(1)
        return entries(self)

    monkeypatch.setattr(ChunkCache, "_entries", counting)
    return walks


def test_trimming_counts_the_entries_only_when_the_last_count_cannot_tell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = len(CLIP.pcm) + 32  # the header
    cache = ChunkCache(tmp_path / "cache", max_bytes=4 * entry)
    walks = _walks(cache, monkeypatch)
    cache.put(cache.key(FakeEngine(), "v", "de", 1.0, "Satz 0"), CLIP)
    assert cache.trim() == 0 and len(walks) == 1  # no count yet
    usage = json.loads((cache.root / USAGE_FILE).read_text())
    assert usage["bytes"] == entry
    for n in (1, 2):
        cache.put(cache.key(FakeEngine(), "v", "de", 1.0, f"Satz {n}"), CLIP)
        assert cache.trim() == 0
    assert len(walks) == 1  # the count plus what was written stays under the cap
    assert json.loads((cache.root / USAGE_FILE).read_text())["bytes"] == 3 * entry
    for n in (3, 4):
        cache.put(cache.key(FakeEngine(), "v", "de", 1.0, f"Satz {n}"), CLIP)
    assert cache.trim() == 2 and len(walks) == 2  # over the cap: counted, and trimmed
    assert cache.info().entries == 3


@pytest.mark.parametrize("usage", ['{"bytes": 10, "counted_at": 1000.0}', "not json", "{}"])
def test_an_old_or_broken_count_is_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, usage: str
) -> None:
    cache = ChunkCache(tmp_path / "cache", max_bytes=2 * (len(CLIP.pcm) + 32))
    for n in range(3):
        cache.put(cache.key(FakeEngine(), "v", "de", 1.0, f"Satz {n}"), CLIP)
    (cache.root / USAGE_FILE).write_text(usage)
    walks = _walks(cache, monkeypatch)
    assert cache.trim() == 2 and walks == [1]
    assert cache.info().entries == 1


def test_clear_forgets_the_count(cache: ChunkCache) -> None:
    cache.put(cache.key(FakeEngine(), "v", "de", 1.0, "Satz"), CLIP)
    cache.trim()
    assert (cache.root / USAGE_FILE).exists()
    cache.clear()
    assert not (cache.root / USAGE_FILE).exists()
