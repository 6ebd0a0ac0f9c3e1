"""What the script builder worked out for an article, kept for the article's next run.

Splitting paragraphs into sentences (pysbd) and turning sentences into spoken text
(normalization and the lexicon) are the script's costly steps. A :class:`ScriptMemo`
remembers their results by the exact text they were given, so after an edit only the
edited paragraph is split and its sentences normalized again. It is kept in the chunk
cache under an address that names everything else the results depend on: the
language, the lexicon's rules and the code that computes them
(:func:`code_fingerprint`), so a changed splitter or normalizer never reuses them.
"""

from __future__ import annotations

import hashlib
import json
import platform
from collections.abc import Callable
from functools import cache
from importlib.metadata import version
from pathlib import Path

from narrate import __version__

__all__ = ["ScriptMemo", "code_fingerprint"]


class ScriptMemo:
    """Sentences of paragraphs and spoken texts of sentences, by their exact text.

    Only what a run asks for is kept for the next one (:meth:`to_bytes`), so the memo
    of an article stays the size of the article.
    """

    def __init__(
        self, sentences: dict[str, list[str]] | None = None, spoken: dict[str, str] | None = None
    ) -> None:
        self._known_sentences = sentences or {}
        self._known_spoken = spoken or {}
        self._sentences: dict[str, list[str]] = {}
        self._spoken: dict[str, str] = {}
        self.learned = False
        """Whether anything was worked out that the memo did not know (it is worth keeping)."""

    def sentences(self, paragraph: str, split: Callable[[str], list[str]]) -> list[str]:
        """``split(paragraph)``, from the memo when it knows it."""
        found = self._known_sentences.get(paragraph)
        if found is None:
            found, self.learned = split(paragraph), True
        self._sentences[paragraph] = found
        return list(found)

    def spoken(self, display: str, normalize: Callable[[str], str]) -> str:
        """``normalize(display)``, from the memo when it knows it."""
        found = self._known_spoken.get(display)
        if found is None:
            found, self.learned = normalize(display), True
        self._spoken[display] = found
        return found

    def to_bytes(self) -> bytes:
        """What this run asked for, as JSON."""
        memo = {"sentences": self._sentences, "spoken": self._spoken}
        return json.dumps(memo, ensure_ascii=False).encode()

    @classmethod
    def from_bytes(cls, data: bytes | None) -> ScriptMemo:
        """The memo :meth:`to_bytes` wrote; an empty one for ``None`` or anything else."""
        try:
            memo = json.loads(data) if data is not None else {}
            sentences, spoken = memo.get("sentences", {}), memo.get("spoken", {})
        except (ValueError, AttributeError):
            return cls()
        valid = (
            isinstance(sentences, dict)
            and isinstance(spoken, dict)
            and all(isinstance(value, list) for value in sentences.values())
            and all(isinstance(value, str) for value in spoken.values())
        )
        return cls(sentences, spoken) if valid else cls()


@cache
def code_fingerprint() -> str:
    """A digest of narrate's, pysbd's and Python's versions (``re`` and the Unicode tables
    come with Python) and the source of the code that splits and speaks."""
    versions = f"{__version__} {version('pysbd')} {platform.python_version()}"
    digest = hashlib.sha256(versions.encode())
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()
