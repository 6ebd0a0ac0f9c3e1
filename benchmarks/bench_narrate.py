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
3. **Memory.** Peak RSS of the narrate process and of its ffmpeg children while
   narrating at least an hour of audio: narrate's own high-water mark (VmHWM) from
   a fresh wrapper process that runs the CLI script in-process, and each ffmpeg
   run's ``ru_maxrss`` from ``wait4()`` in a small shim put first on ``PATH``.
   (``getrusage(RUSAGE_CHILDREN)`` alone would not do: on Linux a child's
   ``ru_maxrss`` includes what its parent had resident when it was spawned.)
   Target: each < 300 MB.

Timed runs are interleaved round by round (narrate 1x, floor, narrate 8x) and
the median of the rounds is reported. Every narrate run shares a bytecode cache
in the temporary folder, written by an untimed warm-up run, as an installed
package would have (even where ``PYTHONDONTWRITEBYTECODE`` is set). The exit
status is 1 when a target is missed, 2 when the benchmark itself could not run.
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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mutagen.mp3

import narrate
from narrate.article.load import load_article
from narrate.audio.ffmpeg import find_ffmpeg
from narrate.engines.espeak import EspeakEngine
from narrate.preview import preview_script
from narrate.settings import Settings
from narrate.speech.split import split_sentences

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
    """How big the articles are and how often each is narrated."""

    name: str
    floor_rounds: int
    """Interleaved rounds of narrate vs. floor on the >= 3,000-word article."""
    scale_sections: int | None
    """Sections of the 1x article for the scaling check (None: the floor's article)."""
    scale_rounds: int
    """Runs of the 1x and the 8x article for the scaling check."""


FULL = Mode("full", floor_rounds=3, scale_sections=None, scale_rounds=3)
QUICK = Mode("quick", floor_rounds=1, scale_sections=11, scale_rounds=1)
"""Quick: one floor round; 1x is 11 sections, so its 8x (about an hour of audio) is
narrated once, through the memory wrapper, and gives the peak memory too."""
FLOOR_SECTIONS = 32
"""Four copies of the samples' eight sections: over 3,000 words."""
SCALE = 8

# Runs the narrate console script in this fresh interpreter and writes its peak RSS
# in KiB. VmHWM is the high-water mark of this process's own memory; ru_maxrss would
# also count whatever its parent had resident at the moment it was spawned.
_MEMORY_WRAPPER = """
import resource, runpy, sys
report, script = sys.argv[1], sys.argv[2]
sys.argv = sys.argv[2:]

def peak_kib():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak

try:
    runpy.run_path(script, run_name="__main__")
finally:
    with open(report, "w") as handle:
        handle.write(str(peak_kib()))
"""

# Stands in for ffmpeg (first on PATH, which narrate prefers): runs the real one and
# appends its peak RSS, from wait4(), to a report. That figure is the larger of
# ffmpeg's own peak and this small shim's memory when it spawned ffmpeg (~10 MB).
_FFMPEG_SHIM = """#!{python} -S
import os, sys
real = os.environ["NARRATE_BENCH_FFMPEG"]
pid = os.posix_spawn(real, [real, *sys.argv[1:]], os.environ)
_, status, usage = os.wait4(pid, 0)
peak = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
with open(os.environ["NARRATE_BENCH_FFMPEG_REPORT"], "a") as handle:
    handle.write(f"{{peak}}\\n")
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


class BenchError(Exception):
    """The benchmark itself could not run (exit status 2)."""


# --------------------------------------------------------------------------- articles


@dataclass(frozen=True)
class Article:
    path: Path
    words: int
    sections: int


def sample_sections() -> list[tuple[str, tuple[str, ...]]]:
    """The German samples' sections as (heading, paragraphs); intros take the title."""
    sections = []
    for name in GERMAN_SAMPLES:
        article = load_article(SAMPLES / name)
        for section in article.sections:
            sections.append((section.heading or article.title, section.paragraphs))
    return sections


