#!/usr/bin/env python3
"""Speed and memory of the whole ``narrate`` command, measured against its floor.

Run it with the Python that has narrate installed::

    python benchmarks/bench_narrate.py            # full run (a few minutes)
    python benchmarks/bench_narrate.py --quick    # short run, indicative numbers

It builds long German articles from the German samples (their sections repeated
under numbered subheadings "Teil 1: ...", paragraphs intact) in a temporary
folder and measures, side by side in one run:

1. **Floor.** The wall time of ``narrate ARTICLE --engine espeak -q -o OUT.mp3``
   (a subprocess of the installed CLI) against the floor: the espeak engine's raw
   synthesis of the same chunks (``EspeakEngine().synthesize``, in this process,
   engine already loaded) plus ONE ffmpeg MP3 encode (64k, mono, same sample rate)
   of raw PCM as long as narrate's output (the synthesized audio, padded with
   silence to that length). Target: narrate / floor <= 1.3.
2. **Scaling.** Wall time per second of audio for the 1x article and for an 8x
   longer one. Target: cost(8x) / cost(1x) <= 1.25.
3. **Memory.** Peak RSS of the narrate process and of its ffmpeg child while
   narrating at least an hour of audio (``getrusage`` in a fresh wrapper process
   that runs the CLI script in-process: RUSAGE_SELF is narrate, RUSAGE_CHILDREN
   its ffmpeg). Target: each < 300 MB.

Timed runs are interleaved round by round (narrate 1x, floor, narrate 8x) and
the median of the rounds is reported. The exit status is 1 when a target is
missed, 2 when the benchmark itself could not run.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import mutagen.mp3

import narrate
from narrate.article.load import load_article
from narrate.audio.ffmpeg import find_ffmpeg
from narrate.engines.espeak import EspeakEngine
from narrate.preview import preview_script
from narrate.settings import Settings

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
GERMAN_SAMPLES = ("energiewende-im-dorf.txt", "stadtbibliothek.md")
BITRATE = "64k"

FLOOR_TARGET = 1.3
SCALING_TARGET = 1.25
MEMORY_TARGET_MB = 300.0
MIN_WORDS = 3000
HOUR_S = 3600.0


@dataclass(frozen=True)
class Mode:
    """How big the articles are and how often each side is measured."""

    copies: int
    """Copies of the samples' sections in the 1x article."""
    rounds: int
    """Interleaved rounds for the 1x narrate/floor pair."""
    rounds_8x: int
    """Of those rounds, how many also narrate the 8x article."""


FULL = Mode(copies=4, rounds=3, rounds_8x=3)
QUICK = Mode(copies=1, rounds=3, rounds_8x=1)
SCALE = 8

# Runs the narrate console script in this (fresh) interpreter and reports the peak
# RSS of the process itself and of the children it waited for (its ffmpeg).
_MEMORY_WRAPPER = """
import resource, runpy, sys
report, script = sys.argv[1], sys.argv[2]
sys.argv = sys.argv[2:]
try:
    runpy.run_path(script, run_name="__main__")
finally:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with open(report, "w") as handle:
        handle.write(f"{own} {children}")
"""


# --------------------------------------------------------------------------- articles


@dataclass(frozen=True)
class Article:
    path: Path
    words: int
    copies: int


def sample_sections() -> list[tuple[str, tuple[str, ...]]]:
    """The German samples' sections as (heading, paragraphs); intros take the title."""
    sections = []
    for name in GERMAN_SAMPLES:
        article = load_article(SAMPLES / name)
        for section in article.sections:
            sections.append((section.heading or article.title, section.paragraphs))
    return sections


def build_article(folder: Path, name: str, copies: int) -> Article:
    """A Markdown article: the samples' sections ``copies`` times, as "Teil N: ..."."""
    lines = ["---", "lang: de", "---", "", "# Energie und Bücher: ein langer Bericht", ""]
    number = 0
    for _ in range(copies):
        for heading, paragraphs in sample_sections():
            number += 1
            lines += [f"## Teil {number}: {heading}", ""]
            for paragraph in paragraphs:
                lines += [paragraph, ""]
    path = folder / f"{name}.md"
    text = "\n".join(lines)
    path.write_text(text, encoding="utf-8")
    body = text.split("---", 2)[2]
    return Article(path, len(re.findall(r"\w+", body)), copies)


# ------------------------------------------------------------------------ measuring


def narrate_cli() -> Path:
    beside = Path(sys.executable).parent / "narrate"
    found = beside if beside.exists() else shutil.which("narrate")
    if found is None:
        raise SystemExit("bench: the narrate command is not installed")
    return Path(found)


def narrate_command(cli: Path, article: Path, output: Path) -> list[str]:
    return [str(cli), str(article), "--engine", "espeak", "-q", "-o", str(output)]


def run_narrate(cli: Path, article: Path, output: Path) -> float:
    """Wall time of one ``narrate`` run, in seconds."""
    command = narrate_command(cli, article, output)
    start = time.perf_counter()
    result = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise SystemExit(f"bench: narrate failed ({result.returncode}): {message}")
    return elapsed


