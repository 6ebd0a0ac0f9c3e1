"""Which language an article is in: declared, detected, or asked for.

Detection is a small heuristic: the dominant script, then, for scripts that
several languages share, counts of frequent function words. It is reliable for
German and English prose of a few sentences and answers ``None`` rather than
guess when the evidence is thin.
"""

from __future__ import annotations

import logging
import re
from collections import Counter

from pysbd.languages import LANGUAGE_CODES

from narrate.article.model import Article
from narrate.errors import UsageError
from narrate.speech.split import primary_language

__all__ = ["SUPPORTED", "detect_language", "resolve_language"]

SUPPORTED: frozenset[str] = frozenset(str(code) for code in LANGUAGE_CODES)
"""Language codes narrate can split into sentences (pysbd's languages)."""

AUTO = "auto"
FALLBACK = "de"
"""The language assumed when ``auto`` cannot tell (narrate is German first)."""

log = logging.getLogger(__name__)

_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "de": "der die das und ist nicht ein eine einen dem den des mit sich auch auf für von "
        "zu im sie es wir ich wird werden wurde sind hat haben noch nach bei aus wie aber "
        "oder dass über nur schon wenn kann",
        "en": "the and is are was were of to in that it with for on as this be by not have has "
        "had from at which but they you we he she will would been their there what",
        "fr": "le la les et est des une un du que qui dans pour pas sur au avec ce il elle sont "
        "ont été mais ou nous vous leur cette aux plus",
        "es": "el la los las y es que de en un una por con para del se no al lo como más pero "
        "su sus fue son está han",
        "it": "il lo la gli le e è che di del della un una per con non sono si al nel alla "
        "anche come ma più questo ha",
        "nl": "de het een en is van dat die niet op te zijn voor met aan er ook als maar bij "
        "wordt werd hij zij wij naar uit om",
        "da": "og er det at en den til på med af som for ikke har de var jeg han hun kan vil "
        "blev efter også men",
        "pl": "i w na z się nie że do to jest jak o po ale za od co przez jego ich już tak są "
        "być który która",
        "ru": "и в не на что с это как он по но из к у за от так же все она был была были",
        "bg": "и в на не да се за от са е че това с по като но ще си бе беше",
        "kk": "және бұл мен да де деп үшін бір ол жоқ болып еді",
        "hi": "है और के की में से को यह नहीं था हैं भी",
        "mr": "आहे आणि या च्या ला ने नाही हे ते आहेत",
    }.items()
}
"""Frequent short words per language (lower case), for scripts shared by many."""

_SCRIPTS: tuple[tuple[str, str], ...] = (
    ("latin", "A-Za-z\u00c0-\u024f"),
    ("greek", "\u0370-\u03ff"),
    ("cyrillic", "\u0400-\u04ff"),
    ("armenian", "\u0530-\u058f"),
    ("arabic", "\u0600-\u06ff"),
    ("devanagari", "\u0900-\u097f"),
    ("myanmar", "\u1000-\u109f"),
    ("ethiopic", "\u1200-\u137f"),
    ("cjk", "\u3040-\u30ff\u4e00-\u9fff"),
)
_SCRIPT_PATTERNS = {name: re.compile(f"[{chars}]") for name, chars in _SCRIPTS}
_SINGLE_LANGUAGE_SCRIPTS = {"greek": "el", "armenian": "hy", "myanmar": "my", "ethiopic": "am"}
_SCRIPT_CANDIDATES = {
    "latin": ("de", "en", "fr", "es", "it", "nl", "da", "pl"),
    "cyrillic": ("ru", "bg", "kk"),
    "devanagari": ("hi", "mr"),
}
_KANA = re.compile("[\u3040-\u30ff]")
_URDU_LETTERS = re.compile("[\u0679\u0688\u0691\u06ba\u06d2]")
_PERSIAN_LETTERS = re.compile("[\u067e\u0686\u0698\u06af\u06cc\u06a9]")
_WORD = re.compile(r"[^\s\d.,;:!?()\[\]{}\"'„“”«»‚‘’—–/-]+")
"""A word: no spaces, digits or punctuation (combining marks stay, unlike ``\\w``)."""
_SAMPLE_CHARS = 6000
_MIN_SCORE = 2.5
_MARGIN = 1.5


def detect_language(article: Article) -> str | None:
    """Guess the article's language code, or ``None`` when unsure."""
    text = _sample(article)
    script = _dominant_script(text)
    if script is None:
        return None
    if script in _SINGLE_LANGUAGE_SCRIPTS:
        return _SINGLE_LANGUAGE_SCRIPTS[script]
    if script == "cjk":
        return "ja" if _KANA.search(text) else "zh"
    if script == "arabic":
        return _arabic_language(text)
    return _by_function_words(text, _SCRIPT_CANDIDATES[script])


def resolve_language(requested: str, article: Article) -> str:
    """The language to narrate ``article`` in, as a code from :data:`SUPPORTED`.

    ``"auto"`` takes the article's declared language when narrate supports it,
    else the detected one. A region suffix is dropped (``de-AT`` -> ``de``).
    When ``"auto"`` cannot tell (a very short text), German is assumed with a
    warning. Raises :class:`~narrate.errors.UsageError` for an unknown code.
    """
    supported = ", ".join(sorted(SUPPORTED))
    if requested.strip().lower() != AUTO:
        code = primary_language(requested)
        if code not in SUPPORTED:
            raise UsageError(f"unknown language {requested!r}", f"use auto or one of: {supported}")
        return code
    declared = primary_language(article.language) if article.language else None
    if declared in SUPPORTED:
        return declared
    detected = detect_language(article)
    if detected is None:
        log.warning("could not tell the article's language; assuming German (pass --lang)")
        return FALLBACK
    return detected


def _sample(article: Article) -> str:
    parts: list[str] = [article.title]
    for section in article.sections:
        parts.extend(section.paragraphs)
    return " ".join(parts)[:_SAMPLE_CHARS]


def _dominant_script(text: str) -> str | None:
    counts = {name: len(pattern.findall(text)) for name, pattern in _SCRIPT_PATTERNS.items()}
    name, count = max(counts.items(), key=lambda item: item[1])
    return name if count else None


def _arabic_language(text: str) -> str:
    if _URDU_LETTERS.search(text):
        return "ur"
    return "fa" if _PERSIAN_LETTERS.search(text) else "ar"


def _by_function_words(text: str, candidates: tuple[str, ...]) -> str | None:
    """The candidate whose function words ``text`` uses most, by a clear margin.

    A word counts ``1/k`` for each of the ``k`` candidates that share it
    (``de`` is Dutch, Spanish and Danish), so distinctive words decide.
    """
    scores = dict.fromkeys(candidates, 0.0)
    for word, count in Counter(_WORD.findall(text.lower())).items():
        owners = [lang for lang in candidates if word in _FUNCTION_WORDS[lang]]
        for lang in owners:
            scores[lang] += count / len(owners)
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    if top >= _MIN_SCORE and top >= _MARGIN * second:
        return best
    return None
