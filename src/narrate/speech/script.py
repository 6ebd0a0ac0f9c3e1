"""The speech script: what will be spoken, in order, with the pause after each piece."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from narrate.settings import Pauses

__all__ = ["PauseKind", "UtteranceKind", "Utterance", "Script"]


class PauseKind(str, Enum):
    """Which pause follows an utterance."""

    SENTENCE = "sentence"
    PARAGRAPH = "paragraph"
    SECTION = "section"
    TITLE = "title"
    END = "end"

    def milliseconds(self, pauses: Pauses) -> int:
        """The length of this pause under ``pauses``."""
        lengths = {
            PauseKind.SENTENCE: pauses.sentence_ms,
            PauseKind.PARAGRAPH: pauses.paragraph_ms,
            PauseKind.SECTION: pauses.section_ms,
            PauseKind.TITLE: pauses.title_ms,
            PauseKind.END: 0,
        }
        return lengths[self]


class UtteranceKind(str, Enum):
    """What an utterance is in the article: its title, a subheading or a sentence."""

    TITLE = "title"
    HEADING = "heading"
    SENTENCE = "sentence"


@dataclass(frozen=True)
class Utterance:
    """One sentence (or heading) of the article.

    ``chunks`` are the pieces the engine speaks, each at most the engine's
    ``max_chars``; ``display`` is the original text for captions and players;
    ``section`` indexes :attr:`Script.sections`; ``kind`` tells a title or
    heading from a sentence of a paragraph (a paragraph's last sentence is the
    one followed by a pause stronger than ``SENTENCE``).
    """

    chunks: tuple[str, ...]
    display: str
    section: int
    pause_after: PauseKind
    kind: UtteranceKind = UtteranceKind.SENTENCE

    @property
    def spoken(self) -> str:
        """The whole spoken text of the utterance."""
        return " ".join(self.chunks)


@dataclass(frozen=True)
class Script:
    """An article turned into utterances.

    ``sections`` are chapter titles: index 0 is the article title (the intro),
    then one per subheading.
    """

    title: str
    language: str
    sections: tuple[str, ...]
    utterances: tuple[Utterance, ...]
