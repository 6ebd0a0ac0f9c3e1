"""Rendering chunks several at a time: overlap proven with a barrier, order kept, failures
stop the run and keep what was rendered, and stopping never waits for requests in flight."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from narrate.batch.jobs import BatchJob, guarded
from narrate.engines.base import Clip
from narrate.engines.cache import ChunkCache
from narrate.engines.registry import EngineRegistry
from narrate.engines.render import Renderer, engine_concurrency, stranded_workers
from narrate.engines.retry import AttemptFailed, RetryPolicy, call_with_retries
from narrate.errors import EngineError, NarrateError
from narrate.pipeline import narrate
from narrate.speech.script import PauseKind, Utterance
from tests.audio_tools import duration_ms
from tests.fakes import FakeEngine, tone_ms


class ParallelFake(FakeEngine):
    """A fake that allows four requests at once; the first four must meet at a barrier."""

    max_concurrency = 4

    def __init__(self, fail_on: str | None = None) -> None:
        super().__init__(fail_on)
        self.barrier = threading.Barrier(4, timeout=10)
        self.lock = threading.Lock()
        self.threads: set[str] = set()
        self.started = 0

    def synthesize(self, text: str, voice: str, lang: str, speed: float) -> Clip:
        with self.lock:
            self.started += 1
            first_four = self.started <= 4
            self.threads.add(threading.current_thread().name)
        if first_four:
            self.barrier.wait()  # raises BrokenBarrierError unless 4 calls overlap
        with self.lock:
            return super().synthesize(text, voice, lang, speed)


class HangingFake(FakeEngine):
    """Four at once; a text with "hängt" sticks like a request the server never answers.

    A stuck attempt returns only after :attr:`released` is set, then fails retryably
    (a timeout) or, with ``answers_late``, brings its audio. Retries go through
    :func:`call_with_retries` with a recording sleep, as a network engine's do.
    """

    max_concurrency = 4

    def __init__(self, *, answers_late: bool = False, fail_on: str | None = None) -> None:
        super().__init__(fail_on)
        self.answers_late = answers_late
        self.released = threading.Event()
        self.stuck = threading.Semaphore(0)
        """Released once per attempt that got stuck."""
        self.stuck_attempts = 0
        self.backoff: list[float] = []
        self._lock = threading.Lock()

    def synthesize(self, text: str, voice: str, lang: str, speed: float) -> Clip:
        if "hängt" not in text:
            return super().synthesize(text, voice, lang, speed)
        policy = RetryPolicy(sleep=self.backoff.append, random=lambda: 0.5)
        return call_with_retries(lambda: self._stuck(text, voice, lang, speed), policy)

    def wait_until_stuck(self, attempts: int) -> None:
        """Block until ``attempts`` attempts are stuck at once (fail after 10 s)."""
        for _ in range(attempts):
            assert self.stuck.acquire(timeout=10), "the attempts never got stuck"

    def _stuck(self, text: str, voice: str, lang: str, speed: float) -> Clip:
        with self._lock:
            self.stuck_attempts += 1
        self.stuck.release()
        assert self.released.wait(timeout=30), "the test never released the engine"
        if not self.answers_late:
            raise AttemptFailed("no answer within 30 s", retryable=True)
        return super().synthesize(text, voice, lang, speed)


def _returns_within(seconds: float, action: Callable[[], object]) -> BaseException | None:
    """Run ``action`` on a thread; fail unless it ends within ``seconds``; what it raised."""
    raised: list[BaseException] = []

    def run() -> None:
        try:
            action()
        except BaseException as error:  # handed to the test
            raised.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    return raised[0] if raised else None


def _let_stranded_workers_finish(engine: HangingFake) -> None:
    engine.released.set()
    for worker in stranded_workers():
        worker.join(timeout=10)
    assert not stranded_workers()


def _hanging_utterances(count: int, first: str = "Ein Satz, der sofort klingt.") -> list[Utterance]:
    stuck = [
        Utterance((f"Satz {n} hängt " + "x" * n,), f"Satz {n}", 0, PauseKind.SENTENCE)
        for n in range(count)
    ]
    return [Utterance((first,), first, 0, PauseKind.SENTENCE), *stuck]


def _utterances(count: int) -> list[Utterance]:
    return [
        Utterance((f"Satz Nummer {n} " + "x" * n,), f"Satz {n}", 0, PauseKind.SENTENCE)
        for n in range(count)
    ]


def test_four_requests_overlap_and_results_come_back_in_order() -> None:
    engine = ParallelFake()
    utterances = _utterances(12)
    renderer = Renderer(engine, "fake-de", "de", 1.0, workers=4)
    clips = list(renderer.render(utterances))
    assert len(engine.threads) == 4
    expected = [tone_ms(u.chunks[0]) for u in utterances]
    lengths = [round(clip[0].duration_ms) for clip in clips]
    assert [length - 320 for length in lengths] == expected  # 120 ms lead + 200 ms tail


def test_one_worker_renders_on_the_calling_thread() -> None:
    engine = FakeEngine()
    renderer = Renderer(engine, "fake-de", "de", 1.0, workers=1)
    assert len(list(renderer.render(_utterances(3)))) == 3
    assert [call[0] for call in engine.calls] == [u.chunks[0] for u in _utterances(3)]


@pytest.mark.parametrize(("allowed", "wanted", "workers"), [(4, 4, 4), (4, 1, 1), (8, 4, 4)])
def test_concurrency_is_the_engine_limit_bounded_by_the_setting(
    allowed: int, wanted: int, workers: int
) -> None:
    engine = ParallelFake()
    engine.max_concurrency = allowed
    assert engine_concurrency(engine, wanted) == workers
    assert engine_concurrency(FakeEngine(), 4) == 1


def test_a_failure_stops_rendering_and_keeps_the_rendered_chunks(tmp_path: Path) -> None:
    engine = ParallelFake(fail_on="Nummer 9 ")
    cache = ChunkCache(tmp_path / "cache")
    renderer = Renderer(engine, "fake-de", "de", 1.0, cache=cache, workers=4)
    with pytest.raises(EngineError, match="Nummer 9"):
        list(renderer.render(_utterances(40)))
    assert 9 <= cache.info().entries < 40


def test_a_whole_narration_with_four_workers_matches_one_worker(tmp_path: Path) -> None:
    article = tmp_path / "artikel.txt"
    sentences = " ".join(f"Das ist der Satz mit der Nummer {n}." for n in range(20))
    article.write_text(f"Titel\n\n{sentences}\n", encoding="utf-8")
    results = {}
    for workers in (1, 4):
        engine = ParallelFake() if workers == 4 else FakeEngine()
        registry = EngineRegistry({"fake": lambda engine=engine: engine})
        output = tmp_path / f"{workers}.mp3"
        results[workers] = narrate(
            article, output, registry=registry, engine="fake", lang="de", concurrency=workers,
            cache=False,
        )  # fmt: skip
    one, four = results[1], results[4]
    assert [s.display for s in four.sentences] == [s.display for s in one.sentences]
    assert [s.start_ms for s in four.sentences] == [s.start_ms for s in one.sentences]
    assert abs(duration_ms(tmp_path / "4.mp3") - duration_ms(tmp_path / "1.mp3")) < 30


def test_stopping_a_render_does_not_wait_for_requests_in_flight() -> None:
    engine = HangingFake()
    rendered = Renderer(engine, "fake-de", "de", 1.0, workers=4).render(_hanging_utterances(20))
    next(rendered)
    engine.wait_until_stuck(4)

    assert _returns_within(5.0, rendered.close) is None  # four requests still hang

    _let_stranded_workers_finish(engine)
    assert engine.stuck_attempts == 4  # queued chunks never started
    assert engine.backoff == []  # the stuck ones failed after the stop: no retry, no warning


def test_a_chunk_that_arrives_after_the_stop_is_still_cached(tmp_path: Path) -> None:
    engine = HangingFake(answers_late=True)
    cache = ChunkCache(tmp_path / "cache")
    renderer = Renderer(engine, "fake-de", "de", 1.0, cache=cache, workers=4)
    rendered = renderer.render(_hanging_utterances(20))
    next(rendered)
    engine.wait_until_stuck(4)
    rendered.close()

    _let_stranded_workers_finish(engine)
    assert cache.info().entries == 5  # the first chunk, and the four that were in flight


def test_a_failed_chunk_stops_the_run_without_waiting_for_requests_in_flight() -> None:
    engine = HangingFake(fail_on="kaputt")
    utterances = _hanging_utterances(20, first="Ein Satz, der kaputt geht.")
    renderer = Renderer(engine, "fake-de", "de", 1.0, workers=4)

    raised = _returns_within(5.0, lambda: list(renderer.render(utterances)))

    assert isinstance(raised, EngineError) and "kaputt" in str(raised)
    _let_stranded_workers_finish(engine)
    assert engine.stuck_attempts <= 4 and engine.backoff == []


class WarningFake(ParallelFake):
    """Warns from the worker thread it synthesizes on, as gTTS's retries do."""

    def synthesize(self, text: str, voice: str, lang: str, speed: float) -> Clip:
        logging.getLogger("narrate.engines.test").warning("slow answer for %s", text[:8])
        return super().synthesize(text, voice, lang, speed)


