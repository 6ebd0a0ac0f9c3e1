"""Encoding the timeline with ffmpeg, checked by decoding the files again."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import mutagen
import mutagen.mp3
import numpy as np
import pytest

import narrate.audio.encode as encode_module
import narrate.audio.mp3 as mp3_module
from narrate.audio.bitrate import allowed_bitrates, fit_bitrate
from narrate.audio.encode import FORMATS, encode, format_for
from narrate.audio.ffmpeg import find_ffmpeg
from narrate.audio.loudness import integrated_loudness, normalization
from narrate.audio.timeline import Timeline, TimelineBuilder
from narrate.engines.base import Clip
from narrate.errors import EncoderError, UsageError
from narrate.settings import Pauses
from narrate.speech.script import PauseKind, Script, Utterance

RATE = 22050
PAUSES = Pauses()
TARGET = -16.0
SOUND = 200  # |sample| above this is sound, with room for codec noise
MP3_SLACK_MS = 60  # encoder delay and pre-echo


def speech(ms: int, hz: float) -> Clip:
    """A quiet voiced sound with 'syllables', padded with silence like an engine's."""
    t = np.arange(RATE * ms // 1000) / RATE
    syllables = 0.6 + 0.4 * np.cos(2 * np.pi * 4 * t)
    voice = 0.05 * syllables * (np.sin(2 * np.pi * hz * t) + 0.3 * np.sin(2 * np.pi * 3 * hz * t))
    padded = np.concatenate((np.zeros(RATE // 5), voice, np.zeros(RATE // 4)))
    return Clip(np.round(padded * 32767).astype("<i2").tobytes(), RATE)


SCRIPT = Script(
    title="Die Nachricht",
    language="de",
    sections=("Die Nachricht", "Hintergrund"),
    utterances=(
        Utterance(("Die Nachricht",), "Die Nachricht", 0, PauseKind.TITLE),
        Utterance(("Erster Satz.",), "Erster Satz.", 0, PauseKind.SENTENCE),
        Utterance(("Zweiter Satz,", "lang."), "Zweiter Satz, lang.", 0, PauseKind.SECTION),
        Utterance(("Hintergrund",), "Hintergrund", 1, PauseKind.PARAGRAPH),
        Utterance(("Letzter Satz.",), "Letzter Satz.", 1, PauseKind.END),
    ),
)
DURATIONS_MS = [(900,), (1600,), (1200, 800), (700,), (1900,)]


@pytest.fixture(scope="module")
def timeline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Timeline, float]]:
    """The narration and the gain that brings it to -16 LUFS."""
    with TimelineBuilder(RATE, PAUSES, tmp_path_factory.mktemp("spool")) as builder:
        for index, spoken in enumerate(SCRIPT.utterances):
            builder.add(spoken, [speech(ms, 150 + 40 * index) for ms in DURATIONS_MS[index]])
        narration = builder.finish(SCRIPT)
        gain, limit = normalization(builder.loudness, TARGET)
        assert limit is None, "the test narration should not need the limiter"
        yield narration, gain


@pytest.fixture(scope="module")
def encoded(
    timeline: tuple[Timeline, float], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """The narration in every format, normalized."""
    narration, gain = timeline
    folder = tmp_path_factory.mktemp("encoded")
    paths = {fmt: folder / f"narration{extension}" for extension, fmt in FORMATS.items()}
    for fmt, path in paths.items():
        encode(narration.pcm_path, narration.sample_rate, path, fmt, "64k", gain)
    return paths


def decode(path: Path, rate: int = RATE) -> np.ndarray:
    command = [find_ffmpeg(), "-nostdin", "-v", "error", "-i", str(path)]
    command += ["-f", "s16le", "-ac", "1", "-ar", str(rate), "-"]
    result = subprocess.run(command, capture_output=True, check=True)
    return np.frombuffer(result.stdout, dtype="<i2")


def test_the_narration_needs_a_real_gain(timeline: tuple[Timeline, float]) -> None:
    assert timeline[1] > 6.0


@pytest.mark.parametrize("fmt", sorted(FORMATS.values()))
def test_every_format_decodes_to_the_timelines_duration(
    encoded: dict[str, Path], timeline: tuple[Timeline, float], fmt: str
) -> None:
    narration, _ = timeline
    decoded_ms = 1000 * decode(encoded[fmt]).size / RATE
    assert decoded_ms == pytest.approx(narration.duration_ms, abs=20)


def test_the_mp3_header_gives_the_exact_duration(
    encoded: dict[str, Path], timeline: tuple[Timeline, float]
) -> None:
    audio = mutagen.File(encoded["mp3"])
    assert type(audio).__name__ == "MP3"
    assert 1000 * audio.info.length == pytest.approx(timeline[0].duration_ms, abs=50)
    assert audio.info.sample_rate == RATE
    assert audio.info.channels == 1
    assert audio.info.bitrate == 64000


@pytest.mark.parametrize("fmt", ["mp3", "wav"])
def test_utterances_are_where_the_sound_is(
    encoded: dict[str, Path], timeline: tuple[Timeline, float], fmt: str
) -> None:
    narration, _ = timeline
    slack = MP3_SLACK_MS if fmt == "mp3" else 20
    onsets, offsets = sound_edges_ms(decode(encoded[fmt]))
    assert len(onsets) == 6  # five utterances, one of them in two chunks
    starts = [u.start_ms for u in narration.utterances]
    ends = [u.end_ms for u in narration.utterances]
    assert np.abs(np.delete(onsets, 3) - starts).max() <= slack
    assert np.abs(np.delete(offsets, 2) - ends).max() <= slack


@pytest.mark.parametrize("fmt", ["mp3", "wav"])
def test_the_pauses_are_heard(encoded: dict[str, Path], fmt: str) -> None:
    onsets, offsets = sound_edges_ms(decode(encoded[fmt]))
    pauses = [
        PAUSES.title_ms,
        PAUSES.sentence_ms,
        PAUSES.chunk_ms,
        PAUSES.section_ms,
        PAUSES.paragraph_ms,
    ]
    heard = onsets[1:] - offsets[:-1]
    margins = 2 * 15 + (2 * MP3_SLACK_MS if fmt == "mp3" else 0)
    assert np.all(heard >= np.array(pauses) - (MP3_SLACK_MS if fmt == "mp3" else 0))
    assert np.all(heard <= np.array(pauses) + margins)


def sound_edges_ms(pcm: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Starts and ends (ms) of the sounds separated by at least 100 ms of silence."""
    loud = np.flatnonzero(np.abs(pcm) > SOUND)
    breaks = np.flatnonzero(np.diff(loud) > RATE // 10)
    starts = np.concatenate(([loud[0]], loud[breaks + 1]))
    ends = np.concatenate((loud[breaks], [loud[-1]])) + 1
    return 1000 * starts / RATE, 1000 * ends / RATE


@pytest.mark.parametrize("fmt", ["mp3", "ogg", "m4a", "wav"])
def test_the_encoded_narration_is_at_the_target_loudness(
    encoded: dict[str, Path], fmt: str
) -> None:
    measured = integrated_loudness(decode(encoded[fmt]), RATE)
    assert measured == pytest.approx(TARGET, abs=1.0)


def test_ffmpeg_agrees_on_the_mp3s_loudness(encoded: dict[str, Path]) -> None:
    command = [find_ffmpeg(), "-nostdin", "-hide_banner", "-nostats", "-i", str(encoded["mp3"])]
    command += ["-af", "ebur128=framelog=quiet", "-f", "null", "-"]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    ffmpeg_lufs = float(re.findall(r"I:\s+(-?\d+\.\d) LUFS", result.stderr)[-1])
    assert ffmpeg_lufs == pytest.approx(TARGET, abs=1.0)
    assert integrated_loudness(decode(encoded["mp3"]), RATE) == pytest.approx(ffmpeg_lufs, abs=0.2)


def test_without_gain_the_wav_holds_the_timeline_exactly(
    timeline: tuple[Timeline, float], tmp_path: Path
) -> None:
    narration, _ = timeline
    path = tmp_path / "plain.wav"
    encode(narration.pcm_path, RATE, path, "wav", "64k", 0.0)
    assert np.array_equal(decode(path), np.fromfile(narration.pcm_path, dtype="<i2"))


def test_ffmpeg_writes_no_tags_of_its_own(encoded: dict[str, Path]) -> None:
    assert mutagen.File(encoded["mp3"]).tags is None
    assert dict(mutagen.File(encoded["ogg"]).tags) == {}
    assert b"LIST" not in encoded["wav"].read_bytes()[:200]


def test_the_format_decides_the_container_not_the_name(
    timeline: tuple[Timeline, float], tmp_path: Path
) -> None:
    narration, _ = timeline
    path = tmp_path / ".narration.part"
    encode(narration.pcm_path, RATE, path, "opus", "48k", 0.0)
    assert type(mutagen.File(path)).__name__ == "OggOpus"


@pytest.mark.parametrize(("name", "fmt"), [("a.mp3", "mp3"), ("B.MP3", "mp3"), ("c.opus", "opus")])
def test_format_for_known_extensions(name: str, fmt: str) -> None:
    assert format_for(Path(name)) == fmt


@pytest.mark.parametrize("name", ["article.flac", "article"])
def test_an_unknown_extension_is_a_usage_error(name: str) -> None:
    with pytest.raises(UsageError) as caught:
        format_for(Path(name))
    assert ".mp3, .wav, .ogg, .opus, .m4a" in str(caught.value)


@pytest.fixture
def ffmpeg_mp3(monkeypatch: pytest.MonkeyPatch) -> None:
    """MP3 through ffmpeg's libmp3lame, as where the lameenc wheel is missing."""
    monkeypatch.setattr(mp3_module, "available", lambda: False)


@pytest.mark.usefixtures("ffmpeg_mp3")
def test_ffmpegs_message_is_in_the_error(
    timeline: tuple[Timeline, float], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    narration, _ = timeline
    destination = tmp_path / "broken.mp3"
    broken = encode_module._Format("mp3", ("-c:a", "nosuchcodec"))
    monkeypatch.setitem(encode_module._CODECS, "mp3", broken)
    with pytest.raises(EncoderError, match="ffmpeg failed to encode broken.mp3") as caught:
        encode(narration.pcm_path, RATE, destination, "mp3", "64k", 0.0)
    assert "nosuchcodec" in str(caught.value)
    assert " @ 0x" not in str(caught.value)
    assert not destination.exists()


def test_ffmpegs_errors_name_the_users_file_not_the_temporary_one(
    timeline: tuple[Timeline, float], tmp_path: Path
) -> None:
    temporary = tmp_path / "gone" / ".hoeren.x1y2.part.ogg"  # ffmpeg cannot open it
    with pytest.raises(EncoderError) as caught:
        encode(timeline[0].pcm_path, RATE, temporary, "ogg", "64k", 0.0, name="out/hoeren.ogg")
    message = str(caught.value)
    assert message.startswith("ffmpeg failed to encode out/hoeren.ogg as ogg")
    assert "No such file or directory" in message
    assert ".part" not in message and "x1y2" not in message


def test_a_malformed_bitrate_is_a_usage_error(
    timeline: tuple[Timeline, float], tmp_path: Path
) -> None:
    with pytest.raises(UsageError, match="bad bitrate 'loud'"):
        encode(timeline[0].pcm_path, RATE, tmp_path / "x.ogg", "ogg", "loud", 0.0)
    assert not (tmp_path / "x.ogg").exists()


@pytest.mark.usefixtures("ffmpeg_mp3")
def test_a_missing_ffmpeg_is_an_encoder_error(
    timeline: tuple[Timeline, float], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(encode_module, "find_ffmpeg", lambda: str(tmp_path / "no-ffmpeg"))
    with pytest.raises(EncoderError, match="could not run ffmpeg"):
        encode(timeline[0].pcm_path, RATE, tmp_path / "x.mp3", "mp3")


def test_an_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="flac"):
        encode(tmp_path / "x.pcm", RATE, tmp_path / "x.flac", "flac")


# MP3 in process (lameenc) against ffmpeg's libmp3lame


def test_in_process_mp3_needs_no_ffmpeg_and_decodes_to_the_exact_length(
    timeline: tuple[Timeline, float], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    narration, _ = timeline
    monkeypatch.setattr(encode_module, "find_ffmpeg", lambda: str(tmp_path / "no-ffmpeg"))
    destination = tmp_path / "lame.mp3"
    encode(narration.pcm_path, RATE, destination, "mp3", "64k", 0.0)
    monkeypatch.undo()
    assert decode(destination).size == narration.frames
    info = mutagen.mp3.MP3(destination).info
    assert info.length == pytest.approx(narration.frames / RATE, abs=1e-6)
    assert info.encoder_info.startswith("LAME") and info.bitrate == 64000


def test_both_mp3_encoders_give_the_same_audio(
    timeline: tuple[Timeline, float], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    narration, _ = timeline
    encode(narration.pcm_path, RATE, tmp_path / "lame.mp3", "mp3", "64k", 4.0)
    monkeypatch.setattr(mp3_module, "available", lambda: False)
    encode(narration.pcm_path, RATE, tmp_path / "ffmpeg.mp3", "mp3", "64k", 4.0)
    ours, theirs = decode(tmp_path / "lame.mp3", RATE), decode(tmp_path / "ffmpeg.mp3", RATE)
    assert len(ours) == len(theirs) == narration.frames
    difference = np.sqrt(np.mean((ours.astype(float) - theirs.astype(float)) ** 2))
    level = np.sqrt(np.mean(theirs.astype(float) ** 2))
    assert difference < 0.05 * level, "same LAME, same settings: the same sound"


def test_lames_failure_is_an_encoder_error(
    timeline: tuple[Timeline, float], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    destination = tmp_path / "broken.mp3"

    def failing(*args: object, **kwargs: object) -> None:
        destination.write_bytes(b"half a frame")
        raise RuntimeError("lame_encode_buffer returned -3")

    monkeypatch.setattr(mp3_module, "encode_mp3", failing)
    with pytest.raises(EncoderError, match="LAME failed to encode broken.mp3: lame_encode"):
        encode(timeline[0].pcm_path, RATE, destination, "mp3", "64k", 0.0)
    assert not destination.exists()


def test_low_bitrates_go_to_ffmpeg_with_the_same_exact_length(
    timeline: tuple[Timeline, float], tmp_path: Path
) -> None:
    narration, _ = timeline
    encode(narration.pcm_path, RATE, tmp_path / "low.mp3", "mp3", "16k", 0.0)
    assert decode(tmp_path / "low.mp3").size == narration.frames


@pytest.mark.parametrize("kbps", [32, 64, 96, 160])
def test_the_info_frame_fits_and_names_delay_and_padding(kbps: int) -> None:
    header = bytes((0xFF, 0xF3, 0x80, 0xC4))  # MPEG-2 layer III, 22050 Hz, mono
    bitrate_index = {32: 4, 64: 8, 96: 10, 160: 14}[kbps]
    header = header[:2] + bytes(((bitrate_index << 4) | 0x00,)) + header[3:]
    frame = mp3_module.info_frame(header, frames=100, stream_bytes=5000, delay=576, pad=900)
    assert len(frame) == 72 * kbps * 1000 // 22050
    at = 4 + 9
    assert frame[at : at + 4] == b"Info"
    lame = frame.index(b"LAME3.100")
    delays = int.from_bytes(frame[lame + 21 : lame + 24], "big")
    assert (delays >> 12, delays & 0xFFF) == (576, 900)


# Bitrates: the tables in narrate.audio.bitrate against the real encoders


def tone_pcm(folder: Path, rate: int, seconds: float = 1.0) -> Path:
    """A voiced, slightly noisy tone as raw s16le at ``rate`` (codecs must spend bits on it)."""
    t = np.arange(int(rate * seconds)) / rate
    noise = np.random.default_rng(7).standard_normal(t.size)
    samples = 0.2 * np.sin(2 * np.pi * 180 * t) * (0.6 + 0.4 * np.cos(8 * np.pi * t)) + 0.02 * noise
    path = folder / f"tone-{rate}.pcm"
    path.write_bytes(np.round(samples * 32767).astype("<i2").tobytes())
    return path


def raw_ffmpeg(pcm: Path, rate: int, fmt: str, kbps: int, out: Path) -> tuple[int, str]:
    """ffmpeg run with narrate's options for ``fmt`` at exactly ``kbps``: (exit status, stderr)."""
    command = [find_ffmpeg(), *encode_module._input_args(pcm, rate)]
    command += [*encode_module._output_args(fmt, f"{kbps}k"), str(out)]
    command[command.index("error")] = "warning"  # AAC only warns when it clamps
    completed = subprocess.run(command, capture_output=True, text=True)
    return completed.returncode, completed.stderr


def header_kbps_and_rate(path: Path) -> tuple[int, int]:
    """Bitrate and sample rate of the first audio frame, after the Info/Xing frame.

    (ffmpeg writes its Xing frame at a higher bitrate when a frame is too small for it.)
    """
    data = path.read_bytes()  # no ID3 tag: encode() writes none
    info = mp3_module._Header.parse(data[:4])
    audio = data[info.frame_bytes(padded=bool(data[2] & 0x02)) :]
    header = mp3_module._Header.parse(audio[:4])
    return header.bitrate // 1000, header.sample_rate


@pytest.mark.parametrize("rate", [16000, 22050, 24000])
def test_every_mp3_bitrate_of_the_table_is_written_exactly(rate: int, tmp_path: Path) -> None:
    pcm = tone_pcm(tmp_path, rate, 0.5)
    steps = allowed_bitrates("mp3", rate)
    assert steps is not None and steps.steps == (
        8,
        16,
        24,
        32,
        40,
        48,
        56,
        64,
        80,
        96,
        112,
        128,
        144,
        160,
    )
    for kbps in steps.steps:
        path = tmp_path / f"{kbps}.mp3"
        encode(pcm, rate, path, "mp3", f"{kbps}k", 0.0)
        assert header_kbps_and_rate(path) == (kbps, rate)
        assert decode(path, rate).size == rate // 2


@pytest.mark.parametrize("rate", [8000, 11025, 12000])
def test_below_16_khz_every_mp3_bitrate_up_to_64k_is_written_exactly(
    rate: int, tmp_path: Path
) -> None:
    pcm = tone_pcm(tmp_path, rate, 0.5)
    steps = allowed_bitrates("mp3", rate)
    assert steps is not None and steps.steps == (8, 16, 24, 32, 40, 48, 56, 64)
    assert "MPEG-2.5" in steps.encoder
    for kbps in (*steps.steps, 128):  # 128k is fitted to 64k, not left to LAME
        path = tmp_path / f"{kbps}.mp3"
        encode(pcm, rate, path, "mp3", f"{kbps}k", 0.0)
        assert header_kbps_and_rate(path) == (min(kbps, 64), rate)
        assert decode(path, rate).size == rate // 2


@pytest.mark.parametrize(
    ("rate", "asked", "written"),
    [(22050, 192, 160), (22050, 320, 160), (22050, 33, 32), (22050, 50, 48), (44100, 150, 160)],
)
def test_an_mp3_bitrate_off_the_table_is_written_at_the_nearest(
    rate: int, asked: int, written: int, tmp_path: Path
) -> None:
    path = tmp_path / "fitted.mp3"
    encode(tone_pcm(tmp_path, rate, 0.5), rate, path, "mp3", f"{asked}k", 0.0)
    assert header_kbps_and_rate(path) == (written, rate)
    assert decode(path, rate).size == rate // 2


@pytest.mark.parametrize(
    ("fmt", "rate", "low", "high"),
    [
        ("ogg", 16000, 16, 100),
        ("ogg", 22050, 16, 90),
        ("ogg", 24000, 16, 90),
        ("opus", 16000, 6, 256),
        ("opus", 22050, 6, 256),
        ("opus", 24000, 6, 256),
    ],
)
def test_the_vorbis_and_opus_ranges_end_where_the_encoder_refuses(
    fmt: str, rate: int, low: int, high: int, tmp_path: Path
) -> None:
    allowed = allowed_bitrates(fmt, rate)
    assert allowed is not None and (allowed.low, allowed.high) == (low, high)
    pcm = tone_pcm(tmp_path, rate)
    out = tmp_path / f"raw.{fmt}"
    assert raw_ffmpeg(pcm, rate, fmt, high, out)[0] == 0
    assert raw_ffmpeg(pcm, rate, fmt, high + 1, out)[0] != 0, "the table should be tight"
    assert raw_ffmpeg(pcm, rate, fmt, low, out)[0] == 0
    if fmt == "ogg":  # libopus takes less than 6k, but makes no smaller stream
        assert raw_ffmpeg(pcm, rate, fmt, low - 1, out)[0] != 0


@pytest.mark.parametrize(("rate", "high"), [(16000, 96), (22050, 132), (24000, 144)])
def test_the_aac_range_ends_where_the_encoder_clamps(rate: int, high: int, tmp_path: Path) -> None:
    allowed = allowed_bitrates("m4a", rate)
    assert allowed is not None and (allowed.low, allowed.high) == (8, high)
    pcm = tone_pcm(tmp_path, rate)
    status, said = raw_ffmpeg(pcm, rate, "m4a", high, tmp_path / "high.m4a")
    assert status == 0 and "clamping" not in said
    status, said = raw_ffmpeg(pcm, rate, "m4a", high + 1, tmp_path / "over.m4a")
    assert status == 0 and "clamping to max" in said


@pytest.mark.parametrize(
    ("fmt", "asked"), [("ogg", "96k"), ("ogg", "8k"), ("opus", "300k"), ("m4a", "320k")]
)
def test_a_bitrate_out_of_range_is_encoded_at_the_nearest_end(
    fmt: str, asked: str, tmp_path: Path
) -> None:
    rate = 22050
    path = tmp_path / f"fitted.{fmt}"
    encode(tone_pcm(tmp_path, rate), rate, path, fmt, asked, 0.0)
    assert decode(path, rate).size == pytest.approx(rate, abs=rate // 50)
    if fmt == "ogg":
        nominal = mutagen.File(path).info.bitrate
        assert nominal == {"96k": 90000, "8k": 16000}[asked]


def test_vorbis_at_a_rate_libvorbis_has_no_bitrates_for_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="Ogg Vorbis cannot be written at 96000 Hz"):
        encode(tone_pcm(tmp_path, 96000, 0.1), 96000, tmp_path / "x.ogg", "ogg", "64k", 0.0)
    assert not (tmp_path / "x.ogg").exists()


@pytest.mark.parametrize(
    ("fmt", "rate", "asked", "used"),
    [
        ("mp3", 22050, "64k", "64k"),
        ("mp3", 22050, "192k", "160k"),
        ("mp3", 22050, "36k", "40k"),  # halfway: the higher one
        ("mp3", 48000, "8k", "32k"),
        ("mp3", 11025, "128k", "64k"),  # MPEG-2.5: LAME writes no more than 64k
        ("ogg", 22050, "96k", "90k"),
        ("ogg", 8000, "64k", "42k"),
        ("opus", 24000, "1k", "6k"),
        ("m4a", 16000, "128k", "96k"),
        ("wav", 22050, "999k", "999k"),
    ],
)
def test_fit_bitrate(fmt: str, rate: int, asked: str, used: str) -> None:
    fitted = fit_bitrate(fmt, rate, asked)
    assert fitted.bitrate == used
    assert fitted.changed == (asked != used)
