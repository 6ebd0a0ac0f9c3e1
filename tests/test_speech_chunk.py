"""Chunking a sentence to an engine's character limit."""

from __future__ import annotations

import pytest

from narrate.speech.chunk import chunk_text

LONG_GERMAN = (
    "Die Genossenschaft ließ ein zweites Gutachten erstellen, verschob die Standorte um 300 "
    "Meter nach Osten und lud die Anwohner zu einer Versammlung ein – am Ende stimmte der "
    "Gemeinderat zu."
)


@pytest.mark.parametrize(
    ("sentence", "max_chars", "pieces"),
    [
        ("", 10, []),
        ("   ", 10, []),
        ("Kurz.", 10, ["Kurz."]),
        ("  Kurz  und\tgut. ", 100, ["Kurz und gut."]),
        ("Genau zehn", 10, ["Genau zehn"]),
        ("eins zwei drei vier", 9, ["eins zwei", "drei vier"]),
        ("eins, zwei drei vier", 15, ["eins,", "zwei drei vier"]),
        ("a, b, c, d", 5, ["a, b,", "c, d"]),
        ("Erst das; dann jenes", 12, ["Erst das;", "dann jenes"]),
        ("Sie sagte: Nein danke", 12, ["Sie sagte:", "Nein danke"]),
        ("Hier – und dort drüben", 10, ["Hier –", "und dort", "drüben"]),
        ("Hier — und dort", 10, ["Hier —", "und dort"]),
        ("„Nein“, sagte er leise", 12, ["„Nein“,", "sagte er", "leise"]),
        ("Donaudampfschifffahrt", 8, ["Donaudam", "pfschiff", "fahrt"]),
        ("Ab Donaudampfschiff", 8, ["Ab", "Donaudam", "pfschiff"]),
        ("Donaudampfschiff ab", 8, ["Donaudam", "pfschiff", "ab"]),
        ("Donaudampfschiffe ab", 8, ["Donaudam", "pfschiff", "e ab"]),
        (
            LONG_GERMAN,
            100,
            [
                "Die Genossenschaft ließ ein zweites Gutachten erstellen,",
                "verschob die Standorte um 300 Meter nach Osten und lud die Anwohner zu einer "
                "Versammlung ein –",
                "am Ende stimmte der Gemeinderat zu.",
            ],
        ),
        (
            LONG_GERMAN,
            60,
            [
                "Die Genossenschaft ließ ein zweites Gutachten erstellen,",
                "verschob die Standorte um 300 Meter nach Osten und lud die",
                "Anwohner zu einer Versammlung ein –",
                "am Ende stimmte der Gemeinderat zu.",
            ],
        ),
    ],
)
def test_chunk_text(sentence: str, max_chars: int, pieces: list[str]) -> None:
    assert chunk_text(sentence, max_chars) == pieces


@pytest.mark.parametrize("max_chars", [0, -5])
def test_limit_must_be_positive(max_chars: int) -> None:
    with pytest.raises(ValueError, match="max_chars must be at least 1"):
        chunk_text("Text", max_chars)


@pytest.mark.parametrize("max_chars", [1, 5, 8, 20, 60, 100, 200])
def test_invariants_on_a_real_sentence(max_chars: int) -> None:
    pieces = chunk_text(LONG_GERMAN, max_chars)
    assert all(0 < len(piece) <= max_chars and piece == piece.strip() for piece in pieces)
    if max(len(word) for word in LONG_GERMAN.split()) <= max_chars:
        assert " ".join(pieces) == " ".join(LONG_GERMAN.split())
    assert "".join(pieces).replace(" ", "") == LONG_GERMAN.replace(" ", "")
