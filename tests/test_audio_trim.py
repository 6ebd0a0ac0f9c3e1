"""Trimming an engine's silence off clips, and resampling clips."""

from __future__ import annotations

import numpy as np
import pytest

from narrate.audio.resample import resample
from narrate.audio.trim import FRAME_MS, MARGIN_MS, trim_silence
from narrate.engines.base import Clip

RATE = 22050


def clip_of(*parts: np.ndarray, rate: int = RATE) -> Clip:
    samples = np.concatenate(parts)
    return Clip(np.round(samples * 32767).astype("<i2").tobytes(), rate)


def silence(ms: int, rate: int = RATE, level: float = 0.0) -> np.ndarray:
    noise = np.random.default_rng(ms).standard_normal(rate * ms // 1000)
    return level * noise


def tone(ms: int, rate: int = RATE, amplitude: float = 0.3, hz: float = 440.0) -> np.ndarray:
    t = np.arange(rate * ms // 1000) / rate
    return amplitude * np.cos(2 * np.pi * hz * t)


def samples_of(clip: Clip) -> np.ndarray:
    return np.frombuffer(clip.pcm, dtype="<i2")


@pytest.mark.parametrize("rate", [16000, 22050, 24000, 48000])
def test_leading_and_trailing_silence_is_cut_down_to_the_margin(rate: int) -> None:
    clip = clip_of(silence(300, rate), tone(500, rate), silence(400, rate), rate=rate)
    trimmed = trim_silence(clip)
    assert 500 <= trimmed.duration_ms <= 500 + 2 * (MARGIN_MS + FRAME_MS) + 1
    assert trimmed.sample_rate == rate


def test_the_sound_itself_is_kept_whole() -> None:
    sound = tone(500)
    trimmed = samples_of(trim_silence(clip_of(silence(200), sound, silence(200))))
    expected = np.round(sound * 32767).astype("<i2")
    start = int(np.flatnonzero(trimmed)[0])
    assert np.array_equal(trimmed[start : start + expected.size], expected)


def test_a_margin_of_silence_stays_before_and_after_the_sound() -> None:
    trimmed = samples_of(trim_silence(clip_of(silence(200), tone(500), silence(200))))
    loud = np.flatnonzero(trimmed)
    lead_ms = 1000 * loud[0] / RATE
    trail_ms = 1000 * (trimmed.size - 1 - loud[-1]) / RATE
    assert MARGIN_MS - FRAME_MS <= lead_ms <= MARGIN_MS + FRAME_MS
    assert MARGIN_MS - FRAME_MS <= trail_ms <= MARGIN_MS + FRAME_MS


def test_low_noise_counts_as_silence() -> None:
    hiss = 10 ** (-60 / 20)
    clip = clip_of(silence(300, level=hiss), tone(400), silence(300, level=hiss))
    assert trim_silence(clip).duration_ms <= 400 + 2 * (MARGIN_MS + FRAME_MS) + 1


def test_a_quiet_but_audible_sound_is_kept() -> None:
    clip = clip_of(silence(100), tone(300, amplitude=10 ** (-38 / 20)), silence(100))
    assert trim_silence(clip).duration_ms >= 300


def test_sound_up_to_the_edges_is_not_cut() -> None:
    clip = clip_of(tone(250))
    assert trim_silence(clip) == clip


@pytest.mark.parametrize("pcm", [b"", bytes(2 * RATE)], ids=["empty", "digital-silence"])
def test_an_all_silent_clip_becomes_empty(pcm: bytes) -> None:
    assert trim_silence(Clip(pcm, RATE)) == Clip(b"", RATE)


def test_the_threshold_can_be_raised() -> None:
    clip = clip_of(silence(100), tone(300, amplitude=0.01), silence(100))
    assert trim_silence(clip, threshold_db=-30.0).pcm == b""


@pytest.mark.parametrize(("source", "target"), [(24000, 22050), (16000, 22050), (44100, 22050)])
def test_resampling_keeps_duration_and_pitch(source: int, target: int) -> None:
    clip = clip_of(tone(1000, source, hz=1000.0), rate=source)
    result = resample(clip, target)
    samples = samples_of(result).astype(float)
    assert result.sample_rate == target
    assert result.frames == target
    spectrum = np.abs(np.fft.rfft(samples))
    assert np.argmax(spectrum) * target / samples.size == pytest.approx(1000.0, abs=2.0)
    assert np.max(np.abs(samples)) / 32767 == pytest.approx(0.3, abs=0.01)


def test_resampling_down_removes_what_the_new_rate_cannot_hold() -> None:
    clip = clip_of(tone(500, 48000, hz=15000.0), rate=48000)
    assert np.max(np.abs(samples_of(resample(clip, 22050)))) <= 1


def test_resampling_to_the_same_rate_and_empty_clips() -> None:
    clip = clip_of(tone(100))
    assert resample(clip, RATE) is clip
    assert resample(Clip(b"", 24000), RATE) == Clip(b"", RATE)
