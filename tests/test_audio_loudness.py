"""BS.1770-4 integrated loudness, peaks and the normalization gain."""

from __future__ import annotations

import math
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from narrate.audio.ffmpeg import find_ffmpeg
from narrate.audio.loudness import (
    MAX_GAIN_DB,
    Loudness,
    LoudnessMeter,
    _KFilter,
    gain_step,
    integrated_loudness,
    k_weighting,
    measure,
    normalization,
    normalize_to,
)

RATES = [22050, 24000, 44100, 48000]
FULL_SCALE_SINE_LUFS = -3.01  # a 997 Hz sine at 0 dBFS, by the standard


def sine(amplitude: float, rate: int, seconds: float = 5.0, hz: float = 997.0) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return amplitude * np.sin(2 * np.pi * hz * t)


def pcm16(samples: np.ndarray) -> np.ndarray:
    return np.round(samples * 32767).astype("<i2")


def test_k_weighting_at_48k_is_the_standards_filter() -> None:
    shelf, highpass = k_weighting(48000)
    assert shelf.b == pytest.approx((1.53512485958697, -2.69169618940638, 1.19839281085285))
    assert shelf.a == pytest.approx((1.0, -1.69065929318241, 0.73248077421585))
    assert highpass.b == pytest.approx((1.0, -2.0, 1.0))
    assert highpass.a == pytest.approx((1.0, -1.99004745483398, 0.99007225036621))


def k_weighted_by_recursion(samples: np.ndarray, rate: int) -> np.ndarray:
    """The two biquads run sample by sample: slow, and plainly right."""
    signal = samples.astype(np.float64)
    for section in k_weighting(rate):
        (b0, b1, b2), (_, a1, a2) = section.b, section.a
        out, s1, s2 = np.empty_like(signal), 0.0, 0.0
        for n, x in enumerate(signal.tolist()):
            y = b0 * x + s1
            s1, s2 = b1 * x - a1 * y + s2, b2 * x - a2 * y
            out[n] = y
        signal = out
    return signal


@pytest.mark.parametrize(("rate", "size"), [(8000, 5000), (22050, 140_000), (48000, 9000)])
def test_the_k_weighting_is_the_filters_recursion_in_pieces_of_any_size(
    rate: int, size: int
) -> None:
    samples = (np.random.default_rng(rate).standard_normal(size) * 0.2).astype(np.float32)
    expected = k_weighted_by_recursion(samples, rate)
    cuts = [cut for cut in (1, 2, 63, 64, 65, 2047, 2049, 4100, 131_072, 131_073) if cut < size]
    for pieces in ([samples], np.array_split(samples, cuts)):
        weighting = _KFilter(rate)
        filtered = np.concatenate([weighting(piece) for piece in pieces])
        assert np.abs(filtered - expected).max() < 1e-6


@pytest.mark.parametrize("rate", RATES)
@pytest.mark.parametrize("level_db", [0.0, -20.0, -40.0])
def test_a_sine_reads_its_level_minus_3_01(rate: int, level_db: float) -> None:
    amplitude = 10 ** (level_db / 20)
    measured = integrated_loudness(sine(amplitude, rate), rate)
    assert measured == pytest.approx(level_db + FULL_SCALE_SINE_LUFS, abs=0.3)


@pytest.mark.parametrize("rate", RATES)
def test_the_pcm_file_reads_like_the_samples(tmp_path: Path, rate: int) -> None:
    samples = pcm16(sine(0.1, rate))
    path = tmp_path / "audio.pcm"
    path.write_bytes(samples.tobytes())
    assert measure(path, rate) == measure(samples, rate)
    assert measure(path, rate).integrated_lufs == pytest.approx(-23.01, abs=0.3)


def test_pieces_of_any_size_read_like_one_whole() -> None:
    samples = pcm16(np.random.default_rng(5).standard_normal(22050 * 7) * 0.1)
    meter = LoudnessMeter(22050)
    for piece in np.array_split(samples, [1, 2, 500, 30000, 30001, 90000, 150000]):
        meter.feed(piece)
    whole = measure(samples, 22050)
    piecewise = meter.result()
    assert piecewise.integrated_lufs == pytest.approx(whole.integrated_lufs, abs=1e-6)
    assert piecewise.true_peak_dbfs == pytest.approx(whole.true_peak_dbfs, abs=1e-6)


