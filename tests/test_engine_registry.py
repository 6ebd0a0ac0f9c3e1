"""Choosing an engine: auto's order, voices asked for, and what a language nobody speaks is."""

from __future__ import annotations

import pytest

from narrate.engines.base import Availability
from narrate.engines.registry import EngineRegistry
from narrate.errors import EXIT_FAILED, EXIT_USAGE, NarrateError
from tests.fakes import FakeEngine


class OfflineEngine(FakeEngine):
    """Speaks every language, but cannot run here (like gTTS without network)."""

    name = "offline"

    def availability(self) -> Availability:
        return Availability(False, "no network")

    def supports(self, lang: str) -> bool:
        return True


def test_auto_takes_the_first_usable_engine_that_speaks_the_language() -> None:
    registry = EngineRegistry({"fake": FakeEngine, "offline": OfflineEngine})
    choice = registry.choose("auto", "de")
    assert choice.engine.name == "fake"


def test_a_language_no_installed_engine_speaks_is_a_usage_error() -> None:
    registry = EngineRegistry({"fake": FakeEngine})
    with pytest.raises(NarrateError, match="no installed engine speaks 'vo'") as raised:
        registry.choose("auto", "vo")
    assert raised.value.exit_code == EXIT_USAGE


def test_a_language_only_an_unavailable_engine_speaks_is_a_run_failure() -> None:
    registry = EngineRegistry({"fake": FakeEngine, "offline": OfflineEngine})
    with pytest.raises(NarrateError, match="no usable engine speaks 'vo'") as raised:
        registry.choose("auto", "vo")
    assert raised.value.exit_code == EXIT_FAILED
    assert raised.value.hint is not None and "offline: no network" in raised.value.hint


@pytest.mark.parametrize("voice", ["fake-en", "FAKE-EN", "Fake-En"])
def test_a_voice_asked_for_picks_its_engine_whatever_its_case_and_language(voice: str) -> None:
    registry = EngineRegistry({"offline": OfflineEngine, "fake": FakeEngine})
    assert registry.choose("auto", "de", voice).engine.name == "fake"
    assert registry.choose("fake", "fr", voice).engine.name == "fake"  # its language: a warning