def audio_seconds(mp3: Path) -> float:
    return float(mutagen.mp3.MP3(mp3).info.length)


class Floor:
    """The espeak engine's raw synthesis of the article's chunks + one MP3 encode."""

    def __init__(self, article: Path, folder: Path) -> None:
        settings = dataclasses.replace(Settings(), engine="espeak")
        script = preview_script(str(article), settings)
        self.engine = EspeakEngine()
        self.language = script.language
        self.voice = self.engine.default_voice(script.language)
        self.speed = settings.speed
        self.chunks = [chunk for utterance in script.utterances for chunk in utterance.chunks]
        self.pcm_path = folder / "floor.pcm"
        self.mp3_path = folder / "floor.mp3"
        self.ffmpeg = find_ffmpeg()
        self.engine.synthesize("Guten Tag.", self.voice, self.language, self.speed)  # load

    def synthesize(self) -> tuple[float, bytes]:
        """Synthesize every chunk; return the seconds it took and the joined PCM."""
        synthesize, voice, lang, speed = (
            self.engine.synthesize,
            self.voice,
            self.language,
            self.speed,
        )
        start = time.perf_counter()
        clips = [synthesize(chunk, voice, lang, speed) for chunk in self.chunks]
        elapsed = time.perf_counter() - start
        return elapsed, b"".join(clip.pcm for clip in clips)

    def encode(self, pcm: bytes, seconds: float) -> float:
        """Encode ``pcm`` padded or cut to ``seconds``; return the encode's wall time."""
        rate = self.engine.sample_rate
        size = 2 * round(seconds * rate)
        self.pcm_path.write_bytes(pcm[:size] + bytes(max(0, size - len(pcm))))
        command = [
            self.ffmpeg,
            *("-nostdin", "-hide_banner", "-loglevel", "error", "-y"),
            *("-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", str(self.pcm_path)),
            *("-c:a", "libmp3lame", "-b:a", BITRATE, "-f", "mp3", str(self.mp3_path)),
        ]
        start = time.perf_counter()
        result = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True)
        elapsed = time.perf_counter() - start
        if result.returncode != 0:
            raise SystemExit(f"bench: ffmpeg failed: {result.stderr.decode(errors='replace')}")
        return elapsed


def peak_memory(cli: Path, article: Path, output: Path, folder: Path) -> tuple[float, float]:
    """Peak RSS in MB of narrate and of its ffmpeg child, from a fresh wrapper."""
    report = folder / "rusage.txt"
    interpreter = _interpreter_of(cli)
    command = [interpreter, "-c", _MEMORY_WRAPPER, str(report)]
    command += narrate_command(cli, article, output)
    result = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True)
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise SystemExit(f"bench: narrate (memory run) failed: {message}")
    own, children = (int(value) for value in report.read_text().split())
    unit = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, else KiB
    return own * unit / 1e6, children * unit / 1e6


def _interpreter_of(script: Path) -> str:
    """The Python a console script runs with (its shebang), else this one."""
    with script.open("rb") as handle:
        first = handle.readline().decode("utf-8", "replace")
    if first.startswith("#!") and "python" in first:
        return first[2:].strip().split()[0]
    return sys.executable


# ------------------------------------------------------------------------ reporting


def machine() -> list[str]:
    ffmpeg = find_ffmpeg()
    try:
        version = subprocess.run(
            [ffmpeg, "-version"], capture_output=True, text=True, check=True
        ).stdout.splitlines()[0]
    except (OSError, subprocess.CalledProcessError, IndexError):
        version = "unknown"
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return [
        f"machine : {platform.system()} {platform.release()}, {cpu}",
        f"cores   : {os.cpu_count()} ({usable} usable)",
        f"python  : {platform.python_version()} ({sys.executable})",
        f"narrate : {narrate.__version__} ({narrate_cli()})",
        f"ffmpeg  : {ffmpeg}",
        f"          {version}",
    ]


@dataclass
class Row:
    name: str
    value: str
    target: str = ""
    ok: bool | None = None


def table(rows: Sequence[Row]) -> str:
    width = max(len(row.name) for row in rows)
    value_width = max(len(row.value) for row in rows)
    target_width = max(len(row.target) for row in rows)
    lines = []
    for row in rows:
        verdict = "" if row.ok is None else ("ok" if row.ok else "MISSED")
        line = f"{row.name:<{width}}  {row.value:>{value_width}}  {row.target:<{target_width}}"
        lines.append(f"{line}  {verdict}".rstrip())
    return "\n".join(lines)


def seconds(values: Sequence[float]) -> str:
    return " ".join(f"{value:.2f}" for value in values)


