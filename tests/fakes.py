"""A fake engine: first-class test double, registered through the real registry.

It "speaks" a tone whose length follows the text (``MS_PER_CHAR``), wrapped in
leading and trailing silence like a real engine's, so trimming and pause
placement can be checked exactly.
"""

from __future__ import annotations

import numpy as np

from narrate.engines.base import Availability, Clip, Voice
from narrate.errors import EngineError, UsageError

MS_PER_CHAR = 40
LEAD_MS = 120
TAIL_MS = 200
AMPLITUDE = 0.3


def tone_ms(text: str, speed: float = 1.0) -> int:
    """How long the fake speaks ``text`` (without its own silences)."""
    return round(len(text) * MS_PER_CHAR / speed)


class FakeEngine:
    """Speaks a 440 Hz tone per chunk; records every call."""

    name = "fake"
    max_chars = 120
    sample_rate = 16000

    def __init__(self, fail_on: str | None = None) -> None:
        self.calls: list[tuple[str, str, str, float]] = []
        self.fail_on = fail_on

    def availability(self) -> Availability:
        return Availability(True)

    def voices(self) -> list[Voice]:
        return [Voice("fake-de", "Fake Deutsch", ("de",)), Voice("fake-en", "Fake", ("en",))]

    def supports(self, lang: str) -> bool:
        return lang in ("de", "en")

    def default_voice(self, lang: str) -> str:
        if not self.supports(lang):
            raise UsageError(f"fake engine does not speak {lang!r}")
        return f"fake-{lang}"

    def synthesize(self, text: str, voice: str, lang: str, speed: float) -> Clip:
        self.calls.append((text, voice, lang, speed))
        if self.fail_on is not None and self.fail_on in text:
            raise EngineError(f"fake engine failed on {text!r}")
        return Clip(_tone_with_silences(tone_ms(text, speed), self.sample_rate), self.sample_rate)


def _tone_with_silences(duration_ms: int, rate: int) -> bytes:
    samples = duration_ms * rate // 1000
    t = np.arange(samples) / rate
    tone = AMPLITUDE * np.sin(2 * np.pi * 440 * t)
    lead = np.zeros(LEAD_MS * rate // 1000)
    tail = np.zeros(TAIL_MS * rate // 1000)
    audio = np.concatenate([lead, tone, tail])
    return (audio * 32767).astype("<i2").tobytes()
