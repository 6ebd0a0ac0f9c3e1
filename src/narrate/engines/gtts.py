"""Google Translate's text-to-speech, through the gTTS package: natural, free, online.

One :meth:`GttsEngine.synthesize` call sends exactly one request with exactly the
text it is given: gTTS's own pre-processors and tokenizer are switched off, so
narrate's chunker (which keeps chunks within :attr:`GttsEngine.max_chars`) is the
only thing that cuts text.

Endpoint: requests go to ``https://translate.google.com`` unless the environment
variable ``NARRATE_GTTS_URL`` (or the ``base_url`` argument) names another base URL,
such as a mirror or the local fake the tests run; gTTS's request path
(``_/TranslateWebserverUi/data/batchexecute``) is appended to it. The variable is
read on every call, so changing it takes effect without a new engine.

Speed: Google offers only two rates, normal and slow (roughly half speed). A speed
below :data:`SLOW_BELOW` asks for slow; every other speed gets the normal rate, and
:meth:`GttsEngine.speed_note` says so for the run to show.

Resilience: each attempt first waits its turn at a rate limiter shared by every
engine in the process (:data:`REQUESTS_PER_SECOND`, divided among the workers of a
local batch). HTTP 429 and 5xx answers,
timeouts, refused or dropped connections, answers without audio, audio ffmpeg
cannot decode and audio too short for its text (:data:`MIN_MS_PER_CHAR`) are
retried with the backoff of :mod:`narrate.engines.retry` (a 429's ``Retry-After``
in seconds is honoured); other 4xx answers are not. The final error is one line
naming the chunk, the cause and the number of attempts. :meth:`GttsEngine.synthesize`
is thread-safe. When the run it works for is cancelled (:mod:`narrate.engines.cancel`)
it sends no further request and stops retrying; a request already sent is left to
finish or time out, since gTTS owns its HTTP session.
"""

from __future__ import annotations

import functools
import io
import logging
import math
import os
import socket
import threading
import urllib.parse
import urllib.request
import warnings
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import requests
from gtts import gTTS, gTTSError
from gtts.lang import tts_langs
from gtts.tokenizer.symbols import ALL_PUNC

from narrate.audio.ffmpeg import INSTALL_HINT, find_ffmpeg
from narrate.engines.base import BYTES_PER_SAMPLE, Availability, Clip, Voice, excerpt
from narrate.engines.cancel import raise_if_cancelled
from narrate.engines.retry import (
    AttemptFailed,
    RateLimiter,
    RetryPolicy,
    call_with_retries,
    machine_share,
)
from narrate.errors import EncoderError, EngineError, EngineUnavailableError, UsageError

__all__ = [
    "GttsEngine",
    "DEFAULT_URL",
    "URL_ENV",
    "RPC_PATH",
    "SLOW_BELOW",
    "MIN_MS_PER_CHAR",
    "REQUESTS_PER_SECOND",
    "shared_limiter",
]

DEFAULT_URL = "https://translate.google.com"
"""Where requests go when nothing overrides it."""

URL_ENV = "NARRATE_GTTS_URL"
"""Environment variable holding another endpoint base URL (``http://host:port``)."""

log = logging.getLogger(__name__)

RPC_PATH = "_/TranslateWebserverUi/data/batchexecute"
"""The path gTTS posts to, appended to the base URL."""

SLOW_BELOW = 0.75
"""Speeds below this ask Google for its slow rate."""

MIN_MS_PER_CHAR = 20.0
"""Audio shorter than this many milliseconds per character of text is cut short.

Real speech takes 60-80 ms per character (Google's normal rate; its slow rate
about twice that) and the test fake answers 60 ms, so a third of the fastest
plausible rate only flags answers that lost most of their audio, such as an
empty clip or an MP3 cut off after a few frames.
"""

REQUESTS_PER_SECOND = 16.0
"""Most requests per second that all gtts engines on a machine send together.

The workers of a local batch share it (see :data:`~narrate.engines.retry.PROCESSES_ENV`).
"""

