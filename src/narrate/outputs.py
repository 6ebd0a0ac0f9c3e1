"""Where narrate can write audio: the formats by file extension, and stdout.

Kept apart from the encoder so that the command line can check an output name
without loading the audio libraries.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

__all__ = [
    "FORMATS",
    "PAGE_GENERATOR",
    "SNIPPET_START",
    "STDOUT",
    "is_narrates_page",
    "is_narrates_snippet",
    "someone_elses",
]

FORMATS: dict[str, str] = {
    ".mp3": "mp3",
    ".wav": "wav",
    ".ogg": "ogg",
    ".opus": "opus",
    ".m4a": "m4a",
}
"""File extension -> format name, for every format the encoder writes."""

STDOUT = "-"
"""The output name that means standard output."""

PAGE_GENERATOR = '<meta name="generator" content="narrate">'
"""The mark in the head of every player page ``--html`` writes."""


SNIPPET_START = '<div class="narrate-embed" lang="'
"""How every player snippet ``--html`` writes (``ARTICLE.embed.html``) begins."""


def is_narrates_page(path: Path) -> bool:
    """Whether ``path`` is a player page narrate wrote (its head carries the mark)."""
    return PAGE_GENERATOR.encode() in _head(path, 4096)


def is_narrates_snippet(path: Path) -> bool:
    """Whether ``path`` is a player snippet narrate wrote (it begins with the snippet's root)."""
    return _head(path, len(SNIPPET_START)) == SNIPPET_START.encode()


def _head(path: Path, size: int) -> bytes:
    """The first ``size`` bytes of ``path``; nothing when it cannot be read."""
    try:
        with path.open("rb") as file:
            return file.read(size)
    except OSError:
        return b""


def someone_elses(path: Path, made_by_narrate: Callable[[Path], bool]) -> bool:
    """Whether ``path`` holds a file that narrate did not write, so it must stay.

    narrate reuses a name it chose itself (``ARTICLE.html``, ``ARTICLE.json``, …)
    only when the file there is its own, as ``made_by_narrate`` tells.
    """
    return path.exists() and not made_by_narrate(path)
