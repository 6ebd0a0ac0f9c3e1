"""Piper: offline neural voices, run in process through the ``piper-tts`` package.

A voice is a pair of files in the voices folder, ``NAME.onnx`` (the model) and
``NAME.onnx.json`` (its config: sample rate, espeak phonemizer voice, language).
The folder is ``$NARRATE_VOICES`` or, when that is unset, ``voices`` in narrate's
user data folder. ``--voice`` takes a voice NAME from that folder or the path of an
``.onnx`` file anywhere.

``piper-tts`` is an optional extra (``pip install 'narrate-articles[piper]'``) and is
imported only when a voice is loaded or its version is asked for, so narrate runs
without it. The folder is read on every call: installing or removing a voice needs no
restart.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import math
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir

from narrate.audio.cores import budget
from narrate.engines.base import Availability, Clip, Voice
from narrate.errors import EngineError, EngineUnavailableError, UsageError

__all__ = ["PiperEngine", "voices_folder", "VOICES_ENV"]

VOICES_ENV = "NARRATE_VOICES"
"""Environment variable naming the voices folder."""
MODEL_SUFFIX = ".onnx"
CONFIG_SUFFIX = ".onnx.json"
SUGGESTED_VOICE = "de_DE-thorsten-medium"
SUGGESTED_VOICES = {
    "de": SUGGESTED_VOICE,
    "en": "en_US-lessac-medium",
    "es": "es_ES-davefx-medium",
    "fr": "fr_FR-siwis-medium",
    "it": "it_IT-paola-medium",
    "nl": "nl_NL-mls-medium",
}
"""A published medium-quality voice per language, for hints (see VOICES.md of Piper)."""
INSTALL_HINT = "install the extra: pip install 'narrate-articles[piper]'"
_LIST_HINT = "run `narrate voices --engine piper` to list the installed voices"
_QUALITY_RANK = {"medium": 0, "high": 1, "low": 2, "x_low": 3}
"""Preferred voice qualities, best trade-off of sound and speed first."""


def _voice_hint(lang: str) -> str:
    """How to get a voice for ``lang``: a voice to download when we know one."""
    suggested = SUGGESTED_VOICES.get(lang.split("-")[0].lower())
    if suggested is None:
        return f"{_LIST_HINT}; Piper's voices: https://huggingface.co/rhasspy/piper-voices"
    return f"narrate voices download {suggested}, or {_LIST_HINT}"


def voices_folder() -> Path:
    """Where Piper voices are installed: ``$NARRATE_VOICES``, else the user data folder."""
    configured = os.environ.get(VOICES_ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    return Path(user_data_dir("narrate")) / "voices"


@dataclass(frozen=True)
class _InstalledVoice:
    """A voice's model file with what its config says about it."""

    voice: Voice
    model: Path
    quality: str
    sample_rate: int


