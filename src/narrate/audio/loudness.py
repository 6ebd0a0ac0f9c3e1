"""Integrated loudness after ITU-R BS.1770-4, in-process and streaming.

The K-weighting filter (a high shelf, then the "RLB" high-pass) is defined in
the standard by its coefficients at 48 kHz only. :func:`k_weighting` inverts the
bilinear transform on those coefficients to recover the analog prototype
(shelf: 1681.97 Hz, Q 0.7072, +4.0 dB; high-pass: 38.14 Hz, Q 0.5003) and
discretizes it again at any sample rate.

Running an IIR filter sample by sample in Python is far too slow, so the two
sections are run as one 4th-order state-space filter, block by block, with matrix
products (see :class:`_KFilter`): exact to float rounding, no truncated impulse
response, and several times faster than FFT convolution. The filter keeps its
state across calls. The signal is read block by block from the PCM file (plain
reads, not a memory map, whose touched pages would count towards the process's
resident memory), so memory stays bounded for any length. :class:`LoudnessMeter`
takes the audio in pieces of any size, so the timeline builder measures while it
writes and no second pass over the file is needed.

Gating follows the standard: 400 ms blocks with 75 % overlap, an absolute gate
at -70 LUFS and a relative gate 10 LU below the loudness of the blocks that pass
the absolute gate.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

__all__ = [
    "Biquad",
    "Loudness",
    "LoudnessMeter",
    "PEAK_CEILING_DB",
    "Source",
    "gated_loudness",
    "PieceSums",
    "integrated_loudness",
    "k_weighting",
    "measure",
    "normalization",
    "correct_for_limiter",
    "MAX_GAIN_DB",
    "GAIN_STEP_DB",
    "gain_step",
    "Normalization",
    "normalize_to",
    "TOLERANCE_LU",
]

Samples: TypeAlias = npt.NDArray[np.float32]
"""Audio as float32 in [-1, 1] (24 bits of mantissa hold 16-bit PCM exactly)."""
Floats: TypeAlias = npt.NDArray[np.float64]
Source: TypeAlias = Path | npt.NDArray[np.int16] | npt.NDArray[np.floating]
"""A raw mono s16le PCM file, int16 samples, or float samples in [-1, 1]."""

PEAK_CEILING_DB = -1.0
"""The highest (true) peak, in dBFS, that :func:`normalization` lets through."""

# ITU-R BS.1770-4, tables 1 and 2: the two K-weighting stages at 48 kHz (b, a).
_SHELF_48K = (
    (1.53512485958697, -2.69169618940638, 1.19839281085285),
    (-1.69065929318241, 0.73248077421585),
)
_HIGHPASS_48K = ((1.0, -2.0, 1.0), (-1.99004745483398, 0.99007225036621))
_OFFSET = -0.691
_ABSOLUTE_GATE = -70.0
_RELATIVE_GATE = -10.0
_SEGMENTS_PER_SECOND = 10  # 100 ms hops: 400 ms blocks overlap by 75 %
_SEGMENTS_PER_BLOCK = 4
_FULL_SCALE = 32768.0


@dataclass(frozen=True)
class Biquad:
    """A second-order IIR section, ``a0`` normalized to 1."""

    b: tuple[float, float, float]
    a: tuple[float, float, float]


@dataclass(frozen=True)
class Loudness:
    """What one pass over the audio measured."""

    integrated_lufs: float | None
    """Gated integrated loudness; ``None`` when no 400 ms block passes the gates
    (digital silence, or audio shorter than 400 ms)."""
    sample_peak_dbfs: float
    """The largest absolute sample value in dBFS; ``-inf`` for all zeros."""
    true_peak_dbfs: float
    """An estimate of the peak between samples (4x oversampled), in dBFS."""


def integrated_loudness(source: Source, sample_rate: int) -> float | None:
    """The integrated loudness of ``source`` in LUFS, ``None`` for silence.

    A mono channel is weighted 1.0, so a 997 Hz full-scale sine reads -3.01 LUFS.
    """
    return measure(source, sample_rate).integrated_lufs


def measure(source: Source, sample_rate: int) -> Loudness:
    """Measure integrated loudness and peaks of ``source`` in a single pass."""
    meter = LoudnessMeter(sample_rate)
    for block in _read(source, meter.hop):
        meter.feed(block)
    return meter.result()


MAX_GAIN_DB = 40.0
"""The most gain normalization applies (more would only amplify noise)."""


def normalization(
    measured: Loudness, target: float, ceiling: float = PEAK_CEILING_DB
) -> tuple[float, float | None]:
    """Gain in dB to reach ``target`` LUFS, and the limiter ceiling it needs (or ``None``).

    Speech from synthetic voices often has peaks far above its loudness, so
    capping the gain at the peak would leave it several LU too quiet; instead
    the full gain is applied and a limiter holds the peaks at ``ceiling``.
    """
    if measured.integrated_lufs is None:
        return 0.0, None
    gain = gain_step(min(target - measured.integrated_lufs, MAX_GAIN_DB))
    needs_limiter = measured.true_peak_dbfs + gain > ceiling
    return gain, (ceiling if needs_limiter else None)


def correct_for_limiter(gain: float, limited: Loudness, target: float) -> float:
    """Raise ``gain`` by what the limiter took away, measured as ``limited``.

    One correction step suffices: the limiter only touches rare peaks, so a
    fraction of a dB more gain changes its loss very little.
    """
    if limited.integrated_lufs is None:
        return gain
    return gain_step(min(gain + target - limited.integrated_lufs, MAX_GAIN_DB))


GAIN_STEP_DB = 0.1
"""Gains are whole steps of this: 0.05 dB off at most, far below what anyone hears, and
an edit that moves an article's loudness a little (one sentence moves it by about 0.01
dB) leaves its gain, and so the finished audio of every other sentence, as it was: the
parts encoded before are used again (see :mod:`narrate.audio.units`)."""


def gain_step(gain_db: float) -> float:
    """``gain_db`` rounded to a whole number of :data:`GAIN_STEP_DB`."""
    return round(round(gain_db / GAIN_STEP_DB) * GAIN_STEP_DB, 6)


TOLERANCE_LU = 0.5
"""A narration this much or more below its target has missed it (and is reported)."""
_TRUSTED_LIMITER_LOSS_LU = 1.0
"""Up to this loss the limiter only touches rare peaks and one :func:`correct_for_limiter`
step lands within :data:`TOLERANCE_LU` (measured: about half the loss remains); beyond
it the result is measured, and improved once if it falls short."""
_MAX_EXTRA_STEP_DB = 6.0
"""The most gain the improving step adds: more only feeds a limiter that gives little back."""

Measure: TypeAlias = Callable[[float, float], Loudness]
"""Loudness of the audio as it will be written with (gain dB, limiter ceiling dBFS)."""


@dataclass(frozen=True)
class Normalization:
    """The gain and limiter for the encoder, and the loudness they reach."""

    gain_db: float
    limit_db: float | None
    """The limiter's ceiling in dBFS; ``None`` when no peak needs it."""
    target_lufs: float
    reached_lufs: float | None = None
    """The loudness of the result, when measured or exact (no limiter); ``None`` for
    silence and when the limiter took so little that one correction reaches the target."""

    @property
    def short_of_target(self) -> bool:
        """Whether the result is :data:`TOLERANCE_LU` or more below the target."""
        reached = self.reached_lufs
        return reached is not None and reached <= self.target_lufs - TOLERANCE_LU

    def shortfall(self) -> str:
        """One line: the target, the loudness reached, and what held it back.

        Only for a result that is :attr:`short_of_target`.
        """
        if self.gain_db >= MAX_GAIN_DB:
            cause = f"at most +{MAX_GAIN_DB:g} dB of gain"
        else:
            cause = f"peaks held at {self.limit_db:g} dBFS"
        return (
            f"loudness {self.target_lufs:g} LUFS is out of reach: this narration comes out"
            f" at {self.reached_lufs:.1f} LUFS ({cause})"
        )


