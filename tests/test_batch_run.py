"""Running a batch: local worker processes and Dask, with real espeak audio.

Worker processes cannot be monkeypatched: tests that need a job to die, wait or
hang pass a stand-in work function from :mod:`tests.batch_work`.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import pytest

from narrate.batch.jobs import BatchJob, JobResult, JobStatus, guarded
from narrate.batch.run import (
    BatchEvent,
    JobFinished,
    JobStarted,
    _on_dask_worker,
    dask_address,
    remove_leftovers,
    run_jobs,
)
from narrate.engines.piper import VOICES_ENV
from narrate.errors import NarrateError, NetworkError, UsageError
from narrate.pipeline import Narration
from narrate.settings import Settings
from tests import batch_work
from tests.audio_tools import duration_ms

ROOT = Path(__file__).parent.parent
ESPEAK = Settings(engine="espeak", lang="de")
TEXTS = {
    "wetter.txt": "Das Wetter\n\nMorgen wird es in Köln sonnig und warm.\n",
    "sport.txt": "Sport\n\nDer Verein hat am Samstag zwei zu eins gewonnen.\n",
    "kultur.txt": "Kultur\n\nDas Museum zeigt ab Mai eine neue Ausstellung.\n",
    "politik.txt": "Politik\n\nDer Rat berät heute über den Haushalt der Stadt.\n",
}


def _jobs(folder: Path, texts: dict[str, str | bytes]) -> list[BatchJob]:
    """Write the articles into ``folder``; one job each, audio into ``folder/out``."""
    jobs = []
    for name, text in texts.items():
        source = folder / name
        if isinstance(text, bytes):
            source.write_bytes(text)
        else:
            source.write_text(text, encoding="utf-8")
        jobs.append(BatchJob(source, name, folder / "out" / Path(name).with_suffix(".mp3")))
    return jobs


def _run(
    jobs: list[BatchJob], settings: Settings = ESPEAK, **options: object
) -> tuple[list[JobResult], list[BatchEvent]]:
    events: list[BatchEvent] = []
    results = list(run_jobs(jobs, settings, on_event=events.append, **options))  # type: ignore[arg-type]
    return results, events


def _by_name(results: list[JobResult]) -> dict[str, JobResult]:
    return {result.job.name: result for result in results}


def _wait_until(condition: Callable[[], bool], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)


def _assert_events_consistent(
    jobs: list[BatchJob], results: list[JobResult], events: list[BatchEvent], workers: int
) -> None:
    """One start and one finish per job, a slot busy with one job at a time, <= workers."""
    started = [e.job for e in events if isinstance(e, JobStarted)]
    finished = [e.result for e in events if isinstance(e, JobFinished)]
    assert sorted(j.name for j in started) == sorted(j.name for j in jobs)
    assert finished == results  # yielded in the order they finished
    running: dict[int, BatchJob] = {}
    for event in events:
        if isinstance(event, JobStarted):
            assert event.worker not in running and 0 <= event.worker < workers
            running[event.worker] = event.job
        else:
            assert running.pop(event.worker) == event.result.job
    assert not running


@pytest.fixture(scope="module")
def batch(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[list[BatchJob], list[JobResult], list[BatchEvent]]:
    """Four German articles and two broken files, on two workers."""
    folder = tmp_path_factory.mktemp("batch")
    broken: dict[str, str | bytes] = {"leer.txt": "", "bild.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00"}
    jobs = _jobs(folder, {**TEXTS, **broken})
    cache = tmp_path_factory.mktemp("cache")
    results, events = _run(jobs, Settings(engine="espeak", lang="de", cache_dir=cache), workers=2)
    return jobs, results, events


def test_every_article_is_narrated_into_audio_that_decodes(
    batch: tuple[list[BatchJob], list[JobResult], list[BatchEvent]],
) -> None:
    _, results, _ = batch
    for name in TEXTS:
        result = _by_name(results)[name]
        assert result.status is JobStatus.DONE, result.error
        assert result.outputs[0] == result.job.output
        assert abs(duration_ms(result.job.output) - result.duration_ms) < 80
        assert result.duration_ms > 1000


def test_broken_articles_fail_with_a_reason_and_cost_nothing_else(
    batch: tuple[list[BatchJob], list[JobResult], list[BatchEvent]],
) -> None:
    jobs, results, _ = batch
    assert len(results) == len(jobs)
    by_name = _by_name(results)
    assert by_name["leer.txt"].status is JobStatus.FAILED
    assert "empty" in by_name["leer.txt"].error
    assert by_name["bild.txt"].status is JobStatus.FAILED
    assert "binary" in by_name["bild.txt"].error
    assert sorted(p.name for p in (jobs[0].output.parent).iterdir()) == sorted(
        Path(name).with_suffix(".mp3").name for name in TEXTS
    )


def test_each_job_starts_and_finishes_once_and_workers_bound_what_is_in_flight(
    batch: tuple[list[BatchJob], list[JobResult], list[BatchEvent]],
) -> None:
    jobs, results, events = batch
    _assert_events_consistent(jobs, results, events, workers=2)
    assert {e.worker for e in events} == {0, 1}


def test_results_come_in_the_order_they_finish(tmp_path: Path) -> None:
    jobs = _jobs(tmp_path, {"waits.txt": "a", "quick.txt": "b"})
    events: list[BatchEvent] = []

    def note(event: BatchEvent) -> None:
        events.append(event)
        if isinstance(event, JobFinished) and event.result.job.name == "quick.txt":
            event.result.job.output.parent.mkdir(parents=True, exist_ok=True)
            event.result.job.output.with_name("quick.seen").write_text("seen", encoding="utf-8")

    results = list(run_jobs(jobs, ESPEAK, workers=2, on_event=note, work=batch_work.in_turn))
    assert [r.job.name for r in results] == ["quick.txt", "waits.txt"]
    assert all(r.status is JobStatus.DONE for r in results), results
    _assert_events_consistent(jobs, results, events, workers=2)


def test_one_worker_runs_the_jobs_one_after_another(tmp_path: Path) -> None:
    jobs = _jobs(tmp_path, dict(list(TEXTS.items())[:2]))
    results, events = _run(jobs, workers=1)
    assert [type(e) for e in events] == [JobStarted, JobFinished] * 2
    assert [r.job for r in results] == jobs
    assert all(r.status is JobStatus.DONE for r in results)


def test_a_worker_that_dies_fails_its_article_only(tmp_path: Path) -> None:
    texts: dict[str, str | bytes] = {"dies.txt": "Das wird nie fertig.", **TEXTS}
    jobs = _jobs(tmp_path, texts)
    results, events = _run(jobs, workers=2, work=batch_work.dies_midway)
    by_name = _by_name(results)
    assert by_name["dies.txt"].status is JobStatus.FAILED
    assert by_name["dies.txt"].error.startswith("worker died: killed by SIGKILL")
    assert all(by_name[name].status is JobStatus.DONE for name in TEXTS)
    assert all(duration_ms(by_name[name].job.output) > 1000 for name in TEXTS)
    _assert_events_consistent(jobs, results, events, workers=2)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        Path(name).with_suffix(".mp3").name for name in TEXTS
    )


@pytest.mark.parametrize(("workers", "rate"), [(1, "16"), (2, "8"), (4, "4")])
def test_the_workers_share_the_machines_gtts_rate(tmp_path: Path, workers: int, rate: str) -> None:
    jobs = _jobs(tmp_path, dict(TEXTS))
    results, _ = _run(jobs, workers=workers, work=batch_work.reports_gtts_rate)
    assert {result.warnings for result in results} == {(f"gtts {rate}/s",)}


@pytest.mark.parametrize(("workers", "share"), [(1, 1), (4, 1), (8, 2)])
def test_a_worker_narrates_on_its_share_of_the_jobs_cores(
    tmp_path: Path, workers: int, share: int
) -> None:
    jobs = _jobs(tmp_path, dict(TEXTS))  # 4 articles: 8 allowed workers leave 2 cores each
    assert len(jobs) == 4
    results, _ = _run(jobs, workers=workers, work=batch_work.reports_cores)
    usable = min(share, len(os.sched_getaffinity(0)))
    assert {result.error for result in results} == {f"cores {usable} of {share}"}


def test_a_work_function_that_raises_fails_its_article(tmp_path: Path) -> None:
    results, _ = _run(_jobs(tmp_path, {"a.txt": "x"}), workers=1, work=batch_work.raises)
    assert [(r.status, r.error) for r in results] == [
        (JobStatus.FAILED, "unexpected RuntimeError: bug while narrating a.txt")
    ]


def test_no_jobs_yield_nothing() -> None:
    assert list(run_jobs([], ESPEAK, workers=2)) == []


@pytest.mark.parametrize("workers", [0, -1])
def test_workers_must_be_positive(workers: int) -> None:
    with pytest.raises(UsageError, match="workers"):
        run_jobs([], ESPEAK, workers=workers)


# --- Ctrl-C ----------------------------------------------------------------------------

INTERRUPTED_BATCH = """
import sys
from pathlib import Path
from narrate.batch.jobs import BatchJob
from narrate.batch.run import run_jobs
from narrate.settings import Settings
from tests.batch_work import hang

