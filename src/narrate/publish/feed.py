# mypy: disable-error-code="no-untyped-call"
# (mutagen ships py.typed, but most of its constructors and methods are unannotated.)
"""A podcast feed for a folder of narrated articles.

:func:`write_feed` scans a folder (recursively, hidden files skipped) for narrated
audio, reads each file's tags with mutagen and writes an RSS 2.0 feed with the
iTunes tags podcast apps need, newest episode first. An MP3 with chapters gets a
Podcasting 2.0 chapters file beside it (``STEM.chapters.json``, marked as narrate's
by ``"generator": "narrate"``) that its item links to; a chapters file of that name
that narrate did not write stops the run before anything is written. A file that
cannot be read is skipped with a warning, never fatal.
"""

from __future__ import annotations

import datetime
import email.utils
import json
import logging
import os
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import mutagen
from mutagen import FileType, MutagenError
from mutagen.id3 import ID3
from mutagen.mp4 import MP4Tags

from narrate import __version__
from narrate.atomic import atomic_path, write_text_atomic
from narrate.audio.tags import ISO_639_2
from narrate.batch.plan import MANIFEST_NAME
from narrate.errors import InputError, UsageError
from narrate.outputs import someone_elses
from narrate.publish.player import page_names
from narrate.publish.urls import iri_to_uri, join_url

__all__ = [
    "AUDIO_TYPES",
    "Episode",
    "EpisodeChapter",
    "FeedOptions",
    "FeedResult",
    "build_feed",
    "chapters_document",
    "read_episode",
    "scan_episodes",
    "write_feed",
]

log = logging.getLogger(__name__)

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
ATOM = "http://www.w3.org/2005/Atom"
CHAPTERS_TYPE = "application/json+chapters"
CHAPTERS_SUFFIX = ".chapters.json"
CHAPTERS_GENERATOR = "narrate"
"""The ``generator`` of every chapters file narrate writes: only those it replaces."""
FEED_NAME = "feed.xml"

AUDIO_TYPES: dict[str, str] = {
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".ogg": "audio/ogg",
    ".opus": "audio/ogg",
}
"""Audio extensions the feed lists, with their enclosure MIME type."""

_UTC = datetime.timezone.utc
_LANGUAGES = {three: two for two, three in ISO_639_2.items()}
_DESCRIPTION_CHARS = 300
_DESCRIPTION_SENTENCES = 3


@dataclass(frozen=True)
class FeedOptions:
    """What the channel says about itself; everything else comes from the episodes."""

    base_url: str
    """Public http(s) URL of the folder; enclosure URLs are this plus the relative path.

    Spaces and non-ASCII characters in it (and in ``image`` and ``link``) are
    percent-encoded, the host name IDNA-encoded."""
    title: str
    """The podcast's title."""
    description: str | None = None
    """Channel description; derived from the title when not given."""
    author: str | None = None
    """``itunes:author``: the publication or newsroom."""
    image: str | None = None
    """http(s) URL of the cover art (square, 1400-3000 px for Apple Podcasts)."""
    category: str = "News"
    """``itunes:category``, one of Apple's category names."""
    language: str | None = None
    """Channel language (``de``); the episodes' most common language when not given."""
    link: str | None = None
    """The website the podcast belongs to (the channel's ``link``); ``base_url`` when not given."""

    def __post_init__(self) -> None:
        for name, option in (("base_url", "--base-url"), ("image", "--image"), ("link", "--link")):
            url = getattr(self, name)
            if url is not None:
                object.__setattr__(self, name, _checked_url(url, option))
        if not self.title.strip():
            raise UsageError("the feed needs a title", "pass --title 'My podcast'")


@dataclass(frozen=True)
class EpisodeChapter:
    """One chapter of an episode: its title and where it starts."""

    title: str
    start_ms: int


@dataclass(frozen=True)
class Episode:
    """One narrated article as the feed lists it."""

    path: Path
    relative: str
    """Path below the feed folder, with ``/`` separators."""
    title: str
    published: datetime.datetime
    """Publication time (timezone-aware, UTC)."""
    duration_s: float
    size: int
    """File size in bytes."""
    mime_type: str
    language: str | None
    description: str
    chapters: tuple[EpisodeChapter, ...] = ()
    page: str | None = None
    """The read-along player page beside the audio (``--html``), relative like ``relative``."""

    @property
    def chapters_path(self) -> Path:
        """Where the episode's Podcasting 2.0 chapters file goes (``STEM.chapters.json``)."""
        return self.path.with_name(self.path.stem + CHAPTERS_SUFFIX)


