"""`narrate feed`: a podcast feed that a real feed parser and podcast apps accept."""

from __future__ import annotations

import datetime
import json
import os
import shutil
from pathlib import Path
from typing import Any

import feedparser
import pytest
from lxml import etree
from mutagen.id3 import ID3, TDRC
from mutagen.mp3 import MP3
from typer.testing import CliRunner

from narrate.batch.plan import MANIFEST_NAME
from narrate.cli import app
from narrate.pipeline import narrate
from narrate.publish.feed import scan_episodes
from narrate.settings import TagSettings

BASE = "https://example.org/podcast"
ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
ATOM = "http://www.w3.org/2005/Atom"
NS = {"itunes": ITUNES, "podcast": PODCAST, "atom": ATOM}

HOSTILE = "Wahl <script>alert(\"x\")</script> & 'Zitate'"
BRIDGE = (
    "# Neue Brücke für die Altstadt\n\nDie Stadt baut eine Brücke. Sie ist lang.\n\n"
    "## Kosten\n\nSie kostet viel Geld.\n\n## Zeitplan\n\nFertig ist sie im Mai.\n"
)
SHORT = "Kurz gemeldet\n\nDer Markt ist heute geschlossen.\n"
ELECTION = f"{HOSTILE}\n\nHeute wird gewählt. Alle gehen hin.\n"
SUBFOLDER = "Politik und Wähler"

runner = CliRunner()


