"""The pipeline end to end with the fake engine: real MP3s, decoded and measured."""

from __future__ import annotations

import io
import json
import logging
import shutil
from pathlib import Path

import mutagen
import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from narrate import AudioSettings, Pauses, narrate
from narrate.errors import EngineError, UsageError
from tests.audio_tools import decode, duration_ms, silences
from tests.fakes import FakeEngine

ARTICLE = """\
Neue Brücke für die Altstadt

Die Stadt baut eine neue Brücke. Sie soll im Mai fertig sein.

Der Bürgermeister ist zufrieden.

Kosten und Zeitplan

Die Brücke kostet vier Millionen Euro. Das ist mehr als geplant.

Stimmen aus dem Viertel

Anwohner freuen sich auf die neue Verbindung.
"""

SENTENCES = [
    "Neue Brücke für die Altstadt",
    "Die Stadt baut eine neue Brücke.",
    "Sie soll im Mai fertig sein.",
    "Der Bürgermeister ist zufrieden.",
    "Kosten und Zeitplan",
    "Die Brücke kostet vier Millionen Euro.",
    "Das ist mehr als geplant.",
    "Stimmen aus dem Viertel",
    "Anwohner freuen sich auf die neue Verbindung.",
]


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "bruecke.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_every_sentence_is_spoken_once_in_order(article: Path, fake_engine: FakeEngine) -> None:
    narrate(article, engine="fake")
    assert [call[0] for call in fake_engine.calls] == SENTENCES


def test_mp3_duration_matches_the_timeline(article: Path, fake_engine: FakeEngine) -> None:
    result = narrate(article, engine="fake")
    assert result.output == article.with_suffix(".mp3")
    assert abs(duration_ms(result.output) - result.duration_ms) < 80
    assert abs(MP3(result.output).info.length * 1000 - result.duration_ms) < 80


@pytest.mark.parametrize(
    ("engine_rate", "suffix", "written_rate"),
    [(96000, ".mp3", 48000), (20000, ".mp3", 22050), (16000, ".mp3", 16000),
     (20000, ".m4a", 22050), (96000, ".ogg", 48000), (6000, ".ogg", 8000),
     (20000, ".wav", 20000)],
)  # fmt: skip
def test_a_rate_the_format_cannot_take_is_resampled_before_any_audio_is_made(
    article: Path,
    fake_engine: FakeEngine,
    monkeypatch: pytest.MonkeyPatch,
    engine_rate: int,
    suffix: str,
    written_rate: int,
) -> None:
    monkeypatch.setattr(fake_engine, "sample_rate", engine_rate)
    output = article.with_suffix(suffix)
    result = narrate(article, output, engine="fake")
    assert mutagen.File(output).info.sample_rate == written_rate
    assert abs(duration_ms(output) - result.duration_ms) < 80
    assert len(fake_engine.calls) == len(SENTENCES)  # each sentence spoken once


def test_pauses_have_the_configured_lengths(article: Path, fake_engine: FakeEngine) -> None:
    pauses = Pauses(sentence_ms=300, paragraph_ms=700, section_ms=1500, title_ms=1100)
    result = narrate(article, engine="fake", pauses=pauses)
    assert result.output is not None
    gaps = [end - start for start, end in silences(decode(result.output))]
    expected = [1100, 300, 700, 1500, 700, 300, 1500, 700]
    assert gaps == pytest.approx(expected, abs=40)


def test_chapters_start_where_each_section_is_spoken(
    article: Path, fake_engine: FakeEngine
) -> None:
    result = narrate(article, engine="fake")
    assert result.output is not None
    tags = ID3(result.output)
    assert tags.version[:2] == (2, 4)
    chapters = sorted(tags.getall("CHAP"), key=lambda frame: frame.start_time)
    titles = [frame.sub_frames["TIT2"].text[0] for frame in chapters]
    assert titles == [
        "Neue Brücke für die Altstadt",
        "Kosten und Zeitplan",
        "Stimmen aus dem Viertel",
    ]
    starts = [frame.start_time for frame in chapters]
    first_sentence_of = {s.section: s.start_ms for s in reversed(result.sentences)}
    assert starts == [0, first_sentence_of[1], first_sentence_of[2]]
    toc = tags.getall("CTOC")
    assert len(toc) == 1 and list(toc[0].child_element_ids) == [c.element_id for c in chapters]