def normalize_to(measured: Loudness, target: float, measure: Measure) -> Normalization:
    """The gain and limiter that bring audio ``measured`` as it is to ``target`` LUFS.

    ``measure(gain_db, limit_db)`` measures the audio as it will be written; it runs
    only when the limiter is needed: once, or up to three times when the limiter has
    to take much (the gain then cannot reach the target, or only with more steps).
    The gain never exceeds :data:`MAX_GAIN_DB`.
    """
    gain, limit = normalization(measured, target)
    if measured.integrated_lufs is None:
        return Normalization(gain, None, target)
    if limit is None:  # gain alone is exact
        return Normalization(gain, None, target, measured.integrated_lufs + gain)
    first = measure(gain, limit)
    corrected = correct_for_limiter(gain, first, target)
    if first.integrated_lufs is None:
        return Normalization(corrected, limit, target)
    loss = target - first.integrated_lufs
    if loss <= _TRUSTED_LIMITER_LOSS_LU and corrected < MAX_GAIN_DB:
        return Normalization(corrected, limit, target)
    second = measure(corrected, limit)
    result = Normalization(corrected, limit, target, second.integrated_lufs)
    more = _secant_gain((gain, first), (corrected, second), target)
    if not result.short_of_target or more is None:
        return result
    third = measure(more, limit)
    if _louder(third, than=second):
        return Normalization(more, limit, target, third.integrated_lufs)
    return result


