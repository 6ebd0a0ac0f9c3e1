"""Which language an article is in: asked for, declared, detected, or assumed.

Detection uses py3langid's naive Bayes model (140 languages) on a sample of the
article's title, headings and paragraphs. The model is loaded on first use,
once per process (about 0.5 s). Regional variants the model tells apart from
their language (Wu Chinese and Cantonese, Moroccan and Egyptian Arabic,
Nynorsk) are counted as that language.

When ``auto`` cannot tell (too little text, or no language clearly ahead),
German is assumed with a warning: narrate is German first. Any language the
detector knows is read; whether a voice speaks it is for the engine to say.
"""

from __future__ import annotations

import functools
import logging
import math
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from pysbd.languages import LANGUAGE_CODES

from narrate.article.model import Article
from narrate.errors import UsageError
from narrate.speech.split import primary_language

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

__all__ = [
    "SUPPORTED",
    "LanguageChoice",
    "choose_language",
    "detect_language",
    "language_name",
    "resolve_language",
]

SUPPORTED: frozenset[str]
"""Language codes narrate reads: pysbd's, which it splits into sentences with pysbd,
and every other language the detector knows, split at sentence punctuation. Whether
a voice speaks the language is the engine's to say (``narrate voices --lang``)."""

AUTO = "auto"
FALLBACK = "de"
"""The language assumed when ``auto`` cannot tell (narrate is German first)."""

MIN_LETTERS = 40
"""Detection needs at least this many letters (East Asian wide characters count 2)."""
MIN_CONFIDENCE = 0.5
"""A detected language is taken when the model gives it at least this probability."""

How = Literal["requested", "declared", "detected", "assumed"]

log = logging.getLogger(__name__)

_SAMPLE_CHARS = 6000
_VARIANTS = {"wuu": "zh", "yue": "zh", "ary": "ar", "arz": "ar", "nn": "no"}
_NO_LANGUAGE = "zxx"
_NAMES = (
    "ace Acehnese|af Afrikaans|am Amharic|an Aragonese|ar Arabic|as Assamese|az Azerbaijani|"
    "ba Bashkir|bcl Central Bikol|be Belarusian|bg Bulgarian|bn Bangla|br Breton|bs Bosnian|"
    "ca Catalan|crh Crimean Tatar|cs Czech|cy Welsh|da Danish|de German|dz Dzongkha|el Greek|"
    "en English|eo Esperanto|es Spanish|et Estonian|eu Basque|ext Extremaduran|fa Persian|"
    "fi Finnish|fo Faroese|fr French|fuv Nigerian Fulfulde|fy Western Frisian|ga Irish|"
    "gcf Guadeloupean Creole|gcr Guianese Creole|gd Scottish Gaelic|gl Galician|"
    "gom Goan Konkani|grc Ancient Greek|gu Gujarati|gug Paraguayan Guarani|guw Gun|ha Hausa|"
    "hbo Ancient Hebrew|he Hebrew|hi Hindi|hr Croatian|ht Haitian Creole|hu Hungarian|"
    "hy Armenian|id Indonesian|ig Igbo|is Icelandic|it Italian|ja Japanese|jv Javanese|"
    "ka Georgian|kab Kabyle|kik Kikuyu|kk Kazakh|km Khmer|kn Kannada|ko Korean|ku Kurdish|"
    "ky Kyrgyz|la Latin|lb Luxembourgish|lg Ganda|lij Ligurian|ln Lingala|lo Lao|"
    "lt Lithuanian|ltg Latgalian|lv Latvian|mg Malagasy|mk Macedonian|ml Malayalam|"
    "mn Mongolian|mr Marathi|ms Malay|mt Maltese|my Burmese|ne Nepali|nl Dutch|no Norwegian|"
    "nso Northern Sotho|oc Occitan|om Oromo|or Odia|pa Punjabi|pcm Nigerian Pidgin|pl Polish|"
    "ps Pashto|pt Portuguese|qu Quechua|ro Romanian|ru Russian|rw Kinyarwanda|sa Sanskrit|"
    "sdh Southern Kurdish|se Northern Sami|si Sinhala|sk Slovak|sl Slovenian|sn Shona|"
    "so Somali|sq Albanian|sr Serbian|st Southern Sotho|sv Swedish|sw Swahili|ta Tamil|"
    "te Telugu|tg Tajik|th Thai|tk Turkmen|tl Tagalog|tr Turkish|tt Tatar|ug Uyghur|"
    "uk Ukrainian|ur Urdu|uz Uzbek|uzs Southern Uzbek|vec Venetian|vi Vietnamese|vo Volapuk|"
    "wa Walloon|xh Xhosa|yo Yoruba|zh Chinese|zu Zulu"
)
SUPPORTED = (
    frozenset(str(code) for code in LANGUAGE_CODES)
    | frozenset(item.split(" ", 1)[0] for item in _NAMES.split("|"))
    | {"nb", "nn"}  # Norwegian's written standards (the detector says "no"; espeak speaks "nb")
)
"""English names of the languages the model knows, for messages."""


