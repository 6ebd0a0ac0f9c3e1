"""Normalization steps for English: written sentence in, text to speak out.

The steps run in the order of :data:`STEPS`, and the order matters:

1. Whitespace is tidied, so patterns can expect single spaces.
2. Web and e-mail addresses go first, before their dots, slashes and digits
   look like abbreviations, fractions or numbers; fixed slash words ("24/7")
   follow for the same reason.
3. Times take their "a.m."/"p.m." before the abbreviations see them;
   abbreviations (periods, titles, "No.", month abbreviations) come next so
   that "Jan. 5" is a date and "No. 5" a number by the time those run.
4. Things made of several numbers are read while their digits are intact:
   dates, decades, regnal numerals, then signs ("-5" -> "minus 5"), money,
   percentages and units (which need the amount to pick singular or plural),
   ranges, ordinals, scores, fractions and multipliers.
5. Leftover symbols become words, letters and digits stuck together are
   parted ("G7"), and every number still in digits is read as a cardinal,
   a decimal or (four digits from 1100 to 2099) a year.
6. Capitalized acronyms are spelled ("F B I") or said as a word ("Nato"),
   and whitespace and the space before punctuation are tidied once more.

Each step only rewrites what it recognizes; everything else stays as written.
An abbreviation that ends the sentence keeps the sentence's final period.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from narrate.speech.normalize import en_data as data
from narrate.speech.normalize import numbers_en as num
from narrate.speech.normalize.common import Step, collapse_whitespace, tidy_punctuation_spacing

__all__ = [
    "STEPS",
    "read_emails",
    "read_urls",
    "read_slash_words",
    "read_times",
    "expand_initialisms",
    "expand_abbreviations",
    "expand_titles",
    "expand_number_sign",
    "expand_month_abbreviations",
    "read_dates",
    "read_decades",
    "read_regnal_numbers",
    "read_signs",
    "read_money",
    "read_percentages",
    "read_units",
    "read_ranges",
    "read_ordinals",
    "read_scores",
    "read_fractions",
    "read_multipliers",
    "read_symbols",
    "split_letters_and_digits",
    "read_dotted_numbers",
    "read_numbers",
    "read_acronyms",
    "tidy_punctuation_spacing",
]

_NUM = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?"
"""A numeral: digits with optional thousands commas and decimals."""
_SENTENCE_END = re.compile(r"[\"'”’)\]]*$")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}
_ROMAN_PARTS = (("L", 50), ("XL", 40), ("X", 10), ("IX", 9), ("V", 5), ("IV", 4), ("I", 1))


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first, so no prefix wins early."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _final_period(match: re.Match[str], words: str) -> str:
    """``words``, plus the period the match swallowed if it ended the sentence."""
    ends = match.group(0).endswith(".") and _SENTENCE_END.fullmatch(match.string, match.end())
    return words + "." if ends else words


def _amount(first: str, second: str | None) -> str:
    """An amount or a range of amounts in words: ("5", "10") -> "five to ten"."""
    words = num.decimal(first)
    return f"{words} to {num.decimal(second)}" if second else words


def _is_one(first: str, second: str | None) -> bool:
    """Whether an amount takes the singular ("1 km" but "1.5 km", "1-2 km")."""
    return first == "1" and not second


# --- addresses --------------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(
    r"(?<![\w@.-])(?P<scheme>https?://)?(?P<www>www\.)?"
    r"(?P<host>[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)(?P<path>[/?#]\S*)?"
)
_TRAILING = re.compile(r"[.,;:!?)\]\"'”’]*$")


def _spoken_address(text: str) -> str:
    """Dots and underscores of an address as words: "a_b.com" -> "a underscore b dot com"."""
    return text.replace(".", " dot ").replace("_", " underscore ")


def read_emails(text: str) -> str:
    """E-mail addresses as words: "press@example.com" -> "press at example dot com"."""
    return _EMAIL.sub(lambda m: " at ".join(map(_spoken_address, m[0].split("@", 1))), text)


def _url_words(match: re.Match[str]) -> str:
    """The host of a web address, spoken; the path is dropped but not its final punctuation."""
    host, path = match["host"], match["path"] or ""
    explicit = match["scheme"] or match["www"]
    if not explicit and host.rsplit(".", 1)[1] not in data.TLDS:
        return match[0]
    trailing = _TRAILING.search(path)
    return _spoken_address(host) + (trailing[0] if trailing else "")


def read_urls(text: str) -> str:
    """Web addresses as their host: "www.bbc.co.uk/news/x" -> "bbc dot co dot uk"."""
    return _URL.sub(_url_words, text)


_SLASH_WORDS = re.compile(rf"(?<![\w/])(?:{_alternation(data.SLASH_WORDS)})(?![\w/])")


def read_slash_words(text: str) -> str:
    """Fixed words written with a slash: "and/or" -> "and or", "24/7" -> "twenty-four seven"."""
    return _SLASH_WORDS.sub(lambda m: data.SLASH_WORDS[m[0]], text)


# --- times and abbreviations ------------------------------------------------

_MERIDIEM = r"(?:\s?(?P<ap>[AaPp])\.?\s?[Mm]\b\.?)"
_CLOCK = re.compile(rf"\b(?P<h>[01]?\d|2[0-4]):(?P<m>[0-5]\d)(?!\d){_MERIDIEM}?")
_HOUR = re.compile(rf"\b(?P<h>1[0-2]|0?[1-9]){_MERIDIEM}")


def _time_words(match: re.Match[str]) -> str:
    """A clock time: "2:30 p.m." -> "two thirty p m", "14:00" -> "fourteen hundred"."""
    hour, minute = int(match["h"]), int(match.groupdict().get("m") or 0)
    words = num.cardinal(hour)
    if minute:
        words += f" oh {num.cardinal(minute)}" if minute < 10 else f" {num.cardinal(minute)}"
    elif not match["ap"]:
        words += " o'clock" if 0 < hour <= 12 else " hundred"
    if match["ap"]:
        words += f" {match['ap'].lower()} m"
    return _final_period(match, words)


def read_times(text: str) -> str:
    """Clock times: "10:05" -> "ten oh five", "9 a.m." -> "nine a m", "2:30pm"."""
    return _HOUR.sub(_time_words, _CLOCK.sub(_time_words, text))


_INITIALISM = re.compile(r"(?<![\w.])(?:[A-Z]\.){2,}")


def expand_initialisms(text: str) -> str:
    """Dotted capitals as spaced letters: "U.S." -> "U S", "U.K." -> "U K"."""
    return _INITIALISM.sub(lambda m: _final_period(m, " ".join(m[0].replace(".", ""))), text)


_ABBREVIATION = re.compile(rf"(?<![\w.])(?:{_alternation(data.ABBREVIATIONS)})")
_BARE_ABBREVIATION = re.compile(rf"\b(?:{_alternation(data.BARE_ABBREVIATIONS)})\b(?!\.)")
_CASE_VERSUS = re.compile(r"(\b[A-Z][\w'’-]*\s+)v\.(?=\s+[A-Z])")
"""``v.`` between two names, as in case names ("Roe v. Wade")."""


def expand_abbreviations(text: str) -> str:
    """Fixed abbreviations: "e.g." -> "for example", "etc." -> "et cetera", "vs" -> "versus".

    A lone ``v.`` is "versus" only between names ("Roe v. Wade"); elsewhere it is
    an initial or the end of a sentence.
    """
    text = _ABBREVIATION.sub(lambda m: _final_period(m, data.ABBREVIATIONS[m[0]]), text)
    text = _CASE_VERSUS.sub(r"\1versus", text)
    return _BARE_ABBREVIATION.sub(lambda m: data.BARE_ABBREVIATIONS[m[0]], text)


_TITLE_BEFORE = re.compile(rf"\b(?P<t>{_alternation(data.NAME_TITLES)})(?P<p>\.?)(?=\s+[A-Z])")
_TITLE_AFTER = re.compile(
    rf"(?P<name>\b[A-Z][\w'’-]*,?\s+)(?P<t>{_alternation(data.PLACE_TITLES)})\b\.?"
)


def _title_before(match: re.Match[str]) -> str:
    """A title before a name, if written with its period or allowed without one."""
    if match["p"] or match["t"] in data.BARE_TITLES:
        return data.NAME_TITLES[match["t"]]
    return match[0]


def expand_titles(text: str) -> str:
    """Titles around names: "Dr. Smith" -> "Doctor Smith", "Baker St." -> "Baker Street"."""
    text = _TITLE_BEFORE.sub(_title_before, text)
    return _TITLE_AFTER.sub(lambda m: m["name"] + _final_period(m, data.PLACE_TITLES[m["t"]]), text)


_NUMBER_SIGN = re.compile(r"\b(?P<n>[Nn])o(?:\.\s?|\s)(?=\d)")


def expand_number_sign(text: str) -> str:
    """The number sign "No." before digits: "No. 5" -> "number 5", "No 10 Downing Street"."""
    return _NUMBER_SIGN.sub(lambda m: "number " if m.start() else "Number ", text)


_MONTH_ABBREVIATION = re.compile(rf"\b(?P<m>{_alternation(data.MONTH_ABBREVIATIONS)})\.?(?=\s\d)")


def expand_month_abbreviations(text: str) -> str:
    """Month abbreviations before a day or year: "Jan. 5" -> "January 5"."""
    return _MONTH_ABBREVIATION.sub(lambda m: data.MONTH_ABBREVIATIONS[m["m"]], text)


# --- dates, decades, regnal numbers -------------------------------------------

_MONTH = _alternation(data.MONTHS)
_ISO_DATE = re.compile(r"\b(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)\b")
_SLASH_DATE = re.compile(r"\b(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})\b")
_MONTH_DAY = re.compile(
    rf"\b(?P<month>{_MONTH}) (?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?![.,:]?\d)(?:,? (?P<y>\d{{4}})\b)?"
)
_DAY_MONTH = re.compile(
    rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)? (?P<month>{_MONTH})\b(?:,? (?P<y>\d{{4}})\b)?"
)


def _month_first(month: int, day: int, year: str | None) -> str | None:
    """A date month first ("May third, twenty twenty-four"), or None if it is impossible."""
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    words = f"{data.MONTHS[month - 1]} {num.ordinal(day)}"
    return f"{words}, {num.year(int(year))}" if year else words


def _numeric_date(match: re.Match[str]) -> str:
    """An ISO or US date ("2024-05-03", "05/03/2024"); day first if the month cannot be."""
    month, day = int(match["m"]), int(match["d"])
    if month > 12 >= day:
        month, day = day, month
    return _month_first(month, day, match["y"]) or match[0]


def _day_first(match: re.Match[str]) -> str:
    """A date day first: "3 May 2024" -> "the third of May twenty twenty-four"."""
    day = int(match["d"])
    if not 1 <= day <= 31:
        return match[0]
    words = f"the {num.ordinal(day)} of {match['month']}"
    return f"{words} {num.year(int(match['y']))}" if match["y"] else words


def read_dates(text: str) -> str:
    """Dates: "May 3rd, 2024", "3 May 2024", "2024-05-03", "05/03/2024" (US month first)."""
    text = _ISO_DATE.sub(_numeric_date, text)
    text = _SLASH_DATE.sub(_numeric_date, text)
    text = _MONTH_DAY.sub(
        lambda m: _month_first(data.MONTHS.index(m["month"]) + 1, int(m["d"]), m["y"]) or m[0],
        text,
    )
    return _DAY_MONTH.sub(_day_first, text)


_DECADE = re.compile(r"\b(?P<full>1\d\d0|20\d0)['’]?s\b|(?:['’]|\b)(?P<short>[1-9]0)['’]?s\b")


def read_decades(text: str) -> str:
    """Decades: "the 1990s" -> "the nineteen nineties", "'90s" -> "nineties"."""
    return _DECADE.sub(lambda m: num.decade(int(m["full"] or m["short"])), text)


_REGNAL = re.compile(r"\b(?P<name>[A-Z][a-z]+) (?P<roman>[IVXL]+)\b")


def _roman(value: int) -> str:
    """``value`` (below 90) as a roman numeral: 14 -> "XIV"."""
    roman = ""
    for symbol, size in _ROMAN_PARTS:
        count, value = divmod(value, size)
        roman += symbol * count
    return roman


def _roman_value(roman: str) -> int | None:
    """The value of a well-formed roman numeral of I, V, X, L ("XIV" -> 14), else None."""
    values = [_ROMAN[c] for c in roman]
    total = sum(-v if v < w else v for v, w in zip(values, [*values[1:], 0], strict=True))
    return total if total > 0 and _roman(total) == roman else None


def _regnal_words(match: re.Match[str]) -> str:
    """A name and numeral: "Henry VIII" -> "Henry the Eighth", "World War II" -> "... Two"."""
    name, roman = match["name"], match["roman"]
    value = _roman_value(roman)
    if value is None or name in data.NOT_NAMES or roman == "L":
        return match[0]
    if name in data.REGNAL_NAMES:
        return f"{name} the {num.ordinal(value).capitalize()}"
    if name in data.COUNTED_NAMES or len(roman) > 1:
        return f"{name} {num.cardinal(value).capitalize()}"
    return match[0]


def read_regnal_numbers(text: str) -> str:
    """Roman numerals after names: ordinal for rulers and popes, cardinal otherwise."""
    return _REGNAL.sub(_regnal_words, text)


# --- signs, money, percentages, units -----------------------------------------

_SIGN = re.compile(r"(?<![\w.,])(?<!\d )(?P<s>[-−+])(?=\d)")


def read_signs(text: str) -> str:
    """Signs before a number: "-5" -> "minus 5", "+3" -> "plus 3" (not ranges: "10-12")."""
    return _SIGN.sub(lambda m: "plus " if m["s"] == "+" else "minus ", text)


_CURRENCY = _alternation(data.CURRENCIES)
_SCALE = r"(?:(?P<scale>k|mn?|mln|bn?|tn|trn)|\s(?P<word>thousand|million|billion|trillion))\b"
_MONEY = re.compile(
    rf"(?<![\w$])(?P<cur>{_CURRENCY})\s?(?P<a>{_NUM})"
    rf"(?:\s?[-–]\s?(?:{_CURRENCY})?(?P<b>{_NUM}))?(?:{_SCALE})?"
)
_EURO_AFTER = re.compile(rf"(?<![\w.,])(?P<a>{_NUM})\s?€")


def _cents(match: re.Match[str]) -> str | None:
    """Money with exactly two decimals: "$5.99" -> "five dollars and ninety-nine cents"."""
    whole, _, cents = match["a"].partition(".")
    if len(cents) != 2 or match["cur"] not in data.CENTS or match["b"]:
        return None
    one, many = data.CURRENCIES[match["cur"]]
    cent_one, cent_many = data.CENTS[match["cur"]]
    parts = [] if int(whole.replace(",", "")) == 0 and int(cents) else [whole]
    words = [f"{num.decimal(w)} {one if w == '1' else many}" for w in parts]
    if int(cents):
        words.append(f"{num.cardinal(int(cents))} {cent_one if cents == '01' else cent_many}")
    return " and ".join(words)


def _money_words(match: re.Match[str]) -> str:
    """An amount of money: "$2.5bn" -> "two point five billion dollars", "£1" -> "one pound"."""
    one, many = data.CURRENCIES[match["cur"]]
    scale = match["word"] or data.SCALES.get(match["scale"] or "", "")
    if scale:
        return f"{_amount(match['a'], match['b'])} {scale} {many}"
    cents = _cents(match)
    if cents:
        return cents
    return f"{_amount(match['a'], match['b'])} {one if _is_one(match['a'], match['b']) else many}"


def read_money(text: str) -> str:
    """Currency signs before (or € after) an amount, with scales: "£3m", "US$5", "5€"."""
    text = _MONEY.sub(_money_words, text)
    return _EURO_AFTER.sub(lambda m: f"{m['a']} {'euro' if m['a'] == '1' else 'euros'}", text)


_PERCENT = re.compile(rf"(?<![\d.,])(?P<a>{_NUM})(?:\s?[-–]\s?(?P<b>{_NUM})\s?%?)?\s?%")


def read_percentages(text: str) -> str:
    """Percentages: "3.5%" -> "three point five percent", "5-10%" -> "five to ten percent"."""
    return _PERCENT.sub(lambda m: f"{_amount(m['a'], m['b'])} percent", text)


_ALL_UNITS = {**data.UNITS, **data.SPACED_UNITS, **data.ATTACHED_UNITS}
_UNIT = re.compile(
    rf"(?<![\w.,])(?P<a>{_NUM})(?:\s?[-–]\s?(?P<b>{_NUM}))?(?P<space>\s?)"
    rf"(?P<u>{_alternation(_ALL_UNITS)})(?![\w²³/])"
)


def _unit_words(match: re.Match[str]) -> str:
    """A number and unit: "5 km" -> "five kilometers", "1 lb" -> "one pound"; "5 in" stays."""
    unit, spaced = match["u"], bool(match["space"])
    if (unit in data.SPACED_UNITS and not spaced) or (unit in data.ATTACHED_UNITS and spaced):
        return match[0]
    one, many = _ALL_UNITS[unit]
    return f"{_amount(match['a'], match['b'])} {one if _is_one(match['a'], match['b']) else many}"


def read_units(text: str) -> str:
    """Units after numbers: "120 km/h", "30°C", "55in" (attached "in" only), "2 GW"."""
    return _UNIT.sub(_unit_words, text)


# --- ranges, ordinals, scores, fractions, multipliers ---------------------------

_RANGE = re.compile(
    rf"(?<![\w.,/-])(?P<a>{_NUM})(?:-|\s?[–—]\s?)(?P<b>{_NUM})(?![\w/]|[.,-]\d|[-–]\d)"
)


def _year_like(text: str) -> bool:
    """Whether a numeral reads as a year: four digits from 1100 to 2099."""
    return len(text) == 4 and text.isdigit() and 1100 <= int(text) <= 2099


def _range_words(match: re.Match[str]) -> str:
    """A range: "2010–2015" -> "twenty ten to twenty fifteen", "10-12" -> "ten to twelve"."""
    first, second = match["a"], match["b"]
    if _year_like(first) and len(second) == 2 and second.isdigit():
        second = first[:2] + second if second > first[2:] else second
    if _year_like(first) and _year_like(second):
        return f"{num.year(int(first))} to {num.year(int(second))}"
    return _amount(first, second)


def read_ranges(text: str) -> str:
    """Ranges and scores joined by a dash: "2010–2015", "10-12", "won 2-1"."""
    return _RANGE.sub(_range_words, text)


_ORDINAL = re.compile(r"(?<![\w.,])(?P<n>\d{1,3}(?:,\d{3})+|\d{1,15})(?:st|nd|rd|th)\b")


def read_ordinals(text: str) -> str:
    """Ordinal numerals: "1st" -> "first", "21st" -> "twenty-first", "100th"."""
    return _ORDINAL.sub(lambda m: num.ordinal(int(m["n"].replace(",", ""))), text)


_SCORE = re.compile(r"(?<![\w.,:])(?P<a>\d{1,2}):(?P<b>\d{1,2})(?![\w:]|[.,]\d)")


def read_scores(text: str) -> str:
    """Scores and ratios with a colon that are no clock time: "2:1" -> "two to one"."""
    return _SCORE.sub(lambda m: f"{num.cardinal(int(m['a']))} to {num.cardinal(int(m['b']))}", text)


_VULGAR = re.compile(rf"(?:(?<![\d.,])(?P<whole>\d+)\s?)?(?P<f>[{''.join(data.VULGAR_FRACTIONS)}])")
_SLASH_FRACTION = re.compile(
    r"(?<![\w/.,])(?:(?P<whole>\d+) )?(?P<n>\d{1,2})[/⁄](?P<d>\d{1,3})(?![\w/⁄]|[.,]\d)"
)


def _fraction_words(whole: str | None, numerator: int, denominator: int) -> str:
    """A fraction ("one half"), after a whole number with "a" for one ("three and a half")."""
    words = num.fraction(numerator, denominator)
    if not whole:
        return words
    return f"{num.decimal(whole)} and {words.replace('one ', 'a ', 1) if numerator == 1 else words}"


def _slash_fraction(match: re.Match[str]) -> str:
    """A proper fraction with a slash ("3/4"); other slashed numbers stay."""
    numerator, denominator = int(match["n"]), int(match["d"])
    if not 0 < numerator < denominator:
        return match[0]
    return _fraction_words(match["whole"], numerator, denominator)


def read_fractions(text: str) -> str:
    """Fractions: "½" -> "one half", "3½" -> "three and a half", "1/2", "2/3"."""
    text = _VULGAR.sub(lambda m: _fraction_words(m["whole"], *data.VULGAR_FRACTIONS[m["f"]]), text)
    return _SLASH_FRACTION.sub(_slash_fraction, text)


_DIMENSIONS = re.compile(rf"(?<![\w.,])(?P<a>{_NUM}) ?[x×] ?(?P<b>{_NUM})\b")
_TIMES = re.compile(rf"(?<![\w.,])(?P<a>{_NUM})[x×](?!\w)")


def read_multipliers(text: str) -> str:
    """Multipliers and dimensions: "3x" -> "three times", "4x4" -> "four by four"."""
    text = _DIMENSIONS.sub(lambda m: f"{num.decimal(m['a'])} by {num.decimal(m['b'])}", text)
    return _TIMES.sub(lambda m: f"{num.decimal(m['a'])} times", text)


# --- symbols, remaining numbers, acronyms -------------------------------------

_HASH = re.compile(r"(?<!\w)#(?=(?P<digit>\d)|[^\W\d_])")
_SYMBOL = re.compile(f"[{re.escape(''.join(data.SYMBOLS))}]")


def read_symbols(text: str) -> str:
    """Symbols as words: "#1" -> "number 1", "#tag" -> "hashtag tag", "&" -> "and", "@"."""
    text = _HASH.sub(lambda m: "number " if m["digit"] else "hashtag ", text)
    return _SYMBOL.sub(lambda m: data.SYMBOLS[m[0]], text)


_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])-?(?=\d)|(?<=\d)(?=[^\W\d_])")


def split_letters_and_digits(text: str) -> str:
    """Letters and digits apart: "G7" -> "G 7", "COVID-19" -> "COVID 19", "4G" -> "4 G"."""
    return _LETTER_DIGIT.sub(" ", text)


_DOTTED_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+){2,}(?![\w]|\.\d)")


def read_dotted_numbers(text: str) -> str:
    """Numbers with several dots, like versions: "3.11.7" -> "three point eleven point seven"."""
    return _DOTTED_NUMBER.sub(lambda m: " point ".join(map(num.decimal, m[0].split("."))), text)


_NUMBER = re.compile(rf"(?<!\d)(?:{_NUM})")


def _number_words(match: re.Match[str]) -> str:
    """A numeral: cardinal, decimal, year (1100-2099 without comma) or digits ("007")."""
    text = match[0]
    if _year_like(text):
        return num.year(int(text))
    if text.startswith("0") and len(text) > 1 and text[1].isdigit():
        return num.digits(text)
    return num.decimal(text)


def read_numbers(text: str) -> str:
    """Every numeral still in digits: "7,000" -> "seven thousand", "in 1850" -> "eighteen fifty"."""
    return _NUMBER.sub(_number_words, text)


_ACRONYM = re.compile(r"\b(?P<w>[A-Z]{2,})(?P<s>['’]?s)?\b")
_CAPITALS_RUN = re.compile(r"\b[A-Z]{2,}(?:[ ,:;'’-]+[A-Z]{2,}\b)+")
_VOWELS = frozenset("AEIOUY")
_KNOWN_ACRONYMS = data.WORD_ACRONYMS | frozenset(data.SPECIAL_ACRONYMS)


def _unshout(match: re.Match[str]) -> str:
    """A run of capital words with a long unknown one is shouting: lower all but acronyms."""
    words = re.findall(r"[A-Z]+", match[0])
    if not any(len(w) >= 5 and w not in _KNOWN_ACRONYMS for w in words):
        return match[0]
    return re.sub(r"[A-Z]+", lambda w: w[0] if w[0] in _KNOWN_ACRONYMS else w[0].lower(), match[0])


def _acronym_words(match: re.Match[str]) -> str:
    """One acronym: listed reading, a word ("Nato"), or spelled ("F B I", "C E O's")."""
    word, suffix = match["w"], match["s"] or ""
    if word in data.SPECIAL_ACRONYMS:
        return data.SPECIAL_ACRONYMS[word] + suffix
    if word in data.WORD_ACRONYMS or (len(word) >= 6 and _VOWELS.intersection(word)):
        return word.capitalize() + suffix
    return " ".join(word) + ("'s" if suffix else "")


def read_acronyms(text: str) -> str:
    """Capital-letter acronyms: "FBI" -> "F B I", "NATO" -> "Nato", "CEOs" -> "C E O's".

    Runs of capitalized words that look like shouting ("BREAKING NEWS") are lowered first.
    """
    return _ACRONYM.sub(_acronym_words, _CAPITALS_RUN.sub(_unshout, text))


STEPS: tuple[Step, ...] = (
    collapse_whitespace,
    read_emails,
    read_urls,
    read_slash_words,
    read_times,
    expand_initialisms,
    expand_abbreviations,
    expand_titles,
    expand_number_sign,
    expand_month_abbreviations,
    read_dates,
    read_decades,
    read_regnal_numbers,
    read_signs,
    read_money,
    read_percentages,
    read_units,
    read_ranges,
    read_ordinals,
    read_scores,
    read_fractions,
    read_multipliers,
    read_symbols,
    split_letters_and_digits,
    read_dotted_numbers,
    read_numbers,
    read_acronyms,
    tidy_punctuation_spacing,
)
"""The steps in the order they run (see the module docstring for why)."""