OFFLINE_HINT = "check the network connection, or use the offline engine: --engine espeak"

_CHANGED_HINT = "the service may have changed; try upgrading gTTS or use --engine espeak"
_SHORT_HINT = "the answer was cut short; try again later or use --engine espeak"

_ISO_ALIASES = {"he": "iw", "jv": "jw", "nb": "no"}
"""Current ISO codes for languages Google still lists under their old codes."""

_STATUS_HINTS = {
    429: "Google is rate-limiting; wait a few minutes or use --engine espeak",
    403: "Google refused the request, perhaps a changed API; "
    "try upgrading gTTS or use --engine espeak",
}
_SERVER_HINT = "Google's service is failing; try again later or use --engine espeak"
_OTHER_STATUS_HINT = f"check {URL_ENV} if it is set, try upgrading gTTS, or use --engine espeak"


@functools.cache
def shared_limiter() -> RateLimiter:
    """The limiter every gtts engine of this process waits at (its share of the rate)."""
    return RateLimiter(REQUESTS_PER_SECOND / machine_share())


class GttsEngine:
    """Speaks through Google Translate's text-to-speech service (needs network).

    Voices are gTTS's language codes (``"de"``, ``"fr-CA"``, …); clips are mono
    16-bit PCM at 24 kHz, Google's own rate.
    """

    name = "gtts"
    max_chars = 100
    max_concurrency = 4
    """Requests at once: gTTS time is spent waiting for the network."""
    sample_rate = 24000

    def __init__(
        self,
        base_url: str | None = None,
        *,
        timeout: float = 30.0,
        probe_timeout: float = 1.5,
        retry: RetryPolicy | None = None,
        limiter: RateLimiter | None = None,
    ) -> None:
        """Create the engine.

        ``base_url`` overrides ``NARRATE_GTTS_URL`` and the default endpoint;
        ``timeout`` bounds each request and ``probe_timeout`` the network probe.
        ``retry`` sets the backoff (default :class:`RetryPolicy`); ``limiter``
        spaces requests (default: :func:`shared_limiter`, shared by every engine
        of the process). Tests pass both with fake sleeps and clocks.
        """
        self._base_url = base_url
        self._timeout = timeout
        self._probe_timeout = probe_timeout
        self._retry = retry or RetryPolicy()
        self._limiter = limiter or shared_limiter()
        self._probes: dict[str, str | None] = {}
        self._probe_lock = threading.Lock()

    @property
    def base_url(self) -> str:
        """The endpoint in use: the constructor's, else ``NARRATE_GTTS_URL``, else Google."""
        return self._base_url or os.environ.get(URL_ENV) or DEFAULT_URL

    def availability(self) -> Availability:
        """Whether the endpoint (or the proxy to it) accepts a TCP connection.

        Probed once per endpoint for the engine's life; never raises.
        """
        try:
            endpoint = _Endpoint.parse(self.base_url)
        except UsageError as error:
            return Availability(False, str(error))
        failure = self._unreachable(endpoint)
        if failure is not None:
            return Availability(False, f"no network: {failure}")
        return Availability(True)

    def voices(self) -> list[Voice]:
        """One voice per language gTTS supports; the id is the language code."""
        return [
            Voice(code, f"{name} (Google Translate)", _voice_languages(code))
            for code, name in sorted(tts_langs().items())
        ]

    def supports(self, lang: str) -> bool:
        """Whether Google speaks ``lang`` (``"de"``, ``"de-AT"`` and ``"fr_CA"`` all work)."""
        return _resolve_lang(lang) is not None

    def default_voice(self, lang: str) -> str:
        """The language code Google uses for ``lang``; UsageError if it has none."""
        code = _resolve_lang(lang)
        if code is None:
            raise UsageError(
                f"engine 'gtts' does not speak language {lang!r}",
                "run `narrate voices --engine gtts` to list its languages",
            )
        return code

    def speed_note(self, speed: float) -> str | None:
        """What ``speed`` becomes with Google's two rates, when not what was asked (a hook)."""
        if speed == 1.0:
            return None
        rate = "its slow rate" if speed < SLOW_BELOW else "its normal rate"
        return (
            f"gtts has only a normal and a slow rate: speed {speed} is spoken at {rate} "
            f"(below {SLOW_BELOW} is slow); espeak and piper take any speed"
        )

    def synthesize(self, text: str, voice: str, lang: str, speed: float) -> Clip:
        """Speak ``text`` with one request (plus retries) and return the decoded audio.

        The voice decides the language (``lang`` is not used). Text with nothing
        to speak (only spaces and punctuation) gives an empty clip without a
        request. Raises EngineUnavailableError without network, EngineError when
        Google refuses or keeps answering without usable audio, UsageError for
        an unknown voice. Safe to call from several threads at once.
        """
        code = _voice_code(voice)
        words = _checked_text(text, self.max_chars)
        if not _speakable(words):
            return Clip(b"", self.sample_rate)
        endpoint = self._reachable_endpoint()
        request = _GoogleRequest(words, code, speed < SLOW_BELOW, endpoint.post_url, self._timeout)
        try:
            pcm = call_with_retries(lambda: self._attempt(request, endpoint, words), self._retry)
        except _GoogleFailure as failure:
            raise failure.error(words) from failure
        return Clip(pcm, self.sample_rate)

    def _attempt(self, request: _GoogleRequest, endpoint: _Endpoint, words: str) -> bytes:
        """One rate-limited request: PCM of plausible length, else a :class:`_GoogleFailure`."""
        self._limiter.wait()
        raise_if_cancelled()  # cancelled while waiting its turn: send nothing
        pcm = _decode_mp3(_fetch(request, endpoint, self._timeout), self.sample_rate)
        _check_length(pcm, words, self.sample_rate)
        return pcm

    def _unreachable(self, endpoint: _Endpoint) -> str | None:
        with self._probe_lock:
            if endpoint.base not in self._probes:
                self._probes[endpoint.base] = _probe(endpoint, self._probe_timeout)
            return self._probes[endpoint.base]

    def _reachable_endpoint(self) -> _Endpoint:
        endpoint = _Endpoint.parse(self.base_url)
        failure = self._unreachable(endpoint)
        if failure is not None:
            raise EngineUnavailableError(
                f"no network connection to Google Translate: {failure}", OFFLINE_HINT
            )
        return endpoint


