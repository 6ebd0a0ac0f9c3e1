"""Normalization steps for German: written text in, text a German reader would say out.

The steps run on one sentence at a time, in the order of :data:`STEPS`. The
order matters because each step reads what the earlier ones left:

1. **characters**: invisible characters and emoji go, odd minus signs and
   hyphens become ``-``, subscript digits plain digits, arrows a pause; a
   dateline's agency tag goes (``Berlin (dpa) –``); odd names are read
   (``ver.di`` -> ``Verdi``, ``Frankfurt/Oder`` -> ``Frankfurt an der Oder``).
2. **web addresses** before anything reads their dots: a URL or domain is read
   as its host (``tagesschau punkt de``), an e-mail address with ``ät``.
3. **gender forms** (``Bürger*innen`` -> ``Bürgerinnen``) before ``:`` and ``*``
   are read as times or symbols.
4. **abbreviations** before numbers (``Art. 1`` -> ``Artikel 1``, ``3 Mio.`` ->
   ``3 Millionen``), so numbers see the words that decide how they are read.
5. **Roman numerals** after names (``Friedrich II.`` -> ``Friedrich der Zweite``).
6. **phone numbers**, digit by digit, before any other number step sees them;
   then digit groups split by spaces are joined (``7 000`` -> ``7.000``).
7. **dates**: numeric dates become ``12. Juli 2023`` so the ordinal step reads
   their day; then **ordinals** (``am 3. Mai`` -> ``am dritten Mai``).
8. **times** (``14:30 Uhr``), **scores** (``2:1``), **ranges** (``10–12`` ->
   ``10 bis 12``).
9. **amounts with a unit**: currency, units and percent, compounds
   (``3-mal``, ``20er-Jahre``), then letters are split from digits (``CO2``).
10. **acronyms** (``EU`` -> ``E U``, ``NATO`` -> ``Nato``), then leftover
    **symbols** (``&`` -> ``und``).
11. **numbers** last: whatever digits remain are read as cardinals (years
    1100-1999 in hundreds); then whitespace is tidied.

Ordinal endings follow the word before the number (see
:data:`~narrate.speech.normalize.de_data.ENDINGS`): ``am``/``im``/``zum``/``dem``/
``den``/``des``/``einem``... give ``-en``; ``der``/``die``/``das``/``eine`` give
``-e`` (``der`` after a preposition or noun is dative/genitive: ``-en``);
``ein`` gives ``-er`` (``-es`` before a neuter noun). With no such word a date's
day is nominative (``Montag, 3. Mai`` -> ``dritter Mai``) and another ordinal
takes the ending of the noun's guessed gender (``2. Bundesliga`` -> ``zweite``).
"""

from __future__ import annotations

import re

from narrate.speech.normalize import de_data as data
from narrate.speech.normalize import numbers_de as num
from narrate.speech.normalize.common import (
    EMAIL,
    URL,
    Step,
    alternation,
    at_end,
    next_word,
    previous_words,
    spoken_host,
    tidy_punctuation_spacing,
)

__all__ = [
    "STEPS",
    "clean_characters",
    "drop_agency_tags",
    "read_place_names",
    "read_web_addresses",
    "join_gender_forms",
    "expand_abbreviations",
    "expand_number_abbreviations",
    "expand_name_abbreviations",
    "read_law_citations",
    "read_roman_numerals",
    "read_phone_numbers",
    "join_digit_groups",
    "read_numeric_dates",
    "read_ordinals",
    "read_times",
    "read_scores",
    "read_ranges",
    "read_currency",
    "read_units",
    "read_number_compounds",
    "split_letters_and_digits",
    "read_acronyms",
    "read_symbols",
    "read_numbers",
]

_Match = re.Match[str]
_AMOUNT = r"[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?(?![0-9])|[0-9]+(?:,[0-9]+)?"
"""A number as written in German: ``7``, ``7.000``, ``3,5``, ``1.234,56``."""
_MAGNITUDE = r"\s(?:Millionen|Million|Milliarden|Milliarde|Billionen|Billion|Tausend)"
_SIGNS = {"-": "minus ", "+": "plus ", "±": "plus minus ", "": ""}
_PUNKT = "punkt"


def _final_period(match: _Match) -> str:
    """``"."`` when ``match`` ends its sentence (a final abbreviation keeps the period)."""
    return "." if at_end(match.string, match.end()) else ""


def _adjective_noun_ending(noun: str) -> str | None:
    """The ending of a noun made from an adjective (``Toten`` -> ``en``), else ``None``."""
    for stem in data.ADJECTIVE_NOUNS:
        if noun.startswith(stem) and noun[len(stem) :] in ("e", "er", "en"):
            return noun[len(stem) :]
    return None


def _one(noun: str, preposition: str = "") -> str:
    """The word for a counted 1 before ``noun``, after ``preposition`` (lower case) if any.

    ``ein``/``eine`` by the noun's gender; ``einem``/``einer`` after a dative
    preposition (``nach einer Stunde``), ``einen`` after an accusative one
    (``für einen Monat``); nouns from adjectives show their case (``einen Toten``).
    """
    dative = preposition in data.ONE_DATIVE_WORDS
    ending = _adjective_noun_ending(noun)
    if ending is not None:
        return {"er": "ein", "e": "eine"}.get(ending, "einem" if dative else "einen")
    gender = data.gender(noun)
    if dative:
        return "einer" if gender == "f" else "einem"
    if gender == "m" and preposition in data.ONE_ACCUSATIVE_WORDS:
        return "einen"
    return "eine" if gender == "f" else "ein"


def _quantity(amount: str, magnitude: str) -> str:
    """``amount`` (written) with a magnitude word: ``1 Million`` -> ``eine Million``."""
    if not magnitude.strip():
        return num.written(amount)
    singular, plural = data.MAGNITUDE_FORMS[magnitude.strip()]
    if singular == "Tausend":
        return num.written(amount, "ein") + ("tausend" if "," not in amount else " Tausend")
    if amount == "1":
        return "eine " + singular
    return num.written(amount) + " " + plural


# 1. characters -----------------------------------------------------------------------------

_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufe0e\ufe0f\ufeff]")
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b50\u2b55]\\s?")
_ARROWS = re.compile(r"(\w?)\s*(?:-+>|=+>|[→⇒➔➜])\s*")
_CHARACTERS = str.maketrans(
    {
        "\u2212": "-",
        "\u2010": "-",
        "\u2011": "-",
        "\u2044": "/",
        **{chr(0x2080 + digit): str(digit) for digit in range(10)},
    }
)


def clean_characters(text: str) -> str:
    """Drop invisible characters and emoji; unify minus signs, hyphens and subscripts.

    An arrow (``->``, ``→``) after a word is a pause (``steigen, Kunden``); elsewhere it goes.
    """
    text = _EMOJI.sub("", _INVISIBLE.sub("", text)).translate(_CHARACTERS)
    return _ARROWS.sub(lambda match: f"{match[1]}, " if match[1] else " ", text)


_AGENCY = alternation(data.AGENCIES)
_DATELINE = re.compile(
    rf"^([A-ZÄÖÜ][^()–—]{{0,40}}?)\s?\({_AGENCY}(?:\s?[/,]\s?{_AGENCY})*\)(?=\s?[–—-]\s)"
)