def test_section_break_audio_is_silent_before_each_chapter(
    article: Path, fake_engine: FakeEngine
) -> None:
    result = narrate(article, engine="fake")
    assert result.output is not None
    quiet = silences(decode(result.output))
    for chapter in result.chapters[1:]:
        assert any(
            abs(end - chapter.start_ms) <= 40 and end - start >= 1400 for start, end in quiet
        )


def test_tags_say_title_language_and_synthetic_voice(
    article: Path, fake_engine: FakeEngine
) -> None:
    result = narrate(article, engine="fake", tags=_tags(artist="Redaktion", date="2024-05-03"))
    assert result.output is not None
    tags = ID3(result.output)
    assert str(tags["TIT2"]) == "Neue Brücke für die Altstadt"
    assert str(tags["TPE1"]) == "Redaktion"
    assert str(tags["TLAN"]) == "deu"
    assert str(tags["TDRC"]) == "2024-05-03"
    comment = str(tags.getall("COMM")[0])
    assert "Synthetic voice" in comment and "fake" in comment and "fake-de" in comment


def test_captions_are_exact_copies_of_the_timeline(article: Path, fake_engine: FakeEngine) -> None:
    result = narrate(article, engine="fake", captions=True)
    vtt, timings = (article.with_suffix(suffix) for suffix in (".vtt", ".json"))
    assert set(result.timing_files) == {vtt, timings}
    document = json.loads(timings.read_text(encoding="utf-8"))
    assert [s["text"] for s in document["sentences"]] == SENTENCES
    assert document["duration_ms"] == result.duration_ms
    assert [c["title"] for c in document["chapters"]] == [c.title for c in result.chapters]
    cues = [block for block in vtt.read_text(encoding="utf-8").split("\n\n") if "-->" in block]
    assert len(cues) == len(SENTENCES)
    first_timing = cues[1].splitlines()[1]
    second = result.sentences[1]
    assert first_timing.startswith(
        f"00:00:{second.start_ms // 1000:02d}.{second.start_ms % 1000:03d}"
    )


def test_sentence_times_match_where_the_audio_is(article: Path, fake_engine: FakeEngine) -> None:
    result = narrate(article, engine="fake", audio=AudioSettings(normalize=False))
    assert result.output is not None
    samples = decode(result.output)
    for sentence in result.sentences:
        middle = (sentence.start_ms + sentence.end_ms) // 2
        assert abs(samples[middle * 16 : middle * 16 + 160]).max() > 0.05
        assert sentence.end_ms - sentence.start_ms == pytest.approx(
            len(sentence.spoken) * 40, abs=30
        )


def test_failed_engine_leaves_the_old_mp3_untouched(article: Path, fake_engine: FakeEngine) -> None:
    old = narrate(article, engine="fake", cache=False).output
    assert old is not None
    earlier = old.read_bytes()
    fake_engine.fail_on = "Millionen"
    with pytest.raises(EngineError):
        narrate(article, engine="fake", captions=True)
    assert old.read_bytes() == earlier
    assert sorted(p.name for p in article.parent.iterdir()) == ["bruecke.mp3", "bruecke.txt"]


def test_a_derived_output_that_narrate_did_not_make_stays(
    article: Path, fake_engine: FakeEngine, tmp_path: Path
) -> None:
    recording = article.with_suffix(".mp3")
    shutil.copy(narrate(article, tmp_path / "elsewhere.mp3", engine="fake").output, recording)
    mutagen.File(recording).delete()  # an MP3 without narrate's tags: someone else's
    theirs = recording.read_bytes()

    with pytest.raises(UsageError, match="bruecke.mp3 is there and narrate did not make it"):
        narrate(article, engine="fake")
    assert recording.read_bytes() == theirs

    named = narrate(article, recording, engine="fake")  # named with -o: replaced as asked
    assert named.output == recording and recording.read_bytes() != theirs
    assert narrate(article, engine="fake").output == recording, "now narrate's own: replaced"


def test_stdout_gets_a_complete_mp3(article: Path, fake_engine: FakeEngine, tmp_path: Path) -> None:
    stream = io.BytesIO()
    result = narrate(article, "-", engine="fake", stdout=stream)
    assert result.output is None
    copy = tmp_path / "copy.mp3"
    copy.write_bytes(stream.getvalue())
    assert abs(duration_ms(copy) - result.duration_ms) < 80
    assert not list(tmp_path.glob(".narrate-*"))


