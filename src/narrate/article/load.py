"""Reading an article from a file or standard input.

:func:`read_source` turns a path (or ``"-"`` for standard input) into checked,
decoded text and the kind of reader it needs; :func:`parse_article` runs that
reader and removes boilerplate; :func:`load_article` does both. Every problem
with the input is an :class:`~narrate.errors.InputError` with one clear line.
"""

from __future__ import annotations

import codecs
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from narrate.article.boilerplate import remove_boilerplate, remove_boilerplate_lines
from narrate.article.markdown import read_markdown
from narrate.article.model import Article
from narrate.article.text import read_text
from narrate.errors import InputError

__all__ = [
    "STDIN",
    "READERS",
    "KINDS_BY_SUFFIX",
    "SourceText",
    "read_source",
    "decode_text",
    "parse_article",
    "load_article",
]

STDIN = "-"
"""The source name that means standard input."""

Reader = Callable[[str], Article]

READERS: Mapping[str, Reader] = {"text": read_text, "markdown": read_markdown}
"""One reader per input kind; a new kind (HTML) adds itself here."""

KINDS_BY_SUFFIX: Mapping[str, str] = {".md": "markdown", ".markdown": "markdown"}
"""File suffix (lower case) to input kind; any other suffix is read as plain text."""

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_BINARY_SAMPLE = 8192
_BINARY_CONTROL_SHARE = 0.1
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
_MARKDOWN_START = re.compile(r"\A\s*(?:#{1,6} \S|---\n)")


@dataclass(frozen=True)
class SourceText:
    """Decoded article text and what to read it with.

    ``text`` has LF line ends and no byte order mark; ``kind`` is a key of
    :data:`READERS`; ``name`` is how messages refer to the source.
    """

    text: str
    kind: str
    name: str


def read_source(source: str | Path, stdin: BinaryIO | None = None) -> SourceText:
    """Read ``source`` (a path, or ``"-"`` for ``stdin``) into checked text.

    Raises :class:`~narrate.errors.InputError` when the file is missing, a
    directory, unreadable, binary, not UTF-8, or holds nothing to narrate.
    """
    if str(source) == STDIN:
        name = "standard input"
        data = (stdin if stdin is not None else sys.stdin.buffer).read()
        text = decode_text(data, name)
        kind = "markdown" if _MARKDOWN_START.match(text) else "text"
    else:
        path = Path(source)
        name = str(source)
        text = decode_text(_read_bytes(path), name)
        kind = KINDS_BY_SUFFIX.get(path.suffix.lower(), "text")
    if not text.strip():
        raise InputError(f"{name} is empty: nothing to narrate")
    return SourceText(text=text, kind=kind, name=name)


def _read_bytes(path: Path) -> bytes:
    if path.is_dir():
        raise InputError(f"{path} is a directory, not an article", "give the path of a file")
    if not path.exists():
        raise InputError(f"article not found: {path}", "check the path and its spelling")
    try:
        return path.read_bytes()
    except PermissionError as error:
        raise InputError(
            f"cannot read {path}: permission denied", "check the file's permissions"
        ) from error
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror or error}") from error


def decode_text(data: bytes, name: str) -> str:
    """Decode article bytes to text with LF line ends.

    UTF-8 with or without a byte order mark; UTF-16 only with its byte order
    mark (that is how Windows editors save "Unicode" text). Anything else is
    refused with the offset of the first bad byte: guessing a legacy encoding
    would put wrong letters into the narration without a word of warning.
    """
    if data.startswith(_UTF16_BOMS):
        text = _decode(data, "utf-16", name)
    elif b"\x00" in data or _mostly_control(data[:_BINARY_SAMPLE].decode("latin-1")):
        raise InputError(f"{name} looks like a binary file, not an article")
    else:
        text = _decode(data, "utf-8-sig", name)
    if _mostly_control(text[:_BINARY_SAMPLE]):
        raise InputError(f"{name} looks like a binary file, not an article")
    return _LINE_BREAKS.sub("\n", text)


def _decode(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        bad = data[error.start : error.start + 1].hex().upper()
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            f"{name} is not valid {encoding.removesuffix('-sig').upper()} text "
            f"(byte 0x{bad} at offset {error.start}, line {line})",
            "convert it to UTF-8, e.g. iconv -f WINDOWS-1252 -t UTF-8",
        ) from error


def _mostly_control(sample: str) -> bool:
    return bool(sample) and len(_CONTROL.findall(sample)) > _BINARY_CONTROL_SHARE * len(sample)


def parse_article(
    source: SourceText,
    *,
    keep_boilerplate: bool = False,
    extra_patterns: Sequence[str] = (),
) -> Article:
    """Read ``source`` with the reader for its kind, then remove boilerplate.

    Boilerplate goes twice: first every line that is boilerplate on its own
    (before the reader joins lines into paragraphs), then every paragraph and
    heading. ``extra_patterns`` add to the built-in ones.
    """
    text = source.text
    if not keep_boilerplate:
        text = remove_boilerplate_lines(text, extra_patterns)
    if not text.strip():
        raise InputError(f"{source.name} holds nothing but page furniture: nothing to narrate")
    article = READERS[source.kind](text)
    if not keep_boilerplate:
        article = remove_boilerplate(article, extra_patterns)
    return article


def load_article(
    source: str | Path,
    *,
    keep_boilerplate: bool = False,
    extra_patterns: Sequence[str] = (),
    stdin: BinaryIO | None = None,
) -> Article:
    """Read and parse an article from a path or ``"-"`` (see :func:`read_source`)."""
    return parse_article(
        read_source(source, stdin),
        keep_boilerplate=keep_boilerplate,
        extra_patterns=extra_patterns,
    )
