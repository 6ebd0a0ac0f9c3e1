"""``narrate embed``: real pages narrated with espeak and given the player, in place or not."""

from __future__ import annotations

from pathlib import Path

import lxml.html
from typer.testing import CliRunner

from narrate.cli import app
from narrate.errors import EXIT_FAILED, EXIT_USAGE
from narrate.publish.inject import PLAYER_BEGIN, strip_player
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
