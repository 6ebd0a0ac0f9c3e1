"""Concurrency and the chunk cache against a slow engine.

A slow engine here is a stand-in for a network or neural engine: it answers
every request after a fixed latency (default 250 ms, a typical gTTS round trip)
with a short tone, and allows four requests at once. On the German sample:

1. concurrency 4 versus 1, each with an empty cache (target: at least 3x faster);
2. a run after a one-sentence edit versus the first run with the same cache
   (target: under 10 % of the first run's time).

    python benchmarks/bench_slow_engine.py [--latency-ms 250]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from narrate.engines.base import Availability, Clip, Voice
from narrate.engines.registry import EngineRegistry
from narrate.pipeline import narrate

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "energiewende-im-dorf.txt"
EDIT = ("Die Genossenschaft wurde im Herbst gegründet.", "Die Genossenschaft entstand im Herbst.")
TARGET = 0.10
SPEEDUP = 3.0


class SlowEngine:
    """Answers each chunk after ``latency`` seconds with 30 ms of tone per character."""

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
        frames = len(text) * 30 * self.sample_rate // 1000
        return Clip(b"\x10\x20" * frames, self.sample_rate)


def timed(
    article: Path, engine: SlowEngine, cache: Path, concurrency: int = 4
) -> tuple[float, int, int]:
    """Wall seconds, engine requests and sentences from cache of one narration."""
    registry = EngineRegistry({"slow": lambda: engine})
    before = engine.requests
    start = time.perf_counter()
    result = narrate(
        article, article.with_suffix(".mp3"), registry=registry, engine="slow", lang="de",
        cache_dir=cache, concurrency=concurrency,
    )  # fmt: skip
    return time.perf_counter() - start, engine.requests - before, result.cached_sentences


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=float, default=250.0)
    options = parser.parse_args(argv)
    engine = SlowEngine(options.latency_ms / 1000)
    with tempfile.TemporaryDirectory() as folder:
        article = Path(shutil.copy(SAMPLE, Path(folder) / SAMPLE.name))
        serial, requests, _ = timed(article, engine, Path(folder) / "cache-1", concurrency=1)
        first, _, _ = timed(article, engine, Path(folder) / "cache-4")
        text = article.read_text(encoding="utf-8")
        article.write_text(text.replace(*EDIT), encoding="utf-8")
        second, second_requests, cached = timed(article, engine, Path(folder) / "cache-4")
    speedup, ratio = serial / first, second / first
    print(f"engine latency               {options.latency_ms:.0f} ms, {requests} requests")
    print(f"concurrency 1                {serial:.2f} s")
    print(f"concurrency 4                {first:.2f} s")
    print(f"speed-up 4 vs 1              {speedup:.2f}x  (target >= {SPEEDUP:.0f}x)  "
          f"{'ok' if speedup >= SPEEDUP else 'MISSED'}")  # fmt: skip
    print(f"after a one-sentence edit    {second:.2f} s, {second_requests} request(s), "
          f"{cached} sentences from cache")  # fmt: skip
    print(f"edited run / first run (c=4) {ratio:.3f}  (target < {TARGET:.2f})  "
          f"{'ok' if ratio < TARGET else 'MISSED'}")  # fmt: skip
    print(f"edited run / first run (c=1) {second / serial:.3f}")
    return 0 if speedup >= SPEEDUP and ratio < TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
