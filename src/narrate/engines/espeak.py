"""espeak-ng, in process, through the shared library of the ``espeakng-loader`` wheel.

No system package and no subprocess: the library is opened with :mod:`ctypes` on first
use (never at import) and initialized once per process in synchronous mode, so every
``espeak_Synth`` call returns only when its audio has been handed to our callback.
espeak keeps global state and is not thread-safe, so one lock guards every call into it.

Voice ids are the lower-cased file names of espeak's voices: ``"de"``, ``"en-us"``, and
``"en"`` for British English. A variant may be appended as in espeak's own ``-v`` option
(``"de+f2"`` for a female timbre).
"""

from __future__ import annotations

import ctypes
import importlib.metadata
import math
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from narrate.engines.base import Availability, Clip, Voice
from narrate.errors import EngineError, EngineUnavailableError, UsageError

__all__ = ["EspeakEngine"]

RATE_NORMAL = 175
"""Words per minute at speed 1.0 (espeak's ``espeakRATE_NORMAL``)."""
RATE_MINIMUM = 80
RATE_MAXIMUM = 450

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INITIALIZE_DONT_EXIT = 0x8000  # report a missing data folder instead of exit()
_CHARS_UTF8 = 1
_POS_CHARACTER = 1
_PARAMETER_RATE = 1
_EE_OK = 0
_GENDERS = {1: "male", 2: "female"}
_PREFERRED_VOICES = {"en": "en-us"}
"""Bare language codes whose best voice is not the one espeak ranks first."""
_LIST_HINT = "run `narrate voices --engine espeak` to list them"

_T = TypeVar("_T")


class _EspeakVoiceStruct(ctypes.Structure):
    """``espeak_VOICE`` from ``speak_lib.h``."""

    _fields_ = [
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_void_p),  # (priority byte, NUL-terminated code) pairs
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    ]


# int callback(short *wav, int numsamples, espeak_EVENT *events)
_SynthCallback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p)


@dataclass(frozen=True)
class _VoiceEntry:
    """A listed voice with what espeak needs to select it and rank it for a language."""

    voice: Voice
    identifier: str
    ranked_languages: tuple[tuple[int, str], ...]


class _Library:
    """The opened and initialized espeak-ng library. Callers hold ``_SHARED.lock``."""

    def __init__(self, lib: ctypes.CDLL, sample_rate: int, data_path: str) -> None:
        self._lib = lib
        self.sample_rate = sample_rate
        self._chunks: list[bytes] = []
        self._raised: BaseException | None = None
        self._callback = _SynthCallback(self._collect)  # referenced so it is never collected
        lib.espeak_SetSynthCallback(self._callback)
        self.voices = _list_voices(lib)
        self.variants = _list_variants(data_path)

    def _collect(self, wav: int | None, count: int, events: int | None) -> int:
        # ctypes only prints what a callback raises, so Ctrl-C (KeyboardInterrupt,
        # delivered while espeak calls back into Python) is kept and raised after
        # espeak_Synth returns; returning 1 asks espeak to stop.
        try:
            if wav and count > 0:
                self._chunks.append(ctypes.string_at(wav, count * 2))
        except BaseException as raised:
            self._raised = raised
            return 1
        return 0  # 0 = continue synthesis

    def synthesize(self, text: str, selector: str, rate: int) -> bytes:
        """Speak ``text`` with the voice ``selector`` at ``rate`` words per minute."""
        _check(self._lib.espeak_SetVoiceByName(selector.encode()), f"select voice {selector!r}")
        _check(self._lib.espeak_SetParameter(_PARAMETER_RATE, rate, 0), "set the rate")
        data = text.encode("utf-8", "replace")  # lone surrogates cannot reach C as UTF-8
        self._chunks, self._raised = [], None
        try:
            status = self._lib.espeak_Synth(
                data, len(data) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None
            )
            if self._raised is not None:
                raise self._raised
            _check(status, "synthesize")
            return _little_endian(b"".join(self._chunks))
        finally:
            self._chunks = []


