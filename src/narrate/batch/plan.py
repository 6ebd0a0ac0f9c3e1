"""Which articles a batch narrates and where each one's audio goes.

:func:`plan_batch` turns the paths and patterns a user gave into
:class:`~narrate.batch.jobs.BatchJob` s: every article under a folder keeps its
relative path under the output folder, with the audio suffix. Articles that cannot
be planned safely (an output that would leave the output folder, two articles that
would write the same file) become :class:`PlanProblem` s, reported like failures,
never silently dropped or overwritten.
"""

from __future__ import annotations

import functools
import glob
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from narrate.article.fetch import is_url
from narrate.batch.jobs import BatchJob
from narrate.errors import InputError, UsageError
from narrate.outputs import FORMATS, is_narrates_page

__all__ = [
    "ARTICLE_SUFFIXES",
    "LOCK_NAME",
    "MANIFEST_NAME",
    "OWN_PAGE_ENDINGS",
    "BatchPlan",
    "PlanProblem",
    "plan_batch",
    "is_batch",
    "is_bookkeeping",
    "normal_path",
]

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
"""What a folder is searched for when no ``--glob`` is given."""
OWN_PAGE_ENDINGS = (".embed.html", ".narrated.html")
"""Names of the pages narrate writes beside its audio (the snippet; a page's player page)."""
MANIFEST_NAME = "narrate-manifest.json"
LOCK_NAME = ".narrate.lock"
"""The lock file that keeps two batches from writing into one output folder."""
_GLOB_CHARACTERS = frozenset("*?[")


@dataclass(frozen=True)
class PlanProblem:
    """An article that will not be narrated, and why."""

    name: str
    source: Path
    reason: str


@dataclass(frozen=True)
class BatchPlan:
    """The articles of a batch, the output folder, and what could not be planned."""

    out_dir: Path
    jobs: tuple[BatchJob, ...]
    problems: tuple[PlanProblem, ...] = field(default=())
    searched: tuple[Path, ...] = field(default=())
    """The folders the sources were looked for in (absolute): the folders given, each
    pattern's folder, and the folder the files given share."""


@dataclass(frozen=True)
class _Found:
    """An article file and the folder its name is relative to."""

    source: Path
    root: Path


def is_batch(sources: Sequence[str]) -> bool:
    """Whether the arguments ask for a batch: several, a folder, or a pattern."""
    if len(sources) != 1:
        return True
    source = sources[0]
    if source == "-" or "://" in source:
        return False
    return Path(source).is_dir() or _is_pattern(source)


def plan_batch(
    sources: Sequence[str],
    out_dir: Path | None,
    *,
    globs: Sequence[str] = (),
    audio_suffix: str = ".mp3",
    exclude: Iterable[Path] = (),
) -> BatchPlan:
    """Plan a batch over ``sources`` (folders, files, glob patterns).

    Folders are searched recursively for ``globs`` (default: every
    :data:`ARTICLE_SUFFIXES` file; matching ignores case); hidden files and folders
    are skipped, and so is narrate's bookkeeping (the manifest), anything inside
    ``out_dir`` or listed in ``exclude`` (earlier outputs). An article in a folder
    keeps its path under that folder; files named one by one keep their paths under
    the folder they all share; a pattern's matches keep their paths under the
    pattern's fixed leading folders. Without ``out_dir`` the audio goes beside each
    article. Raises :class:`UsageError` when a source does not exist or a pattern
    matches no article, and :class:`InputError` when nothing was found.
    """
    files_root = _files_root(sources)
    found = _dedupe(_find_all(sources, globs, files_root))
    base = _output_base(out_dir, found)
    skip = {path.resolve() for path in exclude}
    if out_dir is not None:
        found = [item for item in found if not _inside_output(item, base)]
    found = [item for item in found if item.source.resolve() not in skip]
    if not found:
        raise InputError(f"no articles found in {', '.join(sources)}", _looked_for(globs))
    jobs, problems = _map_outputs(found, base, out_dir is None, audio_suffix)
    searched = _searched(sources, files_root)
    return BatchPlan(base, tuple(jobs), tuple(problems), searched)


def _find_all(sources: Sequence[str], globs: Sequence[str], files_root: Path) -> Iterator[_Found]:
    for source in sources:
        path = Path(source).expanduser()
        if path.is_dir():
            yield from _walk(path, globs)
        elif path.is_file():
            if _named_article(path):
                yield _Found(path, files_root)
        elif is_url(source):
            raise UsageError(
                f"a batch reads files and folders, not web addresses: {source}",
                "narrate each address on its own: narrate URL",
            )
        elif _is_pattern(source):
            yield from _expand(source)
        else:
            raise UsageError(f"no such file or folder: {source}")


