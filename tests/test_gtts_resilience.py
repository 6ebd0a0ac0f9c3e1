"""The gtts engine under a misbehaving service: retries, backoff, short audio, rate limits.

Every wait goes through an injected sleep that only records, and every "random"
jitter is the constant 0.5, so the delays are exact and no test ever sleeps. The
only real waits are the engine's request timeouts in the two timeout tests.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from narrate.engines import gtts as gtts_engine
from narrate.engines.gtts import MIN_MS_PER_CHAR, GttsEngine
from narrate.engines.retry import (
    PROCESSES_ENV,
    AttemptFailed,
    RateLimiter,
    RetryPolicy,
    call_with_retries,
    machine_share,
)
from narrate.errors import EXIT_FAILED, EncoderError, EngineError, EngineUnavailableError
from tests.fake_google import (  # noqa: F401 - fixtures
    TRUNCATED_BYTES,
    FakeGoogle,
    fake_google_fixture,
    tone_ms,
)

GERMAN = "Am dritten Mai beginnt die Sanierung der Brücke, die seit Jahren gesperrt ist."
TOLERANCE_MS = 100
HALF_BACKOFF = [0.25, 0.5, 1.0, 2.0]
"""The default schedule (0.5 s doubling, at most 4 retries) with jitter fixed at 0.5."""


class FakeClock:
    """A monotonic clock that only moves when something sleeps on it."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        """Record the wait and advance the clock by it."""
        with self._lock:
            self.slept.append(seconds)
            self.now += seconds


class Sleeps(list[float]):
    """A sleep that records its argument and returns at once."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def engine(sleeps: Sleeps, clock: FakeClock) -> GttsEngine:
    """An engine whose backoff records into ``sleeps`` and whose limiter runs on ``clock``."""
    return make_engine(sleeps, clock)


def make_engine(
    sleeps: Sleeps, clock: FakeClock, *, timeout: float = 30.0, max_retries: int = 4
) -> GttsEngine:
    retry = RetryPolicy(sleep=sleeps, random=lambda: 0.5, max_retries=max_retries)
    limiter = RateLimiter(8.0, clock=clock, sleep=clock.sleep)
    return GttsEngine(timeout=timeout, retry=retry, limiter=limiter)


def speak(engine: GttsEngine, text: str = GERMAN) -> float:
    """Synthesize German ``text``; the clip's length in milliseconds."""
    return engine.synthesize(text, "de", "de", 1.0).duration_ms


TRANSIENT: dict[str, Callable[[FakeGoogle, int], None]] = {
    "429": lambda fake, n: fake.fail_with(429, times=n),
    "500": lambda fake, n: fake.fail_with(500, times=n),
    "503": lambda fake, n: fake.fail_with(503, times=n),
    "truncated-mp3": lambda fake, n: fake.truncate_audio(times=n),
    "not-mp3": lambda fake, n: fake.answer_garbage("not-mp3", times=n),
    "no-audio": lambda fake, n: fake.answer_garbage("no-audio", times=n),
    "not-utf8": lambda fake, n: fake.answer_garbage("not-utf8", times=n),
    "dropped-mid-answer": lambda fake, n: fake.drop_connection(times=n),
    "dropped-before-answer": lambda fake, n: fake.drop_connection(times=n, mid_answer=False),
}


# Recovery with exact backoff


@pytest.mark.parametrize("failures", [1, 2, 4])
@pytest.mark.parametrize("kind", sorted(TRANSIENT))
def test_transient_failures_recover_with_exact_backoff(
    engine: GttsEngine, fake_google: FakeGoogle, sleeps: Sleeps, kind: str, failures: int
) -> None:
    TRANSIENT[kind](fake_google, failures)

    duration = speak(engine)

    assert duration == pytest.approx(tone_ms(GERMAN), abs=TOLERANCE_MS)
    assert len(fake_google.requests) == failures + 1
    assert sleeps == HALF_BACKOFF[:failures]


def test_retry_after_in_seconds_replaces_the_backoff(
    engine: GttsEngine, fake_google: FakeGoogle, sleeps: Sleeps
) -> None:
    fake_google.fail_with(429, times=2, retry_after="3")

    speak(engine)

    assert sleeps == [3.0, 3.0]


@pytest.mark.parametrize(
    ("header", "expected"),
    [("120", [30.0]), ("0", [0.0]), ("Wed, 21 Oct 2037 07:28:00 GMT", [0.25]), ("soon", [0.25])],
)
def test_retry_after_is_capped_and_dates_fall_back_to_backoff(
    engine: GttsEngine, fake_google: FakeGoogle, sleeps: Sleeps, header: str, expected: list[float]
) -> None:
    fake_google.fail_with(429, times=1, retry_after=header)

    speak(engine)

    assert sleeps == expected


def test_a_timeout_is_retried(fake_google: FakeGoogle, sleeps: Sleeps, clock: FakeClock) -> None:
    engine = make_engine(sleeps, clock, timeout=0.2)
    fake_google.hold(times=1)

    assert speak(engine) == pytest.approx(tone_ms(GERMAN), abs=TOLERANCE_MS)
    assert len(fake_google.requests) == 2
    assert sleeps == [0.25]


