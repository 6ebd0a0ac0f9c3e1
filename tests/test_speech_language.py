"""Language detection and resolution."""

from __future__ import annotations

import pytest

from narrate.article.model import Article, Section
from narrate.errors import UsageError
from narrate.speech.language import SUPPORTED, detect_language, resolve_language


def _article(text: str, language: str | None = None) -> Article:
    return Article("Titel", (Section(None, (text,)),), language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Die Genossenschaft wurde im Herbst gegründet, und sie hat schon viel erreicht.", "de"),
        ("Seit dem Frühjahr deckt das Dorf seinen Strombedarf an den meisten Tagen selbst.", "de"),
        ("The night train is back, and many of the routes sell out weeks in advance.", "en"),
        ("Overnight trains seemed to be disappearing from the timetables of Europe.", "en"),
        ("Le train de nuit est de retour et les billets sont vendus dans la semaine.", "fr"),
        ("El tren nocturno vuelve y los billetes se venden en pocas horas para el viaje.", "es"),
        ("Il treno notturno è tornato e i biglietti per il viaggio sono già esauriti.", "it"),
        ("De nachttrein is terug en de kaartjes voor de reis zijn al uitverkocht.", "nl"),
        ("Ночной поезд вернулся, и это уже не новость, что он так популярен.", "ru"),
        ("Το νυχτερινό τρένο επέστρεψε.", "el"),
        ("夜行列車が戻ってきた。", "ja"),
        ("夜间列车回来了。", "zh"),
        ("قطار الليل عاد إلى المدينة", "ar"),
        ("قطار شب به شهر برگشت", "fa"),
        ("रात की ट्रेन वापस आ गई है और यह बहुत लोकप्रिय है", "hi"),
        ("12.07.2023 – 3 – 500", None),
        ("Kaltenbach Eifel", None),
        ("Die the", None),
    ],
)
def test_detect_language(text: str, language: str | None) -> None:
    assert detect_language(_article(text)) == language


@pytest.mark.parametrize(
    ("requested", "declared", "text", "language"),
    [
        ("de", None, "The night train is back and it is full.", "de"),
        ("DE", None, "", "de"),
        ("de-AT", None, "", "de"),
        ("en_GB", None, "", "en"),
        ("auto", "de-DE", "The night train is back and it is full.", "de"),
        ("auto", "sv", "The night train is back and it is full of people.", "en"),
        ("auto", None, "Die Bahn fährt wieder, und sie ist voll mit den Leuten.", "de"),
        (" Auto ", None, "The night train is back and it is full of people.", "en"),
    ],
)
def test_resolve_language(requested: str, declared: str | None, text: str, language: str) -> None:
    assert resolve_language(requested, _article(text, declared)) == language


def test_unknown_code_lists_the_supported_ones() -> None:
    with pytest.raises(UsageError, match="unknown language 'xx'") as caught:
        resolve_language("xx", _article("Text."))
    assert caught.value.hint is not None and "de, el, en" in caught.value.hint


def test_undetectable_language_falls_back_to_german_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert resolve_language("auto", _article("12.07.2023")) == "de"
    assert "assuming German" in caplog.text


def test_supported_are_pysbd_languages() -> None:
    assert {"de", "en", "fr", "es", "it", "nl", "ja", "zh"} <= SUPPORTED
