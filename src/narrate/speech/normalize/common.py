"""Machinery shared by the languages' normalization steps."""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["Step", "collapse_whitespace"]

Step = Callable[[str], str]
"""One normalization step: written text in, text closer to speech out."""

_WHITESPACE = re.compile(r"\s+")


def collapse_whitespace(text: str) -> str:
    """Runs of whitespace become one space; no space at either end."""
    return _WHITESPACE.sub(" ", text).strip()
