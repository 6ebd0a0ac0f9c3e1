"""The batch manifest: what was narrated, from which source, with which settings.

``narrate-manifest.json`` in the output folder holds one entry per article, keyed
by its relative name::

    {"version": 1, "articles": {"politik/wahl.txt": {
        "source": "/data/articles/politik/wahl.txt", "source_sha256": "…",
        "settings_sha256": "…", "status": "done", "duration_ms": 81234,
        "outputs": [{"path": "politik/wahl.mp3", "bytes": 654321}],
        "error": "", "finished": "2026-11-25T10:04:31Z"}}}

An article is skipped when its entry is ``done``, the source and settings digests
match, and every output is still there with its recorded size. The file is
rewritten atomically after every article, so it always describes what is on disk,
and a lock keeps two batches from writing into one folder at once.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import hashlib
import json
import logging
import math
import os
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from narrate import __version__
from narrate.atomic import write_text_atomic
from narrate.batch.jobs import BatchJob, JobResult, JobStatus
from narrate.batch.plan import LOCK_NAME, MANIFEST_NAME, PlanProblem, normal_path
from narrate.errors import NarrateError, UsageError
from narrate.settings import Settings

__all__ = ["Manifest", "SettingsFingerprint", "fingerprint", "source_digest", "manifest_lock"]

log = logging.getLogger(__name__)

MANIFEST_VERSION = 1
SAVE_INTERVAL = 1.0
"""Seconds between two saves of a changing manifest at the least (see :class:`Manifest`)."""
_NOT_AUDIO_SHAPING = frozenset({"cache", "cache_dir", "cache_max_mb", "concurrency"})
"""Settings that change how fast a narration is made, never what it sounds like."""
_HASH_BLOCK = 1 << 20


@dataclasses.dataclass(frozen=True)
class SettingsFingerprint:
    """The settings that shape an article's outputs, and their digest."""

    digest: str
    values: dict[str, Any]


def fingerprint(settings: Settings, audio_suffix: str) -> SettingsFingerprint:
    """Digest of everything that shapes the outputs: voice, pauses, loudness, lexicon contents…

    Cache and concurrency settings are left out (they never change the sound); the
    lexicons count by content, so editing a lexicon file redoes the articles.
    """
    values = {
        name: value
        for name, value in dataclasses.asdict(settings).items()
        if name not in _NOT_AUDIO_SHAPING
    }
    values["lexicons"] = [_lexicon_identity(Path(path)) for path in settings.lexicons]
    values["format"] = audio_suffix
    text = json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)
    return SettingsFingerprint(hashlib.sha256(text.encode()).hexdigest(), values)


def _lexicon_identity(path: Path) -> dict[str, str]:
    try:
        digest = source_digest(path)
    except OSError:
        digest = "missing"
    return {"path": str(path), "sha256": digest}


