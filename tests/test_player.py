"""The read-along page and snippet: golden files, layout, labels, naming, escaping.

The golden files hold the generated markup with the packaged CSS and JavaScript
replaced by placeholders (the assets are checked on their own). Regenerate them
after an intended change with ``NARRATE_REGENERATE_GOLDEN=1 pytest tests/test_player.py``
and review the diff.
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrate import narrate
from narrate.audio.timeline import Chapter, TimedUtterance, Timeline
from narrate.cli import app
from narrate.errors import EngineError, UsageError
from narrate.publish import player
from narrate.publish.captions import NarrationInfo
from narrate.publish.player import labels_for, page_paths, to_page, to_snippet
from narrate.publish.urls import iri_to_uri
from narrate.speech.script import PauseKind, UtteranceKind
from tests.fakes import FakeEngine

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("NARRATE_REGENERATE_GOLDEN") == "1"
ROOT = Path(__file__).parent.parent

S, H, T = UtteranceKind.SENTENCE, UtteranceKind.HEADING, UtteranceKind.TITLE
P = PauseKind

ROWS = [
    # (display, section, kind, pause after, start ms, end ms)
    ("Neue Brücke für die Altstadt", 0, T, P.TITLE, 0, 1500),
    ("Die Stadt baut eine neue Brücke.", 0, S, P.SENTENCE, 2700, 4900),
    ("Sie soll im Mai fertig sein.", 0, S, P.PARAGRAPH, 5250, 6600),
    ("Der Bürgermeister ist zufrieden.", 0, S, P.SECTION, 7400, 8900),
    ("Kosten & Zeitplan", 1, H, P.PARAGRAPH, 10400, 11600),
    ("Die Brücke kostet 4 Mio. Euro.", 1, S, P.END, 12400, 14250),
]


def timeline(rows: list[tuple[str, int, UtteranceKind, PauseKind, int, int]] = ROWS) -> Timeline:
    utterances = tuple(
        TimedUtterance(i, text, text, section, start, end, kind, pause)
        for i, (text, section, kind, pause, start, end) in enumerate(rows)
    )
    end = rows[-1][5]
    headings = [row for row in rows if row[2] is H]
    starts = [0, *(row[4] for row in headings), end]
    titles = [rows[0][0], *(row[0] for row in headings)]
    chapters = tuple(Chapter(t, starts[n], starts[n + 1]) for n, t in enumerate(titles))
    return Timeline(Path("unused.pcm"), 1000, end, utterances, chapters)


def info(title: str = ROWS[0][0], language: str = "de") -> NarrationInfo:
    return NarrationInfo(title, language, "espeak", "de")


@pytest.fixture
def placeholder_assets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(player, "asset", lambda name: f"/* {name} */\n")


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if REGENERATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run with NARRATE_REGENERATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; see module docstring"


@pytest.mark.usefixtures("placeholder_assets")
def test_page_matches_golden() -> None:
    check_golden("player_page.de.html", to_page(timeline(), info(), "brücke 1.mp3"))


@pytest.mark.usefixtures("placeholder_assets")
def test_snippet_matches_golden() -> None:
    check_golden("player_snippet.en.html", to_snippet(timeline(), info(language="en"), "a.mp3"))


# -- markup, parsed --------------------------------------------------------------


class Element:
    """A parsed element: tag, attributes, and its text (with descendants')."""

    def __init__(self, tag: str, attrs: dict[str, str | None]) -> None:
        self.tag, self.attrs, self.text = tag, attrs, ""

    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()


class Tree(HTMLParser):
    """Every element of a document in order, with the raw text of scripts and styles."""

    VOID = {"meta", "input", "br", "img", "link"}

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.open: list[Element] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs))
        self.elements.append(element)
        if tag not in self.VOID:
            self.open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1].tag == tag, f"</{tag}> does not close an open tag"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        for element in self.open:
            element.text += data

    def find(self, tag: str = "", cls: str = "") -> list[Element]:
        return [
            e
            for e in self.elements
            if (not tag or e.tag == tag) and (not cls or cls in e.classes())
        ]


def sentences(tree: Tree) -> list[Element]:
    return tree.find("span", "narrate-s")