def drop_agency_tags(text: str) -> str:
    """A dateline's agency tag is not read: ``Berlin (dpa) – Der ...`` -> ``Berlin – Der ...``."""
    return _DATELINE.sub(r"\1", text)


_WRITTEN_NAME = re.compile(r"(?<![\w.])" + alternation(data.WRITTEN_NAMES) + r"(?![\w])")
_RIVER = re.compile(r"(?<![\w/-])([A-ZÄÖÜ][a-zäöüß]+)/" + alternation(data.RIVERS) + r"(?![\w-])")


def _town_on_river(match: _Match) -> str:
    """``Halle/Saale`` -> ``Halle an der Saale``; ``Rhein/Ruhr`` (two rivers) stays."""
    town, river = match.group().split("/")
    if town in data.RIVERS:
        return match.group()
    return f"{town} {data.RIVERS[river]}"


def read_place_names(text: str) -> str:
    """Names written oddly: ``ver.di`` -> ``Verdi``, ``Frankfurt/Oder`` -> ``… an der Oder``."""
    text = _WRITTEN_NAME.sub(lambda match: data.WRITTEN_NAMES[match.group()], text)
    return _RIVER.sub(_town_on_river, text)


# 2. web addresses --------------------------------------------------------------------------

_DOMAIN = re.compile(
    r"(?<![\w@./-])(?:[A-Za-z0-9][\w-]*\.)+"
    + alternation(data.TOP_LEVEL_DOMAINS)
    + r"(?![\w-])(?:/[^\s\"“”„«»]*)?"
)
_TRAILING = ".,;:!?)]}'\"’”"


def _read_address(match: _Match) -> str:
    address = match.group()
    kept = address.rstrip(_TRAILING)
    return spoken_host(kept, _PUNKT) + address[len(kept) :]


def _read_email(match: _Match) -> str:
    local, _, host = match.group().partition("@")
    return local.replace(".", f" {_PUNKT} ") + " ät " + spoken_host(host, _PUNKT)


def read_web_addresses(text: str) -> str:
    """URLs and domains become their host (``tagesschau punkt de``); e-mails use ``ät``."""
    text = URL.sub(_read_address, text)
    text = EMAIL.sub(_read_email, text)
    return _DOMAIN.sub(_read_address, text)


# 3. gender forms ---------------------------------------------------------------------------

_GENDER_MARK = re.compile(r"(?<=[a-zäöüß])(?:[*:_]|/-?)(?=(?:in|innen|r|e|n)\b)")
_BINNEN_I = re.compile(r"(?<=[a-zäöüß])I(?=nnen\b)|(?<=[a-zäöüß]er)I(?=n\b)")


def join_gender_forms(text: str) -> str:
    """Gender star, colon, underscore and capital I: ``Bürger*innen`` -> ``Bürgerinnen``."""
    return _BINNEN_I.sub("i", _GENDER_MARK.sub("", text))


# 4. abbreviations --------------------------------------------------------------------------


def _flexible(key: str) -> str:
    """A regex for abbreviation ``key`` with optional inner spaces (``z. B.`` = ``z.B.``)."""
    parts = [re.escape(part) for part in key.removesuffix(".").split(". ")]
    first = parts[0]
    if first[:1].islower():
        parts[0] = f"[{first[0]}{first[0].upper()}]{first[1:]}"
    return r"\.\s?".join(parts) + r"\."


def _abbreviation_pattern(keys: list[str], after: str = "") -> re.Pattern[str]:
    alternatives = sorted((_flexible(key) for key in keys), key=len, reverse=True)
    return re.compile(r"(?<![\w.])(?:" + "|".join(alternatives) + ")" + after)


def _spaceless(table: dict[str, str]) -> dict[str, str]:
    return {key.replace(" ", ""): value for key, value in table.items()}


def _lookup(table: dict[str, str], written: str) -> str:
    """The expansion of ``written`` in a :func:`_spaceless` table; capitalized if it was."""
    key = re.sub(r"\s", "", written)
    if key in table:
        return table[key]
    expansion = table.get(key[:1].lower() + key[1:], written)
    return expansion[:1].upper() + expansion[1:]


_ABBREVIATIONS = _abbreviation_pattern(list(data.ABBREVIATIONS), r"(?!\w)")
_ABBREVIATION_TABLE = _spaceless(data.ABBREVIATIONS)
_AFTER_ONE = re.compile(r"(?:^|\s)(?:1|eine?)\s*$")


_PLURAL_LOOKING = re.compile(r"[^\W\d_]*(?:[^i]n|[^nv]en|[lr]n)")


def _adjective_ending(match: _Match) -> str:
    """The ending of an adjective (``sogenannt``) after the word before it; ``e`` by default.

    After ``die`` a noun that looks plural (``Regeln``) calls for ``en``.
    """
    words = previous_words(match.string, match.start(), 2)
    noun = next_word(match.string, match.end())
    ending = _ending_after(words, noun)
    if ending == "e" and words[-1:] != ["der"] and _PLURAL_LOOKING.fullmatch(noun):
        return "en"
    return ending or "e"


def _expand(match: _Match) -> str:
    expansion = _lookup(_ABBREVIATION_TABLE, match.group())
    if expansion in data.MAGNITUDES and _AFTER_ONE.search(match.string[: match.start()]):
        expansion = data.MAGNITUDES[expansion]
    elif expansion.lower() in data.ADJECTIVE_ABBREVIATIONS:
        expansion += _adjective_ending(match)
    return expansion + _final_period(match)


_BARE_ABBREVIATIONS = re.compile(
    r"(?<![\w.])" + alternation(data.BARE_ABBREVIATIONS) + r"(?![\w])\.?"
)
_AFTER_NUMBER = re.compile(
    r"(?<=[0-9] )"
    + alternation(data.AFTER_NUMBER_ABBREVIATIONS)
    + r"(?:(?<=\.)|(?![\w.]))(?!\s?[0-9])"
)


def _expand_bare(match: _Match) -> str:
    """``Hbf`` -> ``Hauptbahnhof``; a period after it is kept only at the sentence's end."""
    written = match.group()
    return data.BARE_ABBREVIATIONS[written.rstrip(".")] + (
        _final_period(match) if written.endswith(".") else ""
    )


def _expand_after_number(match: _Match) -> str:
    """``30 J.`` -> ``30 Jahre``, ``1 J.`` -> ``1 Jahr``, ``7 Mio`` -> ``7 Millionen``."""
    expansion = data.AFTER_NUMBER_ABBREVIATIONS[match.group()]
    if _AFTER_ONE.search(match.string[: match.start()]):
        expansion = data.MAGNITUDES.get(expansion, expansion)
    return expansion + (_final_period(match) if match.group().endswith(".") else "")


def expand_abbreviations(text: str) -> str:
    """Abbreviations from the tables: ``z. B.`` -> ``zum Beispiel``, ``1 Mio.`` -> ``1 Million``.

    A sentence-final abbreviation keeps the sentence's period; ``sog.``,
    ``ehem.`` and ``o. g.`` get the ending the word before them calls for. Some
    go without a period (``Köln Hbf``), some only after a number (``30 J.``).
    """
    text = _ABBREVIATIONS.sub(_expand, text)
    text = _AFTER_NUMBER.sub(_expand_after_number, text)
    return _BARE_ABBREVIATIONS.sub(_expand_bare, text)


