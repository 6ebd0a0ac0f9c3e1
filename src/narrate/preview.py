"""``narrate script``: show what will be spoken, without making audio."""

from __future__ import annotations

from typing import Any

from narrate.pipeline import prepare_script
from narrate.settings import Settings
from narrate.speech.script import Script

__all__ = ["preview_script", "script_as_text", "script_as_json"]

CHUNK_MARK = " ‖ "
"""Shown between the pieces of a sentence that the engine receives separately."""


def preview_script(source: str, settings: Settings) -> Script:
    """Build the speech script for ``source`` exactly as a narration run would."""
    return prepare_script(source, settings).script


def script_as_text(script: Script) -> str:
    """A readable listing: sections as headings, one utterance a line, pauses marked."""
    lines = [f"# {script.title}  [{script.language}]"]
    section = 0
    for utterance in script.utterances:
        if utterance.section != section:
            section = utterance.section
            lines.append(f"\n## {script.sections[section]}")
        pause = utterance.pause_after.value
        lines.append(f"{CHUNK_MARK.join(utterance.chunks)}  [{pause}]")
    return "\n".join(lines)


def script_as_json(script: Script) -> dict[str, Any]:
    """The script as plain data for machines."""
    return {
        "title": script.title,
        "language": script.language,
        "sections": list(script.sections),
        "utterances": [
            {
                "section": utterance.section,
                "display": utterance.display,
                "chunks": list(utterance.chunks),
                "pause_after": utterance.pause_after.value,
            }
            for utterance in script.utterances
        ],
    }
