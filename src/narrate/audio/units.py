"""A narration in units, and what is made of each unit, kept between runs.

The timeline is cut in the pauses after utterances (:class:`CutRule`), so every unit
starts after enough silence that the limiter, the loudness meter and an MP3 encoder
can each start afresh there with the same result. A unit's sound is named by a
digest of its samples, wherever in the narration it stands, so what was made of it
(its loudness, its finished loudness at a gain, its MP3 frames) can be kept in a
:class:`PartStore` (the chunk cache) and used again: a run after a one-sentence edit
measures and encodes that sentence's unit only.

Loudness is kept in pieces of 5 ms (:data:`PIECES_PER_SECOND`), fine enough to lay
them on the 100 ms hops of the whole narration wherever the unit comes to stand
(:class:`LoudnessSum`): the result is the one pass over the whole narration would
give, to about 0.01 LU.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from narrate import __version__
from narrate.audio.loudness import Loudness, LoudnessMeter, PieceSums

__all__ = [
    "CutRule",
    "PIECES_PER_SECOND",
    "PartStore",
    "Unit",
    "LoudnessSum",
    "UnitLoudness",
    "keep_loudness",
    "kept_key",
    "kept_loudness",
    "measure_loudness",
    "stored_loudness",
]

PIECES_PER_SECOND = 200
"""A unit's loudness is kept in pieces of 5 ms."""
KEPT_VERSION = 2
"""Part of every kept thing's address (with narrate's version): raise it when what
narrate makes of a unit (the finishing, the meter, the encoding) changes."""


@dataclass(frozen=True)
class Unit:
    """A stretch of the timeline that can be finished, measured and encoded on its own.

    Every unit but the last ends in a pause of at least the :class:`CutRule`'s
    silence. The digest (BLAKE2b-128 of the unit's PCM) names the unit's sound.
    """

    start: int
    end: int
    digest: bytes

    @property
    def samples(self) -> range:
        """The unit's samples in the spool."""
        return range(self.start, self.end)


@dataclass(frozen=True)
class CutRule:
    """Where the timeline is cut into :class:`Unit` s: in the pause after an utterance,
    at the multiple of ``grid`` (an MP3 frame: 26 ms at 22.05 and 44.1 kHz, 36 ms at 16
    kHz) nearest to ``lead`` samples before the pause's end, when that leaves
    ``silence`` samples of the pause before the cut and makes a unit of at least
    ``shortest`` samples. The pause becomes up to half a frame longer or shorter, and
    the next unit starts with ``lead`` samples of it (so an MP3 encoder starts on
    silence, as at the start of a file)."""

    silence: int
    grid: int = 1
    lead: int = 0
    shortest: int = 0


class PartStore(Protocol):
    """Where what is made of units is kept between runs (the chunk cache is one)."""

    def data_key(self, fields: dict[str, object]) -> str:
        """The address of what ``fields`` describe."""

    def get_data(self, key: str) -> bytes | None:
        """The data stored under ``key``, or ``None``."""

    def put_data(self, key: str, data: bytes) -> None:
        """Keep ``data`` under ``key``."""


def kept_key(
    store: PartStore | None, unit: Unit, sample_rate: int, kind: str, **more: object
) -> str | None:
    """The address in ``store`` of ``kind`` made of ``unit`` (``more`` says how); ``None``
    without a store."""
    if store is None:
        return None
    fields: dict[str, object] = {
        "kind": kind,
        "sound": unit.digest.hex(),
        "frames": len(unit.samples),
        "rate": sample_rate,
        "version": KEPT_VERSION,
        "narrate": __version__,
        **more,
    }
    return store.data_key(fields)


_PEAKS = struct.Struct("<dd")


