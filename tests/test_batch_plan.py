"""Planning a batch (which articles, which outputs) and its manifest."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from narrate.batch import manifest as manifest_module
from narrate.batch.jobs import BatchJob, JobResult, JobStatus
from narrate.batch.manifest import Manifest, fingerprint, manifest_lock, source_digest
from narrate.batch.plan import MANIFEST_NAME, is_batch, plan_batch
from narrate.errors import InputError, UsageError
from narrate.settings import Settings


def write(path: Path, text: str = "Ein Satz.") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    root = tmp_path / "articles"
    write(root / "a.txt")
    write(root / "politik" / "wahl.md")
    write(root / "politik" / "seite.html", "<html><body><p>Hallo.</p></body></html>")
    write(root / "notes.csv", "x,y")
    write(root / ".hidden.txt")
    write(root / ".git" / "x.txt")
    return root


def names(plan_jobs: tuple[BatchJob, ...]) -> list[str]:
    return [job.name for job in plan_jobs]


def test_folder_keeps_relative_paths_under_the_output(articles: Path, tmp_path: Path) -> None:
    plan = plan_batch([str(articles)], tmp_path / "audio")
    assert names(plan.jobs) == ["a.txt", "politik/seite.html", "politik/wahl.md"]
    outputs = [job.output.relative_to(tmp_path / "audio").as_posix() for job in plan.jobs]
    assert outputs == ["a.mp3", "politik/seite.mp3", "politik/wahl.mp3"]
    assert plan.problems == ()


def test_without_output_folder_audio_goes_beside_each_article(articles: Path) -> None:
    plan = plan_batch([str(articles)], None)
    assert {job.output for job in plan.jobs} == {
        articles / "a.mp3",
        articles / "politik" / "seite.mp3",
        articles / "politik" / "wahl.mp3",
    }


def test_globs_choose_files_at_any_depth_or_by_path(articles: Path, tmp_path: Path) -> None:
    assert names(plan_batch([str(articles)], tmp_path / "o", globs=["*.md"]).jobs) == [
        "politik/wahl.md"
    ]
    only_top = plan_batch([str(articles)], tmp_path / "o", globs=["*.txt", "politik/*.html"])
    assert names(only_top.jobs) == ["a.txt", "politik/seite.html"]
    assert names(plan_batch([str(articles)], tmp_path / "o", globs=["**/w*.md"]).jobs) == [
        "politik/wahl.md"
    ]


def test_several_paths_files_and_patterns_at_once(articles: Path, tmp_path: Path) -> None:
    other = write(tmp_path / "other" / "b.txt")
    pattern = str(articles / "politik" / "*.md")
    plan = plan_batch([str(other), pattern, str(articles / "a.txt")], tmp_path / "out")
    assert names(plan.jobs) == ["other/b.txt", "wahl.md", "articles/a.txt"]
    assert plan.searched == (tmp_path, articles / "politik")


def test_files_named_one_by_one_keep_their_paths_under_the_folder_they_share(
    tmp_path: Path,
) -> None:
    first = write(tmp_path / "in" / "p" / "a.txt")
    second = write(tmp_path / "in" / "q" / "a.txt")
    plan = plan_batch([str(first), str(second)], tmp_path / "out")
    assert plan.problems == ()
    assert names(plan.jobs) == ["p/a.txt", "q/a.txt"]
    outputs = [job.output.relative_to(tmp_path / "out").as_posix() for job in plan.jobs]
    assert outputs == ["p/a.mp3", "q/a.mp3"]
    assert plan.searched == (tmp_path / "in",)


def test_files_of_one_folder_go_straight_under_the_output(tmp_path: Path) -> None:
    write(tmp_path / "a.txt")
    write(tmp_path / "b.md")
    plan = plan_batch([str(tmp_path / "a.txt"), str(tmp_path / "b.md")], tmp_path / "audio")
    assert [job.output for job in plan.jobs] == [
        (tmp_path / "audio" / "a.mp3").absolute(),
        (tmp_path / "audio" / "b.mp3").absolute(),
    ]


def test_same_name_from_two_folders_names_both_sources_in_the_clash(tmp_path: Path) -> None:
    write(tmp_path / "one" / "a.txt")
    write(tmp_path / "two" / "a.txt")
    plan = plan_batch([str(tmp_path / "one"), str(tmp_path / "two")], tmp_path / "out")
    assert plan.jobs == ()
    one, two = (str(tmp_path / folder / "a.txt") for folder in ("one", "two"))
    assert sorted(problem.reason for problem in plan.problems) == [
        f"{one} and {two} would both write a.mp3",
        f"{two} and {one} would both write a.mp3",
    ]


@pytest.mark.parametrize("globs", [(), ("*",), ("**/*",), ("*.json", "*.txt")])
def test_narrates_bookkeeping_is_never_an_article(tmp_path: Path, globs: tuple[str, ...]) -> None:
    root = tmp_path / "in"
    write(root / "a.txt")
    write(root / MANIFEST_NAME, "{}")
    write(root / "sub" / MANIFEST_NAME, "{}")
    write(root / f"{MANIFEST_NAME}.damaged-20260101T000000", "{ not json")
    write(root / ".narrate.lock", "")
    write(root / ".a.x1y2.part.mp3", "half")
    plan = plan_batch([str(root)], None, globs=globs)
    assert names(plan.jobs) == ["a.txt"]
    patterns = plan_batch([str(root / "*"), str(root / "**" / "*")], None)
    assert names(patterns.jobs) == ["a.txt"]


def test_a_pattern_that_matches_no_article_is_a_usage_error(tmp_path: Path) -> None:
    article = write(tmp_path / "in" / "a.txt")
    write(tmp_path / "in" / MANIFEST_NAME, "{}")
    for pattern in (tmp_path / "nomatch" / "*.txt", tmp_path / "in" / "*.json"):
        with pytest.raises(UsageError, match=re.escape(f"no articles match {pattern} (")):
            plan_batch([str(article), str(pattern)], tmp_path / "out")


def test_globs_ignore_case_like_the_default_suffixes(tmp_path: Path) -> None:
    root = tmp_path / "in"
    for name in ("a.txt", "e.TXT", "Politik/wahl.MD", "politik/x.md", "b.md"):
        write(root / name)
    default = plan_batch([str(root)], tmp_path / "out")
    assert "e.TXT" in names(default.jobs)
    assert names(plan_batch([str(root)], tmp_path / "out", globs=["*.txt"]).jobs) == [
        "a.txt",
        "e.TXT",
    ]
    by_path = plan_batch([str(root)], tmp_path / "out", globs=["politik/*.md"])
    assert names(by_path.jobs) == ["Politik/wahl.MD", "politik/x.md"]


def test_same_file_twice_is_planned_once(articles: Path, tmp_path: Path) -> None:
    plan = plan_batch([str(articles), str(articles / "a.txt")], tmp_path / "out")
    assert names(plan.jobs).count("a.txt") == 1


def test_two_articles_writing_the_same_audio_are_both_refused(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.txt")
    write(tmp_path / "in" / "a.md")
    write(tmp_path / "in" / "b.txt")
    plan = plan_batch([str(tmp_path / "in")], tmp_path / "out")
    assert names(plan.jobs) == ["b.txt"]
    reasons = sorted(problem.reason for problem in plan.problems)
    assert reasons == [
        "a.md and a.txt would both write a.mp3",
        "a.txt and a.md would both write a.mp3",
    ]


def test_output_inside_the_input_folder_is_not_read_again(tmp_path: Path) -> None:
    root = tmp_path / "site"
    write(root / "a.txt")
    write(root / "audio" / "a.html", "<p>an earlier player page</p>")
    plan = plan_batch([str(root)], root / "audio")
    assert names(plan.jobs) == ["a.txt"]


def test_output_folder_equal_to_input_folder_still_finds_articles(tmp_path: Path) -> None:
    write(tmp_path / "a.txt")
    plan = plan_batch([str(tmp_path)], tmp_path)
    assert names(plan.jobs) == ["a.txt"]


def test_earlier_outputs_are_excluded(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.txt")
    page = write(tmp_path / "in" / "a.html")
    plan = plan_batch([str(tmp_path / "in")], tmp_path / "in", exclude=[page])
    assert names(plan.jobs) == ["a.txt"]


def test_symlinked_output_subfolder_cannot_lead_outside(tmp_path: Path) -> None:
    write(tmp_path / "in" / "sub" / "a.txt")
    write(tmp_path / "in" / "b.txt")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    os.symlink(elsewhere, out / "sub")
    plan = plan_batch([str(tmp_path / "in")], out)
    assert names(plan.jobs) == ["b.txt"]
    [problem] = plan.problems
    assert problem.name == "sub/a.txt" and "outside" in problem.reason


def test_symlinked_input_folders_are_not_followed(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.txt")
    os.symlink(tmp_path / "in", tmp_path / "in" / "loop")
    plan = plan_batch([str(tmp_path / "in")], tmp_path / "out")
    assert names(plan.jobs) == ["a.txt"]


def test_dot_dot_names_stay_inside(tmp_path: Path) -> None:
    write(tmp_path / "x" / "a.txt")
    source = str(tmp_path / "x" / ".." / "x" / "a.txt")
    plan = plan_batch([source], tmp_path / "out")
    assert [job.output for job in plan.jobs] == [(tmp_path / "out" / "a.mp3").absolute()]


def test_missing_source_and_empty_folder_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file or folder"):
        plan_batch([str(tmp_path / "nope")], tmp_path / "out")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match=r"no articles found .*looked for \*\.txt"):
        plan_batch([str(tmp_path / "empty")], tmp_path / "out")


@pytest.mark.parametrize("address", ["https://example.org/a.html", "http://example.org/?id=1"])
def test_web_addresses_in_a_batch_are_refused_with_what_to_do(tmp_path: Path, address: str) -> None:
    (tmp_path / "a.txt").write_text("Ein Satz.", encoding="utf-8")
    with pytest.raises(UsageError, match="a batch reads files and folders, not web addresses"):
        plan_batch([str(tmp_path / "a.txt"), address], tmp_path / "out")


def test_is_batch(tmp_path: Path) -> None:
    file = write(tmp_path / "a.txt")
    assert not is_batch([str(file)])
    assert not is_batch(["-"])
    assert not is_batch(["https://example.org/a?b=*"])
    assert is_batch([str(tmp_path)])
    assert is_batch([str(file), str(file)])
    assert is_batch([str(tmp_path / "*.txt")])


# The manifest


def done(job: BatchJob, *outputs: Path) -> JobResult:
    return JobResult(job, JobStatus.DONE, outputs=outputs, duration_ms=1234)


def test_manifest_round_trip_and_skip_rule(tmp_path: Path) -> None:
    source = write(tmp_path / "in" / "a.txt")
    out = tmp_path / "out"
    audio = write(out / "a.mp3", "fake audio")
    job = BatchJob(source, "a.txt", audio)
    settings = fingerprint(Settings(engine="espeak"), ".mp3")
    manifest = Manifest.load(out)
    manifest.record(done(job, audio), source_digest(source), settings)

    reloaded = Manifest.load(out)
    digest = source_digest(source)
    assert reloaded.is_current(job, digest, settings)
    document = json.loads((out / MANIFEST_NAME).read_text())
    entry = document["articles"]["a.txt"]
    assert entry["outputs"] == [{"path": "a.mp3", "bytes": len("fake audio")}]
    assert entry["status"] == "done" and entry["duration_ms"] == 1234
    assert entry["settings"]["engine"] == "espeak"

    assert not reloaded.is_current(job, "0" * 64, settings)
    other = fingerprint(Settings(engine="espeak", speed=1.1), ".mp3")
    assert not reloaded.is_current(job, digest, other)
    audio.write_text("truncated")
    assert not reloaded.is_current(job, digest, settings)
    audio.unlink()
    assert not reloaded.is_current(job, digest, settings)


def test_fingerprint_ignores_speed_of_making_but_not_lexicon_content(tmp_path: Path) -> None:
    lexicon = write(tmp_path / "words.tsv", "Nato\tNahto\n")
    base = fingerprint(Settings(lexicons=(lexicon,)), ".mp3")
    faster = fingerprint(Settings(lexicons=(lexicon,), concurrency=8, cache=False), ".mp3")
    assert base.digest == faster.digest
    lexicon.write_text("Nato\tNato\n")
    assert fingerprint(Settings(lexicons=(lexicon,)), ".mp3").digest != base.digest
    assert fingerprint(Settings(lexicons=(lexicon,)), ".ogg").digest != base.digest


def test_failed_rerun_keeps_earlier_outputs_listed(tmp_path: Path) -> None:
    source = write(tmp_path / "a.txt")
    audio = write(tmp_path / "out" / "a.mp3", "old audio")
    job = BatchJob(source, "a.txt", audio)
    settings = fingerprint(Settings(), ".mp3")
    manifest = Manifest.load(tmp_path / "out")
    manifest.record(done(job, audio), source_digest(source), settings)
    manifest.record(JobResult(job, JobStatus.FAILED, error="empty"), "x", settings)
    manifest.flush()
    entry = Manifest.load(tmp_path / "out").articles["a.txt"]
    assert entry["status"] == "failed" and entry["error"] == "empty"
    assert Manifest.load(tmp_path / "out").outputs() == {audio}


def test_outputs_a_new_narration_did_not_write_again_are_superseded(tmp_path: Path) -> None:
    source = write(tmp_path / "a.txt")
    out = tmp_path / "out"
    audio, vtt, page, theirs = (
        write(out / name, f"old {name}") for name in ("a.mp3", "a.vtt", "a.html", "a.json")
    )
    job = BatchJob(source, "a.txt", audio)
    settings = fingerprint(Settings(captions=True, html=True), ".mp3")
    manifest = Manifest.load(out)
    manifest.record(done(job, audio, vtt, page, theirs), source_digest(source), settings)
    theirs.write_text("someone replaced this file since")  # no longer what narrate wrote
    write(out / "b.mp3", "b audio")
    other = BatchJob(source, "b.txt", out / "b.mp3")
    manifest.record(done(other, out / "b.mp3", page), "d", settings)  # b lists a.html too

    audio.write_text("new audio")
    assert manifest.superseded(done(job, audio)) == [vtt.absolute()]
    assert manifest.superseded(JobResult(job, JobStatus.FAILED, error="x")) == []
    assert manifest.superseded(JobResult(job, JobStatus.DONE)) == [], "no outputs: nothing"


def test_superseded_outputs_go_only_once_a_saved_manifest_no_longer_lists_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [100.0]
    monkeypatch.setattr(manifest_module.time, "monotonic", lambda: now[0])
    source = write(tmp_path / "a.txt")
    out = tmp_path / "out"
    audio, vtt = write(out / "a.mp3", "old audio"), write(out / "a.vtt", "old cues")
    job = BatchJob(source, "a.txt", audio)
    manifest = Manifest.load(out)
    manifest.record(done(job, audio, vtt), "old", fingerprint(Settings(captions=True), ".mp3"))

    audio.write_text("new audio, no captions")
    manifest.record(done(job, audio), "new", fingerprint(Settings(), ".mp3"))
    assert vtt.exists(), "the saved manifest still lists it: it stays until the next save"
    saved = json.loads((out / MANIFEST_NAME).read_text())["articles"]["a.txt"]["outputs"]
    assert [output["path"] for output in saved] == ["a.mp3", "a.vtt"]

    manifest.flush()
    assert not vtt.exists() and audio.exists()
    assert Manifest.load(out).outputs() == {audio}


def test_an_output_listed_outside_the_folder_is_never_superseded(tmp_path: Path) -> None:
    source = write(tmp_path / "a.txt")
    outside = write(tmp_path / "elsewhere.vtt", "precious")
    out = tmp_path / "out"
    audio = write(out / "a.mp3", "audio")
    manifest = Manifest(
        out,
        {"a.txt": {"outputs": [{"path": "../elsewhere.vtt", "bytes": len("precious")}]}},
    )
    job = BatchJob(source, "a.txt", audio)
    assert manifest.superseded(done(job, audio)) == []
    assert outside.read_text() == "precious"


def test_entries_of_sources_gone_from_a_searched_folder_are_forgotten(tmp_path: Path) -> None:
    kept = write(tmp_path / "in" / "a.txt")
    elsewhere = tmp_path / "share" / "c.txt"  # e.g. a share that is not mounted now
    entries = {
        name: {"source": str(path), "status": "failed", "outputs": []}
        for name, path in [
            ("a.txt", kept),
            ("b.txt", tmp_path / "in" / "b.txt"),
            ("sub/d.txt", tmp_path / "in" / "sub" / "d.txt"),
            ("c.txt", elsewhere),
        ]
    }
    manifest = Manifest(tmp_path / "out", entries)
    assert manifest.forget_missing([tmp_path / "in"]) == ["b.txt", "sub/d.txt"]
    manifest.flush()
    assert sorted(Manifest.load(tmp_path / "out").articles) == ["a.txt", "c.txt"]


def test_a_busy_manifest_is_saved_at_most_once_a_second_and_on_flush(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [100.0]
    monkeypatch.setattr(manifest_module.time, "monotonic", lambda: now[0])
    settings = fingerprint(Settings(), ".mp3")
    manifest = Manifest.load(tmp_path / "out")

    def finish(name: str) -> None:
        source = write(tmp_path / name)
        audio = write(tmp_path / "out" / f"{name}.mp3", "audio")
        manifest.record(done(BatchJob(source, name, audio), audio), "d", settings)

    def saved() -> list[str]:
        return sorted(Manifest.load(tmp_path / "out").articles)

    finish("a.txt")
    assert saved() == ["a.txt"], "the first change is saved at once"
    now[0] += 0.4
    finish("b.txt")
    assert saved() == ["a.txt"], "a change right after a save waits"
    now[0] += 0.7
    finish("c.txt")
    assert saved() == ["a.txt", "b.txt", "c.txt"], "a second later it is saved"
    now[0] += 0.1
    finish("d.txt")
    manifest.flush()
    assert saved() == ["a.txt", "b.txt", "c.txt", "d.txt"]


def test_damaged_manifest_is_kept_aside_not_lost(tmp_path: Path) -> None:
    (tmp_path / MANIFEST_NAME).write_text("{ not json")
    manifest = Manifest.load(tmp_path)
    assert manifest.articles == {}
    kept = list(tmp_path.glob(f"{MANIFEST_NAME}.damaged-*"))
    assert len(kept) == 1 and kept[0].read_text() == "{ not json"


def test_second_batch_on_the_same_folder_is_refused(tmp_path: Path) -> None:
    with manifest_lock(tmp_path):
        with pytest.raises(UsageError, match="another narrate batch"):
            with manifest_lock(tmp_path):
                pass
    with manifest_lock(tmp_path):  # released again
        pass