def _ending_after(words: list[str], noun: str) -> str | None:
    """The ending an ordinal or adjective takes after ``words`` (the last words before it).

    ``None`` when the word before calls for none (no determiner).
    """
    word = words[-1].lower() if words else ""
    ending = data.ENDINGS.get(word)
    if word == "der" and len(words) > 1 and _takes_oblique_der(words[:-1]):
        return "en"
    if ending == "er" and data.gender(noun) == "n":
        return "es"
    return ending


def _takes_oblique_der(words: list[str]) -> bool:
    """Whether ``der`` after ``words`` is dative or genitive (``in der``, ``Folgen der``)."""
    word = words[-1]
    noun_before = len(words) > 1 and word.isalpha() and word[:1].isupper()
    return word.lower() in data.DATIVE_PREPOSITIONS or noun_before


_NUMBER_ABBREVIATIONS = _abbreviation_pattern(list(data.NUMBER_ABBREVIATIONS), r"(?=\s?[0-9])")
_NUMBER_ABBREVIATION_TABLE = _spaceless(data.NUMBER_ABBREVIATIONS)
_FOLLOWING = re.compile(r"(?<=[0-9] )ff?\.")
_AFTER_ABSATZ = re.compile(r"(?:Abs\.|Absatz)\s?[0-9]+[a-z]?\s$")


def _expand_before_number(match: _Match) -> str:
    if match.group() == "S." and _AFTER_ABSATZ.search(match.string[: match.start()]):
        return "Satz"
    return _lookup(_NUMBER_ABBREVIATION_TABLE, match.group())


def expand_number_abbreviations(text: str) -> str:
    """Abbreviations that are words too, only before a number: ``Art. 1`` -> ``Artikel 1``.

    ``S.`` is ``Seite``, but ``Satz`` after ``Abs. 2``; ``5 f.``/``5 ff.`` is ``folgende``.
    """
    text = _NUMBER_ABBREVIATIONS.sub(_expand_before_number, text)
    return _FOLLOWING.sub(lambda match: "folgende" + _final_period(match), text)


_DAY = r"(Mo|Di|Mi|Do|Fr|Sa|So)"
_WEEKDAYS = re.compile(
    rf"(?<![\w.]){_DAY}(?:\.(?=,?\s?[0-9])|(?=,?\s?[0-9]{{1,2}}\.(?:[0-9]{{1,2}}\.|\s[A-ZÄÖÜ])))"
)
_WEEKDAY_AFTER = re.compile(rf"(\b(?:ab|am|bis|vom|seit|jeden|nächsten) ){_DAY}\.")
_WEEKDAY_RANGE = re.compile(rf"(?<![\w.]){_DAY}\.?\s?([–/-]|bis)\s?{_DAY}(\.?)(?![\w])")


def _weekday(abbreviation: str) -> str:
    return data.WEEKDAY_ABBREVIATIONS[abbreviation + "."]


def _read_weekday_range(match: _Match) -> str:
    """``Mo.–Fr.`` -> ``Montag bis Freitag``; ``Sa./So.`` -> ``Samstag und Sonntag``."""
    first, link, last, period = match.groups()
    word = "und" if link == "/" else "bis"
    return f"{_weekday(first)} {word} {_weekday(last)}" + (_final_period(match) if period else "")


_NAME_ABBREVIATIONS = _abbreviation_pattern(list(data.NAME_ABBREVIATIONS), r"(?=\s?[A-ZÄÖÜ])")
_STREET = re.compile(r"(?<=[a-zäöüß])(str|pl)\.")


_STREET_WORDS = {"str": "straße", "pl": "platz"}


def expand_name_abbreviations(text: str) -> str:
    """``Fr., 3. Mai`` -> ``Freitag``; ``St. Pauli`` -> ``Sankt``; ``Hauptstr.`` -> ``-straße``.

    ``Goethepl.`` is ``Goetheplatz``.

    Weekdays are read before a date (``Mo, 3.6.`` too), in ranges (``Mo.–Fr.``)
    and after ``ab``, ``am``... (``ab Do. im Kino``).
    """
    text = _WEEKDAY_RANGE.sub(_read_weekday_range, text)
    text = _WEEKDAYS.sub(lambda match: _weekday(match[1]), text)
    text = _WEEKDAY_AFTER.sub(lambda m: m[1] + _weekday(m[2]) + _final_period(m), text)
    text = _NAME_ABBREVIATIONS.sub(lambda m: data.NAME_ABBREVIATIONS[m.group()], text)
    return _STREET.sub(lambda m: _STREET_WORDS[m[1]] + _final_period(m), text)


_LAW_CODES = re.compile(r"(?<![\w-])" + alternation(data.LAW_CODES) + r"(?!\w)")
_PARAGRAPHS = re.compile(r"§§\s?|§\s?(?=[0-9])")


def _law_code(match: _Match) -> str:
    name, genitive = data.LAW_CODES[match.group()]
    before = previous_words(match.string, match.start())
    return genitive if before and before[0].lower() == "des" else name


_CASE_NUMBER = re.compile(r"(Aktenzeichen:?\s(?:[^\s/]+\s){0,3}[0-9]+)\s?/\s?(?=[0-9]{2,4}\b)")


def read_law_citations(text: str) -> str:
    """``§ 5`` -> ``Paragraf 5``, ``§§`` -> ``Paragrafen``, ``GG`` -> ``Grundgesetz``.

    Also courts (``BVerfG``) and the slash of a case number
    (``Aktenzeichen 3 StR 123/22`` -> ``123 Strich 22``).
    """
    text = _CASE_NUMBER.sub(r"\1 Strich ", text)
    text = _LAW_CODES.sub(_law_code, text)
    return _PARAGRAPHS.sub(lambda m: "Paragrafen " if m.group()[:2] == "§§" else "Paragraf ", text)


# 5. Roman numerals -------------------------------------------------------------------------

_ROMAN = re.compile(r"(?<![\w-])([A-ZÄÖÜ][a-zäöüß]+) ([IVX]{1,7})(\.?)(?![\w-])")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}
_ROMAN_PARTS = ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def _roman_value(numeral: str) -> int | None:
    """The value of a well-formed Roman numeral up to 89, else ``None``."""
    values = [_ROMAN_VALUES[char] for char in numeral]
    total = sum(-v if v < w else v for v, w in zip(values, values[1:] + [0], strict=True))
    return total if total > 0 and _roman(total) == numeral else None


def _roman(number: int) -> str:
    parts = []
    for value, letters in _ROMAN_PARTS:
        count, number = divmod(number, value)
        parts.append(letters * count)
    return "".join(parts)


def _regnal_article(text: str, start: int, female: bool = False) -> str:
    """``der``, or ``dem``/``den`` when the name at ``start`` follows ``von``/``für``...

    For a queen: ``die``, ``der`` (dative). A title between the preposition and
    the name is skipped (``von König Karl``).
    """
    words = previous_words(text, start, 2)
    if words and words[-1] in data.REGNAL_TITLES:
        words = words[:-1]
    word = words[-1].lower() if words else ""
    if word in data.DATIVE_PREPOSITIONS or word in ("dem", "der"):
        return "der" if female else "dem"
    if female:
        return "die"
    return "den" if word in data.ACCUSATIVE_PREPOSITIONS else "der"


