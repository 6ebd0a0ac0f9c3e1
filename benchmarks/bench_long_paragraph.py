#!/usr/bin/env python3
"""Speed of preparing the speech script of one long paragraph vs. many short ones.

Run it with the Python that has narrate installed::

    python benchmarks/bench_long_paragraph.py            # 500 ... 4,000 sentences
    python benchmarks/bench_long_paragraph.py --quick    # 500 ... 2,000, one round
    python benchmarks/bench_long_paragraph.py --whole    # as before blocks: pysbd whole

It writes German plain-text articles of 500, 1,000, 2,000 and 4,000 varied
sentences (abbreviations such as "z. B." and "Dr.", ordinals "am 3. Mai",
numbers, dates, quotes) twice: once as a single paragraph and once with every
sentence a paragraph of its own. For each size it builds the speech script
(``narrate script ARTICLE -l de -e espeak``, in this process: load, split,
normalize, chunk), the two forms interleaved round by round, and reports the
median wall time of each side by side.

Targets: for every size, one paragraph takes at most 1.5x the time of separate
paragraphs; and time per sentence grows at most 1.5x from the smallest size to
the largest (linear growth). ``--whole`` sends each paragraph to pysbd whole,
as narrate did before it cut long paragraphs into blocks, to show the old cost.
The exit status is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from unittest import mock

from narrate.preview import preview_script
from narrate.settings import Settings
from narrate.speech import split

SIZES = (500, 1000, 2000, 4000)
QUICK_SIZES = (500, 1000, 2000)
RATIO_TARGET = 1.5
GROWTH_TARGET = 1.5

_TEMPLATES = (
    "Dr. Müller kam am {day}. Mai {year} nach {city}.",
    "Das gilt z. B. für {count} Kinder in {city}.",
    "Er sagte: „Das geht so nicht.“",
    "Nach Art. {day} Abs. 2 GG ist das erlaubt.",
    "Der {day}. Spieltag brachte {city} den Sieg.",
    "Es kostet ca. {count} Euro, also rund {count},50 Euro.",
    "Warum? Weil es so ist!",
    "Prof. Dr. Anna Schmidt sprach am {day}. Oktober in {city}.",
    "Siehe Nr. {day} auf S. {count} dazu.",
    "Er kam am {day}. Danach fuhr er heim.",
    "Die Sitzung ist am {day}.0{month}.{year}.",
    "„Kommst du?“, fragte sie.",
    "Das ist u. a. in {city} so, vgl. S. {count}.",
    "Die Stadt hat {count}.000 Einwohner.",
    "Im Jahr {year} wurden {count} Projekte gefördert.",
    "Er wohnt in der Hauptstr. {day} in {city}.",
    "Die Bürgermeisterin von {city} eröffnete das Fest.",
    "Viele Menschen kamen trotz des Regens.",
)
_CITIES = ("Berlin", "Bonn", "Köln", "Ulm", "Essen", "Görlitz", "Jena")


def sentences(count: int, seed: int = 7) -> list[str]:
    """``count`` varied German sentences, the same for the same seed."""
    chooser = random.Random(seed)
    made = []
    for _ in range(count):
        template = chooser.choice(_TEMPLATES)
        made.append(
            template.format(
                day=chooser.randint(1, 28),
                month=chooser.randint(1, 9),
                year=chooser.randint(1950, 2030),
                count=chooser.randint(2, 999),
                city=chooser.choice(_CITIES),
            )
        )
    return made


def write_articles(folder: Path, count: int) -> tuple[Path, Path]:
    """The same sentences as one paragraph and as one paragraph each."""
    body = sentences(count)
    one = folder / f"one-paragraph-{count}.txt"
    many = folder / f"paragraphs-{count}.txt"
    one.write_text("Ein langer Bericht\n\n" + " ".join(body) + "\n", encoding="utf-8")
    many.write_text("Ein langer Bericht\n\n" + "\n\n".join(body) + "\n", encoding="utf-8")
    return one, many


def script_time(article: Path, settings: Settings) -> float:
    """Wall time of building the speech script of ``article``, in seconds."""
    start = time.perf_counter()
    preview_script(str(article), settings)
    return time.perf_counter() - start


def whole_paragraphs() -> AbstractContextManager[object]:
    """Send every paragraph to pysbd whole, as before blocks."""
    return mock.patch.object(split, "block_starts", lambda text, code, words: [0])


@dataclasses.dataclass(frozen=True)
class Result:
    sentences: int
    one: float
    many: float

    @property
    def ratio(self) -> float:
        return self.one / self.many

    @property
    def per_sentence_ms(self) -> float:
        return 1000 * self.one / self.sentences


def measure(
    sizes: Sequence[int], rounds: int, folder: Path, say: Callable[[str], None]
) -> list[Result]:
    """Median times of one paragraph and of separate paragraphs, interleaved."""
    settings = dataclasses.replace(Settings(), engine="espeak", lang="de")
    script_time(write_articles(folder, 20)[0], settings)  # warm-up: imports, pysbd, espeak
    results = []
    for size in sizes:
        one, many = write_articles(folder, size)
        one_times, many_times = [], []
        for number in range(rounds):
            say(f"{size} sentences, round {number + 1}/{rounds}")
            one_times.append(script_time(one, settings))
            many_times.append(script_time(many, settings))
        results.append(Result(size, statistics.median(one_times), statistics.median(many_times)))
    return results


def report(results: Sequence[Result]) -> list[str]:
    """The table, then one line per missed target (none when all are met)."""
    lines = [
        f"{'sentences':>9}  {'one paragraph':>13}  {'paragraphs':>10}  {'ratio':>5}  "
        f"{'ms/sentence':>11}",
        "-" * 58,
    ]
    missed = []
    for result in results:
        verdict = "ok" if result.ratio <= RATIO_TARGET else "MISSED"
        lines.append(
            f"{result.sentences:>9}  {result.one:>11.2f} s  {result.many:>8.2f} s  "
            f"{result.ratio:>5.2f}  {result.per_sentence_ms:>11.3f}  {verdict}"
        )
        if result.ratio > RATIO_TARGET:
            missed.append(f"one paragraph of {result.sentences} sentences: {result.ratio:.2f}x")
    growth = results[-1].per_sentence_ms / results[0].per_sentence_ms
    lines.append("")
    lines.append(
        f"time per sentence, {results[-1].sentences} vs {results[0].sentences} sentences: "
        f"{growth:.2f}x (target <= {GROWTH_TARGET}); ratio target <= {RATIO_TARGET}"
    )
    if growth > GROWTH_TARGET:
        missed.append(f"growth {growth:.2f}x")
    return lines + [f"MISSED: {item}" for item in missed]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="sizes up to 2,000, one round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per size (default 3)")
    parser.add_argument("--whole", action="store_true", help="pysbd on whole paragraphs (old)")
    args = parser.parse_args(argv)
    sizes, rounds = (QUICK_SIZES, 1) if args.quick else (SIZES, max(1, args.rounds))
    folder = Path(tempfile.mkdtemp(prefix="narrate-bench-paragraph-"))
    began = time.perf_counter()
    try:
        with whole_paragraphs() if args.whole else nullcontext():
            results = measure(sizes, rounds, folder, _say)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    lines = report(results)
    print()
    print("\n".join(lines))
    mode = "whole paragraphs to pysbd" if args.whole else "blocks"
    print(f"\nbenchmark took {time.perf_counter() - began:.0f} s ({mode}, {rounds} round(s))")
    if any(line.startswith("MISSED") for line in lines):
        return 1
    print("all targets met")
    return 0


def _say(message: str) -> None:
    print(message, flush=True)


if __name__ == "__main__":
    sys.exit(main())
