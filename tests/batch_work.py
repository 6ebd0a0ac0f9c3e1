"""Stand-ins for :func:`narrate_job` that batch tests run in worker processes.

Worker processes cannot be monkeypatched, so these are picklable top-level
functions passed as ``run_jobs(work=...)``. Each decides what to do from the
article's file name, so a test steers one job without touching the others.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from narrate.batch.jobs import BatchJob, JobResult, JobStatus, guarded, narrate_job
from narrate.pipeline import Narration
from narrate.settings import Settings

DIES = "dies"
"""An article whose name contains this kills its worker midway."""
WAITS = "waits"
"""An article whose name contains this finishes only after the others (see :func:`in_turn`)."""
MARKERS = "NARRATE_TEST_MARKERS"
"""Folder where :func:`hang` tells the test it started (pids inside)."""
PART_NAME = ".{stem}.k1ll3d00.part.mp3"


def leave_leftovers(job: BatchJob) -> None:
    """What a narration killed midway leaves: a .part file and a scratch folder."""
    job.output.parent.mkdir(parents=True, exist_ok=True)
    (job.output.parent / PART_NAME.format(stem=job.output.stem)).write_bytes(b"\xff\xfb half")
    scratch = job.output.parent / f".narrate-{job.output.stem}-k1ll3d"
    scratch.mkdir(exist_ok=True)
    (scratch / "spool.pcm").write_bytes(bytes(1000))


def dies_midway(job: BatchJob, settings: Settings) -> JobResult:
    """Narrate, except that a ``dies`` article SIGKILLs its worker after leaving leftovers."""
    if DIES in job.source.name:
        leave_leftovers(job)
        os.kill(os.getpid(), signal.SIGKILL)
    return narrate_job(job, settings)


def reports_gtts_rate(job: BatchJob, settings: Settings) -> JobResult:
    """Narrates nothing; says how many requests per second gTTS may send from this worker."""
    from narrate.engines.gtts import shared_limiter

    rate = 1 / shared_limiter().interval
    return JobResult(job, JobStatus.DONE, warnings=(f"gtts {rate:g}/s",))


def reports_cores(job: BatchJob, settings: Settings) -> JobResult:
    """Narrates nothing; fails (through the real :func:`guarded`) saying how many cores
    a narration in this worker may use."""
    from narrate.audio.cores import cores_allowed, worker_cores
    from narrate.errors import NarrateError

    def work() -> tuple[Narration, tuple[Path, ...]]:
        raise NarrateError(f"cores {cores_allowed()} of {worker_cores()}")

    return guarded(job, work)


def reports_voices(job: BatchJob, settings: Settings) -> JobResult:
    """Narrates nothing; says which Piper voices folder this worker would read."""
    from narrate.engines.piper import VOICES_ENV

    return JobResult(job, JobStatus.DONE, warnings=(os.environ.get(VOICES_ENV, ""),))


def raises(job: BatchJob, settings: Settings) -> JobResult:
    """A stand-in with a bug: it raises instead of returning a failed result."""
    raise RuntimeError(f"bug while narrating {job.name}")


def in_turn(job: BatchJob, settings: Settings) -> JobResult:
    """A ``waits`` article finishes only once the parent has the other one's result.

    The test writes ``quick.seen`` when the quick article's finish event arrives, so
    the two results can never reach the parent at the same moment.
    """
    signal_file = job.output.with_name("quick.seen")
    if WAITS not in job.source.name:
        return JobResult(job, JobStatus.DONE)
    if not _poll(signal_file.exists, seconds=20):
        return JobResult(job, JobStatus.FAILED, error="the other job never finished")
    return JobResult(job, JobStatus.DONE)


def hang(job: BatchJob, settings: Settings) -> JobResult:
    """Leave leftovers, start a child (like ffmpeg), report the pids, then never finish."""
    leave_leftovers(job)
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    marker = Path(os.environ[MARKERS]) / f"{job.name}.json"
    marker.write_text(json.dumps({"worker": os.getpid(), "child": child.pid}), encoding="utf-8")
    time.sleep(60)
    return JobResult(job, JobStatus.FAILED, error="hang was not interrupted")


def _poll(condition: Callable[[], bool], seconds: float) -> bool:
    """Wait until ``condition()`` holds (True) or ``seconds`` passed (False)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True
