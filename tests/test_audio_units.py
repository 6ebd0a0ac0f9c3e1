"""A narration in units: cut in pauses, encoded unit by unit into one exact MP3, and
what is made of each unit kept, so a run after an edit redoes only what changed."""

from __future__ import annotations

import errno
import hashlib
import itertools
import math
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import mutagen.mp3
import numpy as np
import pytest

import narrate.audio.mp3 as mp3_module
import narrate.audio.units as units_module
from narrate.audio.encode import cut_rule, encode, finished_blocks, measure_finished
from narrate.audio.limiter import limiter_reach
from narrate.audio.loudness import measure
from narrate.audio.timeline import Timeline, TimelineBuilder
from narrate.audio.units import CutRule, Unit
from narrate.engines.base import Clip
from narrate.engines.cache import ChunkCache
from narrate.settings import Pauses
from narrate.speech.script import PauseKind, Script, Utterance
from tests.audio_tools import decode

GAIN_DB, LIMIT_DB = 6.0, -1.0  # the limiter works: its state must not matter at a cut
PAUSES = Pauses(sentence_ms=400, paragraph_ms=800, section_ms=1500, title_ms=1200)


def speech(rate: int, seconds: float, seed: int) -> np.ndarray:
    """Loud 'syllables' of noisy tone (with peaks for the limiter), no silence inside."""
    t = np.arange(int(rate * seconds)) / rate
    envelope = 0.55 + 0.45 * np.cos(2 * np.pi * 3 * t)
    noise = np.random.default_rng(seed).normal(0, 0.05, t.size)
    tone = 0.3 * np.sin(2 * np.pi * (180 + 20 * seed) * t) + noise
    return np.round(np.clip(envelope * tone, -1, 1) * 32767).astype("<i2")


def script_of(sentences: int) -> Script:
    utterances = tuple(
        Utterance((f"Satz {n}.",), f"Satz {n}.", 0, PauseKind.END if n == sentences - 1 else
                  PauseKind.PARAGRAPH if n % 4 == 3 else PauseKind.SENTENCE)
        for n in range(sentences)
    )  # fmt: skip
    return Script("Titel", "de", ("Titel",), utterances)


def build(
    folder: Path, rate: int, clips: list[np.ndarray], cuts: CutRule | None, store: Any = None
) -> tuple[TimelineBuilder, Timeline]:
    """A timeline of ``clips`` (one sentence each) as narrate builds it; close the builder."""
    builder = TimelineBuilder(rate, PAUSES, folder, cuts, store)
    script = script_of(len(clips))
    for utterance, samples in zip(script.utterances, clips, strict=True):
        builder.add(utterance, [Clip(samples.tobytes(), rate)])
    return builder, builder.finish(script)


def sentences(rate: int, count: int, first_seed: int = 0) -> list[np.ndarray]:
    return [speech(rate, 2.5 + 0.1 * (n % 7), first_seed + n) for n in range(count)]


def mp3_rule(rate: int) -> CutRule:
    return cut_rule("mp3", rate, "64k")


def reference(pcm: Path, rate: int) -> np.ndarray:
    finished = b"".join(finished_blocks(pcm, rate, GAIN_DB, LIMIT_DB))
    return np.frombuffer(finished, dtype="<i2").astype(np.float64) / 32768  # as decode() gives


def snr_db(decoded: np.ndarray, wanted: np.ndarray) -> float:
    error = decoded.astype(np.float64) - wanted
    return float(10 * np.log10(np.sum(wanted**2) / np.sum(error**2)))


def encoded(timeline: Timeline, name: str, store: Any = None, units: bool = True) -> Path:
    path = timeline.pcm_path.with_name(name)
    encode(
        timeline.pcm_path, timeline.sample_rate, path, "mp3", "64k", GAIN_DB, LIMIT_DB,
        units=timeline.units if units else (), store=store,
    )  # fmt: skip
    return path


class DictStore:
    """A store in memory that counts what is asked of it."""

    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}
        self.puts: list[str] = []
        self.kinds: dict[str, object] = {}

    def data_key(self, fields: dict[str, object]) -> str:
        key = ChunkCache.data_key(fields)
        self.kinds[key] = fields["kind"]
        return key

    def get_data(self, key: str) -> bytes | None:
        return self.data.get(key)

    def put_data(self, key: str, data: bytes) -> None:
        self.data[key] = data
        self.puts.append(key)


