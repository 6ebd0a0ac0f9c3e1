"""Planning a batch (which articles, which outputs) and its manifest."""

from __future__ import annotations

import json
import os
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
    assert names(plan.jobs) == ["b.txt", "wahl.md", "a.txt"]


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