folder = Path(sys.argv[1])
jobs = [BatchJob(folder / f"a{i}.txt", f"a{i}.txt", folder / f"a{i}.mp3") for i in range(5)]
try:
    for result in run_jobs(jobs, Settings(), workers=2, work=hang):
        print("result", result, flush=True)
except KeyboardInterrupt:
    print("interrupted", flush=True)
    sys.exit(130)
"""


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_ctrl_c_stops_workers_and_their_children_at_once_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    markers = tmp_path / "markers"
    markers.mkdir()
    monkeypatch.setenv(batch_work.MARKERS, str(markers))
    batch = subprocess.Popen(
        [sys.executable, "-c", INTERRUPTED_BATCH, str(tmp_path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a shell gives a command
    )
    _wait_until(lambda: len(list(markers.iterdir())) == 2)
    pids = [json.loads(marker.read_text()) for marker in markers.iterdir()]
    os.killpg(batch.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    start = time.monotonic()
    stdout, stderr = batch.communicate(timeout=10)
    assert time.monotonic() - start < 1.0
    assert batch.returncode == 130, stderr
    assert stdout == "interrupted\n" and stderr == ""
    assert all(_gone(p["worker"]) and _gone(p["child"]) for p in pids)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["markers"]


def _worker_processes() -> list[psutil.Process]:
    """This process's multiprocessing workers (not its resource tracker)."""
    children = psutil.Process().children()
    return [child for child in children if "spawn_main" in " ".join(child.cmdline())]


