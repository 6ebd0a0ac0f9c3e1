"""Times as people and file formats write them, from milliseconds.

Every place that shows a narration's length or a position in it uses these, so
the summary line, the player and the chapter list agree to the second.
"""

from __future__ import annotations

__all__ = ["clock", "timestamp"]


def clock(milliseconds: int) -> str:
    """``M:SS``, or ``H:MM:SS`` from an hour on, with the seconds floored.

    Floored, as browsers' and podcast apps' time displays do: 2:54.957 is ``2:54``.
    """
    hours, minutes, seconds, _ = _parts(milliseconds)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def timestamp(milliseconds: int) -> str:
    """``HH:MM:SS.mmm``, as WebVTT cues and Vorbis chapter comments write a time."""
    hours, minutes, seconds, millis = _parts(milliseconds)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def _parts(milliseconds: int) -> tuple[int, int, int, int]:
    seconds, millis = divmod(milliseconds, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return hours, minutes, seconds, millis
