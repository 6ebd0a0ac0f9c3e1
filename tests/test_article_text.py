"""The plain-text reader: title, paragraphs, subheadings, line joining."""

from __future__ import annotations

import pytest

from narrate.article.blocks import join_lines, looks_like_heading
from narrate.article.model import Article, Section
from narrate.article.text import read_text

S = Section


@pytest.mark.parametrize(
    ("text", "title", "sections"),
    [
        pytest.param("Titel\n", "Titel", (), id="title-only"),
        pytest.param(
            "\n\n  Titel  \n\nEins.\n\nZwei.\n",
            "Titel",
            (S(None, ("Eins.", "Zwei.")),),
            id="leading-blank-lines",
        ),
        pytest.param(
            "Titel\nTeaser gleich darunter.\n\nText.",
            "Titel",
            (S(None, ("Teaser gleich darunter.", "Text.")),),
            id="title-glued-to-first-paragraph",
        ),
        pytest.param(
            "Titel\n\nErster Absatz\nüber zwei Zeilen.\n\nZweiter.",
            "Titel",
            (S(None, ("Erster Absatz über zwei Zeilen.", "Zweiter.")),),
            id="lines-joined",
        ),
        pytest.param(
            "Titel\n\nIntro.\n\nLast-Minute-Details\n\nText eins.\n\n"
            "NATO-Ambitionen\n\nText zwei.\n\nWas die Kommission jetzt plant\n\nText drei.",
            "Titel",
            (
                S(None, ("Intro.",)),
                S("Last-Minute-Details", ("Text eins.",)),
                S("NATO-Ambitionen", ("Text zwei.",)),
                S("Was die Kommission jetzt plant", ("Text drei.",)),
            ),
            id="news-subheadings",
        ),
        pytest.param(
            "Titel\n\nErste Zwischenzeile\n\nText.",
            "Titel",
            (S("Erste Zwischenzeile", ("Text.",)),),
            id="no-intro",
        ),
        pytest.param(
            "Titel\n\nText.\n\nNur eine Überschrift",
            "Titel",
            (S(None, ("Text.",)), S("Nur eine Überschrift", ())),
            id="heading-without-paragraphs",
        ),
        pytest.param(
            "Titel\n\nKurze Zeile\nmit Fortsetzung\n\nText.",
            "Titel",
            (S(None, ("Kurze Zeile mit Fortsetzung", "Text.")),),
            id="two-line-block-is-no-heading",
        ),
        pytest.param(
            "Titel\n\n- Punkt eins\n\n1. Punkt zwei\n\nJa.",
            "Titel",
            (S(None, ("Punkt eins", "1. Punkt zwei", "Ja.")),),
            id="list-items-are-no-headings",
        ),
        pytest.param(
            "Titel\n\nWir brauchen:\n\n- Mehl\n• Zucker und\n  Salz\n* Eier\n\nGut.",
            "Titel",
            (S(None, ("Wir brauchen:", "Mehl", "Zucker und Salz", "Eier", "Gut.")),),
            id="bullet-list-one-item-per-paragraph",
        ),
        pytest.param(
            "Titel\n\n1. Schritt eins\n2. Schritt zwei\n\nEnde.",
            "Titel",
            (S(None, ("1. Schritt eins", "2. Schritt zwei", "Ende.")),),
            id="numbered-list-keeps-numbers",
        ),
        pytest.param(
            "Titel\n\nEr\u00adklä\u200brung  mit\u00a0Leer\tzeichen.",
            "Titel",
            (S(None, ("Erklärung mit Leer zeichen.",)),),
            id="invisible-characters-and-whitespace",
        ),
    ],
)
def test_read_text(text: str, title: str, sections: tuple[Section, ...]) -> None:
    assert read_text(text) == Article(title, sections)


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("Last-Minute-Details", True),
        ("NATO-Ambitionen", True),
        ("Was die Kommission jetzt plant", True),
        ("„Wir schaffen das“", True),
        ("Warum die Preise steigen", True),
        ("Eins zwei drei vier fünf sechs sieben acht", True),
        ("Eins zwei drei vier fünf sechs sieben acht neun", False),
        ("Das ist ein Satz.", False),
        ("Kommt er?", False),
        ("Endlich!", False),
        ("Er sagte:", False),
        ("„Das bleibt so.“", False),
        ("Und dann…", False),
        ("Erstens,", False),
        ("- Listenpunkt", False),
        ("• Listenpunkt", False),
        ("1. Listenpunkt", False),
        ("a) Listenpunkt", False),
        ("2024", False),
        ("***", False),
        ("x" * 81, False),
    ],
)
def test_looks_like_heading(line: str, heading: bool) -> None:
    assert looks_like_heading(line) is heading


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["Die", "Bundesregierung"], "Die Bundesregierung"),
        (["Die Bundes-", "regierung plant"], "Die Bundes-regierung plant"),
        (["Die Corona-", "Pandemie"], "Die Corona-Pandemie"),
        (["Vor-", "und Nachteile"], "Vor- und Nachteile"),
        (["Schul-", "oder Kitakinder"], "Schul- oder Kitakinder"),
        (["Ein- bzw.", "Ausgang"], "Ein- bzw. Ausgang"),
        (["well-", "known"], "well-known"),
        (["Gedanke -", "Strich"], "Gedanke - Strich"),
        (["Gedanke –", "Strich"], "Gedanke – Strich"),
        (["Zahl 5-", "10"], "Zahl 5-10"),
        (["a", "", "b"], "a b"),
    ],
)
def test_join_lines(lines: list[str], joined: str) -> None:
    assert join_lines(lines) == joined
