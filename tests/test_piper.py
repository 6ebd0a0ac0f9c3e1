"""The piper engine, run through piper-tts's real code with a tiny generated voice.

The voice (see :mod:`tests.piper_voice`) speaks a tone of exactly
``phoneme ids × HOP_LENGTH × length_scale`` samples per sentence, so lengths are
predictable while Piper's own phonemizer, id mapping and ONNX session do the work.
"""

from __future__ import annotations

import importlib.util
import json
import math
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from narrate.audio.cores import one_core
from narrate.cli import app
from narrate.engines import piper as piper_engine
from narrate.engines.base import Clip, Engine
from narrate.engines.piper import PiperEngine
from narrate.engines.registry import default_registry
from narrate.errors import EngineUnavailableError, UsageError
from tests.audio_tools import duration_ms
from tests.piper_voice import HOP_LENGTH, SAMPLE_RATE, write_voice

VOICE = "de_DE-test-medium"
TWO_SENTENCES = "Guten Tag, wie geht es Ihnen? Der Zug nach Hamburg fährt heute später ab."
ARTICLE = (
    "Die neue Brücke\n\n"
    "Die Stadt hat heute die neue Brücke über den Fluss eröffnet. "
    "Viele Menschen kamen zur Feier am Ufer.\n\n"
    "Der Verkehr\n\n"
    "Ab morgen fahren die Busse wieder über die Brücke in die Altstadt.\n"
)

needs_piper = pytest.mark.skipif(
    importlib.util.find_spec("piper") is None or importlib.util.find_spec("onnx") is None,
    reason="piper-tts and onnx are not installed (pip install -e '.[test]' installs both)",
)

runner = CliRunner()


@pytest.fixture
def voices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty voices folder that ``NARRATE_VOICES`` points at."""
    folder = tmp_path / "voices"
    folder.mkdir()
    monkeypatch.setenv(piper_engine.VOICES_ENV, str(folder))
    return folder


@pytest.fixture
def german_voice(voices: Path) -> Path:
    """The tiny German test voice, installed; yields its model path."""
    return write_voice(voices, VOICE)


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "artikel.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def expected_frames(model: Path, text: str, length_scale: float) -> int:
    """Frames the test voice gives ``text``: Piper's own phoneme ids, sentence by sentence."""
    from piper import PiperVoice

    voice = PiperVoice.load(model)
    return sum(
        math.floor(len(voice.phonemes_to_ids(phonemes)) * HOP_LENGTH * length_scale)
        for phonemes in voice.phonemize(text)
        if phonemes
    )


def write_config_only(folder: Path, name: str, code: str, quality: str | None = None) -> None:
    """A voice whose model is a placeholder: enough for listing and choosing."""
    (folder / f"{name}.onnx").write_bytes(b"not a model")
    config: dict[str, Any] = {"audio": {"sample_rate": 22050}, "espeak": {"voice": "x"}}
    config["language"] = {"code": code}
    if quality:
        config["audio"]["quality"] = quality
    (folder / f"{name}.onnx.json").write_text(json.dumps(config), encoding="utf-8")


# --- listing and choosing voices (no piper needed) ---


@pytest.fixture
def german_voice_config_only(voices: Path) -> None:
    write_config_only(voices, VOICE, "de_DE")


def test_is_an_engine_registered_through_its_entry_point() -> None:
    engine = default_registry().create("piper")
    assert isinstance(engine, PiperEngine)
    assert isinstance(engine, Engine)
    assert engine.name == "piper" and engine.max_chars == 400


def test_voices_folder_defaults_to_the_user_data_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(piper_engine.VOICES_ENV, raising=False)
    folder = piper_engine.voices_folder()
    assert folder.name == "voices" and "narrate" in str(folder).lower()


def test_lists_installed_voices_with_their_languages(voices: Path) -> None:
    write_config_only(voices, "de_DE-thorsten-medium", "de_DE")
    write_config_only(voices, "en_GB-alan-low", "en_GB")
    (voices / "orphan.onnx").write_bytes(b"no config beside it")
    listed = {voice.id: voice for voice in PiperEngine().voices()}
    assert sorted(listed) == ["de_DE-thorsten-medium", "en_GB-alan-low"]
    assert listed["de_DE-thorsten-medium"].languages == ("de-de", "de")
    assert listed["de_DE-thorsten-medium"].name == "thorsten (de_DE, medium)"
    assert "en" in listed["en_GB-alan-low"].languages