def test_page_lays_out_title_headings_and_paragraphs() -> None:
    tree = Tree(to_page(timeline(), info(), "a.mp3"))
    assert not tree.open
    assert [e.text for e in tree.find("h1")] == ["Neue Brücke für die Altstadt"]
    assert [e.text for e in tree.find("h2")] == ["Kosten & Zeitplan"]
    paragraphs = [e.text for e in tree.find("p") if not e.classes()]
    assert paragraphs == [
        "Die Stadt baut eine neue Brücke. Sie soll im Mai fertig sein.",
        "Der Bürgermeister ist zufrieden.",
        "Die Brücke kostet 4 Mio. Euro.",
    ]
    spans = sentences(tree)
    assert [s.text for s in spans] == [row[0] for row in ROWS]
    assert [(s.attrs["data-start"], s.attrs["data-end"]) for s in spans][1] == ("2.700", "4.900")
    assert {s.attrs["tabindex"] for s in spans} == {"-1"}


def test_page_is_one_self_contained_document() -> None:
    tree = Tree(to_page(timeline(), info(), "a.mp3"))
    assert tree.find("html")[0].attrs["lang"] == "de"
    assert len(tree.find("main")) == 1 and len(tree.find("article")) == 1
    [script] = tree.find("script")
    assert script.attrs == {} and script.text.strip() == player.asset("player.js").strip()
    [style] = tree.find("style")
    assert style.text.strip() == player.asset("player.css").strip()
    assert not tree.find("link") and not tree.find("img")
    references = [e.attrs.get(name) for e in tree.elements for name in ("src", "href")]
    assert {r for r in references if r is not None} == {"a.mp3"}


def test_player_controls_are_labelled_buttons() -> None:
    tree = Tree(to_snippet(timeline(), info(), "a.mp3"))
    [region] = tree.find("section", "narrate-player")
    assert region.attrs["role"] == "region" and region.attrs["aria-label"] == "Artikel anhören"
    [audio] = tree.find("audio")
    assert audio.attrs["preload"] == "metadata" and "controls" not in audio.attrs
    buttons = tree.find("button")
    assert all(b.attrs["type"] == "button" for b in buttons)
    labels = [b.attrs.get("aria-label") for b in buttons if "narrate-button" in b.classes()]
    assert labels == ["15 Sekunden zurück", "Abspielen", "15 Sekunden vor"]
    chapters = tree.find("button", "narrate-chapter")
    assert [c.attrs["data-start"] for c in chapters] == ["0.000", "10.400"]
    speeds = [(o.attrs["value"], o.text) for o in tree.find("option")][:2]
    assert speeds == [("0.75", "0,75×"), ("1", "1×")]
    assert [o.attrs["value"] for o in tree.find("option")][-1] == "2"
    assert tree.find("span", "narrate-time")[0].attrs["aria-live"] == "off"
    [download] = tree.find("a", "narrate-download")
    assert download.attrs["href"] == "a.mp3" and download.attrs["download"] == "a.mp3"
    assert "Drücken Sie Play, um diesen Artikel anzuhören" in region.text
    assert "Gesprochen von künstlicher Intelligenz" in region.text
    assert not sentences(tree), "the snippet carries no article text"


def test_single_chapter_gets_no_chapter_list() -> None:
    rows = [row for row in ROWS if row[1] == 0]
    tree = Tree(to_page(timeline(rows), info(), "a.mp3"))
    assert not tree.find("nav")


@pytest.mark.parametrize(
    ("language", "prompt"),
    [
        ("de", "Drücken Sie Play, um diesen Artikel anzuhören"),
        ("de-AT", "Drücken Sie Play, um diesen Artikel anzuhören"),
        ("de_CH", "Drücken Sie Play, um diesen Artikel anzuhören"),
        ("en", "Press play to listen to this article"),
        ("en-GB", "Press play to listen to this article"),
        ("fr", "Press play to listen to this article"),
    ],
)
def test_labels_follow_the_language(language: str, prompt: str) -> None:
    assert labels_for(language).prompt == prompt
    tree = Tree(to_page(timeline(), info(language=language), "a.mp3"))
    assert tree.find("html")[0].attrs["lang"] == language
    assert tree.find("p", "narrate-prompt")[0].text == prompt


def test_english_credit_line() -> None:
    assert labels_for("en").credit == "Narrated by artificial intelligence"


# -- hostile content ---------------------------------------------------------------

HOSTILE = [
    "</script><script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "' onmouseover='alert(3)",
    "</title></style><style>*{display:none}</style>",
    "<!-- <b>comment</b> -->",
    "Tom &amp; Jerry & Co. <3 \u2028 line \u2029 end",
    "</p></article></main><iframe src=//evil.example>",
]


