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
from narrate.publish.captions import NarrationInfo
from narrate.publish.inject import TimedSentence, inject_player, strip_player
from narrate.publish.player import to_snippet
from narrate.settings import Settings

if TYPE_CHECKING:
    from narrate.pipeline import Narration

__all__ = ["EmbedOptions", "PAGE_GLOBS", "plan_embed", "embed_page"]

PAGE_GLOBS = ("*.html", "*.htm")
"""The pages a folder is searched for; narrate's own player pages and snippets are skipped."""
_PAGE_SUFFIXES = tuple(pattern.removeprefix("*") for pattern in PAGE_GLOBS)


@dataclass(frozen=True)
class EmbedOptions:
    """Where the pages and their audio go, and how the pages address the audio."""

    out_dir: Path | None = None
    """Write the pages and audio under this folder; ``None`` changes the pages in place."""
    audio_base_url: str | None = None
    """Address the audio as this URL plus its path under the output; else relative to the page."""
    audio_root: Path | None = None
    """The folder the audio paths are relative to when ``audio_base_url`` is given."""

    def __post_init__(self) -> None:
        url = self.audio_base_url
        if url is not None and urlsplit(url).scheme not in ("http", "https") and url[:1] != "/":
            raise UsageError(
                f"bad --audio-base-url {url!r}", "give an http(s) URL or a path starting with /"
            )


def plan_embed(sources: Sequence[str], out_dir: Path | None) -> BatchPlan:
    """The pages to embed into (``.html`` and ``.htm``, not narrate's own pages) and their audio."""
    plan = plan_batch(sources, out_dir, globs=PAGE_GLOBS)
    _refuse_other_files(plan)
    own = [job for job in plan.jobs if job.name.endswith(OWN_PAGE_ENDINGS)]
    if own and len(own) == len(plan.jobs):
        raise InputError(f"no article pages in {', '.join(sources)}", "only narrate's own pages")
    jobs = tuple(job for job in plan.jobs if not job.name.endswith(OWN_PAGE_ENDINGS))
    return BatchPlan(out_dir=plan.out_dir, jobs=jobs, problems=plan.problems)


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
        text, bom = _read_page(job.source)
        page = strip_player(text)  # an earlier player is not part of the article
        job.output.parent.mkdir(parents=True, exist_ok=True)
        narration = narrate(
            "-", job.output, settings=settings, stdin=io.BytesIO(page.encode("utf-8"))
        )
        target = _page_target(job, options)
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


def _page_target(job: BatchJob, options: EmbedOptions) -> Path:
    """The page itself, or its copy under the output folder beside its audio."""
    if options.out_dir is None:
        return job.source
    return job.output.with_name(PurePosixPath(job.name).name)


def _audio_url(audio: Path, page: Path, options: EmbedOptions) -> str:
    """How the page addresses the audio: relative to the page, or under the base URL.

    Not yet percent-encoded: the player encodes what a URL cannot carry as it is.
    """
    if options.audio_base_url is None:
        relative = os.path.relpath(audio, page.parent)
        return Path(relative).as_posix()
    root = options.audio_root or audio.parent
    relative = Path(os.path.relpath(audio, root)).as_posix()
    return options.audio_base_url.rstrip("/") + "/" + relative


def _write_page(target: Path, page: str, bom: bool) -> None:
    data = (codecs.BOM_UTF8 if bom else b"") + page.encode("utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(target) as temporary:
        temporary.write_bytes(data)
