"""What a batch shows on stderr: live progress while it runs, a summary at the end.

The live view (only on a terminal, never with ``-q``) is fed with the events of
:func:`narrate.batch.run.run_jobs`: an overall bar (articles done out of all,
skipped ones included; audio produced; ETA) and one line per worker slot with
the article it is narrating and for how long. Both views are plain rich
renderables, so tests render them to a string console.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from narrate.batch.jobs import BatchJob, JobResult, JobStatus
from narrate.batch.run import BatchEvent, JobStarted

__all__ = ["BatchDisplay", "clock_time", "failure_lines", "live_display", "summary_table"]

EventHandler = Callable[[BatchEvent], None]
_BAR_WIDTH = 30


def clock_time(seconds: float) -> str:
    """``seconds`` as ``h:mm:ss``."""
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


@dataclass
class _Running:
    job: BatchJob
    since: float


class BatchDisplay:
    """The live state of a batch as a rich renderable; call it with each event.

    ``total`` counts every article, ``skipped`` of them done before the run
    starts; ``workers`` is the number of worker slots. ``clock`` is injectable
    so tests control durations and the ETA.
    """

    def __init__(
        self,
        total: int,
        *,
        skipped: int = 0,
        workers: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.total = total
        self.skipped = skipped
        self.finished = 0
        self.failed = 0
        self.audio_ms = 0
        self._slots: list[_Running | None] = [None] * workers
        self._clock = clock
        self._start = clock()

    def __call__(self, event: BatchEvent) -> None:
        """Take in one event of :func:`~narrate.batch.run.run_jobs`."""
        if event.worker >= len(self._slots):  # a Dask cluster may have more slots
            self._slots.extend([None] * (event.worker + 1 - len(self._slots)))
        if isinstance(event, JobStarted):
            self._slots[event.worker] = _Running(event.job, self._clock())
            return
        self._slots[event.worker] = None
        self.finished += 1
        self.failed += event.result.status is JobStatus.FAILED
        self.audio_ms += event.result.duration_ms

    def __rich__(self) -> RenderableType:
        return Group(self._overall(), self._workers())

    def eta_seconds(self) -> float | None:
        """Seconds left at the pace so far; ``None`` before the first article finished."""
        if not self.finished:
            return None
        elapsed = self._clock() - self._start
        return elapsed / self.finished * (self.total - self.skipped - self.finished)

    def _overall(self) -> Table:
        done = self.skipped + self.finished
        eta = self.eta_seconds()
        facts = [f"{done}/{self.total} articles"]
        facts += [f"{self.failed} failed"] if self.failed else []
        facts += [f"{self.audio_ms / 60_000:.1f} min audio"]
        facts += [f"ETA {clock_time(eta)}" if eta is not None else "ETA –"]
        line = Table.grid(padding=(0, 1))
        bar = ProgressBar(total=max(self.total, 1), completed=done, width=_BAR_WIDTH)
        line.add_row(bar, Text(" · ".join(facts)))
        return line

    def _workers(self) -> Table:
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(justify="right", style="dim", no_wrap=True)
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_column(justify="right", no_wrap=True)
        now = self._clock()
        for index, running in enumerate(self._slots, start=1):
            if running is None:
                grid.add_row(f"worker {index}", Text("idle", style="dim"), "")
            else:
                grid.add_row(
                    f"worker {index}", Text(running.job.name), clock_time(now - running.since)
                )
        return grid


@contextlib.contextmanager
def live_display(
    total: int,
    *,
    skipped: int = 0,
    workers: int,
    console: Console | None = None,
    quiet: bool = False,
) -> Iterator[EventHandler]:
    """Show a :class:`BatchDisplay` live on ``console`` (stderr) meanwhile; yield its handler.

    Off a terminal, or when ``quiet``, nothing is shown and the handler ignores
    every event.
    """
    console = console or Console(stderr=True)
    if quiet or not console.is_terminal:
        yield _ignore
        return
    display = BatchDisplay(total, skipped=skipped, workers=workers)
    with Live(display, console=console, refresh_per_second=4):
        yield display


def _ignore(event: BatchEvent) -> None:
    """The handler when nothing is shown."""


def summary_table(results: Iterable[JobResult], skipped: int, wall_seconds: float) -> Group:
    """The end-of-batch summary, then one ``FAILED name: reason`` line per failure.

    Print it with ``soft_wrap=True`` so that each failure stays on one line.

    ``skipped`` counts the articles that were up to date and not run; results
    with the status SKIPPED are counted as skipped too.
    """
    results = list(results)
    failures = [r for r in results if r.status is JobStatus.FAILED]
    done = [r for r in results if r.status is JobStatus.DONE]
    skipped += sum(r.status is JobStatus.SKIPPED for r in results)
    table = Table(title="Batch summary", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column(justify="right")
    table.add_row("done", str(len(done)))
    table.add_row("skipped", str(skipped))
    table.add_row("failed", Text(str(len(failures)), style="red" if failures else ""))
    table.add_row("audio", clock_time(sum(r.duration_ms for r in done) // 1000))  # floored
    table.add_row("wall time", clock_time(wall_seconds))
    return Group(table, *failure_lines(failures))


def failure_lines(results: Iterable[JobResult]) -> list[Text]:
    """One ``FAILED name: reason`` line per failed result (all that ``-q`` shows of a batch).

    Print them with ``soft_wrap=True`` so that each stays one unbroken line.
    """
    failures = [r for r in results if r.status is JobStatus.FAILED]
    return [Text(f"FAILED {r.job.name}: {r.error}", style="red") for r in failures]
