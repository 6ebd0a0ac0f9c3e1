"""Cancelling engine work nobody waits for any more: after Ctrl-C or a chunk that failed for good.

A :class:`Cancellation` belongs to one rendering run. The renderer runs every
chunk's work with :meth:`Cancellation.applied`, which makes it the *current*
cancellation of that thread (a context variable), and calls
:meth:`Cancellation.cancel` when the run stops early. Code deep inside an engine
asks :func:`current_cancellation` instead of taking a parameter, so the
:class:`~narrate.engines.base.Engine` protocol (and third-party engines) stay as
they are: :func:`~narrate.engines.retry.call_with_retries` checks it before every
attempt and its default backoff sleep (:func:`sleep_unless_cancelled`) wakes up
when it is cancelled.

Work that runs outside any run (a direct ``engine.synthesize`` call) sees a
cancellation that is never cancelled.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = [
    "Cancellation",
    "Cancelled",
    "current_cancellation",
    "raise_if_cancelled",
    "sleep_unless_cancelled",
]


class Cancelled(Exception):
    """The run this work belongs to was cancelled; its result is no longer wanted."""


class Cancellation:
    """A one-way signal, safe across threads: not cancelled, then cancelled for good."""

    def __init__(self) -> None:
        self._event = threading.Event()

    @property
    def cancelled(self) -> bool:
        """Whether :meth:`cancel` was called."""
        return self._event.is_set()

    def cancel(self) -> None:
        """Tell all work of this run to stop at its next check; wakes waiting sleeps."""
        self._event.set()

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``, less if cancelled meanwhile; whether it is cancelled."""
        return self._event.wait(max(0.0, seconds))

    @contextmanager
    def applied(self) -> Iterator[None]:
        """Make this the current cancellation of the calling thread meanwhile."""
        token = _current.set(self)
        try:
            yield
        finally:
            _current.reset(token)


_current: ContextVar[Cancellation | None] = ContextVar("narrate_cancellation", default=None)


def current_cancellation() -> Cancellation:
    """The cancellation of the run the calling thread works for.

    Outside a run it is a fresh one that nothing else sees, so it stays uncancelled.
    """
    return _current.get() or Cancellation()


def raise_if_cancelled() -> None:
    """Raise :class:`Cancelled` if the current run was cancelled."""
    if current_cancellation().cancelled:
        raise Cancelled("the run was cancelled")


def sleep_unless_cancelled(seconds: float) -> None:
    """Sleep ``seconds``, returning early when the current run is cancelled meanwhile."""
    current_cancellation().wait(seconds)
