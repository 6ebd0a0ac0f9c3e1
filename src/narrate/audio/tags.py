# mypy: disable-error-code="no-untyped-call"
# (mutagen ships py.typed, but most of its constructors and methods are unannotated.)
"""Writing metadata and chapters into an encoded file (after :func:`encode`).

- ``mp3``: ID3v2.4 with TIT2, TPE1, TPUB, TLAN, TDRC, COMM, TXXX for the engine
  and voice, and chapters as CHAP frames under one top-level CTOC.
- ``ogg``/``opus``: Vorbis comments, chapters as ``CHAPTER001=HH:MM:SS.mmm`` and
  ``CHAPTER001NAME`` (the Xiph chapter extension).
- ``m4a``: iTunes tags (©nam, ©ART, ©day, ©cmt, free-form for the rest); no
  chapters (mutagen cannot write MP4 chapters).
- ``wav``: nothing; RIFF metadata is read by too few players to be worth it.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import mutagen
from mutagen import FileType, MutagenError
from mutagen.id3 import CHAP, COMM, CTOC, ID3, TDRC, TIT2, TLAN, TPE1, TPUB, TXXX, CTOCFlags
from mutagen.mp4 import MP4, MP4FreeForm
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis

from narrate.audio.timeline import Chapter
from narrate.clock import timestamp
from narrate.errors import EncoderError, UsageError

__all__ = ["ISO_639_2", "TagInfo", "iso639_2", "made_by_narrate", "write_tags"]

ISO_639_2: dict[str, str] = {
    "am": "amh", "ar": "ara", "bg": "bul", "bn": "ben", "ca": "cat", "cs": "ces",
    "cy": "cym", "da": "dan", "de": "deu", "el": "ell", "en": "eng", "es": "spa",
    "et": "est", "eu": "eus", "fa": "fas", "fi": "fin", "fr": "fra", "ga": "gle",
    "gl": "glg", "he": "heb", "hi": "hin", "hr": "hrv", "hu": "hun", "hy": "hye",
    "id": "ind", "is": "isl", "it": "ita", "ja": "jpn", "ka": "kat", "kk": "kaz",
    "ko": "kor", "lt": "lit", "lv": "lav", "mk": "mkd", "mr": "mar", "ms": "msa",
    "my": "mya", "nb": "nob", "ne": "nep", "nl": "nld", "nn": "nno", "no": "nor",
    "pa": "pan", "pl": "pol", "pt": "por", "ro": "ron", "ru": "rus", "sk": "slk",
    "sl": "slv", "sq": "sqi", "sr": "srp", "sv": "swe", "sw": "swa", "ta": "tam",
    "te": "tel", "th": "tha", "tr": "tur", "uk": "ukr", "ur": "urd", "vi": "vie",
    "zh": "zho",
}  # fmt: skip
"""Two-letter ISO 639-1 code -> three-letter ISO 639-2 (terminology) code."""

_UTF8 = 3
_NO_OFFSET = 0xFFFFFFFF
_CTOC_CHILDREN = 255
"""The most children one CTOC frame holds (it counts them in a single byte)."""
_FREEFORM = "----:com.apple.iTunes:"


@dataclass(frozen=True)
class TagInfo:
    """What the tags say about a narration. ``None`` fields are left out."""

    title: str
    artist: str | None = None
    """Author or speaker credit."""
    publisher: str | None = None
    """Publication or site name."""
    language: str | None = None
    """Language of the article: ``"de"``, ``"de-DE"`` or an ISO 639-2 code."""
    date: str | None = None
    """Publication date, ``YYYY[-MM[-DD]]``."""
    comment: str | None = None
    """Free text, e.g. the synthetic-voice disclosure."""
    engine: str | None = None
    """The speech engine's name."""
    voice: str | None = None
    """The engine's voice id."""


def iso639_2(code: str) -> str:
    """The ISO 639-2 code for ``code`` (``"de"``/``"de-DE"`` -> ``"deu"``), else ``"und"``."""
    base = code.strip().lower().replace("_", "-").split("-")[0]
    if len(base) == 3 and base.isalpha():
        return base
    return ISO_639_2.get(base, "und")


def write_tags(
    path: Path,
    fmt: str,
    info: TagInfo,
    chapters: Sequence[Chapter],
    *,
    name: str | None = None,
) -> None:
    """Replace the tags of the ``fmt`` file at ``path`` with ``info`` and ``chapters``.

    A file mutagen cannot tag is an :class:`EncoderError` that calls it ``name`` (the
    file the user asked for, when ``path`` is a temporary file), else its file name.
    """
    writer = _WRITERS.get(fmt)
    if writer is None:
        raise UsageError(f"cannot tag audio format {fmt!r}", f"use one of {', '.join(_WRITERS)}")
    try:
        writer(path, info, chapters)
    except (MutagenError, EncoderError) as error:
        shown = name if name is not None else path.name
        reason = str(error).replace(str(path), shown)
        raise EncoderError(f"cannot write the tags of {shown}: {reason}") from error


def _write_id3(path: Path, info: TagInfo, chapters: Sequence[Chapter]) -> None:
    tags = ID3()
    for frame in [*_id3_text_frames(info), *_id3_chapter_frames(chapters)]:
        tags.add(frame)
    tags.save(str(path), v2_version=4)