# Giving up


def test_gives_up_after_four_retries_with_a_one_line_error(
    engine: GttsEngine, fake_google: FakeGoogle, sleeps: Sleeps
) -> None:
    fake_google.fail_with(429)

    with pytest.raises(EngineError) as raised:
        speak(engine)

    assert str(raised.value) == (
        'gtts failed on "Am dritten Mai beginnt die Sanierung der…": '
        "HTTP 429 Too Many Requests after 5 attempts "
        "(Google is rate-limiting; wait a few minutes or use --engine espeak)"
    )
    assert type(raised.value) is EngineError and raised.value.exit_code == EXIT_FAILED
    assert len(fake_google.requests) == 5
    assert sleeps == HALF_BACKOFF


@pytest.mark.parametrize("kind", sorted(TRANSIENT))
def test_every_transient_failure_gives_up_with_one_line(
    engine: GttsEngine, fake_google: FakeGoogle, sleeps: Sleeps, kind: str
) -> None:
    TRANSIENT[kind](fake_google, 5)

    with pytest.raises(EngineError) as raised:
        speak(engine)

    message = str(raised.value)
    assert message.startswith('gtts failed on "Am dritten Mai beginnt die Sanierung der…": ')
    assert "after 5 attempts" in message and "\n" not in message
    assert raised.value.exit_code == EXIT_FAILED
    assert len(fake_google.requests) == 5 and sleeps == HALF_BACKOFF


@pytest.mark.parametrize("status", [400, 403, 404])
def test_client_errors_other_than_429_are_not_retried(
    engine: GttsEngine, fake_google: FakeGoogle, sleeps: Sleeps, status: int
) -> None:
    fake_google.fail_with(status, times=1)

    with pytest.raises(EngineError, match=f'^gtts failed on "Hallo Welt.": HTTP {status} '):
        speak(engine, "Hallo Welt.")

    assert len(fake_google.requests) == 1
    assert sleeps == []


def test_truncated_audio_is_retried_then_named_as_too_short(
    engine: GttsEngine, fake_google: FakeGoogle, sleeps: Sleeps
) -> None:
    fake_google.truncate_audio()

    with pytest.raises(EngineError) as raised:
        speak(engine)

    cause = rf"Google returned 0\.0\d s of audio for {len(GERMAN)} characters after 5 attempts"
    assert re.search(cause, str(raised.value))
    assert sleeps == HALF_BACKOFF


@pytest.mark.parametrize(("ms_per_char", "short"), [(60, False), (21, False), (19, True)])
def test_audio_under_20_ms_a_character_counts_as_cut_short(ms_per_char: int, short: bool) -> None:
    """Real speech takes 60-80 ms a character; the rule only catches a third of that."""
    assert MIN_MS_PER_CHAR == 20
    pcm = bytes(2 * 24 * ms_per_char * len(GERMAN))  # 24 samples of 2 bytes per millisecond

    if short:
        with pytest.raises(AttemptFailed, match="cut short|of audio for"):
            gtts_engine._check_length(pcm, GERMAN, 24000)
    else:
        gtts_engine._check_length(pcm, GERMAN, 24000)


def test_a_truncated_answer_keeps_only_a_few_hundred_bytes() -> None:
    assert TRUNCATED_BYTES < 1000  # ~50 ms at 32 kbit/s, far below any chunk's need


def test_refused_connections_after_a_good_probe_end_unavailable(
    engine: GttsEngine, fake_google: FakeGoogle, sleeps: Sleeps
) -> None:
    assert engine.availability().usable
    fake_google.stop()

    with pytest.raises(EngineUnavailableError, match="was refused after 5 attempts") as raised:
        speak(engine, "Hallo.")

    assert "--engine espeak" in str(raised.value)
    assert raised.value.exit_code == EXIT_FAILED
    assert sleeps == HALF_BACKOFF


def test_timeouts_give_up_naming_the_timeout(
    fake_google: FakeGoogle, sleeps: Sleeps, clock: FakeClock
) -> None:
    engine = make_engine(sleeps, clock, timeout=0.2, max_retries=1)
    fake_google.hold()

    with pytest.raises(EngineError, match=r"no answer from 127\.0\.0\.1 within 0\.2 s after 2"):
        speak(engine, "Hallo.")
    assert sleeps == [0.25]


