"""Fetching an article from an http(s) address.

:func:`fetch` downloads one page with a real User-Agent, a timeout, a redirect
limit and a size limit, and decodes it. The decisions around it are small pure
functions: :func:`is_url` (is this source an address?), :func:`check_url` (only
http and https), :func:`kind_for_media_type` (which reader, or refuse a PDF),
:func:`decode_page` (which character set) and :func:`describe_failure` (one
clear line for a network problem).

A page that cannot be used (wrong scheme, PDF, too big) is an
:class:`~narrate.errors.InputError` (exit 2); a page that could not be fetched
(DNS, refused, timeout, HTTP 4xx/5xx, redirect loop) is a
:class:`~narrate.errors.NetworkError` (exit 1).
"""

from __future__ import annotations

import codecs
import re
import time
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from narrate.errors import InputError, NetworkError

if TYPE_CHECKING:  # requests loads with the first address fetched
    import requests

__all__ = [
    "DEFAULT_TIMEOUT",
    "DEFAULT_MAX_BYTES",
    "MAX_REDIRECTS",
    "FetchedPage",
    "fetch",
    "is_url",
    "check_url",
    "user_agent",
    "request_headers",
    "parse_content_type",
    "kind_for_media_type",
    "sniff_charset",
    "decode_page",
    "describe_failure",
    "output_name",
]

DEFAULT_TIMEOUT = 20.0
"""Seconds to connect, and seconds of silence allowed while reading."""
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
"""The largest page (after decompression) narrate downloads."""
MAX_REDIRECTS = 10
"""How many redirects are followed before giving up."""

_TOTAL_FACTOR = 3
"""The whole download may take at most this many timeouts, however it trickles."""
_CHUNK = 64 * 1024
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SNIFF_BYTES = 4096
_URL = re.compile(r"\A([A-Za-z][A-Za-z0-9+.-]+)://")
_OPAQUE_SCHEMES = frozenset({"javascript", "data", "mailto", "file", "about", "blob", "tel"})
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
_HTML_START = re.compile(rb"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)
_LEGACY_LATIN = frozenset({"iso8859-1", "ascii", "cp1252"})
_WEB_SUFFIXES = frozenset({".html", ".htm", ".shtml", ".xhtml", ".php", ".asp", ".aspx", ".jsp"})
_UNSAFE_NAME = re.compile(r"[^\w.-]+")
_DNS_FAILURES = (
    "name or service not known",
    "failed to resolve",
    "nodename nor servname",
    "getaddrinfo failed",
    "temporary failure in name resolution",
    "no address associated",
)

_KINDS: dict[str, str] = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
}
_MEDIA_NAMES = {"application/pdf": "a PDF document", "image": "an image", "audio": "an audio file"}
_HTTP_HINTS = {
    401: "the page needs a login",
    403: "the site refuses access; it may block automated readers",
    404: "check the address",
    410: "the page has been removed",
    429: "the site wants fewer requests; try again later",
}


@dataclass(frozen=True)
class FetchedPage:
    """A downloaded page: decoded ``text``, its media type, and the address it ended at.

    ``content_type`` is the bare media type in lower case (``text/html``); a
    page sent without one is sniffed as ``text/html`` or ``text/plain``.
    """

    text: str
    content_type: str
    final_url: str


def is_url(source: str) -> bool:
    """Whether ``source`` is an address (``scheme://…``, ``javascript:…``) rather than a path."""
    if _URL.match(source):
        return True
    scheme = source.partition(":")[0].lower()
    return ":" in source and scheme in _OPAQUE_SCHEMES


def check_url(url: str) -> None:
    """Refuse anything but an http or https address with a host."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise InputError(f"unsupported URL scheme '{scheme}': only http and https")
    if not parts.hostname:
        raise InputError(f"{url} is not a valid URL: it names no host", "check the address")


def user_agent() -> str:
    """narrate's User-Agent: ``narrate/<version> (+project page)``."""
    from narrate import __version__

    return f"narrate/{__version__} (+https://pypi.org/project/narrate-articles/)"


def request_headers() -> dict[str, str]:
    """The headers every request carries: who asks, what it reads, in which languages."""
    return {
        "User-Agent": user_agent(),
        "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,text/markdown;q=0.9,*/*;q=0.1",
        "Accept-Language": "de,en;q=0.8",
    }


def parse_content_type(header: str) -> tuple[str, str | None]:
    """Split a Content-Type header into its media type and charset (both lower case)."""
    media, *params = header.split(";")
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'").lower() or None
    return media.strip().lower(), charset


def kind_for_media_type(media_type: str, url: str) -> str:
    """The reader for a media type: html, text or markdown; anything else is refused."""
    kind = _KINDS.get(media_type)
    if kind is None:
        family = media_type.partition("/")[0]
        what = _MEDIA_NAMES.get(media_type) or _MEDIA_NAMES.get(family) or "a file"
        raise InputError(
            f"{url} is {what} ({media_type or 'no content type'}), not a web page",
            "narrate reads HTML, plain text and Markdown",
        )
    return kind


def sniff_charset(data: bytes) -> str | None:
    """The charset a page's ``<meta charset>`` (or http-equiv) declares in its first 4 KB."""
    match = _META_CHARSET.search(data[:_SNIFF_BYTES])
    return match.group(1).decode("ascii").lower() if match else None


