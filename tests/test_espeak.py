"""The espeak engine, run for real through the espeakng-loader library."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from narrate.engines import espeak
from narrate.engines.base import Clip, Engine
from narrate.engines.espeak import EspeakEngine
from narrate.engines.registry import default_registry
from narrate.errors import EngineUnavailableError, UsageError

TEN_WORDS = "Die Regierung hat heute einen neuen Plan zur Energiewende vorgestellt."
OTHER_SENTENCE = "Der Zug nach Hamburg fährt heute später ab als geplant."


@pytest.fixture(scope="module")
def engine() -> EspeakEngine:
    return EspeakEngine()


def samples(clip: Clip) -> np.ndarray:
    return np.frombuffer(clip.pcm, dtype="<i2").astype(np.float64)


def rms(clip: Clip) -> float:
    return float(np.sqrt(np.mean(samples(clip) ** 2)))


def test_is_an_engine_with_the_advertised_rate(engine: EspeakEngine) -> None:
    assert isinstance(engine, Engine)
    assert engine.name == "espeak"
    assert engine.availability().usable
    assert engine.synthesize("Hallo", "de", "de", 1.0).sample_rate == engine.sample_rate == 22050


def test_registry_creates_espeak_through_its_entry_point() -> None:
    created = default_registry().create("espeak")
    assert isinstance(created, EspeakEngine)
    assert default_registry().status("espeak").usable


def test_german_sentence_is_audible_speech_of_plausible_length(engine: EspeakEngine) -> None:
    clip = engine.synthesize(TEN_WORDS, "de", "de", 1.0)
    assert 1500 <= clip.duration_ms <= 8000
    assert rms(clip) > 500
    assert np.abs(samples(clip)).max() > 5000


def test_double_speed_is_clearly_shorter(engine: EspeakEngine) -> None:
    normal = engine.synthesize(TEN_WORDS, "de", "de", 1.0)
    fast = engine.synthesize(TEN_WORDS, "de", "de", 2.0)
    assert fast.duration_ms < 0.7 * normal.duration_ms


def test_speed_is_clamped_to_what_espeak_accepts(engine: EspeakEngine) -> None:
    fastest = engine.synthesize(TEN_WORDS, "de", "de", 450 / 175)
    beyond = engine.synthesize(TEN_WORDS, "de", "de", 10.0)
    assert beyond.duration_ms == pytest.approx(fastest.duration_ms, rel=0.05)


@pytest.mark.parametrize("speed", [0.0, -1.0, float("nan"), float("inf")])
def test_nonsense_speed_is_a_usage_error(engine: EspeakEngine, speed: float) -> None:
    with pytest.raises(UsageError, match="speed"):
        engine.synthesize(TEN_WORDS, "de", "de", speed)


def test_empty_text_gives_an_empty_clip(engine: EspeakEngine) -> None:
    assert engine.synthesize("", "de", "de", 1.0) == Clip(b"", 22050)


def test_voices_include_german_and_english(engine: EspeakEngine) -> None:
    voices = {voice.id: voice for voice in engine.voices()}
    assert voices["de"].languages == ("de",)
    assert voices["de"].name == "German"
    assert voices["en-us"].languages == ("en-us", "en")
    assert voices["en"].languages == ("en-gb", "en")
    assert len(voices) > 100
    assert all(code == code.lower() and code for v in voices.values() for code in v.languages)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("de", True), ("DE", True), ("en", True), ("en-us", True), ("de-at", True), ("xx", False)],
)
def test_supports(engine: EspeakEngine, lang: str, expected: bool) -> None:
    assert engine.supports(lang) is expected


@pytest.mark.parametrize(
    ("lang", "voice"),
    [("de", "de"), ("de-DE", "de"), ("en", "en-us"), ("en-gb", "en"), ("fr", "fr"), ("zh", "cmn")],
)
def test_default_voice(engine: EspeakEngine, lang: str, voice: str) -> None:
    assert engine.default_voice(lang) == voice


def test_default_voice_for_unknown_language_says_how_to_list_voices(engine: EspeakEngine) -> None:
    with pytest.raises(UsageError, match="'xx'") as caught:
        engine.default_voice("xx")
    assert "narrate voices --engine espeak" in str(caught.value)


def test_unknown_voice_is_a_usage_error_with_a_hint(engine: EspeakEngine) -> None:
    with pytest.raises(UsageError, match="'klingon'") as caught:
        engine.synthesize(TEN_WORDS, "klingon", "de", 1.0)
    assert "narrate voices --engine espeak" in str(caught.value)


def test_unknown_variant_is_a_usage_error(engine: EspeakEngine) -> None:
    with pytest.raises(UsageError, match="variant 'nobody'"):
        engine.synthesize(TEN_WORDS, "de+nobody", "de", 1.0)


@pytest.mark.parametrize("voice", ["DE", "gmw/de", "de+f2", "de+F2"])
def test_voice_spellings_espeak_accepts(engine: EspeakEngine, voice: str) -> None:
    assert rms(engine.synthesize("Hallo Welt", voice, "de", 1.0)) > 500


def test_empty_voice_means_the_languages_default(engine: EspeakEngine) -> None:
    assert engine.synthesize("Hello world", "", "en", 1.0).duration_ms > 300


def test_nothing_reaches_stdout(engine: EspeakEngine, capfd: pytest.CaptureFixture[str]) -> None:
    engine.synthesize(TEN_WORDS, "de", "de", 1.0)
    engine.voices()
    assert capfd.readouterr().out == ""


def test_concurrent_synthesis_matches_sequential(engine: EspeakEngine) -> None:
    texts = [TEN_WORDS, OTHER_SENTENCE] * 4
    sequential = [engine.synthesize(text, "de", "de", 1.0) for text in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        concurrent = list(pool.map(lambda text: engine.synthesize(text, "de", "de", 1.0), texts))
    # espeak carries a little pitch-flutter state from call to call, so lengths may
    # differ by a few samples; interleaved (corrupted) audio would differ by far more.
    for alone, together in zip(sequential, concurrent, strict=True):
        assert together.frames == pytest.approx(alone.frames, rel=0.01)
        assert rms(together) == pytest.approx(rms(alone), rel=0.05)


def test_missing_loader_makes_espeak_unavailable_not_broken(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(espeak, "_SHARED", espeak._Shared())
    monkeypatch.setitem(sys.modules, "espeakng_loader", None)
    broken = EspeakEngine()
    availability = broken.availability()
    assert not availability.usable
    assert "espeakng-loader" in availability.reason
    assert not broken.supports("de")
    with pytest.raises(EngineUnavailableError):
        broken.voices()