@pytest.fixture
def lame_runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sample counts of every part LAME encodes (kept parts are not encoded)."""
    runs: list[int] = []
    original = mp3_module._Encoding._encode

    def spy(self: Any, part: mp3_module.Part) -> bytes | None:
        runs.append(part.samples)
        return original(self, part)

    monkeypatch.setattr(mp3_module._Encoding, "_encode", spy)
    return runs


@pytest.mark.parametrize("rate", [16000, 22050, 44100])
def test_cuts_fall_on_mp3_frames_in_pauses_that_stay_within_half_a_frame(
    tmp_path: Path, rate: int
) -> None:
    rule = mp3_rule(rate)
    frame = 1152 if rate >= 32000 else 576
    assert rule == CutRule(limiter_reach(rate) + 1152, frame, lead=frame, shortest=rate)
    builder, timeline = build(tmp_path, rate, sentences(rate, 9), rule)
    with builder:
        units = timeline.units
        assert [unit.start for unit in units[1:]] == [unit.end for unit in units[:-1]]
        assert units[0].start == 0 and units[-1].end == timeline.frames
        assert all(unit.start % frame == 0 for unit in units)
        samples = np.fromfile(timeline.pcm_path, dtype="<i2")
        for unit in units[:-1]:  # silence for the junction and the limiter, and a frame after
            assert not samples[unit.end - rule.silence : unit.end + frame].any()
        pauses = [
            (after.start_ms - before.end_ms, before.pause_after.milliseconds(PAUSES))
            for before, after in itertools.pairwise(timeline.utterances)
        ]
        assert all(abs(made - asked) <= 1000 * frame / rate / 2 + 1 for made, asked in pauses)
    assert len(units) == 9  # every sentence's pause is long enough for a cut


def test_a_units_digest_names_its_sound_wherever_it_stands(tmp_path: Path) -> None:
    rate = 22050
    clips = sentences(rate, 6)
    edited = [clips[0], speech(rate, 3.3, 99), *clips[2:]]  # the second sentence changed
    first, before = build(tmp_path, rate, clips, mp3_rule(rate))
    second, after = build(tmp_path, rate, edited, mp3_rule(rate))
    with first, second:
        old = [unit.digest for unit in before.units]
        new = [unit.digest for unit in after.units]
        assert old[0] == new[0] and old[2:] == new[2:] and old[1] != new[1]
        assert before.units[2].start != after.units[2].start  # moved, and the same sound
        spool = after.pcm_path.read_bytes()
        unit = after.units[3]
        assert (
            unit.digest
            == hashlib.blake2b(spool[2 * unit.start : 2 * unit.end], digest_size=16).digest()
        )


@pytest.mark.parametrize("rate", [16000, 22050, 44100])
def test_the_loudness_measured_unit_by_unit_is_that_of_one_pass(tmp_path: Path, rate: int) -> None:
    builder, timeline = build(tmp_path, rate, sentences(rate, 8), mp3_rule(rate))
    with builder:
        whole = measure(timeline.pcm_path, rate)
        by_units = builder.loudness
        assert whole.integrated_lufs is not None and by_units.integrated_lufs is not None
        assert by_units.integrated_lufs == pytest.approx(whole.integrated_lufs, abs=0.02)
        assert by_units.sample_peak_dbfs == pytest.approx(whole.sample_peak_dbfs, abs=1e-9)
        assert by_units.true_peak_dbfs == pytest.approx(whole.true_peak_dbfs, abs=1e-6)
        pcm, units = timeline.pcm_path, timeline.units
        finished_whole = measure_finished(pcm, rate, GAIN_DB, LIMIT_DB).integrated_lufs
        by_units_finished = measure_finished(pcm, rate, GAIN_DB, LIMIT_DB, units)
        finished = by_units_finished.integrated_lufs
        assert finished_whole is not None and finished is not None
        assert finished == pytest.approx(finished_whole, abs=0.02)
        assert math.isnan(by_units_finished.sample_peak_dbfs)  # not measured, as one pass
        assert math.isnan(by_units_finished.true_peak_dbfs)


def test_kept_loudness_is_used_again_and_gives_the_same_result(tmp_path: Path) -> None:
    rate, store = 22050, DictStore()
    builder, timeline = build(tmp_path, rate, sentences(rate, 8), mp3_rule(rate), store)
    with builder:
        pcm, units = timeline.pcm_path, timeline.units
        first = measure_finished(pcm, rate, GAIN_DB, LIMIT_DB, units, store)
        kept = len(store.puts)
        assert kept == 2 * len(units)  # the loudness as written, and as finished at this gain
        again = measure_finished(pcm, rate, GAIN_DB, LIMIT_DB, units, store)
        assert len(store.puts) == kept and again.integrated_lufs == first.integrated_lufs
        measure_finished(pcm, rate, GAIN_DB + 0.1, LIMIT_DB, units, store)  # another gain
        assert len(store.puts) == kept + len(units)
    second, rebuilt = build(tmp_path, rate, sentences(rate, 8), mp3_rule(rate), store)
    with second:
        assert len(store.puts) == kept + len(units)  # nothing measured again
        assert second.loudness == builder.loudness


@pytest.mark.parametrize("rate", [16000, 22050, 44100])
def test_units_join_into_an_exact_mp3_as_faithful_as_one_piece(
    tmp_path: Path, lame_runs: list[int], rate: int
) -> None:
    builder, timeline = build(tmp_path, rate, sentences(rate, 12), mp3_rule(rate))
    with builder:
        joined = encoded(timeline, "joined.mp3")
        assert len(lame_runs) == len(timeline.units) == 12
        whole = encoded(timeline, "whole.mp3", units=False)
        wanted = reference(timeline.pcm_path, rate)
        decoded_joined, decoded_whole = decode(joined, rate), decode(whole, rate)
    assert decoded_joined.size == decoded_whole.size == wanted.size  # exact to the sample
    assert mutagen.mp3.MP3(joined).info.length == pytest.approx(wanted.size / rate, abs=1e-6)
    # in step with the audio everywhere (a shift of even one sample loses many dB)
    assert snr_db(decoded_joined, wanted) > snr_db(decoded_whole, wanted) - 0.5 > 10


def test_the_joins_are_as_quiet_as_one_piece_there(tmp_path: Path) -> None:
    rate = 22050
    builder, timeline = build(tmp_path, rate, sentences(rate, 10), mp3_rule(rate))
    with builder:
        joined = decode(encoded(timeline, "joined.mp3"), rate)
        whole = decode(encoded(timeline, "whole.mp3", units=False), rate)
        wanted = reference(timeline.pcm_path, rate)
    for unit in timeline.units[:-1]:
        window = slice(unit.end - mp3_module.JUNCTION_SAMPLES - 576, unit.end + 576)
        assert not wanted[unit.end - mp3_module.JUNCTION_SAMPLES - 576 : unit.end].any()
        loudest = float(np.abs(joined[window]).max())
        assert loudest <= float(np.abs(whole[window]).max()) + 0.002, f"a click at {unit.end}"


def test_kept_units_are_not_encoded_again_and_the_file_is_the_same(
    tmp_path: Path, lame_runs: list[int]
) -> None:
    rate, store = 22050, DictStore()
    clips = sentences(rate, 8)
    builder, timeline = build(tmp_path, rate, clips, mp3_rule(rate), store)
    with builder:
        first = encoded(timeline, "first.mp3", store).read_bytes()
        assert len(lame_runs) == 8
        again = encoded(timeline, "again.mp3", store).read_bytes()
        assert len(lame_runs) == 8 and again == first
    edited = [*clips[:5], speech(rate, 1.7, 77), *clips[6:]]
    second, changed = build(tmp_path, rate, edited, mp3_rule(rate), store)
    with second:
        incremental = encoded(changed, "incremental.mp3", store)
        assert len(lame_runs) == 9  # the changed unit only
        fresh = encoded(changed, "fresh.mp3")  # no store: every unit encoded
        assert incremental.read_bytes() == fresh.read_bytes()
        wanted = reference(changed.pcm_path, rate)
        decoded = decode(incremental, rate)
    assert decoded.size == wanted.size and snr_db(decoded, wanted) > 10


def _not_frames(kept: dict[str, bytes], frames: list[str]) -> None:
    kept[frames[2]] = b"not frames"


def _another_units_frames(kept: dict[str, bytes], frames: list[str]) -> None:
    assert len(kept[frames[1]]) != len(kept[frames[3]])
    kept[frames[1]] = kept[frames[3]]  # whole frames, of another unit


@pytest.mark.parametrize("spoil", [_not_frames, _another_units_frames])
def test_kept_frames_that_do_not_fit_their_part_are_encoded_again(
    tmp_path: Path, lame_runs: list[int], spoil: Any
) -> None:
    rate, store = 22050, DictStore()
    builder, timeline = build(tmp_path, rate, sentences(rate, 6), mp3_rule(rate), store)
    with builder:
        first = encoded(timeline, "first.mp3", store).read_bytes()
        frames = [key for key in store.puts if store.kinds[key] == "mp3-frames"]
        assert len(frames) == 6
        spoil(store.data, frames)
        assert encoded(timeline, "again.mp3", store).read_bytes() == first
    assert len(lame_runs) == 6 + 1


def test_a_part_that_misses_its_span_falls_back_to_one_piece(
    tmp_path: Path, lame_runs: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    rate = 22050
    builder, timeline = build(tmp_path, rate, sentences(rate, 8), mp3_rule(rate))
    monkeypatch.setattr(mp3_module, "JUNCTION_SAMPLES", 1000)  # not what LAME pads
    with builder:
        decoded = decode(encoded(timeline, "fallback.mp3"), rate)
        wanted = reference(timeline.pcm_path, rate)
        assert lame_runs  # tried in units
        assert decoded.size == wanted.size and snr_db(decoded, wanted) > 10
        assert {path.name for path in tmp_path.iterdir()} == {
            timeline.pcm_path.name,
            "fallback.mp3",
        }


def test_an_interrupted_encode_stops_every_part_and_leaves_nothing(tmp_path: Path) -> None:
    read: list[int] = []

    def blocks(number: int) -> Iterator[bytes]:
        for block in range(1000):  # far more than the part has
            read.append(number)
            if number == 0 and block == 2:
                raise KeyboardInterrupt  # Ctrl-C reaches the run through the first part
            yield bytes(4096)

    parts = [
        mp3_module.Part(lambda: blocks(0), 576 * 100, 576 * 100 + 1152),
        mp3_module.Part(lambda: blocks(1), 2048 * 1000, None),
    ]
    with pytest.raises(KeyboardInterrupt):
        mp3_module.encode_mp3_parts(parts, 22050, tmp_path / "out.mp3", 64, workers=2)
    assert read.count(1) < 1000  # the other part stopped early
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("no_room", [errno.ENOSPC, errno.EDQUOT])
def test_a_disk_too_full_for_the_parts_gets_one_piece(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_room: int
) -> None:
    def disk_full(*_: object) -> None:
        raise OSError(no_room, "No space left on device")

    monkeypatch.setattr(mp3_module._Encoding, "_done", disk_full)  # writing the parts
    rate = 22050
    builder, timeline = build(tmp_path, rate, sentences(rate, 8), mp3_rule(rate))
    with builder:
        decoded = decode(encoded(timeline, "full.mp3"), rate)
        wanted = reference(timeline.pcm_path, rate)
    assert decoded.size == wanted.size and snr_db(decoded, wanted) > 10


def test_without_pauses_long_enough_there_is_one_unit_and_one_piece(
    tmp_path: Path, lame_runs: list[int]
) -> None:
    rate = 22050
    builder = TimelineBuilder(
        rate, Pauses(sentence_ms=20, paragraph_ms=20), tmp_path, mp3_rule(rate)
    )
    script = script_of(5)
    with builder:
        for utterance, samples in zip(script.utterances, sentences(rate, 5), strict=True):
            builder.add(utterance, [Clip(samples.tobytes(), rate)])
        timeline = builder.finish(script)
        assert len(timeline.units) == 1
        decoded = decode(encoded(timeline, "one.mp3"), rate)
        assert decoded.size == timeline.frames
    assert lame_runs == []  # encoded in one piece, not as parts


def test_other_formats_are_cut_where_the_limiter_allows_on_any_sample() -> None:
    rule = cut_rule("ogg", 24000, "64k")
    assert rule == CutRule(limiter_reach(24000), 1, shortest=24000)
    assert cut_rule("mp3", 24000, "24k") == rule  # ffmpeg writes it


def test_a_kept_loudness_that_is_not_one_is_measured_again() -> None:
    unit = Unit(0, 22050, b"0" * 16)
    pieces = units_module.LoudnessSum(22050).pieces(unit)
    assert pieces == 200  # 5 ms each
    assert units_module.UnitLoudness.from_bytes(b"short", pieces) is None
    store = DictStore()
    key = units_module.kept_key(store, unit, 22050, "loudness")
    assert key is not None
    store.data[key] = b"\x00" * (16 + 4 * (pieces - 1))  # another unit's, or cut short
    samples = speech(22050, 1.0, 3).tobytes()
    measured = units_module.kept_loudness(
        store, key, lambda: [samples], 22050, peaks=True, pieces=pieces
    )
    assert store.puts == [key] and measured.energies.size == pieces
    kept = units_module.UnitLoudness.from_bytes(store.data[key], pieces)
    assert kept is not None
    assert np.array_equal(kept.energies, measured.energies)
    assert (kept.sample_peak_dbfs, kept.true_peak_dbfs) == (
        measured.sample_peak_dbfs,
        measured.true_peak_dbfs,
    )


def test_the_loudness_of_a_long_narration_holds_its_hops_not_its_pieces() -> None:
    total = units_module.LoudnessSum(16000)
    second = 16000
    for number in range(3600):  # an hour in one-second units of a quiet tone
        unit = Unit(number * second, (number + 1) * second, b"")
        energies = np.full(total.pieces(unit), 80 * 0.01, dtype=np.float32)
        total.add(unit, units_module.UnitLoudness(energies, -20.0, -19.0))
    # 10 hops a second, 8 bytes each (the array grows by doubling); the pieces were 11 MB
    assert total._pieces._hops._energy.nbytes < 1_000_000
    loudness = total.result()
    assert loudness.integrated_lufs == pytest.approx(-0.691 + 10 * np.log10(0.01), abs=1e-3)
    assert (loudness.sample_peak_dbfs, loudness.true_peak_dbfs) == (-20.0, -19.0)


def test_a_pause_too_short_for_a_cut_on_a_frame_stays_as_asked(tmp_path: Path) -> None:
    rate = 22050
    rule = mp3_rule(rate)
    outcomes = []
    voice = speech(rate, 1.5, 1)
    for asked, phase in itertools.product(range(1700, 2600, 23), range(0, 576, 41)):
        builder = TimelineBuilder(rate, PAUSES, tmp_path, rule)
        with builder:  # a sentence ending anywhere in a frame, then the pause asked for
            builder._write(voice[: voice.size - phase].tobytes())
            builder._write_pause(asked)
            made = builder._frames - (voice.size - phase)
            outcomes.append((asked, made, len(builder._meter._measured) == 1))
    assert all(abs(made - asked) <= rule.grid // 2 for asked, made, cut in outcomes if cut)
    assert all(made == asked for asked, made, cut in outcomes if not cut)
    uncut = [asked for asked, _, cut in outcomes if not cut]
    assert uncut and max(uncut) > rule.silence + rule.lead  # not only the too-short ones


def test_utterances_shorter_than_a_second_join_the_next_unit(tmp_path: Path) -> None:
    rate = 22050
    short = [speech(rate, 0.3, n) for n in range(3)]
    clips = [short[0], short[1], *sentences(rate, 2), short[2], *sentences(rate, 1, 5)]
    builder, timeline = build(tmp_path, rate, clips, mp3_rule(rate))
    with builder:
        lengths = [len(unit.samples) / rate for unit in timeline.units]
    # the two short ones together, two sentences, the last short one with the last sentence
    assert len(lengths) == 4 and all(length >= 1.0 for length in lengths)
    assert lengths[0] == pytest.approx(0.3 + 0.4 + 0.3 + 0.4, abs=0.02)


def test_the_loudness_meter_stops_at_once_and_leaves_no_thread(tmp_path: Path) -> None:
    rate = 22050
    before = set(threading.enumerate())
    builder, timeline = build(tmp_path, rate, sentences(rate, 3), mp3_rule(rate))
    with builder:
        assert len(timeline.units) == 3
    assert [thread.name for thread in set(threading.enumerate()) - before] == []
