#!/usr/bin/env python3
"""Batch throughput and the no-op re-run, measured side by side in one run.

Run it with the Python that has narrate installed::

    python benchmarks/bench_batch.py [--articles 12] [--rounds 5]

It writes ``--articles`` German articles into a temporary folder (the German
samples in turn, each with its own opening sentence so no two are alike) and runs
the installed CLI on the folder, as a user would::

    narrate IN -o OUT --jobs N --engine espeak --lang de --no-cache -q

1. **Throughput.** ``--jobs 2`` against ``--jobs 1`` on fresh output folders,
   interleaved round by round; the throughput ratio is the median of the
   rounds' ratios (each round's two runs see the same machine load). The chunk
   cache is off, so every article is really synthesized. Target on a 2-core machine: >= 1.7x.
2. **No-op re-run.** The same command again on a finished output folder: every
   article is up to date. Target: under 2 s.

Before measuring it compiles narrate's modules to bytecode, as ``pip install``
does for an installed package: with an editable install in an environment that
sets ``PYTHONDONTWRITEBYTECODE`` (as the build machines do), every worker process
would otherwise compile them again, a cost no installed copy pays.

The exit status is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
GERMAN = ("energiewende-im-dorf.txt", "stadtbibliothek.md", "stadtkurier-radwege.html")
SPEEDUP_TARGET = 1.7
NOOP_TARGET_S = 2.0


def write_articles(folder: Path, count: int) -> None:
    """``count`` distinct German articles, cycling through the German samples."""
    for index in range(count):
        sample = SAMPLES / GERMAN[index % len(GERMAN)]
        text = sample.read_text(encoding="utf-8")
        opening = f"Folge {index + 1} unserer Reihe über das Leben in der Region."
        if sample.suffix == ".html":
            text = text.replace("<article>", f"<article><p>{opening}</p>", 1)
        elif sample.suffix == ".md":
            text = text.replace("\n\n", f"\n\n{opening}\n\n", 1)
        else:
            text = f"{opening}\n\n{text}"
        target = folder / f"ressort-{index % 3}" / f"{index:02d}-{sample.name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def compile_bytecode() -> None:
    """Compile the installed narrate's modules, as pip does when it installs a wheel."""
    import narrate

    compileall.compile_dir(Path(narrate.__file__).parent, quiet=1)


def run_batch(articles: Path, out: Path, jobs: int) -> float:
    """Wall seconds of one batch run of the installed CLI."""
    command = [
        sys.executable, "-m", "narrate", str(articles), "-o", str(out), "--jobs", str(jobs),
        "--engine", "espeak", "--lang", "de", "--no-cache", "-q",
    ]  # fmt: skip
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args(argv)
    compile_bytecode()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_articles(root / "in", options.articles)
        serial, parallel = [], []
        for round_ in range(options.rounds):
            serial.append(run_batch(root / "in", root / f"out-1-{round_}", 1))
            parallel.append(run_batch(root / "in", root / f"out-2-{round_}", 2))
        audio = sum(path.stat().st_size for path in (root / "out-2-0").rglob("*.mp3"))
        noops = [run_batch(root / "in", root / "out-2-0", 2) for _ in range(3)]
        shutil.rmtree(root / "in")
    one, two, noop = statistics.median(serial), statistics.median(parallel), min(noops)
    speedup = statistics.median(a / b for a, b in zip(serial, parallel, strict=True))
    print(f"machine                  {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    print(f"articles                 {options.articles} German, espeak, cache off "
          f"({audio / 1e6:.1f} MB of MP3)")  # fmt: skip
    print(f"--jobs 1                 {one:.2f} s  (rounds: {_list(serial)})")
    print(f"--jobs 2                 {two:.2f} s  (rounds: {_list(parallel)})")
    print(f"throughput 2 vs 1        {speedup:.2f}x  (median of the rounds' ratios; "
          f"target >= {SPEEDUP_TARGET}x)  "
          f"{_verdict(speedup >= SPEEDUP_TARGET)}")  # fmt: skip
    print(f"no-op re-run             {noop:.2f} s  (target < {NOOP_TARGET_S:.0f} s)  "
          f"{_verdict(noop < NOOP_TARGET_S)}")  # fmt: skip
    return 0 if speedup >= SPEEDUP_TARGET and noop < NOOP_TARGET_S else 1


def _list(values: list[float]) -> str:
    return ", ".join(f"{value:.2f}" for value in values)


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


if __name__ == "__main__":
    sys.exit(main())
