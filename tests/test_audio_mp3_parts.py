"""A long narration is encoded in parts on several cores, joined into one exact MP3."""

from __future__ import annotations

import errno
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import mutagen.mp3
import numpy as np
import pytest

import narrate.audio.encode as encode_module
import narrate.audio.mp3 as mp3_module
from narrate.audio.encode import encode, finished_blocks
from tests.audio_tools import decode

GAIN_DB, LIMIT_DB = 6.0, -1.0  # the limiter works: its state must not change at a cut


def speech(rate: int, seconds: float, seed: int) -> np.ndarray:
    """Loud 'syllables' of noisy tone (with peaks for the limiter), no silence inside."""
    t = np.arange(int(rate * seconds)) / rate
    envelope = 0.55 + 0.45 * np.cos(2 * np.pi * 3 * t)
    noise = np.random.default_rng(seed).normal(0, 0.05, t.size)
    tone = 0.3 * np.sin(2 * np.pi * (180 + 20 * seed) * t) + noise
    return np.clip(envelope * tone, -1, 1)


def narration(rate: int, sentences: int, pause_s: float = 0.4) -> np.ndarray:
    """Sentences of about 3 s with digital silence between them, as narrate writes."""
    pieces = []
    for number in range(sentences):
        pieces += [speech(rate, 2.5 + 0.1 * (number % 7), number), np.zeros(int(rate * pause_s))]
    return np.round(np.concatenate(pieces) * 32767).astype("<i2")


def spool(folder: Path, samples: np.ndarray) -> Path:
    path = folder / "spool.pcm"
    samples.tofile(path)
    return path


@pytest.fixture
def parts_used(monkeypatch: pytest.MonkeyPatch) -> list[Sequence[int | None]]:
    """The spans of every parted encode (the machine may have one core: pretend three)."""
    monkeypatch.setattr(encode_module, "cores_allowed", lambda: 3)
    seen: list[Sequence[int | None]] = []
    original: Callable[..., bool] = mp3_module.encode_mp3_parts

    def spy(parts: Sequence[mp3_module.Part], *args: Any) -> bool:
        seen.append([part.span for part in parts])
        return original(parts, *args)

    monkeypatch.setattr(mp3_module, "encode_mp3_parts", spy)
    return seen


def reference(pcm: Path, rate: int) -> np.ndarray:
    finished = b"".join(finished_blocks(pcm, rate, GAIN_DB, LIMIT_DB))
    return np.frombuffer(finished, dtype="<i2").astype(np.float64) / 32768  # as decode() gives


def snr_db(decoded: np.ndarray, wanted: np.ndarray) -> float:
    error = decoded.astype(np.float64) - wanted
    return float(10 * np.log10(np.sum(wanted**2) / np.sum(error**2)))


def encoded(pcm: Path, rate: int, name: str) -> Path:
    path = pcm.with_name(name)
    encode(pcm, rate, path, "mp3", "64k", GAIN_DB, LIMIT_DB)
    return path


@pytest.mark.parametrize("rate", [22050, 44100, 16000])
def test_parts_join_into_an_exact_mp3_as_faithful_as_one_piece(
    tmp_path: Path,
    parts_used: list[Sequence[int | None]],
    monkeypatch: pytest.MonkeyPatch,
    rate: int,
) -> None:
    pcm = spool(tmp_path, narration(rate, 30))  # about 90 s
    parted = encoded(pcm, rate, "parted.mp3")
    assert len(parts_used) == 1 and len(parts_used[0]) == 3
    frame = 1152 if rate >= 32000 else 576
    assert all(span % frame == 0 for span in parts_used[0][:-1] if span is not None)
    monkeypatch.setattr(encode_module, "cores_allowed", lambda: 1)
    whole = encoded(pcm, rate, "whole.mp3")
    assert len(parts_used) == 1  # the second one was one piece
    wanted = reference(pcm, rate)
    decoded_parted, decoded_whole = decode(parted, rate), decode(whole, rate)
    assert decoded_parted.size == decoded_whole.size == wanted.size  # exact to the sample
    assert mutagen.mp3.MP3(parted).info.length == pytest.approx(wanted.size / rate, abs=1e-6)
    # in step with the audio everywhere (a shift of even one sample loses many dB)
    assert snr_db(decoded_parted, wanted) > snr_db(decoded_whole, wanted) - 0.5 > 10


