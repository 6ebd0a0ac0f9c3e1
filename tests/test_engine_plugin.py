"""A third-party engine, installed from outside the package through the
``narrate.engines`` entry point, found by the registry and used end to end."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.audio_tools import duration_ms

PLUGIN_ENGINE = '''
"""A plugin engine that hums: 50 ms of tone per character, 16 kHz."""

import math
import struct

from narrate.engines.base import Availability, Clip, Voice


class HumEngine:
    name = "hum"
    max_chars = 80
    sample_rate = 16000

    def availability(self):
        return Availability(True)

    def voices(self):
        return [Voice("hum-low", "Low hum", ("de", "en"))]

    def supports(self, lang):
        return lang in ("de", "en")

    def default_voice(self, lang):
        return "hum-low"

    def synthesize(self, text, voice, lang, speed):
        with open(__file__ + ".log", "a", encoding="utf-8") as log:
            log.write(text + "\\n")
        count = int(len(text) * 0.05 * self.sample_rate / speed)
        samples = (int(8000 * math.sin(i * 0.1)) for i in range(count))
        return Clip(struct.pack(f"<{count}h", *samples), self.sample_rate)
'''


def install_plugin(site: Path, package: str, source: str, engines: dict[str, str]) -> Path:
    """Put ``package.engine`` (``source``) and its installed metadata into ``site``, with
    ``engines`` (name -> class in that module) as ``narrate.engines`` entry points."""
    folder = site / package
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text("", encoding="utf-8")
    (folder / "engine.py").write_text(textwrap.dedent(source), encoding="utf-8")
    dist_info = site / f"{package}-1.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {package}\nVersion: 1.0\n", encoding="utf-8"
    )
    lines = [f"{name} = {package}.engine:{kind}" for name, kind in engines.items()]
    (dist_info / "entry_points.txt").write_text(
        "[narrate.engines]\n" + "\n".join(lines) + "\n", encoding="utf-8"
    )
    return site


@pytest.fixture
def plugin_site(tmp_path: Path) -> Path:
    """A folder on PYTHONPATH holding the plugin package and its installed metadata."""
    return install_plugin(tmp_path / "site", "narrate_hum", PLUGIN_ENGINE, {"hum": "HumEngine"})


def _narrate(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(site)}
    return subprocess.run(
        [sys.executable, "-m", "narrate", *args],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )


def test_plugin_engine_is_listed_and_narrates_an_article(plugin_site: Path, tmp_path: Path) -> None:
    listed = _narrate(plugin_site, "engines")
    assert listed.returncode == 0, listed.stderr
    assert any(line.split()[:2] == ["hum", "usable"] for line in listed.stdout.splitlines())

    article = tmp_path / "artikel.txt"
    article.write_text("Ein Titel\n\nAm 3. Mai summt es.\n", encoding="utf-8")
    result = _narrate(plugin_site, str(article), "--engine", "hum", "--voice", "hum-low")
    assert result.returncode == 0, result.stderr
    assert "hum voice hum-low" in result.stderr

    spoken = (plugin_site / "narrate_hum" / "engine.py.log").read_text(encoding="utf-8")
    assert spoken.splitlines() == ["Ein Titel", "Am dritten Mai summt es."]
    expected_ms = 50 * (len("Ein Titel") + len("Am dritten Mai summt es.")) + 1200
    assert abs(duration_ms(article.with_suffix(".mp3")) - expected_ms) < 150


def test_without_the_plugin_the_engine_name_is_refused_with_the_known_ones(
    tmp_path: Path,
) -> None:
    article = tmp_path / "artikel.txt"
    article.write_text("Ein Titel\n\nEin Satz.\n", encoding="utf-8")
    result = _narrate(tmp_path, str(article), "--engine", "hum", "--lang", "de")
    assert result.returncode == 2, result.stderr
    assert "hum" in result.stderr and "espeak" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


BROKEN_PLUGINS = '''
"""Plugin engines that break the contract in the ways a tester found."""

from narrate.engines.base import Availability, Clip, Voice


class _Base:
    max_chars = 80
    sample_rate = 16000

    def availability(self):
        return Availability(True)

    def voices(self):
        return [Voice("v", "V", ("de",))]

    def supports(self, lang):
        return lang == "de"

    def default_voice(self, lang):
        return "v"

    def synthesize(self, text, voice, lang, speed):
        return Clip(bytes(3200), 16000)


class Crashing(_Base):
    name = "crashing"

    def __init__(self):
        raise RuntimeError("no licence key")


class Raising(_Base):
    name = "raising"

    def synthesize(self, text, voice, lang, speed):
        raise RuntimeError("backend went away")


class OddBytes(_Base):
    name = "oddbytes"

    def synthesize(self, text, voice, lang, speed):
        return Clip(bytes(3), self.sample_rate)


class Mute(_Base):
    name = "mute"

    def synthesize(self, text, voice, lang, speed):
        return Clip(b"", self.sample_rate)


class AvailabilityRaises(_Base):
    name = "availraise"

    def availability(self):
        raise OSError("no sound card")


class SupportsRaises(_Base):
    name = "supportsraise"

    def supports(self, lang):
        raise KeyError(lang)


class TextRate(_Base):
    name = "textrate"
    sample_rate = "16000"


class Chatty(_Base):
    name = "chatty"

    def synthesize(self, text, voice, lang, speed):
        raise RuntimeError("line one\\nline two\\n" + "x" * 500)
'''

BROKEN_ENGINES = {
    "crashing": "Crashing",
    "missing": "NoSuchClass",
    "raising": "Raising",
    "oddbytes": "OddBytes",
    "mute": "Mute",
    "availraise": "AvailabilityRaises",
    "supportsraise": "SupportsRaises",
    "textrate": "TextRate",
    "chatty": "Chatty",
}


@pytest.fixture
def broken_site(tmp_path: Path) -> Path:
    """Plugins that raise, return malformed audio or none at all."""
    return install_plugin(
        tmp_path / "broken-site", "narrate_broken", BROKEN_PLUGINS, BROKEN_ENGINES
    )


@pytest.mark.parametrize(
    ("engine", "message"),
    [
        ("crashing", "engine 'crashing' failed to load: RuntimeError: no licence key"),
        ("missing", "engine 'missing' failed to load: AttributeError"),
        ("raising", "engine 'raising' failed on \"Ein Titel\": RuntimeError: backend went away"),
        ("oddbytes", "engine 'oddbytes' returned an odd number of bytes"),
        ("mute", "engine 'mute' returned no audio for any sentence"),
        ("availraise", "engine 'availraise' cannot run here: availability check failed: OSError"),
        ("supportsraise", "engine 'supportsraise' failed: KeyError: 'de'"),
        ("textrate", "engine 'textrate' failed to load: its sample_rate is '16000'"),
        ("chatty", "RuntimeError: line one line two xxxxxxxx"),
    ],
)
def test_a_broken_plugin_is_one_line_naming_it_and_exit_1(
    broken_site: Path, tmp_path: Path, engine: str, message: str
) -> None:
    article = tmp_path / "artikel.txt"
    article.write_text("Ein Titel\n\nEin Satz zum Lesen.\n", encoding="utf-8")
    result = _narrate(broken_site, str(article), "--engine", engine, "--lang", "de")
    assert result.returncode == 1, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("narrate: error: ") and message in line, line
    assert len(line) < 400, "a plugin's long message is shortened"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["artikel.txt", "broken-site"]


def test_narrate_engines_lists_plugins_that_fail_to_load(broken_site: Path) -> None:
    listed = _narrate(broken_site, "engines")
    assert listed.returncode == 0, listed.stderr
    lines = {line.split()[0]: line for line in listed.stdout.splitlines()}
    assert "failed to load: RuntimeError: no licence key" in lines["crashing"]
    assert "unavailable" in lines["missing"] and "raising" in lines
