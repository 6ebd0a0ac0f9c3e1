"""The plain-text reader: text copied from a news page, or typed by hand.

The first non-empty line is the title. Blank lines separate paragraphs; the
lines inside a paragraph are joined with spaces; each list item is a paragraph
of its own. A line standing alone between
blank lines that reads like a subheading (short, no closing punctuation, not a
list item) starts a new section, the way news pages set theirs.
"""

from __future__ import annotations

from narrate.article.blocks import (
    SectionsBuilder,
    join_lines,
    looks_like_heading,
    split_blocks,
    split_list_items,
)
from narrate.article.model import Article

__all__ = ["read_text"]


def read_text(text: str, language: str | None = None) -> Article:
    """Read LF-normalized plain text into an :class:`Article`.

    ``language`` is recorded as the article's declared language; plain text
    declares none by itself.
    """
    blocks = split_blocks(text)
    if not blocks:
        return Article(title="", sections=(), language=language)
    title, *rest = blocks[0]
    if rest:
        blocks[0] = rest
    else:
        blocks.pop(0)
    builder = SectionsBuilder()
    for block in blocks:
        if len(block) == 1 and looks_like_heading(block[0]):
            builder.heading(join_lines(block))
        else:
            for item in split_list_items(block):
                builder.paragraph(join_lines(item))
    return Article(title=join_lines([title]), sections=builder.build(), language=language)
