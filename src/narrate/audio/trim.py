"""Cutting an engine's own leading and trailing silence off a clip.

Engines pad their output with silence of their own choosing; the timeline adds
pauses of a known length instead, so each clip is trimmed to its sound first.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from narrate.engines.base import Clip

__all__ = ["trim_silence", "DEFAULT_THRESHOLD_DB", "FRAME_MS", "MARGIN_MS"]

DEFAULT_THRESHOLD_DB = -45.0
"""A frame quieter than this (RMS, dB relative to full scale) counts as silence."""
FRAME_MS = 5
"""Length of the analysis frames."""
MARGIN_MS = 10
"""Silence kept before the first and after the last loud frame, so that soft
consonant onsets and releases are not clipped."""

_FULL_SCALE = 32768.0


def trim_silence(clip: Clip, threshold_db: float = DEFAULT_THRESHOLD_DB) -> Clip:
    """Return ``clip`` without its leading and trailing silence.

    Frames of :data:`FRAME_MS` whose RMS level is below ``threshold_db`` dBFS at
    either end are removed, except for :data:`MARGIN_MS` next to the sound. A clip
    with no loud frame at all becomes empty (``pcm == b""``).
    """
    samples = np.frombuffer(clip.pcm, dtype="<i2")
    frame = _frame_length(clip.sample_rate)
    # mean power >= threshold, compared as a sum of squares: no logarithm per frame
    least = frame * _FULL_SCALE**2 * 10.0 ** (threshold_db / 10.0)
    first = _first_loud(samples, frame, least)
    if first is None:
        return Clip(b"", clip.sample_rate)
    last = _last_loud(samples, frame, least, first)
    margin = clip.sample_rate * MARGIN_MS // 1000
    start = max(0, first * frame - margin)
    end = min(samples.size, (last + 1) * frame + margin)
    if start == 0 and end == samples.size:
        return clip
    return Clip(clip.pcm[2 * start : 2 * end], clip.sample_rate)


def _frame_length(sample_rate: int) -> int:
    return max(1, sample_rate * FRAME_MS // 1000)


_FIRST_LOOK = 64
"""Frames examined first at each end: the sound is usually near, and the middle is
never looked at."""


def _first_loud(samples: npt.NDArray[np.int16], frame: int, least: float) -> int | None:
    """The first frame whose energy reaches ``least``, looking further and further in."""
    count = -(-samples.size // frame)
    start, width = 0, _FIRST_LOOK
    while start < count:
        stop = min(count, start + width)
        loud = np.flatnonzero(
            _frame_energies(samples[start * frame : stop * frame], frame) >= least
        )
        if loud.size:
            return start + int(loud[0])
        start, width = stop, 4 * width
    return None


def _last_loud(samples: npt.NDArray[np.int16], frame: int, least: float, first: int) -> int:
    """The last frame whose energy reaches ``least``; frame ``first`` does."""
    stop, width = -(-samples.size // frame), _FIRST_LOOK
    while stop > first + 1:
        start = max(first + 1, stop - width)
        loud = np.flatnonzero(
            _frame_energies(samples[start * frame : stop * frame], frame) >= least
        )
        if loud.size:
            return start + int(loud[-1])
        stop, width = start, 4 * width
    return first


def _frame_energies(samples: npt.NDArray[np.int16], frame: int) -> npt.NDArray[np.float64]:
    """The sum of squared samples of each frame (the last, shorter one zero-padded).

    The sums are exact: float64 holds every sum of up to 2**23 squared int16 values.
    """
    whole = samples.size // frame
    body = samples[: whole * frame].reshape(whole, frame).astype(np.float64)
    energies: npt.NDArray[np.float64] = np.einsum("ij,ij->i", body, body)
    tail = samples[whole * frame :].astype(np.float64)
    if tail.size:
        energies = np.append(energies, np.dot(tail, tail))
    return energies
