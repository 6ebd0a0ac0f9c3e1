"""Sentence splitting: pysbd, guarded, with fixes for known bad German splits.

pysbd is good but not safe: it raises on some inputs (nipunsadvilkar/pySBD#120,
e.g. "Das ist B(asic)B.a! Gut."), drops characters on others (0.3.4 turns
"So viel usw.!!" into "So viel usw."), and splits German after abbreviations
and ordinal numbers ("am 3. | Mai", "Art. 1 Abs. | 2 GG"). So its pieces are
checked against the input (nothing dropped, nothing added, else the simple
splitter takes over) and false breaks are merged back afterwards.

pysbd's time grows with the square of its input, so a long paragraph goes to
it in blocks cut where it certainly ends a sentence anyway
(:mod:`narrate.speech.blocks`); the merging runs over the whole paragraph.
"""

from __future__ import annotations

import itertools
import logging
import re
from functools import cache
from typing import Protocol

import pysbd
from pysbd.languages import LANGUAGE_CODES

from narrate.speech.blocks import block_starts

__all__ = ["split_sentences", "simple_split", "primary_language"]

log = logging.getLogger(__name__)

_SIMPLE_BOUNDARY = re.compile(r"[.!?…]+[\"'”“»«’‘)\]]*\s+")
"""Sentence punctuation, closing quotes and brackets, whitespace."""
_OPENING = "\"'„“‚‘«»([¿¡"

_ABBREVIATIONS: dict[str, frozenset[str]] = {
    "de": frozenset(
        "abb abs abschn abt allg anh anm art aufl bd bearb bes betr bio bsp bspw bzgl bzw ca chr "
        "dgl dipl dr ebd einschl entspr erg evtl exkl fa ff fr frl geb gem gest ggf gr hd hg "
        "hl hr hrn hrsg inkl insb jh jhd jr kap kfm lt max mind mio mrd nachf nr nrn od orig "
        "pkt pl prof rd rel sog spez st std str stv tab tel tsd usf uvm verf vers vgl vors "
        "weibl wg zb zit zt ziff zzgl ua uä dh oä idr ggü ehem az bf einw erm abt "
        "med".split()
    ),
    "en": frozenset(
        "approx apr aug ca capt cf col dec dept dr e.g eq feb fig gen gov i.e jan jr jul jun lt "
        "mr mrs ms mt nov oct prof rep rev sen sep sept sgt sr st vs".split()
    ),
}
"""Abbreviations (lower case, without the final period) that never end a sentence."""

_NUMBER_ABBREVIATIONS = frozenset("no nos nr nrn p pp vol ch sec art abs bd s".split())
"""Abbreviations that may end a sentence but not when a number follows (``No. 5``)."""

_MONTHS: dict[str, frozenset[str]] = {
    "de": frozenset(
        "januar jänner februar feber märz april mai juni juli august september oktober "
        "november dezember jan feb mär apr jun jul aug sep sept okt nov dez".split()
    ),
}
"""Month names that follow an ordinal day (``am 3. Mai``), per language."""

_ORDINAL_LANGUAGES = frozenset({"de", "da", "sk", "pl"})
"""Languages that write ordinal numbers with a period (``der 2. Weltkrieg``)."""

_ORDINAL_CONTEXT: dict[str, frozenset[str]] = {
    "de": frozenset(
        "der die das dem den des ein eine einem einer eines am im zum zur vom beim ab bis "
        "seit vor nach jeder jede jedes jedem jeden ihr ihre ihrem ihren sein seine "
        "seinem seinen unser unsere diese dieser diesem diesen".split()
    ),
}
"""Words before ``<number>.`` that make the number an ordinal (``der 2.``)."""

_ORDINAL_NOUNS: dict[str, frozenset[str]] = {
    "de": frozenset(
        "spieltag minute runde etappe liga bundesliga jahrhundert jahrestag geburtstag advent "
        "kalenderwoche kw quartal halbjahr klasse etage stock platz sitzung lauf durchgang "
        "todestag jahrgang mal".split()
    ),
}
"""Nouns that follow an ordinal (``Bundesliga, 12. Spieltag``) whatever comes before it."""

_SENTENCE_OPENERS: dict[str, frozenset[str]] = {
    "de": frozenset(
        "der die das dem den des ein eine einem einen einer eines er sie es wir ich man "
        "dann danach daher darum deshalb dabei damit dazu dort hier jetzt nun heute gestern "
        "doch aber und oder denn auch zudem außerdem allerdings trotzdem später zuvor "
        "bereits schon als wenn weil ob dass wie was wer wo warum dies diese dieser dieses".split()
    ),
}
"""Words that never follow an ordinal, so ``<number>.`` before them ends a sentence
(``Er kam am 3. Danach fuhr er heim``): articles, pronouns, conjunctions, adverbs."""

