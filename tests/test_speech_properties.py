"""Property tests: splitting and chunking never lose or invent text."""

from __future__ import annotations

import pytest

hypothesis = pytest.importorskip("hypothesis")
st = pytest.importorskip("hypothesis.strategies")

from hypothesis import given, settings  # noqa: E402

from narrate.speech.chunk import chunk_text  # noqa: E402
from narrate.speech.split import split_sentences  # noqa: E402

WORDS = [
    "Dr.",
    "z.",
    "B.",
    "u.",
    "a.",
    "Art.",
    "1",
    "Abs.",
    "2",
    "GG",
    "am",
    "3.",
    "Mai",
    "2024",
    "Nr.",
    "S.",
    "12",
    "ca.",
    "30",
    "der",
    "2.",
    "Weltkrieg",
    "12.07.2023",
    "usw.",
    "etc.",
    "Er",
    "sagte:",
    "„Nein.“",
    "„Ja?“",
    "Das",
    "ist",
    "gut.",
    "Warum?",
    "Echt!",
    "B(asic)",
    "(Klammer)",
    "–",
    "—",
    "-",
    "…",
    ",",
    ".",
    "!!",
    "?!",
    "3,2",
    "Mio.",
    "Euro.",
    "U.S.",
    "e.g.",
    "The",
    "train",
    "is",
    "late.",
    '"Quote."',
    "i.",
    "Ä.",
    "Ölpreis",
    "x.y.z",
]

texts = st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join)
anything = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=200,
)


def _squash(text: str) -> str:
    return "".join(text.split())


@settings(max_examples=300, deadline=None)
@given(st.one_of(texts, anything), st.sampled_from(["de", "en", "fr", "sv"]))
def test_split_keeps_every_character(text: str, lang: str) -> None:
    pieces = split_sentences(text, lang)
    assert _squash("".join(pieces)) == _squash(text)
    assert all(piece and piece == piece.strip() for piece in pieces)


@settings(max_examples=300, deadline=None)
@given(st.one_of(texts, anything), st.integers(min_value=1, max_value=120))
def test_chunks_fit_and_join_back(text: str, max_chars: int) -> None:
    pieces = chunk_text(text, max_chars)
    assert all(0 < len(piece) <= max_chars and piece == piece.strip() for piece in pieces)
    assert _squash("".join(pieces)) == _squash(text)
    if all(len(word) <= max_chars for word in text.split()):
        assert " ".join(pieces) == " ".join(text.split())


@settings(max_examples=200, deadline=None)
@given(texts, st.integers(min_value=10, max_value=120))
def test_chunks_are_greedy(text: str, max_chars: int) -> None:
    pieces = chunk_text(text, max_chars)
    for first, second in zip(pieces, pieces[1:], strict=False):
        next_word = second.split(" ", 1)[0]
        at_clause_end = first.endswith((",", ";", ":")) or first.split(" ")[-1] in "–—-"
        assert len(first) + 1 + len(next_word) > max_chars or at_clause_end
