"""The command line: the one place that turns errors into messages and exit codes.

``narrate ARTICLE`` is short for ``narrate speak ARTICLE``; the other commands
are utilities (``engines``, ``voices``, ``voices download``, ``script``, ``feed``, ``cache``).
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from typer.core import TyperGroup

from narrate import __version__
from narrate.batch.jobs import BatchJob, JobResult, JobStatus
from narrate.batch.plan import MANIFEST_NAME, BatchPlan, PlanProblem, is_batch
from narrate.batch.run import BatchEvent, JobFinished, WorkFunction
from narrate.clock import clock
from narrate.config import Config, load_config
from narrate.engines.piper import VOICES_ENV, voices_folder
from narrate.engines.registry import default_registry
from narrate.errors import (
    EXIT_BROKEN_PIPE,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_TERMINATED,
    NarrateError,
    Terminated,
    UsageError,
)
from narrate.outputs import FORMATS as AUDIO_SUFFIXES
from narrate.outputs import STDOUT
from narrate.settings import AudioSettings, Pauses, Settings, TagSettings
from narrate.wording import counted

if TYPE_CHECKING:  # the pipeline, the encoder and the downloader load when a command needs them
    from narrate.batch.orchestrate import BatchReport
    from narrate.engines.cache import ChunkCache
    from narrate.engines.voice_download import DownloadProgress
    from narrate.pipeline import Narration, ProgressCallback

__all__ = ["app", "main"]

DEFAULT_COMMAND = "speak"
P = ParamSpec("P")
R = TypeVar("R")
log = logging.getLogger("narrate")


_GROUP_FLAGS = frozenset({"--help", "-h", "--version", "--install-completion", "--show-completion"})
"""Options of ``narrate`` itself, which never start the default command."""


class _DefaultCommandGroup(TyperGroup):
    """Route ``narrate ARTICLE [OPTIONS]`` to the ``speak`` command."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        result: list[str] = super().parse_args(ctx, self._routed(args))
        return result

    def _routed(self, args: Sequence[str]) -> list[str]:
        """``args`` with ``speak`` put first when they name no command."""
        if args and args[0] not in self.commands and args[0] not in _GROUP_FLAGS:
            return [DEFAULT_COMMAND, *args]
        return list(args)

    def command_path(self, args: Sequence[str]) -> str:
        """The command ``args`` run, as its help names it: ``narrate voices download``."""
        words: list[str] = ["narrate"]
        command: Any = self
        for arg in self._routed(args):
            command = getattr(command, "commands", {}).get(arg)
            if command is None:
                break
            words.append(arg)
        return " ".join(words)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command line; a bad option or argument is one stderr line and exit 2."""
        try:
            result = super().main(
                args, prog_name, complete_var, False, windows_expand_args, **extra
            )
        except Exception as error:
            if standalone_mode and _is_click_error(error):
                given = sys.argv[1:] if args is None else args
                sys.exit(_report_click_error(error, self.command_path(given)))
            raise
        if not standalone_mode:
            return result
        sys.exit(result if isinstance(result, int) else 0)


def _is_click_error(error: Exception) -> bool:
    """A usage error or abort of the click that typer runs on (its own copy in newer typer)."""
    names = {cls.__name__ for cls in type(error).__mro__}
    return bool(names & {"ClickException", "Abort"})


def _report_click_error(error: Any, command: str) -> int:
    """Say what was wrong on one line (the help has shown itself already); the exit code.

    ``command`` names the command the arguments were for, when click's error does not.
    """
    if type(error).__name__ == "Abort":
        typer.echo("narrate: aborted", err=True)
        return EXIT_FAILED
    if type(error).__name__ != "NoArgsIsHelpError":
        typer.echo(f"narrate: error: {_usage_message(error, command)}", err=True)
    return int(error.exit_code)


def _usage_message(error: Any, command: str) -> str:
    """Click's message on one line, with where to read the command's options."""
    message = " ".join(error.format_message().split()).rstrip(".")
    context = getattr(error, "ctx", None)
    if context is not None:
        command = context.command_path
    return f"{message} (see '{command} -h')"


app = typer.Typer(
    cls=_DefaultCommandGroup,
    name="narrate",
    help=(
        "Turn written articles into narrated, chaptered audio. German first.\n\n"
        "`narrate ARTICLE [OPTIONS]` is short for `narrate speak ARTICLE [OPTIONS]`."
    ),
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@dataclass
class _Output:
    """Where messages go and how many: quiet, normal or verbose."""

    verbosity: int = 0

    @property
    def quiet(self) -> bool:
        return self.verbosity < 0

    def say(self, message: str) -> None:
        """One line on stderr, unless quiet."""
        if not self.quiet:
            typer.echo(f"narrate: {message}", err=True)


_output = _Output()


def _cli_edge(command: Callable[P, R]) -> Callable[P, R]:
    """Turn narrate's errors into one stderr line and the documented exit code."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except NarrateError as error:
            _report(error)
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt as stop:
            terminated = isinstance(stop, Terminated)
            how = "terminated" if terminated else "interrupted"
            typer.echo(f"narrate: {how}; nothing was written", err=True)
            raise typer.Exit(EXIT_TERMINATED if terminated else EXIT_INTERRUPTED) from None
        except BrokenPipeError:  # `narrate engines | head -1`: the reader has all it wants
            _silence_stdout()
            raise typer.Exit(EXIT_BROKEN_PIPE) from None
        except OSError as error:  # disk full, permissions: the run failed, say why
            _report(NarrateError(f"{error.strerror or error}: {error.filename or ''}".strip()))
            raise typer.Exit(EXIT_FAILED) from None

    return wrapper


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so Python's flush at exit does not fail again."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _report(error: NarrateError) -> None:
    if _output.verbosity > 0:
        traceback.print_exception(error, file=sys.stderr)
    typer.echo(f"narrate: error: {error}", err=True)


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Log to the current ``sys.stderr``, so messages land above a live progress bar."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        """The stream is always the current stderr; the handler's own is ignored."""