def decode_page(data: bytes, declared: str | None, media_type: str) -> str:
    """Decode a page: byte order mark, valid UTF-8, declared charset, else Windows-1252.

    Bytes that are valid UTF-8 are read as UTF-8 whatever the server claims: a
    page labelled ISO-8859-1 but written in UTF-8 is a common misconfiguration,
    and real Latin-1 German text is practically never valid UTF-8. Otherwise the
    HTTP charset, then the ``<meta>`` charset (HTML only), then Windows-1252 (what
    browsers assume) apply; undecodable bytes become U+FFFD.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    sniffed = sniff_charset(data) if _KINDS.get(media_type) == "html" else None
    return data.decode(_codec(declared) or _codec(sniffed) or "cp1252", errors="replace")


def _codec(label: str | None) -> str | None:
    """Python's codec for a charset label; Latin-1 and ASCII read as Windows-1252."""
    if not label:
        return None
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "cp1252" if name in _LEGACY_LATIN else name


def fetch(
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    session: requests.Session | None = None,
) -> FetchedPage:
    """Download and decode the page at ``url`` (http or https only).

    ``timeout`` bounds connecting and each pause while reading; the whole
    download may take three times as long. A page larger than ``max_bytes``
    is refused. A given ``session`` is used as it is (its own redirect limit).
    """
    import requests

    check_url(url)
    if session is not None:
        return _fetch_with(session, url, timeout, max_bytes)
    with requests.Session() as own:
        own.max_redirects = MAX_REDIRECTS
        return _fetch_with(own, url, timeout, max_bytes)


def _fetch_with(session: requests.Session, url: str, timeout: float, max_bytes: int) -> FetchedPage:
    import requests

    deadline = time.monotonic() + _TOTAL_FACTOR * timeout
    headers = request_headers()
    try:
        with session.get(url, headers=headers, timeout=(timeout, timeout), stream=True) as response:
            return _read_page(response, url, max_bytes, deadline)
    except requests.exceptions.InvalidURL as error:
        raise InputError(f"{url} is not a valid URL", "check the address") from error
    except requests.RequestException as error:
        raise NetworkError(*describe_failure(url, error, timeout)) from error


def _read_page(
    response: requests.Response, url: str, max_bytes: int, deadline: float
) -> FetchedPage:
    _check_status(response, url)
    media_type, charset = parse_content_type(response.headers.get("Content-Type", ""))
    if media_type:
        kind_for_media_type(media_type, url)
    _check_length(response.headers.get("Content-Length"), url, max_bytes)
    data = _read_body(response, url, max_bytes, deadline)
    media_type = media_type or ("text/html" if _HTML_START.match(data) else "text/plain")
    return FetchedPage(decode_page(data, charset, media_type), media_type, response.url)


def _check_status(response: requests.Response, url: str) -> None:
    status = response.status_code
    if status < 400:
        return
    hint = _HTTP_HINTS.get(status) or (
        "the site has a problem; try again later" if status >= 500 else "check the address"
    )
    reason = f" {response.reason}" if response.reason else ""
    raise NetworkError(f"could not fetch {url}: HTTP {status}{reason}", hint)


def _check_length(header: str | None, url: str, max_bytes: int) -> None:
    if header is not None and header.strip().isdigit() and int(header) > max_bytes:
        raise _too_large(url, max_bytes)


def _read_body(response: requests.Response, url: str, max_bytes: int, deadline: float) -> bytes:
    body = bytearray()
    for chunk in response.iter_content(_CHUNK):
        body += chunk
        if len(body) > max_bytes:
            raise _too_large(url, max_bytes)
        if time.monotonic() > deadline:
            raise NetworkError(
                f"could not fetch {url}: the download did not finish in time",
                "the site is very slow; try again later",
            )
    return bytes(body)


def _too_large(url: str, max_bytes: int) -> InputError:
    size = f"{max_bytes / 1024 / 1024:g} MB" if max_bytes >= 1024 * 1024 else f"{max_bytes} bytes"
    return InputError(
        f"{url} is larger than {size}: too big for an article page",
        "give the address of the article itself",
    )


def describe_failure(url: str, error: requests.RequestException, timeout: float) -> tuple[str, str]:
    """One line (message and hint) for a request that failed before an HTTP answer."""
    import requests

    broken_download = (
        requests.exceptions.ChunkedEncodingError,
        requests.exceptions.ContentDecodingError,
    )
    text = str(error).lower()
    if isinstance(error, requests.exceptions.TooManyRedirects):
        reason, hint = f"more than {MAX_REDIRECTS} redirects", "the site redirects in a loop"
    elif isinstance(error, requests.exceptions.Timeout) or "timed out" in text:
        reason, hint = f"no answer within {timeout:g} s", "the site is slow or unreachable"
    elif isinstance(error, requests.exceptions.SSLError):
        reason, hint = "secure connection failed", "the site's certificate is not valid"
    elif any(marker in text for marker in _DNS_FAILURES):
        host = urlsplit(url).hostname
        reason, hint = f"host {host} not found", "is the address right, and are you online?"
    elif "refused" in text:
        reason, hint = "connection refused", "is the address right and the site up?"
    elif isinstance(error, broken_download):
        reason, hint = "the download broke off", "try again later"
    elif isinstance(error, requests.exceptions.ConnectionError):
        reason, hint = "the connection failed", "are you online, and is the site up?"
    else:
        reason, hint = type(error).__name__, "check the address"
    return f"could not fetch {url}: {reason}", hint


def output_name(url: str) -> str:
    """A file name stem for a page: its last path segment, else its host name.

    ``https://example.de/politik/energiewende-im-dorf-100.html`` gives
    ``energiewende-im-dorf-100``; ``https://example.de/`` gives ``example.de``.
    """
    parts = urlsplit(url)
    segments = [unquote(segment) for segment in parts.path.split("/") if segment.strip()]
    if segments:
        last = PurePosixPath(segments[-1])
        stem = last.stem if last.suffix.lower() in _WEB_SUFFIXES else last.name
        name = _UNSAFE_NAME.sub("-", stem).strip("-.")
        if name:
            return name
    return _UNSAFE_NAME.sub("-", parts.hostname or "").strip("-.") or "article"
