"""A look-ahead peak limiter in numpy that never delays the audio, streamed block by block.

For every sample the gain that would keep it at the ceiling is ``need = min(1,
ceiling / |x|)``. The limiter holds the smallest need of the ``release`` samples
before and the ``attack`` samples after each sample, then averages that held curve
over the ``attack`` samples up to it. Every sample whose hold window covers a peak
therefore gets at most the peak's gain, so no output sample exceeds the ceiling, and
the gain ramps down over the attack time before a peak and back up after the
release time, smoothly and without clicks. The gain is computed from future samples
rather than applied late, so nothing is delayed: every timing stays exact.

Everything is vectorized (a sliding minimum by the van Herk/Gil-Werman method and a
moving average by cumulative sums); :class:`PeakLimiter` keeps the few samples of
context it needs between blocks, so the result does not depend on the block size.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["PeakLimiter", "ATTACK_MS", "RELEASE_MS", "limiter_reach"]

Samples = npt.NDArray[np.float32]

ATTACK_MS = 2.0
"""How long before a peak the gain starts coming down."""
RELEASE_MS = 10.0
"""How long after a peak the gain stays down before it comes back up over the attack time."""


def limiter_reach(sample_rate: int) -> int:
    """How many samples around a peak a :class:`PeakLimiter` with the default times
    touches on either side: after this much silence it is as if it had just started."""
    attack, release = _lengths(sample_rate, ATTACK_MS, RELEASE_MS)
    return attack + release


def _lengths(sample_rate: int, attack_ms: float, release_ms: float) -> tuple[int, int]:
    """The attack and release times in samples."""
    return max(1, round(sample_rate * attack_ms / 1000)), max(
        0, round(sample_rate * release_ms / 1000)
    )


class PeakLimiter:
    """Keep ``|sample| <= ceiling`` (linear, of full scale 1.0) for audio fed in order.

    :meth:`process` takes any block and returns the samples it has finished (it
    holds back the last ``attack`` samples until it has seen what follows them);
    :meth:`flush` returns the rest. Together they return exactly what went in,
    limited.
    """

    def __init__(
        self,
        sample_rate: int,
        ceiling: float,
        attack_ms: float = ATTACK_MS,
        release_ms: float = RELEASE_MS,
    ) -> None:
        if not 0 < ceiling <= 1:
            raise ValueError(f"ceiling must be in (0, 1], not {ceiling}")
        self.ceiling = float(ceiling)
        self.attack, self.release = _lengths(sample_rate, attack_ms, release_ms)
        self._context = np.ones(self.attack + self.release, dtype=np.float32)
        self._samples = np.zeros(0, dtype=np.float32)
        self._needs = np.zeros(0, dtype=np.float32)

    def process(self, block: Samples) -> Samples:
        """Take ``block``; return the limited samples that are final now."""
        self._samples = np.concatenate([self._samples, block.astype(np.float32, copy=False)])
        self._needs = np.concatenate([self._needs, self._need(block)])
        return self._finish(len(self._needs) - self.attack)

    def flush(self) -> Samples:
        """Return every sample still held back (silence is assumed to follow)."""
        self._needs = np.concatenate([self._needs, np.ones(self.attack, dtype=np.float32)])
        return self._finish(len(self._samples))

    def _need(self, block: Samples) -> Samples:
        magnitude = np.abs(block.astype(np.float32, copy=False))
        needs = np.ones(len(magnitude), dtype=np.float32)
        over = np.flatnonzero(magnitude > self.ceiling)  # few: peaks are rare
        needs[over] = self.ceiling / magnitude[over]
        return needs

    def _finish(self, count: int) -> Samples:
        """Limit and hand out the first ``count`` pending samples."""
        if count <= 0:
            return np.zeros(0, dtype=np.float32)
        needs = np.concatenate([self._context, self._needs[: count + self.attack]])
        limited = self._samples[:count] * self._gains(needs, count)
        keep = len(self._context)
        self._context = np.concatenate([self._context, self._needs[:count]])[-keep:]
        self._samples = self._samples[count:]
        self._needs = self._needs[count:]
        return limited.astype(np.float32, copy=False)

    def _gains(self, needs: Samples, count: int) -> Samples:
        """The gain of each of the first ``count`` samples, computed only around peaks.

        ``needs`` starts with the context; sample ``p``'s gain depends on
        ``needs[p : p + reach + 1]``, so only the spans within ``reach`` before a
        sample that needs limiting can be below 1. Peaks are sparse in speech (a few
        per second), so the spans are short and the rest is left at exactly 1.
        """
        gains = np.ones(count, dtype=np.float32)
        low = np.flatnonzero(needs < 1.0)
        if low.size == 0:
            return gains
        width = self.attack + self.release + 1
        reach = self.attack + width - 1
        starts, ends = np.maximum(low - reach, 0), np.minimum(low, count - 1)
        breaks = np.flatnonzero(starts[1:] > ends[:-1] + 1)
        firsts = starts[np.concatenate([[0], breaks + 1])]
        lasts = ends[np.concatenate([breaks, [len(low) - 1]])]
        for first, last in zip(firsts.tolist(), lasts.tolist(), strict=True):
            held = _sliding_min(needs[first : last + 1 + reach], width)
            gains[first : last + 1] = _moving_average(held, self.attack + 1)
        return gains


def _sliding_min(values: Samples, width: int) -> Samples:
    """``result[i] = min(values[i : i + width])`` for every full window."""
    if width == 1:
        return values.copy()
    size = len(values)
    blocks = -(-size // width)
    padded = np.full(blocks * width, np.inf, dtype=np.float32)
    padded[:size] = values
    grid = padded.reshape(blocks, width)
    prefix = np.minimum.accumulate(grid, axis=1).ravel()
    suffix = np.minimum.accumulate(grid[:, ::-1], axis=1)[:, ::-1].ravel()
    windows = size - width + 1
    result: Samples = np.minimum(suffix[:windows], prefix[width - 1 : width - 1 + windows])
    return result


def _moving_average(values: Samples, width: int) -> Samples:
    """``result[i] = mean(values[i : i + width])`` for every full window."""
    sums = np.concatenate([[0.0], np.cumsum(values, dtype=np.float64)])
    result: Samples = ((sums[width:] - sums[:-width]) / width).astype(np.float32)
    return result
