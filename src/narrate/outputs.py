"""Where narrate can write audio: the formats by file extension, and stdout.

Kept apart from the encoder so that the command line can check an output name
without loading the audio libraries.
"""

from __future__ import annotations

__all__ = ["FORMATS", "STDOUT"]

FORMATS: dict[str, str] = {
    ".mp3": "mp3",
    ".wav": "wav",
    ".ogg": "ogg",
    ".opus": "opus",
    ".m4a": "m4a",
}
"""File extension -> format name, for every format the encoder writes."""

STDOUT = "-"
"""The output name that means standard output."""
