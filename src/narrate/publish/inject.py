"""Putting the player into an existing article page, leaving the rest of the page as it was.

The page is never parsed into a tree and written back (that would re-indent it,
re-encode its entities and reorder its attributes). Instead a tokenizer finds where
things are, and :func:`inject_player` splices text in at those offsets:

- the player, between ``<!-- narrate:player -->`` markers, right after the
  article's ``<h1>`` (or at the top of ``<article>``, ``<main>`` or ``<body>``);
- read-along spans around the narrated sentences where the page's own paragraphs
  contain them: one span per sentence when the sentence lies in one run of text,
  otherwise one span around the paragraph's content, from its first sentence's
  start to its last one's end.

Everything narrate adds is marked, so :func:`strip_player` removes it exactly and a
second run replaces the player instead of adding another. The markers are comments,
which minifiers and some CMSes remove; narrate's markup is then still recognised by
its classes (the player's ``narrate-embed`` or ``narrate-player`` element, the
``narrate-s`` spans with their ``data-start``), so a later run neither adds a second
player nor wraps a sentence twice. Article text is only ever kept where the page had
it: nothing from the article is inserted as markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser

__all__ = [
    "PLAYER_BEGIN",
    "PLAYER_END",
    "TimedSentence",
    "has_player",
    "inject_player",
    "strip_player",
]

PLAYER_BEGIN = "<!-- narrate:player -->"
PLAYER_END = "<!-- /narrate:player -->"
_SPAN_OPENED = "<!--narrate-s-->"
_SPAN_CLOSING = "<!--/narrate-s-->"
_SPAN_END = _SPAN_CLOSING + "</span>"
_PLAYER = re.compile(re.escape(PLAYER_BEGIN) + r".*?" + re.escape(PLAYER_END) + r"\n?", re.S)
_LONE_MARKER = re.compile(r"<!-- /?narrate:player -->\n?")
_GONE = "\x00"
"""Stands for a removed player until its line breaks and any marker left go too."""
_LEFTOVER_BLOCK = re.compile(
    f"(?:{re.escape(PLAYER_BEGIN)})?\n?{_GONE}\n?(?:{re.escape(PLAYER_END)})?\n?"
)
_PLAYER_CLASSES = frozenset({"narrate-embed", "narrate-player"})
_SPAN_CLASS = "narrate-s"
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?")
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li"})
_CONTAINERS = ("article", "main", "body")
_SKIPPED_CONTENT = frozenset({"script", "style", "template", "noscript", "textarea"})
_LOOKAHEAD = 4
"""How many narrated sentences may be missing from the page before one that is found."""


@dataclass(frozen=True)
class TimedSentence:
    """A narrated sentence as displayed, and when it is spoken (milliseconds)."""

    text: str
    start_ms: int
    end_ms: int


def strip_player(page: str) -> str:
    """``page`` without anything :func:`inject_player` added to it.

    With its comment markers intact the player goes exactly as it came; without
    them (a minifier removed them, or someone deleted one), the player's element
    and the read-along spans are found by their classes and removed all the same.
    """
    page = _PLAYER.sub("", page)
    found = _OwnMarkup.of(page)
    gone = "" if _GONE in page else _GONE  # a page is never changed where it had one
    cuts = [(first, last, gone) for first, last in found.players]
    cuts += [(first, last, "") for first, last in found.span_tags]
    page = _apply(page, cuts)
    if gone:
        page = _LEFTOVER_BLOCK.sub("", page)
    page = _LONE_MARKER.sub("", page)
    return page.replace(_SPAN_OPENED, "").replace(_SPAN_CLOSING, "")


def has_player(page: str) -> bool:
    """Whether ``page`` holds a player :func:`inject_player` put there (markers or not)."""
    return PLAYER_BEGIN in page or bool(_OwnMarkup.of(page).players)


def inject_player(page: str, player: str, sentences: Sequence[TimedSentence]) -> str:
    """``page`` with ``player`` (trusted markup) at the top of its article and read-along spans.

    An earlier player and its spans are removed first, so injecting twice gives the
    same page as injecting once.
    """
    page = strip_player(page)
    layout = _Layout.of(page)
    player = player.rstrip("\n")  # so the block is the same for any player markup
    edits = [(layout.player_offset, 2, f"{PLAYER_BEGIN}\n{player}\n{PLAYER_END}\n")]
    edits += _read_along_edits(page, layout.blocks, sentences)
    return _insert(page, edits)


@dataclass
class _Block:
    """A paragraph, heading or list item: where its content is and its runs of text."""

    name: str
    inner_start: int
    inner_end: int = -1
    runs: list[tuple[int, int]] = field(default_factory=list)
    leaf: bool = True


@dataclass
class _Layout:
    """Where the player goes and which blocks of the article may hold narrated text."""

    player_offset: int
    blocks: list[_Block]

    @classmethod
    def of(cls, page: str) -> _Layout:
        scanner = _Scanner(page)
        scanner.feed(page)
        scanner.close()
        return cls(scanner.player_offset(), scanner.article_blocks())


class _OffsetParser(HTMLParser):
    """A tokenizer that knows where in the page each tag it reports starts and ends."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=False)
        self._page = page
        self._line_starts = [0] + [match.end() for match in re.finditer("\n", page)]

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def _tag_end(self, start: int) -> int:
        end = self._page.find(">", start)
        return len(self._page) if end < 0 else end + 1