def _configure(verbose: int, quiet: bool) -> None:
    """Set verbosity and logging once per command run (never at import)."""
    _output.verbosity = -1 if quiet else verbose
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter("narrate: %(levelname)s: %(message)s"))
    log.handlers[:] = [handler]
    log.propagate = False
    levels = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}
    log.setLevel(levels.get(_output.verbosity, logging.DEBUG))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"narrate {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Turn written articles into narrated, chaptered audio. German first.

    `narrate ARTICLE [OPTIONS]` is short for `narrate speak ARTICLE [OPTIONS]`.
    """


# Options shared by the commands that read an article.
ArticleArg = Annotated[
    str,
    typer.Argument(
        help="Article: a file (.txt, .md, .html), an http(s) URL, or '-' for standard input.",
        metavar="ARTICLE",
    ),
]
EngineOpt = Annotated[
    str | None, typer.Option("--engine", "-e", help="Engine name, or 'auto'. [default: auto]")
]
VoiceOpt = Annotated[str | None, typer.Option("--voice", help="Voice id of the engine.")]
LangOpt = Annotated[
    str | None, typer.Option("--lang", "-l", help="Language code, or 'auto'. [default: auto]")
]
ConfigOpt = Annotated[Path | None, typer.Option("--config", help="Config file (TOML).")]
KeepOpt = Annotated[
    bool, typer.Option("--keep-boilerplate", help="Also read player labels, forms and credits.")
]
VerboseOpt = Annotated[
    int, typer.Option("--verbose", "-v", count=True, help="More detail (-vv for debug).")
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Only errors on stderr.")]
CacheDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--cache-dir", help="Chunk cache folder. [default: $NARRATE_CACHE_DIR or user cache]"
    ),
]
VoicesDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--voices-dir",
        help="Piper voices folder; overrides the config's voices_dir and $NARRATE_VOICES. "
        "[default: $NARRATE_VOICES or the user data folder]",
    ),
]
LexiconOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--lexicon",
        help="Pronunciation lexicon (TOML or TSV); repeat for more. Adds to the config's.",
    ),
]


@app.command(DEFAULT_COMMAND)
@_cli_edge
def speak(
    articles: Annotated[
        list[str],
        typer.Argument(
            help=(
                "Article: a file (.txt, .md, .html), an http(s) URL, or '-' for standard input. "
                "Folders, several files or quoted patterns narrate a batch."
            ),
            metavar="ARTICLE...",
        ),
    ],
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help=(
                "Audio file (.mp3 .wav .ogg .opus .m4a) or '-' for stdout; "
                "for a batch, the output folder. [default: beside the article]"
            ),
        ),
    ] = None,
    engine: EngineOpt = None,
    voice: VoiceOpt = None,
    lang: LangOpt = None,
    speed: Annotated[
        float | None, typer.Option("--speed", help="Speaking rate, 0.5 to 2.0. [default: 1.0]")
    ] = None,
    sentence_pause: Annotated[
        int | None, typer.Option("--sentence-pause", help="Pause after a sentence, ms.")
    ] = None,
    paragraph_pause: Annotated[
        int | None, typer.Option("--paragraph-pause", help="Pause after a paragraph, ms.")
    ] = None,
    section_pause: Annotated[
        int | None, typer.Option("--section-pause", help="Pause before a subheading, ms.")
    ] = None,
    title_pause: Annotated[
        int | None, typer.Option("--title-pause", help="Pause after the title, ms.")
    ] = None,
    bitrate: Annotated[
        str | None, typer.Option("--bitrate", help="Bitrate for lossy formats. [default: 64k]")
    ] = None,
    loudness: Annotated[
        float | None, typer.Option("--loudness", help="Target loudness, LUFS. [default: -16]")
    ] = None,
    no_normalize: Annotated[
        bool, typer.Option("--no-normalize", help="Leave loudness as the engine made it.")
    ] = False,
    captions: Annotated[
        bool, typer.Option("--captions", help="Also write ARTICLE.vtt and ARTICLE.json timings.")
    ] = False,
    html: Annotated[
        bool,
        typer.Option(
            "--html",
            help="Also write ARTICLE.html, a read-along player page, and ARTICLE.embed.html.",
        ),
    ] = False,
    artist: Annotated[str | None, typer.Option("--artist", help="Author credit (tag).")] = None,
    publisher: Annotated[
        str | None, typer.Option("--publisher", help="Publication name (tag).")
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="Publication date YYYY-MM-DD (tag).")
    ] = None,
    keep_boilerplate: KeepOpt = False,
    lexicon: LexiconOpt = None,
    cache_dir: CacheDirOpt = None,
    voices_dir: VoicesDirOpt = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither reuse nor store rendered chunks.")
    ] = False,
    concurrency: Annotated[
        int | None,
        typer.Option(
            "--concurrency", help="Chunk requests at once, for engines that allow it. [default: 4]"
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", help="Batch: articles at once. [default: CPU count]"),
    ] = None,
    globs: Annotated[
        list[str] | None,
        typer.Option(
            "--glob",
            help="Batch: which files in folders, e.g. '*.md'; repeatable. [default: "
            "*.txt *.md *.markdown *.html *.htm]",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Batch: narrate again even what is up to date.")
    ] = False,
    executor: Annotated[
        str | None,
        typer.Option(
            "--executor",
            help="Batch: 'local' worker processes, or a Dask scheduler dask://HOST:PORT.",
        ),
    ] = None,
    config: ConfigOpt = None,
    verbose: VerboseOpt = 0,
    quiet: QuietOpt = False,
) -> None:
    """Narrate ARTICLE into one chaptered audio file (ARTICLE.mp3 by default).

    Given a folder, several articles or a quoted pattern, narrate them all as a
    batch: same relative paths under -o, in parallel, skipping what is up to date.
    """
    _configure(verbose, quiet)
    file_config = load_config(config)
    _use_voices_dir(voices_dir, file_config)
    cli_values = {
        "engine": engine,
        "voice": voice,
        "lang": lang,
        "speed": speed,
        "sentence_ms": sentence_pause,
        "paragraph_ms": paragraph_pause,
        "section_ms": section_pause,
        "title_ms": title_pause,
        "bitrate": bitrate,
        "loudness": loudness,
        "normalize": False if no_normalize else None,
        "artist": artist,
        "publisher": publisher,
        "date": date,
        "keep_boilerplate": True if keep_boilerplate else None,
        "cache": False if no_cache else None,
        "concurrency": concurrency,
        "cache_dir": cache_dir,
    }
    settings = _settings(file_config, cli_values, captions=captions, html=html, lexicons=lexicon)
    if is_batch(articles):
        batch = _BatchOptions(articles, output, jobs, tuple(globs or ()), force, executor)
        raise typer.Exit(_run_batch(batch, settings))
    from narrate.pipeline import default_output, narrate

    [article] = articles
    _refuse_terminal(output if output is not None else default_output(article))
    with _interruptible() as check_interrupt, _progress() as show_progress:

        def on_progress(done: int, total: int) -> None:
            check_interrupt()
            if show_progress is not None:
                show_progress(done, total)

        # no -o: the pipeline derives the name, and keeps a file there that narrate did not make
        result = narrate(article, output, settings=settings, on_progress=on_progress)
    _summarize(result)
    if result.output is not None:
        _warn_about_stale_sidecars(result.output, settings)


def _warn_about_stale_sidecars(audio: Path, settings: Settings) -> None:
    """Name the captions and pages an earlier run made for this audio that this one did
    not remake: their timings are the old audio's (a batch removes such files itself)."""
    checks = _sidecars_not_remade(audio, settings)
    stale = [str(path) for path, made in checks.items() if path.is_file() and made(path)]
    if stale:
        log.warning(
            "kept from an earlier narration, with the old audio's timings: %s "
            "(refresh them with --captions/--html, or delete them)",
            ", ".join(stale),
        )


