"""The config file: defaults for options a user sets once (artist, pauses, patterns).

TOML, looked up at ``--config FILE``, else ``$NARRATE_CONFIG``, else
``<user config dir>/narrate/config.toml``. Command-line options win over it.

Example::

    engine = "espeak"
    artist = "Redaktion Musterstadt"
    publisher = "Musterstädter Anzeiger"
    bitrate = "96k"
    lexicon = "aussprache.toml"   # or a list; relative to this file
    voices_dir = "voices"         # Piper voices; relative to this file

    [pauses]
    section_ms = 2000

    [boilerplate]
    patterns = ["^Mehr aus der Region.*$"]
"""

from __future__ import annotations

import os
import sys
from dataclasses import fields
from pathlib import Path
from typing import Any

from platformdirs import user_config_dir

from narrate.errors import UsageError
from narrate.settings import Pauses

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = ["Config", "default_config_path", "load_config"]

Config = dict[str, Any]
"""Flat option values by CLI option name (``artist``, ``section_ms``, ``patterns``...)."""

_TOP_LEVEL = {
    "engine": str,
    "voice": str,
    "lang": str,
    "speed": float,
    "bitrate": str,
    "loudness": float,
    "normalize": bool,
    "artist": str,
    "publisher": str,
    "keep_boilerplate": bool,
    "cache": bool,
    "cache_max_mb": int,
    "concurrency": int,
}
_FOLDER_KEYS = ("cache_dir", "voices_dir")
"""Folders, relative to the config file's folder."""
_PAUSE_KEYS = {field.name for field in fields(Pauses)}


def default_config_path() -> Path:
    """Where the config file is looked for when none is named."""
    from_environment = os.environ.get("NARRATE_CONFIG")
    if from_environment:
        return Path(from_environment)
    return Path(user_config_dir("narrate")) / "config.toml"


def load_config(path: Path | None) -> Config:
    """Read and check the config file; a missing default file is an empty config."""
    explicit = path is not None
    location = path if path is not None else default_config_path()
    if not location.is_file():
        if explicit:
            raise UsageError(f"config file not found: {location}")
        return {}
    try:
        document = tomllib.loads(location.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise UsageError(f"bad config file {location}: {error}") from error
    return _flatten(document, location)


def _flatten(document: dict[str, Any], location: Path) -> Config:
    config: Config = {}
    for key, value in document.items():
        if key == "pauses":
            config.update(_section(value, _PAUSE_KEYS, int, location, key))
        elif key == "boilerplate":
            config["patterns"] = _patterns(value, location)
        elif key == "lexicon":
            config["lexicons"] = _lexicons(value, location)
        elif key in _FOLDER_KEYS:
            folder = _typed(value, str, location, key)
            config[key] = location.parent / Path(folder).expanduser()
        elif key in _TOP_LEVEL:
            config[key] = _typed(value, _TOP_LEVEL[key], location, key)
        else:
            known = ", ".join(
                sorted([*_TOP_LEVEL, *_FOLDER_KEYS, "pauses", "boilerplate", "lexicon"])
            )
            raise UsageError(f"unknown key {key!r} in config file {location}", f"known: {known}")
    return config


def _section(
    table: object, keys: set[str], kind: type, location: Path, name: str
) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise UsageError(f"[{name}] in config file {location} must be a table")
    unknown = set(table) - keys
    if unknown:
        raise UsageError(
            f"unknown key(s) {', '.join(sorted(unknown))} in [{name}] of {location}",
            f"known: {', '.join(sorted(keys))}",
        )
    return {key: _typed(value, kind, location, f"{name}.{key}") for key, value in table.items()}


def _patterns(table: object, location: Path) -> tuple[str, ...]:
    patterns = _section(table, {"patterns"}, list, location, "boilerplate").get("patterns", [])
    if not all(isinstance(pattern, str) for pattern in patterns):
        raise UsageError(f"boilerplate.patterns in {location} must be a list of strings")
    return tuple(patterns)


def _lexicons(value: object, location: Path) -> tuple[Path, ...]:
    """Lexicon paths, relative to the config file's folder."""
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise UsageError(f"lexicon in config file {location} must be a path or a list of paths")
    return tuple(location.parent / Path(name).expanduser() for name in names)


def _typed(value: object, kind: type, location: Path, key: str) -> Any:
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise UsageError(f"{key} in config file {location} must be {kind.__name__}, not {value!r}")
    return value
