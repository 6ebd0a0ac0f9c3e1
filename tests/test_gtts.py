"""The gtts engine, against a local fake of Google Translate (never the real service)."""

from __future__ import annotations

import shutil
import socket
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest
from gtts import gTTS
from typer.testing import CliRunner

from narrate.audio import ffmpeg
from narrate.cli import app
from narrate.engines import gtts as gtts_engine
from narrate.engines.base import Clip, Engine
from narrate.engines.gtts import DEFAULT_URL, URL_ENV, GttsEngine
from narrate.engines.registry import default_registry
from narrate.engines.retry import RateLimiter, RetryPolicy
from narrate.errors import EncoderError, EngineError, EngineUnavailableError, UsageError
from tests.fake_google import (  # noqa: F401 - fixtures
    GARBAGE,
    FakeGoogle,
    fake_google_fixture,
    no_google_fixture,
    tone_ms,
)

GERMAN = (
    "Am 3. Mai kamen z. B. viele Gäste, "
    "und die ganze Stadt feierte bis spät in die Nacht mit Musik."
)
TOLERANCE_MS = 100


def loudest(clip: Clip) -> int:
    """The largest absolute sample: 0 means silence."""
    return int(np.abs(np.frombuffer(clip.pcm, dtype="<i2")).max(initial=0))


@pytest.fixture
def engine() -> GttsEngine:
    """An engine that retries and rate-limits without ever waiting."""
    retry = RetryPolicy(sleep=lambda seconds: None)
    return GttsEngine(retry=retry, limiter=RateLimiter(1000.0, sleep=lambda seconds: None))


# Speaking through the fake


def test_german_text_is_one_request_with_exactly_that_text(
    engine: GttsEngine, fake_google: FakeGoogle
) -> None:
    assert len(GERMAN) == 95
    clip = engine.synthesize(GERMAN, "de", "de", 1.0)

    [request] = fake_google.requests
    assert (request.text, request.lang, request.slow) == (GERMAN, "de", False)
    assert request.path == fake_google.rpc_path
    assert clip.sample_rate == engine.sample_rate == 24000
    assert clip.duration_ms == pytest.approx(request.duration_ms, abs=TOLERANCE_MS)
    assert loudest(clip) > 1000


def test_gtts_pre_processors_are_off(engine: GttsEngine, fake_google: FakeGoogle) -> None:
    """Stock gTTS would send "Dr Müller": its abbreviation step drops the period."""
    engine.synthesize("Dr. Müller kam z. B. am 3. Mai.", "de", "de", 1.0)

    assert [r.text for r in fake_google.requests] == ["Dr. Müller kam z. B. am 3. Mai."]


def test_a_speed_gtts_cannot_speak_is_said_on_every_run_even_from_the_cache(
    fake_google: FakeGoogle, tmp_path: Path
) -> None:
    article = tmp_path / "artikel.txt"
    article.write_text("Titel\n\nGuten Morgen. Guten Abend.\n", encoding="utf-8")
    command = [str(article), "-e", "gtts", "-l", "de", "--speed", "1.5"]
    for run in ("first", "all from the cache"):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 0, (run, result.output)
        notes = [line for line in result.stderr.splitlines() if "only a normal and a slow" in line]
        assert notes == [
            "narrate: WARNING: gtts has only a normal and a slow rate: speed 1.5 is spoken at "
            "its normal rate (below 0.75 is slow); espeak and piper take any speed"
        ], run
    assert "sentences from cache" in result.stderr
    assert GttsEngine().speed_note(1.0) is None


@pytest.mark.parametrize(
    ("speed", "slow"), [(0.5, True), (0.74, True), (0.75, False), (1.0, False), (1.6, False)]
)
def test_speed_below_three_quarters_asks_for_the_slow_rate(
    engine: GttsEngine, fake_google: FakeGoogle, speed: float, slow: bool
) -> None:
    clip = engine.synthesize("Guten Morgen.", "de", "de", speed)

    [request] = fake_google.requests
    assert request.slow is slow
    assert clip.duration_ms == pytest.approx(tone_ms("Guten Morgen.", slow), abs=TOLERANCE_MS)


