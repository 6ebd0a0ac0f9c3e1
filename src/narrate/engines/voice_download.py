"""Downloading Piper voices: ``narrate voices download de_DE-thorsten-medium``.

Piper's voices are published as ``{family}/{locale}/{dataset}/{quality}/{name}.onnx``
(the model) and ``….onnx.json`` (its config) under
``https://huggingface.co/rhasspy/piper-voices/resolve/main``; ``$NARRATE_VOICES_URL``
or ``base_url`` names a mirror with the same layout instead.

:func:`download_voice` fetches the small config first and checks it (valid JSON with
``audio.sample_rate``) before streaming the model, so a wrong name or a login page
in place of the voice fails in a moment. Both files go into temporary files in the
voices folder and are renamed into place only when both are complete: the model
first, then the config. A voice counts as installed only when its config is there,
so a failed or interrupted download (Ctrl-C included) never leaves half a voice or
a temporary file behind.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import requests

from narrate.article.fetch import describe_failure, user_agent
from narrate.atomic import atomic_path
from narrate.engines.piper import CONFIG_SUFFIX, MODEL_SUFFIX
from narrate.errors import NetworkError, UsageError

__all__ = [
    "DEFAULT_VOICES_URL",
    "DOWNLOAD_TIMEOUT",
    "VOICES_URL_ENV",
    "DownloadProgress",
    "VoiceFiles",
    "check_voice_name",
    "download_voice",
    "is_installed",
    "voice_files",
    "voices_base_url",
]

VOICES_URL_ENV = "NARRATE_VOICES_URL"
"""Environment variable naming a mirror of the Piper voices repository."""
DEFAULT_VOICES_URL = "https://huggingface.co/rhasspy/piper-voices/resolve/main"
"""Where Piper's voices are published."""
DOWNLOAD_TIMEOUT = 30.0
"""Seconds to connect, and seconds of silence allowed while reading."""

DownloadProgress = Callable[[int, int | None], None]
"""Called with the bytes downloaded so far and the total, when the server said it."""

_NAME = re.compile(
    r"\A(?P<locale>(?P<family>[a-z]{2,3})_[A-Z]{2})"
    r"-(?P<dataset>[A-Za-z0-9_]+)"
    r"-(?P<quality>x_low|low|medium|high)\Z"
)
_CHUNK = 256 * 1024
_BAD_ADDRESS = (
    requests.exceptions.InvalidURL,
    requests.exceptions.MissingSchema,
    requests.exceptions.InvalidSchema,
)
_VOICE_LIST = "the voices: https://huggingface.co/rhasspy/piper-voices"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class VoiceFiles:
    """Where a voice comes from and where it goes."""

    name: str
    """The voice name, e.g. ``de_DE-thorsten-medium``."""
    model_url: str
    """Address of ``NAME.onnx``."""
    config_url: str
    """Address of ``NAME.onnx.json``."""
    model: Path
    """The installed model file."""
    config: Path
    """The installed config file; its presence makes the voice installed."""


def check_voice_name(name: str) -> re.Match[str]:
    """Split a voice name into locale, family, dataset and quality; UsageError if malformed."""
    match = _NAME.match(name)
    if match is None:
        raise UsageError(
            f"{name!r} is not a Piper voice name",
            "write it as LOCALE-DATASET-QUALITY, e.g. de_DE-thorsten-medium; "
            "quality is x_low, low, medium or high",
        )
    return match


def voices_base_url(base_url: str | None = None) -> str:
    """The voices repository: ``base_url``, else ``$NARRATE_VOICES_URL``, else Hugging Face."""
    chosen = base_url or os.environ.get(VOICES_URL_ENV, "").strip() or DEFAULT_VOICES_URL
    return chosen.rstrip("/")


def voice_files(name: str, folder: Path, base_url: str | None = None) -> VoiceFiles:
    """The addresses and installed paths of voice ``name`` (checked) in ``folder``."""
    parts = check_voice_name(name)
    path = "/".join(parts.group("family", "locale", "dataset", "quality"))
    remote = f"{voices_base_url(base_url)}/{path}/{name}"
    return VoiceFiles(
        name=name,
        model_url=remote + MODEL_SUFFIX,
        config_url=remote + CONFIG_SUFFIX,
        model=folder / f"{name}{MODEL_SUFFIX}",
        config=folder / f"{name}{CONFIG_SUFFIX}",
    )


def is_installed(name: str, folder: Path) -> bool:
    """Whether ``folder`` holds voice ``name``: its model and a readable config."""
    model, config = folder / f"{name}{MODEL_SUFFIX}", folder / f"{name}{CONFIG_SUFFIX}"
    try:
        _check_config(config.read_bytes(), str(config))
    except (OSError, NetworkError):
        return False
    return model.is_file()