def _read_roman(match: _Match) -> str:
    name, numeral, period = match.groups()
    value = _roman_value(numeral)
    if value is None:
        return match.group()
    if name in data.ROMAN_LABELS:
        return f"{name} {num.cardinal(value)}{period}"
    if (len(numeral) == 1 or not period) and name not in data.REGNAL_NAMES:
        return match.group()  # "Thomas V." is an initial, "Karl V." a king
    article = _regnal_article(match.string, match.start(), name in data.FEMALE_REGNAL_NAMES)
    nominative = article == "die" or (article == "der" and name not in data.FEMALE_REGNAL_NAMES)
    spoken = num.ordinal(value, "e" if nominative else "en").capitalize()
    return f"{name} {article} {spoken}{_final_period(match) if period else ''}"


def read_roman_numerals(text: str) -> str:
    """``Friedrich II.`` -> ``Friedrich der Zweite`` (``dem Zweiten`` after ``von``...).

    After labels (``Teil II``, ``Hartz IV``) a Roman numeral is a plain number.
    Without its period, or as one letter (``Thomas V.`` may be an initial), it is
    regnal only after well-known names (``Elizabeth II``, ``Karl V.``).
    """
    return _ROMAN.sub(_read_roman, text)


# 6. phone numbers --------------------------------------------------------------------------

_PHONE = re.compile(
    r"(?<!\w)(" + alternation(data.PHONE_WORDS) + r")(\.?:?\s?)(\+?[0-9][0-9 /()-]{4,}[0-9])"
)


def _spoken_phone(number: str) -> str:
    """``030/123 45`` -> ``null drei null, eins zwei drei, vier fünf``."""
    spoken = ", ".join(num.digits(group) for group in re.findall("[0-9]+", number))
    return "plus " + spoken if number.lstrip("(").startswith("+") else spoken


def _read_phone(match: _Match) -> str:
    word, gap, number = match.groups()
    return f"{word}{gap}{_spoken_phone(number)}"


_BARE_PHONE = re.compile(
    r"(?<![\w.,:+/-])\(?(?:\+[1-9][0-9]{0,2}|0[1-9][0-9]{1,4})\)?(?:(?:\s|\s?[/-]\s?)[0-9]+)+"
    r"(?![\w.,:/-]?[0-9])"
)
_POSTCODE = re.compile(r"(?<![\w.,])(?:(D-)|(?<=D-))?([0-9]{5})(?=\s[A-ZÄÖÜ][a-zäöüß])")


def _read_bare_phone(match: _Match) -> str:
    """``0800 1234567`` (a leading 0 or +, six digits and more) digit by digit."""
    if sum(char.isdigit() for char in match.group()) < 6:
        return match.group()
    return _spoken_phone(match.group())


def _read_postcode(match: _Match) -> str:
    """``in 50667 Köln``: a postcode before a town is read digit by digit."""
    before = previous_words(match.string, match.start())
    text_before = match.string[: match.start()].rstrip()
    at_start = not text_before or text_before[-1] in ",("
    known = bool(before) and before[0].rstrip(":") in data.POSTCODE_WORDS
    if not (match[1] or at_start or known) or match[2].endswith("00"):
        return match.group()
    return num.digits(match[2])


def read_phone_numbers(text: str) -> str:
    """After ``Telefon``/``Tel.``/``Fax``... a number is read digit by digit, group by group.

    So are numbers that look like phone numbers on their own (``0800 1234567``,
    ``+49 30 1234``) and postcodes before a town (``in 50667 Köln``).
    """
    text = _PHONE.sub(_read_phone, text)
    text = _BARE_PHONE.sub(_read_bare_phone, text)
    return _POSTCODE.sub(_read_postcode, text)


_DIGIT_GROUPS = re.compile(
    r"(?<![0-9.,])[0-9]{1,3}(?:[ \u00a0\u2007\u2009\u202f][0-9]{3})+(?![0-9]|,[0-9])"
)


def join_digit_groups(text: str) -> str:
    """Digit groups split by a (thin, no-break) space are one number: ``7 000`` -> ``7.000``."""
    return _DIGIT_GROUPS.sub(lambda match: re.sub(r"\s", ".", match.group()), text)


# 7. dates and ordinals ---------------------------------------------------------------------

_NUMERIC_DATE = re.compile(
    r"(?<![\w.,])([0-9]{1,2})\.([0-9]{1,2})\.(?:([0-9]{4}|[0-9]{2})(?![0-9.,]?[0-9])|(?![0-9]))"
)
_ISO_DATE = re.compile(r"(?<![\w.,-])([0-9]{4})-([0-9]{2})-([0-9]{2})(?![\w-])")
_SHORT_MONTH = re.compile(
    r"(?<=[0-9]\.\s)(" + alternation(k for k in data.MONTH_NUMBERS if len(k) <= 4) + r")\.",
    re.IGNORECASE,
)


def _date(day: str, month: str, year: str | None) -> str | None:
    """``12. Juli 2023`` for a valid day and month, else ``None``."""
    if not (1 <= int(day) <= 31 and 1 <= int(month) <= 12):
        return None
    name = data.MONTHS[int(month) - 1]
    return f"{int(day)}. {name}" + (f" {year}" if year else "")


def _read_numeric_date(match: _Match) -> str:
    day, month, year = match.groups()
    spoken = _date(day, month, year)
    if spoken is None:
        return match.group()
    return spoken + ("." if year is None and at_end(match.string, match.end()) else "")


def read_numeric_dates(text: str) -> str:
    """``12.07.2023`` -> ``12. Juli 2023``, ``03.10.`` -> ``3. Oktober``, ``3. Jan.`` -> Januar.

    ISO dates (``2023-07-12``) too. The day stays a number for :func:`read_ordinals`.
    """
    text = _ISO_DATE.sub(lambda m: _date(m[3], m[2], m[1]) or m.group(), text)
    text = _NUMERIC_DATE.sub(_read_numeric_date, text)
    return _SHORT_MONTH.sub(
        lambda m: data.MONTHS[data.MONTH_NUMBERS[m[1].lower()] - 1] + _final_period(m), text
    )


_ORDINAL = r"[0-9]{1,4}\.(?![0-9])"
_LINK = r"(?:\s?[–/-]\s?|,\s?|\s(?:und|oder|bis|sowie|beziehungsweise)\s)"
_ORDINALS = re.compile(rf"(?<![\w.,:/–-]){_ORDINAL}(?:{_LINK}{_ORDINAL})*(?=\s?[„\"»«(]?[^\W\d_])")
_ORDINAL_NUMBER = re.compile(r"([0-9]{1,4})\.")
_DASH_OR_SLASH = re.compile(r"\s?([–/-])\s?")


def _after_dated_weekday(words: list[str]) -> bool:
    """Whether ``words`` end in ``am Sonntag,``: the date that follows is dative too."""
    return (
        len(words) >= 2
        and words[-1].endswith(",")
        and words[-1][:-1] in data.WEEKDAY_ABBREVIATIONS.values()
        and data.ENDINGS.get(words[-2].lower()) == "en"
    )


