"""Frozen settings with a documented, validated field each.

Settings are plain values: the CLI and the config file build them, the library
takes them. Validation happens once, in ``__post_init__``, with messages that
name the bad value.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from narrate.errors import UsageError

__all__ = ["Pauses", "AudioSettings", "TagSettings", "Settings", "bitrate_kbps", "check_date"]

_BITRATE = re.compile(r"([0-9]{1,3})k")
_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_MAX_PAUSE_MS = 60_000


@dataclass(frozen=True)
class Pauses:
    """Silence, in milliseconds, that follows each kind of utterance."""

    chunk_ms: int = 120
    """Between the pieces of one sentence that was too long for the engine."""
    sentence_ms: int = 350
    """After a sentence inside a paragraph."""
    paragraph_ms: int = 800
    """After the last sentence of a paragraph (and after a subheading)."""
    section_ms: int = 1500
    """Before every subheading: the clear section break."""
    title_ms: int = 1200
    """After the article's title."""

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if not 0 <= value <= _MAX_PAUSE_MS:
                raise UsageError(
                    f"pause {name.removesuffix('_ms')} = {value} ms is out of range",
                    f"use 0 to {_MAX_PAUSE_MS} ms",
                )


@dataclass(frozen=True)
class AudioSettings:
    """How the joined narration is finished and encoded."""

    bitrate: str = "64k"
    """Target bitrate for lossy formats, ``"1k"`` to ``"999k"``, e.g. ``"64k"``. One the
    format cannot take at the audio's sample rate is replaced by the nearest one it
    can, with a warning (see :mod:`narrate.audio.bitrate`)."""
    normalize: bool = True
    """Normalize integrated loudness to :attr:`loudness`."""
    loudness: float = -16.0
    """Target integrated loudness in LUFS (-16 is the podcast standard)."""

    def __post_init__(self) -> None:
        bitrate_kbps(self.bitrate)
        if not -70.0 <= self.loudness <= -5.0:
            raise UsageError(f"loudness {self.loudness} LUFS is out of range", "use -70 to -5")


@dataclass(frozen=True)
class TagSettings:
    """Metadata written into the audio file's tags."""

    artist: str | None = None
    """Author or speaker credit (ID3 TPE1)."""
    publisher: str | None = None
    """Publication or site name (ID3 TPUB)."""
    date: str | None = None
    """Publication date as ``YYYY-MM-DD`` (or ``YYYY-MM``, ``YYYY``; ID3 TDRC); a real
    calendar date. Today when not given."""

    def __post_init__(self) -> None:
        if self.date is not None:
            check_date(self.date)


def bitrate_kbps(bitrate: str) -> int:
    """The kb/s of a bitrate written like ``"64k"`` (1k to 999k); :class:`UsageError` if not."""
    match = _BITRATE.fullmatch(bitrate)
    if match is None or int(match[1]) == 0:
        raise UsageError(f"bad bitrate {bitrate!r}", "write it like 64k or 128k, 1k to 999k")
    return int(match[1])


def check_date(date: str) -> None:
    """Refuse anything but a real calendar date ``YYYY-MM-DD`` (or ``YYYY-MM``, ``YYYY``)."""
    match = _DATE.fullmatch(date)
    if match is None:
        raise UsageError(f"bad date {date!r}", "write it as YYYY-MM-DD")
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        datetime.date(year, month, day)
    except ValueError as error:
        raise UsageError(
            f"bad date {date!r}: {error}", "write a real date as YYYY-MM-DD"
        ) from error


@dataclass(frozen=True)
class Settings:
    """Everything that shapes one narration."""

    engine: str = "auto"
    """Engine name, or ``"auto"`` for the best engine usable here."""
    voice: str | None = None
    """Engine voice id; ``None`` picks the engine's voice for the language."""
    lang: str = "auto"
    """Language code such as ``"de"`` or ``"en"``, or ``"auto"`` to detect it."""
    speed: float = 1.0
    """Speaking rate factor (0.5 to 2.0)."""
    pauses: Pauses = field(default_factory=Pauses)
    """Pause lengths."""
    audio: AudioSettings = field(default_factory=AudioSettings)
    """Loudness and encoding."""
    tags: TagSettings = field(default_factory=TagSettings)
    """Metadata for the output file."""
    keep_boilerplate: bool = False
    """Read player labels, comment forms and photo credits aloud too."""
    boilerplate_patterns: tuple[str, ...] = ()
    """Extra regular expressions; a paragraph matching one is not read."""
    captions: bool = False
    """Also write WebVTT and JSON timings beside the audio."""
    html: bool = False
    """Also write a read-along player page (``ARTICLE.html``) and its snippet (``.embed.html``)."""
    lexicons: tuple[Path, ...] = ()
    """Pronunciation lexicon files (TOML or TSV), applied in order after normalization."""
    cache: bool = True
    """Reuse rendered chunks from the chunk cache and store new ones there."""
    cache_dir: Path | None = None
    """The chunk cache folder; ``None`` is ``$NARRATE_CACHE_DIR`` or the user cache folder."""
    cache_max_mb: int = 2048
    """The cache's size cap in MiB; least recently used chunks go beyond it."""
    concurrency: int = 4
    """At most this many chunk requests at once, for engines that allow several (gTTS)."""

    def __post_init__(self) -> None:
        if not 1 <= self.concurrency <= 32:
            raise UsageError(f"concurrency {self.concurrency} is out of range", "use 1 to 32")
        if self.cache_max_mb < 1:
            raise UsageError(f"cache size {self.cache_max_mb} MB is too small", "use 1 or more")
        if not 0.5 <= self.speed <= 2.0:
            raise UsageError(f"speed {self.speed} is out of range", "use 0.5 to 2.0")
        for pattern in self.boilerplate_patterns:
            try:
                re.compile(pattern)
            except re.error as error:
                raise UsageError(f"bad boilerplate pattern {pattern!r}: {error}") from error
