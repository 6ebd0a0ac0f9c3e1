"""The read-along page in a real browser: headless Chromium driven by Playwright.

The article is narrated for real with espeak, the folder served by a local
``http.server`` (and opened once from ``file://``). Needs Debian's ``chromium``
(``.ci/run`` installs it); Playwright's own browser download is never used.
"""

from __future__ import annotations

import functools
import http.server
import io
import re
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from narrate.pipeline import narrate

playwright = pytest.importorskip("playwright.sync_api")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium binary (apt-get install chromium; .ci/run does)"
)

ARTICLE = """\
# Neue Brücke für die Altstadt

Die Stadt baut eine neue Brücke über den Fluss. Sie soll im Mai fertig sein.

Der Bürgermeister ist zufrieden. „Das ist ein guter Tag“, sagte er am Montag.

## Kosten und Zeitplan

Die Brücke kostet vier Millionen Euro. Das ist mehr als geplant.

## Stimmen aus dem Viertel

Anwohner freuen sich auf die neue Verbindung. Manche fürchten aber mehr Verkehr.
"""

AUDIO = "document.querySelector('.narrate-audio')"
CURRENT = "document.querySelector('.narrate-s.narrate-current')"
PLAY_LABEL = "document.querySelector('.narrate-play').getAttribute('aria-label')"
TIMEOUT_MS = 10_000


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the narrated article, its page and snippet."""
    folder = tmp_path_factory.mktemp("site")
    source = folder / "bruecke.md"
    source.write_text(ARTICLE, encoding="utf-8")
    narrate(source, engine="espeak", lang="de", html=True, cache=False)
    return folder


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    """The site served on 127.0.0.1 (a free port) by a thread."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = _StaticServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    thread.join()
    httpd.server_close()