def _ordinal_ending(match: _Match) -> str | None:
    """The ending of the ordinals in ``match``, or ``None`` if they are not ordinals."""
    noun = next_word(match.string, match.end())
    words = previous_words(match.string, match.start(), 3)
    if _after_dated_weekday(words):
        return "en"
    ending = _ending_after(words, noun)
    if ending is not None:
        return ending
    if re.match("[0-9]{4}", match.group()):
        return None  # "1998. Dann" is a year; "zum 1000. Mal" has its determiner
    if noun.lower() in data.MONTH_NUMBERS:
        return "er"
    if noun[:1].isupper() and noun[:1].isalpha():
        return {"f": "e", "n": "es"}.get(data.gender(noun), "er")
    return None


def _read_ordinal_chain(match: _Match) -> str:
    ending = _ordinal_ending(match)
    if ending is None:
        return match.group()
    spoken = _ORDINAL_NUMBER.sub(lambda m: num.ordinal(int(m[1]), ending), match.group())
    return _DASH_OR_SLASH.sub(lambda m: " und " if m[1] == "/" else " bis ", spoken)


_ENUMERATION = re.compile(
    r"^([0-9]{1,2})[.)]\s(?=[„\"»]?" + alternation(data.ENUMERATION_STARTS) + r"\b)"
)
_BRACKETED = re.compile(r"(?:(?<=[(,])|(?<=, ))([0-9]{1,3})\.(?=\))")
_FINAL_PLACE = re.compile(r"(?<=\s)([0-9]{1,2})\.(?=[\"“”»«’)]*\s*$)")


def _read_enumeration(match: _Match) -> str:
    """``1. Die Steuern sinken.`` (a list item) -> ``Erstens: Die Steuern sinken.``."""
    return num.ordinal_stem(int(match[1])).capitalize() + "ens: "


def _read_bracketed(match: _Match) -> str:
    """``Kane (23.)`` in a match report is a minute; ``Leverkusen (2.)`` a placing."""
    number = int(match[1])
    words = {word.strip(":,;()") for word in match.string.split()}
    if re.search("[0-9]:[0-9]", match.string) or words & data.MATCH_WORDS:
        return num.ordinal(number) + " Minute"
    return num.ordinal(number, "er").capitalize()


_FINAL_ORDINAL_AFTER = frozenset("am im zum vom beim zur dem den der die das des".split())
"""Words that make a sentence-final ``3.`` an ordinal (``Er kam am 3.``); not ``ab``,
``bis`` or ``eine``, after which it is a count, an age or a grade (``Kinder ab 3.``)."""


def _read_final_place(match: _Match) -> str:
    """``Er wurde 2.`` -> ``Er wurde Zweiter.``; ``Sie wurde 3.`` -> ``… Dritte.``;
    ``Er kam am 3.`` -> ``… am dritten.``."""
    number = int(match[1])
    words = match.string[: match.start()].split()
    if words and words[-1].lower() in _FINAL_ORDINAL_AFTER:
        return num.ordinal(number, data.ENDINGS[words[-1].lower()]) + "."
    if number > 10 or not set(words[-5:]) & data.PLACE_VERBS or words[-1] in data.LABEL_WORDS:
        return match.group()
    female = words[0] == "Sie" and data.PLACE_VERBS & set(words) <= {
        "wurde",
        "wird",
        "blieb",
        "bleibt",
    }
    return num.ordinal(number, "e" if female else "er").capitalize() + "."


def read_ordinals(text: str) -> str:
    """``am 3. Mai`` -> ``am dritten Mai``, ``der 2. Weltkrieg`` -> ``der zweite Weltkrieg``.

    A number of 1-3 digits with a period is an ordinal when a determiner or
    preposition comes before it, a month after it, or a capitalized noun after
    it; chains (``vom 3. bis 5. Mai``, ``3./4. Mai``) share one ending. A list
    item at the start (``1. Die ...``) is ``Erstens:``, ``(23.)`` in a match
    report a minute, a final ``wurde 2.`` a placing (``Zweiter``).
    """
    text = _ENUMERATION.sub(_read_enumeration, text)
    text = _BRACKETED.sub(_read_bracketed, text)
    text = _FINAL_PLACE.sub(_read_final_place, text)
    return _ORDINALS.sub(_read_ordinal_chain, text)


# 8. times, scores, ranges ------------------------------------------------------------------

_CLOCK = r"([0-9]{1,2})(?:[:.]([0-9]{2}))?"
_TIMES = re.compile(rf"(?<![\w.,:]){_CLOCK}(?:\s?(?:[–-]|bis)\s?{_CLOCK})?\s?(Uhr\b|h\b)(?!-)")
_BARE_TIME = re.compile(r"(?<![\w.,:])([0-9]{1,2}):([0-9]{2})(?![0-9]|:[0-9])")
_DURATION = re.compile(r"(?<![\w.,:])([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?![0-9]|:[0-9])")


def _clock(hour: str, minute: str | None, with_uhr: bool = True) -> str | None:
    """``vierzehn Uhr dreißig`` (``None`` for an impossible time)."""
    if int(hour) > 24 or (minute is not None and int(minute) > 59):
        return None
    if not with_uhr:
        return num.cardinal(int(hour))
    spoken = num.cardinal(int(hour), "ein") + " Uhr"
    return spoken + (" " + num.cardinal(int(minute)) if minute and int(minute) else "")


def _read_time(match: _Match) -> str:
    hour, minute, to_hour, to_minute, unit = match.groups()
    if unit == "h" and (to_minute if to_hour else minute) is None:
        return match.group()  # "5 h" is a duration: read_units says "fünf Stunden"
    if to_hour is None:
        return _clock(hour, minute) or match.group()
    start, end = _clock(hour, minute, minute is not None), _clock(to_hour, to_minute)
    return f"{start} bis {end}" if start and end else match.group()


def _read_bare_time(match: _Match) -> str:
    """``um 14:30`` is a time; ``20:00`` too; other ``A:B`` are left for :func:`read_scores`."""
    before = previous_words(match.string, match.start())
    if (before and before[0].lower() in data.TIME_PREPOSITIONS) or match[2] == "00":
        return _clock(match[1], match[2]) or match.group()
    return match.group()


def _read_duration(match: _Match) -> str:
    hours, minutes, seconds = (int(part) for part in match.groups())
    if minutes > 59 or seconds > 59:
        return match.group()
    parts = ((hours, "Stunde", "Stunden"), (minutes, "Minute", "Minuten"))
    spoken = [f"{num.cardinal(n, 'eine')} {one if n == 1 else many}" for n, one, many in parts]
    second = f"{num.cardinal(seconds, 'eine')} {'Sekunde' if seconds == 1 else 'Sekunden'}"
    return ", ".join(spoken) + " und " + second


_SHORT_DURATION = re.compile(
    r"(?<![\w.,:])([0-9]{1,2}):([0-5][0-9])\s?(Stunden|Std\.|h|Minuten|Min\.|min)(?![\w])"
)
_DURATION_UNITS = {
    "Stunde": ("Stunde", "Stunden", "Minute", "Minuten"),
    "Minute": ("Minute", "Minuten", "Sekunde", "Sekunden"),
}