def _louder(result: Loudness, than: Loudness) -> bool:
    """Whether ``result`` is louder than ``than`` (silence is the quietest)."""
    quietest = -math.inf
    ours = result.integrated_lufs if result.integrated_lufs is not None else quietest
    theirs = than.integrated_lufs if than.integrated_lufs is not None else quietest
    return ours > theirs


def _secant_gain(
    before: tuple[float, Loudness], after: tuple[float, Loudness], target: float
) -> float | None:
    """A gain towards ``target`` from two (gain, result) pairs; ``None`` when none helps.

    The limiter gives back only part of every dB added, so the line through the
    two results aims further than one correction step does.
    """
    (gain_a, result_a), (gain_b, result_b) = before, after
    if result_a.integrated_lufs is None or result_b.integrated_lufs is None:
        return None
    gained = result_b.integrated_lufs - result_a.integrated_lufs
    if gain_b <= gain_a or gained <= 0:
        return None
    step = (target - result_b.integrated_lufs) * (gain_b - gain_a) / gained
    more = gain_step(min(gain_b + min(step, _MAX_EXTRA_STEP_DB), MAX_GAIN_DB))
    return more if more > gain_b else None


class LoudnessMeter:
    """A streaming BS.1770 meter: :meth:`feed` the audio in order, then :meth:`result`.

    Memory is bounded by a few blocks of :attr:`hop` samples plus 8 bytes per 100 ms
    of audio. With ``peaks=False`` only the loudness is measured (faster), and the
    result's peaks are NaN.
    """

    def __init__(
        self, sample_rate: int, *, peaks: bool = True, hops_per_second: int = _SEGMENTS_PER_SECOND
    ) -> None:
        self.sample_rate = sample_rate
        self._filter = _KFilter(sample_rate)
        self._segments = _Segments(sample_rate, hops_per_second)
        self._pending: list[Samples] = []
        self._pending_size = 0
        self._peaks = peaks
        self._sample_peak = 0.0
        self._true_peak = _TruePeak()

    @property
    def hop(self) -> int:
        """The piece size that is processed without any copying."""
        return self._filter.hop

    def feed(self, samples: npt.NDArray[np.int16] | npt.NDArray[np.floating]) -> None:
        """Add the next samples: int16, or floats in [-1, 1]."""
        self._pending.append(_to_float(samples))
        self._pending_size += samples.size
        if self._pending_size >= self.hop:
            data = np.concatenate(self._pending)
            whole = data.size - data.size % self.hop
            for start in range(0, whole, self.hop):
                self._process(data[start : start + self.hop])
            self._pending, self._pending_size = [data[whole:]], data.size - whole

    def block_powers(self) -> Floats:
        """The mean square of every whole 400 ms block of what was fed, one per 100 ms
        (then feed nothing more); :func:`gated_loudness` makes the loudness of them."""
        rest = np.concatenate(self._pending) if self._pending else np.zeros(0, np.float32)
        if rest.size:
            self._process(rest)
        self._pending, self._pending_size = [], 0
        return self._segments.block_powers()

    def segments(self) -> Floats:
        """The sum of squared K-weighted samples of every hop of what was fed, the last
        one as far as the audio goes (then feed nothing more). :class:`PieceSums` makes
        the loudness of a narration of such pieces."""
        self.block_powers()  # measures what is pending
        return self._segments.energies()

    def result(self) -> Loudness:
        """The measurement of everything fed so far (then feed nothing more)."""
        loudness = gated_loudness(self.block_powers())
        if not self._peaks:
            return Loudness(loudness, math.nan, math.nan)
        return Loudness(loudness, *self.peaks())

    def peaks(self) -> tuple[float, float]:
        """The sample peak and the true peak in dBFS of everything fed (then feed nothing
        more); NaN for a meter made with ``peaks=False``."""
        if not self._peaks:
            return math.nan, math.nan
        self.block_powers()  # measures what is pending
        self._true_peak.finish()
        return _decibels(self._sample_peak), _decibels(self._true_peak.peak)

    def _process(self, samples: Samples) -> None:
        self._segments.add(np.square(self._filter(samples)))
        if self._peaks:
            self._sample_peak = max(self._sample_peak, float(np.abs(samples).max()))
            self._true_peak.feed(samples)


