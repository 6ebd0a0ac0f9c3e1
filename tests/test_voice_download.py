"""``narrate voices download``: Piper voices from a local mirror, and ``--voices-dir``.

A local HTTP server (127.0.0.1, a free port) plays Piper's voice repository, serving
the tiny generated test voice under the published layout
``{family}/{locale}/{dataset}/{quality}/{name}.onnx[.json]``, and every way a
download can go wrong: 404, 500, a body cut short, a login page instead of a config.
``$NARRATE_VOICES_URL`` points narrate at it; nothing here needs the internet.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from narrate.cli import app
from narrate.engines.piper import voices_folder
from narrate.engines.voice_download import (
    DEFAULT_VOICES_URL,
    VOICES_URL_ENV,
    check_voice_name,
    download_voice,
    is_installed,
    voice_files,
    voices_base_url,
)
from narrate.errors import NetworkError, UsageError
from tests.audio_tools import duration_ms
from tests.test_article_url import _Handler, _Server

VOICE = "de_DE-test-medium"
ARTICLE = (
    "Die neue Brücke\n\n"
    "Die Stadt hat heute die neue Brücke über den Fluss eröffnet. "
    "Viele Menschen kamen zur Feier am Ufer.\n"
)

needs_piper = pytest.mark.skipif(
    importlib.util.find_spec("piper") is None,
    reason="piper-tts is not installed (pip install -e '.[test]' installs it)",
)

runner = CliRunner()


def _published(name: str) -> str:
    """The server path of a voice, without the file suffix."""
    family_locale, dataset, quality = name.split("-")
    family = family_locale.split("_")[0]
    return f"/voices/{family}/{family_locale}/{dataset}/{quality}/{name}"


def _truncated(handler: _Handler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/octet-stream")
    handler.send_header("Content-Length", "50000")
    handler.end_headers()
    handler.wfile.write(b"\x08" * 1000)
    handler.close_connection = True


@pytest.fixture(scope="module")
def voice_bytes(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    """The tiny test voice's model and config, as a mirror would serve them."""
    pytest.importorskip("onnx", reason="onnx builds the test voice")
    from tests.piper_voice import write_voice

    model = write_voice(tmp_path_factory.mktemp("published"), VOICE)
    return model.read_bytes(), Path(f"{model}.json").read_bytes()


@pytest.fixture(scope="module")
def mirror(voice_bytes: tuple[bytes, bytes]) -> Iterator[_Server]:
    """A local mirror of Piper's voice repository in a thread."""
    model, config = voice_bytes
    ok = {"sample_rate": 16000}
    routes = {
        f"{_published(VOICE)}.onnx": lambda h: h.send(200, model, "application/octet-stream"),
        f"{_published(VOICE)}.onnx.json": lambda h: h.send(200, config, "application/json"),
        f"{_published('de_DE-cut-medium')}.onnx": _truncated,
        f"{_published('de_DE-cut-medium')}.onnx.json": lambda h: h.send(200, config, None),
        f"{_published('de_DE-login-medium')}.onnx.json": lambda h: h.send(
            200, b"<html><body>Bitte anmelden</body></html>", "text/html"
        ),
        f"{_published('de_DE-norate-medium')}.onnx.json": lambda h: h.send(
            200, json.dumps({"audio": {"quality": "medium"}}).encode(), "application/json"
        ),
        f"{_published('de_DE-down-medium')}.onnx.json": lambda h: h.send(500, b"Oops", None),
        f"{_published('de_DE-nomodel-medium')}.onnx.json": lambda h: h.send(
            200, json.dumps({"audio": ok}).encode(), "application/json"
        ),
    }
    httpd = _Server()
    httpd.routes = routes
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@pytest.fixture
def server(mirror: _Server, monkeypatch: pytest.MonkeyPatch) -> _Server:
    """The mirror, named by ``$NARRATE_VOICES_URL``, with its request log emptied."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv(VOICES_URL_ENV, mirror.url("/voices/"))
    mirror.seen.clear()
    return mirror


@pytest.fixture
def folder() -> Path:
    """The (empty) voices folder the autouse fixture points ``$NARRATE_VOICES`` at."""
    return voices_folder()


@pytest.fixture
def refused_url() -> str:
    """A mirror address on a port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/voices"


