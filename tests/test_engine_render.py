"""Rendering chunks several at a time: overlap proven with a barrier, order kept, failures
stop the run and keep what was rendered."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from narrate.engines.base import Clip
from narrate.engines.cache import ChunkCache
from narrate.engines.registry import EngineRegistry
from narrate.engines.render import Renderer, engine_concurrency
from narrate.errors import EngineError
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