@dataclass(frozen=True)
class _Endpoint:
    """A parsed endpoint base URL."""

    base: str
    scheme: str
    host: str
    port: int

    @classmethod
    def parse(cls, url: str) -> _Endpoint:
        parts = urllib.parse.urlsplit(url.strip())
        try:
            port = parts.port
        except ValueError:
            port = -1
        if parts.scheme not in ("http", "https") or not parts.hostname or port == -1:
            raise UsageError(
                f"the gtts endpoint {url!r} is not an http(s) base URL",
                f"set {URL_ENV} to something like http://127.0.0.1:8080, or unset it",
            )
        default_port = 443 if parts.scheme == "https" else 80
        return cls(url.strip().rstrip("/"), parts.scheme, parts.hostname, port or default_port)

    @property
    def post_url(self) -> str:
        """The URL requests are posted to."""
        return f"{self.base}/{RPC_PATH}"


def _probe(endpoint: _Endpoint, timeout: float) -> str | None:
    """Connect to the endpoint, or to the proxy gTTS would use; why it failed, or None."""
    proxy = _proxy_address(endpoint.scheme)
    host, port = proxy or (endpoint.host, endpoint.port)
    target = f"{host}:{port}"
    if proxy:
        target = f"proxy {target} for {endpoint.host}"
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return None
    except (OSError, ValueError) as error:  # ValueError: a host name IDNA rejects
        reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
        return f"cannot reach {target} ({reason})"


def _proxy_address(scheme: str) -> tuple[str, int] | None:
    """The proxy gTTS sends ``scheme`` requests through (it reads the same variables)."""
    proxy = urllib.request.getproxies().get(scheme)
    if not proxy:
        return None
    parts = urllib.parse.urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    try:
        port = parts.port
    except ValueError:
        return None
    return (parts.hostname, port or 80) if parts.hostname else None


