"""A small Markdown reader: enough for articles written in Markdown.

The title is the front matter's ``title`` when there is one, else the first
level-1 heading, else the first line. Other headings start sections; paragraphs
are separated by blank lines; every list item and table row is a paragraph of
its own. Inline markup is reduced to its text: emphasis markers and code ticks
go, links keep their text, images, footnote marks and HTML tags vanish. Code
blocks are not read. A full CommonMark parser can replace this later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from narrate.article.blocks import SectionsBuilder, clean_inline, join_lines
from narrate.article.model import Article

__all__ = ["read_markdown", "strip_inline"]

_FRONT_MATTER = re.compile(
    r"\A(---|\+\+\+)[ \t]*\n(.*?)\n(?:---|\.\.\.|\+\+\+)[ \t]*(?:\n|\Z)", re.S
)
_META_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*[:=]\s*(.*?)\s*$")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^\s{0,3}(#{1,6})(?:\s+(.*?))?(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?(.*)$")
_QUOTE = re.compile(r"^\s{0,3}(?:>\s?)+")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_LINK_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S")

_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|~])")
_INLINE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"!\[[^\]]*\](?:\((?:[^()]|\([^()]*\))*\)|\[[^\]]*\])"), ""),
    (re.compile(r"\[\^[^\]]+\]"), ""),
    (re.compile(r"\[([^\]]*)\]\((?:[^()]|\([^()]*\))*\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),
    (re.compile(r"<((?:https?|mailto):[^>\s]+)>"), r"\1"),
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),
    (re.compile(r"`+([^`]*)`+"), r"\1"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),
)


@dataclass
class _Block:
    """A heading (``level`` > 0) or a paragraph (``level`` 0) and its lines."""

    level: int
    lines: list[str] = field(default_factory=list)


def read_markdown(text: str, language: str | None = None) -> Article:
    """Read LF-normalized Markdown into an :class:`Article`.

    A front matter ``lang`` or ``language`` is the declared language;
    ``language`` is used when the front matter declares none.
    """
    meta, body = _split_front_matter(text)
    blocks = _blocks(_HTML_COMMENT.sub("", body))
    title = _take_title(blocks, meta.get("title", ""))
    builder = SectionsBuilder()
    for block in blocks:
        content = strip_inline(join_lines(block.lines))
        if block.level:
            builder.heading(content)
        else:
            builder.paragraph(content)
    declared = meta.get("lang") or meta.get("language") or language
    return Article(title=title, sections=builder.build(), language=declared)


def strip_inline(text: str) -> str:
    """Reduce Markdown inline markup to the text a reader would see."""
    text = _ESCAPE.sub(lambda m: f"\x00{ord(m.group(1))}\x00", text)
    for pattern, replacement in _INLINE_RULES:
        text = pattern.sub(replacement, text)
    text = re.sub(r"\x00(\d+)\x00", lambda m: chr(int(m.group(1))), text)
    return clean_inline(text)


def _split_front_matter(text: str) -> tuple[dict[str, str], str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    meta: dict[str, str] = {}
    for line in match.group(2).split("\n"):
        item = _META_LINE.match(line)
        if item:
            meta[item.group(1).lower()] = item.group(2).strip("\"'")
    return meta, text[match.end() :]


def _blocks(body: str) -> list[_Block]:
    """Headings and paragraphs in order; code blocks, rules and link definitions dropped."""
    blocks: list[_Block] = []
    paragraph: _Block | None = None
    fence: str | None = None
    for line in body.split("\n"):
        if fence is not None:
            fence = None if line.strip().startswith(fence) else fence
            continue
        opening = _FENCE.match(line)
        if opening:
            fence, paragraph = opening.group(1), None
            continue
        paragraph = _add_line(blocks, paragraph, line)
    return [block for block in blocks if any(block.lines)]


def _add_line(blocks: list[_Block], paragraph: _Block | None, line: str) -> _Block | None:
    """Add one line to ``blocks``; return the paragraph that later lines continue."""
    line = _QUOTE.sub("", line)
    if not line.strip() or _LINK_DEFINITION.match(line) or _is_table_rule(line):
        return None
    atx = _ATX.match(line)
    if atx:
        blocks.append(_Block(len(atx.group(1)), [atx.group(2) or ""]))
        return None
    underline = _SETEXT.match(line)
    if underline and paragraph is not None and paragraph.level == 0:
        paragraph.level = 1 if underline.group(1).startswith("=") else 2
        return None
    if _RULE.match(line):
        return None
    item = _LIST_ITEM.match(line)
    if item or line.lstrip().startswith("|"):
        text = item.group(1) if item else ", ".join(_table_cells(line))
        blocks.append(_Block(0, [text]))
        return blocks[-1]
    if paragraph is None:
        blocks.append(_Block(0))
        paragraph = blocks[-1]
    paragraph.lines.append(line)
    return paragraph


def _is_table_rule(line: str) -> bool:
    return "|" in line and _TABLE_RULE.match(line) is not None


def _table_cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.strip().strip("|").split("|") if cell.strip()]


def _take_title(blocks: list[_Block], declared: str) -> str:
    """Remove the title from ``blocks`` and return it (see :func:`read_markdown`)."""
    if declared:
        for index, block in enumerate(blocks):
            if block.level == 1 and _same(strip_inline(join_lines(block.lines)), declared):
                del blocks[index]
                break
        return clean_inline(declared)
    for index, block in enumerate(blocks):
        if block.level == 1:
            del blocks[index]
            return strip_inline(join_lines(block.lines))
    if not blocks:
        return ""
    first = blocks[0]
    if first.level or len(first.lines) == 1:
        del blocks[0]
        return strip_inline(join_lines(first.lines))
    return strip_inline(first.lines.pop(0))


def _same(a: str, b: str) -> bool:
    return clean_inline(a).casefold() == clean_inline(b).casefold()