# ----------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short run: smaller articles")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    mode = QUICK if args.quick else FULL
    began = time.perf_counter()
    print("\n".join(machine()))
    print(f"mode    : {'quick' if args.quick else 'full'} {mode}", flush=True)

    folder = Path(tempfile.mkdtemp(prefix="narrate-bench-"))
    try:
        return _run(mode, folder, began, quick=args.quick)
    finally:
        if args.keep:
            print(f"kept    : {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def _run(mode: Mode, folder: Path, began: float, *, quick: bool) -> int:
    cli = narrate_cli()
    one = build_article(folder, "article-1x", mode.copies)
    many = build_article(folder, "article-8x", SCALE * mode.copies)
    if not quick and one.words < MIN_WORDS:
        raise SystemExit(f"bench: the 1x article has only {one.words} words")
    floor = Floor(one.path, folder)
    out_one, out_many = folder / "out-1x.mp3", folder / "out-8x.mp3"

    warm = build_article(folder, "warm-up", 1)  # page cache, .pyc files, espeak data
    run_narrate(cli, warm.path, folder / "warm-up.mp3")

    narrate_1x: list[float] = []
    narrate_8x: list[float] = []
    synth: list[float] = []
    encode: list[float] = []
    duration_1x = duration_8x = 0.0
    steps: list[tuple[str, Callable[[], None]]] = []

    def narrate_one() -> None:
        nonlocal duration_1x
        narrate_1x.append(run_narrate(cli, one.path, out_one))
        duration_1x = audio_seconds(out_one)

    def floor_one() -> None:
        elapsed, pcm = floor.synthesize()
        synth.append(elapsed)
        encode.append(floor.encode(pcm, duration_1x))

    def narrate_many() -> None:
        nonlocal duration_8x
        narrate_8x.append(run_narrate(cli, many.path, out_many))
        duration_8x = audio_seconds(out_many)

    for number in range(mode.rounds):
        steps = [("narrate 1x", narrate_one), ("floor 1x", floor_one)]
        if number < mode.rounds_8x:
            steps.append(("narrate 8x", narrate_many))
        for name, step in steps:
            print(f"round {number + 1}/{mode.rounds}: {name} ...", flush=True)
            step()

    # an hour of audio (at least): as many copies as the 1x article's length needs
    copies = max(1, math.ceil(HOUR_S / (duration_1x / one.copies)))
    hour = build_article(folder, "article-hour", copies)
    out_hour = folder / "out-hour.mp3"
    print("memory: narrate >= 60 min of audio ...", flush=True)
    rss_narrate, rss_ffmpeg = peak_memory(cli, hour.path, out_hour, folder)
    duration_hour = audio_seconds(out_hour)

    floors = [s + e for s, e in zip(synth, encode)]
    wall_1x, floor_total = statistics.median(narrate_1x), statistics.median(floors)
    wall_8x = statistics.median(narrate_8x)
    ratio = wall_1x / floor_total
    cost_1x, cost_8x = wall_1x / duration_1x, wall_8x / duration_8x
    scaling = cost_8x / cost_1x

    rows = [
        Row("1x article", f"{one.words} words, {duration_1x / 60:.1f} min audio"),
        Row("8x article", f"{many.words} words, {duration_8x / 60:.1f} min audio"),
        Row(f"narrate 1x wall, median of {len(narrate_1x)}", f"{wall_1x:.2f} s"),
        Row("  runs", seconds(narrate_1x)),
        Row("floor: espeak synthesis, median", f"{statistics.median(synth):.2f} s"),
        Row("  runs", seconds(synth)),
        Row("floor: one ffmpeg MP3 encode, median", f"{statistics.median(encode):.2f} s"),
        Row("  runs", seconds(encode)),
        Row(f"floor total, median of {len(floors)}", f"{floor_total:.2f} s"),
        Row("narrate / floor", f"{ratio:.2f}", f"<= {FLOOR_TARGET}", ratio <= FLOOR_TARGET),
        Row("narrate 8x wall, median of " + str(len(narrate_8x)), f"{wall_8x:.2f} s"),
        Row("  runs", seconds(narrate_8x)),
        Row("cost per audio second 1x", f"{1000 * cost_1x:.2f} ms/s"),
        Row("cost per audio second 8x", f"{1000 * cost_8x:.2f} ms/s"),
        Row(
            "cost 8x / cost 1x", f"{scaling:.2f}", f"<= {SCALING_TARGET}", scaling <= SCALING_TARGET
        ),
        Row("memory article", f"{hour.words} words, {duration_hour / 60:.1f} min audio"),
        Row(
            "peak RSS narrate",
            f"{rss_narrate:.0f} MB",
            f"< {MEMORY_TARGET_MB:.0f} MB",
            rss_narrate < MEMORY_TARGET_MB,
        ),
        Row(
            "peak RSS ffmpeg",
            f"{rss_ffmpeg:.0f} MB",
            f"< {MEMORY_TARGET_MB:.0f} MB",
            rss_ffmpeg < MEMORY_TARGET_MB,
        ),
    ]
    if duration_hour < HOUR_S:
        rows.append(Row("memory article shorter than an hour", "", "", False))
    print()
    print(table(rows))
    missed = [row.name for row in rows if row.ok is False]
    print(f"\nbenchmark took {time.perf_counter() - began:.0f} s")
    if missed:
        print(f"MISSED: {', '.join(missed)}")
        return 1
    print("all targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