def _sidecars_not_remade(audio: Path, settings: Settings) -> dict[Path, Callable[[Path], bool]]:
    """The captions and pages this run did not write, each with how to tell that
    narrate wrote it for ``audio`` (a page made for ``a.mp3`` is not ``a.ogg``'s)."""
    from narrate.outputs import is_narrates_page, is_narrates_snippet
    from narrate.pipeline import timing_paths
    from narrate.publish.captions import written_by_narrate
    from narrate.publish.player import page_names
    from narrate.publish.urls import path_to_url

    def plays_it(page: Path) -> bool:
        src = f'src="{path_to_url(audio.name)}"'
        return src in page.read_text(encoding="utf-8", errors="replace")

    checks: dict[Path, Callable[[Path], bool]] = {}
    if not settings.captions:
        checks |= dict.fromkeys(timing_paths(audio), written_by_narrate)
    if not settings.html:
        page, narrated_page, snippet = page_names(audio)
        for path in (page, narrated_page):
            checks[path] = lambda path: is_narrates_page(path) and plays_it(path)
        checks[snippet] = lambda path: is_narrates_snippet(path) and plays_it(path)
    return checks


def _settings(
    file_config: Config,
    cli_values: dict[str, Any],
    *,
    captions: bool,
    html: bool = False,
    lexicons: list[Path] | None = None,
) -> Settings:
    """Merge config-file values with command-line values (the command line wins).

    Lexicons add up: the config file's first, then the command line's.
    """
    values = {**file_config, **{k: v for k, v in cli_values.items() if v is not None}}
    pause_names = {"chunk_ms", "sentence_ms", "paragraph_ms", "section_ms", "title_ms"}
    audio_names = {"bitrate", "loudness", "normalize"}
    tag_names = {"artist", "publisher", "date"}
    pick = functools.partial(_pick, values)
    return Settings(
        engine=values.get("engine", "auto"),
        voice=values.get("voice"),
        lang=values.get("lang", "auto"),
        speed=values.get("speed", 1.0),
        pauses=Pauses(**pick(pause_names)),
        audio=AudioSettings(**pick(audio_names)),
        tags=TagSettings(**pick(tag_names)),
        keep_boilerplate=values.get("keep_boilerplate", False),
        boilerplate_patterns=values.get("patterns", ()),
        captions=captions,
        html=html,
        lexicons=(*file_config.get("lexicons", ()), *(lexicons or ())),
        cache=values.get("cache", True),
        cache_dir=values.get("cache_dir"),
        cache_max_mb=values.get("cache_max_mb", 2048),
        concurrency=values.get("concurrency", 4),
    )


