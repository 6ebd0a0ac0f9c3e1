"""Finding ffmpeg, lazily: at the moment audio is decoded or encoded, never at import."""

from __future__ import annotations

import os
import shutil
from functools import lru_cache

from narrate.errors import EncoderError

__all__ = ["find_ffmpeg", "INSTALL_HINT"]

INSTALL_HINT = (
    "install ffmpeg (e.g. `apt install ffmpeg` or `brew install ffmpeg`) "
    "or the imageio-ffmpeg package (`pip install imageio-ffmpeg`)"
)


def find_ffmpeg() -> str:
    """Return the path of an ffmpeg executable.

    The ``ffmpeg`` on ``PATH`` wins; otherwise the one ``IMAGEIO_FFMPEG_EXE``
    names, then the binary bundled with the ``imageio-ffmpeg`` package, then
    whatever else that package finds. Raises :class:`narrate.errors.EncoderError`
    when there is none.
    """
    on_path = shutil.which("ffmpeg")
    if on_path:
        return on_path
    named = os.environ.get("IMAGEIO_FFMPEG_EXE")
    if named:
        return named
    bundled = _bundled_ffmpeg()
    if bundled:
        return bundled
    try:
        import imageio_ffmpeg

        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except (ImportError, RuntimeError) as error:
        raise EncoderError("ffmpeg not found", INSTALL_HINT) from error


@lru_cache(maxsize=1)
def _bundled_ffmpeg() -> str | None:
    """The binary that comes with imageio-ffmpeg, if it is there and executable.

    ``imageio_ffmpeg.get_ffmpeg_exe()`` would find it too, but it first runs
    ``ffmpeg -version`` to check it: a process start (some 50 ms) in every
    narration. A broken binary shows up when it is run, as an :class:`EncoderError`.
    """
    try:
        from importlib.resources import files

        from imageio_ffmpeg._definitions import FNAME_PER_PLATFORM, get_platform

        name = FNAME_PER_PLATFORM.get(get_platform(), "")
        path = str(files("imageio_ffmpeg.binaries") / name) if name else ""
    except (ImportError, AttributeError, TypeError, ValueError, OSError):
        return None  # not installed, or laid out differently: ask the package
    if path and os.path.isfile(path) and os.access(path, os.X_OK):
        return path
    return None
