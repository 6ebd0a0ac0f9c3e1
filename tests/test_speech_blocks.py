"""Long paragraphs go to pysbd in blocks and split exactly as they would whole."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest

hypothesis = pytest.importorskip("hypothesis")
st = pytest.importorskip("hypothesis.strategies")

from hypothesis import given, settings  # noqa: E402

from narrate.article.load import load_article  # noqa: E402
from narrate.speech import blocks, split  # noqa: E402
from narrate.speech.blocks import block_starts  # noqa: E402
from narrate.speech.split import split_sentences  # noqa: E402
from tests.test_speech_split import GERMAN  # noqa: E402

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

SENTENCES = [
    *(text for text, _ in GERMAN),
    "Dr. Müller kam am 3. Mai 2024 nach Köln.",
    "Das gilt z. B. für 12 Kinder in Ulm.",
    "Er sagte: „Das geht so nicht. Wirklich nicht.“",
    "„Kommst du?“, fragte sie.",
    "Sie rief »Halt! Sofort!« und lief los.",
    'Er nannte es "gut. Sehr gut." Dann ging er.',
    "Die Stadt (siehe S. 4. Abb. 2) wächst.",
    "Nach Art. 3 Abs. 2 GG ist das erlaubt.",
    "Die Sitzung ist am 12.07.2023.",
    "Bundesliga, 12. Spieltag: Köln gewinnt.",
    "Warum? Weil es so ist!",
    "Es kostet ca. 30 Euro, also rund 30,50 Euro.",
    "Die Stadt hat 120.000 Einwohner.",
    "Er wohnt in der Hauptstr. 5 in Berlin.",
    "Prof. Dr. Anna Schmidt sprach am 3. Oktober in Jena.",
    "Viele kamen. Die meisten blieben.",
    "Stadtrat Meier sagte, das sei gut.",
    "Der 2. Weltkrieg ist lange her.",
    "Sie kam am 4. Danach fuhr sie heim.",
    "Ein Satz ohne Besonderheiten über Görlitz.",
    "Er kam ins Ziel – als Dritter.",
]
"""German sentences with the cases the splitter guards: abbreviations, ordinals,
dates, numbers, quotes and brackets (some holding several sentences)."""


def _unblocked(text: str, lang: str) -> list[str]:
    """How ``split_sentences`` splits without blocks: pysbd on the whole paragraph."""
    with mock.patch.object(split, "block_starts", lambda text, code, words: [0]):
        return split_sentences(text, lang)


@contextmanager
def _blocks_of(chars: int) -> Iterator[None]:
    """Cut blocks of about ``chars`` characters, so short texts get many cuts."""
    with mock.patch.object(blocks, "BLOCK_CHARS", chars):
        yield


def _starts(text: str) -> list[int]:
    return block_starts(text, "de", split._ABBREVIATIONS["de"])


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(SENTENCES), min_size=2, max_size=40),
    st.integers(min_value=1, max_value=200),
)
def test_long_paragraph_splits_as_if_whole(sentences: list[str], block_chars: int) -> None:
    paragraph = " ".join(sentences)
    with _blocks_of(block_chars):
        assert split_sentences(paragraph, "de") == _unblocked(paragraph, "de")


@pytest.mark.parametrize("copies", [1, 3])
def test_sample_articles_as_one_paragraph_split_as_if_whole(copies: int) -> None:
    for name in ("energiewende-im-dorf.txt", "stadtbibliothek.md"):
        article = load_article(SAMPLES / name)
        paragraph = " ".join(p for section in article.sections for p in section.paragraphs)
        paragraph = " ".join([paragraph] * copies)
        with _blocks_of(100):
            assert len(_starts(paragraph)) > 5
            assert split_sentences(paragraph, "de") == _unblocked(paragraph, "de")


def test_a_long_paragraph_is_cut_into_blocks_at_sentence_ends() -> None:
    # not with »...«: pysbd pairs each « with the next », across sentences
    paragraph = " ".join([sentence for sentence in SENTENCES if "«" not in sentence] * 20)
    starts = _starts(paragraph)
    assert len(starts) > 2
    assert all(b - a >= blocks.BLOCK_CHARS for a, b in zip(starts, starts[1:], strict=False))
    for start in starts[1:]:
        before, after = paragraph[:start], paragraph[start:]
        assert before.endswith(". ") and before[-3].isalpha()
        assert after[0].isupper() and after[1].islower()
    assert split_sentences(paragraph, "de") == _unblocked(paragraph, "de")


@pytest.mark.parametrize(
    "sentence",
    [
        "Er zitierte: „Das ist gut. Sehr gut.",  # inside a quotation, closed later
        'Er zitierte: "Das ist gut. Sehr gut.',  # inside straight quotes
        "Das war (wie gesagt. Gut.",  # inside a parenthesis
    ],
)
def test_no_cut_where_pysbd_might_not_end_a_sentence(sentence: str) -> None:
    filler = "Ein Satz über Bonn. " * 5
    paragraph = f"{filler}{sentence} Noch mehr. Weitere Sätze folgen. Und so fort.)“” {filler}"
    with _blocks_of(10):
        starts = _starts(" ".join(paragraph.split()))
    opened = paragraph.index(sentence) + len(sentence.split(".")[0])
    closed = paragraph.index(")“”")
    assert not [start for start in starts if opened < start <= closed]


def test_no_cut_after_an_abbreviation() -> None:
    paragraph = " ".join(["Sie traf Dr. Müller. Er kam um acht."] * 10)
    with _blocks_of(10):
        starts = _starts(paragraph)
    assert len(starts) > 1
    assert not [start for start in starts if paragraph[:start].endswith("Dr. ")]


def test_no_cut_before_a_word_pysbd_reads_as_abbreviation() -> None:
    paragraph = " ".join(["Das war in Bonn. Die Stadt ist alt."] * 10)
    with _blocks_of(10):
        starts = _starts(paragraph)
    assert len(starts) > 1
    assert all(paragraph[start:].startswith("Das") for start in starts[1:])


@pytest.mark.parametrize(
    "paragraph",
    [
        "!! " + "Ein Satz. " * 400,  # pysbd reads doubled punctuation at the start
        "Er sagte 'so'. Dann ging er. " * 200,  # pysbd decides single quotes on the whole
        "Die Frage. Danach kam EDi. Er ging. " * 200,  # "Die" also protects "EDi."
    ],
)
def test_some_paragraphs_stay_whole(paragraph: str) -> None:
    assert _starts(" ".join(paragraph.split())) == [0]
    with _blocks_of(10):
        assert _starts(" ".join(paragraph.split())) == [0]


def test_english_stays_whole() -> None:
    paragraph = "The train was late. We waited in the rain. " * 200
    assert block_starts(paragraph, "en", frozenset()) == [0]


def test_pysbd_failing_on_a_block_gets_the_whole_paragraph() -> None:
    paragraph = " ".join([*SENTENCES, "Das ist B(asic)B.a! Gut.", *SENTENCES])
    with _blocks_of(50):
        assert len(_starts(paragraph)) > 2
        assert split_sentences(paragraph, "de") == _unblocked(paragraph, "de")