def _download(*args: str) -> Result:
    return runner.invoke(app, ["voices", "download", *args])


def _one_error_line(result: Result, exit_code: int) -> str:
    assert result.exit_code == exit_code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("narrate: error: "), result.stderr
    return lines[0]


def _files(folder: Path) -> set[str]:
    return {path.name for path in folder.iterdir()} if folder.exists() else set()


# --- names and addresses ---


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("de_DE-thorsten-medium", "de/de_DE/thorsten/medium/de_DE-thorsten-medium"),
        (
            "de_DE-thorsten_emotional-medium",
            "de/de_DE/thorsten_emotional/medium/de_DE-thorsten_emotional-medium",
        ),
        ("en_GB-alba-x_low", "en/en_GB/alba/x_low/en_GB-alba-x_low"),
        ("en_US-libritts_r-high", "en/en_US/libritts_r/high/en_US-libritts_r-high"),
    ],
)
def test_a_name_gives_the_published_addresses(name: str, path: str, tmp_path: Path) -> None:
    files = voice_files(name, tmp_path, "https://mirror.example/piper/")
    assert files.model_url == f"https://mirror.example/piper/{path}.onnx"
    assert files.config_url == f"https://mirror.example/piper/{path}.onnx.json"
    assert (files.model, files.config) == (
        tmp_path / f"{name}.onnx",
        tmp_path / f"{name}.onnx.json",
    )


@pytest.mark.parametrize(
    "name",
    [
        "thorsten",
        "de_DE-thorsten",
        "de_DE-thorsten-ultra",
        "de-thorsten-medium",
        "de_de-thorsten-medium",
        "de_DE-thorsten-medium.onnx",
        "../de_DE-thorsten-medium",
        "de_DE-thor/sten-medium",
        "",
    ],
)
def test_a_malformed_name_is_a_usage_error(name: str) -> None:
    with pytest.raises(UsageError, match="de_DE-thorsten-medium"):
        check_voice_name(name)


