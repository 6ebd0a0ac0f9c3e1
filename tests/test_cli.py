"""The command line as a user meets it: exit codes, one-line errors, nothing written."""

from __future__ import annotations

import ctypes
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from mutagen.mp3 import MP3
from mutagen.oggvorbis import OggVorbis
from typer.testing import CliRunner

import narrate.audio.loudness as loudness_module
from narrate.audio.loudness import integrated_loudness
from narrate.cli import app
from narrate.engines.base import Clip
from tests import fakes
from tests.audio_tools import decode, duration_ms
from tests.fakes import FakeEngine

ARTICLE = "Ein Titel\n\nEin Satz. Noch ein Satz.\n\nZwischentitel\n\nDer letzte Absatz.\n"

runner = CliRunner()


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "artikel.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def _files(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def test_narrate_article_writes_mp3_beside_it(article: Path, fake_engine: FakeEngine) -> None:
    result = runner.invoke(app, [str(article), "--engine", "fake"])
    assert result.exit_code == 0, result.output
    mp3 = article.with_suffix(".mp3")
    assert duration_ms(mp3) > 1000
    assert result.stdout == ""
    summary = result.stderr.strip().splitlines()[-1]
    assert str(mp3) in summary and "fake" in summary and "2 chapters" in summary


def test_quiet_prints_nothing(article: Path, fake_engine: FakeEngine) -> None:
    result = runner.invoke(app, [str(article), "-e", "fake", "-q"])
    assert result.exit_code == 0, result.output
    assert result.output == ""


def test_output_option_and_captions(article: Path, fake_engine: FakeEngine, tmp_path: Path) -> None:
    target = tmp_path / "out" / "hoeren.mp3"
    target.parent.mkdir()
    result = runner.invoke(app, [str(article), "-e", "fake", "-o", str(target), "--captions"])
    assert result.exit_code == 0, result.output
    assert _files(target.parent) == ["hoeren.json", "hoeren.mp3", "hoeren.vtt"]


@pytest.mark.parametrize(
    ("name", "theirs"),
    [
        ("artikel.json", '{"meine": "Daten"}\n'),
        ("artikel.vtt", "WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.000\nEigene Untertitel\n"),
    ],
)
def test_captions_never_replace_someone_elses_file(
    article: Path, fake_engine: FakeEngine, name: str, theirs: str
) -> None:
    (article.parent / name).write_text(theirs, encoding="utf-8")
    result = runner.invoke(app, [str(article), "-e", "fake", "--captions"])
    assert result.exit_code == 2, result.output
    [line] = result.stderr.strip().splitlines()
    assert f"{name} is there and narrate did not write it" in line
    assert (article.parent / name).read_text(encoding="utf-8") == theirs
    assert not article.with_suffix(".mp3").exists()


def test_captions_replace_their_own_files_on_the_next_run(
    article: Path, fake_engine: FakeEngine
) -> None:
    for _ in range(2):
        result = runner.invoke(app, [str(article), "-e", "fake", "--captions"])
        assert result.exit_code == 0, result.output
    assert article.with_suffix(".vtt").read_text(encoding="utf-8").startswith("WEBVTT")


def test_stdout_output(article: Path, fake_engine: FakeEngine, tmp_path: Path) -> None:
    result = runner.invoke(app, [str(article), "-e", "fake", "-o", "-", "-q"])
    assert result.exit_code == 0, result.output
    copy = tmp_path / "copy.mp3"
    copy.write_bytes(result.stdout_bytes)
    assert duration_ms(copy) > 1000


