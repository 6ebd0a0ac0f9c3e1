"""Run a batch's jobs in parallel: local worker processes or a Dask cluster.

:func:`run_jobs` yields each :class:`JobResult` as it completes, so the caller can
record it at once. At most ``workers`` jobs are in flight: one per worker slot,
refilled as each finishes, so every submitted job is really running and the
events tell a display what each slot is doing.

Local workers are fresh processes (``spawn``: espeak is a C library with global
state, so nothing is forked after it was loaded), each in a process group of
its own with SIGINT ignored: Ctrl-C is the parent's alone. A worker that dies
costs only the article it was narrating.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import re
import shutil
import signal
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from narrate.audio.cores import WORKER_CORES_ENV
from narrate.batch.jobs import BatchJob, JobResult, JobStatus, narrate_job
from narrate.engines.piper import VOICES_ENV
from narrate.engines.retry import PROCESSES_ENV
from narrate.errors import NetworkError, UsageError
from narrate.settings import Settings

__all__ = [
    "BatchEvent",
    "JobFinished",
    "JobStarted",
    "WorkFunction",
    "default_workers",
    "remove_leftovers",
    "run_jobs",
]

log = logging.getLogger(__name__)

WorkFunction = Callable[[BatchJob, Settings], JobResult]
"""What a worker runs per job: :func:`narrate_job` or a picklable top-level stand-in."""

DASK_HINT = "pip install 'narrate-articles[dask]'"
_SCHEMES = {"dask": "tcp", "tcp": "tcp", "tls": "tls"}
_STOP_SECONDS = 2.0
"""How long idle workers get to exit after the last job before they are killed."""


@dataclass(frozen=True)
class JobStarted:
    """Worker slot ``worker`` (0 to workers - 1) began narrating ``job``."""

    job: BatchJob
    worker: int


@dataclass(frozen=True)
class JobFinished:
    """Worker slot ``worker`` is done with ``result.job``; the slot is free again."""

    result: JobResult
    worker: int


BatchEvent = JobStarted | JobFinished
EventHandler = Callable[[BatchEvent], None]


def default_workers() -> int:
    """How many local workers a batch uses unless told: one per CPU."""
    return os.cpu_count() or 1


def run_jobs(
    jobs: Sequence[BatchJob],
    settings: Settings,
    *,
    workers: int | None = None,
    executor: str | None = None,
    on_event: EventHandler | None = None,
    work: WorkFunction = narrate_job,
    connect_timeout: float = 10.0,
) -> Generator[JobResult, None, None]:
    """Narrate ``jobs`` in parallel; yield each result as it completes.

    ``executor`` is ``None`` or ``"local"`` for local worker processes, or a Dask
    scheduler address (``dask://HOST:PORT``, ``tcp://…``, ``tls://…``); Dask
    workers must see the same paths. ``workers`` caps the jobs in flight; it
    defaults to :func:`default_workers` locally and to the cluster's threads on
    Dask. ``on_event`` receives :class:`JobStarted` and :class:`JobFinished` in
    this process. ``work`` replaces :func:`narrate_job` (tests); it must be a
    picklable top-level function.

    Bad arguments raise :class:`UsageError` here; an unreachable scheduler raises
    :class:`NetworkError` when iteration starts. On KeyboardInterrupt (or when
    the iterator is closed early) the workers are stopped at once, the leftovers
    of the unfinished articles are removed, and the interrupt propagates. Wrap
    the iterator in :func:`contextlib.closing` so that an exception in your own
    loop stops the workers at once too, not when the iterator is collected.
    """
    if workers is not None and workers < 1:
        raise UsageError(f"workers = {workers} is out of range", "use 1 or more")
    address = dask_address(executor)
    emit = on_event or _ignore
    if address is None:
        return _run_local(list(jobs), settings, workers or default_workers(), emit, work)
    distributed = _import_distributed()
    return _run_dask(
        list(jobs),
        settings,
        _DaskTarget(distributed, address, connect_timeout),
        workers,
        emit,
        work,
    )


def dask_address(executor: str | None) -> str | None:
    """The Dask scheduler address ``executor`` names, or ``None`` for local workers."""
    if executor is None or executor == "local":
        return None
    scheme, separator, rest = executor.partition("://")
    if not separator or scheme not in _SCHEMES or not rest:
        raise UsageError(
            f"unknown executor {executor!r}", "use local, dask://HOST:PORT or tcp://HOST:PORT"
        )
    return f"{_SCHEMES[scheme]}://{rest}"


def remove_leftovers(output: Path, *, work_folders: bool = True) -> list[Path]:
    """Delete what an interrupted narration of ``output`` left beside it; return it.

    That is the temporary ``.{stem}.XXXX.part{suffix}`` files of the audio and
    its sidecars and, with ``work_folders``, the ``.narrate-*`` scratch folders in
    the output's folder. Those folders are not named after their article: only
    remove them when no other narration is writing into the same folder.
    """
    if not output.parent.is_dir():
        return []
    part = re.compile(rf"\.{re.escape(output.stem)}\.[^.]+\.part(\.[^.]+)?")
    removed: list[Path] = []
    for path in output.parent.iterdir():
        is_part = part.fullmatch(path.name) is not None and not path.is_dir()
        is_work = work_folders and path.name.startswith(".narrate-") and _is_real_dir(path)
        if (is_part or is_work) and _remove(path):
            removed.append(path)
    return removed


def _is_real_dir(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def _remove(path: Path) -> bool:
    try:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    except FileNotFoundError:
        return False
    except OSError as error:
        log.warning("could not remove the leftover %s: %s", path, error)
        return False
    return True


def _ignore(event: BatchEvent) -> None:
    """The event handler when nobody listens."""


# --- local worker processes -------------------------------------------------------


@dataclass
class _Slot:
    """One local worker process and the job it is running, if any."""

    index: int
    processes: int
    """How many worker processes the batch runs at once (they share per-machine rates)."""
    cores: int
    """The cores the worker may use (see :mod:`narrate.audio.cores`)."""
    process: BaseProcess
    connection: Connection
    job: BatchJob | None = None
    child_end: Connection | None = None
    """The worker's end of the pipe, until the worker has started."""


def _run_local(
    jobs: list[BatchJob], settings: Settings, workers: int, emit: EventHandler, work: WorkFunction
) -> Generator[JobResult, None, None]:
    """Run ``jobs`` on up to ``workers`` local processes, one job per process at a time."""
    pending = deque(jobs)
    slots: list[_Slot] = []
    dirty: list[Path] = []
    finished = False
    try:
        processes = min(workers, len(jobs))
        for index in range(processes):
            slots.append(_new_worker(index, processes, max(1, workers // processes)))
            _start(slots[-1])
        while pending or _busy(slots):
            _assign(slots, pending, settings, work, emit)
            for slot in _ready(slots):
                result = _collect(slot, dirty)
                emit(JobFinished(result, slot.index))
                yield result
        finished = True
    finally:
        with _sigint_blocked():  # a second Ctrl-C waits until all is cleaned up
            _clean_up(slots, dirty, graceful=finished)


def _clean_up(slots: list[_Slot], dirty: list[Path], *, graceful: bool) -> None:
    """Stop the workers, then remove the leftovers of unfinished or crashed articles."""
    unfinished = [slot.job.output for slot in slots if slot.job is not None]
    _stop_workers(slots, graceful=graceful)
    for output in unfinished + dirty:
        remove_leftovers(output)


def _new_worker(index: int, processes: int, cores: int) -> _Slot:
    """A worker process for slot ``index`` that may use ``cores`` cores, not started yet
    (see :func:`_start`)."""
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    process = context.Process(
        target=_worker_main,
        args=(theirs, processes, cores),
        name=f"narrate-worker-{index}",
        daemon=True,
    )
    return _Slot(index, processes, cores, process, ours, child_end=theirs)


def _start(slot: _Slot) -> None:
    """Start the slot's process, SIGINT blocked until the worker ignores it.

    The slot is known to the caller before the process exists, so an interrupt
    at any moment leaves no worker untracked.
    """
    with _sigint_blocked():
        slot.process.start()
    if slot.child_end is not None:  # the worker's end now lives in the worker
        slot.child_end.close()
        slot.child_end = None


@contextlib.contextmanager
def _sigint_blocked() -> Iterator[None]:
    """Hold back SIGINT in this thread meanwhile; a Ctrl-C pressed meanwhile arrives after.

    A process started meanwhile inherits the mask, so it cannot be interrupted
    before it has set itself to ignore SIGINT.
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _worker_main(connection: Connection, processes: int, cores: int) -> None:
    """A worker's life: run each job it is sent until told to stop (``None``).

    It is one of ``processes`` workers, which share rates meant per machine (gTTS's),
    and narrates on ``cores`` cores (see :mod:`narrate.audio.cores`).
    """
    _leave_ctrl_c_to_the_parent()
    os.environ[PROCESSES_ENV] = str(processes)
    os.environ[WORKER_CORES_ENV] = str(cores)
    while True:
        try:
            message = connection.recv()
        except EOFError:  # the parent is gone
            return
        if message is None:
            return
        work, job, settings = message
        connection.send(_run_one(work, job, settings))


def _leave_ctrl_c_to_the_parent() -> None:
    """Ignore SIGINT, in a process group of our own so the parent can kill our children."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    if hasattr(os, "setpgrp"):
        os.setpgrp()


def _run_one(work: WorkFunction, job: BatchJob, settings: Settings) -> JobResult:
    """``work(job, settings)``, with any exception a stand-in ``work`` raises as a failure."""
    try:
        return work(job, settings)
    except Exception as error:
        return JobResult(job, JobStatus.FAILED, error=f"unexpected {type(error).__name__}: {error}")


def _busy(slots: list[_Slot]) -> list[_Slot]:
    return [slot for slot in slots if slot.job is not None]


def _assign(
    slots: list[_Slot],
    pending: deque[BatchJob],
    settings: Settings,
    work: WorkFunction,
    emit: EventHandler,
) -> None:
    """Give a pending job to every idle slot, restarting workers that died idle."""
    for slot in slots:
        if slot.job is not None or not pending:
            continue
        if not slot.process.is_alive():
            _replace_worker(slot)
        slot.job = pending.popleft()
        emit(JobStarted(slot.job, slot.index))
        with contextlib.suppress(OSError):  # a dead worker shows in _collect
            slot.connection.send((work, slot.job, settings))


def _ready(slots: list[_Slot]) -> list[_Slot]:
    """Wait until some busy worker answered or died; those slots."""
    busy = _busy(slots)
    waitables: list[Any] = [slot.connection for slot in busy]
    waitables += [slot.process.sentinel for slot in busy]
    ready = set(wait(waitables))
    return [s for s in busy if s.connection in ready or s.process.sentinel in ready]


def _collect(slot: _Slot, dirty: list[Path]) -> JobResult:
    """The result of the slot's job; a worker that died is replaced, its job failed."""
    job = slot.job
    assert job is not None
    slot.job = None
    try:
        if slot.connection.poll():
            result: JobResult = slot.connection.recv()
            return result
    except (EOFError, OSError):
        pass
    reason = _death(slot.process)
    _replace_worker(slot)
    remove_leftovers(job.output, work_folders=False)
    dirty.append(job.output)  # its scratch folder goes once no one writes beside it
    return JobResult(job, JobStatus.FAILED, error=f"worker died: {reason}")


def _death(process: BaseProcess) -> str:
    """Why a worker process ended, in a few words."""
    process.join(timeout=_STOP_SECONDS)
    code = process.exitcode
    if code is None:
        return "it stopped answering"
    if code < 0:
        name = signal.Signals(-code).name
        return f"killed by {name}" + (" (out of memory?)" if name == "SIGKILL" else "")
    return f"exit status {code}"


def _replace_worker(slot: _Slot) -> None:
    """Kill what is left of the slot's worker and start a fresh one in its place."""
    _kill_worker(slot.process)
    slot.process.join()
    slot.connection.close()
    fresh = _new_worker(slot.index, slot.processes, slot.cores)
    slot.process, slot.connection, slot.child_end = fresh.process, fresh.connection, fresh.child_end
    _start(slot)


def _kill_worker(process: BaseProcess) -> None:
    """SIGKILL a worker and its process group (ffmpeg it started, say)."""
    pid = process.pid
    if pid is None:  # never started
        return
    if hasattr(os, "killpg"):
        with contextlib.suppress(OSError):
            if os.getpgid(pid) == pid:  # the worker has its own group by now
                os.killpg(pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        process.kill()


def _stop_workers(slots: list[_Slot], *, graceful: bool) -> None:
    """Let idle workers exit after a finished batch; otherwise kill them all now."""
    started = [slot for slot in slots if slot.process.pid is not None]
    if graceful:
        for slot in started:
            with contextlib.suppress(OSError):
                slot.connection.send(None)
        for slot in started:
            slot.process.join(timeout=_STOP_SECONDS)
    for slot in started:
        if slot.process.exitcode is None:
            _kill_worker(slot.process)
    for slot in slots:
        if slot.process.pid is not None:
            slot.process.join()
        for end in (slot.connection, slot.child_end):
            if end is not None:
                end.close()


# --- Dask ---------------------------------------------------------------------------


def _import_distributed() -> Any:
    """The ``distributed`` module, or a UsageError saying how to install it."""
    try:
        import distributed
    except ImportError as error:
        raise UsageError("the dask executor needs: " + DASK_HINT) from error
    return distributed


@dataclass(frozen=True)
class _DaskTarget:
    """Where to send jobs: the ``distributed`` module, a scheduler, a connect timeout."""

    distributed: Any
    address: str
    connect_timeout: float

    def connect(self) -> Any:
        """A client of the scheduler, or a NetworkError in one line."""
        try:
            return self.distributed.Client(
                self.address, timeout=self.connect_timeout, set_as_default=False
            )
        except OSError as error:
            raise NetworkError(
                f"cannot reach the Dask scheduler at {self.address}: {error}",
                "is the scheduler running, and is the address right?",
            ) from error


def _run_dask(
    jobs: list[BatchJob],
    settings: Settings,
    target: _DaskTarget,
    workers: int | None,
    emit: EventHandler,
    work: WorkFunction,
) -> Generator[JobResult, None, None]:
    """Run ``jobs`` on a Dask cluster, at most one per slot (cluster thread) at a time."""
    if not jobs:
        return
    client = target.connect()
    in_flight: dict[Any, tuple[BatchJob, int]] = {}
    try:
        completed = target.distributed.as_completed(loop=client.loop)
        submit = _DaskSubmitter(client, completed, in_flight, deque(jobs), settings, work, emit)
        submit.fill(range(workers or _cluster_threads(client)))
        for future in completed:
            job, slot = in_flight.pop(future)
            result = _dask_result(future, job)
            emit(JobFinished(result, slot))
            yield result
            submit.fill([slot])
    finally:
        if in_flight:  # interrupted: running tasks finish on their own, atomically
            client.cancel(list(in_flight))
        client.close()


def _cluster_threads(client: Any) -> int:
    """How many tasks the cluster runs at once (at least one)."""
    threads: int = sum(client.nthreads().values())
    return max(1, threads)


@dataclass
class _DaskSubmitter:
    """Submits pending jobs into free slots and keeps track of them."""

    client: Any
    completed: Any
    in_flight: dict[Any, tuple[BatchJob, int]]
    pending: deque[BatchJob]
    settings: Settings
    work: WorkFunction
    emit: EventHandler

    def fill(self, slots: Iterable[int]) -> None:
        """Submit the next pending job into each of ``slots``."""
        for slot in slots:
            if not self.pending:
                return
            job = self.pending.popleft()
            voices = os.environ.get(VOICES_ENV)
            future = self.client.submit(
                _on_dask_worker, self.work, voices, job, self.settings, pure=False
            )
            self.in_flight[future] = (job, slot)
            self.completed.add(future)
            self.emit(JobStarted(job, slot))


def _on_dask_worker(
    work: WorkFunction, voices: str | None, job: BatchJob, settings: Settings
) -> JobResult:
    """``work(job, settings)`` on a Dask worker, with the Piper voices folder the batch
    was given (``--voices-dir``, the config or ``$NARRATE_VOICES``; none: the worker's
    default): the workers were started without it, and a batch names its folder for
    all of them."""
    before = os.environ.get(VOICES_ENV)
    _set_environment(VOICES_ENV, voices)
    try:
        return work(job, settings)
    finally:  # the worker lives on: the next batch may name another folder, or none
        _set_environment(VOICES_ENV, before)


def _set_environment(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


def _dask_result(future: Any, job: BatchJob) -> JobResult:
    """The task's result; a task error, lost worker or cancellation fails the article."""
    try:
        result: JobResult = future.result()
    except Exception as error:
        name = type(error).__name__
        prefix = "worker died" if name == "KilledWorker" else f"Dask task failed ({name})"
        return JobResult(job, JobStatus.FAILED, error=f"{prefix}: {error}")
    return result
