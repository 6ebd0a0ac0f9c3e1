"""Cutting a sentence into pieces no longer than an engine's limit.

Pieces break at clause boundaries (after ``,`` ``;`` ``:`` or a dash) where
possible, else between words; only a single word longer than the limit is cut
inside. Pieces are packed greedily, as long as the limit allows.
"""

from __future__ import annotations

import re

__all__ = ["chunk_text"]

_CLAUSE_END = re.compile(r"(?:[,;:]|^[–—-])[\"'”“»«’‘)\]]*$")
"""A word after which a clause ends: ``Berlin,`` ``sagte:`` or a lone dash."""


def chunk_text(sentence: str, max_chars: int) -> list[str]:
    """Split ``sentence`` into pieces of at most ``max_chars`` characters.

    Whitespace is collapsed first. Unless a single word is longer than
    ``max_chars``, ``" ".join(pieces)`` is exactly the collapsed sentence.
    """
    if max_chars < 1:
        raise ValueError(f"max_chars must be at least 1, not {max_chars}")
    words = sentence.split()
    units: list[str] = []
    for clause in _clauses(words):
        units.extend(_pack(clause, max_chars) if len(clause) > max_chars else [clause])
    return _pack_units(units, max_chars)


def _clauses(words: list[str]) -> list[str]:
    """Group ``words`` into clauses, each ending at a clause boundary."""
    clauses: list[str] = []
    current: list[str] = []
    for word in words:
        current.append(word)
        if _CLAUSE_END.search(word):
            clauses.append(" ".join(current))
            current = []
    if current:
        clauses.append(" ".join(current))
    return clauses


def _pack(clause: str, max_chars: int) -> list[str]:
    """Split an over-long clause between words (and inside over-long words)."""
    pieces: list[str] = []
    for word in clause.split(" "):
        pieces.extend(_cut(word, max_chars))
    return _pack_units(pieces, max_chars)


def _cut(word: str, max_chars: int) -> list[str]:
    return [word[i : i + max_chars] for i in range(0, len(word), max_chars)]


def _pack_units(units: list[str], max_chars: int) -> list[str]:
    """Join neighbouring units with spaces while the result fits ``max_chars``."""
    pieces: list[str] = []
    for unit in units:
        if pieces and len(pieces[-1]) + 1 + len(unit) <= max_chars:
            pieces[-1] = f"{pieces[-1]} {unit}"
        else:
            pieces.append(unit)
    return pieces
