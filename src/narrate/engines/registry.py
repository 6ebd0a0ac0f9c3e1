"""Engine registry: built-in and third-party engines come through entry points.

Built-in engines register in ``pyproject.toml`` under the ``narrate.engines``
entry-point group exactly as a plugin would, so the plugin path is always the
one in use.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import entry_points

from narrate.engines.base import Availability, Engine, Voice, described
from narrate.errors import EngineError, EngineUnavailableError, NarrateError, UsageError

__all__ = [
    "ENTRY_POINT_GROUP",
    "AUTO_PREFERENCE",
    "EngineFactory",
    "EngineRegistry",
    "EngineChoice",
    "check_engine_name",
    "default_registry",
    "listed_voice",
    "voice_languages",
]

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "narrate.engines"
AUTO_PREFERENCE = ("piper", "gtts", "espeak")
"""Order in which ``--engine auto`` tries engines; unlisted engines come last."""

EngineFactory = Callable[[], Engine]


@dataclass(frozen=True)
class EngineChoice:
    """The engine a run uses and why ``auto`` chose it (empty when named)."""

    engine: Engine
    reason: str = ""


class EngineRegistry:
    """Maps engine names to factories and creates engines on demand."""

    def __init__(self, factories: dict[str, EngineFactory] | None = None) -> None:
        self._factories: dict[str, EngineFactory] = dict(factories or {})
        self._engines: dict[str, Engine] = {}

    @classmethod
    def from_entry_points(cls) -> EngineRegistry:
        """Build a registry from every installed ``narrate.engines`` entry point."""
        factories: dict[str, EngineFactory] = {}
        for entry_point in entry_points(group=ENTRY_POINT_GROUP):
            factories.setdefault(entry_point.name, _lazy(entry_point.load))
        return cls(factories)

    def register(self, name: str, factory: EngineFactory) -> None:
        """Add (or replace) an engine under ``name``."""
        self._factories[name] = factory
        self._engines.pop(name, None)

    def unregister(self, name: str) -> None:
        """Remove the engine called ``name`` (a no-op when it is not registered)."""
        self._factories.pop(name, None)
        self._engines.pop(name, None)

    def names(self) -> list[str]:
        """Registered engine names, in ``auto`` preference order."""
        return sorted(self._factories, key=_preference_rank)

    def create(self, name: str) -> Engine:
        """Return the engine called ``name``; unknown names list the valid ones."""
        if name not in self._factories:
            valid = ", ".join(self.names()) or "none installed"
            raise UsageError(f"unknown engine {name!r}", f"choose one of: auto, {valid}")
        if name not in self._engines:
            self._engines[name] = self._load(name)
        return self._engines[name]

    def _load(self, name: str) -> Engine:
        """Create engine ``name``; a plugin that raises anything, or whose ``max_chars``
        or ``sample_rate`` is not a positive whole number, is an :class:`EngineError`."""
        try:
            engine = self._factories[name]()
        except NarrateError:
            raise
        except Exception as error:  # a plugin's import or constructor may raise anything
            raise EngineError(f"engine {name!r} failed to load: {described(error)}") from error
        for field in ("max_chars", "sample_rate"):
            value = getattr(engine, field, None)
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise EngineError(
                    f"engine {name!r} failed to load: its {field} is {value!r}, "
                    "not a positive whole number"
                )
        return engine

    def status(self, name: str) -> Availability:
        """Whether engine ``name`` can run here, never raising."""
        try:
            return self.create(name).availability()
        except NarrateError as error:  # a broken plugin must not break `narrate engines`
            return Availability(False, error.message)
        except Exception as error:
            return Availability(False, f"availability check failed: {described(error)}")

    def choose(self, name: str, lang: str, voice: str | None = None) -> EngineChoice:
        """Resolve ``name`` (or ``"auto"``) to a usable engine for ``lang``.

        A ``voice`` the engine can describe itself (a Piper model file, say) makes
        the engine usable on its own, whatever its voices folder holds; with
        ``"auto"`` the first engine that knows the voice is taken.
        """
        if name != "auto":
            return EngineChoice(self._usable(name, lang, voice))
        if voice:
            for candidate in self.names():
                if self._knows_voice(candidate, voice):
                    return EngineChoice(
                        self._usable(candidate, lang, voice), f"auto picked {candidate} for {voice}"
                    )
        return self._auto(lang)

    def _knows_voice(self, name: str, voice: str) -> bool:
        """Whether engine ``name`` loads and has ``voice`` (never raising)."""
        try:
            engine = self.create(name)
            if voice_languages(engine, voice) is not None:
                return True
            return self.status(name).usable and _lists_voice(engine, voice)
        except Exception:  # a broken plugin or a bad path is not this engine's voice
            return False

    def _usable(self, name: str, lang: str, voice: str | None = None) -> Engine:
        """Engine ``name`` if it can run here and speak ``lang`` (or the ``voice`` asked for).

        A voice asked for decides: whether it suits the article's language is the
        user's call (the pipeline warns). A plugin that raises is an :class:`EngineError`.
        """
        engine = self.create(name)
        if voice and voice_languages(engine, voice) is not None:
            return engine
        availability = self.status(name)
        if not availability.usable:
            raise EngineUnavailableError(
                f"engine {name!r} cannot run here: {availability.reason}",
                self._alternatives(name, lang),
            )
        if voice and _plugin_call(name, _lists_voice, engine, voice):
            return engine
        if not _plugin_call(name, _supports, engine, lang):
            raise UsageError(
                f"engine {name!r} does not speak language {lang!r}", _language_hint(engine, lang)
            )
        return engine

    def _speaks(self, name: str, lang: str) -> bool:
        """Whether engine ``name`` speaks ``lang``; a plugin that raises does not."""
        try:
            return bool(self.create(name).supports(lang))
        except Exception:
            return False

    def _not_ready(self, name: str, lang: str) -> str | None:
        """Why engine ``name`` cannot speak ``lang`` after all (its voice does not load,
        say), or ``None``. Engines with a ``prepare(lang)`` hook load what it needs now
        (Piper: the voice, kept for the run), so ``auto`` can go on to the next engine."""
        try:
            prepare = getattr(self.create(name), "prepare", None)
            if prepare is not None:
                prepare(lang)
        except NarrateError as error:
            return " ".join(error.message.split())  # one line in the reason
        except Exception as error:
            return f"could not get ready: {described(error)}"
        return None

    def _alternatives(self, unusable: str, lang: str) -> str:
        usable = [
            name
            for name in self.names()
            if name != unusable and self.status(name).usable and self._speaks(name, lang)
        ]
        if not usable:
            return "run `narrate engines` to see why no engine works"
        return (
            f"use --engine {usable[0]}, which works here (offline engines: see `narrate engines`)"
        )

    def _auto(self, lang: str) -> EngineChoice:
        """The first usable engine that speaks ``lang`` and gets ready for it (``prepare``).

        When none does, an engine that would speak it but cannot run here (gTTS
        offline) makes it a run failure (:class:`EngineError`, exit 1); when no
        installed engine speaks the language at all it is a usage error (exit 2).
        """
        skipped: list[str] = []
        unavailable: list[str] = []
        for name in self.names():
            availability = self.status(name)
            if not availability.usable:
                skipped.append(f"{name}: {availability.reason}")
                unavailable.append(name)
                continue
            if not self._speaks(name, lang):
                skipped.append(f"{name}: does not speak {lang!r}")
                continue
            problem = self._not_ready(name, lang)
            if problem is None:
                return EngineChoice(self.create(name), _auto_reason(name, skipped))
            skipped.append(f"{name}: {problem}")
            unavailable.append(name)
        if any(self._speaks(name, lang) for name in unavailable):
            raise EngineError(f"no usable engine speaks {lang!r}", "; ".join(skipped) or None)
        raise UsageError(
            f"no installed engine speaks {lang!r}",
            "`narrate voices --lang CODE` lists the voices for a language",
        )


def listed_voice(engine: Engine, voice: str) -> Voice | None:
    """The engine's voice called ``voice``, ignoring case; ``None`` if it has none."""
    wanted = voice.casefold()
    return next((entry for entry in engine.voices() if entry.id.casefold() == wanted), None)


