"""English number words: cardinals, ordinals, decimals, years, decades, fractions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from narrate.speech.normalize import numbers_en as num


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "zero"),
        (7, "seven"),
        (13, "thirteen"),
        (20, "twenty"),
        (21, "twenty-one"),
        (99, "ninety-nine"),
        (100, "one hundred"),
        (101, "one hundred one"),
        (115, "one hundred fifteen"),
        (999, "nine hundred ninety-nine"),
        (1000, "one thousand"),
        (1001, "one thousand one"),
        (7000, "seven thousand"),
        (10_000, "ten thousand"),
        (100_000, "one hundred thousand"),
        (1_000_000, "one million"),
        (
            1_234_567,
            "one million two hundred thirty-four thousand five hundred sixty-seven",
        ),
        (1_000_000_000, "one billion"),
        (2_000_000_001, "two billion one"),
        (10**12, "one trillion"),
        (10**15, "one quadrillion"),
        (-5, "minus five"),
        (-1_000, "minus one thousand"),
    ],
)
def test_cardinal(n: int, words: str) -> None:
    assert num.cardinal(n) == words


def test_cardinal_reads_huge_numbers_digit_by_digit() -> None:
    assert num.cardinal(10**18) == "one" + " zero" * 18


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (1, "first"),
        (2, "second"),
        (3, "third"),
        (4, "fourth"),
        (5, "fifth"),
        (8, "eighth"),
        (9, "ninth"),
        (11, "eleventh"),
        (12, "twelfth"),
        (20, "twentieth"),
        (21, "twenty-first"),
        (22, "twenty-second"),
        (23, "twenty-third"),
        (40, "fortieth"),
        (99, "ninety-ninth"),
        (100, "one hundredth"),
        (101, "one hundred first"),
        (1000, "one thousandth"),
        (1_000_000, "one millionth"),
    ],
)
def test_ordinal(n: int, words: str) -> None:
    assert num.ordinal(n) == words


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("3.5", "three point five"),
        ("0.25", "zero point two five"),
        ("3.14", "three point one four"),
        ("10.05", "ten point zero five"),
        ("1,234.5", "one thousand two hundred thirty-four point five"),
        ("7,000", "seven thousand"),
        ("12", "twelve"),
        (".5", "zero point five"),
    ],
)
def test_decimal(text: str, words: str) -> None:
    assert num.decimal(text) == words


def test_decimal_reads_very_long_numerals_digit_by_digit() -> None:
    assert num.decimal("1" * 30) == " ".join(["one"] * 30)


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (1850, "eighteen fifty"),
        (1998, "nineteen ninety-eight"),
        (1905, "nineteen oh five"),
        (1900, "nineteen hundred"),
        (2000, "two thousand"),
        (2001, "two thousand one"),
        (2008, "two thousand eight"),
        (2010, "twenty ten"),
        (2024, "twenty twenty-four"),
        (1066, "ten sixty-six"),
        (1000, "one thousand"),
        (476, "four hundred seventy-six"),
        (12_000, "twelve thousand"),
    ],
)
def test_year(n: int, words: str) -> None:
    assert num.year(n) == words


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (1990, "nineteen nineties"),
        (1900, "nineteen hundreds"),
        (2000, "two thousands"),
        (2010, "twenty tens"),
        (1960, "nineteen sixties"),
        (90, "nineties"),
        (20, "twenties"),
    ],
)
def test_decade(n: int, words: str) -> None:
    assert num.decade(n) == words


@pytest.mark.parametrize(
    ("fraction", "words"),
    [
        ((1, 2), "one half"),
        ((1, 4), "one quarter"),
        ((3, 4), "three quarters"),
        ((1, 3), "one third"),
        ((2, 3), "two thirds"),
        ((5, 8), "five eighths"),
        ((1, 10), "one tenth"),
        ((7, 100), "seven one hundredths"),
        ((4, 1), "four"),
    ],
)
def test_fraction(fraction: tuple[int, int], words: str) -> None:
    assert num.fraction(*fraction) == words


def test_digits() -> None:
    assert num.digits("007") == "zero zero seven"
    assert num.digits("0800-1") == "zero eight zero zero one"


@pytest.mark.parametrize(
    ("words", "plural"),
    [("ninety", "nineties"), ("six", "sixes"), ("ten", "tens"), ("hundred", "hundreds")],
)
def test_plural(words: str, plural: str) -> None:
    assert num.plural(words) == plural


@given(st.integers(min_value=-(10**18) + 1, max_value=10**18 - 1))
def test_cardinal_words_are_plain_lowercase_words(n: int) -> None:
    words = num.cardinal(n)
    assert words == words.strip()
    assert all(part.isalpha() and part.islower() for part in words.replace("-", " ").split())


@given(st.integers(min_value=1, max_value=10**15))
def test_ordinal_shares_all_but_the_last_word_with_the_cardinal(n: int) -> None:
    cardinal, ordinal = num.cardinal(n).split(" "), num.ordinal(n).split(" ")
    assert cardinal[:-1] == ordinal[:-1]
    assert cardinal[-1].split("-")[:-1] == ordinal[-1].split("-")[:-1]


@given(st.integers(min_value=1, max_value=9999))
def test_year_never_fails(n: int) -> None:
    assert num.year(n)
