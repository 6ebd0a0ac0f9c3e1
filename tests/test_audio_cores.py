"""A batch worker keeps to one core: the same audio, made without helper threads."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from narrate.audio.cores import one_core, second_core_allowed
from narrate.audio.encode import encode, measure_finished
from narrate.audio.loudness import Loudness
from narrate.audio.timeline import Timeline, TimelineBuilder
from narrate.batch.jobs import BatchJob, JobStatus, narrate_job
from narrate.engines.base import Clip
from narrate.pipeline import narrate
from narrate.settings import Pauses, Settings
from narrate.speech.script import PauseKind, Script, Utterance
from tests.audio_tools import duration_ms

RATE = 22050
HELPERS = {"narrate-loudness", "narrate-finish"}
SCRIPT = Script(
    title="Laut",
    language="de",
    sections=("Laut",),
    utterances=(
        Utterance(("Laut",), "Laut", 0, PauseKind.TITLE),
        Utterance(("Leise.",), "Leise.", 0, PauseKind.END),
    ),
)


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the threads started from now on."""
    names: list[str] = []
    original: Callable[[threading.Thread], None] = threading.Thread.start

    def recording_start(thread: threading.Thread) -> None:
        names.append(thread.name)
        original(thread)

    monkeypatch.setattr(threading.Thread, "start", recording_start)
    return names


def peaky(seconds: float, seed: int) -> Clip:
    """Noise with loud clicks: normalizing it to -16 LUFS needs the limiter."""
    noise = np.random.default_rng(seed).normal(0, 0.02, int(RATE * seconds))
    noise[:: RATE // 7] = 0.9
    return Clip(np.round(noise * 32767).astype("<i2").tobytes(), RATE)


@contextlib.contextmanager
def built(folder: Path) -> Iterator[tuple[Timeline, Loudness]]:
    folder.mkdir(exist_ok=True)
    with TimelineBuilder(RATE, Pauses(), folder) as builder:
        for index, utterance in enumerate(SCRIPT.utterances):
            builder.add(utterance, [peaky(2.0, index)])
        yield builder.finish(SCRIPT), builder.loudness


def test_outside_a_batch_the_meter_and_the_limiter_run_beside(
    tmp_path: Path, started: list[str]
) -> None:
    assert second_core_allowed()
    with built(tmp_path) as (timeline, _):
        encode(timeline.pcm_path, RATE, tmp_path / "a.mp3", "mp3", "64k", 8.0, -1.0)
    assert HELPERS <= set(started)


def test_one_core_writes_the_same_mp3_and_loudness_without_helpers(
    tmp_path: Path, started: list[str]
) -> None:
    with built(tmp_path / "two") as (timeline, loudness):
        encode(timeline.pcm_path, RATE, tmp_path / "two.mp3", "mp3", "64k", 8.0, -1.0)
        limited = measure_finished(timeline.pcm_path, RATE, 8.0, -1.0)
    started.clear()
    with one_core():
        assert not second_core_allowed()
        with built(tmp_path / "one") as (timeline_one, loudness_one):
            encode(timeline_one.pcm_path, RATE, tmp_path / "one.mp3", "mp3", "64k", 8.0, -1.0)
            limited_one = measure_finished(timeline_one.pcm_path, RATE, 8.0, -1.0)
    assert started == []
    assert second_core_allowed()  # only inside the block
    assert (tmp_path / "one.mp3").read_bytes() == (tmp_path / "two.mp3").read_bytes()
    assert loudness_one == loudness
    assert limited_one == limited


def test_a_batch_worker_narrates_on_one_core(tmp_path: Path, started: list[str]) -> None:
    source = tmp_path / "artikel.txt"
    source.write_text("Der Rat tagt am Montag. Es geht um neue Radwege.", encoding="utf-8")
    settings = Settings(engine="espeak", lang="de", cache=False)
    single = narrate(source, tmp_path / "single.mp3", settings=settings)
    assert HELPERS & set(started), "a single run uses its helpers (else this test proves nothing)"
    started.clear()
    result = narrate_job(BatchJob(source, "artikel.txt", tmp_path / "out" / "a.mp3"), settings)
    assert result.status is JobStatus.DONE, result.error
    assert not HELPERS & set(started)
    assert abs(duration_ms(tmp_path / "out" / "a.mp3") - single.duration_ms) <= 30