@dataclass(frozen=True)
class UnitLoudness:
    """One unit's loudness: the energies of its 5 ms pieces (see
    :class:`~narrate.audio.loudness.PieceSums`) and its peaks in dBFS (NaN when not
    measured)."""

    energies: npt.NDArray[np.float32]
    sample_peak_dbfs: float = math.nan
    true_peak_dbfs: float = math.nan

    def to_bytes(self) -> bytes:
        peaks = _PEAKS.pack(self.sample_peak_dbfs, self.true_peak_dbfs)
        return peaks + self.energies.astype("<f4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes, pieces: int) -> UnitLoudness | None:
        """The measurement :meth:`to_bytes` wrote of ``pieces`` pieces, ``None`` if
        ``data`` is not one."""
        if len(data) != _PEAKS.size + 4 * pieces:
            return None
        sample_peak, true_peak = _PEAKS.unpack_from(data)
        energies = np.frombuffer(data, dtype="<f4", offset=_PEAKS.size)
        return cls(energies, sample_peak, true_peak)


def _louder(peak: float, other: float) -> float:
    """The higher of two peaks; NaN (not measured) if either is."""
    return math.nan if math.isnan(peak) or math.isnan(other) else max(peak, other)


class LoudnessSum:
    """The loudness of a narration from its units', added in any order."""

    def __init__(self, sample_rate: int) -> None:
        self.sample_rate = sample_rate
        self._pieces = PieceSums(sample_rate, PIECES_PER_SECOND)
        self._sample_peak = -math.inf
        self._true_peak = -math.inf

    def pieces(self, unit: Unit) -> int:
        """How many pieces ``unit`` is measured in."""
        return self._pieces.pieces(len(unit.samples))

    def add(self, unit: Unit, measured: UnitLoudness) -> None:
        """Count ``unit``'s loudness."""
        self._pieces.add(unit.start, len(unit.samples), measured.energies.astype(np.float64))
        self._sample_peak = _louder(self._sample_peak, measured.sample_peak_dbfs)
        self._true_peak = _louder(self._true_peak, measured.true_peak_dbfs)

    def result(self) -> Loudness:
        """The loudness of all units added (their peaks: NaN when not measured)."""
        return Loudness(self._pieces.loudness(), self._sample_peak, self._true_peak)


def kept_loudness(
    store: PartStore | None,
    key: str | None,
    samples: Callable[[], Iterable[bytes]],
    sample_rate: int,
    *,
    peaks: bool,
    pieces: int,
) -> UnitLoudness:
    """The loudness of ``pieces`` pieces ``store`` keeps under ``key``, or that of
    ``samples()`` (raw s16le), measured now and kept there."""
    kept = stored_loudness(store, key, pieces)
    if kept is not None:
        return kept
    measured = measure_loudness(samples(), sample_rate, peaks=peaks)
    keep_loudness(store, key, measured)
    return measured


def stored_loudness(store: PartStore | None, key: str | None, pieces: int) -> UnitLoudness | None:
    """The loudness ``store`` keeps under ``key``, if it keeps a whole one of ``pieces``."""
    if store is None or key is None:
        return None
    data = store.get_data(key)
    return UnitLoudness.from_bytes(data, pieces) if data is not None else None


def keep_loudness(store: PartStore | None, key: str | None, measured: UnitLoudness) -> None:
    """Keep ``measured`` in ``store`` under ``key`` (when there is a store)."""
    if store is not None and key is not None:
        store.put_data(key, measured.to_bytes())


def measure_loudness(samples: Iterable[bytes], sample_rate: int, *, peaks: bool) -> UnitLoudness:
    """The loudness of raw s16le ``samples`` in pieces, with the peaks if asked for."""
    meter = LoudnessMeter(sample_rate, peaks=peaks, hops_per_second=PIECES_PER_SECOND)
    for block in samples:
        meter.feed(np.frombuffer(block, dtype="<i2"))
    energies = meter.segments().astype(np.float32)
    sample_peak, true_peak = meter.peaks() if peaks else (math.nan, math.nan)
    return UnitLoudness(energies, sample_peak, true_peak)