def _pick(values: dict[str, Any], names: set[str]) -> dict[str, Any]:
    return {name: values[name] for name in names if name in values}


def _use_voices_dir(option: Path | None, file_config: Config) -> Path:
    """Point the Piper voices folder at ``--voices-dir``, else the config's ``voices_dir``.

    The folder is process-wide (``$NARRATE_VOICES``), so this sets that variable, which
    worker processes inherit too. Without either, ``$NARRATE_VOICES`` or the user data
    folder stays. Returns the folder in use.
    """
    chosen = option if option is not None else file_config.get("voices_dir")
    if chosen is not None:
        os.environ[VOICES_ENV] = str(Path(chosen).expanduser().resolve())
    return voices_folder()


@dataclass(frozen=True)
class _BatchOptions:
    """What the command line says about a batch."""

    sources: list[str]
    output: str | None
    jobs: int | None
    globs: tuple[str, ...]
    force: bool
    executor: str | None


def _run_batch(batch: _BatchOptions, settings: Settings) -> int:
    """Narrate a batch with a live display; print the summary; return the exit code."""
    from narrate.batch.display import live_display
    from narrate.batch.orchestrate import narrate_batch
    from narrate.batch.run import dask_address, default_workers

    out_dir = _batch_folder(batch.output)
    if batch.jobs is not None and batch.jobs < 1:
        raise UsageError(f"--jobs {batch.jobs} is out of range", "use 1 or more")
    local = dask_address(batch.executor) is None
    workers = batch.jobs or (default_workers() if local else None)  # Dask: the cluster's size
    console = Console(stderr=True)
    with contextlib.ExitStack() as stack, _interruptible():
        shown: list[Callable[[BatchEvent], None]] = []

        def on_plan(todo: int, skipped: int) -> None:
            slots = max(1, min(workers or 1, todo))
            total = todo + skipped
            display = live_display(
                total, skipped=skipped, workers=slots, console=console, quiet=_output.quiet
            )
            shown.append(stack.enter_context(display))

        def on_event(event: BatchEvent) -> None:
            _warn_about(event, console)
            for handler in shown:
                handler(event)

        report = narrate_batch(
            batch.sources, out_dir, settings, globs=batch.globs, force=batch.force,
            workers=workers, executor=batch.executor, on_event=on_event, on_plan=on_plan,
        )  # fmt: skip
    _print_summary(console, report.results, len(report.skipped), report.wall_seconds)
    return _batch_exit(report)