@pytest.fixture(scope="module")
def podcast(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three real espeak narrations; the newest in a subfolder with a space and an umlaut."""
    sources = tmp_path_factory.mktemp("sources")
    folder = tmp_path_factory.mktemp("podcast")
    (folder / SUBFOLDER).mkdir()
    articles = [
        ("bruecke.md", BRIDGE, "brücke.mp3", "2026-11-03"),
        ("kurz.txt", SHORT, "kurz.mp3", "2026-11-04"),
        ("wahl.txt", ELECTION, f"{SUBFOLDER}/wahl heute.mp3", "2026-11-05"),
    ]
    for name, text, output, date in articles:
        (sources / name).write_text(text, encoding="utf-8")
        narrate(
            sources / name,
            folder / output,
            engine="espeak",
            lang="de",
            tags=TagSettings(date=date),
            captions=name == "bruecke.md",
            html=name == "bruecke.md",
        )
    return folder


@pytest.fixture
def copy(podcast: Path, tmp_path: Path) -> Path:
    """A private copy of the podcast folder, for tests that change it."""
    return Path(shutil.copytree(podcast, tmp_path / "copy"))


def _feed(folder: Path, *options: str) -> Any:
    result = runner.invoke(app, ["feed", str(folder), "--base-url", BASE, *options])
    assert result.exit_code == 0, result.output
    return result


def _parsed(folder: Path, *options: str) -> Any:
    _feed(folder, "--title", "Nachrichten zum Hören", *options)
    parsed = feedparser.parse(str(folder / "feed.xml"))
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def _tree(path: Path) -> Any:
    return etree.parse(str(path)).getroot()


def _by_title(parsed: Any) -> dict[str, Any]:
    return {entry.title: entry for entry in parsed.entries}


def test_feed_parses_cleanly_newest_first(podcast: Path) -> None:
    result = _feed(podcast, "--title", "Nachrichten")
    assert result.stderr.strip().splitlines()[-1] == "narrate: wrote feed.xml: 3 episodes"
    assert result.stdout == ""
    parsed = feedparser.parse(str(podcast / "feed.xml"))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    assert parsed.feed.title == "Nachrichten"
    assert parsed.feed.language == "de"
    titles = [
        element.text for element in _tree(podcast / "feed.xml").iterfind("channel/item/title")
    ]
    assert titles == [HOSTILE, "Kurz gemeldet", "Neue Brücke für die Altstadt"]
    dates = [entry.published_parsed[:6] for entry in parsed.entries]
    assert dates == [(2026, 11, day, 0, 0, 0) for day in (5, 4, 3)]


def test_enclosures_have_exact_url_length_and_type(podcast: Path) -> None:
    entries = _parsed(podcast).entries
    expected = [
        (
            f"{BASE}/Politik%20und%20W%C3%A4hler/wahl%20heute.mp3",
            podcast / SUBFOLDER / "wahl heute.mp3",
        ),
        (f"{BASE}/kurz.mp3", podcast / "kurz.mp3"),
        (f"{BASE}/br%C3%BCcke.mp3", podcast / "brücke.mp3"),
    ]
    for entry, (url, path) in zip(entries, expected, strict=True):
        (enclosure,) = entry.enclosures
        assert enclosure.href == url
        assert int(enclosure.length) == path.stat().st_size
        assert enclosure.type == "audio/mpeg"
        assert entry.id == url and entry.guidislink is False


def test_durations_match_the_audio(podcast: Path) -> None:
    entries = _parsed(podcast).entries
    paths = [podcast / SUBFOLDER / "wahl heute.mp3", podcast / "kurz.mp3", podcast / "brücke.mp3"]
    for entry, path in zip(entries, paths, strict=True):
        assert abs(int(entry.itunes_duration) - MP3(str(path)).info.length) <= 1
        assert entry.itunes_episodetype == "full"


def test_chapters_file_matches_the_mp3_chapters(podcast: Path) -> None:
    _feed(podcast, "--title", "Nachrichten")
    links = _tree(podcast / "feed.xml").findall("channel/item/podcast:chapters", NS)
    assert [link.get("url") for link in links] == [f"{BASE}/br%C3%BCcke.chapters.json"]
    assert links[0].get("type") == "application/json+chapters"
    document = json.loads((podcast / "brücke.chapters.json").read_text(encoding="utf-8"))
    frames = sorted(ID3(podcast / "brücke.mp3").getall("CHAP"), key=lambda f: f.start_time)
    assert document["version"] == "1.2.0"
    assert [round(c["startTime"] * 1000) for c in document["chapters"]] == [
        frame.start_time for frame in frames
    ]
    assert [c["title"] for c in document["chapters"]] == [
        "Neue Brücke für die Altstadt",
        "Kosten",
        "Zeitplan",
    ]
    assert document["chapters"][0]["startTime"] == 0
    assert not (podcast / "kurz.chapters.json").exists()


def test_channel_and_items_use_the_podcast_namespaces(podcast: Path) -> None:
    image = "https://example.org/cover.jpg"
    _feed(podcast, "--title", "Nachrichten", "--image", image, "--author", "Redaktion")
    root = _tree(podcast / "feed.xml")
    assert root.tag == "rss" and root.get("version") == "2.0"
    assert {root.nsmap[prefix] for prefix in NS} == set(NS.values())
    channel = root.find("channel")
    assert channel.findtext("link") == f"{BASE}/"
    assert channel.findtext("generator").startswith("narrate ")
    assert channel.findtext("itunes:author", namespaces=NS) == "Redaktion"
    assert channel.find("itunes:image", NS).get("href") == image
    assert channel.findtext("image/url") == image
    assert channel.find("itunes:category", NS).get("text") == "News"
    assert channel.findtext("itunes:explicit", namespaces=NS) == "false"
    self_link = channel.find("atom:link", NS)
    assert (self_link.get("rel"), self_link.get("href")) == ("self", f"{BASE}/feed.xml")
    build = datetime.datetime.strptime(
        channel.findtext("lastBuildDate"), "%a, %d %b %Y %H:%M:%S %z"
    )
    assert abs(datetime.datetime.now(datetime.timezone.utc) - build) < datetime.timedelta(hours=1)
    assert len(channel.findall("item/itunes:duration", NS)) == 3


def test_link_names_the_podcasts_website(podcast: Path) -> None:
    site = "https://www.eifel-bote.de/"
    parsed = _parsed(podcast, "--link", site, "--image", f"{BASE}/cover.jpg")
    assert parsed.feed.link == site
    root = _tree(podcast / "feed.xml")
    assert root.findtext("channel/image/link") == site
    bad = runner.invoke(app, ["feed", str(podcast), "--base-url", BASE, "--title", "T",
                              "--link", "www.eifel-bote.de"])  # fmt: skip
    assert bad.exit_code == 2 and "--link must be an http(s) URL" in bad.stderr


def test_descriptions_are_the_first_sentences_or_the_title(podcast: Path) -> None:
    entries = _by_title(_parsed(podcast))
    bridge = entries["Neue Brücke für die Altstadt"].summary
    assert bridge == "Die Stadt baut eine Brücke. Sie ist lang. Sie kostet viel Geld."
    assert entries["Kurz gemeldet"].summary == "Kurz gemeldet"


def test_hostile_titles_are_escaped(podcast: Path) -> None:
    title = '<script>alert("feed")</script> & "Quotes"'
    _feed(podcast, "--title", title, "--description", "A & B <i>")
    raw = (podcast / "feed.xml").read_bytes()
    assert b"<script" not in raw
    assert not feedparser.parse(raw).bozo
    channel = _tree(podcast / "feed.xml").find("channel")
    assert channel.findtext("title") == title
    assert channel.findtext("description") == "A & B <i>"
    assert channel.findtext("item/title") == HOSTILE


def test_lang_overrides_the_episodes_language(podcast: Path) -> None:
    assert _parsed(podcast, "--lang", "en").feed.language == "en"


def test_output_option_writes_the_feed_elsewhere(podcast: Path, tmp_path: Path) -> None:
    target = tmp_path / "podcast.rss"
    result = _feed(podcast, "--title", "Nachrichten", "-o", str(target))
    assert "wrote podcast.rss: 3 episodes" in result.stderr
    self_link = _tree(target).find("channel/atom:link", NS)
    assert self_link.get("href") == f"{BASE}/podcast.rss"


def test_the_feed_never_replaces_a_file_that_is_not_a_feed(copy: Path) -> None:
    [audio] = sorted(copy.glob("*.mp3"))[:1]
    before = audio.read_bytes()
    result = _run_feed(copy, "-o", str(audio))
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == (
        f"narrate: error: {audio} exists and is not a feed; narrate will not replace it "
        "(choose another -o, e.g. feed.xml)"
    )
    assert audio.read_bytes() == before
    assert _run_feed(copy, "-o", str(copy)).exit_code == 2, "a folder is refused too"


def test_running_again_replaces_the_earlier_feed(copy: Path) -> None:
    first = _run_feed(copy)
    again = _run_feed(copy, "--title", "Neuer Titel")
    assert first.exit_code == again.exit_code == 0, again.output
    assert feedparser.parse(str(copy / "feed.xml")).feed.title == "Neuer Titel"


def _run_feed(folder: Path, *options: str) -> Any:
    arguments = ["feed", str(folder), "--base-url", BASE, "--title", "T", *options]
    return runner.invoke(app, arguments)


@pytest.mark.parametrize("url", ["ftp://example.org/", "example.org/podcast", "https://"])
def test_bad_base_url_is_a_usage_error(podcast: Path, url: str) -> None:
    result = runner.invoke(app, ["feed", str(podcast), "--base-url", url, "--title", "T"])
    assert result.exit_code == 2, result.output
    assert "--base-url must be an http(s) URL" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_folder_without_narrated_audio_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "artikel.txt").write_text("Kein Audio.\n", encoding="utf-8")
    (tmp_path / ".versteckt.mp3").write_bytes(b"hidden")
    result = runner.invoke(app, ["feed", str(tmp_path), "--base-url", BASE, "--title", "T"])
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == (
        f"narrate: error: no narrated audio in {tmp_path} (narrate articles into it first; "
        "the feed lists .mp3, .m4a, .ogg, .opus files)"
    )
    assert not (tmp_path / "feed.xml").exists()


def test_corrupt_mp3_is_skipped_with_a_warning(copy: Path) -> None:
    (copy / "kaputt.mp3").write_bytes(b"this is no audio\n" * 64)
    result = _feed(copy, "--title", "Nachrichten")
    assert "WARNING: skipped" in result.stderr and "kaputt.mp3" in result.stderr
    assert result.stderr.strip().splitlines()[-1] == "narrate: wrote feed.xml: 3 episodes"
    assert len(feedparser.parse(str(copy / "feed.xml")).entries) == 3


def test_same_date_is_ordered_by_path(copy: Path) -> None:
    for path in copy.rglob("*.mp3"):
        tags = ID3(path)
        tags.setall("TDRC", [TDRC(encoding=3, text=["2026-11-10"])])
        tags.save(path)
    relatives = [episode.relative for episode in scan_episodes(copy)]
    assert relatives == [f"{SUBFOLDER}/wahl heute.mp3", "brücke.mp3", "kurz.mp3"]


def test_without_date_tag_the_manifest_then_the_file_time_decide(copy: Path) -> None:
    for name in ("kurz.mp3", "brücke.mp3"):
        tags = ID3(copy / name)
        tags.delall("TDRC")
        tags.save(copy / name)
    os.utime(copy / "brücke.mp3", (1_800_000_000, 1_800_000_000))
    outputs = [{"path": "kurz.mp3", "bytes": (copy / "kurz.mp3").stat().st_size}]
    entry = {"status": "done", "outputs": outputs, "finished": "2026-12-24T18:30:00Z"}
    manifest = {"version": 1, "articles": {"kurz.txt": entry}}
    (copy / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    published = {episode.relative: episode.published for episode in scan_episodes(copy)}
    utc = datetime.timezone.utc
    assert published["kurz.mp3"] == datetime.datetime(2026, 12, 24, 18, 30, tzinfo=utc)
    assert published["brücke.mp3"] == datetime.datetime.fromtimestamp(1_800_000_000, utc)


def test_m4a_ogg_and_opus_are_listed_with_their_types(tmp_path: Path) -> None:
    source = tmp_path / "kurz.txt"
    source.write_text(SHORT, encoding="utf-8")
    folder = tmp_path / "audio"
    folder.mkdir()
    for suffix in ("m4a", "ogg", "opus"):
        output = folder / f"kurz.{suffix}"
        narrate(source, output, engine="espeak", lang="de", tags=TagSettings(date="2026-11-01"))
    entries = _parsed(folder).entries
    assert [entry.enclosures[0].href for entry in entries] == [
        f"{BASE}/kurz.{suffix}" for suffix in ("m4a", "ogg", "opus")
    ]
    assert [entry.enclosures[0].type for entry in entries] == [
        "audio/mp4",
        "audio/ogg",
        "audio/ogg",
    ]
    assert {entry.title for entry in entries} == {"Kurz gemeldet"}
    assert all(int(entry.itunes_duration) >= 1 for entry in entries)
    assert _tree(folder / "feed.xml").findtext("channel/language") == "de"


def test_missing_folders_are_usage_errors(podcast: Path, tmp_path: Path) -> None:
    options = ["--base-url", BASE, "--title", "T"]
    result = runner.invoke(app, ["feed", str(tmp_path / "fehlt"), *options])
    assert result.exit_code == 2 and "is not a folder" in result.stderr, result.output
    elsewhere = tmp_path / "fehlt" / "feed.xml"
    result = runner.invoke(app, ["feed", str(podcast), *options, "-o", str(elsewhere)])
    assert result.exit_code == 2 and "does not exist" in result.stderr, result.output


def test_an_episode_with_a_player_page_links_to_it(podcast: Path) -> None:
    entries = _by_title(_parsed(podcast))
    assert entries["Neue Brücke für die Altstadt"].link == f"{BASE.rstrip('/')}/br%C3%BCcke.html"
    assert "link" not in entries["Kurz gemeldet"]


def test_someone_elses_chapters_file_stops_the_feed_and_stays(copy: Path) -> None:
    """Regression: narrate feed replaced any STEM.chapters.json without a word."""
    theirs = copy / "brücke.chapters.json"
    theirs.write_text('{"mine": true}\n', encoding="utf-8")
    (copy / "feed.xml").unlink(missing_ok=True)

    result = _run_feed(copy)

    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"narrate: error: {theirs} is there and narrate did not write it; the feed would "
        "replace it with the episode's chapters (move it, then run narrate feed again)\n"
    )
    assert theirs.read_text(encoding="utf-8") == '{"mine": true}\n'
    assert not (copy / "feed.xml").exists(), "nothing is written"


def test_narrates_own_chapters_file_is_replaced_and_marked(copy: Path) -> None:
    assert _run_feed(copy).exit_code == 0
    chapters = copy / "brücke.chapters.json"
    document = json.loads(chapters.read_text(encoding="utf-8"))
    assert document["generator"] == "narrate" and document["version"] == "1.2.0"
    chapters.write_text(json.dumps({**document, "chapters": []}), encoding="utf-8")

    assert _run_feed(copy).exit_code == 0, "its own earlier file is replaced"
    assert json.loads(chapters.read_text(encoding="utf-8")) == document


def test_a_base_url_with_spaces_and_umlauts_is_percent_encoded(podcast: Path) -> None:
    """Regression: <link>https://example.org/hö ren/</link> was written as given."""
    base = "https://example.org/hö ren/"
    encoded = "https://example.org/h%C3%B6%20ren/"
    image = ["--image", "https://example.org/hö ren/bild 1.jpg"]
    result = runner.invoke(app, ["feed", str(podcast), "--base-url", base, "--title", "T", *image])
    assert result.exit_code == 0, result.output
    parsed = feedparser.parse(str(podcast / "feed.xml"))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.link == encoded
    assert parsed.feed.image.href == f"{encoded}bild%201.jpg"
    tree = _tree(podcast / "feed.xml")
    assert tree.find("channel/atom:link", NS).get("href") == f"{encoded}feed.xml"
    urls = [enclosure.href for entry in parsed.entries for enclosure in entry.enclosures]
    assert f"{encoded}kurz.mp3" in urls
    assert all(url.isascii() and " " not in url for url in urls)