def _lists_voice(engine: Engine, voice: str) -> bool:
    return listed_voice(engine, voice) is not None


def _supports(engine: Engine, lang: str) -> bool:
    return bool(engine.supports(lang))


def _plugin_call(name: str, call: Callable[..., bool], *args: object) -> bool:
    """``call(*args)``; anything an engine raises in it becomes an :class:`EngineError`."""
    try:
        return call(*args)
    except NarrateError:
        raise
    except Exception as error:
        raise EngineError(f"engine {name!r} failed: {described(error)}") from error


def voice_languages(engine: Engine, voice: str) -> tuple[str, ...] | None:
    """The languages of ``voice`` when ``engine`` can tell from the voice alone.

    An optional engine hook (``voice_languages``): Piper reads them from a model's
    config, so a voice given as a path needs nothing installed. ``None`` when the
    engine has no such hook or does not know the voice; a hook may raise
    :class:`UsageError` for a voice that cannot be right (a missing model file).
    """
    hook = getattr(engine, "voice_languages", None)
    if not callable(hook):
        return None
    languages = hook(voice)
    return None if languages is None else tuple(str(code) for code in languages)


def _language_hint(engine: Engine, lang: str) -> str | None:
    """The engine's own advice for a language it cannot speak yet (Piper: a voice to get)."""
    hint = getattr(engine, "language_hint", None)
    return str(hint(lang)) if callable(hint) else None


def _auto_reason(name: str, skipped: Iterable[str]) -> str:
    passed = "; ".join(skipped)
    return f"auto picked {name}" + (f" ({passed})" if passed else "")


def _preference_rank(name: str) -> tuple[int, str]:
    if name in AUTO_PREFERENCE:
        return AUTO_PREFERENCE.index(name), name
    return len(AUTO_PREFERENCE), name


def _lazy(load: Callable[[], object]) -> EngineFactory:
    def factory() -> Engine:
        engine_class = load()
        if not callable(engine_class):
            raise EngineError(f"engine entry point {engine_class!r} is not callable")
        engine = engine_class()
        if not isinstance(engine, Engine):
            raise EngineError(f"{engine_class!r} does not implement the narrate Engine contract")
        return engine

    return factory


@lru_cache(maxsize=1)
def default_registry() -> EngineRegistry:
    """The process-wide registry built from installed entry points."""
    return EngineRegistry.from_entry_points()


def check_engine_name(name: str, registry: EngineRegistry | None = None) -> None:
    """Refuse an engine name that is neither ``auto`` nor installed (:class:`UsageError`)."""
    if name != "auto":
        (registry or default_registry()).create(name)
