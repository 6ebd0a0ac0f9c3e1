"""The Markdown reader: title, sections, lists, inline markup, front matter."""

from __future__ import annotations

import logging

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
        # Without a definition a reference link is literal text (CommonMark);
        # read_markdown resolves defined ones (test_reference_links).
        ("ein [Verweis][ref] hier", "ein [Verweis][ref] hier"),
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


@pytest.mark.parametrize(
    ("text", "paragraphs"),
    [
        pytest.param(
            "- eins\n  - eins a\n    1. ganz tief\n- zwei\n\n  zweiter Absatz\n",
            ("eins", "eins a", "ganz tief", "zwei", "zweiter Absatz"),
            id="nested-lists",
        ),
        pytest.param(
            "> Zitat über\nzwei Zeilen.\n>\n> > verschachtelt\n>\n> - Liste im Zitat\n",
            ("Zitat über zwei Zeilen.", "verschachtelt", "Liste im Zitat"),
            id="block-quotes",
        ),
        pytest.param(
            "> ## Überschrift im Zitat\n\n- ## in der Liste",
            ("Überschrift im Zitat", "in der Liste"),
            id="nested-headings-are-paragraphs",
        ),
        pytest.param(
            "| Stadt | Einwohner | |\n|:--|--:|--|\n| **Bonn** | 330.000 | |\n| | leer | |",
            ("Stadt, Einwohner", "Bonn, 330.000", "leer"),
            id="table-rows-empty-cells-skipped",
        ),
        pytest.param(
            "Ein [Verweis][ref], ein [kurzer].\n\n[ref]: https://x.org 'Titel'\n[kurzer]: /k",
            ("Ein Verweis, ein kurzer.",),
            id="reference-links",
        ),
        pytest.param(
            "![Der Lesesaal am Morgen](a.png)\n\nText ![](b.png). Mehr ![Alt](c.png) Text.",
            ("Text. Mehr Text.",),
            id="images-and-alt-text-absent",
        ),
        pytest.param(
            "```text\nDieser deutsche Text wird nicht gelesen.\n\n# Kein Titel\n```\n\n"
            "    Eingerückter Code wird auch nicht gelesen.\n\nText.",
            ("Text.",),
            id="code-blocks-absent",
        ),
        pytest.param(
            '<div class="kasten">\n<p>Nicht lesen.</p>\n</div>\n\n<!-- Notiz -->\n\n'
            "Text <span>mit</span> Tag.<br>Neue <!-- still --> Zeile.",
            ("Text mit Tag. Neue Zeile.",),
            id="html-blocks-absent-inline-tags-dropped",
        ),
        pytest.param(
            "un*glaub*lich, Donau**dampf**schiff, ~~alt~~neu, snake_case_name, a_b_c",
            ("unglaublich, Donaudampfschiff, altneu, snake_case_name, a_b_c",),
            id="emphasis-inside-words",
        ),
        pytest.param(
            r"\# kein Titel, \*kein Stern\*, 5 \< 6, \[keine\](Klammer), C:\\Pfad",
            ("# kein Titel, *kein Stern*, 5 < 6, [keine](Klammer), C:\\Pfad",),
            id="escaped-characters",
        ),
        pytest.param(
            "M&uuml;ller &amp; S&ouml;hne &copy; 2024: 5 &#8364; oder 6 &#x20AC;, "
            "&ndash; &quot;ja&quot;",
            ('Müller & Söhne © 2024: 5 € oder 6 €, – "ja"',),
            id="entities-decoded",
        ),
        pytest.param(
            "Bundes-\nregierung, Vor-\nund Nachteile, hart  \numbrochen,\\\nauch so.",
            ("Bundes-regierung, Vor- und Nachteile, hart umbrochen, auch so.",),
            id="line-breaks-join-like-text",
        ),
        pytest.param(
            "Satz mit Fußnote[^1]. Und ohne Definition[^x].\n\n"
            "[^1]: Wird nicht gelesen.\n\nDanach.",
            ("Satz mit Fußnote. Und ohne Definition.", "Danach."),
            id="footnotes-dropped",
        ),
        pytest.param(
            "`code` mit `` ` `` und `über\nZeilen`",
            ("code mit ` und über Zeilen",),
            id="inline-code-keeps-its-text",
        ),
        pytest.param(
            "Eins.\n\n***\n\nZwei.\n\n___\n\nDrei.",
            ("Eins.", "Zwei.", "Drei."),
            id="thematic-breaks-separate",
        ),
    ],
)
def test_blocks_and_inline(text: str, paragraphs: tuple[str, ...]) -> None:
    article = read_markdown(f"# Titel\n\n{text}")
    assert article.title == "Titel"
    assert article.sections == (S(None, paragraphs),)


