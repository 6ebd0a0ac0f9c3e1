"""``narrate embed``: narrate existing article pages and put the player into each one.

Every page (a static site's build output, say) is read, its article extracted and
narrated (through the chunk cache, so a second run costs little), the audio written
beside the page or under an output folder, and the player spliced in at the top of
the article by :mod:`narrate.publish.inject`. Pages run on the batch workers, so a
bad page fails alone and the others go on.
"""

from __future__ import annotations

import codecs
import io
import itertools
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from narrate.atomic import atomic_path
from narrate.batch.jobs import BatchJob, JobResult, guarded
from narrate.batch.plan import OWN_PAGE_ENDINGS, BatchPlan, plan_batch
from narrate.errors import InputError, UsageError
from narrate.outputs import someone_elses
from narrate.publish.captions import NarrationInfo
from narrate.publish.inject import TimedSentence, has_player, inject_player, strip_player
from narrate.publish.player import to_snippet
from narrate.publish.urls import iri_to_uri, join_url
from narrate.settings import Settings

if TYPE_CHECKING:
    from narrate.pipeline import Narration

__all__ = ["EmbedOptions", "PAGE_GLOBS", "plan_embed", "embed_page"]

PAGE_GLOBS = ("*.html", "*.htm")
"""The pages a folder is searched for; narrate's own player pages and snippets are skipped."""
_PAGE_SUFFIXES = tuple(pattern.removeprefix("*") for pattern in PAGE_GLOBS)
_GLOB_CHARACTERS = frozenset("*?[")
_STDIN_NAME = "standard input"
"""How article errors name text read from memory (the page is narrated from there)."""


@dataclass(frozen=True)
class EmbedOptions:
    """Where the pages and their audio go, and how the pages address the audio."""

    out_dir: Path | None = None
    """Write the pages and audio under this folder; ``None`` changes the pages in place."""
    audio_base_url: str | None = None
    """Address the audio as this URL plus its path under ``audio_root``; else relatively."""
    audio_root: Path | None = None
    """The folder the audio paths are relative to when ``audio_base_url`` is given
    (:func:`plan_embed`'s ``out_dir``)."""

    def __post_init__(self) -> None:
        if self.audio_base_url is not None:
            _check_base_url(self.audio_base_url)