def build_article(folder: Path, name: str, sections: int) -> Article:
    """A Markdown article of ``sections`` sections, the samples' ones over and over.

    Each keeps its paragraphs under the subheading "Teil N: <heading>"; from the
    second time round every sentence ends with "(Folge N)", so no sentence is spoken
    twice (narrate would take a repeated one from its cache, the floor would not).
    """
    samples = sample_sections()
    lines = ["---", "lang: de", "---", "", "# Energie und Bücher: ein langer Bericht", ""]
    for number in range(sections):
        heading, paragraphs = samples[number % len(samples)]
        lines += [f"## Teil {number + 1}: {heading}", ""]
        round_ = number // len(samples)
        for paragraph in paragraphs:
            lines += [_told_again(paragraph, round_), ""]
    text = "\n".join(lines)
    path = folder / f"{name}.md"
    path.write_text(text, encoding="utf-8")
    body = text.split("---", 2)[2]
    return Article(path, len(re.findall(r"\w+", body)), sections)


def _told_again(paragraph: str, round_: int) -> str:
    """``paragraph`` with "(Folge N)" at the end of every sentence, from round 1 on."""
    if round_ == 0:
        return paragraph
    sentences = split_sentences(paragraph, "de")
    ending = re.compile(r"([.!?…“”»«\"]*)$")
    return " ".join(ending.sub(rf" (Folge {round_})\1", s, count=1) for s in sentences)


# ------------------------------------------------------------------------ measuring


def narrate_cli() -> Path:
    """The installed ``narrate`` command: beside this Python, else on ``PATH``."""
    beside = Path(sys.executable).parent / "narrate"
    found = beside if beside.exists() else shutil.which("narrate")
    if found is None:
        raise BenchError("the narrate command is not installed")
    return Path(found)


def narrate_command(cli: Path, article: Path, output: Path) -> list[str]:
    """The narrate run as users run it, with an empty chunk cache of its own.

    The cache stays on (its writes are part of the cost), but every run starts
    empty, so no run is served from an earlier one.
    """
    cache = tempfile.mkdtemp(prefix="cache-", dir=output.parent)
    command = [str(cli), str(article), "--engine", "espeak", "-q", "-o", str(output)]
    return [*command, "--cache-dir", cache]


def narrate_environment(folder: Path, *, write_bytecode: bool = False) -> dict[str, str]:
    """The environment of narrate runs: a bytecode cache of their own in ``folder``."""
    environment = dict(os.environ)
    environment["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    if write_bytecode:
        environment.pop("PYTHONDONTWRITEBYTECODE", None)
    return environment


def run_narrate(
    cli: Path, article: Path, output: Path, environment: dict[str, str] | None = None
) -> float:
    """Wall time of one ``narrate`` run, in seconds."""
    return timed_run(narrate_command(cli, article, output), environment, "narrate")


def timed_run(command: list[str], environment: dict[str, str] | None, what: str) -> float:
    """Run ``command`` and return its wall time in seconds; fail loudly on an error."""
    start = time.perf_counter()
    result = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, env=environment)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise BenchError(f"{what} failed ({result.returncode}): {message}")
    return elapsed


def audio_seconds(mp3: Path) -> float:
    """The MP3's exact duration (mutagen reads the Xing/LAME header)."""
    info: Any = mutagen.mp3.MP3(mp3).info  # type: ignore[no-untyped-call]
    return float(info.length)


class Floor:
    """The espeak engine's raw synthesis of the article's chunks + one MP3 encode."""

    def __init__(self, article: Path, folder: Path) -> None:
        settings = dataclasses.replace(Settings(), engine="espeak")
        script = preview_script(str(article), settings).script
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
            raise BenchError(f"ffmpeg failed: {result.stderr.decode(errors='replace')}")
        return elapsed


@dataclass(frozen=True)
class Memory:
    narrate_mb: float
    ffmpeg_mb: float
    ffmpeg_runs: int
    wall: float
    """Wall time of the run (the wrapper and the shim add a few ms)."""


