"""The Markdown reader: CommonMark (plus tables, strikethrough, footnotes) via markdown-it-py.

The title is the front matter's ``title`` when there is one, else the first
level-1 heading, else the first line. Other headings start sections; every
paragraph, list item (nested ones too) and table row is a paragraph of its
own, and paragraphs inside block quotes are read. Inline markup is reduced to
its text: emphasis and strikethrough markers go, links and inline code keep
their text, images (alt text included), footnote marks, HTML tags and comments
vanish, entities and escapes are decoded. Code blocks, raw HTML blocks and
footnote definitions are not read.

Front matter is YAML between ``---`` lines or TOML between ``+++`` lines; a
malformed one is ignored with a warning.
"""

from __future__ import annotations

import functools
import logging
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING

from narrate.article.blocks import SectionsBuilder, clean_inline, join_lines
from narrate.article.model import Article

if TYPE_CHECKING:  # the parser loads with the first Markdown article
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = ["read_markdown", "strip_inline"]

log = logging.getLogger(__name__)

_TOML_FRONT_MATTER = re.compile(r"\A\+\+\+[ \t]*\n(.*?)^\+\+\+[ \t]*$\n?", re.S | re.M)
_FOOTNOTE_MARK = re.compile(r"\[\^[^\]\s]+\]")
"""A footnote mark whose definition is missing (defined ones are parsed)."""
_LINE_BREAK_TAG = re.compile(r"<br\s*/?>", re.I)
_GAP = "\x00"
"""Marks where an image, tag or footnote mark was dropped, until the text is joined."""
_GAP_BEFORE_PUNCTUATION = re.compile(r"[ \t]*\x00+(?=[.,;:!?…])")
_CELL_OPENERS = frozenset({"th_open", "td_open"})

Meta = dict[str, object]


@dataclass
class _Block:
    """A heading (``level`` > 0) or a paragraph (``level`` 0) and its lines."""

    level: int
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return join_lines(self.lines)


def read_markdown(text: str, language: str | None = None) -> Article:
    """Read LF-normalized Markdown into an :class:`Article`.

    A front matter ``lang`` or ``language`` is the declared language;
    ``language`` is used when the front matter declares none.
    """
    meta, body = _split_toml_front_matter(text)
    tokens = _parser().parse(body)
    if tokens and tokens[0].type == "front_matter":
        meta = _load_front_matter(tokens[0].content, "YAML")
    blocks = _blocks(tokens)
    title = _take_title(blocks, _meta_text(meta, "title"))
    builder = SectionsBuilder()
    for block in blocks:
        if block.level:
            builder.heading(block.text)
        else:
            builder.paragraph(block.text)
    declared = _meta_text(meta, "lang") or _meta_text(meta, "language") or language
    return Article(title=title, sections=builder.build(), language=declared)


def strip_inline(text: str) -> str:
    """Reduce one paragraph of Markdown inline markup to the text a reader would hear.

    No link reference definitions are known here, so ``[text][ref]`` stays as
    written (as CommonMark renders it); :func:`read_markdown` resolves them.
    """
    tokens = _parser().parseInline(text)
    return join_lines(_inline_lines(tokens[0]) if tokens else [])


@functools.cache
def _parser() -> MarkdownIt:
    """CommonMark with tables, strikethrough, YAML front matter, footnotes and task lists."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin
    from mdit_py_plugins.tasklists import tasklists_plugin

    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    return parser.use(front_matter_plugin).use(footnote_plugin).use(tasklists_plugin)


def _split_toml_front_matter(text: str) -> tuple[Meta, str]:
    """TOML front matter (between ``+++`` lines) and the text after it."""
    match = _TOML_FRONT_MATTER.match(text)
    if not match:
        return {}, text
    return _load_front_matter(match.group(1), "TOML"), text[match.end() :]


def _load_front_matter(source: str, kind: str) -> Meta:
    """Front matter keys (lower case) and values; ``{}`` with a warning when malformed."""
    import yaml

    try:
        data = tomllib.loads(source) if kind == "TOML" else yaml.safe_load(source)
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as error:
        reason = " ".join(str(error).split())
        log.warning("ignoring malformed %s front matter: %s", kind, reason)
        return {}
    if data is None:
        return {}
    if not isinstance(data, dict):
        log.warning("ignoring %s front matter that is not a set of keys and values", kind)
        return {}
    return {str(key).lower(): value for key, value in data.items()}


def _meta_text(meta: Meta, key: str) -> str:
    """A front matter value as one line of text; ``""`` when missing or not a scalar."""
    value = meta.get(key)
    if value is None or isinstance(value, (dict, list)):
        return ""
    return clean_inline(str(value))


def _blocks(tokens: Sequence[Token]) -> list[_Block]:
    """Headings and paragraphs in reading order; empty ones dropped."""
    blocks: list[_Block] = []
    cells: list[str] = []
    for opener, token in _readable(tokens):
        if token.type == "tr_close":
            blocks.append(_Block(0, [", ".join(cell for cell in cells if cell)]))
            cells = []
        elif opener.type in _CELL_OPENERS:
            cells.append(join_lines(_inline_lines(token)))
        else:
            blocks.append(_Block(_heading_level(opener), _inline_lines(token)))
    return [block for block in blocks if block.text]


def _readable(tokens: Sequence[Token]) -> Iterator[tuple[Token, Token]]:
    """Inline tokens (with the block token that opens them) and table row ends.

    Footnote definitions are skipped. Code blocks and HTML blocks have no
    inline tokens, so they are never seen.
    """
    in_footnotes = False
    for opener, token in pairwise(tokens):
        if token.type.startswith("footnote_block_"):
            in_footnotes = token.type == "footnote_block_open"
        elif not in_footnotes and token.type in ("inline", "tr_close"):
            yield opener, token


def _heading_level(opener: Token) -> int:
    """1-6 for a heading at the top level, 0 for a paragraph (or a heading in a list or quote)."""
    if opener.type != "heading_open" or opener.level != 0:
        return 0
    return int(opener.tag[1:])


def _inline_lines(inline: Token) -> list[str]:
    """The text of an inline token, split where the source broke the line."""
    text = "".join(_inline_part(child) for child in inline.children or [])
    text = _GAP_BEFORE_PUNCTUATION.sub("", text).replace(_GAP, "")
    return text.split("\n")


def _inline_part(child: Token) -> str:
    """What one inline child contributes: its text, a line break, or a gap."""
    if child.type == "text":
        return _FOOTNOTE_MARK.sub(_GAP, child.content)
    if child.type == "code_inline":
        return child.content
    if child.type in ("softbreak", "hardbreak"):
        return "\n"
    if child.type == "html_inline" and _LINE_BREAK_TAG.fullmatch(child.content):
        return "\n"
    if child.type in ("image", "html_inline", "footnote_ref"):
        return _GAP
    return ""


def _take_title(blocks: list[_Block], declared: str) -> str:
    """Remove the title from ``blocks`` and return it (see :func:`read_markdown`)."""
    if declared:
        for index, block in enumerate(blocks):
            if block.level == 1 and _same(block.text, declared):
                del blocks[index]
                break
        return declared
    for index, block in enumerate(blocks):
        if block.level == 1:
            return blocks.pop(index).text
    if not blocks:
        return ""
    first = blocks[0]
    if first.level or len(first.lines) == 1:
        return blocks.pop(0).text
    return clean_inline(first.lines.pop(0))


def _same(a: str, b: str) -> bool:
    return clean_inline(a).casefold() == clean_inline(b).casefold()
