"""The look-ahead peak limiter: holds the ceiling, never delays, independent of block size."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from narrate.audio.limiter import PeakLimiter

RATE = 22050
CEILING = 10 ** (-1 / 20)


def limited(samples: np.ndarray, block: int, ceiling: float = CEILING) -> np.ndarray:
    limiter = PeakLimiter(RATE, ceiling)
    pieces = [limiter.process(samples[i : i + block]) for i in range(0, len(samples), block)]
    return np.concatenate([*pieces, limiter.flush()])


def speech_like(seconds: float, seed: int = 7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal(int(RATE * seconds)).astype(np.float32) * 0.25
    envelope = (np.sin(np.linspace(0, 40 * np.pi, len(noise))) > 0).astype(np.float32)
    return noise * envelope


def test_no_sample_passes_the_ceiling_and_none_is_lost() -> None:
    audio = speech_like(5)
    audio[1000] = 1.0
    audio[30_000:30_050] = -0.99
    out = limited(audio, 4096)
    assert len(out) == len(audio)
    assert np.abs(out).max() <= CEILING * (1 + 1e-6)


def test_quiet_audio_and_audio_far_from_peaks_pass_unchanged() -> None:
    audio = speech_like(3) * 0.5
    assert np.array_equal(limited(audio, 1000), audio)
    audio[40_000] = 1.0
    out = limited(audio, 1000)
    reach = int(RATE * 0.013)  # attack + release
    far = np.ones(len(audio), dtype=bool)
    far[40_000 - reach : 40_000 + reach + 1] = False
    assert np.array_equal(out[far], audio[far])
    assert out[40_000] == pytest.approx(CEILING, rel=1e-6)


def test_the_gain_comes_down_before_the_peak_so_nothing_is_delayed() -> None:
    audio = np.zeros(5000, dtype=np.float32)
    audio[2000] = 1.0
    out = limited(audio, 512)
    assert int(np.argmax(np.abs(out))) == 2000, "the peak stays where it was"


@settings(max_examples=40, deadline=None)
@given(
    block=st.integers(min_value=1, max_value=5000),
    seed=st.integers(min_value=0, max_value=10_000),
    loud=st.floats(min_value=0.1, max_value=4.0),
)
def test_the_result_does_not_depend_on_the_block_size(block: int, seed: int, loud: float) -> None:
    audio = speech_like(0.5, seed) * np.float32(loud)
    whole = limited(audio, len(audio))
    assert np.array_equal(limited(audio, block), whole)
    assert np.abs(whole).max() <= CEILING * (1 + 1e-6)


def test_a_bad_ceiling_is_refused() -> None:
    with pytest.raises(ValueError, match="ceiling"):
        PeakLimiter(RATE, 1.5)


def reference(samples: np.ndarray, ceiling: float = CEILING) -> np.ndarray:
    """The limiter's definition computed plainly over the whole signal, sample by sample."""
    limiter = PeakLimiter(RATE, ceiling)
    attack, release = limiter.attack, limiter.release
    with np.errstate(divide="ignore"):
        needs = np.minimum(1.0, ceiling / np.abs(samples.astype(np.float64)))
    padded = np.concatenate([np.ones(attack + release), needs, np.ones(attack)])
    held = [padded[k : k + attack + release + 1].min() for k in range(len(samples) + attack)]
    gains = [np.mean(held[p : p + attack + 1]) for p in range(len(samples))]
    return samples * np.asarray(gains)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(min_value=0, max_value=10_000), loud=st.floats(0.5, 3.0))
def test_the_limiter_computes_its_definition(seed: int, loud: float) -> None:
    audio = speech_like(0.2, seed) * np.float32(loud)
    assert np.allclose(limited(audio, 1024), reference(audio), rtol=0, atol=2e-6)
