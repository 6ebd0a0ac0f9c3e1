"""Building the speech script: order, sections, pauses, chunks."""

from __future__ import annotations

from narrate.article.model import Article, Section
from narrate.speech.build import as_written, build_script
from narrate.speech.script import PauseKind, Script

P = PauseKind


def _rows(script: Script) -> list[tuple[str, int, PauseKind]]:
    return [(u.display, u.section, u.pause_after) for u in script.utterances]


ARTICLE = Article(
    "Der Titel",
    (
        Section(None, ("Erster Satz. Zweiter Satz.", "Dritter Satz.")),
        Section("Teil eins", ("Vierter Satz.",)),
        Section("Leerer Teil", ()),
        Section("Teil drei", ("Fünfter Satz. Sechster Satz.",)),
    ),
)


def test_utterances_sections_and_pauses() -> None:
    script = build_script(ARTICLE, "de", 100)
    assert script.title == "Der Titel"
    assert script.language == "de"
    assert script.sections == ("Der Titel", "Teil eins", "Leerer Teil", "Teil drei")
    assert _rows(script) == [
        ("Der Titel", 0, P.TITLE),
        ("Erster Satz.", 0, P.SENTENCE),
        ("Zweiter Satz.", 0, P.PARAGRAPH),
        ("Dritter Satz.", 0, P.SECTION),
        ("Teil eins", 1, P.PARAGRAPH),
        ("Vierter Satz.", 1, P.SECTION),
        ("Leerer Teil", 2, P.SECTION),
        ("Teil drei", 3, P.PARAGRAPH),
        ("Fünfter Satz.", 3, P.SENTENCE),
        ("Sechster Satz.", 3, P.END),
    ]


def test_title_only() -> None:
    script = build_script(Article("Nur ein Titel", ()), "de", 100)
    assert _rows(script) == [("Nur ein Titel", 0, P.END)]
    assert script.sections == ("Nur ein Titel",)


def test_title_keeps_its_pause_before_a_first_heading() -> None:
    article = Article("T", (Section("Eins", ("Satz.",)),))
    assert _rows(build_script(article, "de", 100)) == [
        ("T", 0, P.TITLE),
        ("Eins", 1, P.PARAGRAPH),
        ("Satz.", 1, P.END),
    ]


def test_last_heading_without_paragraphs_ends_the_script() -> None:
    article = Article("T", (Section(None, ("Satz.",)), Section("Schluss", ())))
    assert _rows(build_script(article, "de", 100))[-2:] == [
        ("Satz.", 0, P.SECTION),
        ("Schluss", 1, P.END),
    ]


def test_headingless_section_after_the_intro_continues_the_chapter() -> None:
    article = Article(
        "T", (Section("Eins", ("A.",)), Section(None, ("B.",)), Section("Zwei", ("C.",)))
    )
    script = build_script(article, "de", 100)
    assert script.sections == ("T", "Eins", "Zwei")
    assert [u.section for u in script.utterances] == [0, 1, 1, 1, 2, 2]


def test_chunks_respect_the_limit_and_display_keeps_the_sentence() -> None:
    sentence = "Die Bank gab einen Kredit, der Rest kam aus den Anteilen der Mitglieder."
    script = build_script(Article("T", (Section(None, (sentence,)),)), "de", 30)
    utterance = script.utterances[1]
    assert utterance.display == sentence
    assert utterance.chunks == (
        "Die Bank gab einen Kredit,",
        "der Rest kam aus den Anteilen",
        "der Mitglieder.",
    )
    assert utterance.spoken == sentence


def test_normalizer_makes_the_spoken_text() -> None:
    article = Article("T", (Section(None, ("Es waren 3 Leute.",)),))
    script = build_script(article, "de", 100, normalize=lambda t: t.replace("3", "drei"))
    assert script.utterances[1].chunks == ("Es waren drei Leute.",)
    assert script.utterances[1].display == "Es waren 3 Leute."


def test_sentences_normalized_to_nothing_are_skipped_and_pass_on_their_pause() -> None:
    article = Article(
        "T", (Section(None, ("Eins. Zwei.", "Drei. Vier.")), Section("H", ("Fünf.",)))
    )
    script = build_script(article, "de", 100, normalize=lambda t: "" if t in "Zwei. Vier." else t)
    assert _rows(script) == [
        ("T", 0, P.TITLE),
        ("Eins.", 0, P.PARAGRAPH),
        ("Drei.", 0, P.SECTION),
        ("H", 1, P.PARAGRAPH),
        ("Fünf.", 1, P.END),
    ]


def test_as_written_is_the_identity() -> None:
    assert as_written(" z. B. 3 ") == " z. B. 3 "