@dataclass(frozen=True)
class LanguageChoice:
    """The language to narrate in and how it was settled.

    ``how`` is ``"requested"`` (``--lang`` named it), ``"declared"`` (the
    article's HTML ``lang`` or front matter), ``"detected"`` (from the text) or
    ``"assumed"`` (German, because detection could not tell). ``confidence`` is
    the detector's probability (0-1) for ``"detected"``, else ``None``.
    """

    code: str
    how: How
    confidence: float | None = None

    def describe(self) -> str:
        """``"de (detected, 99 %)"``, ``"en (requested)"``: for a status line."""
        if self.confidence is None:
            return f"{self.code} ({self.how})"
        return f"{self.code} ({self.how}, {_percent(self.confidence)})"


def resolve_language(requested: str, article: Article) -> str:
    """The language code (from :data:`SUPPORTED`) to narrate ``article`` in.

    Shorthand for ``choose_language(requested, article).code``; see
    :func:`choose_language` for the rules and errors.
    """
    return choose_language(requested, article).code


def choose_language(requested: str, article: Article) -> LanguageChoice:
    """Settle the language to narrate ``article`` in, and say how it was settled.

    An explicit code is checked against :data:`SUPPORTED` (a region suffix is
    dropped: ``de-AT`` -> ``de``). ``"auto"`` takes the article's declared
    language when known, else detects it from the text; when the text is too
    short or unclear, German is assumed with a warning. Raises
    :class:`~narrate.errors.UsageError` for an unknown code. The choice is logged
    at INFO level.
    """
    if requested.strip().lower() == AUTO:
        choice = _declared(article) or _detected(article)
    else:
        choice = LanguageChoice(_checked_code(requested), "requested")
    log.info("language: %s", choice.describe())
    return choice


def detect_language(article: Article) -> str | None:
    """The code of the language the article's text is in, or ``None`` when unsure.

    ``None`` means too little text or no language clearly ahead (below
    :data:`MIN_CONFIDENCE`).
    """
    guess = _guess(_sample(article))
    return guess[0] if guess and guess[1] >= MIN_CONFIDENCE else None


def language_name(code: str) -> str:
    """The English name of a language code the detector knows, else the code itself."""
    return _names().get(code, code)


def _checked_code(requested: str) -> str:
    code = primary_language(requested)
    if code not in SUPPORTED:
        raise UsageError(
            f"unknown language {requested!r}",
            "use auto or a language code such as de, en, fr or tr; "
            "`narrate voices --lang CODE` lists the voices for one",
        )
    return code


def _declared(article: Article) -> LanguageChoice | None:
    """The article's declared language when narrate knows it."""
    if not article.language:
        return None
    code = primary_language(article.language)
    if code in SUPPORTED:
        return LanguageChoice(code, "declared")
    log.info("declared language %r is unknown; detecting it from the text", code)
    return None


def _detected(article: Article) -> LanguageChoice:
    """The detected language; German when unsure."""
    guess = _guess(_sample(article))
    if guess is None:
        return _assume_german("too little text to tell the article's language")
    code, confidence = guess
    if confidence >= MIN_CONFIDENCE:
        return LanguageChoice(code, "detected", confidence)
    return _assume_german(
        f"could not tell the article's language (best guess {code}, {_percent(confidence)})"
    )


def _assume_german(reason: str) -> LanguageChoice:
    log.warning("%s; assuming German (pass --lang)", reason)
    return LanguageChoice(FALLBACK, "assumed")


def _guess(text: str) -> tuple[str, float] | None:
    """The most probable language of ``text`` and its probability; ``None`` if too short."""
    if _letter_count(text) < MIN_LETTERS:
        return None
    scores: dict[str, float] = {}
    for code, probability in _identifier().rank(text):
        language = _VARIANTS.get(str(code), str(code))
        scores[language] = scores.get(language, 0.0) + float(probability)
    scores.pop(_NO_LANGUAGE, None)
    return max(scores.items(), key=lambda item: item[1])


def _letter_count(text: str) -> int:
    """Letters in ``text``; an East Asian wide character (kanji, kana, hangul) counts 2."""
    return sum(
        2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text if char.isalpha()
    )


@functools.cache
def _identifier() -> LanguageIdentifier:
    """py3langid's model with normalized probabilities, loaded once (about 0.5 s).

    Imported here, not at the top, so that commands that never detect a
    language do not pay for importing it.
    """
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    log.debug("loading the language identification model")
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@functools.cache
def _names() -> dict[str, str]:
    pairs = (item.split(" ", 1) for item in _NAMES.split("|"))
    return dict(pairs)


def _percent(probability: float) -> str:
    """``0.998`` -> ``"99 %"``: rounded down, so only certainty reads as 100 %."""
    return f"{math.floor(probability * 100)} %"


def _sample(article: Article) -> str:
    """The title, headings and paragraphs, joined, cut to a few thousand characters."""
    parts: list[str] = [article.title]
    for section in article.sections:
        parts.extend([section.heading or "", *section.paragraphs])
    return " ".join(part for part in parts if part)[:_SAMPLE_CHARS]
