"""``narrate script``: show exactly what will be spoken, without making audio.

The text listing is for editors checking pronunciation before publishing: one
block per utterance with the spoken text (chunk boundaries marked ``‖``), the
written text underneath when normalization or the lexicon changed it, and the
pause that follows. ``--json`` gives the same as data.
"""

from __future__ import annotations

from typing import Any

from narrate.pipeline import PreparedScript, prepare_script
from narrate.settings import Settings
from narrate.speech.script import Utterance
from narrate.wording import counted

__all__ = ["CHUNK_MARK", "preview_script", "script_as_text", "script_as_json"]

CHUNK_MARK = " ‖ "
"""Shown between the pieces of a sentence that the engine receives separately."""

_WRITTEN = "    written: "


def preview_script(source: str, settings: Settings) -> PreparedScript:
    """Build the speech script for ``source`` exactly as a narration run would."""
    return prepare_script(source, settings)


def script_as_text(prepared: PreparedScript, settings: Settings) -> str:
    """A readable listing: sections as headings, one utterance a line, pauses marked."""
    script, engine = prepared.script, prepared.choice.engine
    lines = [
        f"# {script.title}",
        f"language {prepared.language.describe()} · engine {engine.name} (chunks of at most "
        f"{engine.max_chars} characters) · {counted(len(script.utterances), 'utterance')}",
        "",
    ]
    section = 0
    for utterance in script.utterances:
        if utterance.section != section:
            section = utterance.section
            lines.append(f"\n## {script.sections[section]}")
        lines.extend(_utterance_lines(utterance, settings))
    return "\n".join(lines)


def _utterance_lines(utterance: Utterance, settings: Settings) -> list[str]:
    pause = utterance.pause_after
    lines = [
        f"{CHUNK_MARK.join(utterance.chunks)}  [{pause.value} {_pause_ms(utterance, settings)}]"
    ]
    if utterance.spoken != utterance.display:
        lines.append(f"{_WRITTEN}{utterance.display}")
    return lines


def _pause_ms(utterance: Utterance, settings: Settings) -> str:
    return f"{utterance.pause_after.milliseconds(settings.pauses)} ms"


def script_as_json(prepared: PreparedScript, settings: Settings) -> dict[str, Any]:
    """The script as plain data for machines."""
    script, engine = prepared.script, prepared.choice.engine
    return {
        "title": script.title,
        "language": script.language,
        "language_how": prepared.language.how,
        "engine": engine.name,
        "max_chars": engine.max_chars,
        "sections": list(script.sections),
        "utterances": [
            {
                "section": utterance.section,
                "display": utterance.display,
                "spoken": utterance.spoken,
                "chunks": list(utterance.chunks),
                "pause_after": utterance.pause_after.value,
                "pause_ms": utterance.pause_after.milliseconds(settings.pauses),
            }
            for utterance in script.utterances
        ],
    }
