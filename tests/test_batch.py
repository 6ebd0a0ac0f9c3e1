"""A whole batch with the real espeak engine: outputs, manifest, skipping, resuming."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from narrate.batch.jobs import JobStatus
from narrate.batch.orchestrate import narrate_batch
from narrate.batch.plan import MANIFEST_NAME
from narrate.batch.run import BatchEvent, JobFinished, JobStarted
from narrate.errors import UsageError
from narrate.settings import Settings
from tests.audio_tools import duration_ms

SETTINGS = Settings(engine="espeak", lang="de", cache=False)
TEXTS = {
    "a.txt": "Der Gemeinderat tagt am Montag. Es geht um neue Radwege.",
    "politik/wahl.md": "# Die Wahl\n\nDie Wahl beginnt um acht Uhr. Die Lokale sind geöffnet.",
    "kultur/konzert.html": (
        "<html lang='de'><head><title>Konzert</title></head><body><article>"
        "<h1>Ein Konzert im Park</h1><p>Das Orchester spielt am Sonntag im Stadtpark. "
        "Der Eintritt ist frei, und alle Bürger sind eingeladen.</p></article></body></html>"
    ),
}


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    root = tmp_path / "articles"
    for name, text in TEXTS.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def manifest(out: Path) -> dict[str, dict[str, object]]:
    articles: dict[str, dict[str, object]] = json.loads((out / MANIFEST_NAME).read_text())[
        "articles"
    ]
    return articles


def test_a_folder_becomes_decodable_audio_and_a_true_manifest(
    articles: Path, tmp_path: Path
) -> None:
    out = tmp_path / "audio"
    report = narrate_batch([str(articles)], out, SETTINGS, workers=2)

    assert [result.status for result in report.results] == [JobStatus.DONE] * 3
    assert report.skipped == () and not report.interrupted
    entries = manifest(out)
    assert sorted(entries) == sorted(TEXTS)
    for name, entry in entries.items():
        audio = out / Path(name).with_suffix(".mp3")
        assert entry["status"] == "done"
        assert entry["outputs"] == [
            {"path": audio.relative_to(out).as_posix(), "bytes": audio.stat().st_size}
        ]
        decoded = duration_ms(audio)
        assert decoded == pytest.approx(entry["duration_ms"], abs=80)
        assert decoded > 2000
    assert report.duration_ms == sum(int(entry["duration_ms"]) for entry in entries.values())


def test_second_run_skips_everything_and_an_edit_redoes_one(articles: Path, tmp_path: Path) -> None:
    out = tmp_path / "audio"
    narrate_batch([str(articles)], out, SETTINGS, workers=2)
    stamps = {path: path.stat().st_mtime_ns for path in out.rglob("*.mp3")}

    again = narrate_batch([str(articles)], out, SETTINGS, workers=2)
    assert again.results == () and len(again.skipped) == 3
    assert {path: path.stat().st_mtime_ns for path in out.rglob("*.mp3")} == stamps

    (articles / "a.txt").write_text("Ein ganz neuer Text für den Test.", encoding="utf-8")
    edited = narrate_batch([str(articles)], out, SETTINGS, workers=2)
    assert [result.job.name for result in edited.results] == ["a.txt"]
    assert len(edited.skipped) == 2

    slower = narrate_batch([str(articles)], out, Settings(engine="espeak", lang="de", speed=0.8))
    assert len(slower.results) == 3, "changed settings redo every article"

    forced = narrate_batch(
        [str(articles)], out, Settings(engine="espeak", lang="de", speed=0.8), force=True
    )
    assert len(forced.results) == 3 and forced.skipped == ()


def test_a_deleted_output_is_made_again(articles: Path, tmp_path: Path) -> None:
    out = tmp_path / "audio"
    narrate_batch([str(articles)], out, SETTINGS, workers=1)
    (out / "a.mp3").unlink()
    report = narrate_batch([str(articles)], out, SETTINGS, workers=1)
    assert [result.job.name for result in report.results] == ["a.txt"]
    assert duration_ms(out / "a.mp3") > 1000


def test_bad_articles_fail_with_reasons_and_the_rest_goes_on(
    articles: Path, tmp_path: Path
) -> None:
    (articles / "empty.txt").write_text("", encoding="utf-8")
    (articles / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (articles / "latin1.txt").write_bytes("Grüße aus Köln. Schöne Straße.".encode("latin-1"))
    (articles / "a.md").write_text("Gleicher Name wie a.txt.", encoding="utf-8")
    out = tmp_path / "audio"

    report = narrate_batch([str(articles)], out, SETTINGS, workers=2)

    failed = {result.job.name: result.error for result in report.failed}
    assert set(failed) == {"empty.txt", "binary.txt", "latin1.txt", "a.txt", "a.md"}
    assert "not valid UTF-8" in failed["latin1.txt"]
    assert "would both write a.mp3" in failed["a.txt"]
    assert "empty" in failed["empty.txt"]
    assert "binary" in failed["binary.txt"]
    assert not (out / "a.mp3").exists(), "neither of two clashing articles is written"
    done = {result.job.name for result in report.done}
    assert done == {"politik/wahl.md", "kultur/konzert.html"}
    entries = manifest(out)
    assert entries["empty.txt"]["status"] == "failed" and entries["empty.txt"]["error"]
    assert not list(out.rglob("*.part*")) and not list(out.rglob(".narrate-*"))


def test_an_interrupted_batch_resumes_where_it_stopped(articles: Path, tmp_path: Path) -> None:
    out = tmp_path / "audio"
    seen: list[BatchEvent] = []

    def stop_after_the_first(event: BatchEvent) -> None:
        seen.append(event)
        if isinstance(event, JobFinished):
            raise KeyboardInterrupt

    report = narrate_batch([str(articles)], out, SETTINGS, workers=1, on_event=stop_after_the_first)

    assert report.interrupted
    [first] = report.done
    assert len(report.not_started) == 2
    assert list(manifest(out)) == [first.job.name]
    assert sorted(path.name for path in out.rglob("*.mp3")) == [first.job.output.name]
    assert not list(out.rglob("*.part*")) and not list(out.rglob(".narrate-*"))
    assert sum(isinstance(event, JobStarted) for event in seen) == 1

    resumed = narrate_batch([str(articles)], out, SETTINGS, workers=2)
    assert len(resumed.skipped) == 1 and len(resumed.done) == 2
    assert sorted(manifest(out)) == sorted(TEXTS)


def test_the_biggest_articles_go_first(articles: Path, tmp_path: Path) -> None:
    report = narrate_batch([str(articles)], tmp_path / "audio", SETTINGS, workers=1)
    by_size = sorted(TEXTS, key=lambda name: -len(TEXTS[name].encode()))
    assert [result.job.name for result in report.results] == by_size


def test_a_page_is_weighed_by_its_text_not_its_markup(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    words = "Der Rat tagt am Montag. " * 8
    page = f"<html><head><style>{'p {margin: 0} ' * 200}</style></head><body><p>{words}</p>"
    (folder / "seite.html").write_text(page + "</body></html>", encoding="utf-8")
    (folder / "text.txt").write_text(words * 2, encoding="utf-8")
    assert (folder / "seite.html").stat().st_size > (folder / "text.txt").stat().st_size
    report = narrate_batch([str(folder)], tmp_path / "audio", SETTINGS, workers=1)
    assert [result.job.name for result in report.results] == ["text.txt", "seite.html"]


def test_audio_beside_the_articles_without_an_output_folder(articles: Path) -> None:
    report = narrate_batch([str(articles)], None, SETTINGS, workers=2)
    assert len(report.done) == 3 and report.out_dir == articles
    assert duration_ms(articles / "politik" / "wahl.mp3") > 1000
    assert (articles / MANIFEST_NAME).is_file()
    again = narrate_batch([str(articles)], None, SETTINGS, workers=2)
    assert len(again.skipped) == 3, "its own outputs are never taken for articles"


def test_audio_that_narrate_did_not_make_is_never_replaced(articles: Path) -> None:
    theirs = articles / "a.mp3"
    theirs.write_bytes(b"ID3 a recording of the article by a person")
    report = narrate_batch([str(articles)], None, SETTINGS, workers=2)
    [failed] = report.failed
    assert failed.job.name == "a.txt"
    assert "a.mp3 is there and narrate did not make it" in failed.error
    assert theirs.read_bytes() == b"ID3 a recording of the article by a person"
    assert len(report.done) == 2


def test_pages_a_single_html_run_left_are_not_articles(articles: Path, tmp_path: Path) -> None:
    single = Settings(engine="espeak", lang="de", cache=False, html=True)
    narrate_batch([str(articles / "a.txt")], None, single, workers=1)
    assert (articles / "a.html").is_file() and (articles / "a.embed.html").is_file()

    report = narrate_batch([str(articles)], tmp_path / "audio", SETTINGS, workers=2)

    assert not report.failed
    assert sorted(result.job.name for result in report.done) == sorted(TEXTS)


def test_bad_executor_is_refused_before_any_work(articles: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="unknown executor"):
        narrate_batch([str(articles)], tmp_path / "o", SETTINGS, executor="spark://x:1")
    assert not (tmp_path / "o" / MANIFEST_NAME).exists()


def test_narrating_again_removes_the_sidecars_the_new_settings_do_not_make(
    articles: Path, tmp_path: Path
) -> None:
    out = tmp_path / "audio"
    source = [str(articles / "a.txt")]
    sidecars = ["a.vtt", "a.json", "a.html", "a.embed.html"]
    with_all = Settings(engine="espeak", lang="de", cache=False, captions=True, html=True)
    narrate_batch(source, out, with_all, workers=1)
    assert all((out / name).is_file() for name in sidecars)
    (out / "notes.txt").write_text("not narrate's", encoding="utf-8")

    faster = narrate_batch(source, out, Settings(engine="espeak", lang="de", speed=1.5), workers=1)

    assert [result.job.name for result in faster.done] == ["a.txt"]
    assert not [name for name in sidecars if (out / name).exists()]
    assert sorted(path.name for path in out.iterdir() if not path.name.startswith(".")) == [
        "a.mp3", MANIFEST_NAME, "notes.txt",
    ]  # fmt: skip
    entry = manifest(out)["a.txt"]
    assert entry["outputs"] == [{"path": "a.mp3", "bytes": (out / "a.mp3").stat().st_size}]
    assert duration_ms(out / "a.mp3") == pytest.approx(entry["duration_ms"], abs=80)

    captions = Settings(engine="espeak", lang="de", speed=1.5, captions=True)
    narrate_batch(source, out, captions, workers=1)
    timings = json.loads((out / "a.json").read_text(encoding="utf-8"))
    last_end = timings["sentences"][-1]["end_ms"]
    assert last_end == pytest.approx(duration_ms(out / "a.mp3"), abs=300)
    assert not (out / "a.html").exists()


def test_a_deleted_source_leaves_the_manifest_and_its_audio_stays(
    articles: Path, tmp_path: Path
) -> None:
    out = tmp_path / "audio"
    (articles / "empty.txt").write_text("", encoding="utf-8")
    first = narrate_batch([str(articles)], out, SETTINGS, workers=2)
    assert [result.job.name for result in first.failed] == ["empty.txt"]
    (articles / "empty.txt").unlink()
    (articles / "politik" / "wahl.md").unlink()

    again = narrate_batch([str(articles)], out, SETTINGS, workers=2)

    assert again.results == () and len(again.skipped) == 2
    assert sorted(manifest(out)) == ["a.txt", "kultur/konzert.html"]
    assert duration_ms(out / "politik" / "wahl.mp3") > 1000, "its audio is not deleted"
