"""Reading web pages built like real German news sites.

Each page in ``tests/pages`` imitates one structure seen in the wild: a public
broadcaster, a news magazine with a paywall, a regional paper whose CMS builds
paragraphs from ``<br><br>``, a WordPress blog, a paywalled page whose text is
only in JSON-LD, consent placeholders of embedded posts, a results table, an
info box, a live ticker, a page of ``<span>`` soup without ``lang``. Each test
names the title, the subheadings, how many paragraphs are read, sentences that
must come through exactly once, and furniture that must not come through.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from narrate.article.html import read_html
from narrate.article.load import load_article
from narrate.article.model import Article
from narrate.speech.language import detect_language

PAGES = Path(__file__).parent / "pages"


@dataclass(frozen=True)
class Page:
    """What one page must give: title, language, headings, paragraph count, text, no furniture."""

    file: str
    title: str
    language: str | None
    headings: tuple[str | None, ...]
    paragraphs: int
    present: tuple[str, ...]
    absent: tuple[str, ...]


SENDER = Page(
    file="sender-bahnstreik.html",
    title="GDL-Streik: Was Pendler jetzt wissen müssen",
    language="de",
    headings=(None, "Welche Rechte Fahrgäste haben", "Wie es in den Verhandlungen weitergeht"),
    paragraphs=7,
    present=(
        "Die Lokführergewerkschaft GDL hat erneut zum Streik aufgerufen.",
        "Was bedeutet das für Reisende?",
        "Die Deutsche Bahn kündigte einen Notfahrplan an.",
        "Wer wegen des Streiks nicht reisen kann, bekommt sein Geld zurück.",
        "ab 120 Minuten die Hälfte.",
        "Ein Bahnsprecher nannte den Streik „völlig überzogen“.",
    ),
    absent=(
        "Direkt zum Inhalt",
        "Cookies",
        "Alle akzeptieren",
        "Startseite",
        "Faktenfinder",
        "Verkehr",
        "Arbeitskampf bei der Bahn",
        "Stand:",
        "14:30",
        "Audio",
        "anhören",
        "Abspielen",
        "04:21",
        "Mehr zum Thema",
        "Tarifkonflikt",
        "Notfahrplan: Welche Züge",
        "Leere Bahnsteige",
        "picture alliance",
        "Über dieses Thema berichtete",
        "Schlagworte",
        "Teilen",
        "WhatsApp",
        "Mehr aus Wirtschaft",
        "Inflationsrate",
        "Flughäfen",
        "Meistgelesen",
        "Pegel",
        "Service",
        "Impressum",
        "Barrierefreiheit",
        "Zum Seitenanfang",
    ),
)

MAGAZIN = Page(
    file="magazin-klimageld.html",
    title="Klimageld: Warum die Auszahlung auf sich warten lässt",
    language="de",
    headings=(None, "Ökonomen drängen auf eine schnelle Lösung"),
    paragraphs=8,
    present=(
        "Seit Jahren verspricht die Politik, die Einnahmen aus dem CO₂-Preis an die Bürger",
        "Im Koalitionsvertrag steht es schwarz auf weiß",
        "Das Bundeszentralamt für Steuern arbeitet an einem Verfahren",
        "Doch selbst wenn die Technik steht, bleibt der Streit ums Geld.",
        "„Wer die Akzeptanz für Klimaschutz erhalten will",
        "Eine Entscheidung über die Höhe der Auszahlung werde in der nächsten",
    ),
    absent=(
        "Home",
        "Streit in der Koalition",
        "Von Jonas Brenner",
        "18.04 Uhr",
        "7 Min",
        "verschenken",
        "Merken",
        "Bundesfinanzministerium in Berlin",
        "Foto:",
        "dpa",
        "Preisanzeige",
        "IMAGO",
        "Lesen Sie auch",
        "Was 2025 auf Verbraucher zukommt",
        "weiterlesen",
        "MAGAZIN+",
        "Digital-Abo",
        "Testen Sie",
        "Redakteur im Ressort",
        "Mehr Artikel von",
        "Mehr zum Thema",
        "Diskussion",
        "Kommentarfunktion",
        "Heizungsgesetz",
        "Impressum",
        "©",
    ),
)

KREISBLATT = Page(
    file="kreisblatt-schulbau.html",
    title="Neubau der Grundschule wird teurer",
    language="de",
    headings=(None, "Zuschuss vom Land"),
    paragraphs=6,
    present=(
        "Lindenau. Der Neubau der Grundschule am Mühlbach wird deutlich teurer als geplant.",
        "„Wir hätten schon im Herbst gegensteuern können“, sagte Fraktionschefin Renate Kühn.",
        "Immerhin gibt es auch eine gute Nachricht",
        "Der Elternbeirat will in der nächsten Sitzung eine Unterschriftenliste übergeben.",
    ),
    absent=(
        "Kreisblatt Online",
        "Lokales",
        "Rubriken",
        "Burgdorf",
        "Polizeibericht",
        "Wetter",
        "14 Grad",
        "14.03.2024",
        "(kb)",
        "Thomas Reinhardt",
        "Drucken",
        "empfehlen",
        "Leserbrief",
        "Weitere Artikel",
        "Löschfahrzeug",
        "Weiterlesen",
        "Anzeige",
        "Traumhaus",
        "Meistgelesen",
        "Impressum",
        "Zum Seitenanfang",
        "©",
    ),
)

HOCHBEET = Page(
    file="blog-hochbeet.html",
    title="Hochbeet anlegen: So klappt es im ersten Jahr",
    language="de-DE",
    headings=(None, "Der richtige Standort", "Die Schichten"),
    paragraphs=8,
    present=(
        "Letztes Frühjahr habe ich endlich mein erstes Hochbeet gebaut.",
        "Ein Hochbeet braucht mindestens sechs Stunden Sonne am Tag.",
        "Von unten nach oben habe ich folgende Lagen eingefüllt:",
        "Grober Gehölzschnitt als Drainage",
        "Gute Gartenerde mit reifem Kompost gemischt",
        "Im Herbst einfach mit Kompost auffüllen.",
    ),
    absent=(
        "Zum Inhalt springen",
        "Grünzeug",
        "Gartenblog",
        "Kräuter",
        "Veröffentlicht",
        "12. April 2024",
        "Miriam",
        "Garagenwand",
        "Teilen mit",
        "Pinterest",
        "Gefällt mir",
        "Wird geladen",
        "Ähnliche Beiträge",
        "Kompost im Winter",
        "Verschlagwortet",
        "Vorheriger Beitrag",
        "Gedanken zu",
        "Gartenzwerg72",
        "Wühlmäuse",
        "Petra S.",
        "Antworten",
        "Schreibe einen Kommentar",
        "nicht veröffentlicht",
        "Kommentar abschicken",
        "Suche nach",
        "Neueste Beiträge",
        "Stangenbohnen",
        "Über mich",
        "Archiv",
        "WordPress",
        "Datenschutzerklärung",
    ),
)

RENTE = Page(
    file="zeitung-rente-jsonld.html",
    title="Rente mit 63: Was sich 2025 ändert",
    language="de",
    headings=(None,),
    paragraphs=6,
    present=(
        "Die Altersgrenze für die abschlagsfreie Rente steigt weiter.",
        "kann zwar weiterhin früher ohne Abschläge in den Ruhestand gehen",
        "Für den Jahrgang 1961 liegt sie bei 64 Jahren und sechs Monaten.",
        "Zeiten der Arbeitslosigkeit zählen dagegen nur, wenn Arbeitslosengeld I bezogen wurde.",
        "Lücken lassen sich oft nur mit Belegen schließen, die Jahrzehnte zurückliegen.",
    ),
    absent=(
        "Nordkurier",
        "Ratgeber",
        "Sabine Korte",
        "06:00",
        "weiterhin …",
        "Lesen Sie jetzt weiter",
        "alle Artikel",
        "0,99",
        "abonnieren",
        "Abonnent",
        "Anmelden",
        "Impressum",
    ),
)

KITASTREIK = Page(
    file="stadtanzeiger-kitastreik.html",
    title="Kita-Streik in Köln: Eltern müssen umplanen",
    language="de",
    headings=(None, "Verdi fordert mehr Personal", "Weitere Streiks möglich"),
    paragraphs=5,
    present=(
        "Am Montag bleiben in Köln mehr als 200 städtische Kitas geschlossen.",
        "Betroffen sind nach Angaben der Stadt rund 15.000 Kinder.",
        "Vor allem fehle es an Personal, sagte Gewerkschaftssekretär Jörg Brandt.",
        "Die Stadt rät Eltern, sich frühzeitig mit anderen Familien abzusprechen.",
        "Die nächste Verhandlungsrunde ist für den 18. März angesetzt.",
    ),
    absent=(
        "Stadt-Anzeiger",
        "Region",
        "Warnstreik\n",
        "Anna Meyer",
        "07:45",
        "3 Min",
        "Externer Inhalt",
        "externer Inhalt",
        "Zustimmung",
        "X (ehemals Twitter)",
        "Inhalte von",
        "Instagram",
        "einverstanden",
        "Drittplattformen",
        "Youtube",
        "YouTube",
        "Video laden",
        "Datenschutz",
        "Cookie",
        "Impressum",
    ),
)

SPORT = Page(
    file="sportecho-regionalliga.html",
    title="Regionalliga: Tabellenführer patzt, Verfolger rücken näher",
    language="de",
    headings=(None, "Hafenkamp nutzt die Gunst der Stunde", "Alle Ergebnisse des Spieltags"),
    paragraphs=11,
    present=(
        "Spitzenreiter Eintracht Nordstadt kommt gegen den Tabellenletzten nicht über ein 1:1",
        "Der SV Hafenkamp gewinnt das Derby mit 3:0 und ist nur noch zwei Punkte zurück.",
        "Am kommenden Wochenende treffen beide Teams direkt aufeinander.",
        "Der 28. Spieltag der Regionalliga hat das Titelrennen wieder spannend gemacht.",
        "in der 93. Minute traf Moorheides Joker Ben Aydin zum Ausgleich.",
        "Zweimal traf Stürmer Jannik Voss",
        "Eintracht Nordstadt, TuS Moorheide, 1:1",
        "FC Kirchdorf, VfL Westerholt, 2:2",
        "Nur vier Punkte trennen die letzten fünf Mannschaften.",
    ),
    absent=(
        "Sportecho",
        "Handball",
        "19:05",
        "Auch interessant",
        "Regionalliga-Reform",
        "Teilen",
        "WhatsApp",
        "Tabelle\n",
        "Eintracht Nordstadt 61",
        "Live-Ergebnisse",
        "Keine Spiele live",
        "Impressum",
    ),
)

TAGEBLATT = Page(
    file="tageblatt-buergerentscheid.html",
    title="Bürgerentscheid über das Hallenbad: Stadt ruft zur Abstimmung auf",
    language="de",
    headings=(None, "Was die beiden Varianten kosten"),
    paragraphs=6,
    present=(
        "Am 9. Juni entscheiden die Bürgerinnen und Bürger",
        "Das Hallenbad an der Parkstraße ist mehr als 50 Jahre alt.",
        "Info: Abstimmen dürfen alle Einwohnerinnen und Einwohner ab 16 Jahren",
        "Briefwahl ist bis zum 7. Juni möglich.",
        "Dafür wären die Betriebskosten eines neuen Bades deutlich niedriger.",
        "Sie hat ein eigenes Gutachten in Auftrag gegeben",
    ),
    absent=(
        "Tageblatt",
        "Lokales",
        "Aktualisiert",
        "16:10",
        "Lesen Sie auch",
        "Freibadsaison",
        "Schwimmkurse",
        "Claudia Ritter",
        "Meistgelesen",
        "Umleitung",
        "Anzeige",
        "Probefahrt",
        "Impressum",
    ),
)

LIVEBLOG = Page(
    file="liveblog-unwetter.html",
    title="Unwetter im Süden: Der Tag im Liveblog",
    language="de",
    headings=(None,),
    paragraphs=5,
    present=(
        "Starkregen und Gewitter haben in Bayern und Baden-Württemberg zahlreiche Keller",
        "14:32 Uhr: Der Deutsche Wetterdienst hat seine Unwetterwarnung",
        "13:05 Uhr: In Kempten ist die Iller über die Ufer getreten.",
        "Anwohner werden gebeten, ihre Autos aus den Tiefgaragen zu holen.",
        "11:48 Uhr: Die Bahn hat den Verkehr zwischen Ulm und Friedrichshafen eingestellt.",
    ),
    absent=(
        "Rundschau",
        "Panorama",
        "Neue Einträge laden",
        "Automatisch aktualisieren",
        "Teilen",
        "dpa",
        "Impressum",
    ),
)

WOCHENPOST = Page(
    file="wochenpost-spans.html",
    title="Streuobstwiesen in Gefahr",
    language=None,
    headings=(None, "Patenschaften für Bäume"),
    paragraphs=4,
    present=(
        "Ohne Pflege verschwinden die alten Obstbäume. Naturschützer im Landkreis schlagen "
        "Alarm und suchen Paten für die Wiesen.",
        "Rund 40 Prozent der Streuobstwiesen im Kreis sind seit 1990 verloren gegangen, sagt "
        "Biologin Hanna Vogt vom Naturschutzbund.",
        "Wer einen Baum übernimmt, verpflichtet sich, ihn einmal im Jahr zu schneiden.",
        "„Viele wissen gar nicht, wie viel Arbeit in so einer Wiese steckt“, sagt Vogt.",
    ),
    absent=("Wochenpost", "Heimat", "Schlagwörter", "Landkreis\n", "©", "Impressum", "\u00ad"),
)

REAL_PAGES = [
    SENDER,
    MAGAZIN,
    KREISBLATT,
    HOCHBEET,
    RENTE,
    KITASTREIK,
    SPORT,
    TAGEBLATT,
    LIVEBLOG,
    WOCHENPOST,
]


def _load(page: Page) -> Article:
    return load_article(PAGES / page.file)


def _paragraphs(article: Article) -> list[str]:
    return [paragraph for section in article.sections for paragraph in section.paragraphs]


def _all_text(article: Article) -> str:
    """Title, headings and paragraphs, one per line."""
    lines = [article.title]
    for section in article.sections:
        lines += [section.heading or "", *section.paragraphs]
    return "\n".join(lines) + "\n"


def _page_id(page: Page) -> str:
    return page.file.removesuffix(".html")


def assert_nothing_read_twice(article: Article) -> None:
    """No paragraph, heading or title is read twice, whatever its case or spacing."""
    keys = [" ".join(article.title.split()).casefold()]
    for section in article.sections:
        keys += [" ".join(text.split()).casefold() for text in (section.heading or "",) if text]
        keys += [" ".join(text.split()).casefold() for text in section.paragraphs]
    assert [key for key, count in Counter(keys).items() if count > 1] == []


@pytest.mark.parametrize("page", REAL_PAGES, ids=_page_id)
def test_title_language_and_subheadings(page: Page) -> None:
    article = _load(page)
    assert (article.title, article.language) == (page.title, page.language)
    assert tuple(section.heading for section in article.sections) == page.headings
    assert all(section.paragraphs for section in article.sections)


@pytest.mark.parametrize("page", REAL_PAGES, ids=_page_id)
def test_paragraph_count(page: Page) -> None:
    assert _load(page).paragraph_count == page.paragraphs


@pytest.mark.parametrize("page", REAL_PAGES, ids=_page_id)
def test_body_sentences_come_through_once(page: Page) -> None:
    text = _all_text(_load(page))
    for sentence in page.present:
        assert text.count(sentence) == 1, sentence


@pytest.mark.parametrize("page", REAL_PAGES, ids=_page_id)
def test_page_furniture_is_left_out(page: Page) -> None:
    body = _all_text(_load(page)).removeprefix(page.title)
    for furniture in page.absent:
        assert furniture not in body, furniture


@pytest.mark.parametrize("name", sorted(path.name for path in PAGES.glob("*.html")))
def test_no_fixture_page_reads_anything_twice(name: str) -> None:
    assert_nothing_read_twice(load_article(PAGES / name))


def test_br_br_paragraphs_and_their_bold_subheading_are_split_right() -> None:
    article = _load(KREISBLATT)
    intro, grant = article.sections
    assert [paragraph[:30] for paragraph in intro.paragraphs] == [
        "Lindenau. Der Neubau der Grund",
        "Bürgermeister Peter Hausmann e",
        "Die Fraktion der Freien Wähler",
    ]
    assert intro.paragraphs[2].endswith("sagte Fraktionschefin Renate Kühn.")
    assert grant.heading == "Zuschuss vom Land"
    assert grant.paragraphs[0].startswith("Immerhin gibt es auch eine gute Nachricht:")
    assert grant.paragraphs[-1].endswith("eine Unterschriftenliste übergeben.")


def test_a_line_break_inside_a_sentence_is_a_space() -> None:
    page = (
        "<html lang='de'><head><title>Haushalt</title></head><body><article><h1>Haushalt</h1>"
        "<div class='text'>Der Gemeinderat hat am Montag<br>lange über den neuen Haushalt "
        "beraten.<br><br>Am Ende stand eine knappe Mehrheit für den Entwurf der "
        "Verwaltung.<br><br>Kurz<br><br>Die Opposition will weiter gegen die Kürzungen bei "
        "den Bädern vorgehen.</div></article></body></html>"
    )
    article = read_html(page)
    assert _paragraphs(article)[0] == (
        "Der Gemeinderat hat am Montag lange über den neuen Haushalt beraten."
    )
    assert [section.heading for section in article.sections] == [None, "Kurz"]


def test_lead_marked_by_its_class_comes_first() -> None:
    assert _paragraphs(_load(MAGAZIN))[0].startswith("Seit Jahren verspricht die Politik")


def test_summary_bullets_come_before_the_body() -> None:
    paragraphs = _paragraphs(_load(SPORT))
    assert paragraphs[2] == "Am kommenden Wochenende treffen beide Teams direkt aufeinander."
    assert paragraphs[3].startswith("Der 28. Spieltag der Regionalliga")


def test_a_results_table_is_read_row_by_row_under_its_heading() -> None:
    results = _load(SPORT).sections[2]
    assert results.paragraphs[:4] == (
        "Heim, Gast, Ergebnis",
        "Eintracht Nordstadt, TuS Moorheide, 1:1",
        "SV Hafenkamp, Blau-Weiß Altenfeld, 3:0",
        "FC Kirchdorf, VfL Westerholt, 2:2",
    )


def test_a_layout_table_reads_its_paragraphs_not_one_row() -> None:
    prose = [
        "Der Gemeinderat hat am Montag lange über den neuen Haushalt beraten und am Ende "
        "mit knapper Mehrheit zugestimmt, obwohl die Opposition bis zuletzt dagegen war.",
        "Die Opposition kündigte an, weiter gegen die geplanten Kürzungen bei den Bädern "
        "und Bibliotheken vorzugehen, notfalls mit einem Bürgerbegehren im Herbst.",
    ]
    cells = "".join(f"<td><p>{text}</p></td>" for text in prose)
    page = (
        "<html lang='de'><head><title>Haushalt</title></head><body><h1>Haushalt</h1>"
        f"<table><tr>{cells}</tr></table></body></html>"
    )
    assert _paragraphs(read_html(page)) == prose


def test_info_box_is_read_in_place_and_related_box_is_not() -> None:
    intro, costs = _load(TAGEBLATT).sections
    assert intro.paragraphs[-1].startswith("Info: Abstimmen dürfen")
    assert costs.paragraphs[0].startswith("Die Sanierung würde")


def test_live_ticker_entries_keep_their_time_in_page_order() -> None:
    paragraphs = _paragraphs(_load(LIVEBLOG))
    assert paragraphs[0].startswith("Starkregen und Gewitter")
    assert [paragraph[:9] for paragraph in paragraphs[1:]] == [
        "14:32 Uhr",
        "13:05 Uhr",
        "Anwohner ",
        "11:48 Uhr",
    ]


def test_a_single_time_stamp_is_not_put_in_front_of_the_lead() -> None:
    page = (
        "<html lang='de'><head><title>Haushalt</title></head><body><article><h1>Haushalt</h1>"
        "<div class='meta'><time>14:30 Uhr</time></div><div>" + PROSE + "</div></article>"
        "</body></html>"
    )
    assert _paragraphs(read_html(page))[0].startswith("Der Gemeinderat")


def test_a_publishing_time_and_a_sidebar_time_are_no_ticker() -> None:
    page = (
        "<html lang='de'><head><title>Haushalt</title></head><body><article><h1>Haushalt</h1>"
        "<div class='meta'><time>14:30 Uhr</time></div><div>" + PROSE + "</div></article>"
        "<div class='sidebar'><span class='zeit'>12:05 Uhr</span><p>Unfall auf der B 27: "
        "Zwei Menschen wurden am Mittag bei Lindenau schwer verletzt.</p></div></body></html>"
    )
    assert _paragraphs(read_html(page))[0].startswith("Der Gemeinderat")


def test_a_pull_quote_in_an_aside_is_not_read_twice() -> None:
    quote = "Wir haben jeden Euro dreimal umgedreht, bevor wir ihn ausgegeben haben"
    body = (
        "<h1>Haushalt</h1>" + PROSE[:-4] + f" „{quote}“, sagte der Kämmerer.</p>"
        f"<aside class='pullquote'><p>„{quote}.“</p></aside>"
        "<p>Im Herbst beginnt die Arbeit am Haushalt für das übernächste Jahr, sagte er.</p>"
    )
    page = f"<html lang='de'><head><title>Haushalt</title></head><body><article>{body}"
    text = _all_text(read_html(page + "</article></body></html>"))
    assert text.count(quote) == 1


def test_a_large_page_is_read_fast() -> None:
    """The broadcaster page with 800 teaser cards and 500 KiB of script: about 0.7 MiB."""
    cards = "".join(
        f"<div class='teaser'><a href='/t{number}'><img src='/t{number}.jpg'><span>Meldung "
        f"{number} aus der Region</span></a><p>Kurzer Anrisstext zur Meldung {number}, damit "
        "die Seite nach einer echten Startseite aussieht.</p></div>"
        for number in range(800)
    )
    script = "<script>" + "var x = {'a': 1};" * 30000 + "</script>"
    page = (PAGES / SENDER.file).read_text(encoding="utf-8")
    page = page.replace("</main>", f"<section>{cards}</section></main>{script}")
    read_html(page)  # trafilatura's import is not reading
    start = time.perf_counter()
    article = read_html(page)
    assert time.perf_counter() - start < 0.5
    assert article.title == SENDER.title and not any("Meldung 1" in p for p in _paragraphs(article))


def test_json_ld_body_replaces_a_paywall_teaser() -> None:
    paragraphs = _paragraphs(_load(RENTE))
    assert paragraphs[0].startswith("Die Altersgrenze für die abschlagsfreie Rente")
    assert paragraphs[1].startswith("Die sogenannte Rente mit 63 gibt es schon lange nicht mehr.")


PROSE = (
    "<p>Der Gemeinderat hat am Montag lange über den neuen Haushalt beraten und ihn am Ende mit "
    "knapper Mehrheit beschlossen, obwohl die Opposition bis zuletzt dagegen gestimmt hat.</p>"
    "<p>Die Opposition kündigte an, weiter gegen die geplanten Kürzungen bei den Bädern und "
    "Bibliotheken vorzugehen, notfalls mit einem Bürgerbegehren im kommenden Herbst.</p>"
    "<p>Die Verwaltung will die Pläne im Einzelnen auf einer Bürgerversammlung vorstellen, "
    "die für den Mai geplant ist.</p>"
)


def test_json_ld_body_is_not_used_when_the_html_body_is_complete() -> None:
    paragraphs = [
        "Der Gemeinderat hat am Montag lange über den neuen Haushalt beraten und ihn am Ende "
        "mit knapper Mehrheit beschlossen.",
        "Die Opposition kündigte an, weiter gegen die geplanten Kürzungen bei den Bädern und "
        "Bibliotheken vorzugehen.",
        "Im Herbst soll es eine Bürgerversammlung geben, auf der die Verwaltung die Pläne im "
        "Einzelnen vorstellt und Fragen beantwortet.",
    ]
    json_ld = json.dumps({"@type": "NewsArticle", "articleBody": " ".join(paragraphs)})
    page = (
        "<html lang='de'><head><title>Haushalt</title>"
        f"<script type='application/ld+json'>{json_ld}</script></head><body><article>"
        "<h1>Haushalt</h1><p>"
        + "</p><h2>Wie es weitergeht</h2><p>".join(paragraphs[:2])
        + f"</p><p>{paragraphs[2]}</p></article></body></html>"
    )
    article = read_html(page)
    assert [section.heading for section in article.sections] == [None, "Wie es weitergeht"]
    assert _paragraphs(article) == paragraphs


def test_json_ld_body_with_html_tags_and_entities() -> None:
    sentence = "Der Gemeinderat hat am Montag lange über den Haushalt beraten &amp; beschlossen."
    other = "Die Opposition will weiter gegen die Kürzungen bei den Bädern vorgehen."
    body = "<p>" + " ".join([sentence] * 4) + "</p><p>" + " ".join([other] * 4) + "</p>"
    json_ld = json.dumps([{"@type": "NewsArticle", "articleBody": body}], ensure_ascii=False)
    page = (
        "<html lang='de'><head><title>Haushalt</title>"
        f"<script type='application/ld+json'>{json_ld}</script></head><body><article>"
        "<h1>Haushalt</h1><p>Nur für Abonnenten.</p></article></body></html>"
    )
    paragraphs = _paragraphs(read_html(page))
    assert len(paragraphs) == 2 and paragraphs[0].count("beraten & beschlossen.") == 4


def test_title_repeated_as_first_paragraph_is_read_once() -> None:
    article = _load(KITASTREIK)
    assert _all_text(article).count("Eltern müssen umplanen") == 1
    assert _paragraphs(article)[0].startswith("Am Montag bleiben in Köln")


def test_site_name_before_the_title_is_dropped() -> None:
    assert _load(KREISBLATT).title == "Neubau der Grundschule wird teurer"


def test_page_without_lang_is_detected_as_german() -> None:
    article = _load(WOCHENPOST)
    assert article.language is None
    assert detect_language(article) == "de"


def test_every_fixture_page_is_read_fast() -> None:
    """Well under half a second a page (the largest, a few KiB, takes some 10-20 ms)."""
    load_article(PAGES / SENDER.file)  # trafilatura's import is not reading
    slowest = 0.0
    for path in PAGES.glob("*.html"):
        start = time.perf_counter()
        load_article(path)
        slowest = max(slowest, time.perf_counter() - start)
    assert slowest < 0.5
