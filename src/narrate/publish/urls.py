"""Addresses narrate writes into player pages, embedded pages and feeds.

Two kinds of text become a URL: a file's path (a name narrate or the user chose,
never percent-encoded: every character a URL reserves is encoded, so ``#``, ``?``
and ``%`` in a file name stay part of the name) and a URL the user gave (an IRI
perhaps, with spaces or umlauts: only what a URL cannot carry is encoded, its
``%XX`` escapes, query and fragment stay).
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit, urlunsplit

__all__ = ["iri_to_uri", "join_url", "path_to_url"]

_RESERVED = ":/?#[]@!$&'()*+,;="
"""RFC 3986's reserved characters: they keep their meaning in a URL someone gave."""
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def path_to_url(path: str) -> str:
    """The relative URL of the ``/``-separated file path ``path``, each segment percent-encoded."""
    return quote(path, safe="/")


def iri_to_uri(iri: str) -> str:
    """``iri`` with what a URL cannot carry percent-encoded (UTF-8) and the host in ASCII.

    Reserved characters and existing ``%XX`` escapes stay; a ``%`` that starts no
    escape is encoded. Applying it twice gives the same URL. Raises
    :class:`ValueError` for a host name that has no ASCII form.
    """
    if not iri.isascii():
        parts = urlsplit(iri)
        if not parts.netloc.isascii():
            iri = urlunsplit(parts._replace(netloc=_ascii_netloc(parts.netloc)))
    return quote(_LONE_PERCENT.sub("%25", iri), safe=_RESERVED + "%")


def join_url(base: str, path: str) -> str:
    """The URL of the file at ``path`` (``/``-separated, not encoded) under the folder ``base``."""
    return iri_to_uri(base).rstrip("/") + "/" + path_to_url(path)


def _ascii_netloc(netloc: str) -> str:
    """``user@höst:8080`` with the host name IDNA-encoded (``xn--hst-sna``)."""
    userinfo, at, hostport = netloc.rpartition("@")
    host, colon, port = hostport.partition(":")
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise ValueError(f"{host!r} is not a valid host name") from error
    return f"{userinfo}{at}{ascii_host}{colon}{port}"
