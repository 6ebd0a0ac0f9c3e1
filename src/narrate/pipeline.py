"""The narration pipeline: source -> article -> script -> clips -> timeline -> files.

Each step is a function of its input and the settings; only the engine and the
writers touch the outside world. :func:`narrate` is the library's entry point.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import logging
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from narrate import __version__
from narrate.article.load import load_article
from narrate.atomic import atomic_path
from narrate.audio.bitrate import fit_bitrate, output_rate
from narrate.audio.encode import cut_rule, encode, format_for, measure_finished
from narrate.audio.loudness import Loudness, normalize_to
from narrate.audio.tags import TagInfo, made_by_narrate, write_tags
from narrate.audio.timeline import Chapter, TimedUtterance, Timeline, TimelineBuilder
from narrate.audio.units import PartStore
from narrate.engines.base import Engine
from narrate.engines.cache import ChunkCache, default_cache_dir
from narrate.engines.registry import (
    EngineChoice,
    EngineRegistry,
    check_engine_name,
    default_registry,
    listed_voice,
    voice_languages,
)
from narrate.engines.render import Renderer, engine_concurrency
from narrate.errors import EngineError, NarrateError, UsageError
from narrate.outputs import STDOUT, someone_elses
from narrate.publish.captions import WRITERS, NarrationInfo, written_by_narrate
from narrate.publish.player import page_paths, to_page, to_snippet
from narrate.settings import Settings
from narrate.speech.build import build_script
from narrate.speech.language import LanguageChoice, choose_language
from narrate.speech.lexicon import Lexicon, load_lexicons
from narrate.speech.memo import ScriptMemo, code_fingerprint
from narrate.speech.normalize import normalizer_for
from narrate.speech.script import Script
from narrate.speech.split import primary_language

__all__ = [
    "Narration",
    "PreparedScript",
    "ProgressCallback",
    "STDOUT",
    "check_engine_name",
    "keep_others_audio",
    "timing_paths",
    "default_output",
    "narrate",
    "prepare_script",
]

log = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int], None]
"""Called with (utterances done, utterances in all) as synthesis advances."""


@dataclass(frozen=True)
class Narration:
    """What a run made: where, how long, by which engine, and the exact timings."""

    output: Path | None
    """The audio file, or ``None`` when it went to standard output."""
    title: str
    language: str
    language_note: str
    """How the language was settled, e.g. ``"de (detected, 99 %)"``."""
    engine: str
    voice: str
    engine_note: str
    """Why ``--engine auto`` chose this engine (empty when the engine was named)."""
    duration_ms: int
    chapters: tuple[Chapter, ...]
    sentences: tuple[TimedUtterance, ...]
    timing_files: tuple[Path, ...]
    """WebVTT and JSON files written with ``captions``, then the player page and
    snippet written with ``html``."""
    loudness_lufs: float | None
    """Integrated loudness before normalization (``None`` for silence)."""
    cached_sentences: int = 0
    """How many sentences came whole from the chunk cache instead of the engine."""


@dataclass(frozen=True)
class _Gain:
    """Loudness normalization for the encoder: gain in dB and limiter ceiling in dBFS."""

    gain_db: float
    limit_db: float | None


@dataclass(frozen=True)
class _Plan:
    """Everything decided before the first sample is synthesized."""

    script: Script
    engine: Engine
    engine_note: str
    language_note: str
    voice: str
    destination: Path | None
    fmt: str
    sample_rate: int
    """The rate the audio is written at: the engine's, unless the format cannot take it."""
    bitrate: str
    """The bitrate the format takes at :attr:`sample_rate`, nearest to the asked one."""
    pages: tuple[Path, Path] | None = None
    """The player page and its snippet, when asked for."""


