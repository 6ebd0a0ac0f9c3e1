"""Timing writers: WebVTT captions and JSON timings, both read off the timeline."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from narrate.audio.timeline import Timeline
from narrate.clock import timestamp

__all__ = [
    "NarrationInfo",
    "to_webvtt",
    "to_json",
    "WRITERS",
    "written_by_narrate",
]

_VTT_NOTE = "NOTE narrate:"
_JSON_KEYS = frozenset({"title", "language", "engine", "voice", "chapters", "sentences"})


@dataclass(frozen=True)
class NarrationInfo:
    """What the timing files say about the narration besides the times."""

    title: str
    language: str
    engine: str
    voice: str


def to_webvtt(timeline: Timeline, info: NarrationInfo) -> str:
    """One cue per utterance with its original (display) text."""
    note = f"{_VTT_NOTE} {_vtt_safe(info.title)} ({info.language}, {info.engine})"
    blocks = ["WEBVTT", note]
    for cue in timeline.utterances:
        timing = f"{timestamp(cue.start_ms)} --> {timestamp(cue.end_ms)}"
        blocks.append(f"{cue.index + 1}\n{timing}\n{_vtt_safe(cue.display)}")
    return "\n\n".join(blocks) + "\n"


def to_json(timeline: Timeline, info: NarrationInfo) -> str:
    """Title, language, engine, voice, duration, chapters and every sentence's times."""
    document: dict[str, Any] = {
        "title": info.title,
        "language": info.language,
        "engine": info.engine,
        "voice": info.voice,
        "duration_ms": timeline.duration_ms,
        "chapters": [
            {"title": chapter.title, "start_ms": chapter.start_ms, "end_ms": chapter.end_ms}
            for chapter in timeline.chapters
        ],
        "sentences": [
            {
                "index": cue.index,
                "section": cue.section,
                "text": cue.display,
                "spoken": cue.spoken,
                "start_ms": cue.start_ms,
                "end_ms": cue.end_ms,
            }
            for cue in timeline.utterances
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _vtt_safe(text: str) -> str:
    """Escape what WebVTT cue text reserves and keep the cue on one block."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("-->", "--&gt;").replace("\n", " ")


WRITERS: dict[str, Callable[[Timeline, NarrationInfo], str]] = {
    "vtt": to_webvtt,
    "json": to_json,
}
"""Timing formats by file extension."""


def written_by_narrate(path: Path) -> bool:
    """Whether the timing file ``path`` (``.vtt`` or ``.json``) is one narrate wrote.

    Only those are replaced by the next run; anyone else's file of the same name stays.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if path.suffix == ".vtt":
        return text.startswith(f"WEBVTT\n\n{_VTT_NOTE} ")
    try:
        document = json.loads(text)
    except ValueError:
        return False
    return isinstance(document, dict) and _JSON_KEYS <= document.keys()
