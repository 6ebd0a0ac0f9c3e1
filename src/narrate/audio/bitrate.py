"""Which bitrates each lossy format really takes, and the nearest one to a request.

An encoder asked for a bitrate it cannot make either fails (libvorbis, libopus),
writes another one (LAME, ffmpeg's AAC encoder) or breaks narrate's exact MP3
header. So the request is fitted first, to what the format takes for narrate's
mono audio at its sample rate (:func:`fit_bitrate`).

Where the numbers come from (all mono; narrate's engines speak at 16000, 22050
and 24000 Hz):

- **MP3**: the bitrate tables of the MPEG standards (:func:`narrate.audio.mp3.bitrates_kbps`):
  MPEG-1 layer III from 32 kHz up: 32 to 320 kb/s in 14 steps; MPEG-2 (and 2.5)
  below: 8 to 160 kb/s in 14 steps.
- **Ogg Vorbis**: measured by encoding with ``ffmpeg -c:a libvorbis -b:a NNk`` (the
  ffmpeg narrate uses: imageio-ffmpeg's 9.0.2) at every whole kb/s from 1k to 520k
  at 8, 11.025, 12, 16, 22.05, 24, 32, 44.1 and 48 kHz, 3 s of a tone with noise,
  and the edges of the rate bands by bisection from 4 to 96 kHz. Outside the range
  ffmpeg fails with "Invalid argument". The limits do not depend on the audio (at
  22.05 kHz, 0.5 s of silence and 10 s of noise give the same): libvorbis checks
  the request against its setup template for the rate before it sees any. It has
  none for mono below 8 kHz or above 50 kHz. :data:`_VORBIS` holds the ranges.
- **Opus**: measured the same way (written at 48 kHz whatever the input rate):
  ffmpeg's libopus encoder refuses more than 256 kb/s per channel (257k fails) and
  takes 1k, but 6 kb/s is libopus's lowest rate (RFC 6716: 6 to 510 kb/s): asked
  for 1k to 5k it wrote streams within 20 % of 6k's size.
- **AAC** (ffmpeg's own encoder): takes any request, but a frame holds at most 6144
  bits per channel (the MPEG-4 AAC buffer), 6 bits a sample: above ``6 * rate``
  b/s (96k at 16 kHz, 132k at 22.05 kHz, 144k at 24 kHz) it warns "Too many bits
  per frame requested, clamping to max". At the low end it spends no fewer than
  about 9 to 11 kb/s at 16 to 24 kHz whatever is asked (20 s of noise: 1k, 4k and
  6k give files within 3 % of 8k's), so narrate asks for at least 8k.
"""

from __future__ import annotations

from dataclasses import dataclass

from narrate.audio import mp3
from narrate.errors import UsageError
from narrate.settings import bitrate_kbps

__all__ = ["Bitrates", "FittedBitrate", "allowed_bitrates", "fit_bitrate", "output_rate"]


@dataclass(frozen=True)
class Bitrates:
    """The bitrates, in whole kb/s, one format takes at one sample rate."""

    low: int
    high: int
    steps: tuple[int, ...] = ()
    """Only these (MP3's fixed table); empty when every whole kb/s from low to high works."""
    encoder: str = ""
    """Who sets the limits, for messages: ``"MPEG-2 layer III"``, ``"libvorbis"``."""

    def nearest(self, kbps: int) -> int:
        """The allowed bitrate closest to ``kbps`` (the higher one on a tie)."""
        if not self.steps:
            return min(max(kbps, self.low), self.high)
        return min(self.steps, key=lambda step: (abs(step - kbps), -step))

    def describe(self) -> str:
        """What is allowed, e.g. ``"libvorbis takes 16k to 90k"``."""
        if self.steps:
            return f"{self.encoder} takes {', '.join(f'{step}k' for step in self.steps)}"
        return f"{self.encoder} takes {self.low}k to {self.high}k"


@dataclass(frozen=True)
class FittedBitrate:
    """A requested bitrate and the one the encoder will be given."""

    requested: str
    bitrate: str
    """Like ``"160k"``; the same as :attr:`requested` when that works."""
    fmt: str
    sample_rate: int
    allowed: Bitrates | None
    """What the format takes here; ``None`` for a lossless format (no bitrate)."""

    @property
    def changed(self) -> bool:
        """Whether the request had to be replaced."""
        return self.bitrate != self.requested

    def note(self) -> str:
        """One line: what was asked for, what the format takes, what is used."""
        rate = 48000 if self.fmt == "opus" else self.sample_rate
        takes = self.allowed.describe() if self.allowed is not None else "no bitrate"
        return (
            f"bitrate {self.requested} is not possible for {_NAMES.get(self.fmt, self.fmt)}"
            f" at {rate} Hz mono ({takes}); using {self.bitrate}"
        )