@dataclass(frozen=True)
class FeedResult:
    """What :func:`write_feed` wrote."""

    path: Path
    episodes: tuple[Episode, ...]
    chapter_files: tuple[Path, ...]


def write_feed(
    folder: Path,
    options: FeedOptions,
    output: Path | None = None,
    *,
    now: datetime.datetime | None = None,
) -> FeedResult:
    """Write the feed for ``folder`` to ``output`` (default ``folder/feed.xml``) atomically.

    Also writes ``STEM.chapters.json`` beside every episode with chapters. Raises
    :class:`InputError` when the folder holds no readable narrated audio.
    """
    episodes = _episodes_or_error(folder)
    destination = output or folder / FEED_NAME
    if not destination.parent.is_dir():
        raise UsageError(f"the feed's folder {destination.parent} does not exist")
    _refuse_to_replace_other_files(destination)
    chaptered = [episode for episode in episodes if episode.chapters]
    _keep_others_chapters(chaptered)
    chapter_files = tuple(_write_chapters(episode) for episode in chaptered)
    self_url = _join_url(options.base_url, _relative_or_name(destination, folder))
    document = build_feed(episodes, options, self_url, now or _utc_now())
    with atomic_path(destination) as temporary:
        temporary.write_bytes(document)
    return FeedResult(destination, tuple(episodes), chapter_files)


def _refuse_to_replace_other_files(destination: Path) -> None:
    """Only an earlier feed (or nothing) may be where the feed goes: never audio or a page."""
    if destination.is_dir():
        raise UsageError(f"-o {destination} is a folder", "give the feed's file name")
    if not destination.exists():
        return
    with destination.open("rb") as existing:
        start = existing.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    if not start.startswith((b"<?xml", b"<rss")):
        raise UsageError(
            f"{destination} exists and is not a feed; narrate will not replace it",
            "choose another -o, e.g. feed.xml",
        )


def _keep_others_chapters(episodes: Sequence[Episode]) -> None:
    """Refuse to start when a ``STEM.chapters.json`` is there that narrate did not write."""
    for episode in episodes:
        if someone_elses(episode.chapters_path, is_narrates_chapters):
            raise UsageError(
                f"{episode.chapters_path} is there and narrate did not write it; "
                "the feed would replace it with the episode's chapters",
                "move it, then run narrate feed again",
            )


def is_narrates_feed(path: Path) -> bool:
    """Whether ``path`` is a feed ``narrate feed`` wrote (its channel's generator says so)."""
    try:
        with path.open("rb") as feed:
            head = feed.read(4096)
    except OSError:
        return False
    return b"<generator>narrate " in head


