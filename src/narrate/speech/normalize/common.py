"""Machinery shared by the languages' normalization steps."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

__all__ = [
    "Step",
    "collapse_whitespace",
    "alternation",
    "previous_words",
    "next_word",
    "at_end",
    "URL",
    "EMAIL",
    "spoken_host",
]

Step = Callable[[str], str]
"""One normalization step: written text in, text closer to speech out."""

_WHITESPACE = re.compile(r"\s+")
_OPENING = "\"'„“‚‘«»([{¿¡"
_CLOSING = "\"'”“’‘»«)]}"

URL = re.compile(r"(?<![\w@])(?:https?://|www\.)[^\s<>\"“”„«»]+", re.IGNORECASE)
"""A web address starting with its scheme or ``www.`` (trailing punctuation included)."""
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
"""An e-mail address."""


def collapse_whitespace(text: str) -> str:
    """Runs of whitespace become one space; no space at either end."""
    return _WHITESPACE.sub(" ", text).strip()


_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+(?=[,.;:!?](?:\s|$))")


def tidy_punctuation_spacing(text: str) -> str:
    """Whitespace collapsed and none before punctuation that replacements left ("plus .")."""
    return _SPACE_BEFORE_PUNCTUATION.sub("", collapse_whitespace(text))


def alternation(words: Iterable[str]) -> str:
    """A regex group matching any of ``words`` literally, longest first."""
    return "(?:" + "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) + ")"


def previous_words(text: str, end: int, count: int = 1) -> list[str]:
    """The last ``count`` words of ``text[:end]``, opening quotes and brackets stripped."""
    return [word.lstrip(_OPENING) for word in text[:end].split()[-count:]]


def next_word(text: str, start: int) -> str:
    """The first word of ``text[start:]`` without quotes, brackets or trailing punctuation."""
    words = text[start:].split(maxsplit=1)
    return words[0].lstrip(_OPENING).rstrip(_CLOSING + ".,;:!?") if words else ""


def at_end(text: str, position: int) -> bool:
    """Whether only closing quotes, brackets and spaces follow ``position``."""
    return not text[position:].strip().strip(_CLOSING)


def spoken_host(address: str, dot: str) -> str:
    """The host name of a URL or domain with its dots read as ``dot``.

    ``https://www.tagesschau.de/inland/x`` -> ``tagesschau punkt de``.
    """
    host = re.sub(r"^[a-z]+://", "", address, flags=re.IGNORECASE)
    host = re.split(r"[/?#:]", host, maxsplit=1)[0]
    host = re.sub(r"^www\.", "", host, flags=re.IGNORECASE)
    return f" {dot} ".join(part for part in host.split(".") if part)