def peak_memory(
    cli: Path, article: Path, output: Path, folder: Path, environment: dict[str, str]
) -> Memory:
    """Peak RSS of narrate (in a fresh wrapper) and of its ffmpeg runs (through a shim)."""
    report, ffmpeg_report = folder / "narrate-rss.txt", folder / "ffmpeg-rss.txt"
    ffmpeg_report.unlink(missing_ok=True)
    shims = folder / "shims"
    shims.mkdir(exist_ok=True)
    shim = shims / "ffmpeg"
    shim.write_text(_FFMPEG_SHIM.format(python=sys.executable))
    shim.chmod(0o755)
    environment = dict(environment)
    environment["PATH"] = f"{shims}{os.pathsep}{environment.get('PATH', '')}"
    environment["NARRATE_BENCH_FFMPEG"] = find_ffmpeg()
    environment["NARRATE_BENCH_FFMPEG_REPORT"] = str(ffmpeg_report)
    command = [_interpreter_of(cli), "-c", _MEMORY_WRAPPER, str(report)]
    command += narrate_command(cli, article, output)
    wall = timed_run(command, environment, "narrate (memory run)")
    # an MP3 is encoded in process (LAME): ffmpeg runs only as the fallback encoder
    ran = ffmpeg_report.read_text().split() if ffmpeg_report.exists() else []
    ffmpeg_peaks = [int(line) for line in ran] or [0]
    kib = 1024 / 1e6
    return Memory(int(report.read_text()) * kib, max(ffmpeg_peaks) * kib, len(ran), wall)


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
    note: str = ""


def table(rows: Sequence[Row]) -> str:
    """Columns: what, measured, target, verdict, details."""
    header = Row("measurement", "value", "target", None, "details")
    rows = [header, *rows]
    widths = [max(len(getattr(row, field)) for row in rows) for field in ("name", "value")]
    target_width = max(len(row.target) for row in rows)
    lines = []
    for row in rows:
        verdict = "" if row.ok is None else ("ok" if row.ok else "MISSED")
        if row is header:
            verdict = "result"
        lines.append(
            f"{row.name:<{widths[0]}}  {row.value:>{widths[1]}}  {row.target:<{target_width}}"
            f"  {verdict:<6}  {row.note}".rstrip()
        )
    lines.insert(1, "-" * max(len(line) for line in lines))
    return "\n".join(lines)


