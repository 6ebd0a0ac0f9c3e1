"""Shared fixtures: the fake engine in the real registry, and audio helpers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from narrate.engines.registry import default_registry
from tests.fakes import FakeEngine


@pytest.fixture
def fake_engine() -> Iterator[FakeEngine]:
    """A :class:`FakeEngine` registered as ``fake`` in the process-wide registry."""
    engine = FakeEngine()
    registry = default_registry()
    registry.register("fake", lambda: engine)
    yield engine
    registry.unregister("fake")


from tests.fake_google import fake_google_fixture, no_google_fixture  # noqa: E402,F401 - fixtures
