"""The timeline builder: one join of trimmed clips and exact pauses, with exact times."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from narrate.audio.loudness import measure
from narrate.audio.timeline import Timeline, TimelineBuilder, ms_to_frames
from narrate.engines.base import Clip
from narrate.settings import Pauses
from narrate.speech.script import PauseKind, Script, Utterance

RATE = 22050
PAUSES = Pauses(chunk_ms=120, sentence_ms=350, paragraph_ms=800, section_ms=1500, title_ms=1200)
SOUND = 64  # |sample| above this is sound (about -54 dBFS)
TOLERANCE_MS = 20


def tone(ms: int, rate: int, hz: float = 440.0, lead_ms: int = 0, trail_ms: int = 0) -> Clip:
    """A cosine (so the first sample is loud) with digital silence around it."""
    t = np.arange(rate * ms // 1000) / rate
    sound = 0.25 * np.cos(2 * np.pi * hz * t)
    parts = [np.zeros(rate * lead_ms // 1000), sound, np.zeros(rate * trail_ms // 1000)]
    return Clip(np.round(np.concatenate(parts) * 32767).astype("<i2").tobytes(), rate)


def padded(ms: int, rate: int, hz: float = 440.0) -> Clip:
    """What engines return: speech with silence of their own before and after."""
    return tone(ms, rate, hz, lead_ms=180, trail_ms=260)


def utterance(text: str, section: int, pause: PauseKind, chunks: int = 1) -> Utterance:
    return Utterance(tuple(f"{text} {n}" for n in range(chunks)), text, section, pause)


SCRIPT = Script(
    title="Titel",
    language="de",
    sections=("Titel", "Erster Abschnitt", "Zweiter Abschnitt"),
    utterances=(
        utterance("Titel", 0, PauseKind.TITLE),
        utterance("Ein langer Satz", 0, PauseKind.SENTENCE, chunks=2),
        utterance("Ende des Absatzes", 0, PauseKind.PARAGRAPH),
        utterance("Ende der Einleitung", 0, PauseKind.SECTION),
        utterance("Erster Abschnitt", 1, PauseKind.PARAGRAPH),
        utterance("Ein Satz", 1, PauseKind.SECTION),
        utterance("Zweiter Abschnitt", 2, PauseKind.PARAGRAPH),
        utterance("Schluss", 2, PauseKind.END),
    ),
)
# (duration ms, clip rate) per chunk: the engines' rates differ from the timeline's.
CLIPS = [
    [(600, 22050)],
    [(700, 24000), (400, 16000)],
    [(500, 44100)],
    [(450, 22050)],
    [(650, 48000)],
    [(550, 22050)],
    [(500, 24000)],
    [(800, 22050)],
]


def clips_for(index: int) -> list[Clip]:
    return [padded(ms, rate, 330.0 + 55 * index) for ms, rate in CLIPS[index]]


@pytest.fixture
def built(tmp_path: Path) -> Iterator[tuple[Timeline, np.ndarray, TimelineBuilder]]:
    with TimelineBuilder(RATE, PAUSES, tmp_path) as builder:
        for index, spoken in enumerate(SCRIPT.utterances):
            builder.add(spoken, clips_for(index))
        timeline = builder.finish(SCRIPT)
        yield timeline, np.fromfile(timeline.pcm_path, dtype="<i2"), builder


def frame(ms: int) -> int:
    return ms * RATE // 1000


def test_the_spool_holds_exactly_the_timeline(built: tuple[Timeline, np.ndarray, object]) -> None:
    timeline, pcm, _ = built
    assert timeline.sample_rate == RATE
    assert pcm.size == timeline.frames
    assert timeline.duration_ms == round(1000 * pcm.size / RATE)
    assert timeline.pcm_path.name.startswith(".narrate-")


def test_utterances_carry_their_text_and_order(built: tuple[Timeline, np.ndarray, object]) -> None:
    timeline, _, _ = built
    assert [u.index for u in timeline.utterances] == list(range(len(SCRIPT.utterances)))
    assert [u.display for u in timeline.utterances] == [u.display for u in SCRIPT.utterances]
    assert timeline.utterances[1].spoken == "Ein langer Satz 0 Ein langer Satz 1"
    assert [u.section for u in timeline.utterances] == [0, 0, 0, 0, 1, 1, 2, 2]


def test_trimmed_utterances_last_as_long_as_their_sound(
    built: tuple[Timeline, np.ndarray, object],
) -> None:
    timeline, _, _ = built
    for timed, chunks in zip(timeline.utterances, CLIPS, strict=True):
        sound = sum(ms for ms, _ in chunks) + PAUSES.chunk_ms * (len(chunks) - 1)
        margins = len(chunks) * 2 * 15
        assert sound <= timed.end_ms - timed.start_ms <= sound + margins, timed


def test_times_are_where_the_sound_is(built: tuple[Timeline, np.ndarray, object]) -> None:
    timeline, pcm, _ = built
    for timed in timeline.utterances:
        loud = np.flatnonzero(np.abs(pcm[frame(timed.start_ms) : frame(timed.end_ms)]) > SOUND)
        assert 1000 * loud[0] / RATE <= TOLERANCE_MS, timed
        assert timed.end_ms - timed.start_ms - 1000 * loud[-1] / RATE <= TOLERANCE_MS, timed


def test_pauses_between_utterances_have_the_configured_length(
    built: tuple[Timeline, np.ndarray, object],
) -> None:
    timeline, pcm, _ = built
    pairs = pairwise(timeline.utterances)
    for (this, after), spoken in zip(pairs, SCRIPT.utterances, strict=False):
        pause = spoken.pause_after.milliseconds(PAUSES)
        assert abs(after.start_ms - this.end_ms - pause) <= 1
        gap = pcm[frame(this.end_ms + 1) : frame(after.start_ms - 1)]
        assert not gap.any(), f"sound in the pause after {spoken.display!r}"
        assert pause <= silent_run_ms(pcm, frame(this.end_ms)) <= pause + 2 * 15 + 1


def silent_run_ms(pcm: np.ndarray, inside: int) -> float:
    """The length of the run of silent samples around ``inside``."""
    loud = np.abs(pcm) > SOUND
    before = np.flatnonzero(loud[:inside])[-1]
    after = inside + np.flatnonzero(loud[inside:])[0]
    return 1000 * (after - before - 1) / RATE


def test_the_end_pause_is_nothing(built: tuple[Timeline, np.ndarray, object]) -> None:
    timeline, _, _ = built
    assert timeline.utterances[-1].end_ms == timeline.duration_ms


def test_chapters_start_with_their_sections_first_utterance(
    built: tuple[Timeline, np.ndarray, object],
) -> None:
    timeline, _, _ = built
    starts = [0, timeline.utterances[4].start_ms, timeline.utterances[6].start_ms]
    assert [c.title for c in timeline.chapters] == list(SCRIPT.sections)
    assert [c.start_ms for c in timeline.chapters] == starts
    assert [c.end_ms for c in timeline.chapters] == [*starts[1:], timeline.duration_ms]


def test_the_loudness_is_measured_while_writing(
    built: tuple[Timeline, np.ndarray, TimelineBuilder],
) -> None:
    timeline, _, builder = built
    assert builder.loudness == measure(timeline.pcm_path, RATE)


def test_pauses_are_exact_to_the_sample(tmp_path: Path) -> None:
    """Clips with sound up to their edges: every silent run is exactly one pause."""
    pauses = Pauses(chunk_ms=100, sentence_ms=333, paragraph_ms=777)
    spoken = (
        Utterance(("a", "b"), "a b", 0, PauseKind.SENTENCE),
        Utterance(("c",), "c", 0, PauseKind.PARAGRAPH),
        Utterance(("d",), "d", 0, PauseKind.END),
    )
    with TimelineBuilder(RATE, pauses, tmp_path) as builder:
        for item in spoken:
            builder.add(item, [tone(300, RATE)] * len(item.chunks))
        timeline = builder.finish(Script("t", "de", ("t",), spoken))
        pcm = np.fromfile(timeline.pcm_path, dtype="<i2")
    runs = zero_runs(pcm)
    assert runs == [ms_to_frames(ms, RATE) for ms in (100, 333, 777)]
    assert timeline.frames == 4 * frame(300) + sum(runs)


def zero_runs(pcm: np.ndarray) -> list[int]:
    edges = np.diff(np.concatenate(([0], (pcm == 0).astype(int), [0])))
    return [int(n) for n in np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)]


def test_the_spool_file_is_removed_on_exit(tmp_path: Path) -> None:
    with TimelineBuilder(RATE, PAUSES, tmp_path) as builder:
        builder.add(SCRIPT.utterances[0], [tone(100, RATE)])
        assert builder.path.exists()
    assert list(tmp_path.iterdir()) == []


def test_the_spool_file_is_removed_after_an_error(tmp_path: Path) -> None:
    with pytest.raises(KeyError), TimelineBuilder(RATE, PAUSES, tmp_path):
        raise KeyError("engine failed")
    assert list(tmp_path.iterdir()) == []


def test_close_is_idempotent_and_ends_writing(tmp_path: Path) -> None:
    builder = TimelineBuilder(RATE, PAUSES, tmp_path)
    builder.close()
    builder.close()
    assert not builder.path.exists()
    with pytest.raises(RuntimeError):
        builder.add(SCRIPT.utterances[0], [])


def test_nothing_is_added_after_finish(tmp_path: Path) -> None:
    script = Script("t", "de", ("a", "b", "c"), (SCRIPT.utterances[-1],))
    with TimelineBuilder(RATE, PAUSES, tmp_path) as builder:
        builder.add(SCRIPT.utterances[-1], [tone(100, RATE)])
        builder.finish(script)
        with pytest.raises(RuntimeError):
            builder.add(SCRIPT.utterances[-1], [tone(100, RATE)])


def test_the_loudness_waits_for_finish(tmp_path: Path) -> None:
    with TimelineBuilder(RATE, PAUSES, tmp_path) as builder, pytest.raises(RuntimeError):
        _ = builder.loudness


def test_finish_needs_the_script_that_was_added(tmp_path: Path) -> None:
    with TimelineBuilder(RATE, PAUSES, tmp_path) as builder:
        builder.add(SCRIPT.utterances[0], [tone(100, RATE)])
        with pytest.raises(ValueError, match="script"):
            builder.finish(SCRIPT)


def test_silent_clips_make_an_empty_utterance(tmp_path: Path) -> None:
    spoken = (
        Utterance(("x",), "x", 0, PauseKind.SENTENCE),
        Utterance(("y",), "y", 0, PauseKind.END),
    )
    with TimelineBuilder(RATE, PAUSES, tmp_path) as builder:
        builder.add(spoken[0], [Clip(bytes(4000), RATE)])
        builder.add(spoken[1], [tone(200, RATE)])
        timeline = builder.finish(Script("x", "de", ("x",), spoken))
    first, second = timeline.utterances
    assert first.start_ms == first.end_ms == 0
    assert second.start_ms == PAUSES.sentence_ms


def test_sections_without_utterances_get_no_chapter(tmp_path: Path) -> None:
    spoken = (
        Utterance(("a",), "a", 0, PauseKind.SECTION),
        Utterance(("b",), "b", 2, PauseKind.END),
    )
    with TimelineBuilder(RATE, PAUSES, tmp_path) as builder:
        for item in spoken:
            builder.add(item, [tone(200, RATE)])
        timeline = builder.finish(Script("a", "de", ("A", "leer", "B"), spoken))
    assert [c.title for c in timeline.chapters] == ["A", "B"]
    assert timeline.chapters[1].start_ms == timeline.utterances[1].start_ms


def test_an_utterance_outside_the_sections_is_refused(tmp_path: Path) -> None:
    spoken = (Utterance(("a",), "a", 3, PauseKind.END),)
    with TimelineBuilder(RATE, PAUSES, tmp_path) as builder:
        builder.add(spoken[0], [tone(200, RATE)])
        with pytest.raises(ValueError, match="section 3"):
            builder.finish(Script("a", "de", ("A",), spoken))
        builder.add(Utterance(("b",), "b", 0, PauseKind.END), [tone(200, RATE)])
