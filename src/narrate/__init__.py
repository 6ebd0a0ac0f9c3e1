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

from narrate.batch.orchestrate import BatchReport, narrate_batch  # noqa: E402
from narrate.errors import NarrateError  # noqa: E402
from narrate.pipeline import Narration, narrate  # noqa: E402
from narrate.settings import AudioSettings, Pauses, Settings, TagSettings  # noqa: E402

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
