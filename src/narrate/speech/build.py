"""Building the speech :class:`~narrate.speech.script.Script` of an article.

The title comes first, then each section: its heading (if any), then its
paragraphs sentence by sentence. Every utterance knows its chapter (index into
``Script.sections``) and the pause that follows it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from narrate.article.model import Article, Section
from narrate.speech.chunk import chunk_text
from narrate.speech.memo import ScriptMemo
from narrate.speech.script import PauseKind, Script, Utterance, UtteranceKind
from narrate.speech.split import split_sentences

__all__ = ["Normalizer", "as_written", "build_script"]

Normalizer = Callable[[str], str]
"""Turns displayed text into the text an engine speaks (numbers, abbreviations...)."""


def as_written(text: str) -> str:
    """The spoken text of ``text`` before any normalization: the text itself.

    This is the hook where the language's normalization steps plug in.
    """
    return text


_STRENGTH = {
    PauseKind.SENTENCE: 0,
    PauseKind.PARAGRAPH: 1,
    PauseKind.SECTION: 2,
    PauseKind.TITLE: 3,
    PauseKind.END: 4,
}
"""Pause kinds from weakest to strongest."""


@dataclass(frozen=True)
class _Line:
    """A piece of the script before the pauses are settled."""

    display: str
    section: int
    pause: PauseKind
    kind: UtteranceKind = UtteranceKind.SENTENCE

    @property
    def starts_section(self) -> bool:
        """Whether this line is a subheading (the start of a new section)."""
        return self.kind is UtteranceKind.HEADING


def build_script(
    article: Article,
    lang: str,
    max_chars: int,
    normalize: Normalizer = as_written,
    memo: ScriptMemo | None = None,
) -> Script:
    """Turn ``article`` into utterances of at most ``max_chars`` per chunk.

    Pauses: ``TITLE`` after the title, ``PARAGRAPH`` after a heading and after
    the last sentence of a paragraph, ``SENTENCE`` inside a paragraph,
    ``SECTION`` before every heading, ``END`` after the last utterance.
    ``normalize`` makes each sentence's spoken text (default: as written);
    a sentence whose spoken text is empty is skipped. A ``memo`` (for this
    language and ``normalize``) gives the sentences and spoken texts it knows.
    """
    memo = memo or ScriptMemo()
    headings = [section.heading for section in article.sections if section.heading is not None]
    utterances: list[Utterance] = []
    for line in _settle_pauses(list(_lines(article, lang, memo))):
        chunks = chunk_text(memo.spoken(line.display, normalize), max_chars)
        if chunks:
            utterance = Utterance(tuple(chunks), line.display, line.section, line.pause, line.kind)
            utterances.append(utterance)
        elif utterances and _STRENGTH[line.pause] > _STRENGTH[utterances[-1].pause_after]:
            utterances[-1] = replace(utterances[-1], pause_after=line.pause)
    if utterances:
        utterances[-1] = replace(utterances[-1], pause_after=PauseKind.END)
    return Script(
        title=article.title,
        language=lang,
        sections=(article.title, *headings),
        utterances=tuple(utterances),
    )


def _lines(article: Article, lang: str, memo: ScriptMemo) -> Iterator[_Line]:
    """Title, headings and sentences in reading order, with their own pauses."""
    yield _Line(article.title, 0, PauseKind.TITLE, UtteranceKind.TITLE)
    index = 0
    for section in article.sections:
        if section.heading is not None:
            index += 1
            yield _Line(section.heading, index, PauseKind.PARAGRAPH, UtteranceKind.HEADING)
        yield from _section_lines(section, index, lang, memo)


def _section_lines(section: Section, index: int, lang: str, memo: ScriptMemo) -> Iterator[_Line]:
    split = functools.partial(split_sentences, lang=lang)
    for paragraph in section.paragraphs:
        sentences = memo.sentences(paragraph, split)
        for number, sentence in enumerate(sentences, start=1):
            last = number == len(sentences)
            yield _Line(sentence, index, PauseKind.PARAGRAPH if last else PauseKind.SENTENCE)


def _settle_pauses(lines: list[_Line]) -> list[_Line]:
    """Give the line before each heading a ``SECTION`` pause (the title keeps its own)."""
    settled = []
    for line, following in zip(lines, [*lines[1:], None], strict=True):
        if following is not None and following.starts_section and line.pause != PauseKind.TITLE:
            line = replace(line, pause=PauseKind.SECTION)
        settled.append(line)
    return settled