_VORBIS: tuple[tuple[int, int, int, int], ...] = (
    (8000, 9000, 8, 42),
    (9001, 15000, 12, 50),
    (15001, 19000, 16, 100),
    (19001, 26000, 16, 90),
    (26001, 40000, 30, 190),
    (40001, 50000, 32, 240),
)
"""libvorbis, mono: (lowest rate, highest rate, lowest kb/s, highest kb/s), measured.

At a rate on a boundary (9000, 15000, 26000, 40000 Hz) libvorbis takes the union of
both neighbours' ranges; the table keeps the narrower one, which works too."""

_OPUS = Bitrates(6, 256, encoder="libopus")
_AAC_LOW_KBPS = 8
_AAC_BITS_PER_SAMPLE = 6
"""6144 bits per 1024-sample frame and channel."""
_NAMES = {"mp3": "MP3", "ogg": "Ogg Vorbis", "opus": "Opus", "m4a": "AAC (.m4a)"}


def allowed_bitrates(fmt: str, sample_rate: int) -> Bitrates | None:
    """The bitrates ``fmt`` takes for mono audio at ``sample_rate``; ``None`` when lossless.

    Raises :class:`UsageError` for Ogg Vorbis at a rate libvorbis has no bitrates for.
    """
    if fmt == "mp3":
        steps = mp3.bitrates_kbps(sample_rate)
        version = mp3.mpeg_version(sample_rate)
        if version == "MPEG-2.5":  # LAME writes at most 64k
            steps = tuple(step for step in steps if step <= _MPEG25_MAX_KBPS)
        return Bitrates(steps[0], steps[-1], steps, f"{version} layer III")
    if fmt == "ogg":
        return _vorbis(sample_rate)
    if fmt == "opus":
        return _OPUS
    if fmt == "m4a":
        high = _AAC_BITS_PER_SAMPLE * sample_rate // 1000
        return Bitrates(min(_AAC_LOW_KBPS, high), high, encoder="ffmpeg's AAC encoder")
    return None


_MPEG25_MAX_KBPS = 64
"""LAME's cap below 16 kHz (measured: 80k to 160k come out as 64k frames)."""


def _vorbis(sample_rate: int) -> Bitrates:
    for lowest_rate, highest_rate, low, high in _VORBIS:
        if lowest_rate <= sample_rate <= highest_rate:
            return Bitrates(low, high, encoder="libvorbis")
    raise UsageError(
        f"Ogg Vorbis cannot be written at {sample_rate} Hz with a bitrate"
        f" (libvorbis takes {_VORBIS[0][0]} to {_VORBIS[-1][1]} Hz)",
        "write .opus or .m4a instead",
    )


_AAC_RATES = (8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 64000, 88200, 96000)


def output_rate(fmt: str, engine_rate: int) -> int:
    """The sample rate ``fmt`` is written at for an engine that speaks at ``engine_rate``.

    The engine's own rate when the format takes it; else the next rate up that it
    does (the highest when none is higher). The clips are resampled to it before
    any audio is joined, so a plugin at 20000 or 96000 Hz makes an MP3 too.
    """
    if fmt == "ogg":
        lowest, highest = _VORBIS[0][0], _VORBIS[-1][1]
        return 48000 if engine_rate > highest else max(engine_rate, lowest)
    rates = {"mp3": mp3.SAMPLE_RATES, "m4a": _AAC_RATES}.get(fmt)
    if rates is None or engine_rate in rates:
        return engine_rate
    return next((rate for rate in rates if rate > engine_rate), rates[-1])


def fit_bitrate(fmt: str, sample_rate: int, bitrate: str) -> FittedBitrate:
    """``bitrate`` (like ``"192k"``) if ``fmt`` takes it at ``sample_rate``, else the nearest.

    A malformed ``bitrate`` is a :class:`UsageError`; a lossless format keeps it
    unchanged, as it ignores it.
    """
    kbps = bitrate_kbps(bitrate)
    allowed = allowed_bitrates(fmt, sample_rate)
    if allowed is None:
        return FittedBitrate(bitrate, bitrate, fmt, sample_rate, None)
    return FittedBitrate(bitrate, f"{allowed.nearest(kbps)}k", fmt, sample_rate, allowed)