def hostile_timeline() -> Timeline:
    rows = [(HOSTILE[0], 0, T, P.TITLE, 0, 100)]
    rows += [(text, 0, S, P.SENTENCE, 100 * n, 100 * n + 90) for n, text in enumerate(HOSTILE)]
    rows.append((HOSTILE[1], 1, H, P.PARAGRAPH, 1000, 1100))
    rows.append((HOSTILE[2], 1, S, P.END, 1200, 1300))
    return timeline(rows)


def hostile_documents() -> Iterator[tuple[str, str]]:
    audio = 'evil" onload="alert(4) <script>.mp3'
    page_info = NarrationInfo(HOSTILE[3], 'de" onload="alert(5)', "espeak", "de")
    yield "page", to_page(hostile_timeline(), page_info, audio)
    yield "snippet", to_snippet(hostile_timeline(), page_info, audio)


@pytest.mark.parametrize(("kind", "markup"), list(hostile_documents()))
def test_hostile_text_never_becomes_markup(kind: str, markup: str) -> None:
    tree = Tree(markup)
    assert not tree.open, f"{kind}: unbalanced tags"
    tags = {e.tag for e in tree.elements}
    assert not tags & {"img", "iframe", "b", "object", "embed", "link"}
    assert len(tree.find("script")) == 1 and len(tree.find("style")) == 1
    assert tree.find("script")[0].text.strip() == player.asset("player.js").strip()
    events = [name for e in tree.elements for name in e.attrs if name.startswith("on")]
    assert not events


def test_hostile_text_is_shown_exactly_as_written() -> None:
    tree = Tree(to_page(hostile_timeline(), info(title=HOSTILE[3]), "a.mp3"))
    spans = [s.text for s in sentences(tree)]
    assert spans == [HOSTILE[0], *HOSTILE, HOSTILE[1], HOSTILE[2]]
    assert tree.find("title")[0].text == HOSTILE[3]
    titles = [e.text for e in tree.find("span", "narrate-chapter-title")]
    assert titles == [HOSTILE[0], HOSTILE[1]]


def test_hostile_audio_name_stays_one_attribute() -> None:
    name = 'evil" onload="alert(4) <script>.mp3'
    tree = Tree(to_snippet(timeline(), info(), name))
    [audio] = tree.find("audio")
    assert set(audio.attrs) == {"class", "preload", "src"}
    assert audio.attrs["src"] == "evil%22%20onload%3D%22alert%284%29%20%3Cscript%3E.mp3"
    assert tree.find("a", "narrate-download")[0].attrs["download"] == name


@pytest.mark.parametrize(
    ("address", "src", "download"),
    [
        ("brücke 1.mp3", "br%C3%BCcke%201.mp3", "brücke 1.mp3"),
        ("../audio/50%.mp3", "../audio/50%25.mp3", "50%.mp3"),
        ("https://cdn.example/a/b.mp3?v=2", "https://cdn.example/a/b.mp3?v=2", "b.mp3"),
        ("/audio/x y.ogg", "/audio/x%20y.ogg", "x y.ogg"),
        # A file name's #, ? and % are part of the name, never a fragment, query or escape.
        ("m&s #1?%.mp3", "m%26s%20%231%3F%25.mp3", "m&s #1?%.mp3"),
        ("a:b.mp3", "a%3Ab.mp3", "a:b.mp3"),
        # A URL keeps its escapes; only what a URL cannot carry is encoded.
        (
            "https://cdn.example/hö ren/m%26s.mp3",
            "https://cdn.example/h%C3%B6%20ren/m%26s.mp3",
            "m&s.mp3",
        ),
        ("https://bücher.example/a.mp3", "https://xn--bcher-kva.example/a.mp3", "a.mp3"),
    ],
)
def test_audio_address_is_encoded_as_a_url(address: str, src: str, download: str) -> None:
    tree = Tree(to_snippet(timeline(), info(), address))
    assert tree.find("audio")[0].attrs["src"] == src
    [link] = tree.find("a", "narrate-download")
    assert (link.attrs["href"], link.attrs["download"]) == (src, download)


# -- assets ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["player.js", "player.css"])
def test_assets_are_package_data(name: str) -> None:
    text = player.asset(name)
    assert len(text) > 1000
    assert "</script" not in text.lower() and "</style" not in text.lower()
    assert "http:" not in text and "https:" not in text and "@import" not in text
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    packaged = patterns["package-data"]["narrate"]
    assert any(fnmatch.fnmatch(f"publish/assets/{name}", pattern) for pattern in packaged)


