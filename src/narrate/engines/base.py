"""The engine contract: what every speech engine provides.

Engines speak exactly the text they are given (no normalization), never write
files, and return mono 16-bit PCM as a :class:`Clip`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

__all__ = ["Clip", "Voice", "Availability", "Engine", "described", "excerpt"]

BYTES_PER_SAMPLE = 2
EXCERPT_CHARS = 40
"""How much of a chunk's text an error message quotes."""


ERROR_CHARS = 200
"""How much of a plugin's own error message a one-line error quotes."""


def described(error: BaseException) -> str:
    """``RuntimeError: boom``: the kind of error and its message, on one line, shortened."""
    message = " ".join(str(error).split())
    if len(message) > ERROR_CHARS:
        message = message[:ERROR_CHARS].rstrip() + "…"
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def excerpt(text: str) -> str:
    """The first :data:`EXCERPT_CHARS` characters of ``text`` on one line, "…" if cut."""
    line = " ".join(text.split())
    if len(line) <= EXCERPT_CHARS:
        return line
    return line[:EXCERPT_CHARS].rstrip() + "…"


@dataclass(frozen=True)
class Clip:
    """Mono signed 16-bit little-endian PCM audio and its sample rate."""

    pcm: bytes
    sample_rate: int

    @property
    def frames(self) -> int:
        """Number of samples in the clip."""
        return len(self.pcm) // BYTES_PER_SAMPLE

    @property
    def duration_ms(self) -> float:
        """Length of the clip in milliseconds."""
        return 1000.0 * self.frames / self.sample_rate


@dataclass(frozen=True)
class Voice:
    """One voice an engine offers.

    ``id`` is what ``--voice`` takes; ``languages`` are lower-case codes such as
    ``"de"`` or ``"en-us"``.
    """

    id: str
    name: str
    languages: tuple[str, ...]
    gender: str | None = None


@dataclass(frozen=True)
class Availability:
    """Whether an engine can run on this machine right now, and why not."""

    usable: bool
    reason: str = ""


@runtime_checkable
class Engine(Protocol):
    """A text-to-speech engine.

    ``max_chars`` is the longest text one :meth:`synthesize` call accepts;
    ``sample_rate`` is the rate of the clips it returns.
    """

    name: str
    max_chars: int
    sample_rate: int

    def availability(self) -> Availability:
        """Say whether this engine can synthesize here and now (cheap to call)."""
        ...

    def voices(self) -> list[Voice]:
        """List the voices this engine offers."""
        ...

    def supports(self, lang: str) -> bool:
        """Whether the engine can speak ``lang`` (a code like ``"de"``)."""
        ...

    def default_voice(self, lang: str) -> str:
        """The voice id used for ``lang`` when the user names none."""
        ...

    def synthesize(self, text: str, voice: str, lang: str, speed: float) -> Clip:
        """Speak ``text`` and return its audio.

        ``speed`` is a factor: 1.0 is the engine's normal rate. Raises
        :class:`narrate.errors.EngineError` on failure and
        :class:`narrate.errors.UsageError` for an unknown voice.
        """
        ...