_LEADING_CLOSING = re.compile(r"([.!?…)\]}»«›‹”“\"'’‘]+)\s+")
"""Punctuation that closes the previous sentence when a piece starts with it."""
_LAST_TOKEN = re.compile(r"(\S+)$")
_ORDINAL_END = re.compile(r"(?:^|\s)(?:(\S+)\s)?\d{1,3}\.$")
_SINGLE_LETTER_END = re.compile(r"(?:^|[\s(\"„])[^\W\d_]\.$")
_NUMBER_BEFORE_CAPITAL = re.compile(r"(?<=\s)\d{1,3}\.(\s+)(?=[\"'„“‚‘«»(]*[A-ZÄÖÜ])")
"""``S. 12. Das``: a number with a period before a capital, a possible sentence end."""
_BETWEEN_QUOTATIONS = re.compile(r"(?<=[.!?…][«»“”\"])(\s+)(?=[«»„“\"])")
"""``»Geht es?« »Ja.«``: a quotation ending a sentence, then one opening the next."""
_WEEKDAY_END = re.compile(r"(?:^|\s)(?:Mo|Di|Mi|Do|Fr|Sa|So)\.$")
"""``So.``: a weekday before a date (``So. 16.06. Flohmarkt``)."""
_DATE_START = re.compile(r"\d{1,2}\.(?:\d{1,2}\.|\s([^\W\d_]+))")
_STREET_ABBREVIATION = re.compile(r"[^\W\d_]{2,}str")
"""``Hauptstr``: a street name abbreviated (``str.``) inside a compound."""


class _Segmenter(Protocol):
    def segment(self, text: str) -> list[str]: ...


def primary_language(lang: str) -> str:
    """The primary subtag of a language code, lower case: ``"de-AT"`` -> ``"de"``."""
    return re.split(r"[-_]", lang.strip().lower(), maxsplit=1)[0]


def split_sentences(text: str, lang: str) -> list[str]:
    """Split ``text`` into sentences, whitespace collapsed, nothing lost.

    Uses pysbd for the languages it knows and :func:`simple_split` for the
    rest, or whenever pysbd fails or returns pieces that are not the input's
    own text in order. False breaks after abbreviations and ordinal numbers
    are merged back. Joined with spaces, the sentences are the input with its
    whitespace collapsed (except where the input had none between sentences).
    """
    text = " ".join(text.split())
    if not text:
        return []
    code = primary_language(lang)
    spans = _pysbd_spans(text, code)
    if spans is None:
        spans = _spans(text, simple_split(text))
    if spans is None:  # pragma: no cover - simple_split only cuts the text itself
        return [text]
    spans = _merge_false_breaks(text, _cut_where(_BETWEEN_QUOTATIONS, text, spans), code)
    if code in _ORDINAL_LANGUAGES:
        spans = _merge_false_breaks(text, _cut_where(_NUMBER_BEFORE_CAPITAL, text, spans), code)
    return [text[start:end] for start, end in spans]


def simple_split(text: str) -> list[str]:
    """Split after ``. ! ? …`` (and closing quotes) when the next word is not lower case."""
    pieces: list[str] = []
    start = 0
    for match in _SIMPLE_BOUNDARY.finditer(text):
        if text[match.end() :].lstrip(_OPENING)[:1].islower():
            continue
        pieces.append(text[start : match.end()].strip())
        start = match.end()
    pieces.append(text[start:].strip())
    return [piece for piece in pieces if piece]


@cache
def _segmenter(code: str) -> _Segmenter | None:
    if code not in LANGUAGE_CODES:
        return None
    segmenter: _Segmenter = pysbd.Segmenter(language=code, clean=False)
    return segmenter


Span = tuple[int, int]


def _pysbd_spans(text: str, code: str) -> list[Span] | None:
    """Where pysbd's sentences lie in ``text``; ``None`` if it lacks the language or misbehaves.

    A long ``text`` goes to pysbd block by block. Should pysbd misbehave on a
    block, it gets the whole text, as if there were no blocks.
    """
    if _segmenter(code) is None:
        return None
    if code == "de":
        text = _guillemets_as_low_high_quotes(text)
    starts = block_starts(text, code, _never_final(code))
    spans: list[Span] = []
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        block = _pysbd_block_spans(text[start:end], code)
        if block is None:
            return _pysbd_block_spans(text, code) if len(starts) > 1 else None
        spans.extend((start + first, start + last) for first, last in block)
    return spans


_GUILLEMET = re.compile("[»«]")


def _guillemets_as_low_high_quotes(text: str) -> str:
    """``»Halt!«`` (or Swiss ``«Halt!»``) as ``„Halt!“``, which pysbd pairs right.

    pysbd pairs each ``«`` with the next ``»``, so German ``»…«`` quotes glue the
    sentences between two quotations into one. Guillemets are taken in order as
    opening, closing, opening, ...; one character for one, so every position
    (and so every span) stays the same.
    """
    marks = itertools.cycle("„“")
    return _GUILLEMET.sub(lambda _: next(marks), text)


def _never_final(code: str) -> frozenset[str]:
    """Words (lower case, no period) that never end a sentence before a word."""
    return _ABBREVIATIONS.get(code, frozenset())