def test_closing_the_results_early_stops_the_workers(tmp_path: Path) -> None:
    jobs = _jobs(tmp_path, {"quick.txt": "a", "waits.txt": "b"})
    results = run_jobs(jobs, ESPEAK, workers=1, work=batch_work.in_turn)
    first = next(results)
    assert first.job.name == "quick.txt" and first.status is JobStatus.DONE
    workers = _worker_processes()
    assert len(workers) == 1
    results.close()  # type: ignore[attr-defined]
    assert all(_gone(worker.pid) for worker in workers)


# --- leftovers -------------------------------------------------------------------------


def test_remove_leftovers_takes_only_the_articles_temporary_files(tmp_path: Path) -> None:
    names = [".a.x1y2z3ab.part.mp3", ".a.q9w8e7r6.part.vtt", ".narrate-k2j3h4g5/"]
    kept = ["a.mp3", ".a.b.x1y2z3ab.part.mp3", ".b.x1y2z3ab.part.mp3", "a.x.part.mp3", ".narrate"]
    for name in names + kept:
        if name.endswith("/"):
            (tmp_path / name).mkdir()
            (tmp_path / name / "spool.pcm").write_bytes(b"pcm")
        else:
            (tmp_path / name).write_bytes(b"data")
    removed = remove_leftovers(tmp_path / "a.mp3")
    assert sorted(p.name for p in removed) == sorted(n.rstrip("/") for n in names)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(kept)


def test_remove_leftovers_can_spare_the_scratch_folders(tmp_path: Path) -> None:
    (tmp_path / ".narrate-k2j3h4g5").mkdir()
    (tmp_path / ".a.x1y2z3ab.part.mp3").write_bytes(b"data")
    assert [p.name for p in remove_leftovers(tmp_path / "a.mp3", work_folders=False)] == [
        ".a.x1y2z3ab.part.mp3"
    ]
    assert [p.name for p in tmp_path.iterdir()] == [".narrate-k2j3h4g5"]


# --- executors and Dask --------------------------------------------------------------


@pytest.mark.parametrize(
    ("executor", "address"),
    [
        (None, None),
        ("local", None),
        ("dask://sched:8786", "tcp://sched:8786"),
        ("tcp://10.0.0.5:8786", "tcp://10.0.0.5:8786"),
        ("tls://sched:8786", "tls://sched:8786"),
    ],
)
def test_executor_names_local_workers_or_a_scheduler(executor: str | None, address: str) -> None:
    assert dask_address(executor) == address


@pytest.mark.parametrize("executor", ["ray://head:10001", "sched:8786", "dask://", "threads"])
def test_an_unknown_executor_is_a_usage_error(executor: str) -> None:
    with pytest.raises(UsageError, match="unknown executor"):
        run_jobs([], ESPEAK, executor=executor)