def _files_root(sources: Sequence[str]) -> Path:
    """The folder that the files named one by one share: their names are relative to it.

    So ``p/a.txt q/a.txt -o out`` writes ``out/p/a.mp3`` and ``out/q/a.mp3``, and
    ``a.txt b.md -o out`` writes ``out/a.mp3`` and ``out/b.mp3``.
    """
    files = [Path(source).expanduser() for source in sources]
    folders = [
        normal_path(path).parent for path in files if path.is_file() and _named_article(path)
    ]
    if not folders:
        return Path.cwd()
    try:
        return Path(os.path.commonpath(folders))
    except ValueError:  # on different drives (Windows): no shared folder
        return folders[0]


def _searched(sources: Sequence[str], files_root: Path) -> tuple[Path, ...]:
    """The folders each source was looked for in (see :attr:`BatchPlan.searched`)."""
    folders: list[Path] = []
    for source in sources:
        path = Path(source).expanduser()
        if path.is_dir():
            folder = normal_path(path)
        elif _is_pattern(source) and not path.is_file():
            folder = normal_path(_pattern_base(source))
        else:
            folder = files_root
        if folder not in folders:
            folders.append(folder)
    return tuple(folders)


def normal_path(path: Path) -> Path:
    """``path`` absolute, with ``.`` and ``..`` taken out (symlinks are not resolved)."""
    return Path(os.path.normpath(path.absolute()))


def is_bookkeeping(name: str) -> bool:
    """Whether a file of this name is narrate's own bookkeeping, never an article.

    That is the manifest, a damaged manifest kept aside, the lock, and the
    temporary ``.NAME.XXXX.part`` files of an output being written.
    """
    return (
        name in (MANIFEST_NAME, LOCK_NAME)
        or name.startswith(f"{MANIFEST_NAME}.damaged-")
        or (name.startswith(".") and ".part" in name)
    )


def _walk(folder: Path, globs: Sequence[str]) -> Iterator[_Found]:
    """Article files under ``folder``, sorted, without hidden ones or symlinked folders."""
    for directory, subfolders, files in os.walk(folder):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        for name in sorted(files):
            path = Path(directory, name)
            relative = path.relative_to(folder)
            if _wanted(relative, globs) and _candidate(path):
                yield _Found(path, folder)


def _named_article(path: Path) -> bool:
    """Whether a file named one by one is an article: not narrate's bookkeeping or output.

    ``narrate folder/* -o out`` (a glob the shell expanded) names narrate's own
    audio, captions and pages beside the articles; they are passed over, as in a
    folder. A hidden file named on purpose is read.
    """
    return not is_bookkeeping(path.name) and not _narrates_own(path)


def _candidate(path: Path) -> bool:
    """Whether a file may be an article: not hidden, not narrate's bookkeeping or page."""
    name = path.name
    return not name.startswith(".") and not is_bookkeeping(name) and not _narrates_own(path)


def _narrates_own(path: Path) -> bool:
    """A file narrate wrote: never an article, never an input.

    Player pages and snippets by their names or mark; with a glob like ``*``
    also audio with narrate's tags, its captions and timings, feeds and
    chapters files, each recognised by what narrate writes into them.
    """
    name = path.name.lower()
    if name.endswith(OWN_PAGE_ENDINGS):
        return True
    if name.endswith((".html", ".htm")):
        return is_narrates_page(path)
    recognise = _OWN_BY_SUFFIX.get(path.suffix.lower())
    return recognise is not None and recognise(path)


def _own_audio(path: Path) -> bool:
    from narrate.audio.tags import made_by_narrate

    return made_by_narrate(path)


def _own_timings(path: Path) -> bool:
    from narrate.publish.captions import written_by_narrate
    from narrate.publish.feed import is_narrates_chapters

    return written_by_narrate(path) or is_narrates_chapters(path)


def _own_feed(path: Path) -> bool:
    from narrate.publish.feed import is_narrates_feed

    return is_narrates_feed(path)


_OWN_BY_SUFFIX: dict[str, Callable[[Path], bool]] = {
    **dict.fromkeys(FORMATS, _own_audio),
    ".vtt": _own_timings,
    ".json": _own_timings,
    ".xml": _own_feed,
}
"""How to recognise narrate's own files that no default glob would pick up."""


def _wanted(relative: Path, globs: Sequence[str]) -> bool:
    if not globs:
        return relative.suffix.lower() in ARTICLE_SUFFIXES
    posix = relative.as_posix()
    return any(_glob_regex(pattern).fullmatch(posix) for pattern in globs)


