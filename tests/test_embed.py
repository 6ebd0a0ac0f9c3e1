"""``narrate embed``: real pages narrated with espeak and given the player, in place or not."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
from lxml.html import tostring
from typer.testing import CliRunner

from narrate.batch import run as batch_run
from narrate.batch.jobs import BatchJob, JobResult
from narrate.cli import app
from narrate.errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_USAGE
from narrate.publish.inject import PLAYER_BEGIN, PLAYER_END, strip_player
from narrate.settings import Settings
from tests.audio_tools import duration_ms

runner = CliRunner()
ESPEAK = ["--engine", "espeak", "--lang", "de"]

PAGE = """<!DOCTYPE html>
<html lang="de">
<head><meta charset="utf-8"><title>Neue Radwege | Stadtkurier</title>
<script>window.analytics = "</p>";</script></head>
<body>
<nav><a href="/">Start</a> <a href="/politik">Politik</a></nav>
<article>
<h1>Neue Radwege für die Innenstadt</h1>
<p>Die Stadt baut im nächsten Jahr drei neue Radwege. Der Rat hat das am Montag beschlossen.</p>
<h2>Was sich ändert</h2>
<p>Die Hauptstraße bekommt einen <a href="/plan">geschützten Radweg</a> auf beiden Seiten.
Parkplätze fallen dafür weg.</p>
</article>
<footer>Impressum · Datenschutz</footer>
</body>
</html>
"""

HOSTILE = """<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8">
<title>&lt;script&gt;alert(1)&lt;/script&gt;</title></head>
<body><article>
<h1>Der Titel mit &lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;
und &quot;Anführung&quot;</h1>
<p>Ein Satz mit &lt;b&gt;fetten&lt;/b&gt; Zeichen und &amp; Zeichen darin.
Danach kommt ein zweiter Satz.</p>
</article></body></html>
"""


def site(root: Path) -> Path:
    (root / "politik").mkdir(parents=True)
    (root / "politik" / "radwege.html").write_text(PAGE, encoding="utf-8")
    (root / "hostile.html").write_text(HOSTILE, encoding="utf-8")
    return root


def sentence_spans(page: str) -> list[str]:
    tree = lxml.html.fromstring(page)
    return [" ".join(s.text_content().split()) for s in tree.find_class("narrate-s")]


def test_pages_get_audio_and_the_player_in_place(tmp_path: Path) -> None:
    root = site(tmp_path / "site")

    result = runner.invoke(app, ["embed", str(root), *ESPEAK])

    assert result.exit_code == 0, result.stderr
    assert "player in 2 pages, 0 failed" in result.stderr
    page = (root / "politik" / "radwege.html").read_text(encoding="utf-8")
    assert page.count(PLAYER_BEGIN) == 1
    assert strip_player(page) == PAGE, "the page is unchanged outside what narrate added"
    tree = lxml.html.fromstring(page)
    [audio] = tree.xpath("//audio")
    assert audio.get("src") == "radwege.mp3"
    assert duration_ms(root / "politik" / "radwege.mp3") > 4000
    assert sentence_spans(page)[:3] == [
        "Neue Radwege für die Innenstadt",
        "Die Stadt baut im nächsten Jahr drei neue Radwege.",
        "Der Rat hat das am Montag beschlossen.",
    ]
    assert "Parkplätze fallen dafür weg." in sentence_spans(page)
    assert "Start" not in " ".join(sentence_spans(page))


def test_a_page_with_its_player_reads_as_the_page_without_it(tmp_path: Path) -> None:
    """Regression: narrating an embedded page read the player's controls as text."""
    root = site(tmp_path / "site")
    plain = runner.invoke(
        app, ["script", str(root / "politik" / "radwege.html"), "--json", *ESPEAK]
    )
    assert runner.invoke(app, ["embed", str(root), *ESPEAK]).exit_code == 0
    embedded = root / "politik" / "radwege.html"
    for page in (embedded, _without_comments(embedded, tmp_path / "minified.html")):
        script = runner.invoke(app, ["script", str(page), "--json", *ESPEAK])
        assert script.exit_code == 0, script.stderr
        assert json.loads(script.stdout)["utterances"] == json.loads(plain.stdout)["utterances"]
        assert "Drücken Sie Play" not in script.stdout