@lru_cache(maxsize=16)
def k_weighting(sample_rate: int) -> tuple[Biquad, Biquad]:
    """The K-weighting filter at ``sample_rate``: the high shelf, then the high-pass.

    At 48 kHz these are the standard's coefficients. At other rates the high-pass
    keeps the 48 kHz pass-band gain, so a tone reads the same at every rate.
    """
    if sample_rate <= 0:
        raise ValueError(f"sample rate must be positive, not {sample_rate}")
    return _shelf(sample_rate), _highpass(sample_rate)


def _shelf(sample_rate: int) -> Biquad:
    """The high shelf: gain ``high`` above, 1 below, ``band`` sets its mid slope."""
    k, k_over_q, _ = _prototype(*_SHELF_48K[1], sample_rate)
    (b0, b1, b2), (a1, a2) = _SHELF_48K
    high = (b0 - b1 + b2) / (1 - a1 + a2)
    band = (b0 - b2) / (1 - a2)
    numerator = (high + band * k_over_q + k * k, 2 * (k * k - high), high - band * k_over_q + k * k)
    return _biquad(numerator, k, k_over_q)


def _highpass(sample_rate: int) -> Biquad:
    k, k_over_q, gain = _prototype(*_HIGHPASS_48K[1], sample_rate)
    return _biquad((gain, -2 * gain, gain), k, k_over_q)


def _prototype(a1: float, a2: float, sample_rate: int) -> tuple[float, float, float]:
    """Invert the bilinear transform on a 48 kHz denominator ``1 + a1/z + a2/z^2``.

    With ``K = tan(pi f0 / fs)`` the denominator is ``(1 + K/Q + K^2, 2(K^2 - 1),
    1 - K/Q + K^2)`` up to the factor ``a0``. Return ``K`` and ``K/Q`` at
    ``sample_rate`` and ``a0`` at 48 kHz.
    """
    k_48k = math.sqrt((1 + a1 + a2) / (1 - a1 + a2))
    k_over_q_48k = 2 * (1 - a2) / (1 - a1 + a2)
    frequency = math.atan(k_48k) * 48000 / math.pi
    k = math.tan(math.pi * frequency / sample_rate)
    return k, k * k_over_q_48k / k_48k, 4 / (1 - a1 + a2)