def _id3_text_frames(info: TagInfo) -> list[object]:
    language = iso639_2(info.language) if info.language else None
    texts = [(TIT2, info.title), (TPE1, info.artist), (TPUB, info.publisher)]
    texts += [(TLAN, language), (TDRC, info.date)]
    frames: list[object] = [kind(encoding=_UTF8, text=[text]) for kind, text in texts if text]
    if info.comment:
        frames.append(COMM(encoding=_UTF8, lang=language or "und", desc="", text=[info.comment]))
    for name, value in _provenance(info):
        frames.append(TXXX(encoding=_UTF8, desc=name, text=[value]))
    return frames


def _id3_chapter_frames(chapters: Sequence[Chapter]) -> list[object]:
    """One CHAP per chapter (``chp0``, ``chp1`` ...) and a top-level, ordered CTOC.

    Over 255 chapters, the top-level CTOC holds ordered CTOCs (``toc1.0``, ``toc1.1``
    ...) of up to 255 chapters each, and so on up.
    """
    if not chapters:
        return []
    ids = [f"chp{number}" for number in range(len(chapters))]
    frames = [_chapter_frame(*pair) for pair in zip(ids, chapters, strict=True)]
    level = 0
    while len(ids) > _CTOC_CHILDREN:
        level += 1
        groups = [
            ids[start : start + _CTOC_CHILDREN] for start in range(0, len(ids), _CTOC_CHILDREN)
        ]
        ids = [f"toc{level}.{number}" for number in range(len(groups))]
        frames += [
            CTOC(element_id=name, flags=CTOCFlags.ORDERED, child_element_ids=group, sub_frames=[])
            for name, group in zip(ids, groups, strict=True)
        ]
    flags = CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED
    frames.append(CTOC(element_id="toc", flags=flags, child_element_ids=ids, sub_frames=[]))
    return frames


def _chapter_frame(element_id: str, chapter: Chapter) -> object:
    return CHAP(
        element_id=element_id,
        start_time=chapter.start_ms,
        end_time=chapter.end_ms,
        start_offset=_NO_OFFSET,
        end_offset=_NO_OFFSET,
        sub_frames=[TIT2(encoding=_UTF8, text=[chapter.title])],
    )


def _write_ogg_vorbis(path: Path, info: TagInfo, chapters: Sequence[Chapter]) -> None:
    _write_vorbis_comments(OggVorbis(str(path)), info, chapters)


def _write_ogg_opus(path: Path, info: TagInfo, chapters: Sequence[Chapter]) -> None:
    _write_vorbis_comments(OggOpus(str(path)), info, chapters)


def _write_vorbis_comments(
    audio: OggVorbis | OggOpus, info: TagInfo, chapters: Sequence[Chapter]
) -> None:
    tags = _cleared_tags(audio)
    language = iso639_2(info.language) if info.language else None
    fields = [("TITLE", info.title), ("ARTIST", info.artist), ("ORGANIZATION", info.publisher)]
    fields += [("LANGUAGE", language), ("DATE", info.date), ("COMMENT", info.comment)]
    for key, value in [*fields, *_provenance(info)]:
        if value:
            tags[key] = [value]
    for number, chapter in enumerate(chapters, start=1):
        tags[f"CHAPTER{number:03d}"] = [timestamp(chapter.start_ms)]
        tags[f"CHAPTER{number:03d}NAME"] = [chapter.title]
    audio.save()


def _write_mp4(path: Path, info: TagInfo, chapters: Sequence[Chapter]) -> None:
    """iTunes tags; ``chapters`` are not written (mutagen cannot write them)."""
    audio = MP4(str(path))
    tags = _cleared_tags(audio)
    language = iso639_2(info.language) if info.language else None
    atoms = [
        ("©nam", info.title),
        ("©ART", info.artist),
        ("©day", info.date),
        ("©cmt", info.comment),
    ]
    for key, value in atoms:
        if value:
            tags[key] = [value]
    for name, value in [("PUBLISHER", info.publisher), ("LANGUAGE", language), *_provenance(info)]:
        if value:
            tags[_FREEFORM + name] = [MP4FreeForm(value.encode("utf-8"))]
    audio.save()


def _cleared_tags(audio: FileType) -> MutableMapping[str, Any]:
    """The file's (new or emptied) tag container: Vorbis comments or MP4 atoms."""
    if audio.tags is None:
        audio.add_tags()
    if audio.tags is None:
        raise EncoderError("the file cannot hold tags")
    audio.tags.clear()
    return cast("MutableMapping[str, Any]", audio.tags)


def _skip(path: Path, info: TagInfo, chapters: Sequence[Chapter]) -> None:
    """WAV files are left untagged."""


def made_by_narrate(path: Path) -> bool:
    """Whether the audio file ``path`` carries the provenance fields narrate writes."""
    try:
        audio = mutagen.File(path)
    except (MutagenError, OSError):
        return False
    tags = getattr(audio, "tags", None)
    if not tags:
        return False
    return any(_ENGINE_FIELD.lower() in str(key).lower() for key in tags.keys())


_ENGINE_FIELD = "NARRATE_ENGINE"
"""The custom field naming the engine: every file narrate tags carries it."""


def _provenance(info: TagInfo) -> list[tuple[str, str]]:
    """Which engine and voice spoke, as custom fields."""
    fields = [(_ENGINE_FIELD, info.engine), ("NARRATE_VOICE", info.voice)]
    return [(name, value) for name, value in fields if value]


_WRITERS: dict[str, Callable[[Path, TagInfo, Sequence[Chapter]], None]] = {
    "mp3": _write_id3,
    "ogg": _write_ogg_vorbis,
    "opus": _write_ogg_opus,
    "m4a": _write_mp4,
    "wav": _skip,
}