@functools.lru_cache(maxsize=64)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A ``--glob`` as a regular expression over the article's relative path.

    A pattern without ``/`` matches the file name at any depth (``*.txt``); one with
    ``/`` matches the whole relative path, where ``*`` and ``?`` stay inside one
    folder and ``**/`` spans any number of folders (``news/**/*.md``). Case is
    ignored, as for the default suffixes: ``*.txt`` takes ``E.TXT`` too.
    """
    if "/" not in pattern:
        pattern = f"**/{pattern}"
    parts = re.split(r"(\*\*/|\*|\?|\[[^]]*\])", pattern)
    return re.compile("".join(_glob_part(part) for part in parts), re.IGNORECASE)


def _glob_part(part: str) -> str:
    if part == "**/":
        return "(?:[^/]*/)*"
    if part == "*":
        return "[^/]*"
    if part == "?":
        return "[^/]"
    if part.startswith("[") and part.endswith("]") and len(part) > 2:
        inner = part[1:-1].replace("\\", "\\\\")
        negate = inner.startswith("!")
        inner = inner[1:] if negate else inner
        inner = "\\" + inner if inner.startswith("^") else inner
        return f"[^{inner}]" if negate else f"[{inner}]"
    return re.escape(part)


def _expand(pattern: str) -> Iterator[_Found]:
    """A pattern the shell did not expand (quoted, or on Windows); names relative to its base.

    It matches like the shell would (case as written). A pattern that matches no
    article is a :class:`UsageError`, like a file that does not exist.
    """
    base = _pattern_base(pattern)
    matches = [Path(name) for name in sorted(glob.glob(pattern, recursive=True))]
    articles = [path for path in matches if path.is_file() and _candidate(path)]
    if not articles:
        raise UsageError(
            f"no articles match {pattern}",
            "check the pattern; hidden files and narrate's own files are skipped",
        )
    for path in articles:
        yield _Found(path, base)


def _pattern_base(pattern: str) -> Path:
    parts = []
    for part in Path(pattern).parts:
        if _is_pattern(part):
            break
        parts.append(part)
    return Path(*parts) if parts else Path(".")


def _is_pattern(text: str) -> bool:
    return any(character in _GLOB_CHARACTERS for character in text)


def _dedupe(found: Iterable[_Found]) -> list[_Found]:
    """Each file once, the first way it was named."""
    seen: set[Path] = set()
    unique = []
    for item in found:
        key = item.source.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def _output_base(out_dir: Path | None, found: Sequence[_Found]) -> Path:
    """The output folder; without one, the folder all articles share (audio goes beside them)."""
    if out_dir is not None:
        return out_dir.expanduser().absolute()
    if not found:
        return Path.cwd()
    roots = [str(item.source.parent.absolute()) for item in found]
    return Path(os.path.commonpath(roots))


def _inside_output(item: _Found, out_dir: Path) -> bool:
    """An article inside the output folder (but not the folder searched) is an earlier output."""
    source, root, out = item.source.resolve(), item.root.resolve(), out_dir.resolve()
    return source.is_relative_to(out) and out != root and out.is_relative_to(root)


def _map_outputs(
    found: Sequence[_Found], base: Path, beside: bool, audio_suffix: str
) -> tuple[list[BatchJob], list[PlanProblem]]:
    jobs: list[BatchJob] = []
    problems: list[PlanProblem] = []
    for item in found:
        name = _name(item, base, beside)
        output = (base / name).with_suffix(audio_suffix)
        if not _stays_inside(output, base):
            reason = f"{output} is outside {base}"
            problems.append(PlanProblem(name, item.source.absolute(), reason))
        else:
            jobs.append(BatchJob(source=item.source.absolute(), name=name, output=output))
    kept, clashes = _without_clashes(jobs)
    return kept, problems + clashes


def _name(item: _Found, base: Path, beside: bool) -> str:
    """The article's relative path: under its folder, or under the shared folder."""
    root = base if beside else item.root
    relative = os.path.relpath(item.source.absolute(), root.absolute())
    return PurePosixPath(Path(relative).as_posix()).as_posix()


def _stays_inside(output: Path, base: Path) -> bool:
    """Whether ``output``, with every symlink of existing folders followed, is under ``base``."""
    if ".." in PurePosixPath(output.relative_to(base).as_posix()).parts:
        return False
    return output.resolve().is_relative_to(base.resolve())


def _without_clashes(jobs: Sequence[BatchJob]) -> tuple[list[BatchJob], list[PlanProblem]]:
    """Articles that would write the same audio file are all refused, none overwritten."""
    by_output: dict[Path, list[BatchJob]] = defaultdict(list)
    for job in jobs:
        by_output[job.output.resolve()].append(job)
    kept, problems = [], []
    for job in jobs:
        rivals = by_output[job.output.resolve()]
        if len(rivals) == 1:
            kept.append(job)
            continue
        others = ", ".join(_clash_label(rival, rivals) for rival in rivals if rival is not job)
        reason = f"{_clash_label(job, rivals)} and {others} would both write {job.output.name}"
        problems.append(PlanProblem(job.name, job.source, reason))
    return kept, problems


def _clash_label(job: BatchJob, rivals: Sequence[BatchJob]) -> str:
    """How a clash names an article: its name, or its path when a rival has the same name."""
    namesakes = sum(rival.name == job.name for rival in rivals)
    return str(job.source) if namesakes > 1 else job.name


def _looked_for(globs: Sequence[str]) -> str:
    wanted = ", ".join(globs) if globs else ", ".join(f"*{suffix}" for suffix in ARTICLE_SUFFIXES)
    return f"looked for {wanted}; hidden files and the output folder are skipped"
