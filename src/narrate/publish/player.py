"""The read-along player: a self-contained HTML page and an embeddable snippet.

:func:`to_page` writes the whole article as a page: its title, headings and
paragraphs, every narrated sentence a ``<span class="narrate-s">`` carrying its
start and end (seconds, in ``data-start`` / ``data-end``), with the player under
the headline. :func:`to_snippet` writes only the player with its inline style and
script, for a CMS to paste into its own article template (the page's sentences
then come from ``narrate embed``).

Both are self-contained: the CSS and JavaScript (hand-written, shipped as package
data in ``narrate/publish/assets``) are inlined, and the only other file they
refer to is the audio, by its relative name, so the page works from ``file://``
and from any static host. Every piece of article text goes through
:func:`html.escape`; the assets are ours and are checked never to contain a
closing ``</script`` or ``</style``.
"""

from __future__ import annotations

import functools
import html
import importlib.resources
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Protocol
from urllib.parse import unquote, urlsplit

from narrate.audio.timeline import Chapter, TimedUtterance, Timeline
from narrate.clock import clock
from narrate.errors import UsageError
from narrate.outputs import (
    PAGE_GENERATOR,
    SNIPPET_START,
    is_narrates_page,
    is_narrates_snippet,
    someone_elses,
)
from narrate.publish.captions import NarrationInfo
from narrate.publish.urls import iri_to_uri, path_to_url
from narrate.speech.script import UtteranceKind

__all__ = [
    "PlayerLabels",
    "PlayerTiming",
    "SPEEDS",
    "asset",
    "labels_for",
    "page_paths",
    "to_page",
    "to_snippet",
]

SPEEDS = (0.75, 1.0, 1.25, 1.5, 1.75, 2.0)
"""Playback rates offered by the speed control."""

SKIP_SECONDS = 15
"""How far the back and forward buttons jump."""

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
"""Inputs that are web pages themselves: their player page gets another name."""


class PlayerTiming(Protocol):
    """What the player itself needs to know: a :class:`Timeline` or a ``Narration``."""

    @property
    def duration_ms(self) -> int:
        """Total length of the narration in milliseconds."""
        ...

    @property
    def chapters(self) -> tuple[Chapter, ...]:
        """The chapters, for the chapter list."""
        ...


@dataclass(frozen=True)
class PlayerLabels:
    """Every text the player shows or says to a screen reader, in one language."""

    region: str
    prompt: str
    credit: str
    play: str
    pause: str
    back: str
    forward: str
    speed: str
    seek: str
    of: str
    chapters: str
    download: str
    failed: str
    """Shown (and announced) when the audio cannot be loaded."""
    decimal: str
    """The decimal separator for the speeds (``0,75×`` in German)."""


_LABELS = {
    "de": PlayerLabels(
        region="Artikel anhören",
        prompt="Drücken Sie Play, um diesen Artikel anzuhören",
        credit="Gesprochen von künstlicher Intelligenz",
        play="Abspielen",
        pause="Pausieren",
        back=f"{SKIP_SECONDS} Sekunden zurück",
        forward=f"{SKIP_SECONDS} Sekunden vor",
        speed="Tempo",
        seek="Position",
        of="von",
        chapters="Kapitel",
        download="Audio herunterladen",
        failed="Die Audiodatei konnte nicht geladen werden.",
        decimal=",",
    ),
    "en": PlayerLabels(
        region="Listen to this article",
        prompt="Press play to listen to this article",
        credit="Narrated by artificial intelligence",
        play="Play",
        pause="Pause",
        back=f"Back {SKIP_SECONDS} seconds",
        forward=f"Forward {SKIP_SECONDS} seconds",
        speed="Speed",
        seek="Position",
        of="of",
        chapters="Chapters",
        download="Download audio",
        failed="The audio could not be loaded.",
        decimal=".",
    ),
}


def labels_for(language: str) -> PlayerLabels:
    """The labels for ``language`` (``de``, ``de-AT``, ``en_GB``…); English for the rest."""
    base = language.replace("_", "-").split("-")[0].lower()
    return _LABELS.get(base, _LABELS["en"])


@functools.cache
def asset(name: str) -> str:
    """The text of a packaged asset (``player.js``, ``player.css``)."""
    text = importlib.resources.files("narrate.publish").joinpath("assets", name).read_text("utf-8")
    if "</script" in text.lower() or "</style" in text.lower():
        raise ValueError(f"asset {name} must not contain a closing script or style tag")
    return text


def page_names(audio: Path) -> tuple[Path, Path, Path]:
    """Every name ``--html`` may write for ``audio``: ``STEM.html``, ``STEM.narrated.html``
    (when ``STEM.html`` is taken) and the snippet ``STEM.embed.html``."""
    return (
        audio.with_suffix(".html"),
        audio.with_name(f"{audio.stem}.narrated.html"),
        audio.with_name(f"{audio.stem}.embed.html"),
    )


