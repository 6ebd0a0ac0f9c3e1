"""The article model every reader produces."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Section", "Article"]


@dataclass(frozen=True)
class Section:
    """A run of paragraphs under one subheading (``None`` for the intro)."""

    heading: str | None
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Article:
    """A readable article: its title, its sections, and its declared language.

    ``language`` is the language the source declared (HTML ``lang``, front
    matter) or ``None`` when the reader could not tell.
    """

    title: str
    sections: tuple[Section, ...]
    language: str | None = None

    @property
    def paragraph_count(self) -> int:
        """How many paragraphs the article has, over all sections."""
        return sum(len(section.paragraphs) for section in self.sections)