def _print_summary(
    console: Console, results: Sequence[JobResult], skipped: int, wall_seconds: float
) -> None:
    """The summary table, or with -q only the errors: a FAILED line per failure."""
    from narrate.batch.display import failure_lines, summary_table

    if _output.quiet:
        for line in failure_lines(results):
            console.print(line, soft_wrap=True)
    else:
        console.print(summary_table(results, skipped, wall_seconds), soft_wrap=True)


def _batch_folder(output: str | None) -> Path | None:
    """The ``-o`` of a batch: a folder, never stdout or an audio file name."""
    if output is None:
        return None
    if output == STDOUT:
        raise UsageError("a batch cannot write to stdout", "give -o FOLDER")
    folder = Path(output)
    if folder.suffix.lower() in AUDIO_SUFFIXES and not folder.is_dir():
        raise UsageError(f"-o {output} looks like an audio file", "a batch needs -o FOLDER")
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"-o {output} is a file", "a batch needs -o FOLDER")
    return folder


def _batch_exit(report: BatchReport) -> int:
    if report.interrupted:
        left = len(report.not_started)
        _output.say(f"interrupted: {counted(left, 'article')} not narrated; run again to resume")
        return EXIT_INTERRUPTED
    where = report.out_dir / MANIFEST_NAME
    _output.say(
        f"{len(report.done)} narrated, {len(report.skipped)} up to date, "
        f"{len(report.failed)} failed; manifest {where}"
    )
    return EXIT_FAILED if report.failed else 0


def _refuse_terminal(destination: str | Path) -> None:
    if str(destination) == STDOUT and sys.stdout.isatty():
        raise UsageError("refusing to write audio to a terminal", "redirect stdout or use -o FILE")


_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
"""Signals that stop a run cleanly: Ctrl-C, and SIGTERM (``timeout``, ``docker stop``)."""


@contextmanager
def _interruptible() -> Iterator[Callable[[], None]]:
    """Make Ctrl-C stop a run even when it lands inside an engine's C callback.

    ctypes only prints an exception raised in a callback (espeak calls back into
    Python while it speaks), so a KeyboardInterrupt could be lost there. The
    handler also records the signal, and the returned check raises it again at
    the next utterance.
    """
    stops: list[KeyboardInterrupt] = []

    def on_sigint(signum: int, frame: object) -> None:
        stops.append(Terminated() if signum == signal.SIGTERM else KeyboardInterrupt())
        raise stops[-1]

    def check() -> None:
        if stops:
            raise stops[0]

    def quiet_about_interrupts(report: Any) -> None:
        if not isinstance(report.exc_value, KeyboardInterrupt):
            previous_hook(report)

    if threading.current_thread() is not threading.main_thread():
        yield check
        return
    previous_hook = sys.unraisablehook
    previous = {number: signal.signal(number, on_sigint) for number in _STOP_SIGNALS}
    sys.unraisablehook = quiet_about_interrupts
    try:
        yield check
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        sys.unraisablehook = previous_hook