def page_paths(audio: Path, source: str | Path | None = None) -> tuple[Path, Path]:
    """Where the player page and the snippet go for the audio file ``audio``.

    The page is ``STEM.html`` beside the audio, or ``STEM.narrated.html`` when
    the source is an HTML page or ``STEM.html`` is a file narrate did not write
    (an input or anyone's page is never overwritten). The snippet is
    ``STEM.embed.html``. Raises :class:`UsageError` when the page's or the
    snippet's name holds a file that narrate did not write: it stays.
    """
    page, narrated_page, snippet = page_names(audio)
    source_is_page = source is not None and Path(source).suffix.lower() in HTML_SUFFIXES
    if source_is_page or someone_elses(page, is_narrates_page):
        page = narrated_page
    _keep_others(page, is_narrates_page)
    _keep_others(snippet, is_narrates_snippet)
    return page, snippet


def _keep_others(path: Path, made_by_narrate: Callable[[Path], bool]) -> None:
    """Refuse to start when ``--html`` would replace a file that narrate did not write."""
    if someone_elses(path, made_by_narrate):
        raise UsageError(
            f"{path} is there and narrate did not write it; --html would replace it",
            "move it, or narrate to another -o",
        )


def to_page(timeline: Timeline, info: NarrationInfo, audio_name: str) -> str:
    """The whole read-along page for ``timeline``, playing the file ``audio_name``.

    ``audio_name`` is the audio's file path relative to the page (not
    percent-encoded: ``#``, ``?`` and ``%`` are part of the name) or its URL
    (``http(s)://…``, or ``/…`` from the site's root).
    """
    labels = labels_for(info.language)
    utterances = timeline.utterances
    title_span = [u for u in utterances[:1] if u.kind is UtteranceKind.TITLE]
    heading = _spans(title_span) if title_span else _text(info.title)
    body = _article_blocks(utterances[len(title_span) :])
    player = _player(timeline, labels, audio_name, info.title)
    return _PAGE.format(
        generator=PAGE_GENERATOR,
        lang=_attr(info.language),
        title=_text(info.title),
        css=asset("player.css"),
        heading=heading,
        player=player,
        body="\n".join(body),
        js=asset("player.js"),
    )


def to_snippet(timeline: PlayerTiming, info: NarrationInfo, audio_name: str) -> str:
    """The player alone with its inline style and script, for a page of one's own.

    It drives the ``narrate-s`` sentence spans of the ``<article>`` it is put in
    (or of the whole page), as :mod:`narrate.publish.inject` writes them.
    ``audio_name`` is as for :func:`to_page`.
    """
    labels = labels_for(info.language)
    return _SNIPPET.format(
        lang=_attr(info.language),
        css=asset("player.css"),
        player=_player(timeline, labels, audio_name, info.title),
        js=asset("player.js"),
    )


_PAGE = """\
<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{generator}
<meta name="color-scheme" content="light dark">
<title>{title}</title>
<style>
{css}</style>
</head>
<body class="narrate-page">
<main class="narrate-main">
<article class="narrate-article">
<h1 class="narrate-title">{heading}</h1>
{player}
{body}
</article>
</main>
<script>
{js}</script>
</body>
</html>
"""

_SNIPPET = (
    SNIPPET_START
    + """{lang}">
<style>
{css}</style>
{player}
<script>
{js}</script>
</div>
"""
)


def _article_blocks(utterances: Sequence[TimedUtterance]) -> Iterator[str]:
    """``<h2>`` for each heading, ``<p>`` for each run of sentences ending a paragraph."""
    paragraph: list[TimedUtterance] = []
    for utterance in utterances:
        if utterance.kind is not UtteranceKind.SENTENCE:
            yield from _paragraph(paragraph)
            paragraph = []
            yield f'<h2 class="narrate-heading">{_spans([utterance])}</h2>'
            continue
        paragraph.append(utterance)
        if utterance.ends_paragraph:
            yield from _paragraph(paragraph)
            paragraph = []
    yield from _paragraph(paragraph)


def _paragraph(sentences: Sequence[TimedUtterance]) -> Iterator[str]:
    if sentences:
        yield f"<p>{_spans(sentences)}</p>"


def _spans(utterances: Sequence[TimedUtterance]) -> str:
    """One focusable, clickable span per utterance, with its start and end in seconds."""
    return " ".join(
        f'<span class="narrate-s" data-start="{_seconds(u.start_ms)}"'
        f' data-end="{_seconds(u.end_ms)}" tabindex="-1">{_text(u.display)}</span>'
        for u in utterances
    )


