"""Retrying flaky network calls: exponential backoff with full jitter, and a rate limiter.

Both take their clock, sleep and randomness as arguments, so tests never wait:
they pass a recording fake sleep and a fixed "random" number and assert the delays.

Backoff: before retry ``n`` (0 for the first retry) the call sleeps
``random() * min(max_delay, base_delay * factor ** n)`` ("full jitter"), unless the
failure said how long to wait (HTTP ``Retry-After``), in which case it sleeps that
long, capped at ``max_retry_after``.

Cancellation: :func:`call_with_retries` stops as soon as the run it works for is
cancelled (see :mod:`narrate.engines.cancel`): it checks before every attempt,
gives up on a failed attempt without a retry warning, and its default sleep
wakes up early. An attempt already on the wire is not aborted; its outcome is
dropped once it returns.
"""

from __future__ import annotations

import logging
import math
import os
import random as _random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from narrate.engines.cancel import (
    Cancelled,
    current_cancellation,
    raise_if_cancelled,
    sleep_unless_cancelled,
)

__all__ = [
    "AttemptFailed",
    "PROCESSES_ENV",
    "RateLimiter",
    "machine_share",
    "RetryPolicy",
    "call_with_retries",
    "BASE_DELAY",
    "FACTOR",
    "MAX_DELAY",
    "MAX_RETRIES",
    "MAX_RETRY_AFTER",
]

T = TypeVar("T")
log = logging.getLogger(__name__)

BASE_DELAY = 0.5
"""Seconds: the ceiling of the first retry's delay."""

FACTOR = 2.0
"""How much the ceiling grows with each further retry."""

MAX_DELAY = 8.0
"""Seconds: the ceiling never grows past this."""

MAX_RETRIES = 4
"""Retries after the first attempt (so at most five attempts)."""

MAX_RETRY_AFTER = 30.0
"""Seconds: the longest a server's ``Retry-After`` is honoured."""


class AttemptFailed(Exception):
    """One attempt failed.

    ``cause`` says why in a few words; ``retryable`` whether another attempt may
    succeed; ``retry_after`` how long the server asked us to wait, if it did.
    :func:`call_with_retries` sets ``attempts`` to how many attempts were made.
    """

    def __init__(self, cause: str, *, retryable: bool, retry_after: float | None = None) -> None:
        super().__init__(cause)
        self.cause = cause
        self.retryable = retryable
        self.retry_after = retry_after
        self.attempts = 1


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently to retry."""

    base_delay: float = BASE_DELAY
    """Seconds: the ceiling of the first retry's delay."""
    factor: float = FACTOR
    """How much the ceiling grows with each further retry."""
    max_delay: float = MAX_DELAY
    """Seconds: the largest ceiling."""
    max_retries: int = MAX_RETRIES
    """Retries after the first attempt; 0 never retries."""
    max_retry_after: float = MAX_RETRY_AFTER
    """Seconds: cap on a server's ``Retry-After``."""
    sleep: Callable[[float], None] = sleep_unless_cancelled
    """Waits the given seconds, less if the run is cancelled (tests pass a recorder)."""
    random: Callable[[], float] = _random.random
    """A number in [0, 1) scaling each delay (tests pass a constant)."""

    def delay(self, retry: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number ``retry`` (0-based)."""
        if retry_after is not None:
            return max(0.0, min(retry_after, self.max_retry_after))
        ceiling = min(self.max_delay, self.base_delay * self.factor**retry)
        return ceiling * self.random()


def call_with_retries(attempt: Callable[[], T], policy: RetryPolicy) -> T:
    """``attempt()``'s result, retrying it on a retryable :class:`AttemptFailed`.

    Each retry is logged as a warning (what failed, how long it waits), so a run
    that stalls on a rate limit says why. Raises the last failure (with
    ``attempts`` set) when it is not retryable or the retries are used up; any
    other exception passes through at once. Raises
    :class:`~narrate.engines.cancel.Cancelled` instead of starting an attempt,
    or of retrying one, once the current run is cancelled.
    """
    for retry in range(policy.max_retries + 1):
        raise_if_cancelled()
        try:
            return attempt()
        except AttemptFailed as failure:
            failure.attempts = retry + 1
            if not failure.retryable or retry == policy.max_retries:
                raise
            _back_off(failure, retry, policy)
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def _back_off(failure: AttemptFailed, retry: int, policy: RetryPolicy) -> None:
    """Say why and how long, then wait before retry ``retry``; Cancelled if the run was."""
    if current_cancellation().cancelled:  # nobody waits for it: no warning, no retry
        raise Cancelled("the run was cancelled") from failure
    delay = policy.delay(retry, failure.retry_after)
    log.warning(
        "%s; retrying in %.1f s (attempt %d of %d)",
        failure.cause, delay, retry + 2, policy.max_retries + 1,
    )  # fmt: skip
    policy.sleep(delay)


PROCESSES_ENV = "NARRATE_PROCESSES"
"""How many narrate processes on this machine share its request rates.

A local batch sets it in each worker to the number of workers, so that together
they send no more than one process alone would.
"""


def machine_share() -> int:
    """The number of processes a per-machine rate is divided among (1 unless set)."""
    value = os.environ.get(PROCESSES_ENV, "")
    return int(value) if value.isdigit() and int(value) > 0 else 1


class RateLimiter:
    """At most ``per_second`` calls to :meth:`wait` return per second, across threads.

    Each caller reserves the next free slot under a lock, then sleeps outside it
    until that slot, so waiting callers never block each other's bookkeeping.
    """

    def __init__(
        self,
        per_second: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """``clock`` returns seconds (monotonic); ``sleep`` waits (tests pass fakes)."""
        if per_second <= 0:
            raise ValueError(f"per_second must be positive, got {per_second}")
        self.interval = 1.0 / per_second
        self._clock = clock
        self._sleep = sleep
        self._next = -math.inf
        self._lock = threading.Lock()

    def wait(self) -> float:
        """Block until this caller may go; returns the seconds it waited."""
        with self._lock:
            now = self._clock()
            slot = max(now, self._next)
            self._next = slot + self.interval
        delay = slot - now
        if delay > 0:
            self._sleep(delay)
        return delay
