"""Injecting the player into existing pages: exact splicing, read-along spans, hostile pages."""

from __future__ import annotations

import re
from collections.abc import Callable

import lxml.html
import pytest

from narrate.publish.inject import (
    PLAYER_BEGIN,
    PLAYER_END,
    TimedSentence,
    has_player,
    inject_player,
    strip_player,
)

PLAYER = '<div class="narrate-player" id="p">PLAYER</div>'

PAGE = """<!doctype html><html lang="de"><head><title>X</title>
<script>var s = "<p>Der Rat tagt am Montag.</p>";</script></head>
<body><nav><p>Der Rat tagt am Montag.</p></nav>
<article>
  <h1>Der Rat &amp; die Stadt</h1>
  <p class="lead">Der Rat tagt am Montag. Es geht um   neue <a href="/r">Radwege</a> in der Stadt.
  <p>Ein &bdquo;Satz&ldquo; mit Entit&auml;ten. Noch ein&nbsp;Satz.</p>
  <figure><img src="a.jpg" alt="Der Rat tagt am Montag.">
    <figcaption>Foto: Anna</figcaption></figure>
  <ul><li>Erster Punkt.</li><li><p>Zweiter Punkt.</p></li></ul>
</article>
<footer><p>Noch ein Satz.</p></footer></body></html>"""

SENTENCES = [
    TimedSentence("Der Rat & die Stadt", 0, 1000),
    TimedSentence("Der Rat tagt am Montag.", 1000, 2000),
    TimedSentence("Es geht um neue Radwege in der Stadt.", 2000, 3000),
    TimedSentence("Ein „Satz“ mit Entitäten.", 3000, 4000),
    TimedSentence("Noch ein Satz.", 4000, 5000),
    TimedSentence("Erster Punkt.", 5000, 6000),
    TimedSentence("Zweiter Punkt.", 6000, 7000),
]


def spans(page: str) -> list[tuple[str, str, str]]:
    tree = lxml.html.fromstring(page)
    return [
        (span.get("data-start"), span.get("data-end"), " ".join(span.text_content().split()))
        for span in tree.iter("span")
        if span.get("class") == "narrate-s"
    ]


def test_every_narrated_sentence_in_the_article_gets_its_span() -> None:
    out = inject_player(PAGE, PLAYER, SENTENCES)
    assert spans(out) == [
        ("0.000", "1.000", "Der Rat & die Stadt"),
        ("1.000", "2.000", "Der Rat tagt am Montag."),
        ("2.000", "3.000", "Es geht um neue Radwege in der Stadt."),
        ("3.000", "4.000", "Ein „Satz“ mit Entitäten."),
        ("4.000", "5.000", "Noch ein Satz."),
        ("5.000", "6.000", "Erster Punkt."),
        ("6.000", "7.000", "Zweiter Punkt."),
    ]


def test_the_rest_of_the_page_is_byte_for_byte_as_it_was() -> None:
    out = inject_player(PAGE, PLAYER, SENTENCES)
    assert strip_player(out) == PAGE
    assert '<script>var s = "<p>Der Rat tagt am Montag.</p>";</script>' in out
    assert "<nav><p>Der Rat tagt am Montag.</p></nav>" in out
    assert "<footer><p>Noch ein Satz.</p></footer>" in out
    assert 'alt="Der Rat tagt am Montag."' in out


def test_the_player_sits_under_the_headline_once_however_often_it_runs() -> None:
    once = inject_player(PAGE, PLAYER, SENTENCES)
    twice = inject_player(once, PLAYER, SENTENCES)
    assert twice == once
    assert once.count(PLAYER_BEGIN) == 1 and once.count(PLAYER_END) == 1
    tree = lxml.html.fromstring(once)
    [player] = tree.xpath("//div[@id='p']")
    assert player.getparent().tag == "article"
    marker = player.getprevious()
    assert marker.text.strip() == "narrate:player" and marker.getprevious().tag == "h1"


def test_a_new_narration_replaces_the_old_spans() -> None:
    once = inject_player(PAGE, PLAYER, SENTENCES)
    later = [TimedSentence(s.text, s.start_ms * 2, s.end_ms * 2) for s in SENTENCES]
    again = inject_player(once, PLAYER.replace("PLAYER", "NEW"), later)
    assert [start for start, _, _ in spans(again)][:2] == ["0.000", "2.000"]
    assert "NEW" in again and ">PLAYER<" not in again


def test_a_sentence_across_an_element_boundary_highlights_its_paragraph() -> None:
    page = "<article><p>Er sagte <em>das. Dann</em> ging er.</p></article>"
    sentences = [TimedSentence("Er sagte das.", 0, 900), TimedSentence("Dann ging er.", 900, 2000)]
    out = inject_player(page, PLAYER, sentences)
    assert spans(out) == [("0.000", "2.000", "Er sagte das. Dann ging er.")]
    assert strip_player(out) == page


