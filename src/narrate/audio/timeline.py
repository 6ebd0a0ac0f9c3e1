"""The timeline: every utterance's clips and pauses joined once, with exact times.

(The data types are fixed here; the builder is below them.)
"""

from __future__ import annotations

import functools
import hashlib
import os
import queue
import tempfile
import threading
import weakref
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, NoReturn

import numpy as np
import numpy.typing as npt

from narrate.audio.cores import second_core_allowed
from narrate.audio.loudness import Loudness, LoudnessMeter
from narrate.audio.resample import resample
from narrate.audio.trim import trim_silence
from narrate.audio.units import (
    PIECES_PER_SECOND,
    CutRule,
    LoudnessSum,
    PartStore,
    Unit,
    kept_key,
    kept_loudness,
)
from narrate.engines.base import BYTES_PER_SAMPLE, Clip
from narrate.settings import Pauses
from narrate.speech.script import PauseKind, Script, Utterance, UtteranceKind

__all__ = ["TimedUtterance", "Chapter", "Timeline", "TimelineBuilder", "spool_blocks"]


@dataclass(frozen=True)
class TimedUtterance:
    """Where one utterance's audio starts and ends, in milliseconds.

    ``kind`` and ``pause_after`` come from the script's utterance: a player lays
    out title, headings and paragraphs with them (a sentence followed by more
    than a sentence pause ends its paragraph).
    """

    index: int
    display: str
    spoken: str
    section: int
    start_ms: int
    end_ms: int
    kind: UtteranceKind = UtteranceKind.SENTENCE
    pause_after: PauseKind = PauseKind.SENTENCE

    @property
    def ends_paragraph(self) -> bool:
        """Whether a paragraph (or the title or a heading) ends with this utterance."""
        return self.pause_after is not PauseKind.SENTENCE


@dataclass(frozen=True)
class Chapter:
    """A chapter: the article intro or one subheading, with its audio span."""

    title: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class Timeline:
    """The joined narration as raw mono s16le PCM in ``pcm_path``, plus its times."""

    pcm_path: Path
    sample_rate: int
    frames: int
    utterances: tuple[TimedUtterance, ...]
    chapters: tuple[Chapter, ...]
    units: tuple[Unit, ...] = ()
    """The narration cut in pauses (see :class:`CutRule`), in order; empty when it was
    not cut."""

    @property
    def duration_ms(self) -> int:
        """Total length of the narration in milliseconds."""
        return round(1000 * self.frames / self.sample_rate)


def frames_to_ms(frames: int, sample_rate: int) -> int:
    """Milliseconds at ``frames`` samples, rounded like :attr:`Timeline.duration_ms`."""
    return round(1000 * frames / sample_rate)


def ms_to_frames(milliseconds: int, sample_rate: int) -> int:
    """The whole number of samples closest to ``milliseconds``."""
    return (milliseconds * sample_rate + 500) // 1000


@dataclass(frozen=True)
class _Span:
    """An added utterance and its audio's first and one-past-last frame."""

    utterance: Utterance
    start: int
    end: int


