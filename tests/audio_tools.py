"""Decode produced audio and measure it: the tests' ears."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np

from narrate.audio.ffmpeg import find_ffmpeg

DECODE_RATE = 16000


def decode(path: Path, rate: int = DECODE_RATE) -> np.ndarray:
    """Decode any audio file to mono float samples in [-1, 1] at ``rate``."""
    command = [find_ffmpeg(), "-nostdin", "-v", "error", "-i", str(path)]
    command += ["-f", "s16le", "-ac", "1", "-ar", str(rate), "-"]
    raw = subprocess.run(command, capture_output=True, check=True).stdout
    return np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0


def duration_ms(path: Path) -> float:
    """Decoded length of an audio file in milliseconds."""
    return 1000.0 * len(decode(path)) / DECODE_RATE


def silences(
    samples: np.ndarray, rate: int = DECODE_RATE, min_ms: int = 80, threshold: float = 0.003
) -> list[tuple[int, int]]:
    """Spans (start_ms, end_ms) where 10 ms frames stay below ``threshold`` RMS."""
    frame = rate // 100
    count = len(samples) // frame
    frames = samples[: count * frame].reshape(count, frame)
    quiet = np.sqrt(np.mean(frames**2, axis=1)) < threshold
    spans: list[tuple[int, int]] = []
    start: int | None = None
    for index, is_quiet in enumerate([*quiet, False]):
        if is_quiet and start is None:
            start = index
        elif not is_quiet and start is not None:
            if (index - start) * 10 >= min_ms:
                spans.append((start * 10, index * 10))
            start = None
    return spans