def _biquad(numerator: tuple[float, float, float], k: float, k_over_q: float) -> Biquad:
    a0 = 1 + k_over_q + k * k
    b = tuple(value / a0 for value in numerator)
    a = (1.0, 2 * (k * k - 1) / a0, (1 - k_over_q + k * k) / a0)
    return Biquad((b[0], b[1], b[2]), a)


Matrices: TypeAlias = npt.NDArray[np.float64]
"""A stack of square matrices, or one matrix."""


class _KFilter:
    """The K-weighting as one 4th-order IIR filter, run with matrix products.

    With the filter state ``s`` (4 numbers), each sample ``x`` gives the output
    ``C s + D x`` and the next state ``A s + B x``. The signal is cut into blocks of
    ``BLOCK`` samples: a block's output is its input times a fixed triangular matrix
    (the impulse response's first ``BLOCK`` samples) plus the response to the state
    at the block's start. The blocks' start states follow the same kind of
    recursion, with ``A ** BLOCK`` as the step, and so do the start states of groups
    of ``GROUP`` blocks (see :class:`_Chain`). No Python loop runs per sample, block
    or group. The states are carried in float64 and the products within a block run
    in float32, like the samples, so the output is the recursion's to about 1e-7 of
    full scale (loudness to 1e-6 dB).

    The matrix products are kept small (at most 64 x 64 x 64 per BLAS call), so that
    OpenBLAS runs them on the calling thread: its own threads would spin on the
    cores that synthesis and ffmpeg need.
    """

    BLOCK = 64
    GROUP = 32
    SPAN = BLOCK * GROUP
    hop = 64 * SPAN
    """The most samples one step takes (the meter hands over pieces of this size)."""

    def __init__(self, sample_rate: int) -> None:
        matrices = _filter_matrices(sample_rate, self.BLOCK, self.GROUP, self.hop // self.SPAN)
        self._impulse_part = matrices.impulse_part
        self._state_part = matrices.state_part
        self._input_to_state = matrices.input_to_state
        """Row ``j`` is ``A ** (BLOCK - 1 - j) B``; the last ``k`` rows give the share of
        ``k`` samples in the state after them."""
        self._powers = matrices.powers
        self._blocks = matrices.blocks
        self._groups = matrices.groups
        self._state = np.zeros(self._powers.shape[1])

    def __call__(self, samples: Samples) -> Floats:
        """Filter the next ``samples``, continuing from the previous call."""
        pieces = [
            self._piece(samples[start : start + self.hop])
            for start in range(0, samples.size, self.hop)
        ]
        if len(pieces) == 1:
            return pieces[0]
        return np.concatenate(pieces) if pieces else np.zeros(0)

    def _piece(self, samples: Samples) -> Floats:
        """Filter 1 to :attr:`hop` samples."""
        size, order = samples.size, self._state.size
        groups = -(-size // self.SPAN)
        padded = np.zeros(groups * self.SPAN, dtype=np.float32)
        padded[:size] = samples  # causal: the zeros after the end change nothing before it
        blocks = padded.reshape(groups, self.GROUP, self.BLOCK)
        shares = (blocks @ self._input_to_state).reshape(groups, 1, -1)
        within, to_next = self._blocks.from_zero(shares)
        group_starts, _ = self._groups.run(to_next, self._state)
        block_starts = within + group_starts @ self._blocks.start
        block_starts = block_starts.reshape(groups, self.GROUP, order)
        output = blocks @ self._impulse_part + block_starts @ self._state_part
        # the state after the last real sample (not after the padding)
        last = (size - 1) // self.BLOCK
        rest = size - last * self.BLOCK
        start = block_starts.reshape(-1, order)[last]
        tail = padded[last * self.BLOCK : size]
        self._state = self._powers[rest] @ start + tail @ self._input_to_state[-rest:]
        filtered: Floats = output.reshape(-1)[:size]
        return filtered


@dataclass(frozen=True)
class _FilterMatrices:
    """What a :class:`_KFilter` at one sample rate multiplies with (never changed)."""

    impulse_part: npt.NDArray[np.float32]
    state_part: Matrices
    input_to_state: Matrices
    powers: Matrices
    blocks: _Chain
    groups: _Chain


@lru_cache(maxsize=16)
def _filter_matrices(sample_rate: int, block: int, group: int, groups: int) -> _FilterMatrices:
    """The matrices of the K-weighting at ``sample_rate``, made once per rate (a meter
    per unit of a narration would otherwise spend more time making them than measuring)."""
    a, b, c, d = _state_space(k_weighting(sample_rate))
    powers = _powers(a, block + 1)
    impulse = np.concatenate(([d], c @ (powers[: block - 1] @ b).T))
    lags = np.subtract.outer(np.arange(block), np.arange(block))
    toeplitz = np.where(lags >= 0, impulse[np.maximum(lags, 0)], 0.0)
    blocks = _Chain(powers[block], group)
    return _FilterMatrices(
        impulse_part=toeplitz.T.astype(np.float32),
        state_part=(c @ powers[:block]).T,
        input_to_state=powers[block - 1 :: -1] @ b,
        powers=powers,
        blocks=blocks,
        groups=_Chain(blocks.powers[group], groups),
    )


class _Chain:
    """The recursion ``s[k + 1] = P s[k] + u[k]`` over up to ``count`` steps, in one go.

    The state before step ``i`` is ``P ** i s[0]`` plus ``P ** (i - 1 - j) u[j]``
    summed over ``j < i``: fixed block-triangular matrices of powers of ``P``.
    Inputs and states are rows of ``order`` numbers, a chain's laid end to end.
    """

    def __init__(self, step: Matrices, count: int) -> None:
        order = step.shape[0]
        self.order = order
        self.powers = _powers(step, count + 1)
        lower = np.zeros((count, order, count, order))
        for i in range(count):
            for j in range(i):
                lower[i, :, j, :] = self.powers[i - 1 - j]
        self._lower = lower.reshape(count * order, count * order).T
        self.start = self.powers[:count].transpose(2, 0, 1).reshape(order, count * order)
        """``s[0] @ start``: the share of the first state in the states before each step."""
        self._to_end = self.powers[count - 1 :: -1].transpose(0, 2, 1)
        self._to_end = self._to_end.reshape(count * order, order)

    def from_zero(self, inputs: Floats) -> tuple[Floats, Floats]:
        """For chains of ``count`` steps (shape ``(chains, 1, count * order)``) that
        start at zero: the states before each step, and after the last."""
        chains = inputs.shape[0]
        before: Floats = (inputs @ self._lower).reshape(chains, -1)
        after: Floats = (inputs @ self._to_end).reshape(chains, -1)
        return before, after

    def run(self, inputs: Floats, state: Floats) -> tuple[Floats, Floats]:
        """The states before each of ``len(inputs)`` (at most ``count``) steps from
        ``state``, and the state after the last."""
        steps = inputs.shape[0]
        width = steps * self.order
        flat = inputs.reshape(-1)
        before = flat @ self._lower[:width, :width] + state @ self.start[:, :width]
        after = self.powers[steps] @ state + flat @ self._to_end[self._to_end.shape[0] - width :]
        return before.reshape(steps, self.order), after


def _state_space(sections: tuple[Biquad, Biquad]) -> tuple[Matrices, Floats, Floats, float]:
    """``(A, B, C, D)`` of the two biquads in series: the first one's output feeds the second."""
    (a1, b1, c1, d1), (a2, b2, c2, d2) = (_section_state_space(section) for section in sections)
    a = np.block([[a1, np.zeros((2, 2))], [np.outer(b2, c1), a2]])
    return a, np.concatenate((b1, b2 * d1)), np.concatenate((d2 * c1, c2)), d2 * d1


def _section_state_space(section: Biquad) -> tuple[Matrices, Floats, Floats, float]:
    """``(A, B, C, D)`` of one biquad, in transposed direct form II."""
    (b0, b1, b2), (_, a1, a2) = section.b, section.a
    a = np.array([[-a1, 1.0], [-a2, 0.0]])
    return a, np.array([b1 - a1 * b0, b2 - a2 * b0]), np.array([1.0, 0.0]), b0


def _powers(matrix: Matrices, count: int) -> Matrices:
    """``matrix ** k`` for ``k`` in ``range(count)``, stacked."""
    powers = np.empty((count, *matrix.shape))
    powers[0] = np.eye(matrix.shape[0])
    for k in range(1, count):
        powers[k] = matrix @ powers[k - 1]
    return powers


class _Segments:
    """Sums of squared K-weighted samples per 100 ms segment (the blocks' hop), or per
    shorter piece (``per_second`` of them).

    Segment ``k`` holds the samples ``n`` with ``k * rate / 10 <= n < (k + 1) * rate / 10``,
    so the hop is exact at every rate.
    """

    def __init__(self, sample_rate: int, per_second: int = _SEGMENTS_PER_SECOND) -> None:
        self.sample_rate = sample_rate
        self.per_second = per_second
        self.frames = 0
        self._energy = np.zeros(64)

    def add_at(self, segments: npt.NDArray[np.int64], energies: Floats) -> None:
        """Add ``energies`` to ``segments`` (ascending), which may lie anywhere."""
        if not segments.size:
            return
        self._reach(int(segments[-1]))
        first = int(segments[0])
        summed = np.bincount(segments - first, weights=energies)
        self._energy[first : first + summed.size] += summed

    def add(self, squares: Floats) -> None:
        """Add the squares of the next samples."""
        first = self._segment_of(self.frames)
        last = self._segment_of(self.frames + squares.size - 1)
        self._reach(last)
        starts = self._start(np.arange(first, last + 1)) - self.frames
        self._energy[first : last + 1] += np.add.reduceat(squares, np.maximum(starts, 0))
        self.frames += squares.size

    def _reach(self, last: int) -> None:
        """Make room for segments up to ``last`` (doubling, so growing costs little)."""
        if last >= self._energy.size:
            self._energy = np.concatenate((self._energy, np.zeros(last + 1 + self._energy.size)))

    def block_powers(self) -> Floats:
        """Mean square of every complete 400 ms block, one per 100 ms (100 ms segments)."""
        complete = self.frames * self.per_second // self.sample_rate
        blocks = max(0, complete - _SEGMENTS_PER_BLOCK + 1)
        total = np.concatenate(([0.0], np.cumsum(self._energy[:complete])))
        bounds = self._start(np.arange(complete + 1))
        width = _SEGMENTS_PER_BLOCK
        powers: Floats = (total[width:] - total[:blocks]) / (bounds[width:] - bounds[:blocks])
        return powers

    def energies(self) -> Floats:
        """Every segment's energy, the last one as far as the audio goes."""
        return self._energy[: self.count(self.frames)].copy()

    def count(self, frames: int) -> int:
        """How many segments ``frames`` samples touch."""
        return self._segment_of(frames - 1) + 1 if frames > 0 else 0

    def centres(self, frames: int) -> npt.NDArray[np.int64]:
        """The middle sample of each segment of ``frames`` samples (the last one cut short)."""
        bounds = np.minimum(self._start(np.arange(self.count(frames) + 1)), frames)
        centres: npt.NDArray[np.int64] = (bounds[:-1] + bounds[1:]) // 2
        return centres

    def _segment_of(self, frame: int) -> int:
        return frame * self.per_second // self.sample_rate

    def _start(self, segments: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """The first frame of each of ``segments``."""
        rate, per_second = self.sample_rate, self.per_second
        return (segments * rate + per_second - 1) // per_second


class _TruePeak:
    """A 4x oversampled peak estimate (windowed-sinc interpolation).

    Only the intervals next to samples within 6 dB of the loudest so far are
    interpolated: an inter-sample peak needs a loud sample beside it.
    """

    HALF = 8
    FRACTIONS = (0.25, 0.5, 0.75)

    def __init__(self) -> None:
        offsets = np.arange(-self.HALF + 1, self.HALF + 1)
        distance = np.array(self.FRACTIONS)[None, :] - offsets[:, None]
        window = 0.5 * (1 + np.cos(np.pi * distance / self.HALF))
        self._kernel = (np.sinc(distance) * window).astype(np.float32)
        self._offsets = offsets
        self._tail = np.zeros(2 * self.HALF, dtype=np.float32)
        self.peak = 0.0

    def feed(self, samples: Samples) -> None:
        """Scan ``samples``, which continue the previously fed ones."""
        buffer = np.concatenate((self._tail, samples))
        self._scan(buffer)
        self._tail = buffer[buffer.size - 2 * self.HALF :]

    def finish(self) -> None:
        """Scan the last samples, followed by silence."""
        self._scan(np.concatenate((self._tail, np.zeros(2 * self.HALF, dtype=np.float32))))

    def _scan(self, buffer: Samples) -> None:
        loud = np.abs(buffer)
        self.peak = max(self.peak, float(loud.max()))
        half = self.HALF
        pairs = np.maximum(loud[half - 1 : loud.size - half], loud[half : loud.size - half + 1])
        left = np.flatnonzero(pairs >= 0.5 * self.peak) + (half - 1)
        windows = buffer[left[:, None] + self._offsets[None, :]]
        if windows.size:
            self.peak = max(self.peak, float(np.abs(windows @ self._kernel).max()))


class PieceSums:
    """The loudness of a narration measured stretch by stretch, each in short pieces.

    Each stretch's pieces (:meth:`LoudnessMeter.segments` of a meter with many hops
    per second) count in the 100 ms hop of the whole narration that holds their
    middle, and the 400 ms blocks are made of those hops as in one pass over the
    whole; each block's edges are off by at most half a piece. Memory: the hops only.
    """

    def __init__(self, sample_rate: int, pieces_per_second: int) -> None:
        self._hops = _Segments(sample_rate)
        self._pieces = _Segments(sample_rate, pieces_per_second)

    def pieces(self, frames: int) -> int:
        """How many pieces a stretch of ``frames`` samples is measured in."""
        return self._pieces.count(frames)

    def add(self, start: int, frames: int, energies: Floats) -> None:
        """Count the pieces of the ``frames`` samples from ``start`` on."""
        centres = start + self._pieces.centres(frames)
        self._hops.add_at(centres * _SEGMENTS_PER_SECOND // self._hops.sample_rate, energies)
        self._hops.frames = max(self._hops.frames, start + frames)

    def loudness(self) -> float | None:
        """The gated loudness of everything added (a narration without gaps)."""
        return gated_loudness(self._hops.block_powers())


def gated_loudness(power: Floats) -> float | None:
    """The integrated loudness of blocks with mean squares ``power`` (see
    :meth:`LoudnessMeter.block_powers`), through the absolute and the relative gate;
    ``None`` when no block passes."""
    with np.errstate(divide="ignore"):
        loudness = _OFFSET + 10 * np.log10(power)
    passed = power[loudness > _ABSOLUTE_GATE]
    if passed.size == 0:
        return None
    relative = _OFFSET + 10 * math.log10(float(passed.mean())) + _RELATIVE_GATE
    passed = power[(loudness > _ABSOLUTE_GATE) & (loudness > relative)]
    return _OFFSET + 10 * math.log10(float(passed.mean()))


def _decibels(amplitude: float) -> float:
    return 20 * math.log10(amplitude) if amplitude > 0 else -math.inf


def _to_float(samples: npt.NDArray[np.int16] | npt.NDArray[np.floating]) -> Samples:
    scale = 1 / _FULL_SCALE if np.issubdtype(samples.dtype, np.integer) else 1.0
    return np.multiply(samples, scale, dtype=np.float32)


def _read(source: Source, size: int) -> Iterator[npt.NDArray[np.int16] | npt.NDArray[np.floating]]:
    """Yield ``source``'s samples ``size`` at a time."""
    if isinstance(source, Path):
        with source.open("rb") as handle:
            while (block := np.fromfile(handle, dtype="<i2", count=size)).size:
                yield block
        return
    for start in range(0, source.size, size):
        yield source[start : start + size]