def test_base_url_argument_then_environment_then_hugging_face(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(VOICES_URL_ENV, raising=False)
    assert voices_base_url() == DEFAULT_VOICES_URL
    monkeypatch.setenv(VOICES_URL_ENV, "http://mirror.local/piper/")
    assert voices_base_url() == "http://mirror.local/piper"
    assert voices_base_url("http://other.local/v") == "http://other.local/v"


# --- downloading through the command line ---


@needs_piper
def test_downloaded_voice_is_listed_and_narrates(
    server: _Server, folder: Path, tmp_path: Path
) -> None:
    result = _download(VOICE)
    assert result.exit_code == 0, result.output
    summary = result.stderr.strip().splitlines()[-1]
    assert re.fullmatch(
        rf"narrate: installed {VOICE} in {re.escape(str(folder))} \(0\.0 MB\)", summary
    )
    assert _files(folder) == {f"{VOICE}.onnx", f"{VOICE}.onnx.json"}

    listed = runner.invoke(app, ["voices", "--engine", "piper"])
    assert listed.exit_code == 0, listed.output
    assert listed.stdout.splitlines() == [f"piper\t{VOICE}\tde-de,de\ttest (de_DE, medium)"]

    article = tmp_path / "artikel.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    spoken = runner.invoke(app, [str(article), "--engine", "piper", "--voice", VOICE])
    assert spoken.exit_code == 0, spoken.output
    assert duration_ms(article.with_suffix(".mp3")) > 1000


def test_downloaded_files_are_the_published_ones(
    server: _Server, folder: Path, voice_bytes: tuple[bytes, bytes]
) -> None:
    result = _download(VOICE, "-q")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert (folder / f"{VOICE}.onnx").read_bytes() == voice_bytes[0]
    assert (folder / f"{VOICE}.onnx.json").read_bytes() == voice_bytes[1]
    assert server.seen[f"{_published(VOICE)}.onnx"]["User-Agent"].startswith("narrate/")


def test_an_installed_voice_is_not_downloaded_again_unless_forced(
    server: _Server, folder: Path
) -> None:
    assert _download(VOICE).exit_code == 0
    server.seen.clear()

    again = _download(VOICE)
    assert again.exit_code == 0, again.output
    assert server.seen == {}
    assert again.stderr.strip() == (
        f"narrate: {VOICE} is already installed in {folder} (--force downloads it again)"
    )

    forced = _download(VOICE, "--force")
    assert forced.exit_code == 0, forced.output
    assert set(server.seen) == {f"{_published(VOICE)}.onnx", f"{_published(VOICE)}.onnx.json"}
    assert forced.stderr.strip().startswith(f"narrate: installed {VOICE} in {folder}")


def test_an_unknown_voice_is_exit_2_in_one_line(server: _Server, folder: Path) -> None:
    line = _one_error_line(_download("de_DE-missing-medium"), 2)
    url = server.url(f"{_published('de_DE-missing-medium')}.onnx.json")
    assert f"no Piper voice named de_DE-missing-medium at {url}" in line
    assert _files(folder) == set()


def test_a_malformed_name_exits_2_before_any_request(server: _Server, folder: Path) -> None:
    line = _one_error_line(_download(VOICE, "thorsten"), 2)
    assert "'thorsten' is not a Piper voice name" in line and "de_DE-thorsten-medium" in line
    assert server.seen == {}
    assert _files(folder) == set()


def test_no_connection_is_exit_1_saying_how_to_install_by_hand(
    refused_url: str, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(VOICES_URL_ENV, refused_url)
    line = _one_error_line(_download(VOICE), 1)
    assert "connection refused" in line
    assert "downloading a voice needs the internet" in line
    assert f"copy {VOICE}.onnx and {VOICE}.onnx.json into {folder} by hand" in line
    assert _files(folder) == set()


def test_a_failed_first_download_leaves_no_empty_voices_folder(
    refused_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(VOICES_URL_ENV, refused_url)
    new_folder = tmp_path / "new" / "voices"
    _one_error_line(_download(VOICE, "--voices-dir", str(new_folder)), 1)
    assert not new_folder.exists()


def test_a_server_error_is_exit_1(server: _Server, folder: Path) -> None:
    line = _one_error_line(_download("de_DE-down-medium"), 1)
    assert "HTTP 500" in line and "needs the internet" in line
    assert _files(folder) == set()


def test_a_body_cut_short_leaves_nothing_behind(server: _Server, folder: Path) -> None:
    line = _one_error_line(_download("de_DE-cut-medium"), 1)
    assert "de_DE-cut-medium.onnx" in line
    assert _files(folder) == set()


@pytest.mark.parametrize("name", ["de_DE-login-medium", "de_DE-norate-medium"])
def test_a_config_that_is_not_a_voice_config_installs_nothing(
    server: _Server, folder: Path, name: str
) -> None:
    line = _one_error_line(_download(name), 1)
    assert "is not a Piper voice config (JSON with audio.sample_rate)" in line
    assert f"{_published(name)}.onnx" not in server.seen  # the model is never fetched
    assert _files(folder) == set()


def test_a_missing_model_installs_no_config(server: _Server, folder: Path) -> None:
    _one_error_line(_download("de_DE-nomodel-medium"), 2)
    assert _files(folder) == set()
    assert not is_installed("de_DE-nomodel-medium", folder)


def test_several_voices_stop_at_the_first_failure(server: _Server, folder: Path) -> None:
    _one_error_line(_download("-q", VOICE, "de_DE-missing-medium"), 2)
    assert _files(folder) == {f"{VOICE}.onnx", f"{VOICE}.onnx.json"}


# --- the library function ---


def test_progress_counts_up_to_the_total(server: _Server, tmp_path: Path) -> None:
    seen: list[tuple[int, int | None]] = []
    model = download_voice(VOICE, tmp_path / "new", on_progress=lambda d, t: seen.append((d, t)))
    total = model.stat().st_size + Path(f"{model}.json").stat().st_size
    assert seen and seen[-1] == (total, total)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_ctrl_c_leaves_no_files(server: _Server, tmp_path: Path) -> None:
    def interrupt(done: int, total: int | None) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        download_voice(VOICE, tmp_path, on_progress=interrupt)
    assert _files(tmp_path) == set()


def test_the_model_is_moved_into_place_before_the_config(
    server: _Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    moved: list[str] = []
    real_replace = os.replace

    def record(source: str | Path, destination: str | Path) -> None:
        moved.append(Path(destination).name)
        real_replace(source, destination)

    monkeypatch.setattr(os, "replace", record)  # what narrate.atomic renames with
    download_voice(VOICE, tmp_path)
    assert moved == [f"{VOICE}.onnx", f"{VOICE}.onnx.json"]


def test_errors_are_usage_or_network_errors(
    server: _Server, tmp_path: Path, refused_url: str
) -> None:
    with pytest.raises(UsageError):
        download_voice("de_DE-missing-medium", tmp_path)
    with pytest.raises(NetworkError):
        download_voice(VOICE, tmp_path, base_url=refused_url)
    with pytest.raises(UsageError, match="not a valid http"):
        download_voice(VOICE, tmp_path, base_url="mirror.local/voices")
    assert download_voice(VOICE, tmp_path, base_url=server.url("/voices")).is_file()


class _ShortSession:
    """A session whose every answer claims more bytes than it sends, without complaint."""

    def get(self, url: str, **kwargs: object) -> _ShortResponse:
        return _ShortResponse(url)


class _ShortResponse:
    status_code, reason = 200, "OK"
    headers = {"Content-Length": "100"}

    def __init__(self, url: str) -> None:
        self.body = b'{"audio": {"sample_rate": 16000}}' if url.endswith(".json") else b"\x08"

    def __enter__(self) -> _ShortResponse:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def iter_content(self, size: int) -> Iterator[bytes]:
        yield self.body


def test_a_body_shorter_than_its_content_length_is_refused(tmp_path: Path) -> None:
    session: Any = _ShortSession()
    with pytest.raises(NetworkError, match=r"broke off after \d+ of 100 bytes"):
        download_voice(VOICE, tmp_path, session=session, base_url="http://mirror.invalid")
    assert _files(tmp_path) == set()


# --- where voices live: --voices-dir and the config file ---


def test_voices_dir_overrides_the_environment(
    server: _Server, folder: Path, tmp_path: Path
) -> None:
    chosen = tmp_path / "elsewhere"
    result = _download(VOICE, "--voices-dir", str(chosen))
    assert result.exit_code == 0, result.output
    assert _files(chosen) == {f"{VOICE}.onnx", f"{VOICE}.onnx.json"}
    assert _files(folder) == set()

    listed = runner.invoke(app, ["voices", "--engine", "piper", "--voices-dir", str(chosen)])
    assert listed.stdout.startswith(f"piper\t{VOICE}\t"), listed.output
    group_level = runner.invoke(app, ["voices", "--voices-dir", str(chosen), "download", VOICE])
    assert "already installed" in group_level.stderr, group_level.output


def test_config_voices_dir_is_relative_to_the_config_file(
    server: _Server, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "conf" / "narrate.toml"
    config.parent.mkdir()
    config.write_text('voices_dir = "stimmen"\n', encoding="utf-8")
    result = _download(VOICE, "--config", str(config))
    assert result.exit_code == 0, result.output
    assert _files(tmp_path / "conf" / "stimmen") == {f"{VOICE}.onnx", f"{VOICE}.onnx.json"}

    monkeypatch.setenv("NARRATE_CONFIG", str(config))  # the default config file
    listed = runner.invoke(app, ["voices", "--engine", "piper"])
    assert listed.stdout.startswith(f"piper\t{VOICE}\t"), listed.output
    overridden = runner.invoke(app, ["voices", "--engine", "piper", "--voices-dir", str(folder)])
    assert overridden.stdout == "", overridden.output


@needs_piper
def test_speak_and_script_take_voices_dir(server: _Server, tmp_path: Path) -> None:
    chosen = tmp_path / "stimmen"
    assert _download(VOICE, "--voices-dir", str(chosen)).exit_code == 0
    article = tmp_path / "artikel.txt"
    article.write_text(ARTICLE, encoding="utf-8")

    script = runner.invoke(
        app, ["script", str(article), "-e", "piper", "--voices-dir", str(chosen)]
    )
    assert script.exit_code == 0, script.output
    assert "Brücke" in script.stdout

    args = [str(article), "-e", "piper", "--voice", VOICE, "--voices-dir", str(chosen)]
    spoken = runner.invoke(app, args)
    assert spoken.exit_code == 0, spoken.output
    assert duration_ms(article.with_suffix(".mp3")) > 1000