def test_the_dask_executor_without_distributed_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(UsageError, match=r"pip install 'narrate-articles\[dask\]'"):
        run_jobs([], ESPEAK, executor="dask://localhost:8786")


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_an_unreachable_scheduler_is_a_network_error_quickly(tmp_path: Path) -> None:
    jobs = _jobs(tmp_path, {"wetter.txt": TEXTS["wetter.txt"]})
    start = time.monotonic()
    address = f"dask://127.0.0.1:{_closed_port()}"
    with pytest.raises(NetworkError, match="cannot reach the Dask scheduler") as error:
        list(run_jobs(jobs, ESPEAK, executor=address, connect_timeout=0.5))
    assert time.monotonic() - start < 5
    assert "\n" not in str(error.value)


@pytest.fixture(scope="module")
def dask_scheduler() -> Iterator[str]:
    """A local two-process Dask cluster; its address as a user would type it."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        yield cluster.scheduler_address.replace("tcp://", "dask://")


def test_the_dask_executor_narrates_on_the_cluster(dask_scheduler: str, tmp_path: Path) -> None:
    texts: dict[str, str | bytes] = {**dict(list(TEXTS.items())[:3]), "leer.txt": ""}
    jobs = _jobs(tmp_path, texts)
    settings = Settings(engine="espeak", lang="de", cache_dir=tmp_path / "cache")
    results, events = _run(jobs, settings, executor=dask_scheduler)
    by_name = _by_name(results)
    assert by_name["leer.txt"].status is JobStatus.FAILED and "empty" in by_name["leer.txt"].error
    for name in list(TEXTS)[:3]:
        assert by_name[name].status is JobStatus.DONE, by_name[name].error
        assert duration_ms(by_name[name].job.output) > 1000
    _assert_events_consistent(jobs, results, events, workers=2)


def test_dask_workers_read_the_voices_folder_the_batch_names(
    dask_scheduler: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    voices = tmp_path / "stimmen"  # what --voices-dir sets, after the workers started
    monkeypatch.setenv(VOICES_ENV, str(voices))
    jobs = _jobs(tmp_path, {"a.txt": "x", "b.txt": "y"})
    results, _ = _run(jobs, executor=dask_scheduler, work=batch_work.reports_voices)
    assert {result.warnings for result in results} == {(str(voices),)}


def test_a_dask_task_leaves_the_workers_voices_folder_as_it_found_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(VOICES_ENV, raising=False)
    job = _jobs(tmp_path, {"a.txt": "x"})[0]
    named = _on_dask_worker(batch_work.reports_voices, "/batch-a/stimmen", job, ESPEAK)
    unnamed = _on_dask_worker(batch_work.reports_voices, None, job, ESPEAK)
    assert (named.warnings, unnamed.warnings) == (("/batch-a/stimmen",), ("",))
    assert VOICES_ENV not in os.environ


def test_a_failing_dask_task_fails_its_article(dask_scheduler: str, tmp_path: Path) -> None:
    jobs = _jobs(tmp_path, {"a.txt": "x"})
    results, _ = _run(jobs, executor=dask_scheduler, work=batch_work.raises)
    assert [(r.status, r.error) for r in results] == [
        (JobStatus.FAILED, "Dask task failed (RuntimeError): bug while narrating a.txt")
    ]


def test_jobs_side_by_side_in_one_process_keep_their_own_warnings(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    narrate_logger = logging.getLogger("narrate")  # as a library user leaves it
    monkeypatch.setattr(narrate_logger, "propagate", True)
    monkeypatch.setattr(narrate_logger, "level", narrate_logger.level)  # restored after
    narrate_logger.setLevel(logging.NOTSET)  # (setLevel also clears the loggers' caches)
    logger = logging.getLogger("narrate.test")
    both_started = threading.Barrier(2)

    def work(name: str) -> JobResult:
        def warn() -> tuple[Narration, tuple[Path, ...]]:
            both_started.wait(5)
            for number in range(3):  # both jobs are running: the old code crossed them
                logger.warning("%s %d", name, number)
            raise NarrateError(f"{name} done")

        return guarded(BatchJob(tmp_path / name, name, tmp_path / f"{name}.mp3"), work=warn)

    with ThreadPoolExecutor(2) as pool:  # as a Dask worker with two threads runs them
        results = list(pool.map(work, ["a.txt", "b.txt"]))
    for result in results:
        assert result.warnings == tuple(f"{result.job.name} {n}" for n in range(3))
    assert (narrate_logger.propagate, narrate_logger.level) == (True, logging.NOTSET)
    with caplog.at_level(logging.WARNING):
        logger.warning("after the batch")
    assert "after the batch" in caplog.text  # the logger works as before