class _GoogleRequest(gTTS):  # type: ignore[misc]  # gTTS ships no type information
    """A gTTS request for exactly ``text`` (no pre-processing, no splitting) to ``post_url``."""

    def __init__(self, text: str, lang: str, slow: bool, post_url: str, timeout: float) -> None:
        super().__init__(
            text,
            lang=lang,
            slow=slow,
            lang_check=False,
            pre_processor_funcs=[],
            tokenizer_func=_whole,
            timeout=timeout,
        )
        self.post_url = post_url

    def _prepare_requests(self) -> list[Any]:
        prepared: list[Any] = super()._prepare_requests()
        for request in prepared:
            request.prepare_url(self.post_url, None)
        return prepared


def _whole(text: str) -> list[str]:
    """A tokenizer that never splits: the caller already chunked the text."""
    return [text]


class _GoogleFailure(AttemptFailed):
    """One failed attempt at Google, with what to tell the user if it stays failed."""

    def __init__(
        self,
        cause: str,
        hint: str,
        *,
        retryable: bool = True,
        retry_after: float | None = None,
        unavailable: bool = False,
    ) -> None:
        super().__init__(cause, retryable=retryable, retry_after=retry_after)
        self.hint = hint
        self.unavailable = unavailable

    def error(self, words: str) -> EngineError:
        """The one-line error for giving up on ``words``."""
        tries = f" after {self.attempts} attempts" if self.attempts > 1 else ""
        message = f'gtts failed on "{excerpt(words)}": {self.cause}{tries}'
        kind = EngineUnavailableError if self.unavailable else EngineError
        return kind(message, self.hint)


def _fetch(request: _GoogleRequest, endpoint: _Endpoint, timeout: float) -> bytes:
    """Send the request; the MP3 bytes of the answer, else a :class:`_GoogleFailure`."""
    try:
        audio = b"".join(request.stream())
    except gTTSError as error:
        raise _request_failure(error, endpoint, timeout) from error
    except (OSError, ValueError) as error:  # connection lost mid-answer; not UTF-8 or base64
        cause = f"Google sent an unreadable answer ({type(error).__name__})"
        raise _GoogleFailure(cause, _CHANGED_HINT) from error
    if not audio:
        raise _GoogleFailure("Google answered without audio", _CHANGED_HINT)
    return audio


def _request_failure(error: Any, endpoint: _Endpoint, timeout: float) -> _GoogleFailure:
    """Classify a gTTSError: HTTP status, an answer without audio, or a connection failure."""
    response = error.rsp
    if response is None:
        cause = _connection_cause(error.__context__, endpoint, timeout)
        return _GoogleFailure(cause, OFFLINE_HINT, unavailable=True)
    status = int(response.status_code)
    if status == 200:
        return _GoogleFailure("Google answered without audio", _CHANGED_HINT)
    return _GoogleFailure(
        f"HTTP {status} {response.reason}".rstrip(),
        _status_hint(status),
        retryable=status == 429 or status >= 500,
        retry_after=_retry_after(response) if status == 429 else None,
    )


def _connection_cause(cause: BaseException | None, endpoint: _Endpoint, timeout: float) -> str:
    """Why a request got no HTTP answer, in a few words."""
    host = endpoint.host
    if isinstance(cause, requests.exceptions.Timeout):
        return f"no answer from {host} within {timeout:g} s"
    if isinstance(cause, requests.exceptions.ChunkedEncodingError):
        return f"the connection to {host} broke off mid-answer"
    text = str(cause).lower()
    if "refused" in text:
        return f"the connection to {host} was refused"
    if any(word in text for word in ("reset", "aborted", "disconnected", "closed")):
        return f"{host} closed the connection without answering"
    return f"the request to {host} failed ({type(cause).__name__})"


