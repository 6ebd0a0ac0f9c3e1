"""Atomic output: write to a temporary file beside the target, then rename.

A failed or interrupted run leaves no partial file and never damages an
earlier output of the same name.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_path", "write_text_atomic"]


@contextlib.contextmanager
def atomic_path(destination: Path) -> Iterator[Path]:
    """Yield a temporary path in ``destination``'s folder; rename it on success.

    The temporary file keeps the destination's suffix, so tools that pick a
    format by extension (ffmpeg, mutagen) see the right one.
    """
    descriptor, name = tempfile.mkstemp(
        prefix=f".{destination.stem}.", suffix=f".part{destination.suffix}", dir=destination.parent
    )
    os.close(descriptor)
    temporary = Path(name)
    try:
        yield temporary
        _keep_permissions(destination, temporary)
        os.replace(temporary, destination)
    finally:
        temporary.unlink(missing_ok=True)


def write_text_atomic(destination: Path, text: str) -> None:
    """Write ``text`` as UTF-8 to ``destination`` atomically."""
    with atomic_path(destination) as temporary:
        temporary.write_text(text, encoding="utf-8")


def _keep_permissions(destination: Path, temporary: Path) -> None:
    """Give the new file the old file's mode, or the usual mode for a new file."""
    try:
        mode = destination.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    temporary.chmod(mode)