@contextmanager
def _progress() -> Iterator[ProgressCallback | None]:
    """A progress bar on stderr when stderr is a terminal and not quiet."""
    if _output.quiet or not sys.stderr.isatty():
        yield None
        return
    console = Console(stderr=True)
    columns = (
        TextColumn("[bold]narrating"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("sentences"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("narrating", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield advance


def _summarize(result: Narration) -> None:
    if result.engine_note:
        _output.say(result.engine_note)
    where = str(result.output) if result.output is not None else "stdout"
    extra = "".join(f", {path}" for path in result.timing_files)
    _output.say(
        f"wrote {where}{extra}: {clock(result.duration_ms)}, "
        f"{counted(len(result.sentences), 'sentence')}, "
        f"{counted(len(result.chapters), 'chapter')}, {result.engine} voice {result.voice}, "
        f"language {result.language_note}{_from_cache(result)}"
    )


def _from_cache(result: Narration) -> str:
    if not result.cached_sentences:
        return ""
    return f"; {result.cached_sentences} of {len(result.sentences)} sentences from cache"


@app.command("engines")
@_cli_edge
def engines(
    voices_dir: VoicesDirOpt = None,
    config: ConfigOpt = None,
    verbose: VerboseOpt = 0,
    quiet: QuietOpt = False,
) -> None:
    """List the installed engines and whether each can run here right now."""
    _configure(verbose, quiet)
    _use_voices_dir(voices_dir, load_config(config))
    registry = default_registry()
    for name in registry.names():
        status = registry.status(name)
        state = "usable" if status.usable else "unavailable"
        reason = f"  ({status.reason})" if status.reason else ""
        typer.echo(f"{name:<10} {state}{reason}")


voices_app = typer.Typer(
    help="List voices; `narrate voices download NAME` installs a Piper voice.",
    no_args_is_help=False,
)
app.add_typer(voices_app, name="voices")


@voices_app.callback(invoke_without_command=True)
@_cli_edge
def voices(
    ctx: typer.Context,
    engine: EngineOpt = None,
    lang: LangOpt = None,
    voices_dir: VoicesDirOpt = None,
    config: ConfigOpt = None,
    verbose: VerboseOpt = 0,
    quiet: QuietOpt = False,
) -> None:
    """List voices: engine, voice id, languages, name (tab-separated).

    `narrate voices download NAME` installs a Piper voice.
    """
    _configure(verbose, quiet)
    _use_voices_dir(voices_dir, load_config(config))
    if ctx.invoked_subcommand is not None:
        return
    registry = default_registry()
    names = [engine] if engine and engine != "auto" else registry.names()
    for name in names:
        listed = 0
        for voice in registry.create(name).voices():
            if lang and not any(_speaks(code, lang) for code in voice.languages):
                continue
            typer.echo(f"{name}\t{voice.id}\t{','.join(voice.languages)}\t{voice.name}")
            listed += 1
        if not listed and name == engine:
            _say_why_no_voices(name, lang, registry.status(name).reason)


def _say_why_no_voices(engine: str, lang: str | None, reason: str) -> None:
    """One stderr line when the engine asked for has no voice to list."""
    which = f" for {lang}" if lang else ""
    _output.say(f"no {engine} voices{which}" + (f" ({reason})" if reason else ""))


@voices_app.command("download")
@_cli_edge
def voices_download(
    names: Annotated[
        list[str],
        typer.Argument(help="Piper voice names, e.g. de_DE-thorsten-medium.", metavar="NAME"),
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Download again even when already installed.")
    ] = False,
    voices_dir: VoicesDirOpt = None,
    config: ConfigOpt = None,
    verbose: VerboseOpt = 0,
    quiet: QuietOpt = False,
) -> None:
    """Download Piper voices into the voices folder (needs the internet).

    The voices come from $NARRATE_VOICES_URL, else Piper's repository on Hugging Face.
    """
    if verbose or quiet:  # `narrate voices` already configured output; these win
        _configure(verbose, quiet)
    # `narrate voices` already applied its --voices-dir or the default config file.
    from narrate.engines.voice_download import check_voice_name

    folder = _use_voices_dir(voices_dir, load_config(config) if config else {})
    for name in names:
        check_voice_name(name)
    for name in names:
        _download_one(name, folder, force=force)


def _download_one(name: str, folder: Path, *, force: bool) -> None:
    """Install one voice, with a progress bar, and say what happened."""
    from narrate.engines.voice_download import download_voice, is_installed, voice_files

    if not force and is_installed(name, folder):
        _output.say(f"{name} is already installed in {folder} (--force downloads it again)")
        return
    with _download_progress(name) as on_progress:
        download_voice(name, folder, on_progress=on_progress, force=force)
    files = voice_files(name, folder)
    size = files.model.stat().st_size + files.config.stat().st_size
    _output.say(f"installed {name} in {folder} ({size / 1e6:.1f} MB)")


@contextmanager
def _download_progress(name: str) -> Iterator[DownloadProgress | None]:
    """A byte progress bar on stderr when stderr is a terminal and not quiet."""
    if _output.quiet or not sys.stderr.isatty():
        yield None
        return
    columns = (
        TextColumn(f"[bold]{name}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(name, total=None)

        def advance(done: int, total: int | None) -> None:
            progress.update(task, completed=done, total=total)

        yield advance


def _speaks(code: str, lang: str) -> bool:
    code, lang = code.lower(), lang.lower()
    return code == lang or code.startswith(f"{lang}-")


@app.command("script")
@_cli_edge
def script(
    article: ArticleArg,
    engine: EngineOpt = None,
    lang: LangOpt = None,
    lexicon: LexiconOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    keep_boilerplate: KeepOpt = False,
    voices_dir: VoicesDirOpt = None,
    config: ConfigOpt = None,
    verbose: VerboseOpt = 0,
    quiet: QuietOpt = False,
) -> None:
    """Print what will be spoken, with pauses and chunk boundaries, without audio."""
    from narrate.preview import preview_script, script_as_json, script_as_text

    _configure(verbose, quiet)
    values = {"engine": engine, "lang": lang, "keep_boilerplate": keep_boilerplate or None}
    file_config = load_config(config)
    _use_voices_dir(voices_dir, file_config)
    settings = _settings(file_config, values, captions=False, lexicons=lexicon)
    prepared = preview_script(article, settings)
    if as_json:
        document = script_as_json(prepared, settings)
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        typer.echo(script_as_text(prepared, settings))


@app.command("feed")
@_cli_edge
def feed(
    folder: Annotated[
        Path,
        typer.Argument(help="Folder of narrated audio (searched recursively).", metavar="OUTDIR"),
    ],
    base_url: Annotated[
        str, typer.Option("--base-url", help="Public http(s) URL where OUTDIR is served.")
    ],
    title: Annotated[str, typer.Option("--title", help="The podcast's title.")],
    image: Annotated[str | None, typer.Option("--image", help="Cover art URL.")] = None,
    description: Annotated[
        str | None, typer.Option("--description", help="Podcast description.")
    ] = None,
    author: Annotated[str | None, typer.Option("--author", help="itunes:author.")] = None,
    category: Annotated[str, typer.Option("--category", help="itunes:category.")] = "News",
    lang: Annotated[
        str | None,
        typer.Option("--lang", "-l", help="Feed language (default: the episodes' most common)."),
    ] = None,
    link: Annotated[
        str | None,
        typer.Option("--link", help="The podcast's website (default: the --base-url folder)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Feed file (default: OUTDIR/feed.xml).")
    ] = None,
    verbose: VerboseOpt = 0,
    quiet: QuietOpt = False,
) -> None:
    """Write a podcast feed (RSS 2.0, iTunes, Podcasting 2.0 chapters) for a folder."""
    from narrate.publish.feed import FeedOptions, write_feed

    _configure(verbose, quiet)
    options = FeedOptions(base_url, title, description, author, image, category, lang, link)
    result = write_feed(folder, options, output)
    count = len(result.episodes)
    _output.say(f"wrote {result.path.name}: {count} episode{'' if count == 1 else 's'}")


@app.command("embed")
@_cli_edge
def embed(
    pages: Annotated[
        list[str],
        typer.Argument(help="HTML article pages, or folders of them.", metavar="PAGES..."),
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Write the pages and audio here (same relative paths), not in place."
        ),
    ] = None,
    audio_base_url: Annotated[
        str | None,
        typer.Option(
            "--audio-base-url",
            help="Address the audio as URL/PATH (e.g. a CDN); default: relative to the page.",
        ),
    ] = None,
    engine: EngineOpt = None,
    voice: VoiceOpt = None,
    lang: LangOpt = None,
    speed: Annotated[
        float | None, typer.Option("--speed", help="Speaking rate, 0.5 to 2.0.")
    ] = None,
    lexicon: LexiconOpt = None,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", help="Pages at once. [default: CPU count]")
    ] = None,
    cache_dir: CacheDirOpt = None,
    config: ConfigOpt = None,
    verbose: VerboseOpt = 0,
    quiet: QuietOpt = False,
) -> None:
    """Narrate article pages and insert the read-along player at the top of each article.

    Pages change in place (atomically) unless --out is given; running it again
    replaces the player instead of adding another.
    """
    from narrate.publish.embed import EmbedOptions, embed_page, plan_embed

    _configure(verbose, quiet)
    values = {
        "engine": engine,
        "voice": voice,
        "lang": lang,
        "speed": speed,
        "cache_dir": cache_dir,
    }
    settings = _settings(load_config(config), values, captions=False, lexicons=lexicon)
    if jobs is not None and jobs < 1:
        raise UsageError(f"--jobs {jobs} is out of range", "use 1 or more")
    plan = plan_embed(pages, out)
    options = EmbedOptions(out, audio_base_url, plan.out_dir)
    work = functools.partial(embed_page, options=options)
    raise typer.Exit(_run_pages(plan, settings, work, jobs))


def _run_pages(plan: BatchPlan, settings: Settings, work: WorkFunction, jobs: int | None) -> int:
    """Run ``work`` on every planned page with the live display; summary; the exit code."""
    from narrate.batch.display import live_display
    from narrate.batch.run import default_workers, run_jobs

    workers = jobs or default_workers()
    problems = [JobResult(_problem_job(p), JobStatus.FAILED, error=p.reason) for p in plan.problems]
    results: list[JobResult] = list(problems)
    start = time.perf_counter()
    slots = max(1, min(workers, len(plan.jobs)))
    console = Console(stderr=True)
    display = live_display(len(plan.jobs), workers=slots, console=console, quiet=_output.quiet)
    try:
        with _interruptible(), display as show:

            def on_event(event: BatchEvent) -> None:
                _warn_about(event, console)
                show(event)

            for result in run_jobs(
                plan.jobs, settings, workers=workers, on_event=on_event, work=work
            ):
                results.append(result)
    except KeyboardInterrupt:
        finished = sum(result.status is JobStatus.DONE for result in results)
        _output.say(
            f"interrupted: player in {counted(finished, 'page')}, "
            f"{counted(len(plan.jobs) - finished, 'page')} untouched"
        )
        return EXIT_INTERRUPTED
    _print_summary(console, results, 0, time.perf_counter() - start)
    failed = sum(result.status is JobStatus.FAILED for result in results)
    _output.say(f"player in {counted(len(results) - failed, 'page')}, {failed} failed")
    return EXIT_FAILED if failed else 0


def _warn_about(event: BatchEvent, console: Console) -> None:
    """A finished article's warnings, each with its name, above the live display."""
    if _output.quiet or not isinstance(event, JobFinished):
        return
    for warning in event.result.warnings:
        line = f"narrate: WARNING: {event.result.job.name}: {warning}"
        console.print(line, markup=False, highlight=False, soft_wrap=True)


def _problem_job(problem: PlanProblem) -> BatchJob:
    return BatchJob(source=problem.source, name=problem.name, output=problem.source)


cache_app = typer.Typer(help="The chunk cache of rendered audio.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")


def _chunk_cache(cache_dir: Path | None, config: Path | None) -> ChunkCache:
    from narrate.engines.cache import ChunkCache, default_cache_dir

    settings = _settings(load_config(config), {"cache_dir": cache_dir}, captions=False)
    return ChunkCache(settings.cache_dir or default_cache_dir(), settings.cache_max_mb * 1024**2)


@cache_app.command("info")
@_cli_edge
def cache_info(cache_dir: CacheDirOpt = None, config: ConfigOpt = None) -> None:
    """Where the cache is, how many chunks and parts of narrations it holds, and their size."""
    info = _chunk_cache(cache_dir, config).info()
    typer.echo(f"folder\t{info.root}")
    typer.echo(f"chunks\t{info.entries}")
    typer.echo(f"parts\t{info.parts}")
    typer.echo(f"size\t{info.size_bytes / 1024**2:.1f} MB of {info.max_bytes / 1024**2:.0f} MB")


@cache_app.command("clear")
@_cli_edge
def cache_clear(cache_dir: CacheDirOpt = None, config: ConfigOpt = None) -> None:
    """Delete every cached chunk and part of a narration."""
    cache = _chunk_cache(cache_dir, config)
    held = cache.info()
    cache.clear()
    _output.say(f"removed {held.entries} chunks and {held.parts} parts from {cache.root}")


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def main() -> None:
    """Console-script entry point.

    SIGTERM (``timeout``, systemd, ``docker stop``) stops a command as Ctrl-C does,
    so partial files and work folders are cleaned up; the exit status is 143.
    """
    signal.signal(signal.SIGTERM, _terminate)
    try:
        app(prog_name="narrate")
    except SystemExit as leaving:
        _leave_without_stranded_workers(leaving.code)
        raise


def _leave_without_stranded_workers(code: object) -> None:
    """Exit at once with ``code`` if render workers are still stuck on the network.

    After Ctrl-C or a chunk that failed for good, the renderer stops without
    waiting for requests in flight (:mod:`narrate.engines.render`). Their threads
    are thread-pool workers, which Python joins at exit, so one blocked reading a
    socket would hold the process for up to a request timeout (30 s for gTTS)
    after the run has already reported its end. Aborting those requests is not
    possible cleanly: gTTS opens and owns an HTTP session per request.

    When this runs, the command has returned: every ``with`` block has cleaned up
    (no partial output, no work folder), finished chunks are in the cache and the
    messages are written. So after flushing stdout and stderr nothing is lost by
    leaving through :func:`os._exit`; the stranded threads only hold answers
    nobody wants. Without such threads this returns and the exit is the usual one.
    """
    from narrate.engines.render import stranded_workers

    if not stranded_workers():
        return
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe or stream
            stream.flush()
    os._exit(_exit_status(code))


def _exit_status(code: object) -> int:
    """The process status :class:`SystemExit` would give for ``code``."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    typer.echo(str(code), err=True)
    sys.stderr.flush()
    return EXIT_FAILED
