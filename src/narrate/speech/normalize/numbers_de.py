"""German number words: cardinals, ordinals, decimals, years and digit strings.

Written for narrate (no third-party number library). Conventions:

- cardinals are one word below a million (``zweihundertvierunddreißigtausend``);
  millions and above are separate words (``eine Million zweihunderttausend``);
- ``100`` is ``hundert`` and ``1000`` is ``tausend`` (not ``einhundert``);
- a lone 1 is ``eins``; :func:`cardinal` takes ``one="ein"`` or ``one="eine"``
  for a 1 counting something (``ein Euro``, ``eine Tonne``);
- decimals read the digits after the comma one by one
  (``3,75`` -> ``drei Komma sieben fünf``);
- years 1100-1999 are read in hundreds (``neunzehnhundertachtundneunzig``),
  all other years as cardinals (``zweitausendvierundzwanzig``).
"""

from __future__ import annotations

import re

__all__ = [
    "MAX_CARDINAL",
    "cardinal",
    "ordinal",
    "ordinal_stem",
    "decimal",
    "digits",
    "year",
    "written",
]

_ONES = (
    "null eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn vierzehn "
    "fünfzehn sechzehn siebzehn achtzehn neunzehn"
).split()
_TENS = "_ _ zwanzig dreißig vierzig fünfzig sechzig siebzig achtzig neunzig".split()
_LARGE = (
    (10**15, "Billiarde", "Billiarden"),
    (10**12, "Billion", "Billionen"),
    (10**9, "Milliarde", "Milliarden"),
    (10**6, "Million", "Millionen"),
)
"""The separate-word powers of a thousand: value, singular, plural (all feminine)."""
_ORDINAL_IRREGULAR = {1: "erst", 3: "dritt", 7: "siebt", 8: "acht"}

MAX_CARDINAL = 10**18 - 1
"""The largest number :func:`cardinal` writes as words; longer numbers are read as digits."""


def _below_hundred(n: int) -> str:
    if n < 20:
        return _ONES[n]
    tens, unit = divmod(n, 10)
    if unit == 0:
        return _TENS[tens]
    return ("ein" if unit == 1 else _ONES[unit]) + "und" + _TENS[tens]


def _below_thousand(n: int) -> str:
    """``n`` (1-999) as one word, ending in ``eins`` for a final 1."""
    hundreds, rest = divmod(n, 100)
    head = "" if hundreds == 0 else ("" if hundreds == 1 else _ONES[hundreds]) + "hundert"
    return head + (_below_hundred(rest) if rest else "")


def _below_million(n: int) -> str:
    thousands, rest = divmod(n, 1000)
    if thousands == 0:
        return _below_thousand(rest)
    head = "" if thousands == 1 else _as_prefix(_below_thousand(thousands))
    return head + "tausend" + (_below_thousand(rest) if rest else "")


def _as_prefix(words: str) -> str:
    """A number word in front of another: ``eins`` -> ``ein`` (``hunderteintausend``)."""
    return words[:-1] if words.endswith("eins") else words


def cardinal(n: int, one: str = "eins") -> str:
    """``n`` in words; ``one`` replaces a final ``eins`` (``ein``/``eine`` before a noun).

    Negative numbers get ``minus``; numbers beyond :data:`MAX_CARDINAL` are read
    digit by digit.
    """
    if n < 0:
        return "minus " + cardinal(-n, one)
    if n > MAX_CARDINAL:
        return digits(str(n))
    words = " ".join(_large_parts(n)) or "null"
    return words[:-4] + one if words.endswith("eins") else words


def _large_parts(n: int) -> list[str]:
    """The words of ``n`` (below a trillion trillion): ``eine Million``, ``zwei Millionen``..."""
    parts: list[str] = []
    for value, singular, plural in _LARGE:
        count, n = divmod(n, value)
        if count == 1:
            parts.append("eine " + singular)
        elif count:
            parts.append(_as_prefix(_below_million(count)) + " " + plural)
    return parts + ([_below_million(n)] if n else [])


def ordinal_stem(n: int) -> str:
    """The ordinal of ``n`` without its ending: ``3`` -> ``dritt``, ``20`` -> ``zwanzigst``."""
    if n < 0:
        return "minus " + ordinal_stem(-n)
    rest = n % 100
    if n == 0:
        return "nullt"
    if 0 < rest < 20 and n < 10**6:
        head = cardinal(n - rest) if n > rest else ""
        return head + _ORDINAL_IRREGULAR.get(rest, _ONES[rest] + "t")
    words = cardinal(n)
    if words.startswith("eine "):
        words = words[5:]
    return words.lower().replace(" ", "").removesuffix("en").removesuffix("e") + "st"


def ordinal(n: int, ending: str = "e") -> str:
    """``n`` as an ordinal with ``ending``: ``ordinal(3, "en")`` -> ``dritten``."""
    return ordinal_stem(n) + ending


def digits(text: str) -> str:
    """Every digit of ``text`` as its own word: ``"0301"`` -> ``null drei null eins``."""
    return " ".join(_ONES[int(char)] for char in text if char.isdigit() and char.isascii())


def decimal(whole: int, fraction: str, one: str = "eins") -> str:
    """``whole`` comma ``fraction`` (the digits after the comma, read one by one)."""
    if not fraction:
        return cardinal(whole, one)
    return cardinal(whole) + " Komma " + digits(fraction)


def year(n: int) -> str:
    """``n`` read as a year: ``1998`` -> ``neunzehnhundertachtundneunzig``."""
    if 1100 <= n <= 1999:
        hundreds, rest = divmod(n, 100)
        return _ONES[hundreds] + "hundert" + (_below_hundred(rest) if rest else "")
    return cardinal(n)


_THOUSANDS = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]*)?")
_PLAIN = re.compile(r"[0-9]+(?:,[0-9]*)?")
_DOTTED = re.compile(r"[0-9]+(?:\.[0-9]+)+")


def written(text: str, one: str = "eins") -> str:
    """A number as German articles write it, in words; other text comes back unchanged.

    ``7.000`` and ``1.234.567`` have thousands separators, ``3,5`` a decimal
    comma; a leading zero (``030``) means digits read one by one, and other
    dotted numbers (``2.0``, ``192.168.0.1``) are read with ``Punkt``.
    """
    if _THOUSANDS.fullmatch(text) or _PLAIN.fullmatch(text):
        whole, _, fraction = text.replace(".", "").partition(",")
        if len(whole) > 18 or (len(whole) > 1 and whole.startswith("0")):
            return digits(whole) + (" Komma " + digits(fraction) if fraction else "")
        return decimal(int(whole), fraction, one)
    if _DOTTED.fullmatch(text):
        return " Punkt ".join(written(part) for part in text.split("."))
    return text