def _without_comments(page: Path, copy: Path) -> Path:
    """``page`` as a minifier leaves it: every HTML comment gone."""
    text = re.sub(r"<!--.*?-->", "", page.read_text(encoding="utf-8"), flags=re.S)
    copy.write_text(text, encoding="utf-8")
    return copy


def test_running_again_replaces_the_player(tmp_path: Path) -> None:
    root = site(tmp_path / "site")
    runner.invoke(app, ["embed", str(root), *ESPEAK])
    first = (root / "politik" / "radwege.html").read_text(encoding="utf-8")

    again = runner.invoke(app, ["embed", str(root), *ESPEAK])

    assert again.exit_code == 0, again.stderr
    second = (root / "politik" / "radwege.html").read_text(encoding="utf-8")
    assert second.count(PLAYER_BEGIN) == 1 and strip_player(second) == PAGE
    assert sentence_spans(second) == sentence_spans(first)


def test_out_folder_leaves_the_site_alone_and_base_url_addresses_the_audio(
    tmp_path: Path,
) -> None:
    root = site(tmp_path / "site")
    out = tmp_path / "out"

    result = runner.invoke(
        app,
        ["embed", str(root), "--out", str(out), "--audio-base-url", "https://cdn.example.org/a",
         *ESPEAK],
    )  # fmt: skip

    assert result.exit_code == 0, result.stderr
    assert (root / "politik" / "radwege.html").read_text(encoding="utf-8") == PAGE
    assert not list(root.rglob("*.mp3"))
    page = (out / "politik" / "radwege.html").read_text(encoding="utf-8")
    [audio] = lxml.html.fromstring(page).xpath("//audio")
    assert audio.get("src") == "https://cdn.example.org/a/politik/radwege.mp3"
    assert duration_ms(out / "politik" / "radwege.mp3") > 4000


def test_hostile_article_text_stays_text(tmp_path: Path) -> None:
    root = site(tmp_path / "site")
    runner.invoke(app, ["embed", str(root / "hostile.html"), *ESPEAK])
    page = (root / "hostile.html").read_text(encoding="utf-8")
    tree = lxml.html.fromstring(page)
    scripts = tree.xpath("//script")
    assert len(scripts) == 1, "only the player's own script"
    assert "alert(" not in (scripts[0].text or ""), "no article text inside the script"
    assert strip_player(page) == HOSTILE
    assert any("&" in text and "<b>fetten</b>" in text for text in sentence_spans(page))


def test_a_broken_page_fails_alone(tmp_path: Path) -> None:
    root = site(tmp_path / "site")
    (root / "leer.html").write_text("<html><body><nav>Nur Navigation</nav></body></html>")

    result = runner.invoke(app, ["embed", str(root), *ESPEAK])

    assert result.exit_code == EXIT_FAILED
    assert "FAILED leer.html" in result.stderr
    assert "player in 2 pages, 1 failed" in result.stderr
    assert (root / "leer.html").read_text() == "<html><body><nav>Nur Navigation</nav></body></html>"


def test_bad_base_url_is_a_usage_error(tmp_path: Path) -> None:
    root = site(tmp_path / "site")
    result = runner.invoke(app, ["embed", str(root), "--audio-base-url", "ftp://x", *ESPEAK])
    assert result.exit_code == EXIT_USAGE and "audio-base-url" in result.stderr


def test_a_file_that_is_not_a_page_is_refused_and_left_alone(tmp_path: Path) -> None:
    root = site(tmp_path / "site")
    article = root / "artikel.txt"
    article.write_text("Die Stadt baut eine Brücke. Sie wird im Mai fertig.", encoding="utf-8")
    before = sorted(path.name for path in root.rglob("*"))

    for source in (str(article), str(root / "*.txt")):
        result = runner.invoke(app, ["embed", str(root / "politik" / "radwege.html"), source])
        assert result.exit_code == EXIT_USAGE
        assert "artikel.txt is not an HTML page" in result.stderr
        assert article.read_text(encoding="utf-8").startswith("Die Stadt baut")
        assert sorted(path.name for path in root.rglob("*")) == before, "nothing was written"


