"""Cancelling a run's engine work: the retry loop stops trying, its backoff stops waiting.

The backoff sleeps are injected recorders, so no test waits for a delay; the one
real wait (the default sleep) is cut short by the cancellation it is testing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from narrate.engines.cancel import (
    Cancellation,
    Cancelled,
    current_cancellation,
    raise_if_cancelled,
    sleep_unless_cancelled,
)
from narrate.engines.gtts import GttsEngine
from narrate.engines.retry import AttemptFailed, RateLimiter, RetryPolicy, call_with_retries
from tests.fake_google import FakeGoogle, fake_google_fixture  # noqa: F401 - fixtures

LONG_S = 60.0
"""A sleep no test could sit out: finishing the test at all shows it was cut short."""


class Sleeps(list[float]):
    """A backoff sleep that records its argument and returns at once."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def retrying_policy(sleep: Sleeps) -> RetryPolicy:
    return RetryPolicy(sleep=sleep, random=lambda: 0.5, max_retries=4)


def always_failing(attempts: list[int], run: Cancellation | None = None) -> None:
    """An attempt that fails retryably; cancels ``run`` first, as Ctrl-C during a request would."""
    attempts.append(1)
    if run is not None:
        run.cancel()
    raise AttemptFailed("no answer within 30 s", retryable=True)


def test_a_cancelled_run_starts_no_attempt() -> None:
    run, attempts, sleeps = Cancellation(), list[int](), Sleeps()
    run.cancel()

    with run.applied(), pytest.raises(Cancelled):
        call_with_retries(lambda: always_failing(attempts), retrying_policy(sleeps))

    assert attempts == [] and sleeps == []


def test_a_failure_after_the_cancel_is_neither_retried_nor_reported() -> None:
    run, attempts, sleeps = Cancellation(), list[int](), Sleeps()

    with run.applied(), pytest.raises(Cancelled) as raised:
        call_with_retries(lambda: always_failing(attempts, run), retrying_policy(sleeps))

    assert attempts == [1]
    assert sleeps == []  # the retry warning is logged right before the sleep: none either
    assert isinstance(raised.value.__cause__, AttemptFailed)


def test_a_cancel_during_the_backoff_sleep_stops_before_the_next_attempt() -> None:
    run, attempts = Cancellation(), list[int]()

    def sleep_then_get_cancelled(seconds: float) -> None:
        sleeps.append(seconds)
        run.cancel()

    sleeps = Sleeps()
    policy = RetryPolicy(sleep=sleep_then_get_cancelled, random=lambda: 0.5)
    with run.applied(), pytest.raises(Cancelled):
        call_with_retries(lambda: always_failing(attempts), policy)

    assert attempts == [1] and sleeps == [0.25]


def test_a_final_failure_is_raised_as_itself_even_when_cancelled() -> None:
    run = Cancellation()

    def refused() -> None:
        run.cancel()
        raise AttemptFailed("HTTP 403", retryable=False)

    with run.applied(), pytest.raises(AttemptFailed, match="403"):
        call_with_retries(refused, retrying_policy(Sleeps()))


def test_an_uncancelled_run_retries_as_before() -> None:
    run, sleeps = Cancellation(), Sleeps()
    outcomes: Iterator[AttemptFailed | str] = iter(
        [AttemptFailed("HTTP 500", retryable=True), "audio"]
    )

    def flaky() -> str:
        outcome = next(outcomes)
        if isinstance(outcome, AttemptFailed):
            raise outcome
        return outcome

    with run.applied():
        assert call_with_retries(flaky, retrying_policy(sleeps)) == "audio"
    assert sleeps == [0.25]


def test_the_default_backoff_sleep_wakes_up_when_the_run_is_cancelled() -> None:
    assert RetryPolicy().sleep is sleep_unless_cancelled
    run = Cancellation()

    def sleep_long_in_run() -> None:
        with run.applied():
            sleep_unless_cancelled(LONG_S)

    sleeper = threading.Thread(target=sleep_long_in_run, daemon=True)
    sleeper.start()
    run.cancel()
    sleeper.join(timeout=10)

    assert not sleeper.is_alive()


def test_a_cancellation_applies_to_its_own_thread_and_only_while_applied() -> None:
    run = Cancellation()
    run.cancel()
    seen_elsewhere: list[bool] = []

    with run.applied():
        assert current_cancellation() is run
        other = threading.Thread(target=lambda: seen_elsewhere.append(_cancelled_here()))
        other.start()
        other.join()
        with pytest.raises(Cancelled):
            raise_if_cancelled()

    assert seen_elsewhere == [False]
    assert not _cancelled_here()


def test_outside_a_run_nothing_is_ever_cancelled() -> None:
    current_cancellation().cancel()  # cancels a throwaway, not a shared default

    assert not current_cancellation().cancelled
    raise_if_cancelled()


def test_gtts_sends_no_request_for_a_cancelled_run(fake_google: FakeGoogle) -> None:
    sleeps = Sleeps()
    limiter = RateLimiter(8.0, clock=lambda: 0.0, sleep=sleeps)
    engine = GttsEngine(retry=retrying_policy(sleeps), limiter=limiter)
    run = Cancellation()
    run.cancel()

    with run.applied(), pytest.raises(Cancelled):
        engine.synthesize("Ein Satz, der nie gesprochen wird.", "de", "de", 1.0)

    assert fake_google.requests == []


def test_gtts_sends_nothing_when_cancelled_while_waiting_at_the_limiter(
    fake_google: FakeGoogle,
) -> None:
    run = Cancellation()
    limiter = RateLimiter(8.0, clock=lambda: 0.0, sleep=lambda seconds: run.cancel())
    limiter.wait()  # the slot is taken: the next caller has to wait, and is cancelled meanwhile
    engine = GttsEngine(retry=retrying_policy(Sleeps()), limiter=limiter)

    with run.applied(), pytest.raises(Cancelled):
        engine.synthesize("Ein Satz, der nie gesprochen wird.", "de", "de", 1.0)

    assert fake_google.requests == []


def _cancelled_here() -> bool:
    return current_cancellation().cancelled
