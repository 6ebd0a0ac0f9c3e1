"""narrate: turn written articles into narrated, chaptered audio.

The library's entry point is :func:`narrate`::

    from narrate import narrate
    result = narrate("artikel.txt", engine="espeak")
    print(result.output, result.duration_ms, [c.title for c in result.chapters])

and :func:`narrate_batch` narrates folders the way ``narrate FOLDER -o OUT`` does.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("narrate-articles")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

from typing import TYPE_CHECKING, Any  # noqa: E402

from narrate.errors import NarrateError  # noqa: E402
from narrate.settings import AudioSettings, Pauses, Settings, TagSettings  # noqa: E402

if TYPE_CHECKING:
    from narrate.batch.orchestrate import BatchReport, narrate_batch
    from narrate.pipeline import Narration, narrate

_LAZY = {
    "narrate": "narrate.pipeline",
    "Narration": "narrate.pipeline",
    "narrate_batch": "narrate.batch.orchestrate",
    "BatchReport": "narrate.batch.orchestrate",
}
"""Exports imported on first use: a CLI command that never narrates starts fast."""


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'narrate' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


__all__ = [
    "__version__",
    "narrate",
    "Narration",
    "narrate_batch",
    "BatchReport",
    "NarrateError",
    "Settings",
    "Pauses",
    "AudioSettings",
    "TagSettings",
]
