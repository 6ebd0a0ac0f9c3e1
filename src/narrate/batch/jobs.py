"""One article of a batch: what to narrate where, and what came of it.

:func:`narrate_job` is the unit of work a worker runs, in a local process or on a
Dask worker. It takes and returns plain picklable values and never raises for a
bad article: the failure is part of the result, so one bad file never stops a
batch.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from narrate.audio.cores import core_budget, worker_cores
from narrate.errors import NarrateError
from narrate.settings import Settings

if TYPE_CHECKING:
    from narrate.pipeline import Narration

__all__ = ["BatchJob", "JobResult", "JobStatus", "guarded", "narrate_job"]


class JobStatus(str, Enum):
    """How one article of a batch ended."""

    DONE = "done"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass(frozen=True)
class BatchJob:
    """One article to narrate.

    ``name`` is the article's path relative to the folder it was found in (how it
    is shown and keyed in the manifest); ``output`` is the audio file inside the
    output folder.
    """

    source: Path
    name: str
    output: Path


@dataclass(frozen=True)
class JobResult:
    """What came of one :class:`BatchJob`."""

    job: BatchJob
    status: JobStatus
    outputs: tuple[Path, ...] = ()
    """Every file written: the audio first, then its sidecars."""
    duration_ms: int = 0
    """Length of the narration."""
    sentences: int = 0
    cached_sentences: int = 0
    error: str = ""
    """One line saying why the article failed (empty unless it did)."""
    seconds: float = 0.0
    """Wall time the worker spent on it."""
    warnings: tuple[str, ...] = ()
    """What narrate warned about while narrating it (e.g. an assumed language)."""


def narrate_job(job: BatchJob, settings: Settings) -> JobResult:
    """Narrate ``job`` with ``settings``; a failure is returned, not raised.

    KeyboardInterrupt and SystemExit still propagate: stopping is the caller's
    decision, never an article's result.
    """

    def narrate_it() -> tuple[Narration, tuple[Path, ...]]:
        from narrate.pipeline import keep_others_audio, narrate

        keep_others_audio(job.output, "move it away, or narrate into another folder with -o")
        job.output.parent.mkdir(parents=True, exist_ok=True)
        narration = narrate(job.source, job.output, settings=settings)
        return narration, (job.output, *narration.timing_files)

    return guarded(job, narrate_it)


def guarded(job: BatchJob, work: Callable[[], tuple[Narration, tuple[Path, ...]]]) -> JobResult:
    """Run ``work`` (a narration and the files it wrote) for ``job``; failures become results.

    Any error is one line in the result: narrate's own errors as they are, system
    errors with the file they concern, and anything else (a bug) by its type, so one
    article never costs the batch. Warnings are collected into the result instead of
    being printed by the worker, so the caller can show them with the article's name.
    ``work`` uses the worker's share of the cores (:func:`narrate.audio.cores.worker_cores`):
    one, unless the batch has fewer articles than ``--jobs`` allows workers.
    """
    start = time.perf_counter()
    with _warnings_collected() as warnings, core_budget(worker_cores()):
        try:
            narration, outputs = work()
        except NarrateError as error:
            return _failed(job, str(error), start, warnings)
        except OSError as error:
            reason = f"{error.strerror or error}: {error.filename or job.source}"
            return _failed(job, reason, start, warnings)
        except Exception as error:  # a bug must cost one article, not the batch
            return _failed(job, f"unexpected {type(error).__name__}: {error}", start, warnings)
    return JobResult(
        job=job,
        status=JobStatus.DONE,
        outputs=outputs,
        duration_ms=narration.duration_ms,
        sentences=len(narration.sentences),
        cached_sentences=narration.cached_sentences,
        seconds=time.perf_counter() - start,
        warnings=tuple(warnings),
    )


_JOB_WARNINGS: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "narrate_job_warnings", default=None
)
"""The warnings of the job running in this context (threads a job starts copy it)."""


@contextlib.contextmanager
def _warnings_collected() -> Iterator[list[str]]:
    """narrate's warnings meanwhile, as messages, instead of on stderr.

    Jobs may run side by side on threads of one process (a Dask worker with several
    threads): each gets the warnings logged in its own context, and what is logged
    outside any job goes on to the root logger's handlers as usual.
    """
    collected: list[str] = []
    token = _JOB_WARNINGS.set(collected)
    _ROUTER.start()
    try:
        yield collected
    finally:
        _ROUTER.stop()
        _JOB_WARNINGS.reset(token)


class _Router(logging.Handler):
    """While jobs run, the ``narrate`` logger's records go to their jobs, not on.

    The first job to start takes the logger out of propagation (and lets warnings
    through, whatever its level); the last one to end puts it back as it was.
    """

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self._jobs = 0
        self._saved = (True, logging.NOTSET)
        self._counting = threading.Lock()

    def start(self) -> None:
        logger = logging.getLogger("narrate")
        with self._counting:
            if self._jobs == 0:
                self._saved = logger.propagate, logger.level
                logger.addHandler(self)
                logger.propagate = False
                if logger.getEffectiveLevel() > logging.WARNING:
                    logger.setLevel(logging.WARNING)
            self._jobs += 1

    def stop(self) -> None:
        logger = logging.getLogger("narrate")
        with self._counting:
            self._jobs -= 1
            if self._jobs == 0:
                logger.removeHandler(self)
                logger.propagate, logger.level = self._saved

    def emit(self, record: logging.LogRecord) -> None:
        collected = _JOB_WARNINGS.get()
        if collected is None:  # not a job's: on as the logger would have sent it
            propagate, level = self._saved
            if propagate and record.levelno >= level:
                logging.getLogger().handle(record)
        elif record.levelno >= logging.WARNING:
            collected.append(record.getMessage())


_ROUTER = _Router()


def _failed(job: BatchJob, reason: str, start: float, warnings: list[str]) -> JobResult:
    seconds = time.perf_counter() - start
    return JobResult(job, JobStatus.FAILED, error=reason, seconds=seconds, warnings=tuple(warnings))