def _read_short_duration(match: _Match) -> str:
    """``1:30 Stunden`` -> ``eine Stunde und dreißig Minuten`` (also minutes and seconds)."""
    big, small, unit = int(match[1]), int(match[2]), match[3]
    key = "Stunde" if unit in ("Stunden", "Std.", "h") else "Minute"
    one, many, small_one, small_many = _DURATION_UNITS[key]
    spoken = f"{num.cardinal(big, 'eine')} {one if big == 1 else many}"
    if small:
        spoken += f" und {num.cardinal(small, 'eine')} {small_one if small == 1 else small_many}"
    return spoken + (_final_period(match) if unit.endswith(".") else "")


def read_times(text: str) -> str:
    """Times of day: ``14:30 Uhr``/``14.30 Uhr`` -> ``vierzehn Uhr dreißig``.

    Also ``9 Uhr``, ``8:00 Uhr`` -> ``acht Uhr``, ``10–12 Uhr`` -> ``zehn bis
    zwölf Uhr``, ``um 14:30`` (after a time preposition, or with ``:00``), and
    ``2:05:30`` as hours, minutes and seconds, ``1:30 Stunden`` as a duration.
    """
    text = _TIMES.sub(_read_time, text)
    text = _SHORT_DURATION.sub(_read_short_duration, text)
    text = _DURATION.sub(_read_duration, text)
    return _BARE_TIME.sub(_read_bare_time, text)


_SCORE = re.compile(r"(?<![\w.,:])([0-9]{1,4}):([0-9]{1,4})(?![0-9]|:[0-9])(-(?=[^\W\d_]))?")


def read_scores(text: str) -> str:
    """``2:1`` -> ``zwei zu eins`` (what :func:`read_times` left of ``A:B``)."""
    return _SCORE.sub(
        lambda m: f"{num.cardinal(int(m[1]))} zu {num.cardinal(int(m[2]))}" + (" " if m[3] else ""),
        text,
    )


_RANGE = re.compile(rf"(?<![\w.,])(?<![0-9]-)({_AMOUNT})\s?[–—-]\s?({_AMOUNT})(?![0-9]|[.,][0-9])")
_SEASON = re.compile(r"(?<![\w.,/])([0-9]{4})/([0-9]{2})(?![0-9/])")


def _value(amount: str) -> float:
    return float(amount.replace(".", "").replace(",", "."))


def _read_range(match: _Match) -> str:
    low, high = match[1], match[2]
    if low.startswith("0") and len(low) > 1 and "," not in low:
        return match.group()  # a phone number or code, not a range
    season = len(low) == 4 and len(high) == 2 and int(high) > int(low) % 100
    return f"{low} bis {high}" if season or _value(low) < _value(high) else match.group()


def read_ranges(text: str) -> str:
    """``2010–2015``/``10-12`` -> ``2010 bis 2015``; ``2023/24`` -> ``2023 24``.

    Only rising ranges are read with ``bis``; the numbers stay for later steps.
    """
    text = _SEASON.sub(r"\1 \2", text)
    return _RANGE.sub(_read_range, text)


# 9. amounts with a unit --------------------------------------------------------------------

_PRICE = rf"({_AMOUNT}|[0-9]+,[-–])({_MAGNITUDE})?"
_CURRENCY_SIGNS = [sign for sign in data.CURRENCIES if not sign.isalpha() or sign.isupper()]
_MONEY_AFTER = re.compile(rf"(?<![\w.,]){_PRICE}\s?({alternation(data.CURRENCIES)})(?![\w$€£¥])")
_MONEY_BEFORE = re.compile(rf"(?<!\w)({alternation(_CURRENCY_SIGNS)})\s?{_PRICE}(?![0-9])")


def _money(amount: str, magnitude: str | None, currency: str, preposition: str = "") -> str:
    """``5,99``, ``€`` -> ``fünf Euro neunundneunzig``; ``0,50`` -> ``fünfzig Cent``.

    An amount of exactly 1 follows ``preposition`` (``mit 1 Euro`` -> ``mit einem Euro``).
    """
    name, hundredth = data.CURRENCIES[currency]
    if amount == "1" and not magnitude:
        return f"{_one(name.split('-')[-1], preposition)} {name}"
    amount = amount.rstrip("-–").removesuffix(",")
    whole, _, fraction = amount.partition(",")
    if magnitude:
        return f"{_quantity(amount, magnitude)} {name}"
    if hundredth is None or len(fraction) != 2:
        return f"{num.written(amount, 'ein')} {name}"
    cents = int(fraction)
    if whole.replace(".", "") == "0":
        return f"{num.cardinal(cents, 'ein')} {hundredth}"
    return f"{num.written(whole, 'ein')} {name}" + (f" {num.cardinal(cents)}" if cents else "")


_ENGLISH_DECIMAL_UNIT = re.compile(
    r"(?<![\w.,])([0-9]{1,3})\.([0-9]{1,2})(?=\s?(?:[%€$£‰]|Euro\b|Dollar\b|Prozent\b))"
)


def read_currency(text: str) -> str:
    """Amounts of money: ``5 €`` -> ``fünf Euro``, ``5,99 €`` -> ``fünf Euro neunundneunzig``.

    The sign may come first (``€5``, ``US-$ 3``); ``0,50 €`` is ``fünfzig Cent``
    and ``1,5 Millionen €`` is ``eins Komma fünf Millionen Euro``. An English
    decimal point before money or percent is a comma (``3.50 €``, ``3.5 %``).
    """
    text = _ENGLISH_DECIMAL_UNIT.sub(r"\1,\2", text)
    text = _MONEY_AFTER.sub(lambda m: _money(m[1], m[2], m[3], _preposition(m)), text)
    return _MONEY_BEFORE.sub(lambda m: _money(m[2], m[3], m[1], _preposition(m)), text)


def _preposition(match: _Match) -> str:
    """The word before ``match``, lower case (``mit`` in ``mit 1 Euro``)."""
    before = previous_words(match.string, match.start())
    return before[-1].lower() if before else ""


_UNITS = re.compile(
    rf"(?<![\w.,])([-+±]?)({_AMOUNT})({_MAGNITUDE})?\s?({alternation(data.UNITS)})(?![\w²³])"
)


def _read_unit(match: _Match) -> str:
    sign, amount, magnitude, unit = match.groups()
    singular, plural = data.UNITS[unit]
    if amount == "1" and not magnitude:
        preposition = "" if sign else _preposition(match)
        return f"{_SIGNS[sign]}{_one(singular.split()[0], preposition)} {singular}"
    whole, _, fraction = amount.partition(",")
    if unit == "m" and len(fraction) == 2 and whole != "0" and not (sign or magnitude):
        return f"{num.written(whole, 'ein')} {singular} {num.cardinal(int(fraction))}"
    return f"{_SIGNS[sign]}{_quantity(amount, magnitude or '')} {plural}"


_PERCENT_COMPOUND = re.compile(rf"(?<![\w.,])({_AMOUNT})\s?-?%-(?!Punkt)(?=[^\W\d_])")


