"""A local fake of Google Translate's text-to-speech endpoint: gTTS tested without network.

It answers the way the real service does: gTTS posts a batchexecute RPC
(``f.req=[[["jQ1olc","[text,lang,slow,\\"null\\"]",null,"generic"]]]``) to
``/_/TranslateWebserverUi/data/batchexecute`` and gets back ``)]}'``-framed JSON
whose ``jQ1olc`` entry holds a base64 MP3. The MP3 is real: a 440 Hz tone of
:func:`tone_ms` milliseconds (longer for longer text, twice as long when slow),
encoded once per length by imageio-ffmpeg's ffmpeg and cached.

Use it through the fixtures (add them to a conftest, or import them into a test
module): ``fake_google`` starts the server on 127.0.0.1, points
``NARRATE_GTTS_URL`` at it and clears proxy variables, so ``--engine gtts`` anywhere
in the test (CLI, pipeline, a subprocess) talks to the fake; ``no_google`` points
``NARRATE_GTTS_URL`` at a port that refuses connections, so gtts is offline.

Besides audio it can misbehave the ways the real service does, for every request
or only the next ``times`` ones (then it answers audio again): HTTP errors with or
without ``Retry-After`` (:meth:`FakeGoogle.fail_with`), broken bodies
(:meth:`~FakeGoogle.answer_garbage`), an MP3 cut off after a few hundred bytes
(:meth:`~FakeGoogle.truncate_audio`), a connection dropped before or during the
answer (:meth:`~FakeGoogle.drop_connection`) and answers held back until
:meth:`~FakeGoogle.release` (:meth:`~FakeGoogle.hold`; no sleeps anywhere). A test
that must act while a request is in flight waits for it with
:meth:`~FakeGoogle.wait_for_requests`.

Every URL they hand out carries its own path prefix (``/fake-google-3``), so an
engine that cached a probe for an earlier test's port never mistakes a reused port
for the same endpoint.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import socket
import subprocess
import tempfile
import threading
import time
import urllib.parse
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

import imageio_ffmpeg
import pytest

from narrate.engines.gtts import RPC_PATH, URL_ENV

MS_PER_CHAR = 60
"""Tone length per character of text at normal speed."""

SLOW_FACTOR = 2
"""How much longer the slow rate speaks."""

SAMPLE_RATE = 24000
"""Google's MP3s are mono at 24 kHz; so are the fake's."""

GARBAGE = ("no-audio", "null-audio", "not-mp3", "not-utf8")
"""Kinds of broken answers :meth:`FakeGoogle.answer_garbage` can give."""

TRUNCATED_BYTES = 600
"""What :meth:`FakeGoogle.truncate_audio` keeps of an MP3: ID3 tag, header and ~50 ms of audio."""

HOLD_LIMIT_S = 30.0
"""A held answer goes out by itself after this long, so a forgotten hold never hangs."""

_serial = itertools.count(1)


def tone_ms(text: str, slow: bool = False) -> int:
    """How long the fake's answer for ``text`` plays."""
    return len(text) * MS_PER_CHAR * (SLOW_FACTOR if slow else 1)


@dataclass(frozen=True)
class TtsRequest:
    """One request the fake received, decoded from gTTS's RPC."""

    text: str
    lang: str
    slow: bool
    duration_ms: int
    """Length of the tone answered (0 when the fake answered with a failure)."""
    path: str
    """The URL path posted to."""


@dataclass(frozen=True)
class _Behaviour:
    """How the fake answers one request."""

    status: int = 200
    """HTTP status of the answer."""
    retry_after: str | None = None
    """Value of a ``Retry-After`` header, if any."""
    garbage: str | None = None
    """A kind from :data:`GARBAGE` to answer instead of audio."""
    truncate: bool = False
    """Send only the first :data:`TRUNCATED_BYTES` of the MP3."""
    drop: str | None = None
    """``"before"`` closes without an answer; ``"during"`` after half of it."""
    hold: bool = False
    """Wait for :meth:`FakeGoogle.release` before answering."""

    @property
    def audio(self) -> bool:
        """Whether the answer carries the whole tone."""
        ok = self.status == 200 and self.garbage is None and self.drop is None
        return ok and not self.truncate