def test_default_voice_prefers_region_then_medium_quality(voices: Path) -> None:
    write_config_only(voices, "de_DE-a-low", "de_DE", "low")
    write_config_only(voices, "de_DE-b-high", "de_DE", "high")
    write_config_only(voices, "de_DE-c-medium", "de_DE", "medium")
    write_config_only(voices, "de_AT-d-low", "de_AT", "low")
    engine = PiperEngine()
    assert engine.default_voice("de") == "de_DE-c-medium"
    assert engine.default_voice("de-at") == "de_AT-d-low"
    assert engine.default_voice("de-ch") == "de_DE-c-medium"
    assert engine.supports("de") and engine.supports("de-CH") and not engine.supports("fr")
    with pytest.raises(UsageError, match="no Piper voice for language 'fr'") as raised:
        engine.default_voice("fr")
    assert raised.value.hint is not None and "download fr_FR-siwis-medium" in raised.value.hint


def test_without_voices_it_is_unavailable_and_says_how_to_get_one(voices: Path) -> None:
    availability = PiperEngine().availability()
    if importlib.util.find_spec("piper") is None:
        assert "pip install 'narrate-articles[piper]'" in availability.reason
        return
    assert not availability.usable
    assert availability.reason == (
        f"no Piper voices in {voices}: narrate voices download de_DE-thorsten-medium"
    )
    assert PiperEngine().voices() == [] and not PiperEngine().supports("de")


