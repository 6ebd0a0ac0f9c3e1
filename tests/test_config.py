"""The config file: defaults a user sets once, overridden by the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3
from mutagen.oggvorbis import OggVorbis
from typer.testing import CliRunner

from narrate.cli import app
from tests.audio_tools import decode, silences
from tests.fakes import FakeEngine

ARTICLE = (
    "Titel\n\nEin Satz.\n\nMehr aus der Region: Sport und Kultur\n\n"
    "Zwischentitel\n\nDer letzte Absatz.\n"
)
runner = CliRunner()


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "artikel.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "narrate.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_config_sets_engine_tags_pauses_and_patterns(
    article: Path, tmp_path: Path, fake_engine: FakeEngine
) -> None:
    config = _config(
        tmp_path,
        'engine = "fake"\nartist = "Redaktion"\npublisher = "Eifel-Bote"\n'
        "[pauses]\nsection_ms = 2500\n"
        '[boilerplate]\npatterns = ["Mehr aus der Region.*"]\n',
    )
    result = runner.invoke(app, [str(article), "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert [call[0] for call in fake_engine.calls] == [
        "Titel",
        "Ein Satz.",
        "Zwischentitel",
        "Der letzte Absatz.",
    ]
    tags = ID3(article.with_suffix(".mp3"))
    assert (str(tags["TPE1"]), str(tags["TPUB"])) == ("Redaktion", "Eifel-Bote")
    gaps = [end - start for start, end in silences(decode(article.with_suffix(".mp3")))]
    assert max(gaps) == pytest.approx(2500, abs=40)


def test_command_line_wins_over_config(
    article: Path, tmp_path: Path, fake_engine: FakeEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NARRATE_CONFIG", str(_config(tmp_path, 'artist = "Aus der Datei"\n')))
    result = runner.invoke(app, [str(article), "-e", "fake", "--artist", "Von der Zeile"])
    assert result.exit_code == 0, result.output
    assert str(ID3(article.with_suffix(".mp3"))["TPE1"]) == "Von der Zeile"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('colour = "blue"\n', "unknown key 'colour'"),
        ('speed = "fast"\n', "speed in config file"),
        ("[pauses]\nsection = 2000\n", "unknown key(s) section in [pauses]"),
        ("[pauses]\nsection_ms = -1\n", "pause section = -1 ms is out of range"),
        ('[boilerplate]\npatterns = ["("]\n', "bad boilerplate pattern"),
        ("engine = \n", "bad config file"),
        ('bitrate = "0k"\n', "bad bitrate '0k'"),
        ('bitrate = "loud"\n', "bad bitrate 'loud'"),
        ('date = "2024-13-01"\n', "unknown key 'date'"),  # the date is per article: --date
        ("date = 2024-13-01\n", "bad config file"),
    ],
)
def test_bad_config_exits_2_with_the_key_named(
    article: Path, tmp_path: Path, fake_engine: FakeEngine, text: str, message: str
) -> None:
    config = _config(tmp_path, text)
    result = runner.invoke(app, [str(article), "-e", "fake", "--config", str(config)])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not article.with_suffix(".mp3").exists()


def test_missing_named_config_is_an_error(article: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, [str(article), "--config", str(tmp_path / "nope.toml")])
    assert result.exit_code == 2
    assert "config file not found" in result.stderr


def test_the_readmes_config_bitrate_works_for_mp3_and_is_fitted_for_ogg(
    article: Path, tmp_path: Path
) -> None:
    config = _config(tmp_path, 'engine = "espeak"\nlang = "de"\nbitrate = "96k"\n')
    mp3 = runner.invoke(app, [str(article), "--config", str(config)])
    assert mp3.exit_code == 0, mp3.output
    assert "WARNING" not in mp3.stderr
    assert MP3(article.with_suffix(".mp3")).info.bitrate == pytest.approx(96000, rel=0.01)
    ogg = runner.invoke(app, [str(article), "--config", str(config), "-o", str(tmp_path / "a.ogg")])
    assert ogg.exit_code == 0, ogg.output
    [warning] = [line for line in ogg.stderr.splitlines() if "WARNING" in line]
    assert "bitrate 96k is not possible for Ogg Vorbis at 22050 Hz" in warning
    assert OggVorbis(tmp_path / "a.ogg").info.bitrate == 90000
