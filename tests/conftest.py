"""Shared fixtures: the fake engine in the real registry, and audio helpers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from narrate.engines.registry import default_registry
from tests.fakes import FakeEngine


@pytest.fixture(autouse=True)
def no_user_config(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep the developer's own config file out of every test."""
    missing = tmp_path_factory.getbasetemp() / "no-such-config.toml"
    monkeypatch.setenv("NARRATE_CONFIG", str(missing))


@pytest.fixture(autouse=True)
def own_chunk_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test gets an empty chunk cache of its own, never the developer's."""
    monkeypatch.setenv("NARRATE_CACHE_DIR", str(tmp_path_factory.mktemp("chunk-cache")))
    monkeypatch.setenv("NARRATE_VOICES", str(tmp_path_factory.mktemp("no-voices")))


@pytest.fixture
def fake_engine() -> Iterator[FakeEngine]:
    """A :class:`FakeEngine` registered as ``fake`` in the process-wide registry."""
    engine = FakeEngine()
    registry = default_registry()
    registry.register("fake", lambda: engine)
    yield engine
    registry.unregister("fake")


from tests.fake_google import fake_google_fixture, no_google_fixture  # noqa: E402,F401 - fixtures