def test_stdin_input(fake_engine: FakeEngine, tmp_path: Path) -> None:
    target = tmp_path / "stdin.mp3"
    result = runner.invoke(app, ["-", "-e", "fake", "-o", str(target)], input=ARTICLE.encode())
    assert result.exit_code == 0, result.output
    assert duration_ms(target) > 1000


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "not found"),
        (b"", "empty"),
        (b"  \n\t\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        ("Überschrift\n\nÄrger".encode("latin-1"), "UTF-8"),
    ],
    ids=["missing", "empty", "whitespace", "binary", "latin-1"],
)
def test_bad_input_exits_2_with_one_line(
    tmp_path: Path, fake_engine: FakeEngine, content: bytes | None, message: str
) -> None:
    path = tmp_path / "artikel.txt"
    if content is not None:
        path.write_bytes(content)
    result = runner.invoke(app, [str(path), "-e", "fake"])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert not path.with_suffix(".mp3").exists()


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--engine", "nosuch"], "unknown engine 'nosuch'"),
        (["--voice", "nosuch"], "unknown voice 'nosuch'"),
        (["--lang", "xx"], "xx"),
        (["--speed", "9"], "speed"),
        (["--bitrate", "loud"], "bitrate"),
        (["--bitrate", "0k"], "bad bitrate '0k'"),
        (["--bitrate", "-5k"], "bad bitrate '-5k'"),
        (["--date", "2024-13-01"], "bad date '2024-13-01': month must be in 1..12"),
        (["--date", "2024-02-30"], "bad date '2024-02-30': day is out of range for month"),
        (["--date", "3. Mai"], "bad date '3. Mai'"),
        (["--date", "２０２４-０５-０３"], "bad date"),  # full-width digits
        (["--section-pause", "-5"], "pause"),
    ],
)
def test_bad_options_exit_2(
    article: Path, fake_engine: FakeEngine, option: list[str], message: str
) -> None:
    engine = [] if option[0] == "--engine" else ["-e", "fake"]
    result = runner.invoke(app, [str(article), *engine, *option])
    assert result.exit_code == 2, result.output
    [line] = result.stderr.strip().splitlines()
    assert message in line
    assert not article.with_suffix(".mp3").exists()
    assert fake_engine.calls == [], "refused before any synthesis"


@pytest.mark.parametrize(
    ("arguments", "message", "helps"),
    [
        (["ARTICLE", "--bogus"], "No such option: --bogus", "narrate speak"),
        (["ARTICLE", "--speed", "fast"], "Invalid value for '--speed'", "narrate speak"),
        (["ARTICLE", "--jobs"], "Option '--jobs' requires an argument", "narrate speak"),
        (["speak", "ARTICLE", "--jobs"], "Option '--jobs' requires an argument", "narrate speak"),
        (["feed", "FOLDER", "--title", "T"], "Missing option '--base-url'", "narrate feed"),
        (["feed", "FOLDER", "--link"], "Option '--link' requires an argument", "narrate feed"),
        (["voices", "download", "--voices-dir"], "requires an argument", "narrate voices download"),
        (["cache", "nothing"], "No such command 'nothing'", "narrate cache"),
    ],
)
def test_command_line_mistakes_are_one_line_and_exit_2(
    article: Path, arguments: list[str], message: str, helps: str
) -> None:
    place = {"ARTICLE": str(article), "FOLDER": str(article.parent)}
    result = runner.invoke(app, [place.get(argument, argument) for argument in arguments])
    assert result.exit_code == 2, result.output
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("narrate: error: ") and message in line
    assert line.endswith(f"(see '{helps} -h')"), line
    assert not article.with_suffix(".mp3").exists()


def test_unknown_engine_lists_the_valid_ones(article: Path) -> None:
    result = runner.invoke(app, [str(article), "--engine", "nosuch"])
    assert "espeak" in result.stderr and "gtts" in result.stderr


@pytest.mark.parametrize("theirs", [b"ID3 a recording, not by narrate", b"notes\n"])
def test_without_o_a_file_narrate_did_not_make_stays_and_the_run_exits_2(
    article: Path, fake_engine: FakeEngine, theirs: bytes
) -> None:
    existing = article.with_suffix(".mp3")
    existing.write_bytes(theirs)
    result = runner.invoke(app, [str(article), "-e", "fake"])
    assert result.exit_code == 2, result.output
    [line] = result.stderr.strip().splitlines()
    assert f"{existing} is there and narrate did not make it; it stays" in line
    assert existing.read_bytes() == theirs and fake_engine.calls == []
    named = runner.invoke(app, [str(article), "-e", "fake", "-o", str(existing)])
    assert named.exit_code == 0, named.output  # named with -o: replaced as asked
    again = runner.invoke(app, [str(article), "-e", "fake"])
    assert again.exit_code == 0, again.output  # now narrate's own: replaced
    assert duration_ms(existing) > 1000