def read_units(text: str) -> str:
    """Units after a number: ``5 km`` -> ``fünf Kilometer``, ``3,5 %`` -> ``… Prozent``.

    Singular after exactly 1 (``eine Kilowattstunde``); signs are read
    (``-5 °C`` -> ``minus fünf Grad Celsius``); ``1,80 m`` is ``ein Meter achtzig``;
    ``5-%-Hürde`` is ``5-Prozent-Hürde``.
    """
    text = _PERCENT_COMPOUND.sub(r"\1-Prozent-", text)
    return _UNITS.sub(_read_unit, text)


_SUFFIXES = "|".join(data.NUMBER_SUFFIXES)
_NUMBER_SUFFIX = re.compile(rf"(?<![\w.,])({_AMOUNT})-?((?:{_SUFFIXES}|Jährig)[a-zäöüß]*)")
_DECADE = re.compile(r"(?<![\w.,])([0-9]{1,4})er(?:(-|\s)(Jahre[n]?)\b)?(?![\w])")
_TIMES_X = re.compile(r"(?<![\w.,])([0-9]+)x(?![\w])")
_FRACTION = re.compile(rf"(?<![\w.,])([0-9]*)({alternation(data.FRACTIONS)})")


def _read_suffix(match: _Match) -> str:
    amount, suffix = match.groups()
    spoken = num.written(amount, "ein").replace(" ", "") + suffix.lower()
    return spoken.capitalize() if suffix[0].isupper() else spoken


def _read_decade(match: _Match) -> str:
    number, _, years = match.groups()
    value = int(number)
    spoken = (num.year(value) if value >= 1100 else num.cardinal(value)) + "er"
    return f"{spoken} {years}" if years else spoken.capitalize()


def _read_fraction(match: _Match) -> str:
    whole, fraction = match.groups()
    if whole and fraction == "½":
        return num.written(whole, "ein") + "einhalb"
    spoken = data.FRACTIONS[fraction]
    return f"{num.written(whole)} {spoken}" if whole else spoken


_SLASH_FRACTION = re.compile(r"(?<![\w.,/])([1-9])/([2-9]|10)(?![\w/]|[.,][0-9])")


def _read_slash_fraction(match: _Match) -> str:
    """``1/3`` -> ``ein Drittel``, ``3/4`` -> ``drei Viertel``; ``5/3`` is left alone."""
    numerator, denominator = int(match[1]), int(match[2])
    if numerator >= denominator:
        return match.group()
    if denominator == 2:
        return "ein halb"
    return f"{num.cardinal(numerator, 'ein')} {data.DENOMINATORS[denominator]}"


def read_number_compounds(text: str) -> str:
    """Numbers joined to words: ``3-mal`` -> ``dreimal``, ``18-Jährige`` -> ``Achtzehnjährige``.

    Also ``20er-Jahre`` -> ``zwanziger Jahre``, ``die 90er`` -> ``die Neunziger``,
    ``3x`` -> ``dreimal`` and fractions (``1½`` -> ``eineinhalb``, ``1/3`` -> ``ein Drittel``).
    """
    text = _NUMBER_SUFFIX.sub(_read_suffix, text)
    text = _DECADE.sub(_read_decade, text)
    text = _TIMES_X.sub(lambda m: num.written(m[1], "ein") + "mal", text)
    text = _SLASH_FRACTION.sub(_read_slash_fraction, text)
    return _FRACTION.sub(_read_fraction, text)


_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])[-.]?(?=[0-9])|(?<=[0-9])(?=[^\W\d_])")


def split_letters_and_digits(text: str) -> str:
    """``CO2`` -> ``CO 2``, ``5G`` -> ``5 G``, ``ID.3`` -> ``ID 3`` so each part is read."""
    return _LETTER_DIGIT.sub(" ", text)


# 10. acronyms and symbols ------------------------------------------------------------------

_WORD = re.compile(r"(?<![\w.])([^\W\d_]+)(-(?=[^\W\d_]))?")
_VOWELS = frozenset("AEIOUÄÖÜY")
_ONE_SOUND = re.compile("SCH|CH|CK|NG|PH|QU|TH")
_ROMAN_ONLY = re.compile("[IVX]{2,}")


def _spell(letters: str) -> str:
    """``GmbH`` -> ``G M B H``: capital letters separated by spaces."""
    return " ".join(letters.upper())


def _pronounceable(word: str) -> bool:
    """Whether capitals read well as a word: enough vowels, no long consonant runs."""
    sounds = _ONE_SOUND.sub("C", word)
    vowels = sum(char in _VOWELS for char in sounds)
    runs = re.findall(f"[^{''.join(_VOWELS)}]+", sounds)
    return vowels >= 2 and vowels / len(sounds) >= 0.3 and max(map(len, runs), default=0) <= 3


def _headline_word(word: str) -> bool:
    """Whether an all-capitals ``word`` in a headline is a word (``MERZ``), not initials."""
    sounds = _ONE_SOUND.sub("C", word)
    runs = re.findall(f"[^{''.join(_VOWELS)}]+", sounds)
    has_vowel = any(char in _VOWELS for char in sounds)
    return (
        len(word) >= 4
        and word not in data.INITIALISMS
        and has_vowel
        and max(map(len, runs), default=0) <= 3
    )


def _capitals(word: str, headline: bool = False) -> tuple[str, bool] | None:
    """How to say an all-capitals ``word``: (spoken, whether spelled), or ``None``.

    In a ``headline`` (a sentence in capitals) words of four letters and more
    are read as words unless they are known initialisms.
    """
    if word in data.CAPS_WORDS:
        return word.capitalize(), False
    if _ROMAN_ONLY.fullmatch(word) and _roman_value(word):
        return num.cardinal(_roman_value(word) or 0), False
    if (len(word) >= 5 and _pronounceable(word)) or (headline and _headline_word(word)):
        return word.capitalize(), False
    return _spell(word), True


_MIXED_INITIALS = re.compile(r"[A-ZÄÖÜ][a-zäöü]?[A-ZÄÖÜ]{1,2}|[A-ZÄÖÜ]{2}[a-zäöü][A-ZÄÖÜ]")
"""``MdB``, ``StR``, ``BvR``, ``EuGH``: capitals with at most one small letter, spelled."""


def _spoken_acronym(word: str, headline: bool = False) -> tuple[str, bool] | None:
    """How to say ``word`` if it is an acronym: (spoken, whether spelled), else ``None``."""
    if word in data.ACRONYM_WORDS:
        return data.ACRONYM_WORDS[word], False
    if word in data.SPELLED_WORDS or (
        _MIXED_INITIALS.fullmatch(word) and not word.isupper() and len(word) <= 4
    ):
        return _spell(word.removesuffix("s")) + ("s" if word.endswith("s") else ""), True
    plural = word.endswith("s") and len(word) > 2 and word[:-1].isupper()
    base = word[:-1] if plural else word
    if len(base) < 2 or not base.isupper():
        return None
    if base in data.ACRONYM_WORDS:
        spoken: tuple[str, bool] | None = (data.ACRONYM_WORDS[base], False)
    else:
        spoken = _capitals(word if headline else base, headline)
        plural = plural and not headline
    return None if spoken is None else (spoken[0] + ("s" if plural else ""), spoken[1])


