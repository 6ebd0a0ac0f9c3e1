"""English number words: cardinals, ordinals, decimals, years, fractions, digits.

Written for narrate (American style, no "and" inside numbers: "one hundred
twenty-three"); tens and units are joined by a hyphen ("twenty-one").
Cardinals cover everything below 10**18; longer numbers are read digit by digit.
"""

from __future__ import annotations

__all__ = [
    "cardinal",
    "ordinal",
    "decimal",
    "year",
    "decade",
    "fraction",
    "digits",
    "plural",
]

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = ((10**15, "quadrillion"), (10**12, "trillion"), (10**9, "billion"), (10**6, "million"))
_LIMIT = 10**18
_MAX_DIGITS = 18

_ORDINAL_WORDS = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}
"""Ordinals that do not just add "th" to the cardinal."""

_FRACTION_WORDS = {2: ("half", "halves"), 4: ("quarter", "quarters")}
"""Denominators whose names are not their ordinals."""


def _below_thousand(n: int) -> list[str]:
    """Words for 0 < n < 1000."""
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        words += [_ONES[hundreds], "hundred"]
    if rest >= 20:
        tens, ones = divmod(rest, 10)
        words.append(_TENS[tens] + (f"-{_ONES[ones]}" if ones else ""))
    elif rest:
        words.append(_ONES[rest])
    return words


def cardinal(n: int) -> str:
    """``n`` in words: ``1234567`` -> "one million two hundred thirty-four thousand ..."."""
    if n < 0:
        return "minus " + cardinal(-n)
    if n >= _LIMIT:
        return digits(str(n))
    if n < 20:
        return _ONES[n]
    words: list[str] = []
    for size, name in _SCALES:
        count, n = divmod(n, size)
        if count:
            words += [*_below_thousand(count), name]
    thousands, n = divmod(n, 1000)
    if thousands:
        words += [*_below_thousand(thousands), "thousand"]
    if n:
        words += _below_thousand(n)
    return " ".join(words)


def _ordinal_word(word: str) -> str:
    """The ordinal of one cardinal word: "twenty-one" -> "twenty-first"."""
    head, _, last = word.rpartition("-")
    if last in _ORDINAL_WORDS:
        last = _ORDINAL_WORDS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return f"{head}-{last}" if head else last


def ordinal(n: int) -> str:
    """``n`` as an ordinal: 1 -> "first", 21 -> "twenty-first", 100 -> "one hundredth"."""
    head, _, last = cardinal(n).rpartition(" ")
    return f"{head} {_ordinal_word(last)}" if head else _ordinal_word(last)


def digits(text: str) -> str:
    """Each digit of ``text`` as a word ("007" -> "zero zero seven"); other characters dropped."""
    return " ".join(_ONES[int(c)] for c in text if c.isdecimal())


def decimal(text: str) -> str:
    """A decimal numeral in words: "3.5" -> "three point five", "0.25" -> "zero point two five".

    ``text`` is digits with at most one period and optional thousands commas.
    """
    whole, _, frac = text.replace(",", "").partition(".")
    if len(whole) > _MAX_DIGITS:
        words = digits(whole)
    else:
        words = cardinal(int(whole)) if whole else "zero"
    return f"{words} point {digits(frac)}" if frac else words


def year(n: int) -> str:
    """``n`` read as a year: 1998 -> "nineteen ninety-eight", 2008 -> "two thousand eight"."""
    if not 1000 <= n <= 9999 or n % 1000 < 10:
        return cardinal(n)
    century, rest = divmod(n, 100)
    if rest == 0:
        return f"{cardinal(century)} hundred"
    if rest < 10:
        return f"{cardinal(century)} oh {_ONES[rest]}"
    return f"{cardinal(century)} {cardinal(rest)}"


def plural(words: str) -> str:
    """Number words made plural: "ninety" -> "nineties", "six" -> "sixes"."""
    if words.endswith("y"):
        return words[:-1] + "ies"
    if words.endswith(("x", "s")):
        return words + "es"
    return words + "s"


def decade(n: int) -> str:
    """A decade: 1990 -> "nineteen nineties", 90 -> "nineties", 2000 -> "two thousands"."""
    return plural(year(n) if n >= 1000 else cardinal(n))


def fraction(numerator: int, denominator: int) -> str:
    """A fraction in words: (1, 2) -> "one half", (3, 4) -> "three quarters"."""
    if denominator == 1:
        return cardinal(numerator)
    if denominator in _FRACTION_WORDS:
        one, many = _FRACTION_WORDS[denominator]
    else:
        one = ordinal(denominator)
        many = one + "s"
    return f"{cardinal(numerator)} {one if numerator == 1 else many}"
