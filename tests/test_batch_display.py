"""The batch's live view and summary, rendered to a string console."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console, RenderableType

from narrate.batch.display import (
    BatchDisplay,
    clock_time,
    failure_lines,
    live_display,
    summary_table,
)
from narrate.batch.jobs import BatchJob, JobResult, JobStatus
from narrate.batch.run import JobFinished, JobStarted


def _job(name: str) -> BatchJob:
    return BatchJob(Path("articles") / name, name, Path("audio") / Path(name).with_suffix(".mp3"))


def _done(name: str, duration_ms: int) -> JobResult:
    return JobResult(_job(name), JobStatus.DONE, duration_ms=duration_ms)


def _failed(name: str, error: str) -> JobResult:
    return JobResult(_job(name), JobStatus.FAILED, error=error)


def _render(renderable: RenderableType) -> str:
    console = Console(file=io.StringIO(), width=100, color_system=None)
    console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined, no-any-return]


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_clock_time_reads_hours_minutes_seconds() -> None:
    assert [clock_time(s) for s in (0, 59.6, 61, 3600 + 125)] == [
        "0:00:00",
        "0:01:00",
        "0:01:01",
        "1:02:05",
    ]


def test_the_live_view_shows_what_each_worker_narrates_and_for_how_long() -> None:
    clock = FakeClock()
    display = BatchDisplay(10, skipped=2, workers=3, clock=clock)
    display(JobStarted(_job("politik/wahl.txt"), 0))
    clock.now += 5
    display(JobStarted(_job("sport.txt"), 1))
    clock.now += 7
    lines = _render(display).splitlines()
    assert "2/10 articles" in lines[0] and "0.0 min audio" in lines[0] and "ETA –" in lines[0]
    assert lines[1].split() == ["worker", "1", "politik/wahl.txt", "0:00:12"]
    assert lines[2].split() == ["worker", "2", "sport.txt", "0:00:07"]
    assert lines[3].split() == ["worker", "3", "idle"]


def test_the_live_view_counts_finished_articles_audio_and_the_eta() -> None:
    clock = FakeClock()
    display = BatchDisplay(10, skipped=2, workers=2, clock=clock)
    for index, result in enumerate([_done("a.txt", 90_000), _failed("b.txt", "empty")]):
        display(JobStarted(result.job, index))
    clock.now += 20
    display(JobFinished(_done("a.txt", 90_000), 0))
    display(JobFinished(_failed("b.txt", "empty"), 1))
    first, *workers = _render(display).splitlines()
    # two articles in 20 s, six to go: 60 s more
    assert "4/10 articles · 1 failed · 1.5 min audio · ETA 0:01:00" in first
    assert [line.split()[2] for line in workers] == ["idle", "idle"]


def test_a_long_article_name_is_cut_to_the_line() -> None:
    display = BatchDisplay(1, workers=1, clock=FakeClock())
    display(JobStarted(_job("x" * 300 + ".txt"), 0))
    assert all(len(line) <= 100 for line in _render(display).splitlines())


def test_no_live_view_off_a_terminal_or_when_quiet() -> None:
    for console, quiet in [(Console(file=io.StringIO()), False), (_terminal(), True)]:
        with live_display(3, workers=2, console=console, quiet=quiet) as handler:
            handler(JobStarted(_job("a.txt"), 0))
        assert console.file.getvalue() == ""  # type: ignore[attr-defined]


def test_the_live_view_runs_on_a_terminal() -> None:
    console = _terminal()
    with live_display(3, skipped=1, workers=2, console=console) as handler:
        handler(JobStarted(_job("wetter.txt"), 1))
    output = console.file.getvalue()  # type: ignore[attr-defined]
    assert "1/3 articles" in output and "wetter.txt" in output


def _terminal() -> Console:
    return Console(file=io.StringIO(), width=100, force_terminal=True, color_system=None)


def test_the_summary_counts_and_lists_every_failure() -> None:
    results = [
        _done("a.txt", 61_000),
        _done("b.txt", 3_600_000),
        _failed("c.txt", "c.txt is empty: nothing to narrate"),
        _failed("d/e.txt", "worker died: killed by SIGKILL (out of memory?)"),
        JobResult(_job("f.txt"), JobStatus.SKIPPED),
    ]
    text = _render(summary_table(results, skipped=3, wall_seconds=75.4))
    cells = [[cell.strip() for cell in line.split("│")[1:-1]] for line in text.splitlines()]
    rows = dict(cell for cell in cells if len(cell) == 2)
    assert rows == {
        "done": "2",
        "skipped": "4",
        "failed": "2",
        "audio": "1:01:01",
        "wall time": "0:01:15",
    }
    assert text.splitlines()[-2:] == [
        "FAILED c.txt: c.txt is empty: nothing to narrate",
        "FAILED d/e.txt: worker died: killed by SIGKILL (out of memory?)",
    ]


def test_a_clean_batch_lists_no_failures() -> None:
    text = _render(summary_table([_done("a.txt", 1000)], skipped=0, wall_seconds=2))
    assert "FAILED" not in text


def test_failure_lines_are_only_the_failures_each_unbroken() -> None:
    reason = "worker died: " + "sehr lang " * 20
    results = [_done("a.txt", 1000), _failed("b.txt", reason), _failed("c.txt", "empty")]
    console = Console(file=io.StringIO(), width=40, color_system=None)
    for line in failure_lines(results):
        console.print(line, soft_wrap=True)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert text.splitlines() == [f"FAILED b.txt: {reason}", "FAILED c.txt: empty"]