class _VoiceCache:
    """Loaded ``PiperVoice`` objects by model path, reloaded when the files change."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded: dict[tuple[Path, int | None], tuple[tuple[int, int, int, int], Any]] = {}

    def get(self, model: Path) -> Any:
        """The loaded voice for ``model``; loads it once per process (per file change).

        Loaded apart per core budget (see :func:`_load`).
        """
        stamp = _stamp(model)
        key = (model, budget())
        with self._lock:
            cached = self._loaded.get(key)
            if cached is not None and cached[0] == stamp:
                return cached[1]
            voice = _load(model)
            self._loaded[key] = (stamp, voice)
            return voice


_VOICES = _VoiceCache()


class PiperEngine:
    """Offline neural speech with Piper voices; natural, fast on a CPU, one language per voice.

    ``sample_rate`` is that of most voices ("medium" and "high"); a clip carries its own
    voice's rate, which narrate resamples.
    """

    name = "piper"
    max_chars = 400
    sample_rate = 22050

    @property
    def version(self) -> str:
        """piper-tts's version (part of the cache key, with :meth:`voice_identity`)."""
        try:
            package = importlib.metadata.version("piper-tts")
        except importlib.metadata.PackageNotFoundError:
            package = "not installed"
        return f"piper-tts {package}"

    def voice_identity(self, voice: str) -> str:
        """What the chunk cache keys a voice by: the contents of its model and config.

        Editing a voice's config or replacing its model never reuses audio made
        with the old one, installing other voices never invalidates it, and the
        same voice under another path or name shares its chunks.
        """
        return _content_digest(_model_path(voice))

    def voice_languages(self, voice: str) -> tuple[str, ...] | None:
        """The languages of an installed voice or a model path (a registry hook).

        ``None`` when piper-tts is missing (the engine is not usable) or ``voice``
        is neither; a path to a missing model raises :class:`UsageError`.
        """
        if importlib.util.find_spec("piper") is None:
            return None
        if _looks_like_path(voice):
            described = _describe(_model_path(voice))
            return described.voice.languages if described is not None else None
        for entry in _installed(voices_folder()):
            if entry.voice.id.casefold() == voice.casefold():
                return entry.voice.languages
        return None

    def availability(self) -> Availability:
        """Usable when piper-tts is installed and the voices folder holds a voice."""
        if importlib.util.find_spec("piper") is None:
            return Availability(False, f"piper-tts is not installed ({INSTALL_HINT})")
        folder = voices_folder()
        if not _installed(folder):
            return Availability(
                False, f"no Piper voices in {folder}: narrate voices download {SUGGESTED_VOICE}"
            )
        return Availability(True)

    def voices(self) -> list[Voice]:
        """The voices installed in the voices folder, sorted by id."""
        return [entry.voice for entry in _installed(voices_folder())]

    def supports(self, lang: str) -> bool:
        """Whether an installed voice speaks ``lang`` (``"de-at"`` falls back to ``"de"``)."""
        return bool(_speakers(_installed(voices_folder()), lang))

    def default_voice(self, lang: str) -> str:
        """An installed voice for ``lang``: exact region first, then quality, then name."""
        speakers = _speakers(_installed(voices_folder()), lang)
        if not speakers:
            raise UsageError(
                f"no Piper voice for language {lang!r} in {voices_folder()}", _voice_hint(lang)
            )
        return speakers[0].voice.id

    def language_hint(self, lang: str) -> str:
        """How to get a voice for ``lang`` (a hook like :meth:`accepts_voice`)."""
        return _voice_hint(lang)

    def accepts_voice(self, voice: str) -> bool:
        """Whether ``--voice`` names an installed voice or an existing ``.onnx`` model path.

        Not part of the engine contract: a hook for callers that check voices before
        synthesizing, since model paths never appear in :meth:`voices`.
        """
        try:
            _model_path(voice)
        except UsageError:
            return False
        return True

    def prepare(self, lang: str) -> None:
        """Load the voice ``lang`` would be spoken with; :class:`EngineError` if it does not
        load (a corrupt download), so ``--engine auto`` takes the next engine instead."""
        _VOICES.get(_model_path(self.default_voice(lang)))

    def synthesize(self, text: str, voice: str, lang: str, speed: float) -> Clip:
        """Speak ``text`` with ``voice`` (a name, a model path, or empty for the default).

        ``speed`` divides the voice's own length scale: 2.0 speaks twice as fast.
        """
        length_scale_factor = 1.0 / _checked_speed(speed)
        model = _model_path(voice or self.default_voice(lang))
        loaded = _VOICES.get(model)
        if not text.strip():
            return Clip(b"", int(loaded.config.sample_rate))
        return _speak(loaded, text, length_scale_factor)


def _load(model: Path) -> Any:
    """Load a Piper voice; raise EngineUnavailableError or EngineError saying why not.

    Within a core budget (a batch worker, :mod:`narrate.audio.cores`) the voice
    computes on that many threads; elsewhere onnxruntime uses a thread per core.
    """
    try:
        from piper import PiperVoice
    except ImportError:
        raise EngineUnavailableError("piper-tts is not installed", INSTALL_HINT) from None
    try:
        voice = PiperVoice.load(model, config_path=_config_path(model))
        if (threads := budget()) is not None:
            voice.session = _session(model, threads)
    except Exception as error:  # onnxruntime and json raise many kinds
        raise EngineError(f"the Piper voice {model} did not load: {error}") from error
    return voice


def _session(model: Path, threads: int) -> Any:
    """An onnxruntime session for ``model`` that computes on ``threads`` threads.

    By default each session starts a thread per core, so ``--jobs N`` workers would
    run N times as many busy threads as there are cores, spinning against each other.
    """
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    return onnxruntime.InferenceSession(
        str(model), sess_options=options, providers=["CPUExecutionProvider"]
    )


def _quiet_piper_logs() -> None:
    """Piper warns about every phoneme its voice lacks ("Missing phoneme from id map");
    those lines reach stderr only with ``-v`` (narrate's logger at INFO or finer)."""
    verbose = logging.getLogger("narrate").isEnabledFor(logging.INFO)
    logging.getLogger("piper").setLevel(logging.WARNING if verbose else logging.ERROR)


def _speak(loaded: Any, text: str, length_scale_factor: float) -> Clip:
    """Run Piper on ``text`` and join its per-sentence chunks into one clip."""
    from piper import SynthesisConfig

    _quiet_piper_logs()
    config = SynthesisConfig(length_scale=float(loaded.config.length_scale) * length_scale_factor)
    sample_rate = int(loaded.config.sample_rate)
    parts: list[bytes] = []
    try:
        for chunk in loaded.synthesize(text, syn_config=config):
            if int(chunk.sample_rate) != sample_rate:  # pragma: no cover - piper never does
                raise EngineError(f"Piper switched sample rate mid-text to {chunk.sample_rate}")
            parts.append(_little_endian(chunk.audio_int16_array))
    except EngineError:
        raise
    except Exception as error:
        raise EngineError(f"Piper failed to synthesize: {error}") from error
    return Clip(b"".join(parts), sample_rate)