def test_audio_beside_a_page_that_narrate_did_not_make_stays(tmp_path: Path) -> None:
    root = site(tmp_path / "site")
    recording = root / "politik" / "radwege.mp3"
    recording.write_bytes(b"ID3 the editor reading the article aloud")

    result = runner.invoke(app, ["embed", str(root / "politik" / "radwege.html"), *ESPEAK])

    assert result.exit_code == EXIT_FAILED
    [failure] = [line for line in result.stderr.splitlines() if line.startswith("FAILED")]
    assert failure.startswith("FAILED radwege.html: ") and failure.endswith(
        "radwege.mp3 is there and narrate did not make it; it stays "
        "(move it away, or write the audio elsewhere with --out)"
    ), "one unbroken line per failure"
    assert recording.read_bytes() == b"ID3 the editor reading the article aloud"
    assert (root / "politik" / "radwege.html").read_text(encoding="utf-8") == PAGE


def audio_src(page: Path) -> str:
    [audio] = lxml.html.fromstring(page.read_text(encoding="utf-8")).xpath("//audio")
    src: str = audio.get("src")
    return src


def test_base_url_is_the_path_under_the_folder_given_with_or_without_out(
    tmp_path: Path,
) -> None:
    """Regression: with all pages in one subfolder, in place gave /audio/wahl.mp3."""
    root = tmp_path / "site"
    (root / "politik").mkdir(parents=True)
    page = root / "politik" / "wahl.html"
    page.write_text(PAGE, encoding="utf-8")
    base = ["--audio-base-url", "/audio", *ESPEAK]

    for arguments, written in [
        ([str(root), "--out", str(tmp_path / "build")], tmp_path / "build" / "politik"),
        ([str(root)], root / "politik"),
        ([str(page), "--out", str(tmp_path / "one")], tmp_path / "one"),
        ([str(page)], root / "politik"),
    ]:
        result = runner.invoke(app, ["embed", *arguments, *base])
        assert result.exit_code == 0, result.stderr
        expected = "/audio/politik/wahl.mp3" if arguments[0] == str(root) else "/audio/wahl.mp3"
        assert audio_src(written / "wahl.html") == expected, arguments
        assert (written / "wahl.mp3").is_file()


NAME = "m&s #1?%"


@pytest.mark.parametrize(
    ("base", "src"),
    [
        ([], "m%26s%20%231%3F%25.mp3"),
        (
            ["--audio-base-url", "https://cdn.example/hö ren/"],
            "https://cdn.example/h%C3%B6%20ren/m%26s%20%231%3F%25.mp3",
        ),
    ],
)
def test_a_page_name_with_url_characters_addresses_its_audio(
    tmp_path: Path, base: list[str], src: str
) -> None:
    page = tmp_path / f"{NAME}.html"
    page.write_text(PAGE, encoding="utf-8")

    result = runner.invoke(app, ["embed", str(page), *base, *ESPEAK])

    assert result.exit_code == 0, result.stderr
    assert audio_src(page) == src
    [link] = lxml.html.fromstring(page.read_text(encoding="utf-8")).find_class("narrate-download")
    assert link.get("href") == src and link.get("download") == f"{NAME}.mp3"
    path = unquote(urlsplit(src).path).rsplit("/", 1)[-1]
    assert (tmp_path / path).is_file(), "the URL decodes to the audio's file name"


@pytest.mark.parametrize("url", ["https://cdn.example/a?v=1", "/audio#x"])
def test_base_url_with_query_or_fragment_is_a_usage_error(tmp_path: Path, url: str) -> None:
    root = site(tmp_path / "site")
    result = runner.invoke(app, ["embed", str(root), "--audio-base-url", url, *ESPEAK])
    assert result.exit_code == EXIT_USAGE, result.output
    assert "no query (?) or fragment (#)" in result.stderr
    assert (root / "politik" / "radwege.html").read_text(encoding="utf-8") == PAGE