_CAPITAL_WORD = re.compile(r"(?<![\w])[A-ZÄÖÜ]{2,}(?![\w])")
_LETTER_WORD = re.compile(r"(?<![\w])[^\W\d_]{2,}(?![\w])")


def _is_headline(text: str) -> bool:
    """Whether ``text`` is written in capitals (three words and most of them)."""
    capitals = len(_CAPITAL_WORD.findall(text))
    return capitals >= 3 and capitals >= 0.6 * len(_LETTER_WORD.findall(text))


def _read_word(match: _Match, headline: bool = False) -> str:
    word, hyphen = match.groups()
    spoken = _spoken_acronym(word, headline)
    if spoken is None:
        return match.group()
    text, spelled = spoken
    return text + (" " if spelled and hyphen else hyphen or "")


def read_acronyms(text: str) -> str:
    """Acronyms: spelled (``EU`` -> ``E U``, ``des BGHs`` -> ``des B G Hs``) or read as words.

    Words come from a list (``NATO`` -> ``Nato``) or, for five and more capitals,
    from their shape (vowels enough, ``EILMELDUNG`` -> ``Eilmeldung``); short
    capitalized German words (``DIE``) and Roman numerals (``XIV``) are not spelled.
    A hyphen after a spelled acronym becomes a space (``US-Präsident`` -> ``U S Präsident``).
    In an all-capitals headline (``TRUMP DROHT MIT ZÖLLEN``) words of four
    letters and more are words; capitals with a small letter (``MdB``) are spelled.
    """
    headline = _is_headline(text)
    return _WORD.sub(lambda match: _read_word(match, headline), text)


_PER = re.compile(rf"(?<=[^\W\d_])/(?={alternation(data.PER_NOUNS)}\b)")
_PER_UNIT = re.compile(rf"(?<=[^\W\d_])/({alternation(data.UNITS)})(?![\w²³])")
_WORD_SLASH = re.compile(r"(?<![\w/])([^\W\d_]+)/([^\W\d_]+)(?![\w/])")
_NUMBER_SLASH = re.compile(r"(?<=[0-9])\s?/\s?(?=[0-9])")
_TIMES_SIGN = re.compile(r"(?<=[0-9])\s?[x×]\s?(?=[0-9])")
_LONE_UNITS = re.compile(r"(?<!\w)(km/h|m/s|m²|m³|°C)(?!\w)")
_SYMBOLS = re.compile(alternation(data.SYMBOLS))
_EACH = re.compile(r"(?<!\w)à(?!\w)")


def _read_word_slash(match: _Match) -> str:
    """``Bürgerinnen/Bürger`` -> ``Bürgerinnen und Bürger``; ``Kauf/Miete`` -> ``… oder …``."""
    left, right = match.groups()
    if {left.lower(), right.lower()} & {"und", "oder"} or left.isupper() or right.isupper():
        return f"{left} {right}"  # "und/oder", "CDU/CSU": just a pause
    pair = left.startswith(right) or right.startswith(left)
    return f"{left} {'und' if pair else 'oder'} {right}"


def read_symbols(text: str) -> str:
    """Symbols as words: ``&`` -> ``und``, ``%`` -> ``Prozent``, ``€/Monat`` -> ``pro``.

    ``/`` before a unit or ``Monat``... is ``pro`` (``Cent/kWh``), between other
    words ``oder`` (``und`` for pairs like ``Bürgerinnen/Bürger``), between
    numbers a pause; ``3 x 4`` is ``mal``, ``à 50 Euro`` ``zu je``; a lone ``*`` is dropped.
    """
    text = _EACH.sub("zu je", _LONE_UNITS.sub(lambda m: data.UNITS[m[1]][1], text))
    text = _PER_UNIT.sub(lambda m: " pro " + data.UNITS[m[1]][0], text)
    text = _PER.sub(" pro ", _TIMES_SIGN.sub(" mal ", text))
    text = _WORD_SLASH.sub(_read_word_slash, _NUMBER_SLASH.sub(" ", text))
    return _SYMBOLS.sub(lambda m: f" {data.SYMBOLS[m.group()]} ", text)


# 11. numbers -------------------------------------------------------------------------------

_NUMBER = re.compile(
    r"(?<!\w)([-+±]?)([0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?(?!\.?[0-9])"
    r"|[0-9]+(?:\.[0-9]+)+(?![0-9])|[0-9]+(?:,[0-9]+)?)( Tausend\b)?"
)
_ENGLISH_DECIMAL = re.compile(r"[0-9]+\.[0-9]{1,2}")


def _is_year(number: str, before: list[str]) -> bool:
    """Whether a bare ``number`` is a year (1100-1999, not after ``rund`` or ``L``...)."""
    labelled = _is_label(before) and before[-1] != "Jahrgang"
    counted = bool(before) and (before[-1].lower() in data.COUNTING_WORDS or labelled)
    return len(number) == 4 and number.isdigit() and 1100 <= int(number) <= 1999 and not counted


def _is_label(before: list[str]) -> bool:
    """Whether the word before a number labels it (``Artikel 1``, ``A 1``): a 1 is ``eins``."""
    word = before[-1].rstrip(":,") if before else ""
    return word in data.LABEL_WORDS or (0 < len(word) <= 3 and word.isupper())


def _read_number(match: _Match) -> str:
    sign, number, thousand = match.groups()
    before = previous_words(match.string, match.start())
    noun = next_word(match.string, match.end())
    if thousand:
        return _SIGNS[sign] + _quantity(number, "Tausend")
    if _is_year(number, before):
        return _SIGNS[sign] + num.year(int(number))
    if _ENGLISH_DECIMAL.fullmatch(number) and noun in data.DECIMAL_NOUNS:
        number = number.replace(".", ",")  # "3.5 Prozent": an English decimal point
    if number == "1" and noun[:1].isupper() and not _is_label(before):
        preposition = before[-1].lower() if before else ""
        return _SIGNS[sign] + _one(noun, preposition)
    return _SIGNS[sign] + num.written(number)


def read_numbers(text: str) -> str:
    """Every number left, as a cardinal: ``7.000`` -> ``siebentausend``, ``3,5`` -> ``… Komma …``.

    Bare 1100-1999 are years (``neunzehnhundertachtundneunzig``) unless a word
    like ``rund`` counts them; a 1 before a noun is ``ein``/``eine``/``einem``...;
    a leading zero means digits (``030``); signs are read (``-5`` -> ``minus
    fünf``); ``50 Tausend`` is one word; ``3.5 Prozent`` has a decimal comma.
    """
    return _NUMBER.sub(_read_number, text)


STEPS: tuple[Step, ...] = (
    clean_characters,
    drop_agency_tags,
    read_place_names,
    read_web_addresses,
    join_gender_forms,
    expand_abbreviations,
    expand_number_abbreviations,
    expand_name_abbreviations,
    read_law_citations,
    read_roman_numerals,
    read_phone_numbers,
    join_digit_groups,
    read_numeric_dates,
    read_ordinals,
    read_times,
    read_scores,
    read_ranges,
    read_currency,
    read_units,
    read_number_compounds,
    split_letters_and_digits,
    read_acronyms,
    read_symbols,
    read_numbers,
    tidy_punctuation_spacing,
)
"""The German steps in the order they run (see the module docstring)."""
