"""A whole batch: plan, skip what is current, run the rest, keep the manifest true.

:func:`narrate_batch` is what ``narrate FOLDER -o OUT`` runs. It holds the output
folder's lock, plans the articles, skips every article the manifest shows as made
from the same source with the same settings, runs the others on the workers, and
records each result in the manifest the moment it arrives. Ctrl-C stops the
workers and returns what was finished; the next run resumes from there.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from narrate.batch.jobs import BatchJob, JobResult, JobStatus
from narrate.batch.manifest import (
    Manifest,
    SettingsFingerprint,
    fingerprint,
    manifest_lock,
    source_digest,
)
from narrate.batch.plan import BatchPlan, PlanProblem, plan_batch
from narrate.batch.run import (
    BatchEvent,
    JobFinished,
    dask_address,
    remove_leftovers,
    run_jobs,
)
from narrate.engines.registry import check_engine_name
from narrate.settings import Settings

__all__ = ["BatchReport", "narrate_batch"]


@dataclass(frozen=True)
class BatchReport:
    """How a batch went: every article's result, what was skipped, how long it took."""

    out_dir: Path
    results: tuple[JobResult, ...]
    """Narrated and failed articles, in the order they finished."""
    skipped: tuple[BatchJob, ...] = ()
    """Articles already narrated from the same source with the same settings."""
    wall_seconds: float = 0.0
    interrupted: bool = False
    """Stopped by Ctrl-C; :attr:`not_started` articles were left for the next run."""
    not_started: tuple[BatchJob, ...] = field(default=())

    @property
    def done(self) -> tuple[JobResult, ...]:
        """The articles narrated in this run."""
        return tuple(result for result in self.results if result.status is JobStatus.DONE)

    @property
    def failed(self) -> tuple[JobResult, ...]:
        """The articles that failed, with their reasons."""
        return tuple(result for result in self.results if result.status is JobStatus.FAILED)

    @property
    def duration_ms(self) -> int:
        """Audio narrated in this run."""
        return sum(result.duration_ms for result in self.done)


@dataclass
class _Batch:
    """The planned batch and what each article's source digest is."""

    plan: BatchPlan
    manifest: Manifest
    settings: SettingsFingerprint
    digests: dict[str, str] = field(default_factory=dict)


def narrate_batch(
    sources: Sequence[str],
    out_dir: Path | None,
    settings: Settings,
    *,
    globs: Sequence[str] = (),
    force: bool = False,
    workers: int | None = None,
    executor: str | None = None,
    audio_suffix: str = ".mp3",
    on_event: Callable[[BatchEvent], None] | None = None,
    on_plan: Callable[[int, int], None] | None = None,
) -> BatchReport:
    """Narrate every article in ``sources`` into ``out_dir`` (beside them when ``None``).

    ``on_plan(to_do, skipped)`` is called once the work is known; ``on_event``
    receives the workers' start and finish events. Raises :class:`UsageError` or
    :class:`InputError` for bad arguments before any work starts.
    """
    start = time.perf_counter()
    dask_address(executor)  # a bad executor or engine is refused before any work starts
    check_engine_name(settings.engine)
    base = out_dir if out_dir is not None else plan_batch(sources, None, globs=globs).out_dir
    with manifest_lock(base):
        batch = _prepare(sources, base, out_dir is None, settings, globs, audio_suffix)
        unreadable, readable = _digest_sources(batch)
        todo, skipped = _partition(batch, readable, force)
        if on_plan is not None:
            on_plan(len(todo), len(skipped))
        results = [*_record_problems(batch), *_record_each(batch, unreadable)]
        try:
            interrupted, not_started = _run(
                batch, todo, settings, workers, executor, on_event, results
            )
        finally:
            batch.manifest.flush()
    return BatchReport(
        out_dir=base,
        results=tuple(results),
        skipped=tuple(skipped),
        wall_seconds=time.perf_counter() - start,
        interrupted=interrupted,
        not_started=tuple(not_started),
    )