def without_comments(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    page.write_text(re.sub(r"<!--.*?-->", "", text, flags=re.S), encoding="utf-8")


def players_and_spans(page: Path) -> tuple[int, list[str], int]:
    """The players, the read-along sentences, and the spans nested in another one."""
    tree = lxml.html.fromstring(page.read_text(encoding="utf-8"))
    nested = tree.xpath("//span[@class='narrate-s']//span[@class='narrate-s']")
    return len(tree.find_class("narrate-player")), sentence_spans(tostring(tree)), len(nested)


@pytest.mark.parametrize(
    "damage",
    [
        without_comments,
        lambda page: page.write_text(page.read_text("utf-8").replace(PLAYER_END, ""), "utf-8"),
        lambda page: page.write_text(page.read_text("utf-8").replace(PLAYER_BEGIN, ""), "utf-8"),
    ],
    ids=["comments-stripped", "end-marker-deleted", "begin-marker-deleted"],
)
def test_an_earlier_player_without_its_markers_is_replaced(
    tmp_path: Path, damage: Callable[[Path], None]
) -> None:
    root = site(tmp_path / "site")
    page = root / "politik" / "radwege.html"
    runner.invoke(app, ["embed", str(page), *ESPEAK])
    first = players_and_spans(page)
    damage(page)

    again = runner.invoke(app, ["embed", str(page), *ESPEAK])

    assert again.exit_code == 0, again.stderr
    assert players_and_spans(page) == first
    assert first[0] == 1 and len(first[1]) >= 5 and first[2] == 0
    assert "Drücken Sie Play" not in " ".join(first[1]), "the old player is no article text"


def test_an_empty_page_or_one_without_article_text_is_named(tmp_path: Path) -> None:
    """Regression: the errors said "standard input" instead of naming the page."""
    (tmp_path / "leer.html").write_text("", encoding="utf-8")
    (tmp_path / "nav.html").write_text("<html><body><nav>Start</nav></body></html>")

    result = runner.invoke(app, ["embed", str(tmp_path), *ESPEAK])

    assert result.exit_code == EXIT_FAILED
    failures = sorted(line for line in result.stderr.splitlines() if line.startswith("FAILED"))
    assert failures[0] == f"FAILED leer.html: {tmp_path / 'leer.html'} is empty: nothing to narrate"
    assert failures[1].startswith(
        f"FAILED nav.html: no article text found in {tmp_path / 'nav.html'}"
    )
    assert "standard input" not in result.stderr


def test_quiet_prints_only_the_failures(tmp_path: Path) -> None:
    (tmp_path / "leer.html").write_text("", encoding="utf-8")

    result = runner.invoke(app, ["embed", str(tmp_path), "-q", *ESPEAK])

    assert result.exit_code == EXIT_FAILED
    assert result.stderr.splitlines() == [
        f"FAILED leer.html: {tmp_path / 'leer.html'} is empty: nothing to narrate"
    ]


def test_under_out_a_file_that_narrate_did_not_write_stays(tmp_path: Path) -> None:
    root = site(tmp_path / "site")
    out = tmp_path / "out"
    (out / "politik").mkdir(parents=True)
    theirs = out / "politik" / "radwege.html"
    theirs.write_text("<p>Die Seite eines anderen</p>", encoding="utf-8")

    result = runner.invoke(app, ["embed", str(root), "--out", str(out), *ESPEAK])

    assert result.exit_code == EXIT_FAILED
    assert f"{theirs} is there and is not a page narrate embed wrote; it stays" in result.stderr
    assert theirs.read_text(encoding="utf-8") == "<p>Die Seite eines anderen</p>"
    assert (out / "hostile.html").is_file(), "the other page is written"
    rerun = runner.invoke(app, ["embed", str(root), "--out", str(out), *ESPEAK])
    assert "hostile.html" not in rerun.stderr.split("FAILED", 1)[-1], "its own copy is replaced"


def test_ctrl_c_says_how_many_pages_have_their_player(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: an interrupted embed said "nothing was written" after pages were written."""
    root = site(tmp_path / "site")

    def first_page_then_ctrl_c(
        jobs: Sequence[BatchJob], settings: Settings, **options: Any
    ) -> Iterator[JobResult]:
        yield options["work"](jobs[0], settings)
        raise KeyboardInterrupt

    monkeypatch.setattr(batch_run, "run_jobs", first_page_then_ctrl_c)

    result = runner.invoke(app, ["embed", str(root), "-j", "1", *ESPEAK])

    assert result.exit_code == EXIT_INTERRUPTED
    assert result.stderr.strip().splitlines()[-1] == (
        "narrate: interrupted: player in 1 page, 1 page untouched"
    )
    assert "nothing was written" not in result.stderr
    assert (root / "hostile.html").read_text(encoding="utf-8").count(PLAYER_BEGIN) == 1
    assert (root / "politik" / "radwege.html").read_text(encoding="utf-8") == PAGE