def test_warnings_on_the_render_threads_belong_to_the_batch_job_that_rendered() -> None:
    def work() -> tuple[Any, tuple[Path, ...]]:
        list(Renderer(WarningFake(), "fake-de", "de", 1.0, workers=4).render(_utterances(4)))
        raise NarrateError("rendered")

    result = guarded(BatchJob(Path("a.txt"), "a.txt", Path("a.mp3")), work)
    assert result.error == "rendered"
    assert result.warnings == ("slow answer for Satz Num",) * 4


class ConcurrentFake(FakeEngine):
    """A fake that allows two requests at once and notes when each text is asked for."""

    max_concurrency = 2

    def __init__(self) -> None:
        super().__init__()
        self.asked: dict[str, threading.Event] = {}
        self.lock = threading.Lock()

    def synthesize(self, text: str, voice: str, lang: str, speed: float) -> Clip:
        with self.lock:
            self.asked.setdefault(text, threading.Event()).set()
            return super().synthesize(text, voice, lang, speed)

    def was_asked(self, text: str) -> threading.Event:
        with self.lock:
            return self.asked.setdefault(text, threading.Event())


def test_sentences_the_cache_lacks_are_asked_for_first_wherever_they_are(
    tmp_path: Path,
) -> None:
    utterances = _utterances(30)
    cache = ChunkCache(tmp_path / "cache")
    list(Renderer(ConcurrentFake(), "fake-de", "de", 1.0, cache=cache).render(utterances[:25]))
    edited = [*utterances[:20], Utterance(("Ein neuer Satz.",), "Neu", 0, PauseKind.SENTENCE)]
    edited += utterances[21:]
    engine = ConcurrentFake()
    rendered = Renderer(engine, "fake-de", "de", 1.0, cache=cache, workers=2).render(edited)
    next(rendered)  # the first (cached) sentence; the window reaches up to the fifth
    assert engine.was_asked("Ein neuer Satz.").wait(timeout=10)  # not only once reached
    assert len(list(rendered)) == len(edited) - 1
    assert sorted(call[0] for call in engine.calls) == sorted(
        ["Ein neuer Satz.", *(u.chunks[0] for u in utterances[25:])]
    )


class HoldingFake(ConcurrentFake):
    """Holds every request for a new sentence until :attr:`release` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def synthesize(self, text: str, voice: str, lang: str, speed: float) -> Clip:
        if "neu" in text:
            assert self.release.wait(timeout=10)
        return super().synthesize(text, voice, lang, speed)


def test_cached_sentences_are_read_while_every_worker_waits_for_the_engine(
    tmp_path: Path,
) -> None:
    utterances = _utterances(12)
    cache = ChunkCache(tmp_path / "cache")
    list(Renderer(HoldingFake(), "fake-de", "de", 1.0, cache=cache).render(utterances))
    edited = list(utterances)
    for index in (6, 7, 8):  # more new sentences than workers: both workers wait
        edited[index] = Utterance((f"Ein neuer Satz {index}.",), "Neu", 0, PauseKind.SENTENCE)
    engine = HoldingFake()
    rendered = Renderer(engine, "fake-de", "de", 1.0, cache=cache, workers=2).render(edited)
    try:
        first_six = [next(rendered) for _ in range(6)]  # all cached: no engine answer needed
        assert len(first_six) == 6 and not engine.calls
    finally:
        engine.release.set()
    assert len(list(rendered)) == 6