@dataclass
class _OpenPlayer:
    """An earlier player's outermost element, found by its class, until it closes."""

    tag: str
    start: int
    depth: int = 1


class _OwnMarkup(_OffsetParser):
    """Finds what :func:`inject_player` added by its classes, markers or not.

    ``players`` are the ``(first, last)`` offsets of each earlier player's whole
    element; ``span_tags`` those of the start and end tag of every read-along span
    (its text stays).
    """

    def __init__(self, page: str) -> None:
        super().__init__(page)
        self.players: list[tuple[int, int]] = []
        self.span_tags: list[tuple[int, int]] = []
        self._player: _OpenPlayer | None = None
        self._spans: list[bool] = []
        """The open spans outside the player, innermost last: whether each is narrate's."""

    @classmethod
    def of(cls, page: str) -> _OwnMarkup:
        """The finder, having read all of ``page``."""
        finder = cls(page)
        finder.feed(page)
        finder.close()
        return finder

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._offset()
        if self._player is not None:
            self._player.depth += tag == self._player.tag
            return
        names = dict(attrs)
        classes = set((names.get("class") or "").split())
        if classes & _PLAYER_CLASSES:
            self._player = _OpenPlayer(tag, start)
        elif tag == "span":
            ours = _SPAN_CLASS in classes and "data-start" in names
            self._spans.append(ours)
            if ours:
                self.span_tags.append((start, start + len(self.get_starttag_text() or "")))

    def handle_endtag(self, tag: str) -> None:
        start = self._offset()
        player = self._player
        if player is not None:
            player.depth -= tag == player.tag
            if player.depth == 0:
                self.players.append((player.start, self._tag_end(start)))
                self._player = None
        elif tag == "span" and self._spans and self._spans.pop():
            self.span_tags.append((start, self._tag_end(start)))