def test_the_joins_are_as_quiet_as_one_piece_there(
    tmp_path: Path, parts_used: list[Sequence[int | None]], monkeypatch: pytest.MonkeyPatch
) -> None:
    rate = 22050
    pcm = spool(tmp_path, narration(rate, 30))
    parted = decode(encoded(pcm, rate, "parted.mp3"), rate)
    monkeypatch.setattr(encode_module, "cores_allowed", lambda: 1)
    whole = decode(encoded(pcm, rate, "whole.mp3"), rate)
    spans = [span for span in parts_used[0] if span is not None]
    for join in np.cumsum(spans):
        window = slice(join - mp3_module.JUNCTION_SAMPLES - 576, join + 576)
        assert not reference(pcm, rate)[window].any()  # the join is in a pause
        loudest = float(np.abs(parted[window]).max())
        assert loudest <= float(np.abs(whole[window]).max()) + 0.002, f"a click at {join}"


def test_without_silence_to_cut_at_it_is_one_piece(
    tmp_path: Path, parts_used: list[Sequence[int | None]]
) -> None:
    rate = 22050
    tone = np.round(speech(rate, 80, 1) * 32767).astype("<i2")
    pcm = spool(tmp_path, tone)
    decoded = decode(encoded(pcm, rate, "tone.mp3"), rate)
    assert parts_used == []
    assert decoded.size == tone.size


def test_a_short_narration_is_one_piece(
    tmp_path: Path, parts_used: list[Sequence[int | None]]
) -> None:
    pcm = spool(tmp_path, narration(22050, 12))  # about 35 s
    encoded(pcm, 22050, "short.mp3")
    assert parts_used == []


def test_a_part_that_misses_its_span_falls_back_to_one_piece(
    tmp_path: Path, parts_used: list[Sequence[int | None]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mp3_module, "JUNCTION_SAMPLES", 1000)  # not what LAME pads
    rate = 22050
    pcm = spool(tmp_path, narration(rate, 30))
    decoded = decode(encoded(pcm, rate, "fallback.mp3"), rate)
    assert len(parts_used) == 1  # tried in parts
    wanted = reference(pcm, rate)
    assert decoded.size == wanted.size
    assert snr_db(decoded, wanted) > 10
    assert {path.name for path in tmp_path.iterdir()} == {"spool.pcm", "fallback.mp3"}


def test_cuts_are_on_frame_boundaries_in_silence() -> None:
    rate, frame = 22050, 576
    samples = narration(rate, 40)
    cuts = encode_module._silent_cuts(lambda low, high: samples[low:high], samples.size, rate, 3)
    assert len(cuts) == 2
    for cut in cuts:
        assert cut % frame == 0
        assert not samples[cut - mp3_module.JUNCTION_SAMPLES - frame : cut + frame].any()


def test_an_interrupted_encode_stops_every_part_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rate = 22050
    pcm = spool(tmp_path, narration(rate, 30))
    read: list[int] = []

    def blocks(number: int) -> Iterator[bytes]:
        for block in range(1000):  # far more than the part has
            read.append(number)
            if number == 0 and block == 2:
                raise KeyboardInterrupt  # Ctrl-C reaches the run through the first part
            yield bytes(4096)

    parts = [mp3_module.Part(blocks(0), 576 * 100), mp3_module.Part(blocks(1), None)]
    with pytest.raises(KeyboardInterrupt):
        mp3_module.encode_mp3_parts(parts, rate, tmp_path / "out.mp3", 64)
    assert read.count(1) < 1000  # the other part stopped early
    assert {path.name for path in tmp_path.iterdir()} == {"spool.pcm"}
    assert pcm.exists()


@pytest.mark.parametrize("no_room", [errno.ENOSPC, errno.EDQUOT])
def test_a_disk_too_full_for_the_parts_gets_one_piece(
    tmp_path: Path,
    parts_used: list[Sequence[int | None]],
    monkeypatch: pytest.MonkeyPatch,
    no_room: int,
) -> None:
    def disk_full(*_: object) -> None:
        raise OSError(no_room, "No space left on device")

    monkeypatch.setattr(mp3_module.shutil, "copyfileobj", disk_full)  # joining the parts
    rate = 22050
    pcm = spool(tmp_path, narration(rate, 30))
    decoded = decode(encoded(pcm, rate, "full.mp3"), rate)
    assert len(parts_used) == 1  # tried in parts, then one piece
    wanted = reference(pcm, rate)
    assert decoded.size == wanted.size
    assert snr_db(decoded, wanted) > 10
    assert {path.name for path in tmp_path.iterdir()} == {"spool.pcm", "full.mp3"}