def _player(timeline: PlayerTiming, labels: PlayerLabels, audio_name: str, title: str) -> str:
    """The player region: audio element, controls, chapters and the credit line.

    ``title`` names the narration to the system's media controls (lock screen, headset).
    """
    src = _attr(_url(audio_name))
    total = clock(timeline.duration_ms)
    duration = _seconds(timeline.duration_ms)
    return f"""\
<section class="narrate-player" role="region" aria-label="{_attr(labels.region)}" \
data-duration="{duration}" data-title="{_attr(title)}" data-label-play="{_attr(labels.play)}" \
data-label-pause="{_attr(labels.pause)}" data-label-of="{_attr(labels.of)}" \
data-label-credit="{_attr(labels.credit)}">
<audio class="narrate-audio" preload="metadata" src="{src}"></audio>
<p class="narrate-prompt">{_text(labels.prompt)}</p>
<div class="narrate-controls">
<button type="button" class="narrate-button narrate-back" aria-label="{_attr(labels.back)}">\
{_ICON_BACK}</button>
<button type="button" class="narrate-button narrate-play" aria-label="{_attr(labels.play)}">\
{_ICON_PLAY}{_ICON_PAUSE}</button>
<button type="button" class="narrate-button narrate-forward" \
aria-label="{_attr(labels.forward)}">{_ICON_FORWARD}</button>
<input type="range" class="narrate-seek" min="0" max="{duration}" step="0.1" value="0" \
aria-label="{_attr(labels.seek)}" aria-valuetext="0:00 {_attr(labels.of)} {total}">
<span class="narrate-time" aria-live="off"><span class="narrate-elapsed">0:00</span> / \
<span class="narrate-total">{total}</span></span>
</div>
<div class="narrate-extras">
<label class="narrate-speed-label">{_text(labels.speed)} \
<select class="narrate-speed">{_speed_options(labels)}</select></label>
<a class="narrate-download" href="{src}" download="{_attr(_file_name(_url(audio_name)))}">\
{_text(labels.download)}</a>
</div>
{_chapter_list(timeline.chapters, labels)}\
<p class="narrate-error" role="alert" hidden>{_text(labels.failed)}</p>
<p class="narrate-credit">{_text(labels.credit)}</p>
</section>"""


def _speed_options(labels: PlayerLabels) -> str:
    """The speeds as options (normal speed selected), written the language's way."""
    return "".join(
        f'<option value="{speed:g}"{" selected" if speed == 1.0 else ""}>'
        f"{f'{speed:g}'.replace('.', labels.decimal)}×</option>"
        for speed in SPEEDS
    )


def _chapter_list(chapters: Sequence[Chapter], labels: PlayerLabels) -> str:
    """A list of chapter buttons, or nothing for an article without subheadings."""
    if len(chapters) < 2:
        return ""
    items = "\n".join(
        f'<li><button type="button" class="narrate-chapter"'
        f' data-start="{_seconds(chapter.start_ms)}">'
        f'<span class="narrate-chapter-title">{_text(chapter.title)}</span> '
        f'<span class="narrate-chapter-time">{clock(chapter.start_ms)}</span></button></li>'
        for chapter in chapters
    )
    return (
        f'<nav class="narrate-chapters" aria-label="{_attr(labels.chapters)}">\n'
        f'<p class="narrate-chapters-heading">{_text(labels.chapters)}</p>\n'
        f"<ol>\n{items}\n</ol>\n</nav>\n"
    )


def _url(address: str) -> str:
    """``address`` as the player's ``src`` and download link carry it.

    A URL (``http(s)://…`` or a path from the site's root, ``/audio/…``) keeps
    its reserved characters and escapes; only what a URL cannot carry is
    encoded. Anything else is a file path relative to the page, and every
    character a URL reserves is encoded (``#1?%.mp3`` is ``%231%3F%25.mp3``).
    """
    if address.startswith("/") or _ABSOLUTE.match(address):
        return iri_to_uri(address)
    return path_to_url(address)


_ABSOLUTE = re.compile(r"https?://", re.IGNORECASE)


def _file_name(url: str) -> str:
    """The file name the download link suggests: the (encoded) URL's last path segment."""
    return PurePosixPath(unquote(urlsplit(url).path)).name or "audio"


def _seconds(milliseconds: int) -> str:
    """Seconds with millisecond precision, as the player's data attributes hold them."""
    return f"{milliseconds / 1000:.3f}"


def _text(text: str) -> str:
    """Article text as HTML character data."""
    return html.escape(text, quote=False)


def _attr(text: str) -> str:
    """Text as the value of a double-quoted attribute."""
    return html.escape(text, quote=True)


def _icon(path: str, name: str, caption: str = "") -> str:
    """An inline SVG icon (hidden from screen readers: the button has the label)."""
    svg = (
        f'<svg class="narrate-icon narrate-icon-{name}" viewBox="0 0 24 24" width="24"'
        f' height="24" aria-hidden="true" focusable="false"><path d="{path}"/></svg>'
    )
    return svg + (f'<span class="narrate-skip" aria-hidden="true">{caption}</span>' * bool(caption))


_ICON_PLAY = _icon("M8 5v14l11-7z", "play")
_ICON_PAUSE = _icon("M6 5h4v14H6zm8 0h4v14h-4z", "pause")
_ICON_BACK = _icon("M12 5V1L7 6l5 5V7a6 6 0 1 1-6 6H4a8 8 0 1 0 8-8z", "back", f"{SKIP_SECONDS}")
_ICON_FORWARD = _icon(
    "M12 5V1l5 5-5 5V7a6 6 0 1 0 6 6h2a8 8 0 1 1-8-8z", "forward", f"{SKIP_SECONDS}"
)
