"""Tags and chapters written into the encoded files, read back with mutagen."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from mutagen.id3 import ID3, CTOCFlags
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis

from narrate.audio.encode import encode
from narrate.audio.tags import TagInfo, iso639_2, write_tags
from narrate.audio.timeline import Chapter
from narrate.errors import EncoderError, UsageError

RATE = 22050
SECONDS = 70
INFO = TagInfo(
    title="Die Straßenbahn kommt",
    artist="Erika Musterfrau",
    publisher="Lokalblatt",
    language="de",
    date="2024-05-01",
    comment="Synthetic voice: narrated by narrate with espeak (voice de).",
    engine="espeak",
    voice="de",
)
CHAPTERS = (
    Chapter("Die Straßenbahn kommt", 0, 4_250),
    Chapter("Woher sie kommt", 4_250, 62_345),
    Chapter("Wohin sie fährt", 62_345, SECONDS * 1000),
)


@pytest.fixture(scope="module")
def pcm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    t = np.arange(RATE * SECONDS) / RATE
    path = tmp_path_factory.mktemp("pcm") / "narration.pcm"
    path.write_bytes(np.round(3000 * np.sin(2 * np.pi * 220 * t)).astype("<i2").tobytes())
    return path


def tagged(pcm: Path, folder: Path, fmt: str, info: TagInfo = INFO) -> Path:
    path = folder / f"narration.{fmt}"
    encode(pcm, RATE, path, fmt, "48k", 0.0)
    write_tags(path, fmt, info, CHAPTERS)
    return path


def test_mp3_gets_id3v24_text_frames(pcm: Path, tmp_path: Path) -> None:
    tags = ID3(tagged(pcm, tmp_path, "mp3"))
    assert tags.version == (2, 4, 0)
    assert tags["TIT2"].text == ["Die Straßenbahn kommt"]
    assert tags["TPE1"].text == ["Erika Musterfrau"]
    assert tags["TPUB"].text == ["Lokalblatt"]
    assert tags["TLAN"].text == ["deu"]
    assert str(tags["TDRC"].text[0]) == "2024-05-01"
    comments = tags.getall("COMM")
    assert [c.text for c in comments] == [[INFO.comment]]
    assert tags["TXXX:NARRATE_ENGINE"].text == ["espeak"]
    assert tags["TXXX:NARRATE_VOICE"].text == ["de"]


def test_mp3_gets_chapters_and_a_table_of_contents(pcm: Path, tmp_path: Path) -> None:
    tags = ID3(tagged(pcm, tmp_path, "mp3"))
    chapters = sorted(tags.getall("CHAP"), key=lambda frame: frame.start_time)
    assert [c.element_id for c in chapters] == ["chp0", "chp1", "chp2"]
    assert [(c.start_time, c.end_time) for c in chapters] == [
        (c.start_ms, c.end_ms) for c in CHAPTERS
    ]
    assert [c.sub_frames["TIT2"].text for c in chapters] == [[c.title] for c in CHAPTERS]
    (toc,) = tags.getall("CTOC")
    assert toc.element_id == "toc"
    assert toc.flags == CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED
    assert toc.child_element_ids == ["chp0", "chp1", "chp2"]


def test_mp3_holds_more_chapters_than_one_toc_can_list(pcm: Path, tmp_path: Path) -> None:
    # a CTOC counts its children in one byte: 600 chapters need CTOCs under the top one
    many = [Chapter(f"Teil {n + 1}", 100 * n, 100 * (n + 1)) for n in range(600)]
    path = tmp_path / "narration.mp3"
    encode(pcm, RATE, path, "mp3", "48k", 0.0)
    write_tags(path, "mp3", INFO, many)
    tags = ID3(path)
    assert len(tags.getall("CHAP")) == 600
    tocs = {toc.element_id: toc for toc in tags.getall("CTOC")}
    (top,) = [toc for toc in tocs.values() if toc.flags & CTOCFlags.TOP_LEVEL]
    assert top.flags == CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED
    listed = [chapter for part in top.child_element_ids for chapter in tocs[part].child_element_ids]
    assert listed == [f"chp{n}" for n in range(600)]
    assert all(len(toc.child_element_ids) <= 255 for toc in tocs.values())


def test_mp3_stays_playable_with_its_exact_duration(pcm: Path, tmp_path: Path) -> None:
    audio = MP3(tagged(pcm, tmp_path, "mp3"))
    assert audio.info.length == pytest.approx(SECONDS, abs=0.05)


def test_tagging_twice_replaces_the_tags(pcm: Path, tmp_path: Path) -> None:
    path = tagged(pcm, tmp_path, "mp3")
    write_tags(path, "mp3", TagInfo(title="Neu"), CHAPTERS[:1])
    tags = ID3(path)
    assert tags["TIT2"].text == ["Neu"]
    assert len(tags.getall("CHAP")) == 1
    assert "TPE1" not in tags and not tags.getall("COMM")


def test_missing_fields_and_chapters_are_left_out(pcm: Path, tmp_path: Path) -> None:
    path = tmp_path / "bare.mp3"
    encode(pcm, RATE, path, "mp3", "48k", 0.0)
    write_tags(path, "mp3", TagInfo(title="Nur ein Titel"), ())
    assert sorted(ID3(path).keys()) == ["TIT2"]


@pytest.mark.parametrize(("fmt", "reader"), [("ogg", OggVorbis), ("opus", OggOpus)])
def test_ogg_gets_vorbis_comments_and_chapters(
    pcm: Path, tmp_path: Path, fmt: str, reader: type[OggVorbis] | type[OggOpus]
) -> None:
    tags = reader(tagged(pcm, tmp_path, fmt)).tags
    assert tags["TITLE"] == [INFO.title]
    assert tags["ARTIST"] == [INFO.artist]
    assert tags["ORGANIZATION"] == [INFO.publisher]
    assert tags["LANGUAGE"] == ["deu"]
    assert tags["DATE"] == ["2024-05-01"]
    assert tags["COMMENT"] == [INFO.comment]
    assert tags["NARRATE_ENGINE"] == ["espeak"]
    assert tags["CHAPTER001"] == ["00:00:00.000"]
    assert tags["CHAPTER002"] == ["00:00:04.250"]
    assert tags["CHAPTER003"] == ["00:01:02.345"]
    assert tags["CHAPTER003NAME"] == ["Wohin sie fährt"]
    assert "CHAPTER004" not in tags


def test_m4a_gets_itunes_tags(pcm: Path, tmp_path: Path) -> None:
    tags = MP4(tagged(pcm, tmp_path, "m4a")).tags
    assert tags["©nam"] == [INFO.title]
    assert tags["©ART"] == [INFO.artist]
    assert tags["©day"] == ["2024-05-01"]
    assert tags["©cmt"] == [INFO.comment]
    assert bytes(tags["----:com.apple.iTunes:PUBLISHER"][0]) == b"Lokalblatt"
    assert bytes(tags["----:com.apple.iTunes:LANGUAGE"][0]) == b"deu"


def test_wav_is_left_untagged(pcm: Path, tmp_path: Path) -> None:
    path = tmp_path / "narration.wav"
    encode(pcm, RATE, path, "wav", "48k", 0.0)
    before = path.read_bytes()
    write_tags(path, "wav", INFO, CHAPTERS)
    assert path.read_bytes() == before


@pytest.mark.parametrize("fmt", ["ogg", "opus", "m4a"])
def test_a_file_mutagen_cannot_read_is_an_encoder_error_naming_the_output(
    tmp_path: Path, fmt: str
) -> None:
    temporary = tmp_path / f".hoeren.x1y2.part.{fmt}"
    temporary.write_bytes(b"not audio at all" * 10)
    with pytest.raises(EncoderError) as caught:
        write_tags(temporary, fmt, INFO, CHAPTERS, name=f"out/hoeren.{fmt}")
    message = str(caught.value)
    assert message.startswith(f"cannot write the tags of out/hoeren.{fmt}: ")
    assert "x1y2" not in message


def test_an_unknown_format_cannot_be_tagged(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="flac"):
        write_tags(tmp_path / "x.flac", "flac", INFO, CHAPTERS)


@pytest.mark.parametrize(
    ("code", "iso"),
    [
        ("de", "deu"),
        ("de-DE", "deu"),
        ("de_AT", "deu"),
        ("en", "eng"),
        ("en-us", "eng"),
        ("fr", "fra"),
        ("nl", "nld"),
        ("zh", "zho"),
        ("DEU", "deu"),
        ("xx", "und"),
        ("", "und"),
    ],
)
def test_iso639_2(code: str, iso: str) -> None:
    assert iso639_2(code) == iso