def test_a_voice_is_matched_ignoring_case_and_warned_about_when_for_another_language(
    article: Path, fake_engine: FakeEngine
) -> None:
    result = runner.invoke(app, [str(article), "-e", "fake", "--voice", "FAKE-EN", "-l", "de"])
    assert result.exit_code == 0, result.output
    assert {voice for _, voice, _, _ in fake_engine.calls} == {"fake-en"}
    assert "voice fake-en speaks en, but the article is in de" in result.stderr
    fitting = runner.invoke(app, [str(article), "-e", "fake", "--voice", "Fake-De", "-l", "de"])
    assert fitting.exit_code == 0 and "WARNING" not in fitting.stderr, fitting.output


def test_engine_failure_exits_1_and_keeps_old_output(
    article: Path, fake_engine: FakeEngine
) -> None:
    old = article.with_suffix(".mp3")
    old.write_bytes(b"earlier")
    fake_engine.fail_on = "letzte"
    result = runner.invoke(app, [str(article), "-e", "fake", "-o", str(old)])
    assert result.exit_code == 1, result.output
    assert "fake engine failed" in result.stderr
    assert old.read_bytes() == b"earlier"
    assert _files(article.parent) == ["artikel.mp3", "artikel.txt"]


def test_interrupt_exits_130_and_writes_nothing(
    article: Path, fake_engine: FakeEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(fake_engine, "synthesize", interrupted)
    result = runner.invoke(app, [str(article), "-e", "fake"])
    assert result.exit_code == 130, result.output
    assert _files(article.parent) == ["artikel.txt"]


def test_verbose_error_shows_traceback(article: Path) -> None:
    result = runner.invoke(app, [str(article), "--engine", "nosuch", "-v"])
    assert result.exit_code == 2
    assert "Traceback" in result.stderr


def test_engines_lists_usability(fake_engine: FakeEngine) -> None:
    result = runner.invoke(app, ["engines"])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.stdout.splitlines()}
    assert "usable" in lines["espeak"] and "unavailable" not in lines["espeak"]
    assert "fake" in lines


def test_voices_lists_german_espeak_voices() -> None:
    result = runner.invoke(app, ["voices", "--engine", "espeak", "--lang", "de"])
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows and all(row[0] == "espeak" for row in rows)
    assert any(row[1] == "de" for row in rows)


