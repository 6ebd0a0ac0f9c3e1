"""Real engines end to end through the CLI: espeak for real, gTTS against a local fake.

These decode what was written and measure it: duration, section-break silences,
chapters, loudness and tags.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from mutagen.id3 import ID3
from typer.testing import CliRunner

from narrate.audio.loudness import integrated_loudness
from narrate.cli import app
from tests.audio_tools import decode, duration_ms, silences
from tests.fake_google import FakeGoogle

SAMPLES = Path(__file__).parent.parent / "samples"
runner = CliRunner()


def _copy_sample(name: str, folder: Path) -> Path:
    return Path(shutil.copy(SAMPLES / name, folder / name))


@pytest.fixture(scope="module")
def german(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    """The German sample narrated once by espeak, with captions."""
    article = _copy_sample("energiewende-im-dorf.txt", tmp_path_factory.mktemp("de"))
    result = runner.invoke(app, [str(article), "--engine", "espeak", "--captions"])
    assert result.exit_code == 0, result.output
    timings = json.loads(article.with_suffix(".json").read_text(encoding="utf-8"))
    return article.with_suffix(".mp3"), timings


def test_german_sample_is_narrated_whole(german: tuple[Path, dict[str, object]]) -> None:
    mp3, timings = german
    sentences = timings["sentences"]
    assert isinstance(sentences, list)
    assert sentences[0]["text"] == "Wie ein Dorf in der Eifel seinen eigenen Strom erzeugt"
    assert sentences[-1]["text"].startswith("Seine nächste Idee hat er schon")
    assert not any("Play" in s["text"] or "Foto:" in s["text"] for s in sentences)
    assert abs(duration_ms(mp3) - timings["duration_ms"]) < 80  # type: ignore[operator]
    assert timings["duration_ms"] > 120_000  # type: ignore[operator]


def test_german_sample_has_a_chapter_per_subheading(
    german: tuple[Path, dict[str, object]],
) -> None:
    mp3, timings = german
    chapters = sorted(ID3(mp3).getall("CHAP"), key=lambda frame: frame.start_time)
    assert [frame.sub_frames["TIT2"].text[0] for frame in chapters] == [
        "Wie ein Dorf in der Eifel seinen eigenen Strom erzeugt",
        "Vom Stammtisch zur Genossenschaft",
        "Streit um die Windräder",
        "Was der Speicher leistet",
    ]
    assert [frame.start_time for frame in chapters] == [
        chapter["start_ms"]
        for chapter in timings["chapters"]  # type: ignore[attr-defined]
    ]


def test_german_sample_breaks_sections_with_a_long_pause(
    german: tuple[Path, dict[str, object]],
) -> None:
    mp3, timings = german
    long_pauses = [span for span in silences(decode(mp3)) if span[1] - span[0] >= 1400]
    chapter_starts = [c["start_ms"] for c in timings["chapters"]][1:]  # type: ignore[attr-defined]
    assert len(long_pauses) == len(chapter_starts) == 3
    for (start, end), chapter_start in zip(long_pauses, chapter_starts, strict=True):
        assert abs(end - chapter_start) <= 40
        assert end - start == pytest.approx(1500, abs=60)


def test_german_sample_is_normalized_to_minus_16_lufs(
    german: tuple[Path, dict[str, object]],
) -> None:
    mp3, _ = german
    loudness = integrated_loudness(decode(mp3, rate=22050), 22050)
    assert loudness == pytest.approx(-16.0, abs=1.0)


def test_english_sample_is_detected_and_spoken_in_english(tmp_path: Path) -> None:
    article = _copy_sample("night-trains.txt", tmp_path)
    result = runner.invoke(app, [str(article), "--engine", "espeak"])
    assert result.exit_code == 0, result.output
    tags = ID3(article.with_suffix(".mp3"))
    assert str(tags["TLAN"]) == "eng"
    assert "language en (detected" in result.stderr.splitlines()[-1]


def test_markdown_sample_uses_its_headings(tmp_path: Path) -> None:
    article = _copy_sample("stadtbibliothek.md", tmp_path)
    result = runner.invoke(app, [str(article), "-e", "espeak", "-o", str(tmp_path / "b.ogg")])
    assert result.exit_code == 0, result.output
    assert duration_ms(tmp_path / "b.ogg") > 60_000


def test_auto_picks_espeak_offline_and_says_why(tmp_path: Path, no_google: str) -> None:
    article = tmp_path / "kurz.txt"
    article.write_text("Kurzer Titel\n\nEin einziger Satz.\n", encoding="utf-8")
    result = runner.invoke(app, [str(article)])
    assert result.exit_code == 0, result.output
    assert "auto picked espeak" in result.stderr and "gtts" in result.stderr


def test_gtts_gets_sentence_aware_chunks_of_at_most_100_chars(
    tmp_path: Path, fake_google: FakeGoogle
) -> None:
    sentence = (
        "Am 3. Mai beginnt z. B. die Sanierung der Brücke, die seit Jahren gesperrt ist, "
        "und die Stadt rechnet mit Kosten von rund vier Millionen Euro."
    )
    article = tmp_path / "bruecke.txt"
    article.write_text(f"Die Brücke\n\n{sentence}\n", encoding="utf-8")
    result = runner.invoke(app, [str(article), "--engine", "gtts"])
    assert result.exit_code == 0, result.output
    texts = [request.text for request in fake_google.requests]
    assert texts[0] == "Die Brücke"
    assert all(len(text) <= 100 for text in texts)
    assert " ".join(texts[1:]) == sentence.replace("3. Mai", "dritten Mai").replace(
        "z. B.", "zum Beispiel"
    )
    assert duration_ms(article.with_suffix(".mp3")) > 5000


def test_gtts_without_network_fails_fast_and_names_espeak(tmp_path: Path, no_google: str) -> None:
    article = tmp_path / "artikel.txt"
    article.write_text("Titel\n\nEin Satz.\n", encoding="utf-8")
    result = runner.invoke(app, [str(article), "--engine", "gtts", "--lang", "de"])
    assert result.exit_code == 1, result.output
    assert len(result.stderr.strip().splitlines()) == 1
    assert "espeak" in result.stderr
    assert not article.with_suffix(".mp3").exists()