class _Shared:
    """The process-wide library, opened at most once, and the lock around it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.library: _Library | None = None
        self.failure: str | None = None

    def run(self, action: Callable[[_Library], _T]) -> _T:
        """Run ``action`` on the library while holding the lock, opening it if needed."""
        with self.lock:
            if self.library is None and self.failure is None:
                try:
                    self.library = _open_library()
                except EngineUnavailableError as error:
                    self.failure = error.message
            if self.library is None:
                raise EngineUnavailableError(
                    self.failure or "espeak-ng did not load",
                    "reinstall it with `pip install --force-reinstall espeakng-loader`",
                )
            return action(self.library)


_SHARED = _Shared()


class EspeakEngine:
    """Offline, in-process espeak-ng: fast and robotic, speaks over 100 languages.

    ``max_chars`` keeps chunks sentence-sized; espeak itself speaks longer text too.
    """

    name = "espeak"
    max_chars = 500
    sample_rate = 22050

    @property
    def version(self) -> str:
        """The espeak-ng build narrate uses (part of the chunk cache's key)."""
        try:
            return f"espeakng-loader {importlib.metadata.version('espeakng-loader')}"
        except importlib.metadata.PackageNotFoundError:  # pragma: no cover - always installed
            return "espeakng-loader"

    def availability(self) -> Availability:
        """Usable when the espeak-ng library and its data load; never raises."""
        try:
            _SHARED.run(lambda library: library.sample_rate)
        except EngineUnavailableError as error:
            return Availability(False, error.message)
        return Availability(True)

    def voices(self) -> list[Voice]:
        """Every voice espeak lists, ids being what ``--voice`` takes."""
        return [entry.voice for entry in self._entries()]

    def supports(self, lang: str) -> bool:
        """Whether some voice speaks ``lang`` or a variety of it (``"en"`` ~ ``"en-us"``).

        A regional code espeak has no voice for (``"de-at"``) falls back to its base language.
        """
        try:
            entries = self._entries()
        except EngineUnavailableError:
            return False
        return _language_key(lang, entries) is not None

    def default_voice(self, lang: str) -> str:
        """The best voice id for ``lang``, by espeak's own language priorities."""
        entries = self._entries()
        key = _language_key(lang, entries)
        if key is None:
            raise UsageError(f"espeak has no voice for language {lang!r}", _LIST_HINT)
        return _best_voice(entries, key)

    def synthesize(self, text: str, voice: str, lang: str, speed: float) -> Clip:
        """Speak exactly ``text`` with ``voice`` (or ``lang``'s default when empty).

        ``speed`` scales espeak's normal 175 words per minute, clamped to 80..450.
        """
        rate = _rate(speed)
        voice = voice or self.default_voice(lang)

        def speak(library: _Library) -> Clip:
            selector = _selector(library, voice)
            pcm = library.synthesize(text, selector, rate) if text else b""
            return Clip(pcm, library.sample_rate)

        return _SHARED.run(speak)

    def _entries(self) -> tuple[_VoiceEntry, ...]:
        return _SHARED.run(lambda library: library.voices)


def _open_library() -> _Library:
    """Load and initialize espeak-ng; raise EngineUnavailableError saying why not."""
    try:
        import espeakng_loader

        library_path = str(espeakng_loader.get_library_path())
        data_path = str(espeakng_loader.get_data_path())
        lib = ctypes.CDLL(library_path)
    except ImportError:
        raise EngineUnavailableError("the espeakng-loader package is not installed") from None
    except (OSError, RuntimeError) as error:
        raise EngineUnavailableError(f"the espeak-ng library did not load: {error}") from None
    _declare(lib)
    sample_rate = lib.espeak_Initialize(
        _AUDIO_OUTPUT_SYNCHRONOUS, 0, os.fsencode(data_path), _INITIALIZE_DONT_EXIT
    )
    if sample_rate <= 0:
        raise EngineUnavailableError(f"espeak-ng found no usable data in {data_path}")
    return _Library(lib, sample_rate, data_path)


def _declare(lib: ctypes.CDLL) -> None:
    """Give ctypes the C signatures of the functions narrate calls."""
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_Initialize.restype = ctypes.c_int
    lib.espeak_SetSynthCallback.argtypes = [_SynthCallback]
    lib.espeak_SetSynthCallback.restype = None
    lib.espeak_ListVoices.argtypes = [ctypes.c_void_p]
    lib.espeak_ListVoices.restype = ctypes.POINTER(ctypes.POINTER(_EspeakVoiceStruct))
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_SetVoiceByName.restype = ctypes.c_int
    lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    lib.espeak_SetParameter.restype = ctypes.c_int
    lib.espeak_Synth.argtypes = [
        ctypes.c_char_p,  # text
        ctypes.c_size_t,  # size
        ctypes.c_uint,  # position
        ctypes.c_int,  # position_type
        ctypes.c_uint,  # end_position
        ctypes.c_uint,  # flags
        ctypes.c_void_p,  # unique_identifier
        ctypes.c_void_p,  # user_data
    ]
    lib.espeak_Synth.restype = ctypes.c_int


def _list_voices(lib: ctypes.CDLL) -> tuple[_VoiceEntry, ...]:
    """Read espeak's NULL-terminated voice list into entries sorted by id."""
    listed: Any = lib.espeak_ListVoices(None)
    entries = []
    index = 0
    while listed[index]:
        entries.append(_voice_entry(listed[index].contents))
        index += 1
    return tuple(sorted(entries, key=lambda entry: entry.voice.id))


def _voice_entry(struct: _EspeakVoiceStruct) -> _VoiceEntry:
    identifier = _text(struct.identifier)
    ranked = _parse_languages(struct.languages)
    voice = Voice(
        id=identifier.rsplit("/", 1)[-1].lower(),
        name=_text(struct.name).strip(),
        languages=tuple(code for _, code in ranked),
        gender=_GENDERS.get(struct.gender),
    )
    return _VoiceEntry(voice, identifier, ranked)


def _parse_languages(address: int | None) -> tuple[tuple[int, str], ...]:
    """Parse ``languages``: (priority byte, NUL-terminated code) pairs ended by priority 0."""
    pairs = []
    while address:
        priority = ctypes.string_at(address, 1)[0]
        if priority == 0:
            break
        code = ctypes.string_at(address + 1)
        pairs.append((priority, code.decode("utf-8", "replace").lower()))
        address += len(code) + 2
    return tuple(pairs)


def _list_variants(data_path: str) -> dict[str, str]:
    """Variant names (``voices/!v``) by lower-cased name, for ``voice+variant`` ids."""
    try:
        names = os.listdir(os.path.join(data_path, "voices", "!v"))
    except OSError:
        return {}
    return {name.lower(): name for name in names}


def _selector(library: _Library, voice: str) -> str:
    """The name espeak selects ``voice`` by; unknown voices raise UsageError."""
    base, plus, variant = voice.strip().lower().partition("+")
    entry = next((e for e in library.voices if base in (e.voice.id, e.identifier.lower())), None)
    if entry is None:
        raise UsageError(f"espeak has no voice {voice!r}", _LIST_HINT)
    if not plus:
        return entry.identifier
    if variant not in library.variants:
        known = ", ".join(sorted(library.variants)[:8])
        raise UsageError(f"espeak has no voice variant {variant!r}", f"try one of: {known}, ...")
    return f"{entry.identifier}+{library.variants[variant]}"


def _best_voice(entries: tuple[_VoiceEntry, ...], key: str) -> str:
    """Our preferred voice for ``key``, else espeak's highest-priority exact, then regional, one."""
    preferred = _PREFERRED_VOICES.get(key, key)
    if any(entry.voice.id == preferred for entry in entries):
        return preferred
    ranked = [
        (code != key, priority, index, entry.voice.id)
        for index, entry in enumerate(entries)
        for priority, code in entry.ranked_languages
        if _language_matches(code, key)
    ]
    return min(ranked)[3]


def _rate(speed: float) -> int:
    """Words per minute for ``speed``, clamped to what espeak accepts."""
    if not math.isfinite(speed) or speed <= 0:
        raise UsageError(f"speed must be a positive number, not {speed!r}")
    return max(RATE_MINIMUM, min(RATE_MAXIMUM, round(RATE_NORMAL * speed)))


def _language_key(lang: str, entries: tuple[_VoiceEntry, ...]) -> str | None:
    """``lang`` as espeak spells it, or its base language when only that has voices."""
    key = lang.strip().lower().replace("_", "-")
    for candidate in dict.fromkeys((key, key.split("-")[0])):
        if candidate and any(_speaks(entry, candidate) for entry in entries):
            return candidate
    return None


def _language_matches(code: str, key: str) -> bool:
    return code == key or code.startswith(key + "-")


def _speaks(entry: _VoiceEntry, key: str) -> bool:
    return any(_language_matches(code, key) for code in entry.voice.languages)


def _check(status: int, action: str) -> None:
    if status != _EE_OK:
        raise EngineError(f"espeak failed to {action} (error code {status})")


def _text(value: bytes | None) -> str:
    return (value or b"").decode("utf-8", "replace")


def _little_endian(pcm: bytes) -> bytes:
    """espeak writes native-endian samples; a Clip holds little-endian ones."""
    if sys.byteorder == "little":
        return pcm
    import array

    samples = array.array("h", pcm)
    samples.byteswap()
    return samples.tobytes()
