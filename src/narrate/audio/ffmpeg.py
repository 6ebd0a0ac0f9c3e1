"""Finding ffmpeg, lazily: at the moment audio is decoded or encoded, never at import."""

from __future__ import annotations

import shutil

from narrate.errors import EncoderError

__all__ = ["find_ffmpeg", "INSTALL_HINT"]

INSTALL_HINT = (
    "install ffmpeg (e.g. `apt install ffmpeg` or `brew install ffmpeg`) "
    "or the imageio-ffmpeg package (`pip install imageio-ffmpeg`)"
)


def find_ffmpeg() -> str:
    """Return the path of an ffmpeg executable.

    The ``ffmpeg`` on ``PATH`` wins; otherwise the binary bundled with the
    ``imageio-ffmpeg`` package (which also honours ``IMAGEIO_FFMPEG_EXE``).
    Raises :class:`narrate.errors.EncoderError` when neither exists.
    """
    on_path = shutil.which("ffmpeg")
    if on_path:
        return on_path
    try:
        import imageio_ffmpeg

        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except (ImportError, RuntimeError) as error:
        raise EncoderError("ffmpeg not found", INSTALL_HINT) from error