def _check_base_url(url: str) -> None:
    """A base URL is http(s) or a path from the site's root, without query or fragment."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") and url[:1] != "/":
        raise UsageError(
            f"bad --audio-base-url {url!r}", "give an http(s) URL or a path starting with /"
        )
    if "?" in url or "#" in url:
        raise UsageError(
            f"bad --audio-base-url {url!r}: the audio's address is URL/PATH, so the URL "
            "can have no query (?) or fragment (#)",
            "give the folder's URL alone",
        )
    try:
        iri_to_uri(url)
    except ValueError as error:
        raise UsageError(f"bad --audio-base-url {url!r}: {error}") from None


def plan_embed(sources: Sequence[str], out_dir: Path | None) -> BatchPlan:
    """The pages to embed into (``.html`` and ``.htm``, not narrate's own pages) and their audio.

    The plan's ``out_dir`` is the folder the audio's URLs are made from (see
    :attr:`EmbedOptions.audio_root`): ``out_dir``, where every page keeps its path
    under the folder given; without it, the folder given itself (a page's folder
    for a page given alone; the folder they share for several), so a page's URL
    never depends on which other pages there are.
    """
    plan = plan_batch(sources, out_dir, globs=PAGE_GLOBS)
    _refuse_other_files(plan)
    own = [job for job in plan.jobs if job.name.endswith(OWN_PAGE_ENDINGS)]
    if own and len(own) == len(plan.jobs):
        raise InputError(f"no article pages in {', '.join(sources)}", "only narrate's own pages")
    jobs = tuple(job for job in plan.jobs if not job.name.endswith(OWN_PAGE_ENDINGS))
    root = plan.out_dir if out_dir is not None else _folder_given(sources)
    return BatchPlan(out_dir=root, jobs=jobs, problems=plan.problems)


def _folder_given(sources: Sequence[str]) -> Path:
    """The folder the sources name (a page's folder, a pattern's base), or the one they share."""
    folders = [str(_folder_of(source)) for source in sources]
    return Path(os.path.commonpath(folders))


def _folder_of(source: str) -> Path:
    path = Path(source).expanduser()
    if path.is_dir():
        return path.absolute()
    if path.is_file():
        return path.parent.absolute()
    fixed = itertools.takewhile(lambda part: not _GLOB_CHARACTERS & set(part), path.parts)
    return Path(*fixed).absolute()


def _refuse_other_files(plan: BatchPlan) -> None:
    """An article named or matched that is not an HTML page stops the run before any work.

    Only pages get a player written into them; any other file is left as it was.
    """
    for job in plan.jobs:
        if job.source.suffix.lower() not in _PAGE_SUFFIXES:
            raise InputError(
                f"{job.source} is not an HTML page: narrate embed writes the player only "
                "into .html and .htm pages",
                f"to narrate it with a player page, run: narrate {job.source} --html",
            )


def embed_page(job: BatchJob, settings: Settings, *, options: EmbedOptions) -> JobResult:
    """Narrate ``job``'s page into ``job.output`` and write the page with the player.

    Top level and picklable (with :func:`functools.partial`), so batch workers run
    it; a failure is returned as the result, like :func:`narrate_job`.
    """

    def embed_it() -> tuple[Narration, tuple[Path, ...]]:
        from narrate.pipeline import keep_others_audio, narrate

        keep_others_audio(job.output, "move it away, or write the audio elsewhere with --out")
        target = _page_target(job, options)
        _keep_others_page(target, job)
        text, bom = _read_page(job.source)
        page = strip_player(text)  # an earlier player is not part of the article
        job.output.parent.mkdir(parents=True, exist_ok=True)
        try:
            narration = narrate(
                "-", job.output, settings=settings, stdin=io.BytesIO(page.encode("utf-8"))
            )
        except InputError as error:
            raise _naming(error, job.source) from None
        info = NarrationInfo(narration.title, narration.language, narration.engine, narration.voice)
        player = to_snippet(narration, info, _audio_url(job.output, target, options))
        sentences = [TimedSentence(s.display, s.start_ms, s.end_ms) for s in narration.sentences]
        _write_page(target, inject_player(page, player, sentences), bom)
        return narration, (job.output, target)

    return guarded(job, embed_it)


def _read_page(path: Path) -> tuple[str, bool]:
    """The page's text (UTF-8, as narrate reads every input) and whether it had a BOM."""
    data = path.read_bytes()
    bom = data.startswith(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8-sig"), bom
    except UnicodeDecodeError as error:
        raise InputError(
            f"{path} is not valid UTF-8 (byte {error.start})", "convert the page to UTF-8"
        ) from None


def _naming(error: InputError, page: Path) -> InputError:
    """``error`` about the page's text (read from memory, so "standard input") naming the page."""
    return InputError(error.message.replace(_STDIN_NAME, str(page)), error.hint)


def _page_target(job: BatchJob, options: EmbedOptions) -> Path:
    """The page itself, or its copy under the output folder beside its audio."""
    if options.out_dir is None:
        return job.source
    return job.output.with_name(PurePosixPath(job.name).name)


def _keep_others_page(target: Path, job: BatchJob) -> None:
    """Under ``--out``, a page there is replaced only when it is narrate's copy (with a player)."""
    if target != job.source and someone_elses(target, _has_player):
        raise UsageError(
            f"{target} is there and is not a page narrate embed wrote; it stays",
            "move it, or write into another --out",
        )


def _has_player(page: Path) -> bool:
    try:
        return has_player(page.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError):
        return False


def _audio_url(audio: Path, page: Path, options: EmbedOptions) -> str:
    """How the page addresses the audio: its path relative to the page, or a URL.

    The URL is the base URL plus the audio's path under ``audio_root``, encoded.
    The relative path is not: the player encodes it.
    """
    if options.audio_base_url is None:
        relative = os.path.relpath(audio, page.parent)
        return Path(relative).as_posix()
    root = options.audio_root or audio.parent
    relative = Path(os.path.relpath(audio, root)).as_posix()
    return join_url(options.audio_base_url, relative)


def _write_page(target: Path, page: str, bom: bool) -> None:
    data = (codecs.BOM_UTF8 if bom else b"") + page.encode("utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(target) as temporary:
        temporary.write_bytes(data)
