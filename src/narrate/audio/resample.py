"""Changing a clip's sample rate (band-limited, via the FFT)."""

from __future__ import annotations

import numpy as np

from narrate.engines.base import Clip

__all__ = ["resample"]


def resample(clip: Clip, sample_rate: int) -> Clip:
    """Return ``clip`` at ``sample_rate``.

    The spectrum is truncated (down) or zero-padded (up), which is an ideal
    low-pass: no aliasing, no interpolation ripple. It treats the clip as
    periodic, which is harmless for trimmed speech that starts and ends near
    silence. The result has ``round(frames * sample_rate / clip.sample_rate)``
    frames.
    """
    if sample_rate <= 0:
        raise ValueError(f"sample rate must be positive, not {sample_rate}")
    if clip.sample_rate == sample_rate:
        return clip
    frames = (clip.frames * sample_rate + clip.sample_rate // 2) // clip.sample_rate
    if frames == 0 or clip.frames == 0:
        return Clip(b"", sample_rate)
    samples = np.frombuffer(clip.pcm, dtype="<i2").astype(np.float64)
    spectrum = np.fft.rfft(samples)
    resampled = np.fft.irfft(spectrum, frames) * (frames / clip.frames)
    pcm = np.clip(np.rint(resampled), -32768, 32767).astype("<i2")
    return Clip(pcm.tobytes(), sample_rate)