class FakeGoogle:
    """The fake service: a threaded HTTP server on 127.0.0.1 with an ephemeral port.

    It answers with audio until told otherwise by :meth:`fail_with`,
    :meth:`answer_garbage`, :meth:`truncate_audio`, :meth:`drop_connection` or
    :meth:`hold`; with ``times=n`` those apply to the next ``n`` requests only
    (queued in call order), without it to every request until
    :meth:`answer_audio` switches back.
    """

    def __init__(self, latency_s: float = 0.0) -> None:
        self.latency_s = latency_s
        """Seconds every answer waits before it goes out: a round trip, for benchmarks."""
        self._server = _Server(self)
        self.prefix = f"/fake-google-{next(_serial)}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,))
        self._thread.daemon = True
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._requests: list[TtsRequest] = []
        self._default = _Behaviour()
        self._queue: deque[_Behaviour] = deque()
        self.released = threading.Event()
        """Set by :meth:`release`: held answers go out."""

    @property
    def url(self) -> str:
        """The base URL to put in ``NARRATE_GTTS_URL``."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{self.prefix}"

    @property
    def rpc_path(self) -> str:
        """The path gTTS requests arrive at when sent to :attr:`url`."""
        return f"{self.prefix}/{RPC_PATH}"

    @property
    def requests(self) -> list[TtsRequest]:
        """Every TTS request received so far, in order."""
        with self._lock:
            return list(self._requests)

    def wait_for_requests(self, count: int, timeout: float) -> bool:
        """Wait until ``count`` requests have arrived (True), or ``timeout`` seconds (False)."""
        with self._arrived:
            return self._arrived.wait_for(lambda: len(self._requests) >= count, timeout)

    def fail_with(
        self, status: int, *, times: int | None = None, retry_after: str | None = None
    ) -> None:
        """Answer HTTP ``status`` (e.g. 500, 429), with a ``Retry-After`` header if given."""
        self._plan(_Behaviour(status=status, retry_after=retry_after), times)

    def answer_garbage(self, kind: str, *, times: int | None = None) -> None:
        """Answer 200 with a broken body; ``kind`` is one of :data:`GARBAGE`."""
        if kind not in GARBAGE:
            raise ValueError(f"unknown garbage kind {kind!r}; choose from {GARBAGE}")
        self._plan(_Behaviour(garbage=kind), times)

    def truncate_audio(self, *, times: int | None = None) -> None:
        """Answer a valid MP3 cut off after :data:`TRUNCATED_BYTES` (decodes too short)."""
        self._plan(_Behaviour(truncate=True), times)

    def drop_connection(self, *, times: int | None = None, mid_answer: bool = True) -> None:
        """Close the connection halfway through the answer, or before any (``mid_answer=False``)."""
        self._plan(_Behaviour(drop="during" if mid_answer else "before"), times)

    def hold(self, *, times: int | None = None) -> None:
        """Hold answers (audio) until :meth:`release`, so clients time out."""
        self._plan(_Behaviour(hold=True), times)

    def release(self) -> None:
        """Let held answers go out, now and from now on."""
        self.released.set()

    def answer_audio(self, *, times: int | None = None) -> None:
        """Answer with audio again (the default), forgetting queued misbehaviour.

        With ``times=n`` only the next ``n`` requests get audio, queued like any
        other plan: ``hold()`` then ``answer_audio(times=3)`` answers three requests
        and holds every later one.
        """
        self._plan(_Behaviour(), times)

    def _plan(self, behaviour: _Behaviour, times: int | None) -> None:
        with self._lock:
            if times is None:
                self._default = behaviour
                self._queue.clear()
            else:
                self._queue.extend([behaviour] * times)

    def _next_behaviour(self) -> _Behaviour:
        """What to do for the request just received (caller holds the lock)."""
        return self._queue.popleft() if self._queue else self._default

    def start(self) -> FakeGoogle:
        """Start serving in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port (later connections are refused)."""
        self.release()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def __enter__(self) -> FakeGoogle:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._thread.is_alive():
            self.stop()

    def answer(self, path: str, body: bytes) -> tuple[int, bytes]:
        """Status and body for one request (called by the handler)."""
        status, answer, _ = self.respond(path, body)
        return status, answer

    def respond(self, path: str, body: bytes) -> tuple[int, bytes, _Behaviour]:
        """Record one request; its status, body and how to deliver them."""
        text, lang, slow = parse_rpc(body)
        with self._lock:
            behaviour = self._next_behaviour()
            duration = tone_ms(text, slow) if behaviour.audio else 0
            self._requests.append(TtsRequest(text, lang, slow, duration, path))
            self._arrived.notify_all()
        if behaviour.status != 200:
            return behaviour.status, b"<html>error</html>", behaviour
        if behaviour.garbage is not None:
            return 200, _garbage_body(behaviour.garbage), behaviour
        mp3 = tone_mp3(tone_ms(text, slow))
        if behaviour.truncate:
            mp3 = mp3[:TRUNCATED_BYTES]
        return 200, rpc_response(base64.b64encode(mp3).decode("ascii")), behaviour


def parse_rpc(body: bytes) -> tuple[str, str, bool]:
    """The text, language and slow flag of a gTTS request body."""
    form = urllib.parse.parse_qs(body.decode("utf-8"))
    rpc = json.loads(form["f.req"][0])
    rpc_id, parameter = rpc[0][0][0], rpc[0][0][1]
    if rpc_id != "jQ1olc":
        raise ValueError(f"unexpected RPC id {rpc_id!r}")
    text, lang, speed, _ = json.loads(parameter)
    return text, lang, speed is True


def rpc_response(audio_base64: str | None) -> bytes:
    """A batchexecute answer as Google frames it; ``None`` means "no audio"."""
    payload = None if audio_base64 is None else _compact([audio_base64])
    envelope = _compact(
        [
            ["wrb.fr", "jQ1olc", payload, None, None, None if payload else [3], "generic"],
            ["di", 38],
            ["af.httprm", 37, "-2917315434373478547", 21],
        ]
    )
    trailer = _compact([["e", 4, None, None, len(envelope) + 25]])
    return f")]}}'\n\n{len(envelope)}\n{envelope}\n{len(trailer)}\n{trailer}\n".encode()


def _compact(value: object) -> str:
    return json.dumps(value, separators=(",", ":"))


def _garbage_body(kind: str) -> bytes:
    if kind == "no-audio":
        return b')]}\'\n\n12\n[["di",38]]\n'
    if kind == "null-audio":
        return rpc_response(None)
    if kind == "not-mp3":
        return rpc_response(base64.b64encode(b"certainly not an mp3 " * 40).decode("ascii"))
    return b"\xff\xfe jQ1olc \xc3\x28 binary\n"


_tones: dict[int, bytes] = {}
_tones_lock = threading.Lock()


def tone_mp3(duration_ms: int) -> bytes:
    """A real MP3 (mono, 24 kHz, 32 kbit/s) of a 440 Hz tone; cached per length."""
    with _tones_lock:
        if duration_ms not in _tones:
            _tones[duration_ms] = _encode_tone(duration_ms)
        return _tones[duration_ms]


def _encode_tone(duration_ms: int) -> bytes:
    # A seekable output file lets ffmpeg write the LAME header (encoder delay and
    # padding), so decoders return exactly duration_ms; a pipe would add ~60 ms.
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "tone.mp3"
        source = f"sine=frequency=440:sample_rate={SAMPLE_RATE}:duration={duration_ms / 1000}"
        command = [imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-v", "error"]
        command += ["-f", "lavfi", "-i", source, "-ac", "1", "-c:a", "libmp3lame", "-b:a", "32k"]
        subprocess.run([*command, str(out)], check=True, capture_output=True)
        return out.read_bytes()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakeGoogle) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:  # the name http.server dispatches to
        # A proxied request carries the absolute URL; a direct one only the path.
        path = urllib.parse.urlsplit(self.path).path
        if not path.endswith(f"/{RPC_PATH}"):
            self._send(404, b"Not Found")
            return
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        try:
            status, answer, behaviour = self.server.fake.respond(path, body)
        except (KeyError, IndexError, ValueError):
            status, answer, behaviour = 400, b"Bad Request", _Behaviour()
        try:
            self._deliver(status, answer, behaviour)
        except OSError:  # the client gave up (timed out) before a held answer went out
            self.close_connection = True

    def _deliver(self, status: int, body: bytes, behaviour: _Behaviour) -> None:
        if self.server.fake.latency_s:
            time.sleep(self.server.fake.latency_s)  # benchmarks only: tests keep 0
        if behaviour.hold:
            self.server.fake.released.wait(HOLD_LIMIT_S)
        if behaviour.drop == "before":
            self.close_connection = True
            return
        headers = {"Retry-After": behaviour.retry_after} if behaviour.retry_after else {}
        if behaviour.drop == "during":
            self._send(status, body[: len(body) // 2], length=len(body))
            self.close_connection = True
            return
        self._send(status, body, headers=headers)

    def _send(
        self,
        status: int,
        body: bytes,
        *,
        length: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Send an answer; ``length`` announces a Content-Length other than the body's."""
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body) if length is None else length))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output clean."""


def clear_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unset every ``*_proxy`` variable: gTTS would send even 127.0.0.1 through them."""
    for name in list(os.environ):
        if name.lower().endswith("_proxy"):
            monkeypatch.delenv(name)


@pytest.fixture(name="fake_google")
def fake_google_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGoogle]:
    """A running :class:`FakeGoogle` that ``NARRATE_GTTS_URL`` points at."""
    clear_proxies(monkeypatch)
    with FakeGoogle() as fake:
        monkeypatch.setenv(URL_ENV, fake.url)
        yield fake


@pytest.fixture(name="no_google")
def no_google_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """``NARRATE_GTTS_URL`` at a local port that refuses connections; yields that URL."""
    clear_proxies(monkeypatch)
    with socket.socket() as bound:  # bound, never listening: connections are refused
        bound.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{bound.getsockname()[1]}/no-google-{next(_serial)}"
        monkeypatch.setenv(URL_ENV, url)
        yield url