def test_a_meter_without_peaks_reads_the_same_loudness() -> None:
    samples = pcm16(np.random.default_rng(7).standard_normal(22050 * 3) * 0.1)
    meter = LoudnessMeter(22050, peaks=False)
    meter.feed(samples)
    result = meter.result()
    assert result.integrated_lufs == measure(samples, 22050).integrated_lufs
    assert math.isnan(result.sample_peak_dbfs) and math.isnan(result.true_peak_dbfs)


@pytest.mark.parametrize("samples", [np.zeros(0), np.zeros(22050 * 3), sine(0.5, 22050, 0.3)])
def test_silence_and_too_short_audio_have_no_loudness(samples: np.ndarray) -> None:
    assert integrated_loudness(samples, 22050) is None


def test_silence_does_not_count() -> None:
    """The absolute gate: pauses do not pull the loudness down.

    (Long tones: the few 400 ms blocks that straddle an edge do count, as they should.)
    """
    tone = sine(0.1, 22050, seconds=20.0)
    with_pauses = np.concatenate((tone, np.zeros(22050 * 10), tone))
    assert integrated_loudness(with_pauses, 22050) == pytest.approx(
        integrated_loudness(tone, 22050), abs=0.1
    )


def test_much_quieter_passages_do_not_count() -> None:
    """The relative gate: a passage 30 LU down is ignored, one 6 LU down is not."""
    loud = sine(0.1, 22050, seconds=20.0)
    much_quieter = np.concatenate((loud, loud * 10 ** (-30 / 20)))
    a_bit_quieter = np.concatenate((loud, loud * 10 ** (-6 / 20)))
    assert integrated_loudness(much_quieter, 22050) == pytest.approx(-23.01, abs=0.1)
    assert integrated_loudness(a_bit_quieter, 22050) < -24.0


def test_peaks() -> None:
    result = measure(sine(0.5, 22050), 22050)
    assert result.sample_peak_dbfs == pytest.approx(-6.02, abs=0.05)
    assert result.sample_peak_dbfs <= result.true_peak_dbfs <= result.sample_peak_dbfs + 0.1
    assert measure(np.zeros(1000), 22050).sample_peak_dbfs == -math.inf


def test_the_true_peak_sees_between_the_samples() -> None:
    """A quarter-rate sine sampled at +-45 degrees peaks 3 dB above its samples."""
    n = np.arange(22050 * 2)
    samples = 0.5 * np.sin(np.pi / 2 * n + np.pi / 4)
    result = measure(samples, 22050)
    assert result.sample_peak_dbfs == pytest.approx(-9.03, abs=0.05)
    assert result.true_peak_dbfs == pytest.approx(-6.02, abs=0.3)


@pytest.mark.parametrize(
    ("measured", "target", "peak", "gain", "limit"),
    [
        (-20.0, -16.0, -10.0, 4.0, None),  # plain normalization
        (-12.0, -16.0, -3.0, -4.0, None),  # too loud: turned down
        (-30.0, -16.0, -6.0, 14.0, -1.0),  # the peak would pass -1 dBFS: limited
        (-16.0, -16.0, 0.5, 0.0, -1.0),  # the peak is over the ceiling already
        (-90.0, -16.0, -60.0, 40.0, None),  # never more than 40 dB of gain
        (None, -16.0, -math.inf, 0.0, None),  # silence is left alone
    ],
)
def test_normalization(
    measured: float | None, target: float, peak: float, gain: float, limit: float | None
) -> None:
    loudness = Loudness(measured, peak, peak)
    assert normalization(loudness, target) == (pytest.approx(gain), limit)


def saturating(gain: float, limit: float) -> Loudness:
    """A stand-in for measuring limited audio: each added dB gives back less (-12 LUFS at most)."""
    assert limit == -1.0
    return Loudness(-12.0 - 8.0 * math.exp(-gain / 8.0), math.nan, math.nan)


PEAKY = Loudness(-20.0, -2.0, -2.0)
"""Speech-like: peaks 18 dB above the loudness, so any real gain needs the limiter."""


class Counting:
    """Counts the measuring passes of :func:`normalize_to`."""

    def __init__(self) -> None:
        self.gains: list[float] = []

    def __call__(self, gain: float, limit: float) -> Loudness:
        self.gains.append(gain)
        return saturating(gain, limit)


