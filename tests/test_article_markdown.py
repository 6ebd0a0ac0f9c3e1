"""The small Markdown reader: title, sections, lists, inline markup."""

from __future__ import annotations

import pytest

from narrate.article.markdown import read_markdown, strip_inline
from narrate.article.model import Article, Section

S = Section


@pytest.mark.parametrize(
    ("text", "title", "sections"),
    [
        pytest.param("# Titel\n\nText.", "Titel", (S(None, ("Text.",)),), id="h1-title"),
        pytest.param(
            "Vorspann.\n\n# Titel #\n\nText.",
            "Titel",
            (S(None, ("Vorspann.", "Text.")),),
            id="first-h1-anywhere-closing-hashes",
        ),
        pytest.param(
            "Erste Zeile\nzweite Zeile.\n\nText.",
            "Erste Zeile",
            (S(None, ("zweite Zeile.", "Text.")),),
            id="no-h1-first-line",
        ),
        pytest.param(
            "## Nur Unterzeile\n\nText.",
            "Nur Unterzeile",
            (S(None, ("Text.",)),),
            id="no-h1-first-heading",
        ),
        pytest.param(
            '---\ntitle: "Aus dem Kopf"\nlang: de\n---\n# Aus dem Kopf\n\nText.',
            "Aus dem Kopf",
            (S(None, ("Text.",)),),
            id="front-matter-title-dedupes-h1",
        ),
        pytest.param(
            "+++\ntitle = 'TOML-Titel'\n+++\n\nText.",
            "TOML-Titel",
            (S(None, ("Text.",)),),
            id="toml-front-matter",
        ),
        pytest.param(
            "# T\n\nA.\n\n## Eins\n\nB.\n\n### Zwei\nC.\n\n#### Drei",
            "T",
            (S(None, ("A.",)), S("Eins", ("B.",)), S("Zwei", ("C.",)), S("Drei", ())),
            id="sections",
        ),
        pytest.param(
            "Titel\n=====\n\nA.\n\nTeil *eins*\n---\n\nB.",
            "Titel",
            (S(None, ("A.",)), S("Teil eins", ("B.",))),
            id="setext-headings",
        ),
        pytest.param(
            "# T\n\nA.\n\n---\n\n* * *\n\nB.",
            "T",
            (S(None, ("A.", "B.")),),
            id="rules-dropped",
        ),
        pytest.param(
            "# T\n\nListe:\n\n- eins\n- zwei\n  weiter\n* drei\n1. vier\n2) fünf\n- [x] erledigt",
            "T",
            (S(None, ("Liste:", "eins", "zwei weiter", "drei", "vier", "fünf", "erledigt")),),
            id="list-items",
        ),
        pytest.param(
            "# T\n\n```python\nprint('nicht lesen')\n\n# kein Titel\n```\n\n~~~\nx\n~~~\n\nText.",
            "T",
            (S(None, ("Text.",)),),
            id="code-fences-dropped",
        ),
        pytest.param(
            "# T\n\n> Zitat über\n> zwei Zeilen.\n\n<!-- Notiz\nüber Zeilen -->\n\nText.",
            "T",
            (S(None, ("Zitat über zwei Zeilen.", "Text.")),),
            id="quotes-and-comments",
        ),
        pytest.param(
            "# T\n\n| Stadt | Einwohner |\n|---|---:|\n| Bonn | 330.000 |\n\n[1]: https://x.org",
            "T",
            (S(None, ("Stadt, Einwohner", "Bonn, 330.000")),),
            id="tables-and-link-definitions",
        ),
        pytest.param(
            "# T\n\n![Bild](a.png)\n\nText.",
            "T",
            (S(None, ("Text.",)),),
            id="image-only-paragraph-dropped",
        ),
        pytest.param(
            "# #hashtag\n\n#hashtag ist kein Titel.",
            "#hashtag",
            (S(None, ("#hashtag ist kein Titel.",)),),
            id="hash-without-space-is-text",
        ),
    ],
)
def test_read_markdown(text: str, title: str, sections: tuple[Section, ...]) -> None:
    article = read_markdown(text)
    assert (article.title, article.sections) == (title, sections)


@pytest.mark.parametrize(
    ("front_matter", "language"),
    [("lang: de", "de"), ("language: en-GB", "en-GB"), ("title: x", None)],
)
def test_front_matter_language(front_matter: str, language: str | None) -> None:
    assert read_markdown(f"---\n{front_matter}\n---\n# T\n\nText.").language == language


def test_language_argument_is_the_default() -> None:
    assert read_markdown("# T", language="fr") == Article("T", (), "fr")


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        ("**fett** und __auch__", "fett und auch"),
        ("*kursiv* und _auch_", "kursiv und auch"),
        ("***beides***", "beides"),
        ("`code` bleibt", "code bleibt"),
        ("~~weg~~ nicht", "weg nicht"),
        ("ein [Link](https://example.org/a_(b)) hier", "ein Link hier"),
        ('ein [Link](https://example.org "Titel") hier', "ein Link hier"),
        ("ein [Verweis][ref] hier", "ein Verweis hier"),
        ("Bild ![alt](x.png) weg", "Bild weg"),
        ("Fußnote[^1] weg", "Fußnote weg"),
        ("<https://example.org>", "https://example.org"),
        ("H<sub>2</sub>O", "H2O"),
        (r"\*kein\* Stern", "*kein* Stern"),
        ("snake_case_name bleibt", "snake_case_name bleibt"),
        ("Name * und E-Mail *", "Name * und E-Mail *"),
        ("2 * 3 * 4", "2 * 3 * 4"),
        ("a < b > c", "a < b > c"),
    ],
)
def test_strip_inline(markdown: str, text: str) -> None:
    assert strip_inline(markdown) == text
