"""Normalization steps for en (placeholder until the language steps land)."""

from __future__ import annotations

from narrate.speech.normalize.common import Step, collapse_whitespace

__all__ = ["STEPS"]

STEPS: tuple[Step, ...] = (collapse_whitespace,)
"""The steps in the order they run."""
