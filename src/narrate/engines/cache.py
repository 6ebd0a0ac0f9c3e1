"""The chunk cache: rendered audio, addressed by everything that shaped it.

The key is a SHA-256 over the engine's name and version, the voice, the
language, the speed and the exact spoken text, so an edited sentence misses
and every other sentence of the article hits. Entries are files
``<root>/<2 hex>/<64 hex>.pcm``: a header (magic, sample rate, length, a
BLAKE2 digest of the PCM) and the PCM itself.

The cache also keeps what narrate made of a run's audio (:meth:`ChunkCache.get_data`):
the encoded MP3 frames and the loudness blocks of each part of a narration, as
entries ``<root>/<2 hex>/<64 hex>.bin`` with the same header (a magic of their own),
so that a run after an edit encodes only the parts that changed.

Many processes may share one cache (batch workers): entries are written to a
temporary file in the same folder and renamed, so a reader sees a whole entry
or none; an entry whose header or digest does not match is deleted and
counts as a miss. Reading an entry refreshes its modification time, and
:meth:`ChunkCache.trim` evicts the least recently used entries once the
cache is over its size cap.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import struct
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_cache_dir

from narrate.engines.base import Clip, Engine
from narrate.errors import UsageError

__all__ = ["CACHE_DIR_ENV", "DEFAULT_MAX_BYTES", "CacheInfo", "ChunkCache", "default_cache_dir"]

log = logging.getLogger(__name__)

CACHE_DIR_ENV = "NARRATE_CACHE_DIR"
"""Environment variable naming the cache folder."""
DEFAULT_MAX_BYTES = 2 * 1024**3
"""The size cap: 2 GiB, about 13 hours of 22 kHz audio."""

_MAGIC = b"NRC1"
_DATA_MAGIC = b"NRD1"
_HEADER = struct.Struct("<4sIQ16s")
"""Magic, sample rate (0 for data), length in bytes, BLAKE2b-128 digest of the contents."""
_SUFFIX = ".pcm"
_DATA_SUFFIX = ".bin"
_TEMPORARY_PREFIX = ".tmp-"
USAGE_FILE = "usage.json"
"""The cache's size at its last count, and when that was (see :meth:`ChunkCache.trim`)."""
RECOUNT_SECONDS = 3600
"""The entries are counted again at least this often when the cache is trimmed."""
STALE_SECONDS = 3600
"""A temporary file this old belongs to no running write: a killed process left it."""
_TRIM_TO = 0.9
"""Eviction goes down to this share of the cap, so it does not run on every write."""


def default_cache_dir() -> Path:
    """``$NARRATE_CACHE_DIR``, else the platform's user cache folder for narrate."""
    configured = os.environ.get(CACHE_DIR_ENV)
    return Path(configured) if configured else Path(user_cache_dir("narrate")) / "chunks"


@dataclass(frozen=True)
class CacheInfo:
    """What the cache holds."""

    root: Path
    entries: int
    """Rendered chunks."""
    size_bytes: int
    max_bytes: int
    parts: int = 0
    """Kept parts of narrations (encoded frames, loudness)."""


