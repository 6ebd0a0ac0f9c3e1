"""Ctrl-C while gtts requests hang: exit 130 at once, nothing beside the output, cache kept.

Each test runs ``python -m narrate`` as a real process against a FakeGoogle that
holds its answers, and sends SIGINT once the fake has a request in flight. Held
answers would only time out after 30 s, so a prompt exit is the interrupt's doing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from narrate.engines.cache import ChunkCache, default_cache_dir
from narrate.errors import EXIT_BROKEN_PIPE, EXIT_INTERRUPTED, EXIT_TERMINATED
from tests.fake_google import FakeGoogle, fake_google_fixture  # noqa: F401 - fixtures

PROMPT_S = 5.0
"""Most seconds from SIGINT to exit (it takes well under one; the rest is a busy machine)."""

STARTUP_S = 60.0
"""Most seconds a narrate process may take to send its first request."""

SENTENCES = 12


def write_article(folder: Path) -> Path:
    article = folder / "artikel.txt"
    sentences = " ".join(f"Das ist der Satz mit der Nummer {n}." for n in range(SENTENCES))
    article.write_text(f"Titel\n\n{sentences}\n", encoding="utf-8")
    return article


def narrate_command(article: Path, *options: str) -> list[str]:
    narrate = [sys.executable, "-m", "narrate", str(article)]
    return [*narrate, "--engine", "gtts", "--lang", "de", *options]


def start(command: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )


def wait_for(condition: Callable[[], bool], process: subprocess.Popen[str]) -> None:
    """Poll ``condition`` until true; fail if the process ends first or time runs out."""
    deadline = time.monotonic() + STARTUP_S
    while not condition():
        assert process.poll() is None, process.communicate()[1]
        assert time.monotonic() < deadline, "the condition never became true"
        time.sleep(0.02)


def interrupt(
    process: subprocess.Popen[str], signal_number: int = signal.SIGINT
) -> tuple[float, str]:
    """Send SIGINT (or another signal); seconds until the process ended, and its stderr."""
    sent = time.monotonic()
    process.send_signal(signal_number)
    _, stderr = process.communicate(timeout=120)
    return time.monotonic() - sent, stderr


@pytest.mark.parametrize(
    ("signal_number", "status", "said"),
    [
        (signal.SIGINT, EXIT_INTERRUPTED, "interrupted"),
        (signal.SIGTERM, EXIT_TERMINATED, "terminated"),  # timeout, systemd, docker stop
    ],
)
def test_ctrl_c_while_requests_hang_exits_130_at_once_and_leaves_nothing(
    fake_google: FakeGoogle, tmp_path: Path, signal_number: int, status: int, said: str
) -> None:
    article = write_article(tmp_path)
    fake_google.hold()
    process = start(narrate_command(article, "--no-cache"))
    wait_for(lambda: fake_google.wait_for_requests(1, timeout=0.1), process)
    assert any(path.name.startswith(".narrate-") for path in tmp_path.iterdir())  # work folder

    stopped_after, stderr = interrupt(process, signal_number)

    assert process.returncode == status, stderr
    assert stopped_after < PROMPT_S, stderr
    assert said in stderr
    assert "retrying" not in stderr
    assert [path.name for path in tmp_path.iterdir()] == ["artikel.txt"]


def test_an_interrupted_run_keeps_its_chunks_and_the_next_run_continues(
    fake_google: FakeGoogle, tmp_path: Path
) -> None:
    article = write_article(tmp_path)
    fake_google.hold()
    fake_google.answer_audio(times=3)  # three chunks come back, every later request hangs
    cache = ChunkCache(default_cache_dir())
    process = start(narrate_command(article))
    wait_for(lambda: cache.info().entries == 3 and fake_google.wait_for_requests(4, 0.1), process)

    stopped_after, stderr = interrupt(process)

    assert process.returncode == EXIT_INTERRUPTED, stderr
    assert stopped_after < PROMPT_S, stderr
    assert cache.info().entries == 3
    assert sorted(path.name for path in tmp_path.iterdir()) == ["artikel.txt"]

    answered = {request.text for request in fake_google.requests[:3]}
    sent_before = len(fake_google.requests)
    fake_google.answer_audio()
    resumed = subprocess.run(narrate_command(article), capture_output=True, text=True, check=False)

    assert resumed.returncode == 0, resumed.stderr
    asked_again = {request.text for request in fake_google.requests[sent_before:]}
    assert asked_again and answered.isdisjoint(asked_again)
    assert (tmp_path / "artikel.mp3").stat().st_size > 0


def test_a_reader_that_stops_early_gets_no_error_message(tmp_path: Path) -> None:
    errors = tmp_path / "stderr"
    shell = f"{sys.executable} -m narrate voices --engine espeak 2>{errors} | head -n 1"
    run = subprocess.run(["bash", "-o", "pipefail", "-c", shell], capture_output=True, text=True)
    assert run.stdout.startswith("espeak\t") and run.stdout.count("\n") == 1
    assert errors.read_text(encoding="utf-8") == ""
    assert run.returncode in (0, EXIT_BROKEN_PIPE)  # 0 when all of it fit the pipe at once