def narrate(
    source: str | Path,
    output: str | Path | None = None,
    *,
    settings: Settings | None = None,
    registry: EngineRegistry | None = None,
    on_progress: ProgressCallback | None = None,
    stdin: BinaryIO | None = None,
    stdout: BinaryIO | None = None,
    **options: Any,
) -> Narration:
    """Narrate one article into one audio file.

    ``source`` is a file path or ``"-"`` for ``stdin``; ``output`` defaults to
    the source with an ``.mp3`` suffix (``"-"`` writes to ``stdout``). Keyword
    ``options`` override fields of ``settings`` (see :class:`Settings`), e.g.
    ``narrate("a.txt", engine="espeak", speed=1.1)``.
    """
    settings = _with_options(settings or Settings(), options)
    cache = _chunk_cache(settings)
    prepared = prepare_script(source, settings, registry, stdin, cache)
    plan = _plan(prepared, source, output, settings)
    prepared.keep_memo()
    renderer = _renderer(plan, settings, cache)
    with _work_folder(plan.destination) as folder:
        cuts = cut_rule(plan.fmt, plan.sample_rate, plan.bitrate)
        timeline_builder = TimelineBuilder(
            plan.sample_rate, settings.pauses, folder, cuts, renderer.cache
        )
        with timeline_builder as builder:
            timeline = _synthesize(plan, renderer, builder, on_progress)
            made = _Made(timeline, builder.loudness, renderer.cache)
            narration = _write(plan, settings, made, stdout)
    renderer.finish()
    return dataclasses.replace(narration, cached_sentences=renderer.cached_sentences)


@dataclass(frozen=True)
class PreparedScript:
    """An article turned into its speech script for the engine that will speak it."""

    script: Script
    choice: EngineChoice
    language: LanguageChoice
    """How the language was settled (asked for, declared by the page, detected)."""
    keep_memo: Callable[[], None] = lambda: None
    """Keeps what building the script worked out in the cache, for the next run (a
    narration calls it once its output is settled, so a refused run leaves nothing)."""


def prepare_script(
    source: str | Path,
    settings: Settings,
    registry: EngineRegistry | None = None,
    stdin: BinaryIO | None = None,
    cache: ChunkCache | None = None,
) -> PreparedScript:
    """Read ``source``, settle its language and engine, and build the speech script.

    This is everything a narration decides before any audio is made; ``narrate
    script`` shows its result. With a ``cache``, the sentences and spoken texts of
    the article's last run are taken from it (see :mod:`narrate.speech.memo`), and
    the result's ``keep_memo`` keeps this run's there for the next.
    """
    registry = registry or default_registry()
    check_engine_name(settings.engine, registry)  # before any fetching or detecting
    lexicon = load_lexicons(settings.lexicons)
    article = load_article(
        source,
        keep_boilerplate=settings.keep_boilerplate,
        extra_patterns=settings.boilerplate_patterns,
        stdin=stdin,
    )
    language = choose_language(settings.lang, article)
    choice = registry.choose(settings.engine, language.code, settings.voice)
    spoken = _spoken_text(language.code, lexicon)
    memo_key = _memo_key(cache, source, language.code, lexicon)
    memo = ScriptMemo.from_bytes(cache.get_data(memo_key) if cache and memo_key else None)
    script = build_script(article, language.code, choice.engine.max_chars, spoken, memo)

    def keep_memo() -> None:
        if cache is not None and memo_key is not None and memo.learned:
            cache.put_data(memo_key, memo.to_bytes())

    return PreparedScript(script, choice, language, keep_memo)


def _memo_key(
    cache: ChunkCache | None, source: str | Path, language: str, lexicon: Lexicon
) -> str | None:
    """Where the cache keeps the script memo of ``source`` in ``language``."""
    if cache is None:
        return None
    fields: dict[str, object] = {
        "kind": "script-memo",
        "code": code_fingerprint(),
        "source": str(source),
        "lang": language,
        "lexicon": repr(lexicon.rules),
    }
    return cache.data_key(fields)


def _spoken_text(language: str, lexicon: Lexicon) -> Callable[[str], str]:
    """The language's normalization steps, then the lexicon's rules."""
    normalize = normalizer_for(language)
    if not lexicon:
        return normalize
    return lambda text: lexicon.apply(normalize(text), language)


def default_output(source: str | Path) -> str | Path:
    """Where the audio goes when no output is named: beside the article, or stdout.

    For a web address it is a file in the current folder named after the
    page's last path segment (``…/energiewende-im-dorf-100.html`` gives
    ``energiewende-im-dorf-100.mp3``), else after its host.
    """
    from narrate.article.fetch import is_url, output_name

    if str(source) == STDOUT:
        return STDOUT
    if isinstance(source, str) and is_url(source):
        return Path(f"{output_name(source)}.mp3")
    return Path(source).with_suffix(".mp3")