class ChunkCache:
    """Rendered chunks on disk, shared by runs and processes."""

    def __init__(self, root: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self._unwritable = False
        self._written = 0
        """Bytes of entries this object wrote since it last trimmed."""
        self._lock = threading.Lock()
        self._counted_at = 0.0
        self._identities: dict[tuple[int, str], tuple[Engine, str, str]] = {}
        """(engine id, voice) -> (the engine, its version, the voice's identity), asked once
        per cache object (one run): a Piper voice's identity reads its files, its version
        the package metadata. Holding the engine keeps its id from being reused."""

    def key(self, engine: Engine, voice: str, lang: str, speed: float, text: str) -> str:
        """The address of one chunk's audio."""
        version, identity = self._identity(engine, voice)
        fields = {
            "engine": engine.name,
            "version": version,
            "voice": identity,
            "lang": lang,
            "speed": round(speed, 4),
            "text": text,
        }
        return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()

    def _identity(self, engine: Engine, voice: str) -> tuple[str, str]:
        known = self._identities.get((id(engine), voice))
        if known is None:
            known = engine, _engine_version(engine), _voice_identity(engine, voice)
            self._identities[(id(engine), voice)] = known
        return known[1], known[2]

    def has(self, key: str) -> bool:
        """Whether there is an entry for ``key`` (not read: it may still prove corrupt)."""
        return self._path(key).is_file()

    def get(self, key: str) -> Clip | None:
        """The cached clip, or ``None`` (missing or corrupt: a corrupt entry is deleted)."""
        data = self._read(self._path(key))
        if data is None:
            return None
        rate, pcm = data
        return Clip(pcm, rate)

    def put(self, key: str, clip: Clip) -> None:
        """Store ``clip`` atomically; a cache that cannot be written only logs, once.

        After the first failure (a full disk, a folder that is a file, no write
        permission) the rest of the run does without storing.
        """
        self._write(self._path(key), _encode(_MAGIC, clip.sample_rate, clip.pcm))

    @staticmethod
    def data_key(fields: dict[str, object]) -> str:
        """The address of data described by ``fields`` (JSON values; include a kind)."""
        return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()

    def get_data(self, key: str) -> bytes | None:
        """Data stored with :meth:`put_data`, or ``None`` (missing or corrupt, as :meth:`get`)."""
        data = self._read(self._path(key, _DATA_SUFFIX))
        return None if data is None else data[1]

    def put_data(self, key: str, data: bytes) -> None:
        """Store ``data`` atomically, like :meth:`put`."""
        self._write(self._path(key, _DATA_SUFFIX), _encode(_DATA_MAGIC, 0, data))

    def _read(self, path: Path) -> tuple[int, bytes] | None:
        """An entry's sample rate and contents; a corrupt entry is deleted."""
        try:
            data = path.read_bytes()
        except OSError:
            return None
        entry = _decode(data, _DATA_MAGIC if path.suffix == _DATA_SUFFIX else _MAGIC)
        if entry is None:
            log.warning("dropping a corrupt cache entry: %s", path)
            with contextlib.suppress(OSError):
                path.unlink()
            return None
        with contextlib.suppress(OSError):
            os.utime(path)
        return entry

    def _write(self, path: Path, entry: bytes) -> None:
        if self._unwritable:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _write_atomically(path, entry)
            with self._lock:  # render and measuring threads write too
                self._written += len(entry)
        except OSError as error:
            self._unwritable = True
            log.warning(
                "could not write to the cache %s (%s); not caching for the rest of this run",
                self.root,
                error.strerror or error,
            )

    def info(self) -> CacheInfo:
        """How many entries and bytes the cache holds."""
        self._check_folder()
        entries = [(path.suffix, size) for path, size, _ in self._entries()]
        chunks = sum(suffix == _SUFFIX for suffix, _ in entries)
        size = sum(size for _, size in entries)
        return CacheInfo(self.root, chunks, size, self.max_bytes, len(entries) - chunks)

    def clear(self) -> int:
        """Delete every entry (and stale temporary files); return how many entries."""
        self._check_folder()
        removed = 0
        for path, _, _ in self._entries():
            with contextlib.suppress(OSError):
                path.unlink()
                removed += 1
        self._remove_stale_temporaries()
        with contextlib.suppress(OSError):
            (self.root / USAGE_FILE).unlink()
        return removed

    def trim(self) -> int:
        """Evict least recently used entries while over the cap; return how many.

        Counting the entries means visiting every one, which takes a while in a big
        cache, so the total of the last count (kept in :data:`USAGE_FILE`) plus what
        was written since stands in for it; the entries are counted again when that
        estimate reaches the cap, or after :data:`RECOUNT_SECONDS`. The estimate is
        approximate when processes share the cache (two that trim at once may each
        count the other's writes, or drop them): the hourly count puts it right.
        """
        estimate = self._usage_estimate()
        if estimate is not None and estimate <= self.max_bytes:
            self._written = 0
            self._save_usage(estimate, counted_at=self._counted_at)
            return 0
        self._remove_stale_temporaries()
        entries = sorted(self._entries(), key=lambda entry: entry[2])
        total = sum(size for _, size, _ in entries)
        removed = 0
        goal = self.max_bytes * _TRIM_TO if total > self.max_bytes else total
        for path, size, _ in entries:
            if total <= goal:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                total, removed = total - size, removed + 1
        self._written = 0
        self._save_usage(total, counted_at=time.time())
        return removed

    def _usage_estimate(self) -> int | None:
        """The last count plus what this cache object wrote since; ``None`` when there is
        no recent count to go by."""
        try:
            usage = json.loads((self.root / USAGE_FILE).read_text(encoding="utf-8"))
            total, counted_at = int(usage["bytes"]), float(usage["counted_at"])
        except (OSError, ValueError, TypeError, KeyError):
            return None
        if not 0 <= time.time() - counted_at < RECOUNT_SECONDS:
            return None
        self._counted_at = counted_at
        return total + self._written

    def _save_usage(self, total: int, counted_at: float) -> None:
        if self._unwritable or not self.root.is_dir():
            return
        usage = json.dumps({"bytes": total, "counted_at": counted_at}).encode()
        with contextlib.suppress(OSError):
            _write_atomically(self.root / USAGE_FILE, usage)

    def _check_folder(self) -> None:
        """Refuse a cache "folder" that is, or lies inside, a file (:class:`UsageError`)."""
        for folder in (self.root, *self.root.parents):
            if folder.exists():
                if not folder.is_dir():
                    where = "a file" if folder == self.root else f"inside the file {folder}"
                    raise UsageError(f"the cache folder {self.root} is {where}", "name a folder")
                return

    def _remove_stale_temporaries(self) -> None:
        """Temporary files a killed process left (older than :data:`STALE_SECONDS`)."""
        if not self.root.is_dir():
            return
        cutoff = time.time() - STALE_SECONDS
        for path in self.root.glob(f"??/{_TEMPORARY_PREFIX}*"):
            with contextlib.suppress(OSError):
                if path.stat().st_mtime < cutoff:
                    path.unlink()

    def _path(self, key: str, suffix: str = _SUFFIX) -> Path:
        return self.root / key[:2] / f"{key}{suffix}"

    def _entries(self) -> Iterator[tuple[Path, int, float]]:
        """Every entry (clips and data) with its size and last use (modification time)."""
        for folder in _scan(self.root):
            if len(folder.name) != 2 or not folder.is_dir(follow_symlinks=False):
                continue
            for entry in _scan(Path(folder.path)):
                if Path(entry.name).suffix not in (_SUFFIX, _DATA_SUFFIX):
                    continue  # a temporary file has no suffix
                with contextlib.suppress(OSError):
                    stat = entry.stat(follow_symlinks=False)
                    yield Path(entry.path), stat.st_size, stat.st_mtime


def _scan(folder: Path) -> list[os.DirEntry[str]]:
    """The entries of ``folder``; none if it is missing or unreadable."""
    try:
        with os.scandir(folder) as entries:
            return list(entries)
    except OSError:
        return []


def _engine_version(engine: Engine) -> str:
    """The engine's own ``version`` if it has one, else its class's full name."""
    version = getattr(engine, "version", None)
    kind = type(engine)
    return str(version) if version else f"{kind.__module__}.{kind.__qualname__}"


def _voice_identity(engine: Engine, voice: str) -> str:
    """The voice as the engine identifies it (``voice_identity`` hook), else its name."""
    identify = getattr(engine, "voice_identity", None)
    return str(identify(voice)) if callable(identify) and voice else voice


def _digest(pcm: bytes) -> bytes:
    return hashlib.blake2b(pcm, digest_size=16).digest()


def _encode(magic: bytes, rate: int, contents: bytes) -> bytes:
    return _HEADER.pack(magic, rate, len(contents), _digest(contents)) + contents


def _decode(data: bytes, expected: bytes) -> tuple[int, bytes] | None:
    """An entry's sample rate and contents, ``None`` if it is not a whole, intact one."""
    if len(data) < _HEADER.size:
        return None
    magic, rate, length, digest = _HEADER.unpack_from(data)
    contents = data[_HEADER.size :]
    rate_ok = rate == 0 if expected == _DATA_MAGIC else rate > 0
    if magic != expected or not rate_ok or length != len(contents):
        return None
    return (rate, contents) if digest == _digest(contents) else None


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(prefix=_TEMPORARY_PREFIX, dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