def test_without_piper_tts_it_is_unavailable_and_says_how_to_install(
    german_voice_config_only: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_find_spec = importlib.util.find_spec

    def find_spec(name: str, *args: Any) -> Any:
        return None if name == "piper" else real_find_spec(name, *args)

    monkeypatch.setattr(piper_engine.importlib.util, "find_spec", find_spec)
    availability = PiperEngine().availability()
    assert not availability.usable
    assert "install the extra: pip install 'narrate-articles[piper]'" in availability.reason


def test_unknown_voice_and_bad_speed_are_usage_errors(german_voice_config_only: None) -> None:
    engine = PiperEngine()
    assert engine.accepts_voice(VOICE) and not engine.accepts_voice("nosuch")
    with pytest.raises(UsageError, match="unknown voice 'nosuch'"):
        engine.synthesize("Hallo.", "nosuch", "de", 1.0)
    with pytest.raises(UsageError, match="no Piper voice model at"):
        engine.synthesize("Hallo.", "/no/such/voice.onnx", "de", 1.0)
    with pytest.raises(UsageError, match="speed"):
        engine.synthesize("Hallo.", VOICE, "de", 0.0)


def test_availability_follows_the_folder_at_call_time(voices: Path) -> None:
    engine = default_registry().create("piper")
    assert engine.voices() == []
    write_config_only(voices, VOICE, "de_DE")
    assert [voice.id for voice in engine.voices()] == [VOICE]
    assert engine.supports("de")


def test_the_cache_knows_a_voice_by_its_files_not_by_the_folder(voices: Path) -> None:
    engine = PiperEngine()
    assert engine.version.startswith("piper-tts ") and "voices" not in engine.version
    write_config_only(voices, VOICE, "de_DE")
    before = engine.voice_identity(VOICE)
    write_config_only(voices, "en_GB-other-low", "en_GB")  # another voice: no change
    assert engine.voice_identity(VOICE) == before
    moved = voices.parent / "elsewhere"
    moved.mkdir()
    for suffix in (".onnx", ".onnx.json"):
        (moved / f"{VOICE}{suffix}").write_bytes((voices / f"{VOICE}{suffix}").read_bytes())
    assert engine.voice_identity(str(moved / f"{VOICE}.onnx")) == before  # same files
    config = voices / f"{VOICE}.onnx.json"
    config.write_text(config.read_text(encoding="utf-8").replace("}", ', "x": 1}', 1), "utf-8")
    assert engine.voice_identity(VOICE) != before  # an edited config is another voice


# --- synthesis through piper-tts ---


@needs_piper
def test_the_test_voice_is_tiny(german_voice: Path) -> None:
    assert german_voice.stat().st_size < 4096


@needs_piper
def test_synthesizes_each_sentence_through_piper(german_voice: Path) -> None:
    engine = PiperEngine()
    assert engine.availability().usable
    clip = engine.synthesize(TWO_SENTENCES, VOICE, "de", 1.0)
    assert clip.sample_rate == SAMPLE_RATE
    assert clip.frames == expected_frames(german_voice, TWO_SENTENCES, 1.0)
    assert 1000 < clip.duration_ms < 5000
    samples = np.frombuffer(clip.pcm, dtype="<i2")
    assert np.abs(samples).max() > 30000  # piper normalizes to full scale


@needs_piper
def test_in_a_batch_worker_the_voice_computes_on_one_thread(german_voice: Path) -> None:
    model = piper_engine._model_path(VOICE)
    single = piper_engine._VOICES.get(model).session.get_session_options()
    with one_core():
        worker_voice = piper_engine._VOICES.get(model)
        clip = PiperEngine().synthesize(TWO_SENTENCES, VOICE, "de", 1.0)
    options = worker_voice.session.get_session_options()
    assert (options.intra_op_num_threads, options.inter_op_num_threads) == (1, 1)
    assert single.intra_op_num_threads != 1  # onnxruntime's own choice outside a batch
    assert clip.frames == expected_frames(german_voice, TWO_SENTENCES, 1.0)


@needs_piper
def test_double_speed_halves_the_length(german_voice: Path) -> None:
    engine = PiperEngine()
    normal = engine.synthesize(TWO_SENTENCES, VOICE, "de", 1.0)
    fast = engine.synthesize(TWO_SENTENCES, VOICE, "de", 2.0)
    assert fast.frames == expected_frames(german_voice, TWO_SENTENCES, 0.5)
    assert fast.frames == pytest.approx(normal.frames / 2, abs=2)


@needs_piper
def test_voice_may_be_a_model_path(german_voice: Path, tmp_path: Path) -> None:
    elsewhere = write_voice(tmp_path / "elsewhere", "mein-ton")
    assert PiperEngine().accepts_voice(str(elsewhere))
    clip = PiperEngine().synthesize("Hallo Welt.", str(elsewhere), "de", 1.0)
    assert clip.frames == expected_frames(elsewhere, "Hallo Welt.", 1.0)


@needs_piper
def test_empty_text_gives_an_empty_clip(german_voice: Path) -> None:
    assert PiperEngine().synthesize("", VOICE, "de", 1.0) == Clip(b"", SAMPLE_RATE)


@needs_piper
def test_voice_is_loaded_once_and_shared_by_threads(
    german_voice: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads: list[Path] = []
    real_load = piper_engine._load

    def counting_load(model: Path) -> Any:
        loads.append(model)
        return real_load(model)

    monkeypatch.setattr(piper_engine, "_load", counting_load)
    engine = PiperEngine()
    sentences = [f"Satz Nummer {number}." for number in range(8)]
    with ThreadPoolExecutor(4) as pool:
        clips = list(pool.map(lambda text: engine.synthesize(text, VOICE, "de", 1.0), sentences))
    assert clips == [engine.synthesize(text, VOICE, "de", 1.0) for text in sentences]
    assert loads == [german_voice.resolve()]


@needs_piper
def test_a_broken_model_is_an_engine_error(voices: Path) -> None:
    write_config_only(voices, VOICE, "de_DE")
    with pytest.raises(piper_engine.EngineError, match="did not load"):
        PiperEngine().synthesize("Hallo.", VOICE, "de", 1.0)


# --- the command line ---


@needs_piper
def test_cli_narrates_with_a_named_piper_voice(german_voice: Path, article: Path) -> None:
    result = runner.invoke(app, [str(article), "--engine", "piper", "--voice", VOICE, "--captions"])
    assert result.exit_code == 0, result.output
    timings = json.loads(article.with_suffix(".json").read_text(encoding="utf-8"))
    assert timings["engine"] == "piper" and timings["voice"] == VOICE
    assert timings["duration_ms"] > 2000
    assert duration_ms(article.with_suffix(".mp3")) == pytest.approx(timings["duration_ms"], abs=50)
    assert "piper" in result.stderr.strip().splitlines()[-1]


@needs_piper
def test_cli_takes_a_model_path_as_voice(german_voice: Path, article: Path) -> None:
    result = runner.invoke(app, [str(article), "-e", "piper", "--voice", str(german_voice)])
    assert result.exit_code == 0, result.output
    assert duration_ms(article.with_suffix(".mp3")) > 2000


@needs_piper
def test_auto_picks_piper_when_a_german_voice_is_installed(
    german_voice: Path, article: Path, no_google: str
) -> None:
    result = runner.invoke(app, [str(article), "--engine", "auto", "--lang", "de", "--captions"])
    assert result.exit_code == 0, result.output
    timings = json.loads(article.with_suffix(".json").read_text(encoding="utf-8"))
    assert timings["engine"] == "piper" and timings["voice"] == VOICE


def _summary(result: Any) -> str:
    return str(result.stderr.strip().splitlines()[-1])


@needs_piper
def test_a_model_path_voice_needs_nothing_installed(
    voices: Path, article: Path, tmp_path: Path
) -> None:
    model = write_voice(tmp_path / "elsewhere", "fr_FR-loose-medium", "fr_FR")
    french = tmp_path / "article-fr.txt"
    french.write_text("Le pont\n\nLa ville a ouvert le nouveau pont ce matin.\n", "utf-8")
    named = runner.invoke(app, [str(french), "-e", "piper", "--voice", str(model), "-l", "fr"])
    assert named.exit_code == 0, named.output
    assert duration_ms(french.with_suffix(".mp3")) > 1000
    write_voice(voices, VOICE)  # a German voice installed does not change that
    auto = runner.invoke(
        app, [str(french), "--voice", str(model), "-l", "fr", "-o", str(tmp_path / "x.mp3")]
    )
    assert auto.exit_code == 0, auto.output
    assert "piper" in _summary(auto) and "(from cache" not in _summary(auto)


@needs_piper
def test_a_changed_voice_file_is_never_served_from_the_cache(
    german_voice: Path, article: Path
) -> None:
    first = runner.invoke(app, [str(article), "-e", "piper", "--voice", str(german_voice)])
    assert first.exit_code == 0, first.output
    length = duration_ms(article.with_suffix(".mp3"))
    again = runner.invoke(app, [str(article), "-e", "piper", "--voice", VOICE])
    assert "5 of 5 sentences from cache" in _summary(again)  # by name: the same files
    config = german_voice.with_name(german_voice.name + ".json")
    settings = json.loads(config.read_text(encoding="utf-8"))
    settings["inference"]["length_scale"] *= 2
    config.write_text(json.dumps(settings), encoding="utf-8")
    slower = runner.invoke(app, [str(article), "-e", "piper", "--voice", str(german_voice)])
    assert slower.exit_code == 0, slower.output
    assert "from cache" not in _summary(slower)
    assert duration_ms(article.with_suffix(".mp3")) > length + 1000


@needs_piper
def test_installing_another_voice_keeps_the_cached_chunks(
    german_voice: Path, voices: Path, article: Path
) -> None:
    assert runner.invoke(app, [str(article), "-e", "piper"]).exit_code == 0
    write_voice(voices, "en_GB-other-medium", "en_GB")
    again = runner.invoke(app, [str(article), "-e", "piper"])
    assert again.exit_code == 0, again.output
    assert "5 of 5 sentences from cache" in _summary(again)


@needs_piper
def test_a_voice_for_another_language_is_used_with_a_warning(
    german_voice: Path, tmp_path: Path
) -> None:
    english = tmp_path / "english.txt"
    english.write_text("The bridge\n\nThe city opened the new bridge today.\n", "utf-8")
    result = runner.invoke(app, [str(english), "-e", "piper", "--voice", VOICE.lower(), "-l", "en"])
    assert result.exit_code == 0, result.output
    assert f"voice {VOICE} speaks de, but the article is in en" in result.stderr


def test_a_missing_model_path_says_so(voices: Path, article: Path) -> None:
    result = runner.invoke(app, [str(article), "-e", "piper", "--voice", "nowhere/x.onnx"])
    assert result.exit_code == 2, result.output
    [line] = result.stderr.strip().splitlines()
    if importlib.util.find_spec("piper") is not None:
        assert "no Piper voice model at nowhere/x.onnx" in line


def test_engines_shows_piper_unavailable_without_voices(voices: Path, no_google: str) -> None:
    result = runner.invoke(app, ["engines"])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.stdout.splitlines()}
    assert "unavailable" in lines["piper"]
    assert "narrate voices download de_DE-thorsten-medium" in lines["piper"] or (
        "narrate-articles[piper]" in lines["piper"]
    )


def test_engine_piper_without_voices_exits_1_with_one_line(
    voices: Path, article: Path, no_google: str
) -> None:
    result = runner.invoke(app, [str(article), "--engine", "piper"])
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "engine 'piper' cannot run here" in lines[0], result.stderr
    assert not article.with_suffix(".mp3").exists()


@needs_piper
def test_piper_for_a_language_without_a_voice_names_one_to_download(
    german_voice: Path, tmp_path: Path, no_google: str
) -> None:
    english = tmp_path / "english.txt"
    english.write_text("The council met on Monday. It agreed on a new budget.", encoding="utf-8")
    result = runner.invoke(app, [str(english), "--engine", "piper", "--lang", "en"])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "engine 'piper' does not speak language 'en'" in lines[0]
    assert "narrate voices download en_US-lessac-medium" in lines[0]
    assert not english.with_suffix(".mp3").exists()


def test_unavailable_error_is_what_the_registry_raises(voices: Path, no_google: str) -> None:
    with pytest.raises(EngineUnavailableError, match="no Piper voices"):
        default_registry().choose("piper", "de")


@needs_piper
def test_narrate_engines_looks_in_the_configured_voices_folder(
    voices: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_google: str
) -> None:
    elsewhere = tmp_path / "stimmen"
    write_voice(elsewhere, VOICE)
    config = tmp_path / "narrate.toml"
    config.write_text('voices_dir = "stimmen"\n', encoding="utf-8")

    def piper_line(*options: str) -> str:
        result = runner.invoke(app, ["engines", *options])
        assert result.exit_code == 0, result.output
        return next(line for line in result.stdout.splitlines() if line.startswith("piper"))

    assert "unavailable" in piper_line()
    assert "usable" in piper_line("--config", str(config)).split()
    monkeypatch.setenv(piper_engine.VOICES_ENV, str(voices))
    assert "usable" in piper_line("--voices-dir", str(elsewhere)).split()


@needs_piper
def test_piper_s_own_warnings_show_only_with_verbose(german_voice: Path, tmp_path: Path) -> None:
    sample = Path(__file__).resolve().parent.parent / "samples" / "energiewende-im-dorf.txt"
    article = tmp_path / sample.name
    article.write_bytes(sample.read_bytes())  # the test voice lacks one of its phonemes
    command = [sys.executable, "-m", "narrate", str(article), "-e", "piper", "--no-cache"]

    def stderr(*options: str) -> str:
        run = subprocess.run([*command, *options], capture_output=True, text=True, check=False)
        assert run.returncode == 0, run.stderr
        return run.stderr

    assert "Missing phoneme" not in stderr()
    assert "Missing phoneme" in stderr("-v")


@needs_piper
def test_auto_passes_over_a_voice_whose_model_does_not_load(
    german_voice: Path, article: Path, no_google: str
) -> None:
    german_voice.write_bytes(b"not an onnx model")  # a download that broke off
    result = runner.invoke(app, [str(article), "--engine", "auto", "--lang", "de", "--captions"])
    assert result.exit_code == 0, result.output
    timings = json.loads(article.with_suffix(".json").read_text(encoding="utf-8"))
    assert timings["engine"] == "espeak"
    reason = next(line for line in result.stderr.splitlines() if "auto picked" in line)
    assert "piper: the Piper voice" in reason and "did not load" in reason
    named = runner.invoke(app, [str(article), "-e", "piper", "-o", str(article.with_name("p.mp3"))])
    assert named.exit_code == 1  # asked for by name, it fails as before
    assert "did not load" in named.stderr
