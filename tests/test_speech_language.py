"""Language detection (py3langid) and resolution: asked for, declared, detected, assumed."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from narrate.article.model import Article, Section
from narrate.errors import UsageError
from narrate.speech import language as language_module
from narrate.speech.language import (
    SUPPORTED,
    LanguageChoice,
    choose_language,
    detect_language,
    language_name,
    resolve_language,
)

LOGGER = "narrate.speech.language"

NEWS = {
    "de": "Der Stadtrat hat am Dienstagabend beschlossen, die Gebühren für Kitas im kommenden "
    "Jahr nicht zu erhöhen. Die Opposition kritisierte, dass die Finanzierung noch ungeklärt sei.",
    "en": "The city council voted on Tuesday evening to freeze childcare fees for next year. "
    "Opposition members said the plan still lacks a clear source of funding.",
    "fr": "Le conseil municipal a voté mardi soir le gel des tarifs des crèches pour l'année "
    "prochaine. L'opposition estime que le financement reste encore flou.",
    "es": "El ayuntamiento aprobó el martes por la noche congelar las tarifas de las guarderías "
    "para el próximo año. La oposición criticó que la financiación sigue sin aclararse.",
    "it": "Il consiglio comunale ha approvato martedì sera il congelamento delle rette degli asili "
    "nido per il prossimo anno. L'opposizione sostiene che manchino ancora le coperture.",
    "nl": "De gemeenteraad heeft dinsdagavond besloten de tarieven voor de kinderopvang volgend "
    "jaar niet te verhogen. De oppositie vindt dat de financiering nog onduidelijk is.",
    "pl": "Rada miasta zdecydowała we wtorek wieczorem, że opłaty za żłobki nie wzrosną w "
    "przyszłym roku. Opozycja krytykuje, że finansowanie wciąż nie jest jasne.",
    "ru": "Городской совет во вторник вечером решил не повышать плату за детские сады в "
    "следующем году. Оппозиция считает, что источник финансирования до сих пор не ясен.",
    "el": "Το δημοτικό συμβούλιο αποφάσισε την Τρίτη το βράδυ να μην αυξήσει τα τροφεία των "
    "παιδικών σταθμών για το επόμενο έτος. Η αντιπολίτευση επικρίνει την ασαφή χρηματοδότηση.",
    "ja": "市議会は火曜日の夜、来年度の保育料を据え置くことを決めた。"
    "野党は財源がまだ明らかになっていないと批判している。",
    "zh": "市议会周二晚间决定明年不提高托儿所的收费标准。反对派批评说，资金来源至今仍不明确。",
    "ar": "قرر مجلس المدينة مساء الثلاثاء عدم رفع رسوم دور الحضانة في العام المقبل. "
    "وانتقدت المعارضة عدم وضوح مصادر التمويل حتى الآن.",
    "da": "Byrådet besluttede tirsdag aften ikke at hæve taksterne for daginstitutioner næste år. "
    "Oppositionen kritiserer, at finansieringen stadig er uklar.",
    "bg": "Общинският съвет реши във вторник вечерта да не увеличава таксите за детските "
    "градини през следващата година. Опозицията критикува неясното финансиране.",
    "fa": "شورای شهر سه‌شنبه شب تصمیم گرفت شهریه مهدکودک‌ها را در سال آینده افزایش ندهد. "
    "مخالفان می‌گویند منبع تامین بودجه هنوز روشن نیست.",
    "hi": "नगर परिषद ने मंगलवार शाम को फैसला किया कि अगले साल बच्चों के देखभाल केंद्रों की "
    "फीस नहीं बढ़ाई जाएगी। विपक्ष का कहना है कि पैसा कहाँ से आएगा, यह अभी साफ नहीं है।",
}

GERMAN = {
    "loanwords": "Das Start-up launcht ein neues Feature für Smart-Home-Nutzer",
    "more-loanwords": "Das Meeting wurde gecancelt, weil der CEO im Homeoffice ein Update "
    "zum Roadmap-Review gepostet hat. Der Rollout startet als Beta für Early Adopters.",
    "swiss": "Der Bundesrat hat an seiner Sitzung vom Mittwoch beschlossen, die Massnahmen zu "
    "lockern. Die Kantone begrüssen den Entscheid, fordern aber mehr Mitsprache.",
    "austrian": "Im Jänner hat der Gemeinderat beschlossen, die Parkgebühren zu erhöhen. Die "
    "Trafikanten und Wirte in der Innenstadt sind darüber gar nicht glücklich.",
    "swiss-dialect": "Grüezi mitenand, s'Wätter isch hüt schön gsi und mir sind uf de Bärg gange.",
    "all-caps": "BREAKING: REGIERUNG TRITT ZURÜCK – NEUWAHLEN IM HERBST ERWARTET, SAGT DER KANZLER",
}

BEYOND_PYSBD = {
    "tr": (
        "Turkish",
        "Belediye meclisi salı akşamı kreş ücretlerinin gelecek yıl artırılmamasına karar "
        "verdi. Muhalefet, finansmanın hâlâ belirsiz olduğunu eleştirdi.",
    ),
    "sv": (
        "Swedish",
        "Kommunfullmäktige beslutade på tisdagskvällen att inte höja avgifterna för förskolan "
        "nästa år. Oppositionen kritiserar att finansieringen fortfarande är oklar.",
    ),
    "fi": (
        "Finnish",
        "Kaupunginvaltuusto päätti tiistai-iltana, ettei päiväkotimaksuja koroteta ensi "
        "vuonna. Oppositio arvostelee, että rahoitus on yhä epäselvä.",
    ),
    "pt": (
        "Portuguese",
        "A câmara municipal decidiu na terça-feira à noite não aumentar as mensalidades das "
        "creches no próximo ano. A oposição critica que o financiamento ainda não está claro.",
    ),
}

TOO_SHORT = ["OK", "12.07.2023", "12.07.2023 – 3 – 500", "Kaltenbach Eifel", "Die the", ""]


def _article(text: str, language: str | None = None, title: str = "") -> Article:
    return Article(title, (Section(None, (text,)),), language)


@pytest.mark.parametrize(("language", "text"), NEWS.items(), ids=NEWS.keys())
def test_news_paragraphs_are_detected(language: str, text: str) -> None:
    assert detect_language(_article(text)) == language
    choice = choose_language("auto", _article(text))
    assert (choice.code, choice.how) == (language, "detected")
    assert choice.confidence is not None and choice.confidence > 0.9


@pytest.mark.parametrize("text", GERMAN.values(), ids=GERMAN.keys())
def test_german_varieties_and_loanwords_are_german(text: str) -> None:
    assert resolve_language("auto", _article(text)) == "de"


def test_short_german_headline_and_two_sentences() -> None:
    article = Article(
        "Bahnstreik beendet",
        (Section(None, ("Die Züge rollen wieder.", "Die Gewerkschaft hat sich geeinigt.")),),
    )
    assert choose_language("auto", article).how == "detected"
    assert resolve_language("auto", article) == "de"


def test_headings_count_towards_the_sample() -> None:
    article = Article(
        "", (Section("Die Züge rollen wieder", ("Bahn und Gewerkschaft haben sich geeinigt",)),)
    )
    assert detect_language(article) == "de"


@pytest.mark.parametrize("code", BEYOND_PYSBD.keys())
def test_languages_beyond_pysbd_are_detected_and_read(code: str) -> None:
    name, text = BEYOND_PYSBD[code]
    choice = choose_language("auto", _article(text))
    assert (choice.code, choice.how) == (code, "detected")
    assert language_name(code) == name
    assert detect_language(_article(text)) == code


def test_unsupported_language_passes_with_an_explicit_code() -> None:
    assert resolve_language("de", _article(BEYOND_PYSBD["tr"][1])) == "de"


@pytest.mark.parametrize("text", TOO_SHORT)
def test_too_little_text_is_not_detected(text: str) -> None:
    assert detect_language(_article(text)) is None


@pytest.mark.parametrize("text", ["OK", "12.07.2023"])
def test_undetectable_language_falls_back_to_german_with_a_warning(
    text: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        assert choose_language("auto", _article(text)) == LanguageChoice("de", "assumed")
    assert "too little text" in caplog.text and "assuming German" in caplog.text


def test_unclear_text_falls_back_to_german_naming_the_best_guess(
    caplog: pytest.LogCaptureFixture,
) -> None:
    names = "Anna Schmidt, Peter Müller, Jan Kowalski, Maria Rossi, John Smith, Ahmet Yilmaz"
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        assert choose_language("auto", _article(names)) == LanguageChoice("de", "assumed")
    assert "best guess" in caplog.text and "assuming German" in caplog.text
    assert detect_language(_article(names)) is None


@pytest.mark.parametrize(
    ("requested", "declared", "text", "choice"),
    [
        ("de", None, NEWS["en"], LanguageChoice("de", "requested")),
        ("DE", None, "", LanguageChoice("de", "requested")),
        ("de-AT", None, "", LanguageChoice("de", "requested")),
        ("en_GB", None, "", LanguageChoice("en", "requested")),
        ("auto", "de-DE", NEWS["en"], LanguageChoice("de", "declared")),
        ("auto", "fr", "", LanguageChoice("fr", "declared")),
    ],
)
def test_choose_language_without_detection(
    requested: str, declared: str | None, text: str, choice: LanguageChoice
) -> None:
    assert choose_language(requested, _article(text, declared)) == choice


@pytest.mark.parametrize(
    ("requested", "declared", "text", "language"),
    [
        ("auto", "xx", "The night train is back, and it is full of people again.", "en"),
        ("auto", None, "Die Bahn fährt wieder, und sie ist voll mit den Leuten.", "de"),
        (" Auto ", None, "The night train is back, and it is full of people again.", "en"),
    ],
)
def test_resolve_language(requested: str, declared: str | None, text: str, language: str) -> None:
    assert resolve_language(requested, _article(text, declared)) == language


def test_a_declared_language_beyond_pysbd_is_taken() -> None:
    assert resolve_language("auto", _article(BEYOND_PYSBD["sv"][1], "sv-SE")) == "sv"


def test_an_unknown_declared_language_is_checked_against_the_text() -> None:
    assert resolve_language("auto", _article(BEYOND_PYSBD["sv"][1], "xx-YY")) == "sv"


def test_unknown_code_lists_the_supported_ones() -> None:
    with pytest.raises(UsageError, match="unknown language 'xx'") as caught:
        resolve_language("xx", _article("Text."))
    assert caught.value.hint is not None and "narrate voices --lang" in caught.value.hint


def test_choice_is_logged_at_info(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger=LOGGER):
        choose_language("auto", _article(NEWS["de"]))
        choose_language("en", _article(NEWS["de"]))
    assert "language: de (detected, 99 %)" in caplog.text
    assert "language: en (requested)" in caplog.text


@pytest.mark.parametrize(
    ("choice", "text"),
    [
        (LanguageChoice("de", "detected", 0.998), "de (detected, 99 %)"),
        (LanguageChoice("en", "detected", 0.5), "en (detected, 50 %)"),
        (LanguageChoice("fr", "declared"), "fr (declared)"),
        (LanguageChoice("de", "assumed"), "de (assumed)"),
    ],
)
def test_describe(choice: LanguageChoice, text: str) -> None:
    assert choice.describe() == text


def test_language_names() -> None:
    assert (language_name("tr"), language_name("de"), language_name("xx")) == (
        "Turkish",
        "German",
        "xx",
    )


def test_model_is_loaded_once() -> None:
    for text in NEWS.values():
        detect_language(_article(text))
    assert language_module._identifier.cache_info().misses == 1


def test_model_is_not_loaded_on_import_or_for_an_explicit_code() -> None:
    script = (
        "from narrate.article.model import Article\n"
        "from narrate.speech import language\n"
        "language.resolve_language('de', Article('Titel', ()))\n"
        "print(language._identifier.cache_info().currsize)\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "0"


def test_supported_are_pysbd_languages_and_the_detectors() -> None:
    assert {"de", "en", "fr", "es", "it", "nl", "ja", "zh"} <= SUPPORTED  # pysbd's
    assert {"tr", "sv", "fi", "pt", "he", "uk", "cs"} <= SUPPORTED  # the detector's
    assert {"nb", "nn"} <= SUPPORTED  # Norwegian as espeak and gTTS name it
    assert "xx" not in SUPPORTED