def source_digest(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(_HASH_BLOCK):
            digest.update(block)
    return digest.hexdigest()


class Manifest:
    """The manifest of one output folder, loaded once and saved as it changes.

    A change is saved at once unless the last save was very recent: then it waits
    for the next change after :data:`SAVE_INTERVAL` (or ten times as long as a save
    takes, for a huge manifest), or for :meth:`flush`. So a batch of thousands of
    articles does not rewrite a growing file after every one, and the file never
    lists an output that is not on disk (a change not yet saved is an article the
    next run narrates again).

    When an article is narrated again, the files its entry listed that the new
    narration did not write (see :meth:`superseded`) are removed right after the
    save that stops listing them: never before, so the file never lists a missing
    output; a run killed in between leaves the old entry, whose source or settings
    no longer match, so the next run narrates the article again and removes them.
    """

    def __init__(self, out_dir: Path, articles: dict[str, dict[str, Any]] | None = None) -> None:
        self.out_dir = out_dir
        self.path = out_dir / MANIFEST_NAME
        self.articles: dict[str, dict[str, Any]] = articles or {}
        self._unsaved = False
        self._next_save = -math.inf
        self._outdated: list[Path] = []
        """Superseded outputs to remove once a save no longer lists them."""

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        """Read the folder's manifest; a missing one is empty, a damaged one is kept aside."""
        path = out_dir / MANIFEST_NAME
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            articles = document["articles"]
            if not isinstance(articles, dict):
                raise TypeError("articles is not an object")
        except FileNotFoundError:
            return cls(out_dir)
        except (OSError, ValueError, KeyError, TypeError) as error:
            kept = _keep_aside(path)
            log.warning("the manifest %s is damaged (%s); kept it as %s", path, error, kept.name)
            return cls(out_dir)
        return cls(out_dir, articles)

    def is_current(self, job: BatchJob, digest: str, settings: SettingsFingerprint) -> bool:
        """Whether ``job`` was narrated from this source with these settings, outputs intact."""
        entry = self.articles.get(job.name)
        if not entry or entry.get("status") != JobStatus.DONE.value:
            return False
        if entry.get("source_sha256") != digest or entry.get("settings_sha256") != settings.digest:
            return False
        return all(self._intact(output) for output in entry.get("outputs", ()))

    def _intact(self, output: dict[str, Any]) -> bool:
        try:
            return bool((self.out_dir / output["path"]).stat().st_size == output["bytes"])
        except (OSError, KeyError, TypeError):
            return False

    def outputs(self) -> set[Path]:
        """Every file any entry lists as an output (never to be read as an article)."""
        return {
            self.out_dir / output["path"]
            for entry in self.articles.values()
            for output in entry.get("outputs", ())
            if isinstance(output, dict) and "path" in output
        }

    def superseded(self, result: JobResult) -> list[Path]:
        """The files listed for ``result``'s article that its new narration did not write.

        Only for a narration that succeeded and wrote files: what its entry listed
        before (``ARTICLE.vtt`` after a run without ``--captions``, say) that is
        still the very file narrate wrote (same size), inside the output folder, and
        not listed by any other article. Remove them once the new outputs are there,
        so no timings or page that do not match the audio stay beside it.
        """
        if result.status is not JobStatus.DONE or not result.outputs:
            return []
        written = {normal_path(path) for path in result.outputs}
        unwritten = [
            (path, output)
            for output in self._earlier_outputs(result.job.name)
            if (path := self._inside(output)) is not None and path not in written
        ]
        if not unwritten:  # the usual case: the same outputs again; no need to look further
            return []
        listed_elsewhere = self._outputs_except(result.job.name)
        return [
            path
            for path, output in unwritten
            if path not in listed_elsewhere and self._intact(output) and not path.is_symlink()
        ]

    def _inside(self, output: object) -> Path | None:
        """The absolute path of a listed output, or ``None`` if it is not safely inside."""
        if not isinstance(output, dict) or not isinstance(output.get("path"), str):
            return None
        relative = Path(output["path"])
        path = normal_path(self.out_dir / relative)
        folder_inside = path.parent.resolve().is_relative_to(self.out_dir.resolve())
        return path if folder_inside and ".." not in relative.parts else None

    def _outputs_except(self, name: str) -> set[Path]:
        return {
            normal_path(self.out_dir / output["path"])
            for other, entry in self.articles.items()
            if other != name
            for output in entry.get("outputs", ())
            if isinstance(output, dict) and isinstance(output.get("path"), str)
        }

    def forget_missing(self, searched: Iterable[Path]) -> list[str]:
        """Drop the entries of articles whose source is gone from a folder that was searched.

        ``searched`` are the folders this batch looked in (absolute): an article
        elsewhere may belong to another command, or sit on a share that is not
        mounted, and is kept. The outputs of a dropped entry stay on disk. Returns
        the names dropped.
        """
        folders = [normal_path(folder) for folder in searched]
        gone = [
            name
            for name, entry in self.articles.items()
            if _source_gone(entry.get("source"), folders)
        ]
        for name in gone:
            del self.articles[name]
        if gone:
            self._changed()
        return gone

    def record(self, result: JobResult, digest: str, settings: SettingsFingerprint) -> None:
        """Store how ``result``'s article ended and save the manifest.

        The files the new narration superseded are removed after the save.
        """
        job = result.job
        self._outdated += self.superseded(result)
        entry: dict[str, Any] = {
            "source": str(job.source),
            "source_sha256": digest,
            "settings_sha256": settings.digest,
            "settings": settings.values,
            "status": result.status.value,
            "duration_ms": result.duration_ms,
            "outputs": self._describe(result.outputs) or self._earlier_outputs(job.name),
            "error": result.error,
            "warnings": list(result.warnings),
            "narrate": __version__,
            "finished": _now(),
        }
        self.articles[job.name] = entry
        self._changed()

    def record_problem(self, problem: PlanProblem) -> None:
        """Store an article that could not be planned, keeping its earlier outputs listed."""
        self.articles[problem.name] = {
            "source": str(problem.source),
            "status": JobStatus.FAILED.value,
            "outputs": self._earlier_outputs(problem.name),
            "error": problem.reason,
            "finished": _now(),
        }
        self._changed()

    def _describe(self, outputs: tuple[Path, ...]) -> list[dict[str, Any]]:
        described = []
        for path in outputs:
            relative = os.path.relpath(path, self.out_dir)
            described.append({"path": Path(relative).as_posix(), "bytes": path.stat().st_size})
        return described

    def _earlier_outputs(self, name: str) -> list[dict[str, Any]]:
        """A failed re-run leaves the earlier files in place, so they stay listed."""
        outputs = self.articles.get(name, {}).get("outputs", [])
        return list(outputs) if isinstance(outputs, list) else []

    def _changed(self) -> None:
        self._unsaved = True
        if time.monotonic() >= self._next_save:
            self.save()

    def flush(self) -> None:
        """Save what changed since the last save, if anything did."""
        if self._unsaved:
            self.save()

    def save(self) -> None:
        """Write the manifest atomically."""
        start = time.monotonic()
        document = {"version": MANIFEST_VERSION, "articles": dict(sorted(self.articles.items()))}
        text = json.dumps(document, ensure_ascii=False, indent=1, default=str) + "\n"
        self.out_dir.mkdir(parents=True, exist_ok=True)
        write_text_atomic(self.path, text)
        self._unsaved = False
        self._remove_outdated()
        took = time.monotonic() - start
        self._next_save = start + took + max(SAVE_INTERVAL, 10 * took)

    def _remove_outdated(self) -> None:
        """Delete the superseded outputs that the saved manifest no longer lists."""
        if not self._outdated:
            return
        listed = {normal_path(path) for path in self.outputs()}
        for path in self._outdated:
            if path in listed:  # listed again since (narrated again with it)
                continue
            try:
                path.unlink(missing_ok=True)
            except OSError as error:
                log.warning("could not remove the outdated %s: %s", path, error.strerror or error)
        self._outdated = []


def _source_gone(source: object, folders: list[Path]) -> bool:
    """Whether ``source`` (a manifest entry's) lies in one of ``folders`` and is not there."""
    if not isinstance(source, str) or not source:
        return False
    path = normal_path(Path(source))
    inside = any(path.is_relative_to(folder) for folder in folders)
    return inside and not path.exists()


def _keep_aside(path: Path) -> Path:
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%S")
    kept = path.with_name(f"{path.name}.damaged-{stamp}")
    with contextlib.suppress(OSError):
        path.replace(kept)
    return kept


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@contextlib.contextmanager
def manifest_lock(out_dir: Path) -> Iterator[None]:
    """Hold the output folder for one batch; a second batch there is refused (exit 2).

    A folder it had to create is removed again when the batch stops on a usage
    or input error before writing anything into it (only the lock is there).
    """
    created = not out_dir.exists()
    try:
        yield from _locked(out_dir)
    except NarrateError:
        if created:
            _remove_if_only_the_lock(out_dir)
        raise


def _remove_if_only_the_lock(out_dir: Path) -> None:
    with contextlib.suppress(OSError):
        if [path.name for path in out_dir.iterdir()] == [LOCK_NAME]:
            (out_dir / LOCK_NAME).unlink()
        out_dir.rmdir()  # only when empty


def _locked(out_dir: Path) -> Iterator[None]:
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no lock, as before
        yield
        return
    with (out_dir / LOCK_NAME).open("a+") as lock:
        try:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UsageError(
                f"another narrate batch is writing to {out_dir}",
                "wait for it to finish or choose another -o folder",
            ) from None
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