class TimelineBuilder:
    """Joins utterances' clips and pauses into one PCM spool file, with exact times.

    The audio goes straight to a temporary file in ``directory`` (named
    ``.narrate-*.pcm``), so memory stays flat however long the narration is. Use it
    as a context manager::

        with TimelineBuilder(rate, pauses, folder) as builder:
            for utterance, clips in spoken:
                builder.add(utterance, clips)
            timeline = builder.finish(script)
            encode(timeline.pcm_path, ...)   # the spool file exists until here
        # the spool file is gone

    :meth:`close` (called on exit, also after an error) removes the spool file; it
    is safe to call twice. Times are computed from sample counts, so they are exact
    to the sample and rounded to the millisecond only once. The loudness is measured
    while the audio is written, on a worker thread (so it overlaps the engine's
    synthesis; on the writer's thread when there is one core to use, see
    :mod:`narrate.audio.cores`):
    :attr:`loudness` is ready after :meth:`finish`.
    """

    def __init__(
        self,
        sample_rate: int,
        pauses: Pauses,
        directory: Path,
        cuts: CutRule | None = None,
        store: PartStore | None = None,
    ) -> None:
        if sample_rate <= 0:
            raise ValueError(f"sample rate must be positive, not {sample_rate}")
        self.sample_rate = sample_rate
        self.pauses = pauses
        self._cuts = cuts
        self._unit_start = 0
        handle, name = tempfile.mkstemp(prefix=".narrate-", suffix=".pcm", dir=directory)
        self.path = Path(name)
        """The spool file: raw mono s16le PCM at :attr:`sample_rate`."""
        self._file: BinaryIO = os.fdopen(handle, "wb")
        self._frames = 0
        self._spans: list[_Span] = []
        self._meter: _Meter
        if cuts is not None:
            self._meter = _UnitMeter(self.path, sample_rate, store)
        elif second_core_allowed():
            self._meter = _MeterThread(sample_rate)
        else:
            self._meter = _Meter(sample_rate)
        self._loudness: Loudness | None = None
        self._cleanup = weakref.finalize(self, _cleanup, self._file, self.path, self._meter)

    def __enter__(self) -> TimelineBuilder:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def add(self, utterance: Utterance, clips: Sequence[Clip]) -> None:
        """Append one utterance's audio, then the pause that follows it.

        Each clip is trimmed of its silence and resampled to :attr:`sample_rate`;
        the clips are joined ``pauses.chunk_ms`` apart, and the silence of
        ``utterance.pause_after`` follows. Silent clips contribute nothing.
        """
        self._check_writable()
        sounds = [sound for sound in map(self._prepare, clips) if sound.pcm]
        start = self._frames
        for number, sound in enumerate(sounds):
            if number:
                self._write_silence(self.pauses.chunk_ms)
            self._write(sound.pcm)
        self._spans.append(_Span(utterance, start, self._frames))
        self._write_pause(
            ms_to_frames(utterance.pause_after.milliseconds(self.pauses), self.sample_rate)
        )

    def finish(self, script: Script) -> Timeline:
        """Close the spool file for writing and return the finished :class:`Timeline`.

        ``script`` must hold the utterances that were added, in order; its
        ``sections`` name the chapters. The timeline's ``pcm_path`` stays readable
        until :meth:`close`.
        """
        self._check_writable()
        if script.utterances != tuple(span.utterance for span in self._spans):
            raise ValueError("finish() needs the script whose utterances were added, in order")
        timed = tuple(self._timed(index, span) for index, span in enumerate(self._spans))
        duration = frames_to_ms(self._frames, self.sample_rate)
        chapters = build_chapters(script.sections, timed, duration)
        if self._cuts is not None:
            self._end_unit()
        self._file.close()
        self._loudness = self._meter.result()
        units = self._meter.units
        return Timeline(self.path, self.sample_rate, self._frames, timed, chapters, units)

    @property
    def loudness(self) -> Loudness:
        """Integrated loudness and peaks of the whole timeline (after :meth:`finish`)."""
        if self._loudness is None:
            raise RuntimeError("the loudness is known once the timeline is finished")
        return self._loudness

    def close(self) -> None:
        """Remove the spool file (and the timeline's ``pcm_path`` with it); stop measuring."""
        self._cleanup()

    def _check_writable(self) -> None:
        if self._file.closed:
            raise RuntimeError("the timeline is already finished or closed")

    def _prepare(self, clip: Clip) -> Clip:
        return resample(trim_silence(clip), self.sample_rate)

    def _write(self, pcm: bytes) -> None:
        self._file.write(pcm)
        self._meter.feed(np.frombuffer(pcm, dtype="<i2"))
        self._frames += len(pcm) // BYTES_PER_SAMPLE

    def _write_silence(self, milliseconds: int) -> None:
        self._write(bytes(BYTES_PER_SAMPLE * ms_to_frames(milliseconds, self.sample_rate)))

    def _write_pause(self, frames: int) -> None:
        """``frames`` of silence after an utterance, with a cut in it if the rule allows."""
        cut = self._cut_in_pause(frames)
        if cut is None or self._cuts is None:
            self._write(bytes(BYTES_PER_SAMPLE * frames))
            return
        self._write(bytes(BYTES_PER_SAMPLE * (cut - self._frames)))
        self._end_unit()
        self._write(bytes(BYTES_PER_SAMPLE * self._cuts.lead))

    def _cut_in_pause(self, frames: int) -> int | None:
        """Where the :class:`CutRule` cuts a pause of ``frames`` starting now, if it does:
        the frame boundary nearest to ``lead`` before the pause's end, if that leaves the
        rule's silence before it and makes a unit long enough."""
        rule = self._cuts
        if rule is None:
            return None
        end = self._frames + frames - rule.lead
        cut = (end + rule.grid // 2) // rule.grid * rule.grid
        room = cut - self._frames >= rule.silence
        return cut if room and cut - self._unit_start >= rule.shortest else None

    def _end_unit(self) -> None:
        if self._frames > self._unit_start:
            self._file.flush()  # the meter reads the unit back
            self._meter.unit_done(range(self._unit_start, self._frames))
        self._unit_start = self._frames

    def _timed(self, index: int, span: _Span) -> TimedUtterance:
        utterance = span.utterance
        return TimedUtterance(
            index=index,
            display=utterance.display,
            spoken=utterance.spoken,
            section=utterance.section,
            start_ms=frames_to_ms(span.start, self.sample_rate),
            end_ms=frames_to_ms(span.end, self.sample_rate),
            kind=utterance.kind,
            pause_after=utterance.pause_after,
        )


def build_chapters(
    sections: Sequence[str], utterances: Sequence[TimedUtterance], end_ms: int
) -> tuple[Chapter, ...]:
    """One chapter per section that has utterances, in section order.

    A chapter starts where its section's first utterance starts (the first chapter
    at 0) and ends where the next chapter starts (the last one at ``end_ms``).
    Sections without any utterance get no chapter.
    """
    starts: dict[int, int] = {}
    for utterance in utterances:
        if not 0 <= utterance.section < len(sections):
            raise ValueError(
                f"utterance {utterance.index} is in section {utterance.section},"
                f" but the script has {len(sections)} sections"
            )
        starts.setdefault(utterance.section, utterance.start_ms)
    ordered = sorted(starts.items())
    bounds = [0, *(start for _, start in ordered[1:]), end_ms]
    return tuple(
        Chapter(sections[section], bounds[number], bounds[number + 1])
        for number, (section, _) in enumerate(ordered)
    )


class _Meter:
    """A :class:`LoudnessMeter` fed on the writer's thread (see :mod:`narrate.audio.cores`)."""

    def __init__(self, sample_rate: int) -> None:
        self._meter = LoudnessMeter(sample_rate)

    def feed(self, samples: npt.NDArray[np.int16]) -> None:
        """Measure the next samples."""
        self._meter.feed(samples)

    def result(self) -> Loudness:
        """The measurement of everything fed."""
        return self._meter.result()

    units: tuple[Unit, ...] = ()
    """The units measured (none: this meter measures the whole)."""

    def unit_done(self, samples: range) -> None:
        """Nothing to do: the samples were fed as they came."""

    def stop(self) -> None:
        """Nothing to stop."""


class _UnitMeter(_Meter):
    """Measures the timeline unit by unit (see :mod:`narrate.audio.units`).

    Each finished unit's loudness is taken from the store, or read back from the spool
    and measured on a worker thread (on the writer's thread when there is one core to
    use), and kept; after an edit only the changed units are measured. Only the
    narration's 100 ms hops are held, not the units' pieces.
    """

    def __init__(self, spool: Path, sample_rate: int, store: PartStore | None) -> None:
        self._spool, self._rate, self._store = spool, sample_rate, store
        self._pool = (
            ThreadPoolExecutor(1, thread_name_prefix="narrate-loudness")
            if second_core_allowed()
            else None
        )
        self._sum = LoudnessSum(sample_rate)
        self._measured: list[Future[Unit]] = []
        self._stopped = threading.Event()

    def feed(self, samples: npt.NDArray[np.int16]) -> None:
        """Nothing yet: units are measured whole."""

    def unit_done(self, samples: range) -> None:
        """Name and measure the unit of ``samples`` (written and flushed to the spool)."""
        if self._pool is not None:
            self._measured.append(self._pool.submit(self._measure, samples))
            return
        done: Future[Unit] = Future()
        done.set_result(self._measure(samples))
        self._measured.append(done)

    def result(self) -> Loudness:
        """The loudness of all units, once each is measured; :attr:`units` names them."""
        self.units = tuple(future.result() for future in self._measured)
        self.stop()
        return self._sum.result()

    def stop(self) -> None:
        """Stop measuring (what is not measured yet is dropped, a unit being measured
        stops at its next block); safe to call again."""
        if self._pool is not None:
            if not all(future.done() for future in self._measured):
                self._stopped.set()
            self._pool.shutdown(wait=True, cancel_futures=True)

    def _blocks(self, samples: range) -> Iterator[bytes]:
        """The spool's bytes of ``samples``; ends early (:class:`RuntimeError`) once stopped."""
        for block in spool_blocks(self._spool, samples):
            if self._stopped.is_set():
                raise RuntimeError("stopped measuring")
            yield block

    def _measure(self, samples: range) -> Unit:
        """The unit (its digest read back from the spool), its loudness counted (from the
        store or measured now); units are measured one after another."""
        digest = hashlib.blake2b(digest_size=16)
        for block in self._blocks(samples):
            digest.update(block)
        unit = Unit(samples.start, samples.stop, digest.digest())
        key = kept_key(self._store, unit, self._rate, "loudness", per_second=PIECES_PER_SECOND)
        blocks = functools.partial(self._blocks, samples)
        pieces = self._sum.pieces(unit)
        measured = kept_loudness(self._store, key, blocks, self._rate, peaks=True, pieces=pieces)
        self._sum.add(unit, measured)
        return unit


_READ_BYTES = 1 << 18


def spool_blocks(spool: Path, samples: range | None = None) -> Iterator[bytes]:
    """The spool's bytes of ``samples`` (all when ``None``), a block at a time."""
    with spool.open("rb") as source:
        if samples is not None:
            source.seek(samples.start * BYTES_PER_SAMPLE)
        left = None if samples is None else len(samples) * BYTES_PER_SAMPLE
        while left is None or left > 0:
            wanted = _READ_BYTES if left is None else min(_READ_BYTES, left)
            if not (data := source.read(wanted)):
                return
            if left is not None:
                left -= len(data)
            yield data


class _MeterThread(_Meter):
    """A :class:`LoudnessMeter` fed on a worker thread, in the order :meth:`feed` is called.

    The meter's array work and the engines' C code release the GIL, so measuring
    runs beside synthesis on another core. The queue is bounded (at most
    ``_QUEUE_SIZE`` pieces of at most ``_PIECE`` samples, about 2 MB): a slow meter
    holds the writer back instead of piling audio up in memory.
    """

    _QUEUE_SIZE = 32
    _PIECE = 1 << 15

    def __init__(self, sample_rate: int) -> None:
        super().__init__(sample_rate)
        self._queue: queue.Queue[npt.NDArray[np.int16] | None] = queue.Queue(self._QUEUE_SIZE)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="narrate-loudness", daemon=True)
        self._thread.start()

    def feed(self, samples: npt.NDArray[np.int16]) -> None:
        """Queue the next samples (they must not change afterwards)."""
        if self._error is not None:
            self._raise()
        for start in range(0, samples.size, self._PIECE):
            self._queue.put(samples[start : start + self._PIECE])

    def result(self) -> Loudness:
        """Wait for everything queued to be measured, then return the measurement."""
        self.stop()
        if self._error is not None:
            self._raise()
        return self._meter.result()

    def stop(self) -> None:
        """End the worker once it has measured what is queued; safe to call again."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()

    def _run(self) -> None:
        while (samples := self._queue.get()) is not None:
            if self._error is None:  # after an error, only drain the queue
                try:
                    self._meter.feed(samples)
                except BaseException as error:  # raised again in the writer's thread
                    self._error = error

    def _raise(self) -> NoReturn:
        assert self._error is not None
        raise self._error


def _cleanup(file: BinaryIO, path: Path, meter: _Meter) -> None:
    meter.stop()
    file.close()
    path.unlink(missing_ok=True)
