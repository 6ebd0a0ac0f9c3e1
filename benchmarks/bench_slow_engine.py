"""Concurrency and the chunk cache against slow engines.

Two slow engines answer every request after a fixed latency (default 250 ms, a
typical gTTS round trip):

- ``slow``: a fake engine in process that answers with speech-like sound (a voiced
  tone in syllables, with consonant bursts: peaks about 20 dB above its loudness,
  as in real speech, so the limiter has work) and allows four requests at once;
- ``gtts``: the real gTTS engine (retries, rate limit of 16 requests/s, MP3
  decoding) against the local fake of Google's endpoint from ``tests/``, which
  waits the same latency before each answer.

On the German sample, for each engine:

1. concurrency 4 versus 1, each with an empty cache (target: at least 3x faster);
2. a run after a one-sentence edit versus the first run with the same cache
   (target: under 10 % of the first run's time): three edits, early, in the middle
   and late in the article, each from the original text (so each run has exactly one
   new sentence); the median counts.

    python benchmarks/bench_slow_engine.py [--latency-ms 250]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from narrate.engines.base import Availability, Clip, Engine, Voice
from narrate.engines.gtts import URL_ENV, GttsEngine
from narrate.engines.registry import EngineRegistry
from narrate.pipeline import narrate

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.fake_google import FakeGoogle  # noqa: E402 - the repository's own test fake

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "energiewende-im-dorf.txt"
EDITS = (
    ("Der Weg dorthin war länger, als viele gedacht hatten.", "Der Weg dorthin war lang."),
    ("Die Genossenschaft wurde im Herbst gegründet.", "Die Genossenschaft entstand im Herbst."),
    ("Dann bezieht Kaltenbach Strom aus dem Netz, wie vorher auch.",
     "Dann kauft Kaltenbach Strom aus dem Netz."),
)  # fmt: skip
TARGET = 0.10
SPEEDUP = 3.0


class SlowEngine:
    """Answers each chunk after ``latency`` seconds: 30 ms of speech-like sound a character."""

    name = "slow"
    max_chars = 100
    sample_rate = 16000
    max_concurrency = 4

    def __init__(self, latency: float) -> None:
        self.latency = latency
        self.requests = 0
        self.lock = threading.Lock()

    def availability(self) -> Availability:
        return Availability(True)

    def voices(self) -> list[Voice]:
        return [Voice("slow", "Slow", ("de",))]

    def supports(self, lang: str) -> bool:
        return lang == "de"

    def default_voice(self, lang: str) -> str:
        return "slow"

    def synthesize(self, text: str, voice: str, lang: str, speed: float) -> Clip:
        with self.lock:
            self.requests += 1
        time.sleep(self.latency)
        return Clip(speech_like(text, self.sample_rate), self.sample_rate)


def speech_like(text: str, sample_rate: int) -> bytes:
    """30 ms per character of a voiced tone in syllables with consonant bursts, as s16le."""
    size = len(text) * 30 * sample_rate // 1000
    rng = np.random.default_rng(zlib.crc32(text.encode()))
    t = np.arange(size) / sample_rate
    pitch = 2 * np.pi * np.cumsum(110 + 25 * np.sin(2 * np.pi * 0.8 * t)) / sample_rate
    voiced = sum(np.sin(harmonic * pitch) / harmonic for harmonic in range(1, 16))
    syllables = np.clip(np.sin(2 * np.pi * 4.5 * t + rng.uniform(0, 2 * np.pi)), 0, None) ** 1.5
    samples = 0.12 * voiced * syllables
    burst = sample_rate // 100
    for start in rng.integers(0, max(1, size - burst), size=max(1, size * 3 // sample_rate)):
        samples[start : start + burst] += rng.normal(
            0, 0.2, size=samples[start : start + burst].size
        )
    return bytes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())


@dataclass
class Case:
    """An engine under test and how to count the requests it has sent."""

    label: str
    engine: Engine
    requests: Callable[[], int]


@dataclass
class Edited:
    """A run after a one-sentence edit."""

    seconds: float
    requests: int
    cached: int


@dataclass
class Outcome:
    """The three narrations of one case."""

    serial: float
    first: float
    edits: list[Edited]
    requests: int

    @property
    def edited(self) -> float:
        """The median of the edited runs."""
        return statistics.median(edit.seconds for edit in self.edits)

    @property
    def speedup(self) -> float:
        return self.serial / self.first

    @property
    def ratio(self) -> float:
        return self.edited / self.first

    @property
    def ok(self) -> bool:
        return self.speedup >= SPEEDUP and self.ratio < TARGET


def timed(case: Case, article: Path, cache: Path, concurrency: int = 4) -> tuple[float, int, int]:
    """Wall seconds, engine requests and sentences from cache of one narration."""
    registry = EngineRegistry({case.engine.name: lambda: case.engine})
    before = case.requests()
    start = time.perf_counter()
    result = narrate(
        article, article.with_suffix(".mp3"), registry=registry, engine=case.engine.name,
        lang="de", cache_dir=cache, concurrency=concurrency,
    )  # fmt: skip
    return time.perf_counter() - start, case.requests() - before, result.cached_sentences


def measure(case: Case) -> Outcome:
    """Concurrency 1, concurrency 4, then 4 again after each one-sentence edit."""
    with tempfile.TemporaryDirectory() as folder:
        article = Path(shutil.copy(SAMPLE, Path(folder) / SAMPLE.name))
        serial, requests, _ = timed(case, article, Path(folder) / "cache-1", concurrency=1)
        first, _, _ = timed(case, article, Path(folder) / "cache-4")
        text = article.read_text(encoding="utf-8")
        edits = []
        for old, new in EDITS:
            assert old in text, old
            article.write_text(text.replace(old, new), encoding="utf-8")
            edits.append(Edited(*timed(case, article, Path(folder) / "cache-4")))
    return Outcome(serial, first, edits, requests)


def report(case: Case, outcome: Outcome) -> None:
    verdict = {True: "ok", False: "MISSED"}
    print(f"{case.label}: {outcome.requests} requests")
    print(f"  concurrency 1                {outcome.serial:.2f} s")
    print(f"  concurrency 4                {outcome.first:.2f} s")
    print(f"  speed-up 4 vs 1              {outcome.speedup:.2f}x  (target >= {SPEEDUP:.0f}x)  "
          f"{verdict[outcome.speedup >= SPEEDUP]}")  # fmt: skip
    for number, edit in enumerate(outcome.edits, 1):
        print(f"  after one-sentence edit {number}    {edit.seconds:.2f} s, "
              f"{edit.requests} request(s), {edit.cached} sentences from cache, "
              f"{edit.seconds / outcome.first:.3f} of the first run")  # fmt: skip
    print(f"  edited run / first run (c=4) {outcome.ratio:.3f} (median)  (target < {TARGET:.2f})  "
          f"{verdict[outcome.ratio < TARGET]}")  # fmt: skip
    print(f"  edited run / first run (c=1) {outcome.edited / outcome.serial:.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=float, default=250.0)
    options = parser.parse_args(argv)
    latency = options.latency_ms / 1000
    print(f"latency per request {options.latency_ms:.0f} ms")
    slow = SlowEngine(latency)
    outcomes = [(case := Case("slow (fake engine)", slow, lambda: slow.requests), measure(case))]
    for name in [name for name in os.environ if name.lower().endswith("_proxy")]:
        del os.environ[name]
    with FakeGoogle(latency_s=latency) as fake:
        os.environ[URL_ENV] = fake.url
        gtts = Case("gtts (fake Google endpoint)", GttsEngine(), lambda: len(fake.requests))
        outcomes.append((gtts, measure(gtts)))
    for case, outcome in outcomes:
        report(case, outcome)
    return 0 if all(outcome.ok for _, outcome in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
