"""Shared pieces of the plain-text and Markdown readers.

Both readers see text as blocks (runs of non-blank lines between blank lines),
join the lines of a block into one paragraph, and decide whether a short line
is a subheading. These helpers do that the same way for both.
"""

from __future__ import annotations

import re

from narrate.article.model import Section

__all__ = [
    "split_blocks",
    "split_list_items",
    "clean_inline",
    "join_lines",
    "looks_like_heading",
    "SectionsBuilder",
]

_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")
"""Soft hyphens, zero-width spaces, word joiners and stray BOMs: never spoken."""

_WORD_HYPHEN_END = re.compile(r"\w-$")
"""A line that ends in a hyphen glued to a word: ``Bundes-``, ``Corona-``."""

_SUSPENDED_HYPHEN_FOLLOWERS = frozenset(
    "und oder bzw. bzw sowie bis wie als noch beziehungsweise and or to nor".split()
)
"""Words after which a line-end hyphen is a suspended one: ``Vor-`` / ``und Nachteile``."""

_HEADING_MAX_WORDS = 8
_HEADING_MAX_CHARS = 80
_SENTENCE_END = re.compile(r"[.!?…:;,][\"'“”„‚‘’«»)\]]*$")
"""A line that ends like a sentence (or a clause), quotes and brackets allowed after."""
_BULLET = re.compile(r"^[-*+•–—·▪►]\s+")
_LIST_ITEM = re.compile(r"^(?:[-*+•–—·▪►]\s|\d{1,3}[.)]\s|[a-zA-Z][.)]\s)")
_HAS_LETTER = re.compile(r"[^\W\d_]")


def split_blocks(text: str) -> list[list[str]]:
    """Split LF-normalized ``text`` into blocks of stripped, non-blank lines."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def split_list_items(block: list[str]) -> list[list[str]]:
    """Split a block into list items when it is a list; bullets (not numbers) are dropped.

    A line starting with a bullet (``-`` ``•`` ...) or a number (``1.`` ``a)``)
    starts an item; other lines continue the item before them. A block that
    does not start with an item is returned whole.
    """
    if not _LIST_ITEM.match(block[0]):
        return [block]
    items: list[list[str]] = []
    for line in block:
        if _LIST_ITEM.match(line) or not items:
            items.append([_BULLET.sub("", line)])
        else:
            items[-1].append(line)
    return items


def clean_inline(text: str) -> str:
    """Drop invisible characters and collapse every whitespace run to one space."""
    return " ".join(_INVISIBLE.sub("", text).split())


def join_lines(lines: list[str]) -> str:
    """Join the lines of one paragraph with spaces, minding line-end hyphens.

    A line ending in a hyphen glued to a word (``Bundes-``) is joined to the next
    line without a space and the hyphen is kept (``Bundes-regierung``,
    ``Corona-Pandemie``): a syllable break cannot be told reliably from a real
    compound hyphen, and a kept hyphen loses no letters. When the next line
    starts with a conjunction (``Vor-`` / ``und Nachteile``) the hyphen is a
    suspended one and a space is kept.
    """
    out = ""
    for line in (clean_inline(line) for line in lines):
        if not line:
            continue
        if not out:
            out = line
        elif _WORD_HYPHEN_END.search(out) and not _starts_with_conjunction(line):
            out += line
        else:
            out += " " + line
    return out


def _starts_with_conjunction(line: str) -> bool:
    first = line.split(" ", 1)[0].lower()
    return first in _SUSPENDED_HYPHEN_FOLLOWERS


def looks_like_heading(line: str) -> bool:
    """Whether a line standing alone reads as a subheading rather than prose.

    Subheadings on news pages are short (at most 8 words and 80 characters),
    carry no closing sentence punctuation, are not list items, and contain at
    least one letter: ``Last-Minute-Details``, ``Was die Kommission jetzt plant``.
    """
    text = clean_inline(line)
    return (
        0 < len(text) <= _HEADING_MAX_CHARS
        and len(text.split()) <= _HEADING_MAX_WORDS
        and not _SENTENCE_END.search(text)
        and not _LIST_ITEM.match(text)
        and _HAS_LETTER.search(text) is not None
    )


class SectionsBuilder:
    """Collects headings and paragraphs in reading order into sections.

    Paragraphs before the first heading form the intro (``heading=None``); an
    intro without paragraphs is left out.
    """

    def __init__(self) -> None:
        self._done: list[Section] = []
        self._heading: str | None = None
        self._paragraphs: list[str] = []

    def heading(self, text: str) -> None:
        """Start a new section under ``text``."""
        self._close()
        self._heading = text

    def paragraph(self, text: str) -> None:
        """Add a paragraph to the current section; empty text is ignored."""
        if text:
            self._paragraphs.append(text)

    def build(self) -> tuple[Section, ...]:
        """The sections collected so far."""
        self._close()
        return tuple(self._done)

    def _close(self) -> None:
        if self._heading is not None or self._paragraphs:
            self._done.append(Section(self._heading, tuple(self._paragraphs)))
        self._heading = None
        self._paragraphs = []
