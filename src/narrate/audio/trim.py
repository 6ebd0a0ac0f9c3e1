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
    loud = np.flatnonzero(_frame_levels(samples, clip.sample_rate) >= threshold_db)
    if loud.size == 0:
        return Clip(b"", clip.sample_rate)
    frame = _frame_length(clip.sample_rate)
    margin = clip.sample_rate * MARGIN_MS // 1000
    start = max(0, int(loud[0]) * frame - margin)
    end = min(samples.size, (int(loud[-1]) + 1) * frame + margin)
    return Clip(samples[start:end].tobytes(), clip.sample_rate)


def _frame_length(sample_rate: int) -> int:
    return max(1, sample_rate * FRAME_MS // 1000)


def _frame_levels(samples: npt.NDArray[np.int16], sample_rate: int) -> npt.NDArray[np.float64]:
    """RMS level in dBFS of each frame; the last, shorter frame is zero-padded."""
    frame = _frame_length(sample_rate)
    count = -(-samples.size // frame)
    padded = np.zeros(count * frame, dtype=np.float64)
    padded[: samples.size] = samples
    power = np.mean(np.square(padded.reshape(count, frame) / _FULL_SCALE), axis=1)
    with np.errstate(divide="ignore"):
        levels: npt.NDArray[np.float64] = 10.0 * np.log10(power)
    return levels
