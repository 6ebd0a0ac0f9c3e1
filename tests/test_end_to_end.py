"""Real engines end to end through the CLI: espeak for real, gTTS against a local fake.

These decode what was written and measure it: duration, section-break silences,
chapters, loudness and tags.
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from mutagen.id3 import ID3
from typer.testing import CliRunner

from narrate.audio.loudness import integrated_loudness
from narrate.cli import app
from tests.audio_tools import decode, duration_ms, silences
from tests.fake_google import FakeGoogle

SAMPLES = Path(__file__).parent.parent / "samples"
PAGES = Path(__file__).parent / "pages"
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
    # one request at a time, so they reach the fake in script order
    result = runner.invoke(app, [str(article), "--engine", "gtts", "--concurrency", "1"])
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


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's name
        """Keep test output clean."""


@pytest.fixture
def page_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """tests/pages served on 127.0.0.1; yields the base address."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    handler = functools.partial(_QuietHandler, directory=str(PAGES))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def test_web_page_is_narrated_with_its_subheadings_as_chapters(
    page_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    url = f"{page_server}/rundfunk-energiewende.html"
    result = runner.invoke(app, [url, "--engine", "espeak", "--captions"])
    assert result.exit_code == 0, result.output
    mp3 = tmp_path / "rundfunk-energiewende.mp3"
    timings = json.loads(mp3.with_suffix(".json").read_text(encoding="utf-8"))
    chapters = sorted(ID3(mp3).getall("CHAP"), key=lambda frame: frame.start_time)
    assert [frame.sub_frames["TIT2"].text[0] for frame in chapters] == [
        "Energiewende im Dorf: Wie Feldheim sich selbst versorgt",
        "Günstiger Strom für alle Haushalte",
        "Ein Modell für andere Gemeinden?",
    ]
    texts = [sentence["text"] for sentence in timings["sentences"]]
    assert len(texts) == len(set(texts))
    assert not any("Privatsphäre" in text or "Cookie" in text for text in texts)
    assert str(ID3(mp3)["TLAN"]) == "deu"
    assert abs(duration_ms(mp3) - timings["duration_ms"]) < 80


def test_numbers_are_spoken_as_words_while_captions_keep_the_original(tmp_path: Path) -> None:
    article = tmp_path / "rat.txt"
    article.write_text(
        "Haushalt beschlossen\n\nAm 3. Mai stimmten 31 von 43 Ratsmitgliedern für 5,99 Mio. €.\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, [str(article), "--engine", "espeak", "--captions"])
    assert result.exit_code == 0, result.output
    sentence = json.loads(article.with_suffix(".json").read_text(encoding="utf-8"))["sentences"][1]
    assert sentence["text"] == "Am 3. Mai stimmten 31 von 43 Ratsmitgliedern für 5,99 Mio. €."
    assert sentence["spoken"] == (
        "Am dritten Mai stimmten einunddreißig von dreiundvierzig Ratsmitgliedern "
        "für fünf Komma neun neun Millionen Euro."
    )
    vtt = article.with_suffix(".vtt").read_text(encoding="utf-8")
    assert "Am 3. Mai stimmten 31 von 43 Ratsmitgliedern für 5,99 Mio. €." in vtt