def _pysbd_block_spans(text: str, code: str) -> list[Span] | None:
    """Where pysbd's sentences lie in ``text``, split whole; ``None`` if pysbd misbehaves."""
    segmenter = _segmenter(code)
    if segmenter is None:  # pragma: no cover - checked by the caller
        return None
    try:
        pieces = [str(piece).strip() for piece in segmenter.segment(text)]
    except Exception as error:  # pysbd raises assorted errors on odd input (pySBD#120)
        log.debug("pysbd failed on %.60r: %r; using the simple splitter", text, error)
        return None
    spans = _spans(text, [piece for piece in pieces if piece])
    if spans is None:
        log.debug("pysbd changed the text of %.60r; using the simple splitter", text)
    return spans


def _spans(text: str, pieces: list[str]) -> list[Span] | None:
    """Locate ``pieces`` in order in ``text``; ``None`` unless they cover all of its non-space."""
    spans: list[Span] = []
    position = 0
    for piece in pieces:
        found = text.find(piece, position)
        if found < 0 or text[position:found].strip():
            return None
        position = found + len(piece)
        spans.append((found, position))
    return spans if not text[position:].strip() else None


def _cut_where(boundary: re.Pattern[str], text: str, spans: list[Span]) -> list[Span]:
    """Cut spans at the whitespace (group 1) of every ``boundary`` pysbd left inside one.

    ``_NUMBER_BEFORE_CAPITAL``: after ``12.`` before a capital (pysbd keeps ``S. 12.
    Das`` whole); the merge that follows joins the pieces again where the number is
    an ordinal (``der 2. Weltkrieg``). ``_BETWEEN_QUOTATIONS``: between two quoted
    sentences (``»Geht es?« »Ja.«``), which pysbd keeps together.
    """
    cut: list[Span] = []
    for start, end in spans:
        for match in boundary.finditer(text, start, end):
            if match.start() > start:
                cut.append((start, match.start(1)))
                start = match.end(1)
        cut.append((start, end))
    return cut


def _merge_false_breaks(text: str, spans: list[Span], code: str) -> list[Span]:
    merged: list[Span] = []
    for start, end in spans:
        if merged:
            start = _reattach_closing(text, merged, start, end)
        if merged and _is_false_break(text[slice(*merged[-1])], text[start:end], code):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _reattach_closing(text: str, merged: list[Span], start: int, end: int) -> int:
    """Move closing punctuation at ``start`` (``!! Gut.``) to the sentence before it.

    Returns where the sentence at ``start`` now begins.
    """
    closing = _LEADING_CLOSING.match(text, start, end)
    if closing is None or closing.end() == end:
        return start
    merged[-1] = (merged[-1][0], closing.end(1))
    return closing.end()


def _is_false_break(before: str, after: str, code: str) -> bool:
    """Whether the break between ``before`` and ``after`` is not a sentence end."""
    first = after[0]
    if first.islower() or first in ",;:)]}–—-" or not any(c.isalnum() for c in after):
        return True
    if before[-1].isalnum() or before[-1] in ",;:–—-":
        return True  # pysbd splits "Am | 3. und 4. Mai": no sentence ends in a word or comma
    if not before.endswith("."):
        return False
    return (
        _ends_with_abbreviation(before, code, after[0].isdigit())
        or _SINGLE_LETTER_END.search(before) is not None
        or _is_ordinal_break(before, after, code)
        or (code == "de" and _WEEKDAY_END.search(before) is not None and _is_date(after))
    )


def _is_date(text: str) -> bool:
    """Whether ``text`` starts with a German date (``16.06.``, ``3. Mai``)."""
    match = _DATE_START.match(text)
    return match is not None and (match[1] is None or match[1].lower() in _MONTHS["de"])


def _ends_with_abbreviation(before: str, code: str, number_follows: bool) -> bool:
    match = _LAST_TOKEN.search(before)
    token = match.group(1).lstrip("(\"„“'«»").lower().rstrip(".") if match else ""
    token = re.split("[–/]", token)[-1]  # "Mo.–Fr.": the abbreviation after the dash
    known = _ABBREVIATIONS.get(code, frozenset())
    if number_follows:
        known = known | _NUMBER_ABBREVIATIONS
    street = number_follows and code == "de" and _STREET_ABBREVIATION.fullmatch(token) is not None
    return street or token in known or token.replace(".", "") in known


def _is_ordinal_break(before: str, after: str, code: str) -> bool:
    """``am 3. | Mai``, ``der 2. | Weltkrieg``, ``12. | 7.``, ``12. | Spieltag``: an ordinal."""
    match = _ORDINAL_END.search(before)
    if match is None or code not in _ORDINAL_LANGUAGES:
        return False
    next_word = after.split(" ", 1)[0].rstrip(".,;:").lower()
    previous = (match.group(1) or "").lower()
    if next_word in _SENTENCE_OPENERS.get(code, frozenset()):
        return False
    return (
        after[0].isdigit()
        or next_word in _MONTHS.get(code, frozenset())
        or next_word in _ORDINAL_NOUNS.get(code, frozenset())
        or previous in _ORDINAL_CONTEXT.get(code, frozenset())
    )