def test_the_voice_decides_the_language(engine: GttsEngine, fake_google: FakeGoogle) -> None:
    engine.synthesize("Bonjour tout le monde.", "fr-ca", "de", 1.0)

    assert [r.lang for r in fake_google.requests] == ["fr-CA"]


def test_surrounding_spaces_are_not_sent(engine: GttsEngine, fake_google: FakeGoogle) -> None:
    engine.synthesize("  Hallo.\n", "de", "de", 1.0)

    assert [r.text for r in fake_google.requests] == ["Hallo."]


def test_parallel_calls_each_get_their_own_audio(
    engine: GttsEngine, fake_google: FakeGoogle
) -> None:
    texts = [f"Satz Nummer {n}" + "." * n for n in range(1, 7)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        clips = list(pool.map(lambda t: engine.synthesize(t, "de", "de", 1.0), texts))

    assert len(fake_google.requests) == len(texts)
    for text, clip in zip(texts, clips, strict=True):
        assert clip.duration_ms == pytest.approx(tone_ms(text), abs=TOLERANCE_MS)


def test_requests_follow_the_proxy_like_gtts_does(
    engine: GttsEngine,
    fake_google: FakeGoogle,
    no_google: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(URL_ENV, no_google)  # the endpoint itself refuses connections
    monkeypatch.setenv("http_proxy", fake_google.url)

    assert engine.availability().usable
    engine.synthesize("Hallo.", "de", "de", 1.0)
    assert [r.text for r in fake_google.requests] == ["Hallo."]


def test_google_gets_exactly_what_stock_gtts_would_send() -> None:
    """Only the pre-processing and splitting are switched off: same URL, body and headers."""
    post_url = gtts_engine._Endpoint.parse(DEFAULT_URL).post_url
    ours = gtts_engine._GoogleRequest("Hallo Welt", "de", False, post_url, timeout=5)
    stock = gTTS("Hallo Welt", lang="de")

    [sent], [expected] = ours._prepare_requests(), stock._prepare_requests()
    assert (sent.url, sent.body, sent.headers) == (expected.url, expected.body, expected.headers)


# Nothing to send, or too much


def test_text_over_the_limit_is_refused_without_a_request(
    engine: GttsEngine, fake_google: FakeGoogle
) -> None:
    with pytest.raises(EngineError, match="at most 100 characters"):
        engine.synthesize("x" * 101, "de", "de", 1.0)
    assert fake_google.requests == []


@pytest.mark.parametrize("text", ["...", " — ", "?!", "\n"])
def test_punctuation_only_is_an_empty_clip_without_a_request(
    engine: GttsEngine, fake_google: FakeGoogle, text: str
) -> None:
    assert engine.synthesize(text, "de", "de", 1.0) == Clip(b"", 24000)
    assert fake_google.requests == []


# Failures are errors, never silence


@pytest.mark.parametrize(
    ("status", "words", "attempts"),
    [
        (500, "HTTP 500 Internal Server Error after 5 attempts", 5),
        (429, "HTTP 429 Too Many Requests after 5 attempts", 5),
        (403, "HTTP 403 Forbidden", 1),
        (404, "HTTP 404 Not Found", 1),
    ],
)
def test_http_errors_raise_engine_error_with_the_probable_cause(
    engine: GttsEngine, fake_google: FakeGoogle, status: int, words: str, attempts: int
) -> None:
    fake_google.fail_with(status)

    with pytest.raises(EngineError, match=words) as raised:
        engine.synthesize("Hallo Welt.", "de", "de", 1.0)
    assert type(raised.value) is EngineError
    assert len(fake_google.requests) == attempts


def test_rate_limiting_hints_at_waiting_or_espeak(
    engine: GttsEngine, fake_google: FakeGoogle
) -> None:
    fake_google.fail_with(429)

    with pytest.raises(EngineError) as raised:
        engine.synthesize("Hallo Welt.", "de", "de", 1.0)
    assert raised.value.hint is not None and "--engine espeak" in raised.value.hint


@pytest.mark.parametrize("kind", GARBAGE)
def test_garbage_answers_raise_engine_error(
    engine: GttsEngine, fake_google: FakeGoogle, kind: str
) -> None:
    fake_google.answer_garbage(kind)

    with pytest.raises(EngineError, match="after 5 attempts"):
        engine.synthesize("Hallo Welt.", "de", "de", 1.0)
    assert len(fake_google.requests) == 5


def test_recovers_when_the_service_does(engine: GttsEngine, fake_google: FakeGoogle) -> None:
    fake_google.fail_with(503)
    with pytest.raises(EngineError):
        engine.synthesize("Hallo.", "de", "de", 1.0)

    fake_google.answer_audio()
    assert loudest(engine.synthesize("Hallo.", "de", "de", 1.0)) > 1000


def test_missing_ffmpeg_is_an_encoder_error(
    engine: GttsEngine, fake_google: FakeGoogle, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_ffmpeg() -> str:
        raise EncoderError("ffmpeg not found", ffmpeg.INSTALL_HINT)

    monkeypatch.setattr(gtts_engine, "find_ffmpeg", no_ffmpeg)
    with pytest.raises(EncoderError, match="ffmpeg not found"):
        engine.synthesize("Hallo.", "de", "de", 1.0)


# Without network


def test_closed_endpoint_is_unavailable_with_a_reason(engine: GttsEngine, no_google: str) -> None:
    availability = engine.availability()

    assert not availability.usable
    assert "no network" in availability.reason
    assert "127.0.0.1" in availability.reason


def test_synthesize_without_network_fails_fast_naming_espeak(
    engine: GttsEngine, no_google: str
) -> None:
    with pytest.raises(EngineUnavailableError, match="no network connection to Google") as raised:
        engine.synthesize("Hallo.", "de", "de", 1.0)
    assert "--engine espeak" in str(raised.value)


def test_connection_lost_after_a_good_probe_is_unavailable_too(
    engine: GttsEngine, fake_google: FakeGoogle
) -> None:
    assert engine.availability().usable
    fake_google.stop()

    with pytest.raises(EngineUnavailableError, match="--engine espeak"):
        engine.synthesize("Hallo.", "de", "de", 1.0)


def test_probe_is_cached_per_endpoint(engine: GttsEngine, fake_google: FakeGoogle) -> None:
    assert engine.availability().usable
    fake_google.stop()

    assert engine.availability().usable
    assert not GttsEngine().availability().usable


def test_default_endpoint_is_google_and_probed_on_its_https_port(
    engine: GttsEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(URL_ENV, raising=False)
    for name in ("https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    dialled: list[tuple[str, int]] = []

    def unreachable(address: tuple[str, int], timeout: float) -> socket.socket:
        dialled.append(address)
        raise socket.gaierror(-3, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "create_connection", unreachable)
    availability = engine.availability()

    assert engine.base_url == DEFAULT_URL
    assert dialled == [("translate.google.com", 443)]
    assert not availability.usable
    assert "translate.google.com" in availability.reason


def test_url_comes_from_the_argument_then_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine = GttsEngine()
    monkeypatch.setenv(URL_ENV, "http://mirror.example:8080")

    assert engine.base_url == "http://mirror.example:8080"
    assert GttsEngine("http://other.example").base_url == "http://other.example"


@pytest.mark.parametrize("url", ["ftp://example.org", "translate.google.com", "http://h:port"])
def test_a_bad_endpoint_url_is_unusable_and_a_usage_error(
    engine: GttsEngine, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setenv(URL_ENV, url)

    availability = engine.availability()
    assert not availability.usable and URL_ENV in availability.reason
    with pytest.raises(UsageError):
        engine.synthesize("Hallo.", "de", "de", 1.0)


# Voices and languages


def test_every_gtts_language_is_a_voice(engine: GttsEngine) -> None:
    voices = {voice.id: voice for voice in engine.voices()}

    assert voices["de"].languages == ("de",)
    assert voices["fr-CA"].languages == ("fr-ca",)
    assert "he" in voices["iw"].languages
    assert all(lang == lang.lower() for v in voices.values() for lang in v.languages)


@pytest.mark.parametrize(
    ("lang", "voice"),
    [
        ("de", "de"),
        ("DE", "de"),
        ("de-AT", "de"),
        ("de_DE", "de"),
        ("fr-ca", "fr-CA"),
        ("pt-br", "pt"),
        ("he", "iw"),
        ("zh-tw", "zh-TW"),
    ],
)
def test_languages_resolve_to_google_codes(engine: GttsEngine, lang: str, voice: str) -> None:
    assert engine.supports(lang)
    assert engine.default_voice(lang) == voice


@pytest.mark.parametrize("lang", ["xx", "tlh", ""])
def test_unknown_languages_are_refused(engine: GttsEngine, lang: str) -> None:
    assert not engine.supports(lang)
    with pytest.raises(UsageError, match="does not speak"):
        engine.default_voice(lang)


def test_unknown_voice_is_a_usage_error(engine: GttsEngine, fake_google: FakeGoogle) -> None:
    with pytest.raises(UsageError, match="no voice 'de_thorsten'"):
        engine.synthesize("Hallo.", "de_thorsten", "de", 1.0)
    assert fake_google.requests == []


# Registry


def test_registry_creates_gtts_through_its_entry_point() -> None:
    engine = default_registry().create("gtts")

    assert isinstance(engine, GttsEngine)
    assert isinstance(engine, Engine)
    assert (engine.name, engine.max_chars, engine.sample_rate) == ("gtts", 100, 24000)


def test_registry_chooses_gtts_when_the_service_answers(fake_google: FakeGoogle) -> None:
    choice = default_registry().choose("gtts", "de")

    assert choice.engine.synthesize("Hallo.", "de", "de", 1.0).frames > 0


def test_registry_refuses_gtts_offline(no_google: str) -> None:
    with pytest.raises(EngineUnavailableError, match="no network"):
        default_registry().choose("gtts", "de")


# The ffmpeg lookup the decoder relies on


def test_find_ffmpeg_prefers_the_one_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: f"/opt/bin/{name}")

    assert ffmpeg.find_ffmpeg() == "/opt/bin/ffmpeg"


def test_find_ffmpeg_falls_back_to_imageio(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)

    assert ffmpeg.find_ffmpeg() == imageio_ffmpeg.get_ffmpeg_exe()


def test_find_ffmpeg_honours_imageio_ffmpeg_exe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setenv("IMAGEIO_FFMPEG_EXE", "/opt/ffmpeg-7/ffmpeg")

    assert ffmpeg.find_ffmpeg() == "/opt/ffmpeg-7/ffmpeg"


def test_find_ffmpeg_without_any_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> str:
        raise RuntimeError("No ffmpeg exe could be found.")

    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.delenv("IMAGEIO_FFMPEG_EXE", raising=False)
    monkeypatch.setattr(ffmpeg, "_bundled_ffmpeg", lambda: None)
    monkeypatch.setattr(imageio_ffmpeg, "get_ffmpeg_exe", missing)

    with pytest.raises(EncoderError, match="ffmpeg not found") as raised:
        ffmpeg.find_ffmpeg()
    assert raised.value.hint is not None and "imageio-ffmpeg" in raised.value.hint