# ----------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short run: smaller articles")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    mode = QUICK if args.quick else FULL
    began = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="narrate-bench-"))
    try:
        print("\n".join(machine()))
        print(f"mode    : {mode.name}", flush=True)
        return _run(mode, folder, began)
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2
    finally:
        if args.keep:
            print(f"kept    : {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def _run(mode: Mode, folder: Path, began: float) -> int:
    cli = narrate_cli()
    article = build_article(folder, "article", FLOOR_SECTIONS)
    if article.words < MIN_WORDS:
        raise BenchError(f"the article has only {article.words} words")
    if mode.scale_sections is None:
        one = article
    else:
        one = build_article(folder, "article-1x", mode.scale_sections)
    many = build_article(folder, "article-8x", SCALE * one.sections)
    floor = Floor(article.path, folder)
    output = folder / "out.mp3"
    environment = narrate_environment(folder)
    # untimed: fills the bytecode cache and the page cache (espeak data, ffmpeg)
    warm = build_article(folder, "warm-up", 1)
    run_narrate(cli, warm.path, output, narrate_environment(folder, write_bytecode=True))

    narrated: list[float] = []
    synth: list[float] = []
    encode: list[float] = []
    walls_1x: list[float] = []
    walls_8x: list[float] = []
    seconds_1x = seconds_8x = duration = 0.0
    memory: Memory | None = None
    rounds = max(mode.floor_rounds, mode.scale_rounds)
    for number in range(rounds):
        label = f"round {number + 1}/{rounds}:"
        if number < mode.floor_rounds:
            _say(f"{label} narrate article")
            narrated.append(run_narrate(cli, article.path, output, environment))
            duration = audio_seconds(output)
            _say(f"{label} floor")
            elapsed, pcm = floor.synthesize()
            synth.append(elapsed)
            encode.append(floor.encode(pcm, duration))
            if one is article:
                walls_1x.append(narrated[-1])
                seconds_1x = duration
        if number < mode.scale_rounds and one is not article:
            _say(f"{label} narrate 1x")
            walls_1x.append(run_narrate(cli, one.path, output, environment))
            seconds_1x = audio_seconds(output)
        if number < mode.scale_rounds:
            _say(f"{label} narrate 8x")
            if mode.scale_sections is None:
                walls_8x.append(run_narrate(cli, many.path, output, environment))
            else:  # quick: the 8x article is about an hour, so it gives the memory too
                memory = peak_memory(cli, many.path, output, folder, environment)
                walls_8x.append(memory.wall)
            seconds_8x = audio_seconds(output)

    hour, seconds_hour = many, seconds_8x
    if memory is None or seconds_8x < HOUR_S:
        per_section = seconds_1x / one.sections
        hour = build_article(folder, "article-hour", math.ceil(1.05 * HOUR_S / per_section))
        _say("memory: narrate an hour of audio")
        memory = peak_memory(cli, hour.path, output, folder, environment)
        seconds_hour = audio_seconds(output)

    floors = [s + e for s, e in zip(synth, encode, strict=True)]
    wall, floor_total = statistics.median(narrated), statistics.median(floors)
    ratio = wall / floor_total
    cost_1x = statistics.median(walls_1x) / seconds_1x
    cost_8x = statistics.median(walls_8x) / seconds_8x
    scaling = cost_8x / cost_1x
    mb = f"< {MEMORY_TARGET_MB:.0f} MB"  # each process

    rows = [
        Row("article (floor check)", f"{duration / 60:.1f} min", note=f"{article.words} words"),
        Row(f"narrate wall, median of {len(narrated)}", f"{wall:.2f} s", note=_runs(narrated)),
        Row("floor: espeak synthesis", f"{statistics.median(synth):.2f} s", note=_runs(synth)),
        Row(
            "floor: one ffmpeg MP3 encode",
            f"{statistics.median(encode):.2f} s",
            note=_runs(encode),
        ),
        Row(f"floor total, median of {len(floors)}", f"{floor_total:.2f} s", note=_runs(floors)),
        Row("narrate / floor", f"{ratio:.2f}", f"<= {FLOOR_TARGET}", ratio <= FLOOR_TARGET),
        Row("1x article", f"{seconds_1x / 60:.1f} min", note=f"{one.words} words"),
        Row("8x article", f"{seconds_8x / 60:.1f} min", note=f"{many.words} words"),
        Row("narrate 1x wall", f"{statistics.median(walls_1x):.2f} s", note=_runs(walls_1x)),
        Row("narrate 8x wall", f"{statistics.median(walls_8x):.2f} s", note=_runs(walls_8x)),
        Row("cost per audio second 1x", f"{1000 * cost_1x:.2f} ms"),
        Row("cost per audio second 8x", f"{1000 * cost_8x:.2f} ms"),
        Row(
            "cost 8x / cost 1x", f"{scaling:.2f}", f"<= {SCALING_TARGET}", scaling <= SCALING_TARGET
        ),
        Row("memory article", f"{seconds_hour / 60:.1f} min", note=f"{hour.words} words"),
        Row(
            "peak RSS narrate",
            f"{memory.narrate_mb:.0f} MB",
            mb,
            memory.narrate_mb < MEMORY_TARGET_MB,
            "VmHWM of the narrate process",
        ),
        Row(
            "peak RSS ffmpeg",
            f"{memory.ffmpeg_mb:.0f} MB",
            mb,
            memory.ffmpeg_mb < MEMORY_TARGET_MB,
            f"largest of its {memory.ffmpeg_runs} ffmpeg runs",
        ),
    ]
    if seconds_hour < HOUR_S:
        rows.append(Row("memory article lasts an hour", "no", ">= 60 min", False))
    print()
    print(table(rows))
    missed = [row.name for row in rows if row.ok is False]
    print(f"\nbenchmark took {time.perf_counter() - began:.0f} s ({mode.name} run)")
    if missed:
        print(f"MISSED: {', '.join(missed)}")
        return 1
    print("all targets met")
    return 0


def _runs(values: Sequence[float]) -> str:
    return "runs: " + " ".join(f"{value:.2f}" for value in values)


def _say(message: str) -> None:
    print(message, flush=True)


if __name__ == "__main__":
    sys.exit(main())