def test_without_the_limiter_the_gain_is_exact_and_nothing_is_measured() -> None:
    measure = Counting()
    result = normalize_to(Loudness(-20.0, -10.0, -10.0), -16.0, measure)
    assert (result.gain_db, result.limit_db, result.reached_lufs) == (4.0, None, -16.0)
    assert not result.short_of_target and measure.gains == []


def test_the_gain_cap_is_short_of_the_target() -> None:
    result = normalize_to(Loudness(-63.0, -45.0, -45.0), -16.0, Counting())
    assert result.gain_db == MAX_GAIN_DB and result.limit_db is None
    assert result.reached_lufs == pytest.approx(-23.0)
    assert result.short_of_target


def test_a_limiter_that_takes_little_is_corrected_in_one_measured_step() -> None:
    measure = Counting()
    result = normalize_to(PEAKY, -16.0, measure)
    assert measure.gains == [4.0]
    exact = 4.0 + (-16.0 - saturating(4.0, -1.0).integrated_lufs)
    assert result.gain_db == gain_step(exact) and abs(result.gain_db - exact) <= 0.05
    assert result.limit_db == -1.0 and not result.short_of_target


@pytest.mark.parametrize("target", [-16.0, -18.35, -23.0, -16.04, -15.96])
def test_gains_are_whole_steps_of_a_tenth_of_a_db(target: float) -> None:
    for measured in (Loudness(-21.37, -3.0, -3.0), Loudness(-30.01, -20.0, -20.0)):
        gain, _ = normalization(measured, target)
        assert (
            gain == round(gain, 1)
            and abs(gain - (target - measured.integrated_lufs)) <= 0.05 + 1e-9
        )


def test_a_small_change_of_loudness_leaves_the_gain_as_it_was() -> None:
    before, _ = normalization(Loudness(-21.37, -3.0, -3.0), -16.0)
    after, _ = normalization(Loudness(-21.36, -3.0, -3.0), -16.0)
    assert before == after == 5.4


def test_a_limiter_that_takes_much_is_measured_and_the_gain_raised_further() -> None:
    measure = Counting()
    result = normalize_to(PEAKY, -14.0, measure)
    assert len(measure.gains) == 3 and measure.gains[0] < measure.gains[1] < measure.gains[2]
    assert result.gain_db == measure.gains[2]
    assert result.reached_lufs == pytest.approx(saturating(result.gain_db, -1.0).integrated_lufs)
    assert result.reached_lufs == pytest.approx(-14.0, abs=0.5)
    assert not result.short_of_target


def test_an_unreachable_target_says_what_is_reached() -> None:
    measure = Counting()
    result = normalize_to(PEAKY, -5.0, measure)
    assert result.short_of_target
    assert result.reached_lufs == pytest.approx(saturating(result.gain_db, -1.0).integrated_lufs)
    assert -13.0 < result.reached_lufs < -12.0
    assert result.gain_db <= measure.gains[1] + 6.0, "no runaway gain into the limiter"


def ffmpeg_integrated(path: Path, rate: int) -> float:
    """The integrated loudness that ffmpeg's ebur128 filter reports."""
    command = [find_ffmpeg(), "-nostdin", "-hide_banner", "-nostats"]
    command += ["-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", str(path)]
    command += ["-af", "ebur128=framelog=quiet", "-f", "null", "-"]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return float(re.findall(r"I:\s+(-?\d+\.\d) LUFS", result.stderr)[-1])


@pytest.mark.parametrize("rate", [22050, 48000])
def test_agrees_with_ffmpegs_ebur128_on_speech_like_audio(tmp_path: Path, rate: int) -> None:
    rng = np.random.default_rng(11)
    t = np.arange(rate * 20) / rate
    syllables = (t % 0.37 < 0.2) & (t % 3.0 < 2.2)
    voiced = 0.1 * np.sin(2 * np.pi * 180 * t) + 0.05 * rng.standard_normal(t.size)
    path = tmp_path / "speechy.pcm"
    path.write_bytes(pcm16(voiced * syllables).tobytes())
    measured = integrated_loudness(path, rate)
    assert measured == pytest.approx(ffmpeg_integrated(path, rate), abs=0.15)
