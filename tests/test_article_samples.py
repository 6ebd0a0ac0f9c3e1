"""The sample articles: read, cleaned of boilerplate, scripted."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrate.article.boilerplate import compile_patterns, is_boilerplate
from narrate.article.load import load_article
from narrate.speech.build import build_script
from narrate.speech.language import detect_language, resolve_language
from narrate.speech.script import PauseKind

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

CASES = [
    (
        "energiewende-im-dorf.txt",
        "de",
        "Wie ein Dorf in der Eifel seinen eigenen Strom erzeugt",
        (
            "Vom Stammtisch zur Genossenschaft",
            "Streit um die Windräder",
            "Was der Speicher leistet",
        ),
    ),
    (
        "stadtbibliothek.md",
        "de",
        "Die Stadtbibliothek öffnet jetzt auch sonntags",
        (
            "Wie die offene Bibliothek funktioniert",
            "Was sonntags angeboten wird",
            "Kritik vom Personalrat",
        ),
    ),
    (
        "stadtkurier-radwege.html",
        "de",
        "Neue Radwege: Stadt investiert vier Millionen Euro",
        ("Was genau geplant ist", "Kritik aus dem Einzelhandel", "Wie es jetzt weitergeht"),
    ),
    (
        "night-trains.txt",
        "en",
        "The Quiet Return of the Night Train",
        ("Why travellers are coming back", "The problem of old carriages", "What comes next"),
    ),
]

LEFTOVERS = [
    "Drücken Sie Play",
    "künstlicher Intelligenz",
    "Artikel teilen",
    "Foto:",
    "Kommentar",
    "E-Mail",
    "Website",
    "veröffentlicht",
    "markiert",
    "Name *",
    "Bildrechte",
    "lesesaal.jpg",
    "https://",
    "**",
    "](",
]


@pytest.mark.parametrize(("name", "language", "title", "headings"), CASES)
def test_sample_reads(name: str, language: str, title: str, headings: tuple[str, ...]) -> None:
    article = load_article(SAMPLES / name)
    assert article.title == title
    assert tuple(s.heading for s in article.sections if s.heading) == headings
    assert article.sections[0].heading is None
    assert article.paragraph_count >= 6
    assert detect_language(article) == language
    text = "\n".join(p for s in article.sections for p in s.paragraphs)
    assert [left for left in LEFTOVERS if left in text] == []
    assert not any(
        is_boilerplate(p, compile_patterns()) for s in article.sections for p in s.paragraphs
    )


def test_boilerplate_sample_last_paragraph_is_prose() -> None:
    article = load_article(SAMPLES / "energiewende-im-dorf.txt")
    assert article.sections[-1].paragraphs[-1].endswith("für die 40 Häuser im alten Ortskern.")
    assert article.sections[0].paragraphs[0].startswith("Seit dem Frühjahr deckt Kaltenbach")


def test_keep_boilerplate_reads_it() -> None:
    article = load_article(SAMPLES / "energiewende-im-dorf.txt", keep_boilerplate=True)
    text = "\n".join(f"{s.heading}\n" + "\n".join(s.paragraphs) for s in article.sections)
    assert "Drücken Sie Play, um diesen Artikel anzuhören" in text
    assert "Foto: Jana Weber/dpa" in text
    assert "Deine E-Mail-Adresse wird nicht veröffentlicht." in text


@pytest.mark.parametrize(("name", "language", "title", "headings"), CASES)
@pytest.mark.parametrize("max_chars", [100, 200])
def test_sample_scripts(
    name: str, language: str, title: str, headings: tuple[str, ...], max_chars: int
) -> None:
    article = load_article(SAMPLES / name)
    script = build_script(article, resolve_language("auto", article), max_chars)
    assert script.language == language
    assert script.sections == (title, *headings)
    assert script.utterances[0].pause_after is PauseKind.TITLE
    assert script.utterances[-1].pause_after is PauseKind.END
    assert all(len(c) <= max_chars for u in script.utterances for c in u.chunks)
    spoken = "".join(u.display for u in script.utterances).replace(" ", "")
    written = "".join([title, *(h for h in headings)]).replace(" ", "")
    assert len(spoken) >= len(written)
    sections = [u.section for u in script.utterances]
    assert sections == sorted(sections) and set(sections) == set(range(len(script.sections)))


def test_german_sample_keeps_abbreviations_and_dates_inside_sentences() -> None:
    article = load_article(SAMPLES / "energiewende-im-dorf.txt")
    sentences = [u.display for u in build_script(article, "de", 100).utterances]
    assert (
        "Seit der Inbetriebnahme am 3. Mai 2024 liefert er abends den Strom, den die "
        "Solardächer tagsüber erzeugen." in sentences
    )
    assert any(s.startswith("Die Idee stammte von Dr. Thomas Berger,") for s in sentences)
    assert any("z. B. auf Turnhalle" in s and s.endswith("tragen könnten.") for s in sentences)
    assert any("über 3,2 Mio. Euro, der Rest" in s for s in sentences)
    assert any(s.startswith("Angefangen hat alles") and "12.07.2023" in s for s in sentences)
    assert "„Also haben wir gefragt: Was können wir selbst tun?“" in sentences
