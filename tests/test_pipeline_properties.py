"""Property tests of the whole text side: any input is read or refused cleanly, and
every sentence of the input reaches the script exactly once."""

from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from narrate.article.model import Article, Section
from narrate.engines.registry import EngineRegistry
from narrate.errors import InputError, UsageError
from narrate.pipeline import prepare_script
from narrate.settings import Settings
from narrate.speech.build import as_written, build_script
from narrate.speech.normalize import normalizer_for
from narrate.speech.split import split_sentences
from tests.fakes import FakeEngine

SENTENCES = [
    "Am 3. Mai 2024 kam der Bürgermeister um 14:30 Uhr.",
    "Das kostet 5,99 € bzw. 3,5 Mio. Euro.",
    "Laut Art. 1 Abs. 2 GG gilt das z. B. für alle.",
    "Die EU und die NATO tagten am 12.07.2023 in Brüssel.",
    "Es gab ca. 7.000 Besucher, d. h. mehr als 2010.",
    "Das Spiel endete 2:1.",
    "Friedrich II. war König von Preußen.",
    "Die Temperatur stieg auf 38 °C, der Wind auf 90 km/h.",
    "Schreiben Sie an info@example.de oder besuchen Sie www.example.de.",
    "Was nun?",
    "„Wir schaffen das“, sagte sie.",
    "Prof. Dr. Anna Schmidt (SPD) widersprach.",
    "Die Bürger*innen stimmten mit 55,3 % dafür.",
    "Von 2010–2015 stieg der Preis um 20 %.",
    "Siehe S. 12 und Nr. 5 in der Hauptstr. 5.",
    "Papst Benedikt XVI. trat 2013 zurück.",
]
ENGLISH_SENTENCES = [
    "The train left at 9 a.m. on May 3rd.",
    "It cost $5.99, i.e. about 10%.",
    "Dr. Smith met Mr. Jones in Washington, D.C. on Monday.",
    "The U.S. economy grew 2.5% in 2023.",
    "Was it worth it?",
    "NATO and the EU met at 10:30 a.m. in Brussels.",
]
POOLS = {"de": SENTENCES, "en": ENGLISH_SENTENCES}

ANY_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)),
    max_size=300,
)


def _paragraphs(lang: str) -> st.SearchStrategy[list[str]]:
    sentences = st.lists(st.sampled_from(POOLS[lang]), min_size=1, max_size=5).map(" ".join)
    return st.lists(sentences, min_size=1, max_size=6)


LANGUAGE_AND_PARAGRAPHS = st.sampled_from(["de", "en"]).flatmap(
    lambda lang: st.tuples(st.just(lang), _paragraphs(lang))
)


def _registry() -> EngineRegistry:
    engine = FakeEngine()
    return EngineRegistry({"fake": lambda: engine})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_TEXT, st.sampled_from(["auto", "de", "en", "fr"]))
def test_any_unicode_text_is_read_or_refused_cleanly(text: str, lang: str) -> None:
    source = io.BytesIO(text.encode("utf-8"))
    try:
        prepared = prepare_script("-", Settings(engine="fake", lang=lang), _registry(), source)
    except (InputError, UsageError) as error:
        assert str(error) and "\n" not in str(error)
        return
    for utterance in prepared.script.utterances:
        assert utterance.chunks and all(chunk.strip() == chunk for chunk in utterance.chunks)
        assert all(0 < len(chunk) <= FakeEngine.max_chars for chunk in utterance.chunks)


@settings(max_examples=150, deadline=None)
@given(ANY_TEXT, st.sampled_from(["de", "en", "nl", "ja"]))
def test_normalizing_any_text_gives_text(text: str, lang: str) -> None:
    spoken = normalizer_for(lang)(text)
    assert isinstance(spoken, str)
    assert spoken == spoken.strip()


@settings(max_examples=150, deadline=None)
@given(LANGUAGE_AND_PARAGRAPHS)
def test_every_sentence_reaches_the_script_once(case: tuple[str, list[str]]) -> None:
    lang, paragraphs = case
    article = Article("Titel", (Section(None, tuple(paragraphs)),))
    expected = [s for paragraph in paragraphs for s in split_sentences(paragraph, lang)]
    script = build_script(article, lang, 100, normalizer_for(lang))
    displayed = [utterance.display for utterance in script.utterances[1:]]
    assert displayed == expected
    assert "".join("".join(displayed).split()) == "".join("".join(paragraphs).split())


@settings(max_examples=100, deadline=None)
@given(LANGUAGE_AND_PARAGRAPHS)
def test_sentences_are_never_split_inside_or_merged(case: tuple[str, list[str]]) -> None:
    lang, paragraphs = case
    article = Article("Titel", (Section(None, tuple(paragraphs)),))
    script = build_script(article, lang, 100, as_written)
    for utterance in script.utterances[1:]:
        assert utterance.display in POOLS[lang]
