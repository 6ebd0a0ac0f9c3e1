"""The timeline: every utterance's clips and pauses joined once, with exact times.

(The data types are fixed here; the builder is below them.)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["TimedUtterance", "Chapter", "Timeline"]


@dataclass(frozen=True)
class TimedUtterance:
    """Where one utterance's audio starts and ends, in milliseconds."""

    index: int
    display: str
    spoken: str
    section: int
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class Chapter:
    """A chapter: the article intro or one subheading, with its audio span."""

    title: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class Timeline:
    """The joined narration as raw mono s16le PCM in ``pcm_path``, plus its times."""

    pcm_path: Path
    sample_rate: int
    frames: int
    utterances: tuple[TimedUtterance, ...]
    chapters: tuple[Chapter, ...]

    @property
    def duration_ms(self) -> int:
        """Total length of the narration in milliseconds."""
        return round(1000 * self.frames / self.sample_rate)