@pytest.mark.parametrize("suffix", [".wav", ".ogg", ".opus", ".m4a"])
def test_other_formats_by_extension(
    article: Path, fake_engine: FakeEngine, tmp_path: Path, suffix: str
) -> None:
    output = tmp_path / f"out{suffix}"
    result = narrate(article, output, engine="fake")
    assert abs(duration_ms(output) - result.duration_ms) < 100


@pytest.mark.parametrize(("suffix", "asked", "used"), [(".ogg", "8k", 16), (".mp3", "192k", 160)])
def test_a_bitrate_the_format_cannot_take_is_fitted_with_one_warning(
    article: Path,
    fake_engine: FakeEngine,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    suffix: str,
    asked: str,
    used: int,
) -> None:
    output = tmp_path / f"out{suffix}"
    with caplog.at_level(logging.WARNING, logger="narrate"):
        narrate(article, output, engine="fake", audio=AudioSettings(bitrate=asked))
    [message] = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert message.startswith(f"bitrate {asked} is not possible for ")
    assert "at 16000 Hz mono" in message and message.endswith(f"; using {used}k")
    info = mutagen.File(output).info
    assert info.bitrate == pytest.approx(used * 1000, rel=0.01)
    assert abs(duration_ms(output) - 1000 * info.length) < 100


def test_unknown_setting_is_refused(article: Path) -> None:
    with pytest.raises(UsageError, match="unknown setting"):
        narrate(article, engin="fake")


def _tags(**values: str) -> object:
    from narrate import TagSettings

    return TagSettings(**values)


def test_after_an_edit_only_its_unit_is_made_again_and_the_mp3_is_as_made_afresh(
    article: Path, fake_engine: FakeEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import narrate.audio.mp3 as mp3_module
    import narrate.audio.units as units_module
    import narrate.pipeline as pipeline_module

    encoded: list[int] = []
    measured: list[int] = []
    gains: list[float] = []
    encode_part, meter, normalize_to = (
        mp3_module._Encoding._encode, units_module.LoudnessMeter, pipeline_module.normalize_to
    )  # fmt: skip

    def counting_encode(self: object, part: mp3_module.Part) -> bytes | None:
        encoded.append(part.samples)
        return encode_part(self, part)  # type: ignore[arg-type]

    def counting_meter(*args: object, **kwargs: object) -> object:
        measured.append(1)
        return meter(*args, **kwargs)  # type: ignore[arg-type]

    def noting_gain(*args: object) -> object:
        result = normalize_to(*args)  # type: ignore[arg-type]
        gains.append(result.gain_db)
        return result

    monkeypatch.setattr(mp3_module._Encoding, "_encode", counting_encode)
    monkeypatch.setattr(units_module, "LoudnessMeter", counting_meter)
    monkeypatch.setattr(pipeline_module, "normalize_to", noting_gain)
    cache = tmp_path / "cache"
    first = narrate(article, engine="fake", cache_dir=cache)
    units = len(encoded)
    assert units == len(SENTENCES) and len(measured) >= units
    # a sentence longer: the article's loudness moves by 0.01 LU, its gain stays
    article.write_text(ARTICLE.replace("ist zufrieden", "ist sehr zufrieden"), "utf-8")
    encoded.clear(), measured.clear()
    again = narrate(article, engine="fake", cache_dir=cache)
    assert gains[0] == gains[1]
    assert len(encoded) == 1  # the edited sentence's unit
    assert 1 <= len(measured) <= 4  # it only: as written, and as finished at up to three gains
    assert again.cached_sentences == len(SENTENCES) - 1
    fresh = narrate(article, tmp_path / "fresh.mp3", engine="fake", cache_dir=tmp_path / "empty")
    assert len(encoded) == 1 + units
    assert fresh.duration_ms == again.duration_ms != first.duration_ms
    assert (tmp_path / "fresh.mp3").read_bytes() == article.with_suffix(".mp3").read_bytes()
    # spoken again (new words) but sounding the same (the fake's tone has the text's length)
    article.write_text(
        ARTICLE.replace("ist zufrieden", "ist sehr zufrieden").replace("vier", "fünf"), "utf-8"
    )
    encoded.clear()
    narrate(article, engine="fake", cache_dir=cache)
    assert encoded == []