def is_narrates_chapters(path: Path) -> bool:
    """Whether ``path`` is a chapters file narrate wrote (its ``generator`` says so)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(document, dict) and document.get("generator") == CHAPTERS_GENERATOR


def _episodes_or_error(folder: Path) -> list[Episode]:
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder", "pass the folder with the narrated audio")
    episodes = scan_episodes(folder)
    if not episodes:
        raise InputError(
            f"no narrated audio in {folder}",
            f"narrate articles into it first; the feed lists {', '.join(AUDIO_TYPES)} files",
        )
    return episodes


def scan_episodes(folder: Path) -> list[Episode]:
    """Every readable audio file below ``folder``, newest first (ties by path)."""
    finished = _manifest_times(folder)
    episodes = []
    for path in _audio_files(folder):
        episode = read_episode(path, folder, finished.get(path))
        if episode is not None:
            episodes.append(episode)
    episodes.sort(key=lambda episode: episode.relative)
    episodes.sort(key=lambda episode: episode.published, reverse=True)
    return episodes


def read_episode(
    path: Path, folder: Path, fallback_date: datetime.datetime | None = None
) -> Episode | None:
    """Read one audio file's tags, length and chapters; ``None`` (logged) when unreadable.

    The date is the file's date tag, else ``fallback_date`` (the batch manifest's
    finish time), else the file's modification time.
    """
    audio = _open_audio(path)
    if audio is None:
        return None
    fields = _tag_fields(audio.tags)
    stat = path.stat()
    title = fields.get("title") or path.stem
    published = _parse_date(fields.get("date")) or fallback_date or _from_timestamp(stat.st_mtime)
    timings = _read_timings(path)
    return Episode(
        path=path,
        relative=path.relative_to(folder).as_posix(),
        title=title,
        published=published,
        duration_s=audio.length_s,
        size=stat.st_size,
        mime_type=AUDIO_TYPES[path.suffix.lower()],
        language=_two_letter(fields.get("language")),
        description=_description(timings, title),
        chapters=_id3_chapters(audio.tags) or _timing_chapters(timings),
        page=_player_page(path, folder),
    )


def _player_page(audio: Path, folder: Path) -> str | None:
    """The ``--html`` page of ``audio`` (``STEM.html`` or ``STEM.narrated.html``), if any."""
    page, narrated_page, _ = page_names(audio)
    for candidate in (narrated_page, page):
        if candidate.is_file():
            return candidate.relative_to(folder).as_posix()
    return None


def chapters_document(episode: Episode) -> dict[str, Any]:
    """The episode's chapters in the Podcasting 2.0 JSON chapters format."""
    chapters = [
        {"startTime": _seconds(chapter.start_ms), "title": chapter.title}
        for chapter in episode.chapters
    ]
    return {"version": "1.2.0", "generator": CHAPTERS_GENERATOR, "chapters": chapters}