def test_css_classes_are_prefixed() -> None:
    classes = set(re.findall(r"\.([a-zA-Z][\w-]*)", player.asset("player.css")))
    assert classes and all(c.startswith("narrate-") for c in classes), classes


# -- naming -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("audio", "source", "page"),
    [
        ("a.mp3", "a.txt", "a.html"),
        ("a.mp3", "a.md", "a.html"),
        ("a.mp3", None, "a.html"),
        ("a.mp3", "a.html", "a.narrated.html"),
        ("out/b.ogg", "in/a.HTM", "out/b.narrated.html"),
        ("a.mp3", "a.xhtml", "a.narrated.html"),
    ],
)
def test_page_names(audio: str, source: str | None, page: str) -> None:
    assert page_paths(Path(audio), source) == (Path(page), Path(audio).with_suffix(".embed.html"))


# -- through the pipeline ------------------------------------------------------------

ARTICLE = """\
Neue Brücke

Die Stadt baut eine Brücke. Sie ist bald fertig.

Der Rat ist froh.

Kosten

Sie kostet viel.
"""


@pytest.mark.usefixtures("fake_engine")
def test_narrate_writes_page_and_snippet(tmp_path: Path) -> None:
    source = tmp_path / "bruecke.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    result = narrate(source, engine="fake", html=True, captions=True)
    names = [path.name for path in result.timing_files]
    assert names == ["bruecke.vtt", "bruecke.json", "bruecke.html", "bruecke.embed.html"]
    tree = Tree((tmp_path / "bruecke.html").read_text(encoding="utf-8"))
    spans = sentences(tree)
    assert [s.text for s in spans] == [u.display for u in result.sentences]
    expected = [f"{u.start_ms / 1000:.3f}" for u in result.sentences]
    assert [s.attrs["data-start"] for s in spans] == expected
    assert len([p for p in tree.find("p") if not p.classes()]) == 3
    assert tree.find("audio")[0].attrs["src"] == "bruecke.mp3"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["bruecke.txt", "bruecke.mp3", *names]
    )


@pytest.mark.usefixtures("fake_engine")
def test_html_input_is_never_overwritten(tmp_path: Path) -> None:
    source = tmp_path / "artikel.html"
    page = "<html lang='de'><body><article><h1>Titel</h1><p>Ein Satz. Noch einer.</p>"
    source.write_text(page, encoding="utf-8")
    result = narrate(source, engine="fake", html=True)
    assert source.read_text(encoding="utf-8") == page
    assert [p.name for p in result.timing_files] == ["artikel.narrated.html", "artikel.embed.html"]


@pytest.mark.usefixtures("fake_engine")
def test_someone_elses_page_beside_the_article_is_kept(tmp_path: Path) -> None:
    source = tmp_path / "artikel.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    theirs = tmp_path / "artikel.html"
    theirs.write_text("<html><body>Die gespeicherte Originalseite</body></html>")

    first = narrate(source, engine="fake", html=True)
    again = narrate(source, engine="fake", html=True)

    assert theirs.read_text() == "<html><body>Die gespeicherte Originalseite</body></html>"
    assert first.timing_files == again.timing_files
    assert [p.name for p in first.timing_files] == ["artikel.narrated.html", "artikel.embed.html"]


@pytest.mark.usefixtures("fake_engine")
def test_narrate_replaces_its_own_page_on_the_next_run(tmp_path: Path) -> None:
    source = tmp_path / "artikel.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    narrate(source, engine="fake", html=True)
    source.write_text(ARTICLE.replace("Brücke", "Straße"), encoding="utf-8")
    result = narrate(source, engine="fake", html=True)
    assert [p.name for p in result.timing_files] == ["artikel.html", "artikel.embed.html"]
    assert "Straße" in (tmp_path / "artikel.html").read_text(encoding="utf-8")
    assert not (tmp_path / "artikel.narrated.html").exists()