def test_missing_ffmpeg_is_not_retried(
    engine: GttsEngine,
    fake_google: FakeGoogle,
    sleeps: Sleeps,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_ffmpeg() -> str:
        raise EncoderError("ffmpeg not found")

    monkeypatch.setattr("narrate.engines.gtts.find_ffmpeg", no_ffmpeg)
    with pytest.raises(EncoderError):
        speak(engine, "Hallo.")
    assert len(fake_google.requests) == 1 and sleeps == []


# The backoff itself


def test_backoff_doubles_from_half_a_second_up_to_eight() -> None:
    ceiling = RetryPolicy(random=lambda: 1.0)

    assert [ceiling.delay(n) for n in range(7)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    assert RetryPolicy(random=lambda: 0.0).delay(3) == 0.0


def test_call_with_retries_counts_attempts_and_passes_other_errors_through() -> None:
    sleeps = Sleeps()
    policy = RetryPolicy(sleep=sleeps, random=lambda: 0.5, max_retries=2)
    calls: list[int] = []

    def permanent() -> None:
        calls.append(1)
        raise AttemptFailed("no", retryable=False)

    with pytest.raises(AttemptFailed) as raised:
        call_with_retries(permanent, policy)
    assert (raised.value.attempts, len(calls), sleeps) == (1, 1, [])

    def broken() -> None:
        calls.append(2)
        raise KeyError("bug")

    with pytest.raises(KeyError):
        call_with_retries(broken, policy)
    assert calls == [1, 2] and sleeps == []


# Rate limiting


def test_limiter_spaces_calls_by_the_rate(clock: FakeClock) -> None:
    limiter = RateLimiter(8.0, clock=clock, sleep=clock.sleep)

    waits = [limiter.wait() for _ in range(4)]

    assert waits == [0.0, 0.125, 0.125, 0.125]
    assert clock.slept == [0.125, 0.125, 0.125]


def test_limiter_lets_a_caller_through_at_once_after_a_pause(clock: FakeClock) -> None:
    limiter = RateLimiter(8.0, clock=clock, sleep=clock.sleep)
    limiter.wait()
    clock.now += 1.0

    assert limiter.wait() == 0.0


def test_limiter_gives_concurrent_callers_distinct_slots() -> None:
    """With a stopped clock, eight threads must get the slots 0, 1/8, …, 7/8 s."""
    limiter = RateLimiter(8.0, clock=lambda: 0.0, sleep=lambda seconds: None)
    with ThreadPoolExecutor(max_workers=8) as pool:
        waited = list(pool.map(lambda _: limiter.wait(), range(8)))

    assert sorted(waited) == [n / 8 for n in range(8)]


def test_limiter_refuses_a_rate_of_zero() -> None:
    with pytest.raises(ValueError, match="positive"):
        RateLimiter(0)


def test_every_attempt_waits_its_turn_at_the_limiter(
    engine: GttsEngine, fake_google: FakeGoogle, clock: FakeClock
) -> None:
    fake_google.fail_with(500, times=1)

    speak(engine, "Hallo.")
    speak(engine, "Tschüss.")

    assert len(fake_google.requests) == 3
    assert clock.slept == [0.125, 0.125]  # the retry and the second text; never the first


def test_engines_share_one_limiter_by_default() -> None:
    assert GttsEngine()._limiter is GttsEngine("http://127.0.0.1:9")._limiter


# Threads


def test_four_threads_get_correct_clips_through_failures(
    engine: GttsEngine, fake_google: FakeGoogle, sleeps: Sleeps
) -> None:
    texts = [f"Satz {n} über die Brücke" + "!" * n for n in range(12)]
    fake_google.fail_with(429, times=3)
    fake_google.truncate_audio(times=2)

    with ThreadPoolExecutor(max_workers=4) as pool:
        durations = list(pool.map(lambda text: speak(engine, text), texts))

    for text, duration in zip(texts, durations, strict=True):
        assert duration == pytest.approx(tone_ms(text), abs=TOLERANCE_MS)
    assert len(fake_google.requests) == len(texts) + 5
    assert len(sleeps) == 5


def test_each_retry_is_reported_with_its_cause_and_wait(caplog: pytest.LogCaptureFixture) -> None:
    policy = RetryPolicy(sleep=Sleeps(), random=lambda: 0.5, max_retries=2)
    outcomes = iter([AttemptFailed("HTTP 429 Too Many Requests", retryable=True), "audio"])

    def flaky() -> str:
        outcome = next(outcomes)
        if isinstance(outcome, AttemptFailed):
            raise outcome
        return outcome

    with caplog.at_level(logging.WARNING, logger="narrate"):
        assert call_with_retries(flaky, policy) == "audio"
    assert [record.getMessage() for record in caplog.records] == [
        "HTTP 429 Too Many Requests; retrying in 0.2 s (attempt 2 of 3)"
    ]


def test_the_cli_shows_a_retry_on_stderr(fake_google: FakeGoogle, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from narrate.cli import app

    article = tmp_path / "a.txt"
    article.write_text("Ein kurzer Satz zum Testen.", encoding="utf-8")
    fake_google.fail_with(429, times=1, retry_after="0")

    result = CliRunner().invoke(app, [str(article), "--engine", "gtts", "--lang", "de"])

    assert result.exit_code == 0, result.output
    assert "HTTP 429" in result.stderr and "retrying in 0.0 s (attempt 2 of 5)" in result.stderr
    assert (tmp_path / "a.mp3").stat().st_size > 0


@pytest.mark.parametrize(("value", "share"), [(None, 1), ("3", 3), ("0", 1), ("many", 1), ("", 1)])
def test_the_machine_share_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, value: str | None, share: int
) -> None:
    if value is None:
        monkeypatch.delenv(PROCESSES_ENV, raising=False)
    else:
        monkeypatch.setenv(PROCESSES_ENV, value)
    assert machine_share() == share