def test_an_engine_without_voices_says_why(tmp_path: Path) -> None:
    result = runner.invoke(app, ["voices", "--engine", "piper", "--voices-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("narrate: no piper voices (no Piper voices in ")
    assert "narrate voices download" in result.stderr


def test_script_shows_chunks_and_pauses(article: Path, fake_engine: FakeEngine) -> None:
    result = runner.invoke(app, ["script", str(article), "-e", "fake"])
    assert result.exit_code == 0, result.output
    assert "## Zwischentitel" in result.stdout
    assert "Ein Satz.  [sentence 350 ms]" in result.stdout
    assert "Noch ein Satz.  [section 1500 ms]" in result.stdout
    assert "engine fake" in result.stdout


def test_python_dash_m_works() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "narrate", "--version"], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("narrate ")


def test_the_command_line_starts_without_the_audio_and_network_libraries() -> None:
    """``narrate --help``, ``voices``, ``cache`` and a batch's parent start fast."""
    heavy = ["numpy", "lameenc", "requests", "lxml", "markdown_it", "yaml", "mutagen"]
    probe = (
        "import sys, narrate.cli\n"
        "from narrate import narrate_batch\n"
        f"print(sorted(set({heavy!r}) & set(sys.modules)))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip() == "[]"


def test_os_error_while_writing_exits_1_with_one_line(
    article: Path, fake_engine: FakeEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(pcm: Path, rate: int, destination: Path, *args: object, **kw: object) -> None:
        raise OSError(28, "No space left on device", str(destination))  # the temporary file

    monkeypatch.setattr("narrate.pipeline.encode", disk_full)
    result = runner.invoke(app, [str(article), "-e", "fake"])
    assert result.exit_code == 1, result.output
    assert result.stderr.strip().splitlines() == [
        f"narrate: error: cannot write {article.with_suffix('.mp3')}: No space left on device"
    ]
    assert _files(article.parent) == ["artikel.txt"]


def test_boilerplate_is_skipped_unless_kept(tmp_path: Path, fake_engine: FakeEngine) -> None:
    path = tmp_path / "seite.txt"
    path.write_text(
        "Titel\n\nDrücken Sie Play, um diesen Artikel anzuhören\n\nEin Satz.\n", encoding="utf-8"
    )
    skipped = runner.invoke(app, ["script", str(path), "-e", "fake"])
    kept = runner.invoke(app, ["script", str(path), "-e", "fake", "--keep-boilerplate"])
    assert skipped.exit_code == kept.exit_code == 0, skipped.output + kept.output
    assert "Drücken Sie Play" not in skipped.stdout
    assert "Drücken Sie Play, um diesen Artikel anzuhören" in kept.stdout


def test_script_json_lists_every_utterance(article: Path, fake_engine: FakeEngine) -> None:
    result = runner.invoke(app, ["script", str(article), "-e", "fake", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["sections"] == ["Ein Titel", "Zwischentitel"]
    assert [u["display"] for u in document["utterances"]] == [
        "Ein Titel",
        "Ein Satz.",
        "Noch ein Satz.",
        "Zwischentitel",
        "Der letzte Absatz.",
    ]


def test_ctrl_c_inside_an_engine_callback_still_stops_the_run(
    article: Path, fake_engine: FakeEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: ctypes swallowed the KeyboardInterrupt of Ctrl-C in espeak's callback."""
    callback_type = ctypes.CFUNCTYPE(ctypes.c_int)
    press_ctrl_c = callback_type(lambda: signal.raise_signal(signal.SIGINT) or 0)
    speak = fake_engine.synthesize

    def synthesize_through_c(text: str, voice: str, lang: str, speed: float) -> Clip:
        press_ctrl_c()  # the exception dies in ctypes, as it did in espeak's callback
        return speak(text, voice, lang, speed)

    monkeypatch.setattr(fake_engine, "synthesize", synthesize_through_c)
    result = runner.invoke(app, [str(article), "-e", "fake"])
    assert result.exit_code == 130, result.output
    assert result.stderr == "narrate: interrupted; nothing was written\n"
    assert len(fake_engine.calls) == 1
    assert _files(article.parent) == ["artikel.txt"]


def _turkish_article(folder: Path) -> Path:
    article = folder / "haber.txt"
    article.write_text(
        "Belediye meclisi karar verdi\n\n"
        "Belediye meclisi salı akşamı kreş ücretlerinin gelecek yıl artırılmamasına karar "
        "verdi. Muhalefet, finansmanın hâlâ belirsiz olduğunu eleştirdi.\n",
        encoding="utf-8",
    )
    return article


def test_a_language_beyond_german_and_english_is_narrated_by_an_engine_that_speaks_it(
    tmp_path: Path,
) -> None:
    article = _turkish_article(tmp_path)
    result = runner.invoke(app, [str(article), "-e", "espeak", "--captions"])
    assert result.exit_code == 0, result.output
    assert "language tr (detected" in result.stderr and "espeak voice tr" in result.stderr
    timings = json.loads(article.with_suffix(".json").read_text(encoding="utf-8"))
    assert timings["language"] == "tr" and len(timings["sentences"]) == 3
    assert duration_ms(article.with_suffix(".mp3")) == pytest.approx(timings["duration_ms"], abs=50)


def test_an_engine_that_does_not_speak_the_detected_language_exits_2(
    tmp_path: Path, fake_engine: FakeEngine
) -> None:
    article = _turkish_article(tmp_path)
    result = runner.invoke(app, [str(article), "-e", "fake"])
    assert result.exit_code == 2, result.output
    [line] = result.stderr.strip().splitlines()
    assert "engine 'fake' does not speak language 'tr'" in line
    assert not article.with_suffix(".mp3").exists()
    forced = runner.invoke(app, ["script", str(article), "-e", "fake", "--lang", "en"])
    assert forced.exit_code == 0, forced.output
    assert "language en (requested)" in forced.stdout


def test_narrating_again_without_captions_names_the_stale_sidecars(
    article: Path, fake_engine: FakeEngine
) -> None:
    full = runner.invoke(app, [str(article), "-e", "fake", "--captions", "--html"])
    assert full.exit_code == 0, full.output
    plain = runner.invoke(app, [str(article), "-e", "fake", "--speed", "1.5"])
    assert plain.exit_code == 0, plain.output
    [warning] = [line for line in plain.stderr.splitlines() if "WARNING" in line]
    for name in ("artikel.vtt", "artikel.json", "artikel.html", "artikel.embed.html"):
        assert name in warning
    assert "kept from an earlier narration, with the old audio's timings" in warning
    again = runner.invoke(app, [str(article), "-e", "fake", "--captions", "--html"])
    assert again.exit_code == 0 and "WARNING" not in again.stderr, again.output
    ogg = article.with_suffix(".ogg")
    other = runner.invoke(app, [str(article), "-e", "fake", "--captions", "-o", str(ogg)])
    assert other.exit_code == 0, other.output
    assert "artikel.html" not in other.stderr, "that page plays artikel.mp3, not the .ogg"


# Option values the encoder cannot take as they are, and outputs that cannot be written


@pytest.mark.parametrize(
    ("suffix", "asked", "used", "takes"),
    [
        (".mp3", "192k", "160k", "MPEG-2 layer III takes 8k, 16k, 24k,"),
        (".mp3", "33k", "32k", "144k, 160k"),
        (".ogg", "96k", "90k", "libvorbis takes 16k to 90k"),
        (".ogg", "8k", "16k", "libvorbis takes 16k to 90k"),
        (".opus", "300k", "256k", "libopus takes 6k to 256k"),
        (".m4a", "320k", "132k", "ffmpeg's AAC encoder takes 8k to 132k"),
    ],
)
def test_a_bitrate_the_format_cannot_take_is_replaced_by_the_nearest_with_a_warning(
    article: Path, fake_engine: FakeEngine, suffix: str, asked: str, used: str, takes: str
) -> None:
    fake_engine.sample_rate = 22050  # as espeak speaks
    target = article.with_suffix(suffix)
    result = runner.invoke(app, [str(article), "-e", "fake", "-o", str(target), "--bitrate", asked])
    assert result.exit_code == 0, result.output
    [warning] = [line for line in result.stderr.splitlines() if "WARNING" in line]
    assert warning.startswith(f"narrate: WARNING: bitrate {asked} is not possible for ")
    assert takes in warning and warning.endswith(f"; using {used}")
    assert duration_ms(target) > 1000
    if suffix == ".mp3":
        assert MP3(target).info.bitrate == pytest.approx(int(used[:-1]) * 1000, rel=0.01)
    if suffix == ".ogg":
        assert OggVorbis(target).info.bitrate == int(used[:-1]) * 1000  # the nominal rate


@pytest.mark.parametrize("suffix", [".mp3", ".ogg", ".opus", ".m4a", ".wav"])
def test_a_bitrate_the_format_takes_gives_no_warning(
    article: Path, fake_engine: FakeEngine, suffix: str
) -> None:
    target = article.with_suffix(suffix)
    result = runner.invoke(app, [str(article), "-e", "fake", "-o", str(target), "--bitrate", "96k"])
    assert result.exit_code == 0, result.output
    assert "WARNING" not in result.stderr


def test_the_readmes_bitrate_example_works_with_espeak(article: Path) -> None:
    result = runner.invoke(app, [str(article), "-e", "espeak", "-l", "de", "--bitrate", "96k"])
    assert result.exit_code == 0, result.output
    assert "WARNING" not in result.stderr
    assert MP3(article.with_suffix(".mp3")).info.bitrate == pytest.approx(96000, rel=0.01)


def test_an_unreachable_loudness_is_one_warning_with_the_loudness_reached(
    article: Path, tmp_path: Path
) -> None:
    target = tmp_path / "laut.wav"  # lossless: what is measured is what was written
    result = runner.invoke(
        app, [str(article), "-e", "espeak", "-l", "de", "-o", str(target), "--loudness", "-5"]
    )
    assert result.exit_code == 0, result.output
    [warning] = [line for line in result.stderr.splitlines() if "WARNING" in line]
    reached = re.fullmatch(
        r"narrate: WARNING: loudness -5 LUFS is out of reach: this narration comes out at "
        r"(-\d+\.\d) LUFS \(peaks held at -1 dBFS\)",
        warning,
    )
    assert reached is not None, warning
    measured = integrated_loudness(decode(target, 22050), 22050)
    assert measured == pytest.approx(float(reached[1]), abs=0.1)
    assert measured < -5.5


def test_the_default_loudness_is_reached_without_a_warning(article: Path, tmp_path: Path) -> None:
    target = tmp_path / "normal.wav"
    result = runner.invoke(app, [str(article), "-e", "espeak", "-l", "de", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "WARNING" not in result.stderr
    assert integrated_loudness(decode(target, 22050), 22050) == pytest.approx(-16.0, abs=0.5)


def test_too_little_gain_is_one_warning(
    article: Path, fake_engine: FakeEngine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(fakes, "AMPLITUDE", 0.01)  # about -43 LUFS: needs 27 dB
    monkeypatch.setattr(loudness_module, "MAX_GAIN_DB", 20.0)
    target = tmp_path / "leise.wav"
    result = runner.invoke(app, [str(article), "-e", "fake", "-o", str(target)])
    assert result.exit_code == 0, result.output
    [warning] = [line for line in result.stderr.splitlines() if "WARNING" in line]
    assert "loudness -16 LUFS is out of reach" in warning
    assert warning.endswith("LUFS (at most +20 dB of gain)")
    reached = float(warning.split("comes out at ")[1].split()[0])
    assert integrated_loudness(decode(target, 16000), 16000) == pytest.approx(reached, abs=0.1)


def _unwritable_folders(tmp_path: Path) -> list[Path]:
    """Folders this process cannot make files in: /proc, and a read-only one unless root."""
    folders = [Path("/proc")] if Path("/proc").is_dir() else []
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o555)
        folders.append(locked)
    return folders


@pytest.mark.parametrize("suffix", [".mp3", ".ogg"])
def test_an_output_folder_that_cannot_be_written_is_named_and_exits_2(
    article: Path, fake_engine: FakeEngine, tmp_path: Path, suffix: str
) -> None:
    folders = _unwritable_folders(tmp_path)
    if not folders:
        pytest.skip("no folder here that this process cannot write")
    for folder in folders:
        target = folder / f"x{suffix}"
        result = runner.invoke(app, [str(article), "-e", "fake", "-o", str(target)])
        assert result.exit_code == 2, result.output
        [line] = result.stderr.strip().splitlines()
        assert line.startswith(f"narrate: error: cannot write {target}: "), line
        assert ".narrate-" not in line and ".part" not in line
        assert fake_engine.calls == [], "refused before any synthesis"
        assert not target.exists()


def test_an_encoder_failure_names_the_users_output_and_exits_1(
    article: Path, fake_engine: FakeEngine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import narrate.audio.encode as encode_module

    broken = encode_module._Format("ogg", ("-c:a", "nosuchcodec"))
    monkeypatch.setitem(encode_module._CODECS, "ogg", broken)
    target = tmp_path / "hoeren.ogg"
    result = runner.invoke(app, [str(article), "-e", "fake", "-o", str(target)])
    assert result.exit_code == 1, result.output
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"narrate: error: ffmpeg failed to encode {target} as ogg"), line
    assert ".part" not in line
    assert _files(tmp_path) == ["artikel.txt"]