def build_feed(
    episodes: Sequence[Episode],
    options: FeedOptions,
    self_url: str,
    now: datetime.datetime,
) -> bytes:
    """The RSS 2.0 document (UTF-8 bytes) for ``episodes``, in the order given."""
    for prefix, uri in (("itunes", ITUNES), ("podcast", PODCAST), ("atom", ATOM)):
        ET.register_namespace(prefix, uri)
    rss = ET.Element("rss", {"version": "2.0"})
    channel = _channel(ET.SubElement(rss, "channel"), episodes, options, self_url, now)
    for episode in episodes:
        _item(ET.SubElement(channel, "item"), episode, options.base_url)
    ET.indent(rss)
    document: bytes = ET.tostring(rss, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def _channel(
    channel: ET.Element,
    episodes: Sequence[Episode],
    options: FeedOptions,
    self_url: str,
    now: datetime.datetime,
) -> ET.Element:
    _text(channel, "title", options.title)
    _text(channel, "link", _channel_link(options))
    _text(channel, "description", options.description or _default_description(options.title))
    language = options.language or _majority_language(episodes)
    if language:
        _text(channel, "language", language)
    _text(channel, "generator", f"narrate {__version__}")
    _text(channel, "lastBuildDate", email.utils.format_datetime(now.astimezone(_UTC)))
    ET.SubElement(
        channel,
        f"{{{ATOM}}}link",
        {"href": self_url, "rel": "self", "type": "application/rss+xml"},
    )
    _itunes_channel(channel, options)
    return channel


def _channel_link(options: FeedOptions) -> str:
    """The website of the podcast: ``--link``, else the folder the feed is served from."""
    return options.link or _folder_url(options.base_url)


def _itunes_channel(channel: ET.Element, options: FeedOptions) -> None:
    if options.author:
        _text(channel, f"{{{ITUNES}}}author", options.author)
    if options.image:
        ET.SubElement(channel, f"{{{ITUNES}}}image", {"href": options.image})
        image = ET.SubElement(channel, "image")
        _text(image, "url", options.image)
        _text(image, "title", options.title)
        _text(image, "link", _channel_link(options))
    ET.SubElement(channel, f"{{{ITUNES}}}category", {"text": options.category})
    _text(channel, f"{{{ITUNES}}}explicit", "false")
    _text(channel, f"{{{ITUNES}}}type", "episodic")


def _item(item: ET.Element, episode: Episode, base_url: str) -> None:
    url = _join_url(base_url, episode.relative)
    _text(item, "title", episode.title)
    if episode.page is not None:
        _text(item, "link", _join_url(base_url, episode.page))
    _text(item, "description", episode.description)
    _text(item, "guid", url).set("isPermaLink", "false")
    _text(item, "pubDate", email.utils.format_datetime(episode.published))
    attributes = {"url": url, "length": str(episode.size), "type": episode.mime_type}
    ET.SubElement(item, "enclosure", attributes)
    _text(item, f"{{{ITUNES}}}duration", str(round(episode.duration_s)))
    _text(item, f"{{{ITUNES}}}episodeType", "full")
    if episode.chapters:
        chapters_url = _join_url(base_url, _sibling(episode.relative, episode.chapters_path.name))
        ET.SubElement(item, f"{{{PODCAST}}}chapters", {"url": chapters_url, "type": CHAPTERS_TYPE})


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = text
    return element


def _write_chapters(episode: Episode) -> Path:
    text = json.dumps(chapters_document(episode), ensure_ascii=False, indent=2) + "\n"
    write_text_atomic(episode.chapters_path, text)
    return episode.chapters_path


# Reading the folder.


def _audio_files(folder: Path) -> Iterator[Path]:
    """Audio files below ``folder`` in path order, skipping hidden files and folders."""
    for root, folders, files in os.walk(folder):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in AUDIO_TYPES:
                yield Path(root) / name


@dataclass(frozen=True)
class _Audio:
    """What mutagen read from one file."""

    tags: Any
    length_s: float


def _open_audio(path: Path) -> _Audio | None:
    """The file's tags and exact length; ``None`` (with a warning) when it is no audio."""
    try:
        audio: FileType | None = mutagen.File(str(path))
    except (MutagenError, OSError, ValueError, EOFError) as error:
        log.warning("skipped %s: not readable audio (%s)", path, error or type(error).__name__)
        return None
    length = float(getattr(getattr(audio, "info", None), "length", 0) or 0)
    if audio is None or length <= 0:
        log.warning("skipped %s: not readable audio (no length)", path)
        return None
    return _Audio(audio.tags, length)


def _tag_fields(tags: Any) -> dict[str, str]:
    """Title, date and language from ID3, MP4 or Vorbis tags (missing ones left out)."""
    if tags is None:
        return {}
    if isinstance(tags, ID3):
        keys = {"title": "TIT2", "date": "TDRC", "language": "TLAN"}
    elif isinstance(tags, MP4Tags):
        keys = {"title": "©nam", "date": "©day", "language": "----:com.apple.iTunes:LANGUAGE"}
    else:
        keys = {"title": "title", "date": "date", "language": "language"}
    fields = {name: _first_text(tags.get(key)) for name, key in keys.items()}
    return {name: value for name, value in fields.items() if value}


def _first_text(value: Any) -> str:
    """The first text of an ID3 frame, a Vorbis comment list or an MP4 atom list."""
    if value is None:
        return ""
    texts = getattr(value, "text", value)
    first = texts[0] if isinstance(texts, list) and texts else texts
    if isinstance(first, bytes):
        first = first.decode("utf-8", "replace")
    return str(first).strip()


def _id3_chapters(tags: Any) -> tuple[EpisodeChapter, ...]:
    if not isinstance(tags, ID3):
        return ()
    frames = sorted(tags.getall("CHAP"), key=lambda frame: frame.start_time)
    return _real_chapters(
        EpisodeChapter(
            _first_text(frame.sub_frames.get("TIT2")) or frame.element_id, frame.start_time
        )
        for frame in frames
    )


def _timing_chapters(timings: dict[str, Any], minimum: int = 2) -> tuple[EpisodeChapter, ...]:
    try:
        return _real_chapters(
            (
                EpisodeChapter(str(chapter["title"]), int(chapter["start_ms"]))
                for chapter in timings.get("chapters", ())
            ),
            minimum,
        )
    except (KeyError, TypeError, ValueError):
        return ()


def _real_chapters(
    chapters: Iterable[EpisodeChapter], minimum: int = 2
) -> tuple[EpisodeChapter, ...]:
    """The chapters, or none when fewer than ``minimum``.

    A single chapter (the whole article) is no chapter list worth a file.
    """
    found = tuple(chapters)
    return found if len(found) >= minimum else ()


def _read_timings(path: Path) -> dict[str, Any]:
    """The ``--captions`` JSON timings beside the audio (``STEM.json``), or ``{}``."""
    try:
        document = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return document if isinstance(document, dict) else {}


def _description(timings: dict[str, Any], title: str) -> str:
    """The article's first sentences (from the timings), else its title.

    The title and the subheadings are spoken as sentences too; they are left out.
    """
    headings = {title, *(chapter.title for chapter in _timing_chapters(timings, minimum=1))}
    picked: list[str] = []
    for text in _sentence_texts(timings):
        if text in headings:
            continue
        picked.append(text)
        if len(picked) >= _DESCRIPTION_SENTENCES or sum(map(len, picked)) >= _DESCRIPTION_CHARS:
            break
    return " ".join(picked) or title


def _sentence_texts(timings: dict[str, Any]) -> list[str]:
    sentences = timings.get("sentences")
    if not isinstance(sentences, list):
        return []
    texts = [sentence.get("text") for sentence in sentences if isinstance(sentence, dict)]
    return [text.strip() for text in texts if isinstance(text, str) and text.strip()]


def _manifest_times(folder: Path) -> dict[Path, datetime.datetime]:
    """Output path -> when the batch finished it, from ``narrate-manifest.json`` if any."""
    try:
        document = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
        articles = document["articles"]
        entries = [entry for entry in articles.values() if isinstance(entry, dict)]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}
    times = {}
    for entry in entries:
        finished = _parse_date(str(entry.get("finished", "")))
        for output in entry.get("outputs", ()):
            if finished and isinstance(output, dict) and "path" in output:
                times[folder / str(output["path"])] = finished
    return times