def _prepare(
    sources: Sequence[str],
    base: Path,
    beside: bool,
    settings: Settings,
    globs: Sequence[str],
    audio_suffix: str,
) -> _Batch:
    manifest = Manifest.load(base)
    out_dir = None if beside else base
    plan = plan_batch(
        sources, out_dir, globs=globs, audio_suffix=audio_suffix, exclude=manifest.outputs()
    )
    manifest.forget_missing(plan.searched)  # sources deleted since: their entries go
    return _Batch(plan, manifest, fingerprint(settings, audio_suffix))


def _digest_sources(batch: _Batch) -> tuple[list[JobResult], list[BatchJob]]:
    """Hash every source; one that cannot be read fails now, with the reason."""
    unreadable: list[JobResult] = []
    readable: list[BatchJob] = []
    for job in batch.plan.jobs:
        try:
            batch.digests[job.name] = source_digest(job.source)
        except OSError as error:
            reason = f"cannot read {job.source}: {error.strerror or error}"
            unreadable.append(JobResult(job, JobStatus.FAILED, error=reason))
            continue
        readable.append(job)
    return unreadable, readable


def _partition(
    batch: _Batch, jobs: Sequence[BatchJob], force: bool
) -> tuple[list[BatchJob], list[BatchJob]]:
    """Articles to narrate, and articles whose outputs are current."""
    todo: list[BatchJob] = []
    skipped: list[BatchJob] = []
    for job in jobs:
        current = batch.manifest.is_current(job, batch.digests[job.name], batch.settings)
        (skipped if current and not force else todo).append(job)
    return todo, skipped


def _record_problems(batch: _Batch) -> list[JobResult]:
    results = []
    for problem in batch.plan.problems:
        batch.manifest.record_problem(problem)
        results.append(_problem_result(problem))
    return results


def _problem_result(problem: PlanProblem) -> JobResult:
    job = BatchJob(source=problem.source, name=problem.name, output=problem.source)
    return JobResult(job, JobStatus.FAILED, error=problem.reason)


def _record_each(batch: _Batch, results: Sequence[JobResult]) -> list[JobResult]:
    for result in results:
        batch.manifest.record(result, batch.digests.get(result.job.name, ""), batch.settings)
    return list(results)


def _run(
    batch: _Batch,
    todo: Sequence[BatchJob],
    settings: Settings,
    workers: int | None,
    executor: str | None,
    on_event: Callable[[BatchEvent], None] | None,
    results: list[JobResult],
) -> tuple[bool, list[BatchJob]]:
    """Run ``todo``, appending to ``results``; whether Ctrl-C stopped it, and what never ran.

    Each result is recorded when its finish event arrives, before anything else
    happens in this process, so an interrupt can never leave a finished article
    out of the manifest once the parent has heard of it.
    """
    if not todo:
        return False, []
    for job in todo:
        remove_leftovers(job.output)  # from an earlier run whose worker was killed

    def record_then_pass_on(event: BatchEvent) -> None:
        if isinstance(event, JobFinished):
            results.extend(_record_each(batch, [event.result]))
        if on_event is not None:
            on_event(event)

    running = run_jobs(
        _longest_first(todo),
        settings,
        workers=workers,
        executor=executor,
        on_event=record_then_pass_on,
    )
    try:
        with contextlib.closing(running):  # any exception here stops the workers at once
            for _ in running:
                pass  # recorded by the finish event
    except KeyboardInterrupt:
        finished = {result.job.name for result in results}
        return True, [job for job in todo if job.name not in finished]
    return False, []


def _longest_first(jobs: Sequence[BatchJob]) -> list[BatchJob]:
    """The jobs, most text first (by name among equals).

    Long articles go first so that the last ones to run are short: the batch
    does not end with one worker busy on a long article while the others idle.
    """
    return sorted(jobs, key=lambda job: (-_text_size(job.source), job.name))


_MARKUP = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", re.IGNORECASE | re.DOTALL)
_PAGE_SUFFIXES = (".html", ".htm")


def _text_size(source: Path) -> int:
    """About how much an article says: its size, without the markup for a page
    (a page's tags and scripts can outweigh its text)."""
    try:
        if source.suffix.lower() not in _PAGE_SUFFIXES:
            return source.stat().st_size
        return len(_MARKUP.sub("", source.read_text(encoding="utf-8", errors="replace")))
    except OSError:
        return 0
