"""Cutting a long paragraph into blocks that pysbd can split one at a time.

pysbd's cost grows with the square of its input: many of its rules re-run a
substitution over the whole text once per match, and it locates each sentence
by searching the text from the start. A paragraph of 3,000 sentences took
seconds; the same sentences as separate paragraphs a fraction of that. So a
long paragraph is cut into blocks of a few thousand characters and pysbd sees
one block at a time.

A cut must not change what pysbd finds, so it is made only where pysbd on the
whole paragraph certainly ends a sentence and no rule of pysbd's can look
across it (:func:`block_starts`):

* after a plain word of two or more letters and a period, then one space and
  a word that starts with a capital and a small letter (``Berlin. Danach``):
  no number, initial, ellipsis or ``!``/``?`` (pysbd keeps ``Yahoo!`` whole);
* the word before the period is no abbreviation, neither ours nor pysbd's
  (pysbd's patterns are matched case-insensitively, as pysbd matches them);
* the word after the cut does not begin with one of pysbd's abbreviations:
  pysbd treats an abbreviation at the very start of its input differently
  from one after a space, and the cut makes that word a start;
* no quotation or bracket is open across the cut, as pysbd pairs them (an
  even number of ``"``, every ``(`` ``[`` ``«`` ``„`` ``“`` ``‘`` ``'`` ``--``
  before the cut closed before it, a parenthesis between quotes not around
  it), so punctuation that pysbd protects inside quotes stays protected.

Some inputs are not cut at all, because one of pysbd's rules reads the start
of the whole paragraph: a paragraph that starts with doubled punctuation
(``!!``), one with a word in single quotes (``'so'``), and one whose first word
begins with an abbreviation that also occurs glued to a word later on.

Only languages whose pysbd rules were checked are cut (:data:`BLOCK_LANGUAGES`);
the others still go to pysbd whole.

One kind of pysbd rule cannot be kept exactly: its list detection looks at the
whole input for numbers or letters in sequence (``3.`` and later ``4.``,
``a.`` then ``b.``, ``(a)``, ``1)``, ``ii.``) and, once it has seen a sequence
anywhere, treats every such marker in the input as a list item and breaks the
sentence before it. A block sees fewer sequences than the whole paragraph. In
German this does not show: pysbd protects the period of ``3.`` before a space
anyway, and the break before the number falls inside a sentence (``am | 3.
Mai``), where the false-break merge in :mod:`narrate.speech.split` joins it
again; tests compare blocked and whole splitting on long paragraphs of dates,
ordinals, abbreviations and quotes. Paragraphs that mix stray list markers
with unclosed quotes (``(a) 3. Dies. ‘so. Welt."``) can still come out
differently, at those markers. In English, which lacks both, list detection
decides whether ``in 3. Then`` ends a sentence, so English is not cut.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from pysbd.languages import Language

__all__ = ["BLOCK_CHARS", "BLOCK_LANGUAGES", "block_starts"]

BLOCK_CHARS = 2000
"""Cut a paragraph once a block is at least this long (pysbd is linear up to ~3,000)."""

BLOCK_LANGUAGES = frozenset({"de"})
"""Languages whose pysbd rules were checked for cutting (others go to pysbd whole)."""

_CUT_CANDIDATE = re.compile(r"(?<!\S)([^\W\d_]{2,})\. (?=[^\W\d_]{2})")
"""A plain word, a period, one space and two letters: where a block may end."""

_DOUBLED_PUNCTUATION_START = re.compile(r"\?!|!\?|\?\?|!!")
"""pysbd skips its doubled-punctuation rules when its input starts with one."""
_SINGLE_QUOTED_WORD = re.compile(r"(?<=\s)'(?:[^']|'[a-zA-Z])*'\S")
"""pysbd decides on its whole input whether ``'...'`` quotes: never cut such text."""
_PARENS_BETWEEN_QUOTES = re.compile(r'["”]\s\(.*\)\s["“]')
"""pysbd breaks around every parenthesis in this (greedy) stretch: never cut in it."""


@dataclass(frozen=True)
class _Pair:
    """An opening mark and the marks that may close it, as pysbd pairs them."""

    opening: str
    """A pattern: the opening mark, where pysbd would open a pair with it."""
    closing: str
    closing_before_letter: bool = True
    """Whether a closing mark right before a letter (``geht’s``) may close the pair."""


_PAIRS = (
    _Pair(r"\(", ")"),
    _Pair(r"\[", "]"),
    _Pair("«", "»"),
    _Pair("„", "“"),
    _Pair(",,", "“"),
    _Pair("“", "”"),
    _Pair(r"(?<![^\W_])‘", "’", closing_before_letter=False),
    _Pair(r"(?<![^\W_])'", "'", closing_before_letter=False),
    _Pair("--", "-"),
)
"""Every pair whose inside pysbd protects; the closing mark is the first one that
could end the pair (for ``--`` any dash: pysbd's pair has no dash inside). Single
quotes open a pair unless they follow a letter or digit (``geht's`` does not)."""


def block_starts(text: str, code: str, abbreviations: frozenset[str]) -> list[int]:
    """Where the blocks of ``text`` (whitespace collapsed) start: ``[0]`` if it stays whole.

    Each further start is the first safe cut (see the module) at least
    :data:`BLOCK_CHARS` after the previous one. ``abbreviations`` (lower
    case, no period) are words that no cut may follow, besides pysbd's own.
    """
    if code not in BLOCK_LANGUAGES or len(text) < 2 * BLOCK_CHARS or not _may_cut(text, code):
        return [0]
    marks = _Marks(text)
    starts = [0]
    for cut in _safe_cuts(text, code, abbreviations, marks):
        if cut - starts[-1] >= BLOCK_CHARS and len(text) - cut >= BLOCK_CHARS // 2:
            starts.append(cut)
    return starts


def _may_cut(text: str, code: str) -> bool:
    """Whether no pysbd rule reads the start of ``text`` in a way a cut would change."""
    if _DOUBLED_PUNCTUATION_START.match(text) or _SINGLE_QUOTED_WORD.search(text):
        return False
    return not _first_word_abbreviation_elsewhere(text, code)


def _first_word_abbreviation_elsewhere(text: str, code: str) -> bool:
    """Whether ``text`` starts with an abbreviation that pysbd would also protect mid-word.

    pysbd protects ``<abbreviation>.`` wherever the abbreviation, as spelled
    at the start of its input, is followed by a period and a space, even
    glued to a word (``Die`` protects ``...Di.``); after a space only whole
    words count. A block would not see the paragraph's start.
    """
    for pattern in _abbreviation_patterns(code):
        found = re.match(pattern, text, flags=re.IGNORECASE)
        if found is None:
            continue
        spelled = found.group()
        try:  # pysbd builds this pattern from the text, unescaped
            protected = re.compile(rf"(?<={spelled})\.(?=\s)")
        except re.error:
            return True
        for match in protected.finditer(text, len(spelled) + 1):
            if text[match.start() - len(spelled) - 1 : match.start()] != " " + spelled:
                return True
    return False


def _safe_cuts(text: str, code: str, abbreviations: frozenset[str], marks: _Marks) -> Iterator[int]:
    """Positions right after ``word. `` where a block may start."""
    forbidden = [match.span() for match in _PARENS_BETWEEN_QUOTES.finditer(text)]
    for match in _CUT_CANDIDATE.finditer(text):
        cut, word = match.end(), match.group(1)
        if word.lower() in abbreviations or _abbreviation_regex(code).fullmatch(word):
            continue
        if _starts_with_abbreviation(text, cut, code):
            continue
        if not (text[cut].isupper() and text[cut + 1].islower()):
            continue
        if any(start < cut < end for start, end in forbidden) or marks.open_at(cut):
            continue
        yield cut


@cache
def _abbreviation_patterns(code: str) -> tuple[str, ...]:
    """pysbd's abbreviations for ``code`` as the (unescaped) patterns pysbd searches."""
    module = Language.get_language_code(code)
    return tuple(
        sorted({abbreviation.strip() for abbreviation in module.Abbreviation.ABBREVIATIONS})
    )


@cache
def _abbreviation_regex(code: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{pattern})" for pattern in _abbreviation_patterns(code)), re.I)


def _starts_with_abbreviation(text: str, position: int, code: str) -> bool:
    """Whether pysbd would see an abbreviation at ``position`` (a block's start)."""
    return _abbreviation_regex(code).match(text, position) is not None


class _Marks:
    """Where the quotation marks and brackets of a text are, for checking cuts."""

    def __init__(self, text: str) -> None:
        self.straight_quotes = [index for index, char in enumerate(text) if char == '"']
        self.pairs = [(pair, _PairMarks(text, pair)) for pair in _PAIRS]

    def open_at(self, cut: int) -> bool:
        """Whether a quotation or bracket opened before ``cut`` may close after it."""
        if bisect_left(self.straight_quotes, cut) % 2:
            return True
        return any(marks.open_at(cut) for _, marks in self.pairs)


class _PairMarks:
    """The opening and possible closing marks of one pair in a text."""

    def __init__(self, text: str, pair: _Pair) -> None:
        openings = list(re.finditer(pair.opening, text))
        self.openings = [match.end() for match in openings]
        closings = re.escape(pair.closing)
        if not pair.closing_before_letter:
            closings += r"(?![a-zA-Z])"
        self.closings = [match.start() for match in re.finditer(closings, text)]
        self.last_closing = text.rfind(pair.closing)

    def open_at(self, cut: int) -> bool:
        """Whether the last opening before ``cut`` has its first closing at or after it.

        Closings come later for later openings, so the last one decides. With
        no closing of its kind, pysbd may settle for the last closing mark of
        any kind (``’`` before a letter), so that one counts instead.
        """
        before = bisect_left(self.openings, cut)
        if before == 0:
            return False
        after = bisect_left(self.closings, self.openings[before - 1])
        closing = self.closings[after] if after < len(self.closings) else self.last_closing
        return closing >= cut