# Values.


def _parse_date(text: str | None) -> datetime.datetime | None:
    """``YYYY[-MM[-DD]]`` (midnight UTC) or an ISO timestamp (UTC unless it says)."""
    if not text:
        return None
    text = text.strip().replace("Z", "+00:00")
    for length, pattern in ((4, "%Y"), (7, "%Y-%m")):
        if len(text) == length:
            try:
                return datetime.datetime.strptime(text, pattern).replace(tzinfo=_UTC)
            except ValueError:
                return None
    try:
        parsed = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed.replace(tzinfo=parsed.tzinfo or _UTC).astimezone(_UTC)


def _seconds(milliseconds: int) -> int | float:
    """Whole seconds as an int (``0``), else a float (``5.415``)."""
    whole, rest = divmod(milliseconds, 1000)
    return whole if rest == 0 else milliseconds / 1000


def _from_timestamp(seconds: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(int(seconds), _UTC)


def _utc_now() -> datetime.datetime:
    return datetime.datetime.now(_UTC).replace(microsecond=0)


def _two_letter(code: str | None) -> str | None:
    """``deu`` -> ``de``; other codes as they are, lower-cased."""
    if not code:
        return None
    code = code.strip().lower()
    return _LANGUAGES.get(code, code)


def _majority_language(episodes: Sequence[Episode]) -> str | None:
    """The most common episode language (ties: the alphabetically first)."""
    counts = Counter(episode.language for episode in episodes if episode.language)
    if not counts:
        return None
    return min(counts, key=lambda language: (-counts[language], language))


def _default_description(title: str) -> str:
    return f"{title}: articles read aloud by a synthetic voice (narrate)."


def _checked_url(url: str, option: str) -> str:
    """``url`` as a URL (IRI to URI), or a UsageError when it is no http(s) URL."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise UsageError(
            f"{option} must be an http(s) URL, not {url!r}",
            "e.g. https://example.org/podcast/",
        )
    try:
        return iri_to_uri(url)
    except ValueError as error:
        raise UsageError(f"{option} {url!r} is not a valid URL: {error}") from None


def _folder_url(base_url: str) -> str:
    return base_url.rstrip("/") + "/"


def _join_url(base_url: str, relative: str) -> str:
    """``base_url`` plus the URL-quoted relative path (spaces, umlauts percent-encoded)."""
    return join_url(base_url, relative)


def _sibling(relative: str, name: str) -> str:
    folder, _, _ = relative.rpartition("/")
    return f"{folder}/{name}" if folder else name


def _relative_or_name(path: Path, folder: Path) -> str:
    try:
        return path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return path.name