class _StaticServer(http.server.ThreadingHTTPServer):
    """Chromium drops range requests it no longer needs: that is not a server error."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static file server that answers byte ranges, as every real static host does
    (the browser can only seek in audio it may fetch by range)."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_head(self) -> Any:
        match = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        path = Path(self.translate_path(self.path))
        if match is None or not path.is_file():
            return super().send_head()
        data = path.read_bytes()
        first = int(match[1])
        last = min(int(match[2] or len(data) - 1), len(data) - 1)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Range", f"bytes {first}-{last}/{len(data)}")
        self.send_header("Content-Length", str(last - first + 1))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        return io.BytesIO(data[first : last + 1])


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright.sync_playwright() as driver:
        launched = driver.chromium.launch(
            executable_path=CHROMIUM,
            args=["--autoplay-policy=no-user-gesture-required", "--no-sandbox"],
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    """The player page, loaded with the audio's metadata; fails on any script error
    or on any request that leaves the local server."""
    context = browser.new_context(viewport={"width": 1000, "height": 700})
    opened = context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.on("request", lambda request: requests.append(request.url))
    opened.set_default_timeout(TIMEOUT_MS)
    opened.goto(f"{server}/bruecke.html")
    _wait_for_metadata(opened)
    yield opened
    context.close()
    assert not errors
    assert all(url.startswith(server) for url in requests), requests


def _wait_for_metadata(page: Any) -> None:
    page.wait_for_function(f"{AUDIO}.readyState >= 1")


def _sentences(page: Any) -> list[dict[str, Any]]:
    return list(
        page.eval_on_selector_all(
            ".narrate-s",
            """spans => spans.map(s => ({text: s.textContent,
                start: parseFloat(s.dataset.start), end: parseFloat(s.dataset.end)}))""",
        )
    )


def _current_index(page: Any) -> int:
    return int(
        page.evaluate(
            f"[...document.querySelectorAll('.narrate-s')].indexOf({CURRENT})",
        )
    )


def _start_playing(page: Any) -> None:
    page.click(".narrate-play")
    page.wait_for_function(f"!{AUDIO}.paused && {AUDIO}.currentTime > 0")


def _wait_for_highlight(page: Any, index: int) -> None:
    try:
        page.wait_for_function(
            f"[...document.querySelectorAll('.narrate-s')].indexOf({CURRENT}) === {index}"
        )
    except playwright.TimeoutError:
        state = page.evaluate(f"[{AUDIO}.currentTime, {AUDIO}.paused]")
        pytest.fail(f"sentence {index} not highlighted: {_current_index(page)} is; {state}")


def test_setting_the_time_highlights_the_sentence_spoken_then(page: Any) -> None:
    _start_playing(page)
    page.evaluate(f"{AUDIO}.pause()")
    sentences = _sentences(page)
    for index in (1, 4, 6, len(sentences) - 1):
        middle = (sentences[index]["start"] + sentences[index]["end"]) / 2
        page.evaluate(f"{AUDIO}.currentTime = {middle}")
        _wait_for_highlight(page, index)
        spoken = [n for n, s in enumerate(sentences) if s["start"] <= middle < s["end"]]
        assert spoken == [index]
        assert page.eval_on_selector(".narrate-current", "s => s.ariaCurrent") == "true"
        assert page.locator(".narrate-s.narrate-current").count() == 1
        assert page.locator(".narrate-s[aria-current]").count() == 1


def test_highlight_follows_playback(page: Any) -> None:
    sentences = _sentences(page)
    _start_playing(page)
    page.evaluate(f"{AUDIO}.currentTime = {sentences[2]['end'] - 0.2}")
    _wait_for_highlight(page, 2)
    _wait_for_highlight(page, 3)
    assert not page.evaluate(f"{AUDIO}.paused")


def test_clicking_a_sentence_plays_from_its_start(page: Any) -> None:
    sentences = _sentences(page)
    page.locator(".narrate-s").nth(5).click()
    page.wait_for_function(f"!{AUDIO}.paused")
    time = page.evaluate(f"{AUDIO}.currentTime")
    assert sentences[5]["start"] <= time < sentences[5]["start"] + 1.0
    _wait_for_highlight(page, 5)


def test_play_button_is_reached_by_tab_and_started_by_space(page: Any) -> None:
    stops = _tab_until(page, "narrate-play")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Space")
    page.wait_for_function(f"!{AUDIO}.paused && {PLAY_LABEL} === 'Pausieren'")
    page.keyboard.press("Enter")
    page.wait_for_function(f"{AUDIO}.paused && {PLAY_LABEL} === 'Abspielen'")
    assert stops[-2:] == ["narrate-back", "narrate-play"]


def test_every_control_is_a_tab_stop(page: Any) -> None:
    stops = _tab_until(page, "narrate-chapter", count=3)
    expected = ["narrate-s", "narrate-back", "narrate-play", "narrate-forward", "narrate-seek"]
    expected += ["narrate-speed", "narrate-download", *["narrate-chapter"] * 3]
    assert stops == expected


def _tab_until(page: Any, cls: str, count: int = 1) -> list[str]:
    """Press Tab until the ``count``-th element with class ``cls`` has focus; the stops."""
    stops: list[str] = []
    while stops.count(cls) < count:
        assert len(stops) < 20, f"{cls} not reached by Tab: {stops}"
        page.keyboard.press("Tab")
        classes = page.evaluate("[...document.activeElement.classList]")
        stops.append(next((c for c in classes if c != "narrate-button"), ""))
    return stops


def test_enter_on_a_sentence_plays_from_it(page: Any) -> None:
    sentences = _sentences(page)
    _tab_until(page, "narrate-s")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent") == sentences[2]["text"]
    page.keyboard.press("Enter")
    page.wait_for_function(f"!{AUDIO}.paused")
    assert page.evaluate(f"{AUDIO}.currentTime") >= sentences[2]["start"]
    _wait_for_highlight(page, 2)


def test_speed_control_sets_the_playback_rate(page: Any) -> None:
    page.select_option(".narrate-speed", "1.5")
    assert page.evaluate(f"{AUDIO}.playbackRate") == 1.5
    page.select_option(".narrate-speed", "0.75")
    assert page.evaluate(f"{AUDIO}.playbackRate") == 0.75


def test_chapter_button_seeks_to_its_chapter(page: Any) -> None:
    chapter = page.locator(".narrate-chapter").nth(2)
    start = float(chapter.get_attribute("data-start"))
    chapter.click()
    page.wait_for_function(f"!{AUDIO}.paused")
    assert start <= page.evaluate(f"{AUDIO}.currentTime") < start + 1.0
    page.wait_for_function(
        "document.querySelectorAll('.narrate-chapter')[2].getAttribute('aria-current') === 'true'"
    )
    heading = page.locator("h2 .narrate-s").nth(1)
    assert float(heading.get_attribute("data-start")) == start


def test_skip_buttons_jump_fifteen_seconds(page: Any) -> None:
    page.evaluate(f"{AUDIO}.currentTime = 20")
    page.click(".narrate-back")
    assert page.evaluate(f"{AUDIO}.currentTime") == pytest.approx(5, abs=0.01)
    page.click(".narrate-forward")
    assert page.evaluate(f"{AUDIO}.currentTime") == pytest.approx(20, abs=0.01)
    page.wait_for_function("document.querySelector('.narrate-elapsed').textContent === '0:20'")


@pytest.mark.parametrize(("motion", "behavior"), [("reduce", "auto"), ("no-preference", "smooth")])
def test_current_sentence_is_scrolled_into_view(
    browser: Any, server: str, motion: str, behavior: str
) -> None:
    context = browser.new_context(viewport={"width": 800, "height": 320}, reduced_motion=motion)
    page = context.new_page()
    page.add_init_script(
        """window.scrolls = [];
        const original = Element.prototype.scrollIntoView;
        Element.prototype.scrollIntoView = function (options) {
            window.scrolls.push(options.behavior); return original.call(this, options); };"""
    )
    page.goto(f"{server}/bruecke.html")
    _wait_for_metadata(page)
    last = _sentences(page)[-1]
    _start_playing(page)
    page.evaluate(f"{AUDIO}.currentTime = {last['start'] + 0.1}")
    page.wait_for_function("window.scrolls.length > 0")
    assert set(page.evaluate("window.scrolls")) == {behavior}
    context.close()


def test_page_works_from_a_file_url(browser: Any, site: Path, tmp_path: Path) -> None:
    # reduced motion: no highlight transition half-way in the screenshot
    page = browser.new_page(viewport={"width": 1000, "height": 900}, reduced_motion="reduce")
    page.goto((site / "bruecke.html").as_uri())
    _wait_for_metadata(page)
    duration = float(page.get_attribute(".narrate-player", "data-duration"))
    assert page.evaluate(f"{AUDIO}.duration") == pytest.approx(duration, abs=0.1)
    _start_playing(page)
    sentences = _sentences(page)
    page.evaluate(f"{AUDIO}.pause(); {AUDIO}.currentTime = {sentences[5]['start'] + 0.05}")
    _wait_for_highlight(page, 5)
    page.screenshot(path=tmp_path / "player.png", full_page=True)
    assert (tmp_path / "player.png").stat().st_size > 10_000
    page.close()


def test_snippet_drives_the_sentences_of_a_host_page(browser: Any, site: Path) -> None:
    page_text = (site / "bruecke.html").read_text(encoding="utf-8")
    spans = page_text[page_text.index("<p><span") : page_text.index("</article>")]
    snippet = (site / "bruecke.embed.html").read_text(encoding="utf-8")
    host = site / "host.html"
    host.write_text(
        "<!DOCTYPE html><html lang='de'><head><meta charset='utf-8'>"
        "<style>section, p { font: 12px serif; }</style></head><body><article><h1>Host</h1>"
        f"{snippet}{spans}</article></body></html>",
        encoding="utf-8",
    )
    page = browser.new_page()
    page.goto(host.as_uri())
    _wait_for_metadata(page)
    page.locator(".narrate-s").nth(3).click()
    page.wait_for_function(f"!{AUDIO}.paused")
    _wait_for_highlight(page, 3)
    page.close()


def test_narrate_embed_gives_an_existing_page_a_working_read_along(
    browser: Any, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from narrate.cli import app

    page_file = tmp_path / "radwege.html"
    page_file.write_text(
        "<!DOCTYPE html><html lang='de'><head><meta charset='utf-8'><title>Radwege</title>"
        "</head><body><nav><a href='/'>Start</a></nav><article><h1>Neue Radwege</h1>"
        "<p>Die Stadt baut drei neue Radwege. Der Rat hat das am Montag beschlossen.</p>"
        "<p>Die Hauptstraße bekommt einen <a href='/plan'>geschützten Radweg</a>. "
        "Parkplätze fallen dafür weg.</p></article></body></html>",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["embed", str(page_file), "--engine", "espeak"])
    assert result.exit_code == 0, result.stderr

    page = browser.new_page()
    page.goto(page_file.as_uri())
    _wait_for_metadata(page)
    sentences = _sentences(page)
    assert [s["text"] for s in sentences][-1] == "Parkplätze fallen dafür weg."
    page.locator(".narrate-s", has_text="geschützten Radweg").click()
    page.wait_for_function(f"!{AUDIO}.paused")
    _wait_for_highlight(page, 3)
    assert page.evaluate(f"{AUDIO}.currentTime") >= sentences[3]["start"]
    page.close()


def test_a_missing_audio_file_is_announced_and_play_is_disabled(
    browser: Any, site: Path, tmp_path: Path
) -> None:
    page_text = (site / "bruecke.html").read_text(encoding="utf-8")
    orphan = tmp_path / "ohne-audio.html"
    orphan.write_text(page_text, encoding="utf-8")  # its bruecke.mp3 is not beside it
    page = browser.new_page()
    page.goto(orphan.as_uri())
    alert = page.locator(".narrate-error")
    alert.wait_for(state="visible")
    assert alert.get_attribute("role") == "alert"
    assert alert.inner_text() == "Die Audiodatei konnte nicht geladen werden."
    assert page.locator(".narrate-play").is_disabled()
    assert page.locator(".narrate-play").evaluate("e => getComputedStyle(e).opacity") == "0.4"
    page.close()


@pytest.mark.parametrize("width", [320, 375, 1000])
def test_every_control_and_the_time_fit_any_screen(browser: Any, server: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(f"{server}/bruecke.html")
    _wait_for_metadata(page)
    player = page.locator(".narrate-player").bounding_box()
    for selector in (".narrate-play", ".narrate-seek", ".narrate-time", ".narrate-speed"):
        element = page.locator(selector).first
        assert element.is_visible(), selector
        box = element.bounding_box()
        assert player["x"] <= box["x"] and box["x"] + box["width"] <= player["x"] + player["width"]
    assert re.fullmatch(r"0:00 / 0:\d\d", page.locator(".narrate-time").inner_text())
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "no sideways scroll"
    context.close()


_CONTRAST = """(selector) => {
    const rgb = (text) => text.match(/[\\d.]+/g).slice(0, 4).map(Number);
    const light = ([r, g, b]) => {
        const lin = (c) => {
            c /= 255;
            return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        };
        return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    const element = document.querySelector(selector);
    let back = element;
    while (back && (rgb(getComputedStyle(back).backgroundColor)[3] === 0
                    || getComputedStyle(back).backgroundColor === "transparent")) {
        back = back.parentElement;
    }
    const fore = light(rgb(getComputedStyle(element).color));
    const behind = light(rgb(getComputedStyle(back || document.body).backgroundColor));
    return (Math.max(fore, behind) + 0.05) / (Math.min(fore, behind) + 0.05);
}"""


READABLE = (
    ".narrate-s",
    ".narrate-prompt",
    ".narrate-time",
    ".narrate-speed",
    ".narrate-download",
    ".narrate-chapter-time",
    ".narrate-credit",
    ".narrate-play",
)
"""Text whose contrast with what is behind it must reach WCAG AA (4.5:1)."""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_is_readable_in_light_and_dark_settings(
    browser: Any, server: str, scheme: str
) -> None:
    context = browser.new_context(viewport={"width": 1000, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    page.goto(f"{server}/bruecke.html")
    _wait_for_metadata(page)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (background == "rgb(255, 255, 255)") == (scheme == "light")
    for selector in READABLE:
        assert page.evaluate(_CONTRAST, selector) >= 4.5, (scheme, selector)
    context.close()


def test_system_media_controls_name_the_article_and_drive_the_player(
    browser: Any, server: str
) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(
        """window.mediaActions = {};
        const register = MediaSession.prototype.setActionHandler;
        MediaSession.prototype.setActionHandler = function (action, handler) {
            window.mediaActions[action] = handler;
            return register.call(this, action, handler);
        };"""
    )
    page.goto(f"{server}/bruecke.html")
    _wait_for_metadata(page)
    _start_playing(page)
    session = page.evaluate(
        """({title: navigator.mediaSession.metadata.title,
             artist: navigator.mediaSession.metadata.artist,
             state: navigator.mediaSession.playbackState})"""
    )
    assert session == {
        "title": "Neue Brücke für die Altstadt",
        "artist": "Gesprochen von künstlicher Intelligenz",
        "state": "playing",
    }
    chapters = page.eval_on_selector_all(
        ".narrate-chapter", "items => items.map(i => parseFloat(i.dataset.start))"
    )
    page.evaluate("window.mediaActions.nexttrack()")
    page.wait_for_function(f"{AUDIO}.currentTime >= {chapters[1]}")
    page.evaluate("window.mediaActions.seekto({seekTime: 1.5})")
    page.wait_for_function(f"Math.abs({AUDIO}.currentTime - 1.5) < 0.5")
    page.evaluate("window.mediaActions.pause()")
    page.wait_for_function("navigator.mediaSession.playbackState === 'paused'")
    context.close()


def test_coming_back_continues_where_the_reader_stopped(browser: Any, server: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{server}/bruecke.html")
    _wait_for_metadata(page)
    _start_playing(page)
    page.evaluate(f"{AUDIO}.currentTime = 8.4")
    page.click(".narrate-play")  # pause
    page.wait_for_function(f"{AUDIO}.paused")

    page.reload()
    _wait_for_metadata(page)
    page.wait_for_function(f"{AUDIO}.currentTime === 8")
    assert page.locator(".narrate-elapsed").inner_text() == "0:08"

    duration = page.evaluate(f"{AUDIO}.duration")
    _start_playing(page)
    page.evaluate(f"{AUDIO}.currentTime = {duration - 0.3}")
    page.wait_for_function(f"{AUDIO}.ended")
    page.reload()
    _wait_for_metadata(page)
    assert page.evaluate(f"{AUDIO}.currentTime") == 0, "a finished narration starts over"
    context.close()


def test_the_error_message_stays_hidden_when_the_audio_loads(page: Any) -> None:
    assert page.locator(".narrate-error").is_hidden()
