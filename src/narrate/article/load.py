"""Reading an article from a file, standard input, or a web address.

:func:`read_source` turns a path (or ``"-"`` for standard input, or an http(s)
URL) into checked, decoded text and the kind of reader it needs;
:func:`parse_article` runs that reader and removes boilerplate;
:func:`load_article` does both. Every problem with the input is an
:class:`~narrate.errors.InputError` with one clear line; a page that could not
be fetched is a :class:`~narrate.errors.NetworkError`.
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
from narrate.article.fetch import decode_page, fetch, is_url, kind_for_media_type, sniff_charset
from narrate.article.html import PAGE_PATTERNS, looks_like_html, read_html
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

READERS: Mapping[str, Reader] = {"text": read_text, "markdown": read_markdown, "html": read_html}
"""One reader per input kind."""

KINDS_BY_SUFFIX: Mapping[str, str] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}
"""File suffix (lower case) to input kind; any other suffix is read as plain text."""

_LINE_PASS_KINDS = frozenset({"text", "markdown"})
"""Kinds whose text is lines of prose: the line-wise boilerplate pass applies to them.

An HTML page's lines are markup; its reader drops the page furniture, and
only the paragraph pass runs afterwards.
"""
_PATTERNS_BY_KIND: Mapping[str, Sequence[str]] = {"html": PAGE_PATTERNS}

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
    """Read ``source`` (a path, ``"-"`` for ``stdin``, or an http(s) URL) into checked text.

    Raises :class:`~narrate.errors.InputError` when the file is missing, a
    directory, unreadable, binary, not UTF-8, or holds nothing to narrate, or
    when an address is not http(s) or not a page; a page that cannot be
    fetched raises :class:`~narrate.errors.NetworkError`.
    """
    if str(source) == STDIN:
        read = _read_stdin(stdin if stdin is not None else sys.stdin.buffer)
    elif isinstance(source, str) and is_url(source):
        read = _read_url(source)
    else:
        read = _read_file(Path(source), str(source))
    if not read.text.strip():
        raise InputError(f"{read.name} is empty: nothing to narrate")
    return read


def _read_stdin(stdin: BinaryIO) -> SourceText:
    name = "standard input"
    data = stdin.read()
    text = _decode_source(data, name, _sniff_kind(data[:1024].decode("utf-8", "replace")))
    return SourceText(text=text, kind=_sniff_kind(text), name=name)


def _sniff_kind(text: str) -> str:
    if looks_like_html(text):
        return "html"
    return "markdown" if _MARKDOWN_START.match(text) else "text"


def _read_file(path: Path, name: str) -> SourceText:
    kind = KINDS_BY_SUFFIX.get(path.suffix.lower(), "text")
    return SourceText(text=_decode_source(_read_bytes(path), name, kind), kind=kind, name=name)


def _read_url(url: str) -> SourceText:
    page = fetch(url)
    kind = kind_for_media_type(page.content_type, url)
    return SourceText(text=_LINE_BREAKS.sub("\n", page.text), kind=kind, name=url)


def _decode_source(data: bytes, name: str, kind: str) -> str:
    """Decode with :func:`decode_text`, or with the charset an HTML page declares."""
    declared = sniff_charset(data) if kind == "html" else None
    if declared is None or declared.replace("_", "-") in ("utf-8", "utf8"):
        return decode_text(data, name)
    return _LINE_BREAKS.sub("\n", decode_page(data, declared, "text/html"))


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

    Boilerplate goes twice for text and Markdown: first every line that is
    boilerplate on its own (before the reader joins lines into paragraphs),
    then every paragraph and heading. An HTML page gets only the paragraph
    pass, with the web-page patterns added. ``extra_patterns`` add to the
    built-in ones.
    """
    text = source.text
    if not keep_boilerplate and source.kind in _LINE_PASS_KINDS:
        text = remove_boilerplate_lines(text, extra_patterns)
    if not text.strip():
        raise _only_furniture(source)
    article = READERS[source.kind](text)
    if source.kind == "html" and not article.sections:
        raise InputError(
            f"no article text found in {source.name}",
            "is it an article page? some sites build their text with JavaScript",
        )
    if keep_boilerplate:
        return article
    patterns = (*extra_patterns, *_PATTERNS_BY_KIND.get(source.kind, ()))
    article = remove_boilerplate(article, patterns)
    if source.kind == "html" and not article.sections:
        raise _only_furniture(source)
    return article


def _only_furniture(source: SourceText) -> InputError:
    return InputError(f"{source.name} holds nothing but page furniture: nothing to narrate")


def load_article(
    source: str | Path,
    *,
    keep_boilerplate: bool = False,
    extra_patterns: Sequence[str] = (),
    stdin: BinaryIO | None = None,
) -> Article:
    """Read and parse an article from a path, a URL or ``"-"`` (see :func:`read_source`)."""
    return parse_article(
        read_source(source, stdin),
        keep_boilerplate=keep_boilerplate,
        extra_patterns=extra_patterns,
    )