def _with_options(settings: Settings, options: dict[str, Any]) -> Settings:
    known = {field.name for field in dataclasses.fields(Settings)}
    unknown = sorted(set(options) - known)
    if unknown:
        raise UsageError(f"unknown setting(s): {', '.join(unknown)}", f"known: {sorted(known)}")
    return dataclasses.replace(settings, **options)


def _plan(
    prepared: PreparedScript,
    source: str | Path,
    output: str | Path | None,
    settings: Settings,
) -> _Plan:
    script, choice = prepared.script, prepared.choice
    voice = _voice(choice.engine, settings.voice, script.language)
    _warn_about_speed(choice.engine, settings.speed)
    destination = _destination(output if output is not None else default_output(source))
    if output is None and destination is not None:
        keep_others_audio(destination, f"name it with -o {destination} to replace it, or move it")
    fmt = format_for(destination) if destination is not None else "mp3"
    if settings.captions and destination is None:
        raise UsageError("--captions needs a file output", "use -o FILE instead of -o -")
    if settings.captions and destination is not None:
        _keep_others_timing_files(destination)
    if settings.html and destination is None:
        raise UsageError("--html needs a file output", "use -o FILE instead of -o -")
    pages = page_paths(destination, source) if settings.html and destination else None
    note = prepared.language.describe()
    rate = _sample_rate(fmt, choice.engine)
    bitrate = _bitrate(fmt, rate, settings.audio.bitrate)
    return _Plan(
        script, choice.engine, choice.reason, note, voice, destination, fmt, rate, bitrate, pages
    )


def _sample_rate(fmt: str, engine: Engine) -> int:
    """The rate to write ``fmt`` at; with ``-v``, a note when it is not the engine's."""
    rate = output_rate(fmt, engine.sample_rate)
    if rate != engine.sample_rate:
        log.info(
            "%s speaks at %d Hz, which %s cannot be written at: resampled to %d Hz",
            engine.name, engine.sample_rate, fmt, rate,
        )  # fmt: skip
    return rate


def _bitrate(fmt: str, sample_rate: int, requested: str) -> str:
    """The bitrate to encode with; a warning when the format cannot take ``requested``."""
    fitted = fit_bitrate(fmt, sample_rate, requested)
    if fitted.changed:
        log.warning("%s", fitted.note())
    return fitted.bitrate


def keep_others_audio(path: Path, hint: str) -> None:
    """Refuse to start when the output name narrate chose holds audio it did not make.

    A file named with ``-o`` is replaced as asked; one whose name narrate derived
    (``ARTICLE.mp3`` beside the article) is replaced only when narrate made it.
    """
    if someone_elses(path, made_by_narrate):
        raise UsageError(f"{path} is there and narrate did not make it; it stays", hint)


def _keep_others_timing_files(destination: Path) -> None:
    """Refuse to start when a ``--captions`` file name holds a file narrate did not write."""
    for path in timing_paths(destination):
        if someone_elses(path, written_by_narrate):
            raise UsageError(
                f"{path} is there and narrate did not write it; --captions would replace it",
                "move it, or narrate to another -o",
            )


def timing_paths(destination: Path) -> list[Path]:
    """Where ``--captions`` writes the timing files of the audio ``destination``."""
    return [destination.with_suffix(f".{kind}") for kind in WRITERS]


def _voice(engine: Engine, requested: str | None, language: str) -> str:
    """The voice to speak with: the engine's default for the language, or the one asked for.

    A voice asked for is matched ignoring case (``--voice DE``); one that speaks
    another language than the article's is used, with a warning.
    """
    if requested is None:
        return engine.default_voice(language)
    voice = _known_voice(engine, requested)
    _warn_about_language(engine, voice, language)
    return voice


def _known_voice(engine: Engine, requested: str) -> str:
    """The engine's id for ``requested`` (a listed voice, any case, or one the engine
    accepts otherwise, such as a Piper model path); :class:`UsageError` if neither."""
    listed = listed_voice(engine, requested)
    if listed is not None:
        return listed.id
    accepts = getattr(engine, "accepts_voice", None)
    if callable(accepts) and accepts(requested):
        return requested
    raise UsageError(
        f"unknown voice {requested!r} for engine {engine.name!r}",
        f"list them with `narrate voices --engine {engine.name}`",
    )