@pytest.mark.usefixtures("fake_engine")
def test_html_needs_a_file_output(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    with pytest.raises(UsageError, match="--html needs a file output"):
        narrate(source, "-", engine="fake", html=True)


def test_failed_run_writes_no_page(tmp_path: Path, fake_engine: FakeEngine) -> None:
    fake_engine.fail_on = "Kosten"
    source = tmp_path / "a.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    with pytest.raises(EngineError, match="fake engine failed"):
        narrate(source, engine="fake", html=True)
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


@pytest.mark.usefixtures("fake_engine")
def test_cli_html_flag_writes_page_and_snippet(tmp_path: Path) -> None:
    source = tmp_path / "artikel.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(app, [str(source), "--engine", "fake", "--html"])
    assert result.exit_code == 0, result.output
    assert "artikel.html" in result.output and "artikel.embed.html" in result.output
    page = Tree((tmp_path / "artikel.html").read_text(encoding="utf-8"))
    assert [s.text for s in sentences(page)][0] == "Neue Brücke"
    assert (tmp_path / "artikel.embed.html").exists()


@pytest.mark.parametrize(
    ("source", "taken", "stops_at"),
    [
        ("artikel.txt", ["artikel.embed.html"], "artikel.embed.html"),
        ("artikel.html", ["artikel.narrated.html"], "artikel.narrated.html"),
        ("artikel.txt", ["artikel.html", "artikel.narrated.html"], "artikel.narrated.html"),
    ],
)
@pytest.mark.usefixtures("fake_engine")
def test_html_never_replaces_someone_elses_file(
    tmp_path: Path, source: str, taken: list[str], stops_at: str
) -> None:
    """Regression: --html replaced anyone's STEM.embed.html and STEM.narrated.html."""
    article = tmp_path / source
    text = ARTICLE if source.endswith(".txt") else f"<article><p>{ARTICLE}</p></article>"
    article.write_text(text, encoding="utf-8")
    for name in taken:
        (tmp_path / name).write_text(f"MINE {name}\n", encoding="utf-8")
    before = {path.name: path.read_bytes() for path in tmp_path.iterdir()}

    result = CliRunner().invoke(app, [str(article), "--engine", "fake", "--html"])

    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"narrate: error: {tmp_path / stops_at} is there and narrate did not write it; "
        "--html would replace it (move it, or narrate to another -o)\n"
    )
    assert {path.name: path.read_bytes() for path in tmp_path.iterdir()} == before


def test_page_paths_replace_only_narrates_own_files(tmp_path: Path) -> None:
    audio = tmp_path / "a.mp3"
    snippet = tmp_path / "a.embed.html"
    snippet.write_text(to_snippet(timeline(), info(), "a.mp3"), encoding="utf-8")
    (tmp_path / "a.narrated.html").write_text(to_page(timeline(), info(), "a.mp3"), "utf-8")
    assert page_paths(audio, "a.html") == (tmp_path / "a.narrated.html", snippet)
    snippet.write_text("<div>Unser eigenes Snippet</div>", encoding="utf-8")
    with pytest.raises(UsageError, match="a.embed.html is there and narrate did not write it"):
        page_paths(audio, "a.txt")


def test_a_batch_article_whose_page_names_are_taken_fails_alone(tmp_path: Path) -> None:
    articles, out = tmp_path / "artikel", tmp_path / "out"
    articles.mkdir()
    out.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (articles / name).write_text(ARTICLE, encoding="utf-8")
    (articles / "latin.html").write_text(f"<article><p>{ARTICLE}</p></article>", "utf-8")
    (out / "a.embed.html").write_text("MINE a\n", encoding="utf-8")
    (out / "latin.narrated.html").write_text("MINE latin\n", encoding="utf-8")

    result = CliRunner().invoke(
        app, [str(articles), "-o", str(out), "--html", "-e", "espeak", "-l", "de", "-j", "1"]
    )

    assert result.exit_code == 1, result.output
    failed = sorted(line.split(":")[0] for line in result.stderr.splitlines() if "FAILED" in line)
    assert failed == ["FAILED a.txt", "FAILED latin.html"]
    assert (out / "a.embed.html").read_text(encoding="utf-8") == "MINE a\n"
    assert (out / "latin.narrated.html").read_text(encoding="utf-8") == "MINE latin\n"
    assert not (out / "a.mp3").exists() and not (out / "latin.mp3").exists()
    assert Tree((out / "b.embed.html").read_text(encoding="utf-8")).find("audio")


@pytest.mark.parametrize(
    ("iri", "uri"),
    [
        ("https://example.org/hö ren/", "https://example.org/h%C3%B6%20ren/"),
        ("https://example.org/50%/a%20b?q=1#x", "https://example.org/50%25/a%20b?q=1#x"),
        ("https://user@bücher.example:8080/", "https://user@xn--bcher-kva.example:8080/"),
    ],
)
def test_a_url_someone_gave_is_encoded_once(iri: str, uri: str) -> None:
    assert iri_to_uri(iri) == uri
    assert iri_to_uri(uri) == uri, "encoding twice changes nothing"
