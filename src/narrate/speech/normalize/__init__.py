"""Spoken text from written text: an ordered list of small ``str -> str`` steps per language.

Each language module (``de``, ``en``) holds its data (words, abbreviations,
units) apart from the machinery and exports ``STEPS``, the steps in the order
they run. :func:`normalizer_for` composes them; languages without their own
steps get :data:`GENERIC_STEPS`, which only tidy whitespace.

Steps work on one sentence at a time, after sentence splitting, so nothing a
step writes can move a sentence boundary. They never raise on any text, and
they only change what an engine would read badly: every word of the sentence
still reaches the spoken text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache

from narrate.speech.normalize import de, en
from narrate.speech.normalize.common import Step, collapse_whitespace
from narrate.speech.split import primary_language

__all__ = ["Step", "STEPS", "GENERIC_STEPS", "normalizer_for", "normalize"]

GENERIC_STEPS: tuple[Step, ...] = (collapse_whitespace,)
"""What every language gets when it has no steps of its own."""

STEPS: Mapping[str, tuple[Step, ...]] = {"de": de.STEPS, "en": en.STEPS}
"""The normalization steps of each language, in the order they run."""


@cache
def normalizer_for(lang: str) -> Callable[[str], str]:
    """The function that turns written text in ``lang`` into the text to speak."""
    steps = STEPS.get(primary_language(lang), GENERIC_STEPS)

    def normalize_text(text: str) -> str:
        for step in steps:
            text = step(text)
        return text

    return normalize_text


def normalize(text: str, lang: str) -> str:
    """``text`` as it should be spoken in ``lang`` (see :func:`normalizer_for`)."""
    return normalizer_for(lang)(text)