def _warn_about_speed(engine: Engine, speed: float) -> None:
    """The engine's word on a speed it cannot speak at (``speed_note`` hook: gTTS)."""
    note = getattr(engine, "speed_note", None)
    said = note(speed) if callable(note) else None
    if said:
        log.warning("%s", said)


def _warn_about_language(engine: Engine, voice: str, language: str) -> None:
    languages = voice_languages(engine, voice)
    if languages is None:
        listed = listed_voice(engine, voice)
        languages = listed.languages if listed is not None else ()
    primaries = {primary_language(code) for code in languages}
    if primaries and primary_language(language) not in primaries:
        log.warning(
            "voice %s speaks %s, but the article is in %s (pass --lang if it is not)",
            voice,
            ", ".join(sorted(primaries)),
            language,
        )


def _destination(output: str | Path) -> Path | None:
    if str(output) == STDOUT:
        return None
    destination = Path(output)
    if destination.is_dir():
        raise UsageError(f"output {destination} is a folder", "name a file such as article.mp3")
    if not destination.parent.is_dir():
        problem = "is a file" if destination.parent.exists() else "does not exist"
        raise UsageError(f"output folder {destination.parent} {problem}")
    return destination


@contextlib.contextmanager
def _work_folder(destination: Path | None) -> Iterator[Path]:
    """A scratch folder on the output's file system (so spooling never fills RAM).

    Made before any synthesis, so an output folder that cannot be written stops
    the run at once, naming the output (a usage error, like a missing folder).
    """
    parent = destination.parent if destination is not None else None
    try:
        scratch = tempfile.TemporaryDirectory(prefix=".narrate-", dir=parent)
    except OSError as error:
        if destination is None:
            raise
        raise UsageError(
            f"cannot write {destination}: no new files can be made in {destination.parent}"
            f" ({error.strerror or error})",
            "choose a folder you can write to with -o",
        ) from error
    with scratch as folder:
        yield Path(folder)


@contextlib.contextmanager
def _writing(destination: Path) -> Iterator[None]:
    """Name ``destination``, not the temporary file behind it, when writing fails."""
    try:
        yield
    except OSError as error:
        raise NarrateError(f"cannot write {destination}: {error.strerror or error}") from error


def _chunk_cache(settings: Settings) -> ChunkCache | None:
    """The run's cache, ``None`` with ``--no-cache``."""
    if not settings.cache:
        return None
    folder = settings.cache_dir or default_cache_dir()
    return ChunkCache(folder, settings.cache_max_mb * 1024**2)


def _renderer(plan: _Plan, settings: Settings, cache: ChunkCache | None) -> Renderer:
    """Renders through the cache, as many requests at once as the engine and settings allow."""
    workers = engine_concurrency(plan.engine, settings.concurrency)
    language = plan.script.language
    return Renderer(plan.engine, plan.voice, language, settings.speed, cache=cache, workers=workers)


def _synthesize(
    plan: _Plan,
    renderer: Renderer,
    builder: TimelineBuilder,
    on_progress: ProgressCallback | None,
) -> Timeline:
    """Render and assemble every utterance.

    The renderer is closed on the way out, so a failure or Ctrl-C here (in
    ``on_progress``, say) stops its requests at once rather than whenever the
    generator is collected.
    """
    utterances = plan.script.utterances
    heard = False
    with contextlib.closing(renderer.render(utterances)) as rendered:
        for done, (utterance, clips) in enumerate(zip(utterances, rendered, strict=True), 1):
            builder.add(utterance, clips)
            heard = heard or any(clip.pcm for clip in clips)
            if on_progress is not None:
                on_progress(done, len(utterances))
    if not heard:
        raise EngineError(f"engine {plan.engine.name!r} returned no audio for any sentence")
    return builder.finish(plan.script)


@dataclass(frozen=True)
class _Made:
    """The narration's timeline, its loudness, and where its encoded units are kept."""

    timeline: Timeline
    loudness: Loudness
    store: PartStore | None


