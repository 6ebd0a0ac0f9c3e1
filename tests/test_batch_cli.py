"""``narrate FOLDER -o OUT``: the batch from the command line, exit codes and Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrate.batch.plan import MANIFEST_NAME
from narrate.cli import app
from narrate.errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_USAGE
from tests.audio_tools import duration_ms

runner = CliRunner()
ESPEAK = ["--engine", "espeak", "--lang", "de"]
SENTENCE = "Die Stadt baut im nächsten Jahr neue Radwege entlang der Hauptstraße."


def make_articles(root: Path, count: int, sentences: int = 2) -> list[Path]:
    paths = []
    for index in range(count):
        path = root / f"teil-{index // 3}" / f"artikel-{index:02d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Artikel {index}. " + " ".join([SENTENCE] * sentences), encoding="utf-8")
        paths.append(path)
    return paths


def test_batch_narrates_a_folder_and_a_rerun_skips_it(tmp_path: Path) -> None:
    make_articles(tmp_path / "in", 4)
    out = tmp_path / "out"

    first = runner.invoke(app, [str(tmp_path / "in"), "-o", str(out), "-j", "2", *ESPEAK])

    assert first.exit_code == 0, first.stderr
    assert "4 narrated, 0 up to date, 0 failed" in first.stderr
    assert "done" in first.stderr and "wall time" in first.stderr
    audio = sorted(out.rglob("*.mp3"))
    assert [path.relative_to(out).as_posix() for path in audio] == [
        "teil-0/artikel-00.mp3", "teil-0/artikel-01.mp3", "teil-0/artikel-02.mp3",
        "teil-1/artikel-03.mp3",
    ]  # fmt: skip
    assert all(duration_ms(path) > 3000 for path in audio)

    again = runner.invoke(app, [str(tmp_path / "in"), "-o", str(out), *ESPEAK])
    assert again.exit_code == 0 and "0 narrated, 4 up to date" in again.stderr


def test_one_bad_article_fails_the_exit_code_not_the_batch(tmp_path: Path) -> None:
    make_articles(tmp_path / "in", 2)
    (tmp_path / "in" / "kaputt.txt").write_bytes(b"\x00\x01\x02" * 100)
    out = tmp_path / "out"

    result = runner.invoke(app, [str(tmp_path / "in"), "-o", str(out), *ESPEAK])

    assert result.exit_code == EXIT_FAILED
    assert "2 narrated, 0 up to date, 1 failed" in result.stderr
    assert "FAILED kaputt.txt:" in result.stderr
    assert len(list(out.rglob("*.mp3"))) == 2


def test_several_files_and_a_quoted_pattern(tmp_path: Path) -> None:
    first, second, third = make_articles(tmp_path / "in", 3)
    pattern = str(tmp_path / "in" / "teil-0" / "*-02.txt")
    out = tmp_path / "out"

    result = runner.invoke(app, [str(first), str(second), pattern, "-o", str(out), *ESPEAK])

    assert result.exit_code == 0, result.stderr
    assert sorted(path.name for path in out.glob("*.mp3")) == [
        "artikel-00.mp3", "artikel-01.mp3", "artikel-02.mp3",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("output", "message"),
    [("-", "cannot write to stdout"), ("out.mp3", "looks like an audio file")],
)
def test_batch_output_must_be_a_folder(tmp_path: Path, output: str, message: str) -> None:
    make_articles(tmp_path / "in", 2)
    target = output if output == "-" else str(tmp_path / output)
    result = runner.invoke(app, [str(tmp_path / "in"), "-o", target, *ESPEAK])
    assert result.exit_code == EXIT_USAGE
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_bad_jobs_and_empty_folder_are_usage_errors(tmp_path: Path) -> None:
    make_articles(tmp_path / "in", 2)
    bad_jobs = runner.invoke(app, [str(tmp_path / "in"), "-j", "0", *ESPEAK])
    assert bad_jobs.exit_code == EXIT_USAGE and "--jobs 0" in bad_jobs.stderr
    (tmp_path / "empty").mkdir()
    empty = runner.invoke(app, [str(tmp_path / "empty"), "-o", str(tmp_path / "o"), *ESPEAK])
    assert empty.exit_code == EXIT_USAGE and "no articles found" in empty.stderr


def test_glob_chooses_the_files(tmp_path: Path) -> None:
    make_articles(tmp_path / "in", 2)
    (tmp_path / "in" / "notiz.md").write_text("Eine kurze Notiz.", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, [str(tmp_path / "in"), "-o", str(out), "--glob", "*.md", *ESPEAK])
    assert result.exit_code == 0, result.stderr
    assert [path.name for path in out.rglob("*.mp3")] == ["notiz.mp3"]


def wait_for(condition: object, process: subprocess.Popen[bytes], limit: float = 60.0) -> None:
    """Poll ``condition`` until true; fail if the process ends first or time runs out."""
    deadline = time.monotonic() + limit
    while not condition():  # type: ignore[operator]
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        assert time.monotonic() < deadline, "condition never became true"
        time.sleep(0.02)


def test_ctrl_c_stops_promptly_keeps_the_manifest_true_and_the_next_run_resumes(
    tmp_path: Path,
) -> None:
    make_articles(tmp_path / "in", 6, sentences=12)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "narrate", str(tmp_path / "in"), "-o", str(out), "-j", "1"]
    process = subprocess.Popen(
        [*command, *ESPEAK], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    wait_for(lambda: (out / MANIFEST_NAME).exists(), process)  # the first article is done

    sent = time.monotonic()
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    stopped_after = time.monotonic() - sent

    assert process.returncode == EXIT_INTERRUPTED, stderr.decode()
    assert stopped_after < 3.0
    assert "run again to resume" in stderr.decode()
    entries = json.loads((out / MANIFEST_NAME).read_text())["articles"]
    on_disk = {path.relative_to(out).as_posix() for path in out.rglob("*.mp3")}
    recorded = {output["path"] for entry in entries.values() for output in entry["outputs"]}
    assert recorded == on_disk and 1 <= len(on_disk) < 6
    assert not [path for path in out.rglob(".*") if path.name != ".narrate.lock"]

    resumed = subprocess.run([*command, *ESPEAK], capture_output=True, env=os.environ.copy())
    assert resumed.returncode == 0, resumed.stderr.decode()
    assert f"{6 - len(on_disk)} narrated, {len(on_disk)} up to date" in resumed.stderr.decode()
    assert len(list(out.rglob("*.mp3"))) == 6


def test_warnings_of_an_article_name_it_and_are_kept_in_the_manifest(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "kurz.txt").write_text("Kurz.", encoding="utf-8")
    out = tmp_path / "out"

    result = runner.invoke(app, [str(tmp_path / "in"), "-o", str(out), "--engine", "espeak"])

    assert result.exit_code == 0, result.stderr
    assert "narrate: WARNING: kurz.txt: too little text" in result.stderr
    entry = json.loads((out / MANIFEST_NAME).read_text())["articles"]["kurz.txt"]
    assert entry["warnings"] and "assuming German" in entry["warnings"][0]


def test_an_unknown_engine_is_refused_before_any_article_is_read(tmp_path: Path) -> None:
    make_articles(tmp_path / "in", 2)
    out = tmp_path / "out"
    result = runner.invoke(app, [str(tmp_path / "in"), "-o", str(out), "--engine", "nope"])
    assert result.exit_code == EXIT_USAGE and "unknown engine 'nope'" in result.stderr
    assert not (out / MANIFEST_NAME).exists()


def test_an_unknown_engine_is_refused_before_a_page_is_fetched() -> None:
    # a closed port: were the page fetched first, this would be a network error (exit 1)
    result = runner.invoke(app, ["http://127.0.0.1:9/artikel.html", "--engine", "nope"])
    assert result.exit_code == EXIT_USAGE and "unknown engine 'nope'" in result.stderr


def test_files_from_two_folders_keep_their_paths_under_the_output(tmp_path: Path) -> None:
    for folder in ("p", "q"):
        article = tmp_path / "in" / folder / "a.txt"
        article.parent.mkdir(parents=True)
        article.write_text(f"Artikel aus Ordner {folder}. {SENTENCE}", encoding="utf-8")
    out = tmp_path / "out"
    files = [str(tmp_path / "in" / "p" / "a.txt"), str(tmp_path / "in" / "q" / "a.txt")]

    result = runner.invoke(app, [*files, "-o", str(out), *ESPEAK])

    assert result.exit_code == 0, result.stderr
    assert sorted(path.relative_to(out).as_posix() for path in out.rglob("*.mp3")) == [
        "p/a.mp3", "q/a.mp3",
    ]  # fmt: skip
    assert all(duration_ms(out / folder / "a.mp3") > 3000 for folder in ("p", "q"))
    entries = json.loads((out / MANIFEST_NAME).read_text())["articles"]
    assert sorted(entries) == ["p/a.txt", "q/a.txt"]
    assert entries["p/a.txt"]["source"] != entries["q/a.txt"]["source"]


def test_the_manifest_is_never_narrated_whatever_the_glob(tmp_path: Path) -> None:
    make_articles(tmp_path / "in", 1)
    folder = str(tmp_path / "in")
    assert runner.invoke(app, [folder, *ESPEAK]).exit_code == 0

    result = runner.invoke(app, [folder, "--glob", "*", *ESPEAK])

    assert result.exit_code == 0, result.stderr
    assert "0 narrated, 1 up to date, 0 failed" in result.stderr
    assert not list((tmp_path / "in").rglob("narrate-manifest.mp3"))


def test_narrates_feed_captions_and_audio_are_never_articles_whatever_the_glob(
    tmp_path: Path,
) -> None:
    make_articles(tmp_path / "in", 2)
    folder = tmp_path / "in"
    assert runner.invoke(app, [str(folder), "--captions", *ESPEAK]).exit_code == 0
    feed = ["feed", str(folder), "--base-url", "https://example.org/a", "--title", "Hören"]
    assert runner.invoke(app, feed).exit_code == 0
    written = {path.suffix for path in folder.rglob("*") if path.is_file()}
    assert {".mp3", ".vtt", ".json", ".xml"} <= written

    result = runner.invoke(app, [str(folder), "--glob", "*", "--captions", *ESPEAK])

    assert result.exit_code == 0, result.stderr
    assert "0 narrated, 2 up to date, 0 failed" in result.stderr


def test_a_shell_expanded_folder_passes_over_narrates_own_files(tmp_path: Path) -> None:
    make_articles(tmp_path / "in", 2)
    folder = tmp_path / "in"
    assert runner.invoke(app, [str(folder), "--captions", "--html", *ESPEAK]).exit_code == 0
    everything = sorted(str(path) for path in folder.rglob("*") if path.is_file())
    assert len(everything) > 2 * 5  # articles, audio, captions, pages, snippets, manifest

    result = runner.invoke(app, [*everything, "-o", str(tmp_path / "out"), *ESPEAK])

    assert result.exit_code == 0, result.stderr
    assert "2 narrated, 0 up to date, 0 failed" in result.stderr
    assert len(list((tmp_path / "out").rglob("*.mp3"))) == 2


def test_a_batch_stopped_by_a_usage_error_leaves_no_output_folder(tmp_path: Path) -> None:
    make_articles(tmp_path / "in", 1)
    out = tmp_path / "new" / "out"
    pattern = str(tmp_path / "in" / "*" / "nothing-*.txt")

    result = runner.invoke(app, [pattern, "-o", str(out), *ESPEAK])

    assert result.exit_code == EXIT_USAGE, result.stderr
    assert not out.exists()


def test_a_pattern_that_matches_nothing_is_a_usage_error(tmp_path: Path) -> None:
    [article] = make_articles(tmp_path / "in", 1)
    pattern = str(tmp_path / "nomatch" / "*.txt")
    out = tmp_path / "out"

    result = runner.invoke(app, [str(article), pattern, "-o", str(out), *ESPEAK])

    assert result.exit_code == EXIT_USAGE
    [line] = result.stderr.strip().splitlines()
    assert f"no articles match {pattern}" in line
    assert not (out / MANIFEST_NAME).exists()


def test_quiet_batch_prints_only_the_failures_each_on_one_line(tmp_path: Path) -> None:
    make_articles(tmp_path / "in", 1)
    long_name = "ein-sehr-langer-dateiname-" * 5 + "kaputt.txt"
    (tmp_path / "in" / long_name).write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "in" / "leer.txt").write_text("", encoding="utf-8")
    out = tmp_path / "out"

    result = runner.invoke(app, [str(tmp_path / "in"), "-o", str(out), "-q", *ESPEAK])

    assert result.exit_code == EXIT_FAILED
    lines = result.stderr.splitlines()
    assert sorted(line.split(":")[0] for line in lines) == [
        "FAILED " + long_name, "FAILED leer.txt",
    ]  # fmt: skip
    assert all(line.startswith("FAILED ") and len(line) > 20 for line in lines)
    assert len(list(out.rglob("*.mp3"))) == 1
