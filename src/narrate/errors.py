"""One exception tree for narrate.

Every error carries the exit code the command line uses for it and a message that
says what happened plus the probable cause or fix. The CLI is the only place that
turns these into messages and exit codes.
"""

from __future__ import annotations

__all__ = [
    "NarrateError",
    "InputError",
    "UsageError",
    "EngineError",
    "EngineUnavailableError",
    "EncoderError",
    "NetworkError",
    "EXIT_OK",
    "EXIT_FAILED",
    "EXIT_USAGE",
    "EXIT_INTERRUPTED",
]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143
"""Stopped by SIGTERM (what ``timeout``, systemd and ``docker stop`` send): 128 + 15."""
EXIT_BROKEN_PIPE = 141
"""The reader of stdout went away (``narrate engines | head -1``): 128 + SIGPIPE."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C (everything cleans up) but exiting with 143."""


class NarrateError(Exception):
    """Base of every error narrate raises on purpose.

    ``exit_code`` is what the command line exits with; ``hint`` is an optional
    second clause telling the user what to do.
    """

    exit_code: int = EXIT_FAILED

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message} ({self.hint})"
        return self.message


class InputError(NarrateError):
    """The article could not be read: missing, empty, binary or undecodable."""

    exit_code = EXIT_USAGE


class UsageError(NarrateError):
    """A bad option value: unknown engine, voice or language, bad pause, bad config."""

    exit_code = EXIT_USAGE


class EngineError(NarrateError):
    """A speech engine failed while synthesizing (run failure, exit 1)."""


class EngineUnavailableError(EngineError):
    """An engine cannot run here: missing library, no network, no voice."""


class EncoderError(NarrateError):
    """ffmpeg is missing or failed to decode or encode audio."""


class NetworkError(NarrateError):
    """A web page could not be fetched: DNS, refused, timeout, HTTP error (run failure, exit 1)."""