def test_setext_headings_and_h1_after_title() -> None:
    text = "Titel\n=====\n\nA.\n\nNoch ein H1\n===\n\nB.\n\nUnter\n-----\n\nC."
    article = read_markdown(text)
    assert article.title == "Titel"
    assert article.sections == (S(None, ("A.",)), S("Noch ein H1", ("B.",)), S("Unter", ("C.",)))


def test_paragraph_followed_by_dashes_is_a_setext_heading() -> None:
    assert read_markdown("# T\n\nKein Absatz\n---\n\nText.").sections == (
        S("Kein Absatz", ("Text.",)),
    )


@pytest.mark.parametrize(
    ("text", "title", "language"),
    [
        pytest.param(
            '---\ntitle: "Aus YAML: mit Doppelpunkt"\nlang: de-AT\ndate: 2024-06-30\n---\nText.',
            "Aus YAML: mit Doppelpunkt",
            "de-AT",
            id="yaml",
        ),
        pytest.param(
            '+++\ntitle = "Aus TOML"\nlanguage = "fr"\ntags = ["a", "b"]\n+++\nTexte.',
            "Aus TOML",
            "fr",
            id="toml",
        ),
        pytest.param("---\nTitle: Groß\nLang: en\n---\nText.", "Groß", "en", id="keys-any-case"),
        pytest.param("---\ntitle: 2024\n---\nText.", "2024", None, id="yaml-number-title"),
        pytest.param("---\ntitle:\n  - a\n---\nText.", "Text.", None, id="yaml-list-title"),
        pytest.param("---\n---\n# H\n\nText.", "H", None, id="yaml-empty"),
        pytest.param("---\ntitle: x\n\n# H\n\nText.", "H", None, id="yaml-unclosed-is-text"),
    ],
)
def test_front_matter(text: str, title: str, language: str | None) -> None:
    article = read_markdown(text)
    assert (article.title, article.language) == (title, language)
    assert "---" not in str(article.sections) and "+++" not in str(article.sections)


@pytest.mark.parametrize(
    ("front_matter", "message"),
    [
        pytest.param("---\ntitle: [kaputt\nlang: fr\n---", "malformed YAML", id="yaml-syntax"),
        pytest.param("+++\ntitle = kaputt\n+++", "malformed TOML", id="toml-syntax"),
        pytest.param("---\n- eine\n- Liste\n---", "not a set of keys", id="yaml-not-a-mapping"),
        pytest.param("---\nnur Text\n---", "not a set of keys", id="yaml-scalar"),
    ],
)
def test_malformed_front_matter_is_ignored_with_a_warning(
    front_matter: str, message: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="narrate.article.markdown"):
        article = read_markdown(f"{front_matter}\n# Echt\n\nText.", language="de")
    assert article == Article("Echt", (S(None, ("Text.",)),), "de")
    assert message in caplog.text


def test_stray_html_and_only_images_give_an_empty_article() -> None:
    assert read_markdown("<div>\nx\n</div>\n\n![Bild](a.png)\n") == Article("", ())