class _Scanner(_OffsetParser):
    """Records tag offsets: containers, the headline, and leaf text blocks with their runs."""

    def __init__(self, page: str) -> None:
        super().__init__(page)
        self._open: list[_Block] = []
        self._blocks: list[_Block] = []
        self._containers: dict[str, tuple[int, int]] = {}
        self._depth: dict[str, int] = {}
        self._h1_end: int | None = None
        self._text_start: int | None = None
        self._skipping: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._offset()
        end = start + len(self.get_starttag_text() or "")
        self._end_text(start)
        if tag in _SKIPPED_CONTENT:
            self._skipping = tag
            return
        self._open_container(tag, end)
        if tag in _BLOCKS:
            self._close_paragraph(start)
            for block in self._open:
                block.leaf = False
            self._open.append(_Block(tag, end))
        self._text_start = end

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._offset()
        self._end_text(start)
        self._text_start = start + len(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        start = self._offset()
        self._end_text(start)
        end = self._tag_end(start)
        if self._skipping is not None:
            if tag == self._skipping:
                self._skipping = None
            self._text_start = end
            return
        self._close_container(tag, start)
        if tag == "h1" and self._h1_end is None and self._inside_article():
            self._h1_end = end
        self._close_block(tag, start)
        self._text_start = end

    def handle_data(self, data: str) -> None:
        if self._text_start is None:
            self._text_start = self._offset()

    def handle_entityref(self, name: str) -> None:
        self.handle_data("")

    def handle_charref(self, name: str) -> None:
        self.handle_data("")

    def handle_comment(self, data: str) -> None:
        start = self._offset()
        self._end_text(start)
        self._text_start = start + len(data) + 7  # <!-- -->

    def _end_text(self, offset: int) -> None:
        """A run of text ends where a tag starts; it belongs to the innermost open block."""
        if self._text_start is not None and offset > self._text_start and self._skipping is None:
            if self._open:
                self._open[-1].runs.append((self._text_start, offset))
        self._text_start = None

    def _open_container(self, tag: str, end: int) -> None:
        if tag in _CONTAINERS:
            self._depth[tag] = self._depth.get(tag, 0) + 1
            self._containers.setdefault(tag, (end, -1))

    def _close_container(self, tag: str, start: int) -> None:
        if tag in _CONTAINERS and self._depth.get(tag):
            self._depth[tag] -= 1
            opened, closed = self._containers[tag]
            if self._depth[tag] == 0 and closed < 0:
                self._containers[tag] = (opened, start)

    def _close_paragraph(self, offset: int) -> None:
        """A block start closes an open ``<p>`` (HTML lets pages omit ``</p>``)."""
        if self._open and self._open[-1].name == "p":
            self._finish(self._open.pop(), offset)

    def _close_block(self, tag: str, offset: int) -> None:
        names = [block.name for block in self._open]
        if tag not in names:
            return
        while self._open:
            block = self._open.pop()
            self._finish(block, offset)
            if block.name == tag:
                return

    def _finish(self, block: _Block, offset: int) -> None:
        block.inner_end = offset
        self._blocks.append(block)

    def _inside_article(self) -> bool:
        return any(self._depth.get(name) for name in _CONTAINERS)

    def player_offset(self) -> int:
        """After the article's headline, else at the top of the first container found."""
        if self._h1_end is not None:
            return self._h1_end
        for name in _CONTAINERS:
            if name in self._containers:
                return self._containers[name][0]
        return 0

    def article_blocks(self) -> list[_Block]:
        """Leaf blocks inside the article container, in page order."""
        for name in self._open:
            self._finish(name, len(self._page))
        self._open.clear()
        first, last = self._container_span()
        blocks = [b for b in self._blocks if b.leaf and first <= b.inner_start < last]
        return sorted(blocks, key=lambda block: block.inner_start)

    def _container_span(self) -> tuple[int, int]:
        for name in _CONTAINERS:
            if name in self._containers:
                start, end = self._containers[name]
                return start, end if end >= 0 else len(self._page)
        return 0, len(self._page)


@dataclass
class _Text:
    """A block's text as a reader sees it, each character mapped back to the page."""

    text: str
    starts: list[int]
    ends: list[int]

    @classmethod
    def of(cls, page: str, block: _Block) -> _Text:
        chars: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        for first, last in block.runs:
            for char, start, end in _characters(page, first, last):
                if char in _INVISIBLE:
                    continue
                if char.isspace():
                    if not chars or chars[-1] == " ":
                        continue
                    char = " "
                chars.append(char)
                starts.append(start)
                ends.append(end)
        while chars and chars[-1] == " ":
            chars.pop()
            starts.pop()
            ends.pop()
        return cls("".join(chars), starts, ends)


def _characters(page: str, first: int, last: int) -> list[tuple[str, int, int]]:
    """The decoded characters of ``page[first:last]`` with the source span of each."""
    decoded: list[tuple[str, int, int]] = []
    position = first
    while position < last:
        match = _ENTITY.match(page, position, last) if page[position] == "&" else None
        if match is None:
            decoded.append((page[position], position, position + 1))
            position += 1
            continue
        for char in html.unescape(match.group()):
            decoded.append((char, position, match.end()))
        position = match.end()
    return decoded


def _normal(sentence: str) -> str:
    visible = "".join(char for char in sentence if char not in _INVISIBLE)
    return " ".join(visible.split())


@dataclass(frozen=True)
class _Match:
    block: int
    sentence: TimedSentence
    first: int
    last: int
    """Character range in the block's text."""


def _matches(texts: Sequence[_Text], sentences: Sequence[TimedSentence]) -> list[_Match]:
    """Narrated sentences found in the blocks, in order; a few missing ones are skipped."""
    wanted = [(_normal(sentence.text), sentence) for sentence in sentences]
    found: list[_Match] = []
    next_sentence = 0
    for index, text in enumerate(texts):
        cursor = 0
        while next_sentence < len(wanted):
            hit = _first_found(text.text, wanted, next_sentence, cursor)
            if hit is None:
                break
            position, which = hit
            needle, sentence = wanted[which]
            found.append(_Match(index, sentence, position, position + len(needle)))
            cursor, next_sentence = position + len(needle), which + 1
    return found


def _first_found(
    text: str, wanted: Sequence[tuple[str, TimedSentence]], start: int, cursor: int
) -> tuple[int, int] | None:
    for which in range(start, min(len(wanted), start + _LOOKAHEAD + 1)):
        needle = wanted[which][0]
        position = text.find(needle, cursor) if needle else -1
        if position >= 0:
            return position, which
    return None


def _read_along_edits(
    page: str, blocks: Sequence[_Block], sentences: Sequence[TimedSentence]
) -> list[tuple[int, int, str]]:
    texts = [_Text.of(page, block) for block in blocks]
    return _edits_for(page, texts, blocks, _matches(texts, sentences))


def _edits_for(
    page: str, texts: Sequence[_Text], blocks: Sequence[_Block], matches: Sequence[_Match]
) -> list[tuple[int, int, str]]:
    """A span per sentence where each can be wrapped; else one around the paragraph."""
    edits: list[tuple[int, int, str]] = []
    by_block: dict[int, list[_Match]] = {}
    for match in matches:
        by_block.setdefault(match.block, []).append(match)
    for index, found in by_block.items():
        ranges = [(texts[index].starts[m.first], texts[index].ends[m.last - 1]) for m in found]
        if all(_balanced(page[first:last]) for first, last in ranges):
            for (first, last), match in zip(ranges, found, strict=True):
                edits += _span(first, last, match.sentence, match.sentence)
            continue
        first, last = blocks[index].inner_start, blocks[index].inner_end
        while last > first and page[last - 1].isspace():
            last -= 1
        edits += _span(first, last, found[0].sentence, found[-1].sentence)
    return edits


_TAG = re.compile(r"<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9-]*)[^>]*?(/?)>", re.S)
_VOID = frozenset(
    {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


def _balanced(markup: str) -> bool:
    """Whether every element opened in ``markup`` closes in it, and none closes unopened."""
    stack: list[str] = []
    for match in _TAG.finditer(markup):
        closing, name, self_closing = match.groups()
        if name is None or self_closing or name.lower() in _VOID:
            continue
        if not closing:
            stack.append(name.lower())
        elif not stack or stack.pop() != name.lower():
            return False
    return not stack


def _span(
    first: int, last: int, opening: TimedSentence, closing: TimedSentence
) -> list[tuple[int, int, str]]:
    attributes = (
        f'data-start="{opening.start_ms / 1000:.3f}" data-end="{closing.end_ms / 1000:.3f}"'
    )
    return [
        (first, 1, f'<span class="narrate-s" {attributes}><!--narrate-s-->'),
        (last, 0, _SPAN_END),
    ]


def _insert(page: str, edits: Sequence[tuple[int, int, str]]) -> str:
    """Insert every ``(offset, order, text)``; at one offset, closings come before openings."""
    ordered = sorted(edits, key=lambda edit: (edit[0], edit[1]))
    return _apply(page, [(offset, offset, text) for offset, _, text in ordered])


def _apply(page: str, replacements: Sequence[tuple[int, int, str]]) -> str:
    """``page`` with each ``(first, last, text)`` range replaced by its text, in page order."""
    pieces: list[str] = []
    position = 0
    for first, last, text in sorted(replacements, key=lambda cut: cut[0]):
        pieces.append(page[position:first])
        pieces.append(text)
        position = last
    pieces.append(page[position:])
    return "".join(pieces)
