"""The pronunciation lexicon: formats, rules, line-numbered errors, and its use in runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrate.cli import app
from narrate.errors import UsageError
from narrate.speech.lexicon import Lexicon, Rule, load_lexicon, load_lexicons
from tests.fakes import FakeEngine

runner = CliRunner()

TOML_LEXICON = """\
# Aussprache der Redaktion
[de.words]
Selenskyj = "Selenski"
"New York" = "Nju Jork"

[de.patterns]
'Kyjiw(s?)' = 'Kiew\\1'

[en.words]
Kyiv = "Keev"

[all.words]
Nvidia = "Enwidia"
"""

TSV_LEXICON = (
    "# FROM\tTO\tLANG\nSelenskyj\tSelenski\tde\n\nre:Kyjiw(s?)\tKiew\\1\tde\nNvidia\tEnwidia\n"
)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(params=[("aussprache.toml", TOML_LEXICON), ("aussprache.tsv", TSV_LEXICON)])
def lexicon(request: pytest.FixtureRequest, tmp_path: Path) -> Lexicon:
    name, text = request.param
    return load_lexicon(_write(tmp_path, name, text))


@pytest.mark.parametrize(
    ("text", "lang", "spoken"),
    [
        ("Selenskyj sprach in Kyjiw.", "de", "Selenski sprach in Kiew."),
        ("Kyjiws Bürgermeister", "de", "Kiews Bürgermeister"),
        ("Nvidia meldet Rekorde.", "de", "Enwidia meldet Rekorde."),
        ("Nvidia reports records.", "en", "Enwidia reports records."),
        ("Selenskyj in English stays.", "en", "Selenskyj in English stays."),
        ("Selenskyjs Rede", "de", "Selenskyjs Rede"),
        ("selenskyj klein", "de", "selenskyj klein"),
        ("Nvidia-Chef", "de-AT", "Enwidia-Chef"),
    ],
)
def test_rules_apply_per_language_to_whole_words(
    lexicon: Lexicon, text: str, lang: str, spoken: str
) -> None:
    assert lexicon.apply(text, lang) == spoken


def test_toml_word_rules_may_hold_spaces_and_patterns_see_the_result(tmp_path: Path) -> None:
    lexicon = load_lexicon(_write(tmp_path, "l.toml", TOML_LEXICON))
    assert lexicon.apply("In New York und Kyiv", "de") == "In Nju Jork und Kyiv"
    assert lexicon.apply("Kyiv", "en") == "Keev"


def test_longer_words_win_over_their_prefixes() -> None:
    rules = (
        Rule("New", "Nju", "de", False, "x:1"),
        Rule("New York", "Nju Jork", "de", False, "x:2"),
    )
    assert Lexicon(rules).apply("New York, New Jersey", "de") == "Nju Jork, Nju Jersey"


def test_several_files_add_up_and_later_word_rules_win(tmp_path: Path) -> None:
    first = _write(tmp_path, "a.tsv", "Kiew\tKiju\tde\nPutin\tPutin\n")
    second = _write(tmp_path, "b.tsv", "Kiew\tKi-ew\tde\n")
    lexicon = load_lexicons([first, second])
    assert len(lexicon.rules) == 3
    assert lexicon.apply("Kiew", "de") == "Ki-ew"


def test_an_empty_lexicon_is_false_and_changes_nothing() -> None:
    assert not Lexicon()
    assert Lexicon().apply("Text 1", "de") == "Text 1"


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("bad.tsv", "Selenskyj\tSelenski\n\nKiew Kiju\n", "bad.tsv:3: expected FROM<TAB>TO"),
        ("bad.tsv", "a\tb\tc\td\n", "bad.tsv:1: expected FROM<TAB>TO[<TAB>LANG], found 4"),
        ("bad.tsv", "# c\nre:(unclosed\tx\tde\n", "bad.tsv:2: bad pattern '(unclosed'"),
        ("bad.tsv", "re:Kiew\t\\2\tde\n", "bad.tsv:1: bad pattern 'Kiew': invalid group"),
        ("bad.tsv", "\tleer\n", "bad.tsv:1: empty word or pattern"),
        ("bad.tsv", "Kiew\tKiju\tDeutsch\n", "bad.tsv:1: bad language 'deutsch'"),
        ("bad.toml", "[de.words]\nKiew = \n", "bad.toml:2: bad TOML in the lexicon"),
        ("bad.toml", "[de.words]\nA = 'a'\nKiew = 3\n", "bad.toml:3: the replacement for 'Kiew'"),
        ("bad.toml", "# x\n[de.patterns]\n'(a' = 'b'\n", "bad.toml:3: bad pattern '(a'"),
        ("bad.toml", "[de.woerter]\nA = 'b'\n", "bad.toml:1: unknown lexicon table [de.woerter]"),
        ("bad.toml", "x = 1\n[de.words]\n", "bad.toml:1: 'x' must be a table"),
        ("bad.toml", "[deutsch.words]\nA = 'b'\n", "bad.toml:2: bad language 'deutsch'"),
    ],
)
def test_bad_lexicon_files_name_the_file_and_line(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = _write(tmp_path, name, text)
    with pytest.raises(UsageError) as caught:
        load_lexicon(path)
    assert str(caught.value).startswith(str(tmp_path / message)), str(caught.value)


def test_missing_and_non_utf8_lexicons_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="lexicon file not found"):
        load_lexicon(tmp_path / "fehlt.toml")
    latin = tmp_path / "latin.tsv"
    latin.write_bytes("Müller\tMüller\n".encode("latin-1"))
    with pytest.raises(UsageError, match="not UTF-8"):
        load_lexicon(latin)


@pytest.fixture
def article(tmp_path: Path) -> Path:
    return _write(
        tmp_path, "artikel.txt", "Besuch in Kyjiw\n\nSelenskyj empfing am 3. Mai Gäste.\n"
    )


def test_script_applies_the_lexicon_and_shows_the_written_text(
    article: Path, fake_engine: FakeEngine, tmp_path: Path
) -> None:
    lexicon = _write(tmp_path, "l.toml", TOML_LEXICON)
    result = runner.invoke(
        app, ["script", str(article), "-e", "fake", "-l", "de", "--lexicon", str(lexicon), "--json"]
    )
    assert result.exit_code == 0, result.output
    utterances = json.loads(result.stdout)["utterances"]
    assert utterances[0]["spoken"] == "Besuch in Kiew"
    assert utterances[0]["display"] == "Besuch in Kyjiw"
    assert utterances[1]["spoken"].startswith("Selenski empfing")


def test_lexicon_from_the_config_file_is_relative_to_it(
    article: Path, fake_engine: FakeEngine, tmp_path: Path
) -> None:
    folder = tmp_path / "conf"
    folder.mkdir()
    _write(folder, "aussprache.tsv", "Kyjiw\tKiew\n")
    config = _write(folder, "config.toml", 'lexicon = "aussprache.tsv"\n')
    result = runner.invoke(app, ["script", str(article), "-e", "fake", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert "Besuch in Kiew  [title" in result.stdout
    assert "written: Besuch in Kyjiw" in result.stdout


def test_a_bad_lexicon_stops_the_run_with_exit_2_before_any_audio(
    article: Path, fake_engine: FakeEngine, tmp_path: Path
) -> None:
    lexicon = _write(tmp_path, "l.tsv", "Kyjiw Kiew\n")
    result = runner.invoke(app, [str(article), "-e", "fake", "--lexicon", str(lexicon)])
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines() == [
        f"narrate: error: {lexicon}:1: expected FROM<TAB>TO[<TAB>LANG], found 1 field(s)"
        " (separate the fields with one tab each)"
    ]
    assert not article.with_suffix(".mp3").exists()
    assert fake_engine.calls == []


def test_the_library_takes_lexicon_paths_as_strings(
    tmp_path: Path, fake_engine: FakeEngine
) -> None:
    from narrate.pipeline import prepare_script
    from narrate.settings import Settings

    article = _write(tmp_path, "a.txt", "Titel\n\nSelenskyj sprach.\n")
    lexicon = _write(tmp_path, "l.tsv", "Selenskyj\tSelenski\n")
    settings = Settings(engine="fake", lang="de", lexicons=(str(lexicon),))  # type: ignore[arg-type]
    prepared = prepare_script(str(article), settings)
    assert prepared.script.utterances[1].spoken == "Selenski sprach."
