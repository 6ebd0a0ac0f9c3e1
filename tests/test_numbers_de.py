"""German number words written by narrate: cardinals, ordinals, decimals, years."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from narrate.speech.normalize import numbers_de as num


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "null"),
        (1, "eins"),
        (7, "sieben"),
        (10, "zehn"),
        (11, "elf"),
        (12, "zwölf"),
        (13, "dreizehn"),
        (16, "sechzehn"),
        (17, "siebzehn"),
        (19, "neunzehn"),
        (20, "zwanzig"),
        (21, "einundzwanzig"),
        (30, "dreißig"),
        (31, "einunddreißig"),
        (66, "sechsundsechzig"),
        (77, "siebenundsiebzig"),
        (99, "neunundneunzig"),
        (100, "hundert"),
        (101, "hunderteins"),
        (110, "hundertzehn"),
        (111, "hundertelf"),
        (200, "zweihundert"),
        (999, "neunhundertneunundneunzig"),
        (1000, "tausend"),
        (1001, "tausendeins"),
        (1100, "tausendhundert"),
        (7000, "siebentausend"),
        (21000, "einundzwanzigtausend"),
        (101000, "hunderteintausend"),
        (999999, "neunhundertneunundneunzigtausendneunhundertneunundneunzig"),
        (1_000_000, "eine Million"),
        (1_000_001, "eine Million eins"),
        (1_001_000, "eine Million tausend"),
        (2_000_000, "zwei Millionen"),
        (
            1_234_567,
            "eine Million zweihundertvierunddreißigtausendfünfhundertsiebenundsechzig",
        ),
        (21_000_000, "einundzwanzig Millionen"),
        (1_000_000_000, "eine Milliarde"),
        (2_000_000_000, "zwei Milliarden"),
        (2_500_000_000, "zwei Milliarden fünfhundert Millionen"),
        (10**12, "eine Billion"),
        (3 * 10**12, "drei Billionen"),
        (10**15, "eine Billiarde"),
        (-5, "minus fünf"),
    ],
)
def test_cardinal(number: int, words: str) -> None:
    assert num.cardinal(number) == words


@pytest.mark.parametrize(
    ("number", "one", "words"),
    [
        (1, "ein", "ein"),
        (1, "eine", "eine"),
        (101, "ein", "hundertein"),
        (21, "eine", "einundzwanzig"),
        (1_000_000, "ein", "eine Million"),
    ],
)
def test_cardinal_before_a_noun(number: int, one: str, words: str) -> None:
    assert num.cardinal(number, one) == words


def test_beyond_the_largest_cardinal_digits_are_read() -> None:
    assert num.cardinal(num.MAX_CARDINAL + 1) == "eins " + " ".join(["null"] * 18)


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "nullte"),
        (1, "erste"),
        (2, "zweite"),
        (3, "dritte"),
        (4, "vierte"),
        (7, "siebte"),
        (8, "achte"),
        (11, "elfte"),
        (19, "neunzehnte"),
        (20, "zwanzigste"),
        (21, "einundzwanzigste"),
        (100, "hundertste"),
        (101, "hunderterste"),
        (103, "hundertdritte"),
        (1000, "tausendste"),
        (1_000_000, "millionste"),
        (2_000_000, "zweimillionste"),
    ],
)
def test_ordinal(number: int, words: str) -> None:
    assert num.ordinal(number) == words


@pytest.mark.parametrize(
    ("number", "ending", "words"),
    [
        (3, "e", "dritte"),
        (3, "en", "dritten"),
        (3, "er", "dritter"),
        (3, "es", "drittes"),
        (3, "em", "drittem"),
        (20, "en", "zwanzigsten"),
        (1, "es", "erstes"),
    ],
)
def test_ordinal_endings(number: int, ending: str, words: str) -> None:
    assert num.ordinal(number, ending) == words


@pytest.mark.parametrize(
    ("whole", "fraction", "words"),
    [
        (3, "5", "drei Komma fünf"),
        (0, "75", "null Komma sieben fünf"),
        (1, "05", "eins Komma null fünf"),
        (12, "", "zwölf"),
    ],
)
def test_decimal(whole: int, fraction: str, words: str) -> None:
    assert num.decimal(whole, fraction) == words


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (1100, "elfhundert"),
        (1848, "achtzehnhundertachtundvierzig"),
        (1900, "neunzehnhundert"),
        (1901, "neunzehnhunderteins"),
        (1998, "neunzehnhundertachtundneunzig"),
        (2000, "zweitausend"),
        (2008, "zweitausendacht"),
        (2024, "zweitausendvierundzwanzig"),
        (800, "achthundert"),
        (2100, "zweitausendhundert"),
    ],
)
def test_year(number: int, words: str) -> None:
    assert num.year(number) == words


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("7.000", "siebentausend"),
        ("1.234.567", num.cardinal(1_234_567)),
        ("3,5", "drei Komma fünf"),
        ("1.234,56", "tausendzweihundertvierunddreißig Komma fünf sechs"),
        ("030", "null drei null"),
        ("0,5", "null Komma fünf"),
        ("2.0", "zwei Punkt null"),
        ("1" * 30, " ".join(["eins"] * 30)),
        ("abc", "abc"),
    ],
)
def test_written(text: str, words: str) -> None:
    assert num.written(text) == words


def test_digits() -> None:
    assert num.digits("0301") == "null drei null eins"


@given(st.integers(min_value=0, max_value=num.MAX_CARDINAL))
def test_cardinals_are_words(number: int) -> None:
    words = num.cardinal(number)
    assert words and all(char.isalpha() or char == " " for char in words)
    assert "einshundert" not in words and "einstausend" not in words