def _little_endian(samples: Any) -> bytes:
    """int16 samples as little-endian bytes, whatever the machine's byte order."""
    return bytes(samples.astype("<i2").tobytes())


def _model_path(voice: str) -> Path:
    """The model file ``voice`` names: a path to an ``.onnx`` file or an installed name."""
    candidate = Path(voice).expanduser()
    if _looks_like_path(voice):
        if not candidate.is_file():
            raise UsageError(f"no Piper voice model at {candidate}")
        if not _config_path(candidate).is_file():
            raise UsageError(
                f"the Piper voice {candidate} has no config",
                f"put {candidate.name}.json next to it",
            )
        return candidate.resolve()
    folder = voices_folder()
    for entry in _installed(folder):
        if entry.voice.id.casefold() == voice.casefold():
            return entry.model.resolve()
    raise UsageError(f"unknown voice {voice!r}: no such Piper voice in {folder}", _LIST_HINT)


def _looks_like_path(voice: str) -> bool:
    """Whether ``--voice`` names a model file rather than an installed voice."""
    return voice.endswith(MODEL_SUFFIX) or os.sep in voice or "/" in voice


def _config_path(model: Path) -> Path:
    return model.with_name(model.name + ".json")


def _installed(folder: Path) -> list[_InstalledVoice]:
    """Every readable voice in ``folder``, sorted by id; broken configs are skipped."""
    try:
        models = sorted(folder.glob(f"*{MODEL_SUFFIX}"))
    except OSError:
        return []
    entries = []
    for model in models:
        entry = _describe(model)
        if entry is not None:
            entries.append(entry)
    return entries


def _describe(model: Path) -> _InstalledVoice | None:
    """Read the voice's config; ``None`` when it is missing or unreadable."""
    try:
        config = json.loads(_config_path(model).read_text("utf-8"))
        sample_rate = int(config["audio"]["sample_rate"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    name = model.name[: -len(MODEL_SUFFIX)]
    quality = str(config.get("audio", {}).get("quality") or name.rsplit("-", 1)[-1])
    voice = Voice(id=name, name=_display_name(name, config), languages=_languages(config))
    return _InstalledVoice(voice, model, quality, sample_rate)


def _languages(config: dict[str, Any]) -> tuple[str, ...]:
    """Lower-case codes, regional first: ``language.code`` ``de_DE`` gives ``de-de``, ``de``."""
    language = config.get("language")
    code = language.get("code") if isinstance(language, dict) else None
    if not code:
        code = (config.get("espeak") or {}).get("voice") or ""
    key = str(code).strip().lower().replace("_", "-")
    return tuple(dict.fromkeys(part for part in (key, key.split("-")[0]) if part))


def _display_name(name: str, config: dict[str, Any]) -> str:
    """``de_DE-thorsten-medium`` reads as ``thorsten (de_DE, medium)``."""
    parts = name.split("-")
    if len(parts) >= 3:
        return f"{'-'.join(parts[1:-1])} ({parts[0]}, {parts[-1]})"
    return str(config.get("dataset") or name)


def _speakers(entries: list[_InstalledVoice], lang: str) -> list[_InstalledVoice]:
    """Voices for ``lang``, best first: exact region, then quality rank, then id."""
    key = lang.strip().lower().replace("_", "-")
    base = key.split("-")[0]
    matching = [entry for entry in entries if base and base in entry.voice.languages]

    def rank(entry: _InstalledVoice) -> tuple[bool, int, str]:
        exact = key in entry.voice.languages
        return (not exact, _QUALITY_RANK.get(entry.quality, len(_QUALITY_RANK)), entry.voice.id)

    return sorted(matching, key=rank)


def _checked_speed(speed: float) -> float:
    if not math.isfinite(speed) or speed <= 0:
        raise UsageError(f"speed must be a positive number, not {speed!r}")
    return speed


def _stamp(model: Path) -> tuple[int, int, int, int]:
    """Size and modification time of a model and its config: changes mean reload."""
    try:
        stats = model.stat(), _config_path(model).stat()
    except OSError as error:
        raise UsageError(f"cannot read the Piper voice {model}: {error.strerror}") from None
    return stats[0].st_size, stats[0].st_mtime_ns, stats[1].st_size, stats[1].st_mtime_ns


def _content_digest(model: Path) -> str:
    """A digest of a voice's model and config files, computed once per file change."""
    return _digest_of(model, _stamp(model))


@functools.lru_cache(maxsize=32)
def _digest_of(model: Path, stamp: tuple[int, int, int, int]) -> str:
    """``stamp`` (sizes and times) keys the memo; the digest is of the contents."""
    digest = hashlib.blake2b(digest_size=16)
    for path in (model, _config_path(model)):
        try:
            with path.open("rb") as data:
                while block := data.read(1 << 20):
                    digest.update(block)
        except OSError as error:
            raise UsageError(f"cannot read the Piper voice {path}: {error.strerror}") from None
    return digest.hexdigest()
