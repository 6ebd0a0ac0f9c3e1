"""``narrate script``: show what will be spoken, without making audio."""

from __future__ import annotations

from typing import Any

from narrate.article.load import load_article
from narrate.engines.registry import default_registry
from narrate.settings import Settings
from narrate.speech.build import build_script
from narrate.speech.language import resolve_language
from narrate.speech.script import Script

__all__ = ["preview_script", "script_as_text", "script_as_json"]

CHUNK_MARK = " ‖ "
"""Shown between the pieces of a sentence that the engine receives separately."""


def preview_script(source: str, settings: Settings) -> Script:
    """Build the speech script for ``source`` exactly as a narration run would."""
    article = load_article(
        source,
        keep_boilerplate=settings.keep_boilerplate,
        extra_patterns=settings.boilerplate_patterns,
    )
    language = resolve_language(settings.lang, article)
    engine = default_registry().choose(settings.engine, language).engine
    return build_script(article, language, engine.max_chars)


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