def test_without_article_or_main_the_player_goes_to_the_top_of_body() -> None:
    page = "<html><body><div><p>Nur ein Satz.</p></div></body></html>"
    out = inject_player(page, PLAYER, [TimedSentence("Nur ein Satz.", 0, 800)])
    assert out.index(PLAYER) < out.index("<div>")
    assert spans(out) == [("0.000", "0.800", "Nur ein Satz.")]


def test_a_page_whose_text_differs_gets_the_player_alone() -> None:
    page = "<article><h1>Titel</h1><p>Ganz anderer Text.</p></article>"
    out = inject_player(page, PLAYER, [TimedSentence("Etwas völlig anderes.", 0, 900)])
    assert spans(out) == [] and PLAYER in out


@pytest.mark.parametrize(
    "hostile",
    [
        "&lt;script&gt;alert(1)&lt;/script&gt; steht im Text.",
        "Er schrieb &quot;&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;&quot; hin.",
        "Anführung \" und ' und &lt;!-- kein Kommentar --&gt; im Satz.",
    ],
)
def test_hostile_article_text_never_becomes_markup(hostile: str) -> None:
    page = f"<html><body><article><p>{hostile}</p></article></body></html>"
    text = lxml.html.fromstring(page).text_content()
    out = inject_player(page, PLAYER, [TimedSentence(text, 0, 1500)])
    tree = lxml.html.fromstring(out)
    assert tree.xpath("//script") == []
    assert [text_ for _, _, text_ in spans(out)] == [" ".join(text.split())]
    assert strip_player(out) == page


def test_implicit_paragraph_ends_and_script_contents_are_not_blocks() -> None:
    page = "<main><p>Eins ist hier.<p>Zwei ist da.<script>'<p>Eins ist hier.</p>'</script></main>"
    sentences = [TimedSentence("Eins ist hier.", 0, 500), TimedSentence("Zwei ist da.", 500, 900)]
    out = inject_player(page, PLAYER, sentences)
    assert [text for _, _, text in spans(out)] == ["Eins ist hier.", "Zwei ist da."]
    assert "<script>'<p>Eins ist hier.</p>'</script>" in out


def without_comments(page: str) -> str:
    """What a minifier does to an embedded page: every comment goes."""
    return re.sub(r"<!--.*?-->", "", page, flags=re.S)


SNIPPET = (
    '<div class="narrate-embed" lang="de"><style>.narrate-player{}</style>'
    '<section class="narrate-player"><div class="narrate-controls"><div>x</div></div>'
    '<span class="narrate-chapter-title">Kapitel</span></section>'
    '<script>var html = "</div></section><span class=\\"narrate-s\\">";</script></div>'
)


@pytest.mark.parametrize(
    "damage",
    [
        without_comments,
        lambda page: page.replace(PLAYER_END, ""),
        lambda page: page.replace(PLAYER_BEGIN, ""),
        lambda page: page.replace("<!--narrate-s-->", ""),
    ],
    ids=["no-comments", "no-end-marker", "no-begin-marker", "no-span-markers"],
)
def test_a_player_and_spans_without_markers_are_found_by_their_classes(
    damage: Callable[[str], str],
) -> None:
    once = inject_player(PAGE, SNIPPET, SENTENCES)

    again = inject_player(damage(once), SNIPPET, SENTENCES)

    tree = lxml.html.fromstring(again)
    assert len(tree.find_class("narrate-embed")) == len(tree.find_class("narrate-player")) == 1
    assert spans(again) == spans(once)
    assert tree.xpath("//span[@class='narrate-s']//span[@class='narrate-s']") == []
    assert again == once, "the page does not grow however often its markers go"
    assert strip_player(damage(once)) == PAGE
    assert has_player(damage(once)) and not has_player(PAGE)


def test_spans_wrapped_twice_by_an_older_run_are_unwrapped_to_the_text() -> None:
    """Regression: re-embedding a page without markers nested new spans in the old ones."""
    inner = '<span class="narrate-s" data-start="1.000" data-end="2.000">Der Rat tagt.</span>'
    outer = f'<span class="narrate-s" data-start="1.000" data-end="2.000">{inner}</span>'
    page = (
        f'<article><h1>T</h1>{SNIPPET}<p>{outer} <span class="x">Fremd.</span></p>'
        '<p><span class="narrate-s">Eine eigene Klasse ohne Zeiten.</span></p></article>'
    )
    assert strip_player(page) == (
        '<article><h1>T</h1><p>Der Rat tagt. <span class="x">Fremd.</span></p>'
        '<p><span class="narrate-s">Eine eigene Klasse ohne Zeiten.</span></p></article>'
    )