def _write(plan: _Plan, settings: Settings, made: _Made, stdout: BinaryIO | None) -> Narration:
    timeline, loudness = made.timeline, made.loudness
    gain = _gain(made, settings)
    info = NarrationInfo(plan.script.title, plan.script.language, plan.engine.name, plan.voice)
    if plan.destination is None:
        _encode_to_stream(plan, settings, made, gain, stdout or sys.stdout.buffer)
        timing_files: tuple[Path, ...] = ()
    else:
        timing_files = _encode_to_file(plan, plan.destination, settings, made, gain, info)
    return Narration(
        output=plan.destination,
        title=plan.script.title,
        language=plan.script.language,
        language_note=plan.language_note,
        engine=plan.engine.name,
        voice=plan.voice,
        engine_note=plan.engine_note,
        duration_ms=timeline.duration_ms,
        chapters=timeline.chapters,
        sentences=timeline.utterances,
        timing_files=timing_files,
        loudness_lufs=loudness.integrated_lufs,
    )


def _gain(made: _Made, settings: Settings) -> _Gain:
    """Gain and limiter that bring the narration to the target loudness.

    When the target is out of reach (the gain cap, or the limiter holding the
    peaks), one warning says what the narration reaches instead.
    """
    if not settings.audio.normalize:
        return _Gain(0.0, None)

    timeline = made.timeline

    def measure(gain_db: float, limit_db: float) -> Loudness:
        pcm, rate, units = timeline.pcm_path, timeline.sample_rate, timeline.units
        return measure_finished(pcm, rate, gain_db, limit_db, units, made.store)

    result = normalize_to(made.loudness, settings.audio.loudness, measure)
    if result.short_of_target:
        log.warning("%s", result.shortfall())
    return _Gain(result.gain_db, result.limit_db)


def _encode_to_file(
    plan: _Plan,
    destination: Path,
    settings: Settings,
    made: _Made,
    gain: _Gain,
    info: NarrationInfo,
) -> tuple[Path, ...]:
    """Encode, tag, write timings and pages into temporary files, then rename them all."""
    timeline = made.timeline
    captions = timing_paths(destination) if settings.captions else []
    texts = {path: WRITERS[path.suffix.lstrip(".")](timeline, info) for path in captions}
    if plan.pages is not None:
        page, snippet = plan.pages
        texts[page] = to_page(timeline, info, destination.name)
        texts[snippet] = to_snippet(timeline, info, destination.name)
    with _writing(destination), contextlib.ExitStack() as stack:  # the renames at the end too
        audio = stack.enter_context(atomic_path(destination))
        _encode_tagged(plan, settings, made, gain, audio, str(destination))
        for path, text in texts.items():
            with _writing(path):
                stack.enter_context(atomic_path(path)).write_text(text, encoding="utf-8")
    return tuple(texts)


def _encode_to_stream(
    plan: _Plan, settings: Settings, made: _Made, gain: _Gain, stream: BinaryIO
) -> None:
    """Encode completely to a scratch file first, so the header is right, then copy."""
    scratch = made.timeline.pcm_path.with_name(f"stdout.{plan.fmt}")
    _encode_tagged(plan, settings, made, gain, scratch, "the audio for stdout")
    with scratch.open("rb") as encoded:
        shutil.copyfileobj(encoded, stream)
    stream.flush()


def _encode_tagged(
    plan: _Plan, settings: Settings, made: _Made, gain: _Gain, path: Path, name: str
) -> None:
    """Encode and tag into ``path``; errors call it ``name`` (the user's output)."""
    timeline = made.timeline
    encode(
        timeline.pcm_path, timeline.sample_rate, path, plan.fmt, plan.bitrate, gain.gain_db,
        gain.limit_db, name=name, units=timeline.units, store=made.store,
    )  # fmt: skip
    write_tags(path, plan.fmt, _tag_info(plan, settings), timeline.chapters, name=name)


def _tag_info(plan: _Plan, settings: Settings) -> TagInfo:
    tags = settings.tags
    return TagInfo(
        title=plan.script.title,
        artist=tags.artist,
        publisher=tags.publisher,
        language=plan.script.language,
        date=tags.date or datetime.date.today().isoformat(),
        comment=(
            f"Synthetic voice: narrated by narrate {__version__} "
            f"with the {plan.engine.name} engine (voice {plan.voice})."
        ),
        engine=plan.engine.name,
        voice=plan.voice,
    )