def _status_hint(status: int) -> str:
    """What to do about an HTTP error status."""
    if status >= 500:
        return _SERVER_HINT
    return _STATUS_HINTS.get(status, _OTHER_STATUS_HINT)


def _retry_after(response: Any) -> float | None:
    """A ``Retry-After`` header given in seconds; None when absent or an HTTP date."""
    value = str(response.headers.get("Retry-After", "")).strip()
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def _decode_mp3(data: bytes, sample_rate: int) -> bytes:
    """Decode MP3 bytes to mono s16le PCM at ``sample_rate`` with pydub and ffmpeg."""
    pydub = _pydub()
    pydub.AudioSegment.converter = find_ffmpeg()
    try:
        # codec= makes pydub skip its ffprobe call (imageio-ffmpeg ships no ffprobe).
        segment = pydub.AudioSegment.from_file(io.BytesIO(data), format="mp3", codec="mp3")
    except pydub.exceptions.CouldntDecodeError as error:
        cause = f"Google sent audio that ffmpeg cannot decode ({_last_line(str(error))[:80]})"
        raise _GoogleFailure(cause, _CHANGED_HINT) from error
    except OSError as error:
        raise EncoderError(f"cannot run ffmpeg: {error}", INSTALL_HINT) from error
    mono = segment.set_channels(1).set_sample_width(2).set_frame_rate(sample_rate)
    return bytes(mono.raw_data)


def _check_length(pcm: bytes, words: str, sample_rate: int) -> None:
    """Refuse audio far too short for ``words`` (see :data:`MIN_MS_PER_CHAR`)."""
    seconds = len(pcm) / BYTES_PER_SAMPLE / sample_rate
    if 1000 * seconds < MIN_MS_PER_CHAR * len(words):
        cause = f"Google returned {seconds:.2f} s of audio for {len(words)} characters"
        raise _GoogleFailure(cause, _SHORT_HINT)


@lru_cache(maxsize=1)
def _pydub() -> Any:
    """Import pydub on first use, muting its import-time ffmpeg search warning.

    narrate sets the converter itself (:func:`find_ffmpeg`) right before decoding.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Couldn't find ffmpeg", RuntimeWarning)
        warnings.filterwarnings("ignore", "'audioop' is deprecated", DeprecationWarning)
        import pydub
        import pydub.exceptions
    return pydub


def _last_line(message: str) -> str:
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    return lines[-1] if lines else message


def _checked_text(text: str, max_chars: int) -> str:
    """``text`` without surrounding spaces, refused when it needs more than one request."""
    words = text.strip()
    if len(words) > max_chars:
        raise EngineError(
            f"gtts speaks at most {max_chars} characters per call, got {len(words)}",
            "split the text first (narrate's chunker does)",
        )
    return words


def _speakable(text: str) -> bool:
    """Whether gTTS would send ``text`` at all: it drops pure punctuation and spaces."""
    return any(char not in ALL_PUNC and not char.isspace() for char in text)


@lru_cache(maxsize=1)
def _languages() -> dict[str, str]:
    """gTTS's language codes by their lower-case form (``"fr-ca"`` -> ``"fr-CA"``)."""
    return {str(code).lower(): str(code) for code in tts_langs()}


def _resolve_lang(lang: str) -> str | None:
    """gTTS's code for ``lang``: exact, else via its ISO alias, else its primary subtag."""
    tag = lang.strip().lower().replace("_", "-")
    for candidate in (tag, tag.split("-")[0]):
        code = _languages().get(_ISO_ALIASES.get(candidate, candidate))
        if code is not None:
            return code
    return None


def _voice_code(voice: str) -> str:
    code = _languages().get(voice.strip().lower())
    if code is None:
        raise UsageError(
            f"engine 'gtts' has no voice {voice!r}",
            "gtts voices are language codes such as 'de'; run `narrate voices --engine gtts`",
        )
    return code


def _voice_languages(code: str) -> tuple[str, ...]:
    aliases = [iso for iso, google in _ISO_ALIASES.items() if google == code]
    return (code.lower(), *aliases)