def download_voice(
    name: str,
    folder: Path,
    *,
    base_url: str | None = None,
    on_progress: DownloadProgress | None = None,
    session: requests.Session | None = None,
    force: bool = False,
    timeout: float = DOWNLOAD_TIMEOUT,
) -> Path:
    """Download Piper voice ``name`` into ``folder`` (created if needed); return its model.

    An installed voice is left alone unless ``force``. A missing voice (HTTP 404) is a
    :class:`UsageError`; anything else that stops the download is a
    :class:`NetworkError` saying how to install the voice by hand.
    """
    files = voice_files(name, folder, base_url)
    if not force and is_installed(name, folder):
        log.info("the Piper voice %s is already installed in %s", name, folder)
        return files.model
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with _own_session(session) as http:
            _Download(http, files, on_progress or _ignore, timeout).run()
    except BaseException:
        if created:  # a failed first download leaves no empty voices folder behind
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    log.info("installed the Piper voice %s in %s", name, folder)
    return files.model


class _Download:
    """One voice download: config first, then the model, then both renamed into place."""

    def __init__(
        self,
        session: requests.Session,
        files: VoiceFiles,
        on_progress: DownloadProgress,
        timeout: float,
    ) -> None:
        self.session, self.files, self.timeout = session, files, timeout
        self.on_progress = on_progress
        self.done = 0

    def run(self) -> None:
        """Fetch both files into temporary files; rename the model, then the config."""
        with atomic_path(self.files.config) as config_part, atomic_path(self.files.model) as part:
            self._fetch(self.files.config_url, config_part, report=False)
            _check_config(config_part.read_bytes(), self.files.config_url)
            self._fetch(self.files.model_url, part, report=True)

    def _fetch(self, url: str, destination: Path, *, report: bool) -> None:
        """Stream ``url`` into ``destination``, with progress when ``report``."""
        headers = {"User-Agent": user_agent(), "Accept-Encoding": "identity"}
        try:
            with self.session.get(
                url, headers=headers, timeout=(self.timeout, self.timeout), stream=True
            ) as response:
                self._check_status(response, url)
                self._stream(response, url, destination, report=report)
        except _BAD_ADDRESS as error:
            raise UsageError(
                f"{url} is not a valid http(s) address", f"check {VOICES_URL_ENV}"
            ) from error
        except requests.RequestException as error:
            message, _ = describe_failure(url, error, self.timeout)
            raise NetworkError(message, self._offline_hint()) from error

    def _stream(
        self, response: requests.Response, url: str, destination: Path, *, report: bool
    ) -> None:
        """Write the body to ``destination``; its length must match Content-Length."""
        expected = _content_length(response)
        total = None if expected is None else self.done + expected
        start = self.done
        with destination.open("wb") as sink:
            for chunk in response.iter_content(_CHUNK):
                sink.write(chunk)
                self.done += len(chunk)
                if report:
                    self.on_progress(self.done, total)
        received = self.done - start
        if expected is not None and received != expected:
            raise NetworkError(
                f"could not download {url}: the download broke off after "
                f"{received} of {expected} bytes",
                f"try again; {self._offline_hint()}",
            )

    def _check_status(self, response: requests.Response, url: str) -> None:
        status = response.status_code
        if status == 404:
            raise UsageError(f"no Piper voice named {self.files.name} at {url}", _VOICE_LIST)
        if status >= 400:
            reason = f" {response.reason}" if response.reason else ""
            raise NetworkError(
                f"could not download {url}: HTTP {status}{reason}", self._offline_hint()
            )

    def _offline_hint(self) -> str:
        name, folder = self.files.name, self.files.model.parent
        return (
            "downloading a voice needs the internet; without it, copy "
            f"{name}{MODEL_SUFFIX} and {name}{CONFIG_SUFFIX} into {folder} by hand"
        )


def _check_config(data: bytes, where: str) -> None:
    """A voice config is JSON with a positive integer ``audio.sample_rate``."""
    try:
        config = json.loads(data.decode("utf-8"))
        rate = config["audio"]["sample_rate"]
    except (ValueError, KeyError, TypeError):
        rate = None
    if not isinstance(rate, int) or isinstance(rate, bool) or rate <= 0:
        raise NetworkError(
            f"{where} is not a Piper voice config (JSON with audio.sample_rate)",
            f"the download gave something else; check the address or {VOICES_URL_ENV}",
        )


def _content_length(response: requests.Response) -> int | None:
    header = response.headers.get("Content-Length", "").strip()
    return int(header) if header.isdigit() else None


@contextlib.contextmanager
def _own_session(session: requests.Session | None) -> Iterator[requests.Session]:
    """The caller's session as it is, or a new one closed afterwards."""
    if session is not None:
        yield session
        return
    with requests.Session() as own:
        yield own


def _ignore(done: int, total: int | None) -> None:
    """The progress callback when nobody listens."""
