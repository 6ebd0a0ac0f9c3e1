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
(:func:`combined_loudness`): the result is the one pass over the whole narration
would give, to about 0.01 LU.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from narrate.audio.loudness import Loudness, LoudnessMeter, pieces_loudness

__all__ = [
    "CutRule",
    "PIECES_PER_SECOND",
    "PartStore",
    "Unit",
    "UnitLoudness",
    "combined_loudness",
    "keep_loudness",
    "kept_key",
    "kept_loudness",
    "measure_loudness",
    "stored_loudness",
]

PIECES_PER_SECOND = 200
"""A unit's loudness is kept in pieces of 5 ms."""
KEPT_VERSION = 1
"""Part of every kept thing's address: raise it when what narrate makes of a unit
(the finishing, the meter, the encoding) changes."""


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
    """Where the timeline is cut into :class:`Unit` s: in every pause after an utterance
    that has room for ``silence`` samples before the cut and ``lead`` after it. The pause
    is made longer or shorter (by at most half of ``grid`` samples, never below that
    room) so that the cut falls on a multiple of ``grid`` (an MP3 frame: 26 ms at 22.05
    and 44.1 kHz, 36 ms at 16 kHz), and the next unit starts with ``lead`` samples of
    its silence (so an MP3 encoder starts on silence, as at the start of a file)."""

    silence: int
    grid: int = 1
    lead: int = 0


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
        **more,
    }
    return store.data_key(fields)


Floats = npt.NDArray[np.float64]
Counts = npt.NDArray[np.int64]

_PEAKS = struct.Struct("<dd")


@dataclass(frozen=True)
class UnitLoudness:
    """One unit's loudness in pieces (see :func:`~narrate.audio.loudness.pieces_loudness`)
    and its peaks in dBFS (NaN when not measured)."""

    energies: Floats
    lengths: Counts
    sample_peak_dbfs: float = math.nan
    true_peak_dbfs: float = math.nan

    def to_bytes(self) -> bytes:
        pieces = np.stack((self.energies, self.lengths.astype(np.float64)))
        return _PEAKS.pack(self.sample_peak_dbfs, self.true_peak_dbfs) + pieces.tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> UnitLoudness | None:
        """The measurement :meth:`to_bytes` wrote, ``None`` if ``data`` cannot be one."""
        body = len(data) - _PEAKS.size
        if body < 0 or body % 16:
            return None
        sample_peak, true_peak = _PEAKS.unpack_from(data)
        energies, lengths = np.frombuffer(data, dtype="<f8", offset=_PEAKS.size).reshape(2, -1)
        return cls(energies, lengths.astype(np.int64), sample_peak, true_peak)


def kept_loudness(
    store: PartStore | None,
    key: str | None,
    samples: Callable[[], Iterable[bytes]],
    sample_rate: int,
    *,
    peaks: bool,
) -> UnitLoudness:
    """The loudness ``store`` keeps under ``key``, or that of ``samples()`` (raw s16le),
    measured now and kept there."""
    kept = stored_loudness(store, key)
    if kept is not None:
        return kept
    measured = measure_loudness(samples(), sample_rate, peaks=peaks)
    keep_loudness(store, key, measured)
    return measured


def stored_loudness(store: PartStore | None, key: str | None) -> UnitLoudness | None:
    """The loudness ``store`` keeps under ``key``, if it keeps a whole one there."""
    if store is None or key is None:
        return None
    data = store.get_data(key)
    return UnitLoudness.from_bytes(data) if data is not None else None


def keep_loudness(store: PartStore | None, key: str | None, measured: UnitLoudness) -> None:
    """Keep ``measured`` in ``store`` under ``key`` (when there is a store)."""
    if store is not None and key is not None:
        store.put_data(key, measured.to_bytes())


def measure_loudness(samples: Iterable[bytes], sample_rate: int, *, peaks: bool) -> UnitLoudness:
    """The loudness of raw s16le ``samples`` in pieces, with the peaks if asked for."""
    meter = LoudnessMeter(sample_rate, peaks=peaks, hops_per_second=PIECES_PER_SECOND)
    for block in samples:
        meter.feed(np.frombuffer(block, dtype="<i2"))
    energies, lengths = meter.segments()
    sample_peak, true_peak = meter.peaks() if peaks else (math.nan, math.nan)
    return UnitLoudness(energies, lengths.astype(np.int64), sample_peak, true_peak)


def combined_loudness(
    units: Sequence[Unit], measured: Sequence[UnitLoudness], sample_rate: int
) -> Loudness:
    """The loudness of the whole narration from its units' (in order, one after another)."""
    centres = [
        unit.start + np.cumsum(part.lengths) - part.lengths + part.lengths // 2
        for unit, part in zip(units, measured, strict=True)
    ]
    energies = np.concatenate([part.energies for part in measured])
    frames = units[-1].end if units else 0
    integrated = pieces_loudness(np.concatenate(centres), energies, frames, sample_rate)
    sample_peak = max((part.sample_peak_dbfs for part in measured), default=-math.inf)
    true_peak = max((part.true_peak_dbfs for part in measured), default=-math.inf)
    return Loudness(integrated, sample_peak, true_peak)
