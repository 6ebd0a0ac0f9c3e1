"""Reading web pages: the article itself, without the page around it.

The pages in ``tests/pages`` are hand-written in the style of German news
sites (a regional paper, a public broadcaster, a WordPress blog, an Austrian
paper) and one English paper; each test names what must come through once and
which page furniture must not come through at all.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pytest

from narrate.article.html import looks_like_html, read_html
from narrate.article.load import load_article, read_source
from narrate.article.model import Article, Section
from narrate.errors import InputError

PAGES = Path(__file__).parent / "pages"


@dataclass(frozen=True)
class Page:
    """What one fixture page must give: title, language, headings, text, and no furniture."""

    file: str
    title: str
    language: str
    headings: tuple[str | None, ...]
    present: tuple[str, ...]
    absent: tuple[str, ...]


STADTKURIER = Page(
    file="stadtkurier-radwege.html",
    title="Neue Radwege: Stadt investiert vier Millionen Euro",
    language="de-DE",
    headings=(
        None,
        "Was genau geplant ist",
        "Kritik aus dem Einzelhandel",
        "Wie es jetzt weitergeht",
    ),
    present=(
        "Der Stadtrat hat am Dienstagabend den Ausbau des Radnetzes beschlossen.",
        "Mit 31 zu 12 Stimmen hat der Stadtrat das Radverkehrskonzept verabschiedet.",
        "Die ersten Bauabschnitte im Überblick:",
        "Ein geschützter Radstreifen auf der Ringstraße zwischen Bahnhof und Theaterplatz.",
        "Neue Abstellanlagen für 400 Räder am Hauptbahnhof.",
        "Wir haben nichts gegen Radwege, aber wir brauchen auch eine Lösung",
        "Anwohnerinnen und Anwohner können sich bei einer Bürgerversammlung am 7. Mai",
    ),
    absent=(
        "Stadtkurier",
        "Wir verwenden Cookies",
        "Alle akzeptieren",
        "Lokales",
        "Wirtschaft",
        "Abo & Service",
        "Startseite",
        "Verkehrswende",
        "Katrin Weller",
        "Teilen auf Facebook",
        "Artikel vorlesen",
        "Radfahrer auf der Ringstraße: Hier soll",
        "Foto: dpa",
        "Anzeige",
        "Traumreise",
        "Mehr zum Thema",
        "Parkgebühren steigen ab Juli",
        "Fahrradklima-Test",
        "Newsletter",
        "am Morgen",
        "kostenlos anmelden",
        "Kommentare (12)",
        "Radler1987",
        "Typisch Stadtrat",
        "Alle Kommentare anzeigen",
        "Impressum",
        "Datenschutz",
        "©",
    ),
)

RUNDFUNK = Page(
    file="rundfunk-energiewende.html",
    title="Energiewende im Dorf: Wie Feldheim sich selbst versorgt",
    language="de",
    headings=(None, "Günstiger Strom für alle Haushalte", "Ein Modell für andere Gemeinden?"),
    present=(
        "Feldheim in Brandenburg gilt als Vorzeigedorf der Energiewende.",
        "Wer nach Feldheim fährt, sieht die Windräder schon von Weitem.",
        "„Am Anfang haben uns viele für verrückt erklärt“, erinnert sich Ortsvorsteher",
        "Die Menschen vor Ort müssen an den Erträgen beteiligt werden.",
        "Genehmigungen müssen schneller erteilt werden als bisher.",
        "In Treuenbrietzen entsteht derzeit ein ähnliches Nahwärmenetz",
    ),
    absent=(
        "Rundfunk Nord",
        "Direkt zum Inhalt",
        "Ihre Privatsphäre",
        "Einverstanden",
        "Nachrichten",
        "Mediathek",
        "Erneuerbare Energien",
        "Stand:",
        "Audio anhören",
        "3 Min",
        "Von Jana Hoffmann",
        "Windräder rund um Feldheim: Das Dorf erzeugt",
        "picture alliance",
        "Mehr zum Thema",
        "Windkraft-Ausbau kommt nur langsam voran",
        "Förderung für Wärmepumpen",
        "Über dieses Thema berichtete",
        "Teilen",
        "WhatsApp",
        "Impressum",
        "Barrierefreiheit",
    ),
)

BLOG = Page(
    file="blog-sauerteig.html",
    title="Sauerteig ansetzen: Mein Weg zum ersten eigenen Brot",
    language="de",
    headings=(None, "Was man wirklich braucht", "Der erste Laib"),
    present=(
        "Sauerteig klang nach Wissenschaft, nach Großmutters Küche",
        "Es hat sogar einen Namen: Herbert.",
        "Roggenvollkornmehl, weil es besonders viele wilde Hefen mitbringt",
        "Lauwarmes Wasser, etwa 30 °C",
        "Nach fünf Tagen roch das Glas angenehm säuerlich, nach sieben Tagen",
        "Der Sauerteig hat keine Eile. Wenn du es eilig hast, kauf dir Hefe.",
        "Das Ergebnis ist eine knusprige Kruste",
    ),
    absent=(
        "Brotzeit-Blog",
        "Backen, Genießen, Teilen",
        "Rezepte",
        "Grundlagen",
        "Veröffentlicht am",
        "Lena Brandt",
        "Herbert am siebten Tag",
        "Teilen mit",
        "Pinterest",
        "Drucken",
        "Ähnliche Beiträge",
        "Roggenbrot für Anfänger",
        "Verschlagwortet",
        "Vorheriger Beitrag",
        "Pizza napoletana",
        "3 Gedanken",
        "Rüdiger",
        "Schreibe einen Kommentar",
        "nicht veröffentlicht",
        "Kommentar abschicken",
        "Hobbybäckerin",
        "Neueste Beiträge",
        "Impressum",
        "WordPress",
    ),
)

ALPENBLATT = Page(
    file="alpenblatt-almsommer.html",
    title="Almsommer in Tirol: Hirten gesucht",
    language="de-AT",
    headings=(None, "Quereinsteiger aus der Stadt", "Bezahlung und Unterkunft"),
    present=(
        "Auf vielen Tiroler Almen fehlt heuer Personal.",
        "Allein in Tirol seien derzeit mehr als 80 Stellen für Hirtinnen und Senner unbesetzt",
        "„Viele haben ein romantisches Bild im Kopf.",
        "wie man Zäune richtig aufstellt und repariert,",
        "und was im Notfall zu tun ist, wenn kein Tierarzt erreichbar ist.",
        "Bezahlt wird nach Kollektivvertrag",
        "Geplant ist auch eine Plattform",
    ),
    absent=(
        "Alpenblatt",
        "Cookies",
        "Zustimmen",
        "Chronik",
        "E-Paper",
        "Martin Gasser",
        "Artikel teilen",
        "Merken",
        "Rund 100.000 Rinder",
        "APA/EXPA",
        "Lesen Sie auch",
        "Wolfsrisse",
        "Themen:",
        "Forum",
        "Posten Sie Ihre Meinung",
        "Bergfex_77",
        "Meistgelesen",
        "Stau am Brenner",
        "Impressum",
        "Offenlegung",
    ),
)

HARBOUR = Page(
    file="harbour-gazette-ferry.html",
    title="Night ferry returns after a decade",
    language="en-GB",
    headings=(None, "A service built around commuters", "Questions over funding"),
    present=(
        "The overnight ferry between the harbour and the islands will sail again",
        "The ferry will leave the islands at half past ten in the evening",
        "For families here this is not a luxury.",
        "That was how councillor Morag Innes put it at the launch event on Friday.",
        "After that, it will have to pay for itself or find new support.",
    ),
    absent=(
        "Harbour Gazette",
        "We use cookies",
        "Accept all",
        "What's On",
        "Subscribe",
        "Owen Pritchard",
        "Share on Facebook",
        "Copy link",
        "The refurbished vessel",
        "Sam Ellis",
        "Related stories",
        "Harbour car park charges",
        "newsletter",
        "Comments (4)",
        "about time too",
        "Privacy policy",
        "Terms and conditions",
    ),
)

ALL_PAGES = [STADTKURIER, RUNDFUNK, BLOG, ALPENBLATT, HARBOUR]


def _load(page: Page) -> Article:
    return load_article(PAGES / page.file)


def _all_text(article: Article) -> str:
    """Title, headings and paragraphs, one per line."""
    lines = [article.title]
    for section in article.sections:
        lines += [section.heading or "", *section.paragraphs]
    return "\n".join(lines)


def _page_id(page: Page) -> str:
    return page.file.removesuffix(".html")


@pytest.mark.parametrize("page", ALL_PAGES, ids=_page_id)
def test_title_and_language(page: Page) -> None:
    article = _load(page)
    assert (article.title, article.language) == (page.title, page.language)


@pytest.mark.parametrize("page", ALL_PAGES, ids=_page_id)
def test_subheadings_start_sections_in_order(page: Page) -> None:
    article = _load(page)
    assert tuple(section.heading for section in article.sections) == page.headings
    assert all(section.paragraphs for section in article.sections)


@pytest.mark.parametrize("page", ALL_PAGES, ids=_page_id)
def test_body_text_list_items_and_quotes_come_through_once(page: Page) -> None:
    text = _all_text(_load(page))
    for sentence in page.present:
        assert text.count(sentence) == 1, sentence


@pytest.mark.parametrize("page", ALL_PAGES, ids=_page_id)
def test_page_furniture_is_left_out(page: Page) -> None:
    body = _all_text(_load(page)).removeprefix(page.title)
    for furniture in page.absent:
        assert furniture not in body, furniture


@pytest.mark.parametrize("page", ALL_PAGES, ids=_page_id)
def test_the_headline_is_not_repeated(page: Page) -> None:
    assert _all_text(_load(page)).count(page.title) == 1


def test_list_items_and_quote_paragraphs_are_paragraphs_of_their_own() -> None:
    planned = _load(STADTKURIER).sections[1]
    assert planned == Section(
        "Was genau geplant ist",
        (
            "Das Konzept sieht vor, die wichtigsten Achsen der Innenstadt miteinander zu "
            "verbinden. Wo die Straßen breit genug sind, sollen die Radwege baulich von der "
            "Fahrbahn getrennt werden.",
            "Die ersten Bauabschnitte im Überblick:",
            "Ein geschützter Radstreifen auf der Ringstraße zwischen Bahnhof und Theaterplatz.",
            "Eine Fahrradstraße in der Lindenallee, in der Autos nur noch zu Gast sind.",
            "Neue Abstellanlagen für 400 Räder am Hauptbahnhof.",
        ),
    )


def test_kicker_above_the_headline_is_left_out() -> None:
    lines = _all_text(_load(ALPENBLATT)).split("\n")
    assert "Landwirtschaft" not in lines and lines[2].startswith("Auf vielen Tiroler Almen")


def test_lead_styled_as_teaser_is_kept_first() -> None:
    intro = _load(STADTKURIER).sections[0].paragraphs
    assert intro[0].startswith("Der Stadtrat hat am Dienstagabend den Ausbau")
    assert intro[1].startswith("Lange wurde gestritten")


def test_byline_goes_with_the_boilerplate_pass_and_the_image_box_with_the_reader() -> None:
    kept = _all_text(load_article(PAGES / RUNDFUNK.file, keep_boilerplate=True))
    assert "Von Jana Hoffmann, Rundfunk Nord" in kept
    assert "Von Jana Hoffmann" not in _all_text(_load(RUNDFUNK))
    assert "Patrick Pleul" not in kept and "Windräder rund um Feldheim" not in kept


def _page(body: str, head: str = "", html_attrs: str = ' lang="de"') -> str:
    return (
        f"<!DOCTYPE html><html{html_attrs}><head><meta charset='utf-8'>{head}</head>"
        f"<body><article>{body}</article></body></html>"
    )


PROSE = (
    "<p>Der Gemeinderat hat am Montag lange über den neuen Haushalt beraten und am Ende "
    "mit knapper Mehrheit zugestimmt.</p>"
    "<p>Die Opposition kündigte an, weiter gegen die geplanten Kürzungen bei den Bädern "
    "und Bibliotheken vorzugehen.</p>"
)


def test_entities_soft_hyphens_no_break_spaces_and_line_breaks() -> None:
    body = (
        "<h1>Haushalt beschlossen</h1>"
        "<p>Bür&shy;ger&shy;meis&shy;terin M&uuml;ller sagte:&nbsp;&bdquo;Das ist gut.&ldquo; "
        "Zeile eins<br>Zeile zwei<br/>Zeile drei &amp; mehr, und das war es dann.</p>" + PROSE
    )
    paragraph = read_html(_page(body)).sections[0].paragraphs[0]
    assert paragraph == (
        "Bürgermeisterin Müller sagte: „Das ist gut.“ Zeile eins Zeile zwei Zeile drei & mehr, "
        "und das war es dann."
    )


@pytest.mark.parametrize(
    ("title_tag", "head", "title"),
    [
        ("Haushalt beschlossen – Stadtanzeiger", "", "Haushalt beschlossen"),
        ("Haushalt beschlossen | Stadtanzeiger", "", "Haushalt beschlossen"),
        ("Haushalt beschlossen - Stadtanzeiger", "", "Haushalt beschlossen"),
    ],
)
def test_site_name_suffix_is_dropped(title_tag: str, head: str, title: str) -> None:
    page = _page("<h1>Haushalt beschlossen</h1>" + PROSE, f"<title>{title_tag}</title>{head}")
    assert read_html(page).title == title


def test_site_name_suffix_is_dropped_by_og_site_name_without_h1() -> None:
    head = (
        "<title>Haushalt beschlossen: Was jetzt kommt · Stadtanzeiger</title>"
        '<meta property="og:site_name" content="Stadtanzeiger">'
    )
    assert read_html(_page(PROSE, head)).title == "Haushalt beschlossen: Was jetzt kommt"


def test_a_title_with_a_dash_of_its_own_is_kept() -> None:
    head = "<title>Bäder - wie geht es weiter?</title>"
    assert read_html(_page(PROSE, head)).title == "Bäder - wie geht es weiter?"


@pytest.mark.parametrize(
    ("html_attrs", "head", "language"),
    [
        (' lang="de-DE"', "", "de-DE"),
        (' lang="de-at"', '<meta property="og:locale" content="en_GB">', "de-at"),
        ("", '<meta http-equiv="Content-Language" content="de-CH">', "de-CH"),
        ("", '<meta property="og:locale" content="de_DE">', "de-DE"),
        (' lang=""', '<meta property="og:locale" content="fr_FR">', "fr-FR"),
        (' lang="{{ lang }}"', "", None),
        (' xml:lang="de"', "", "de"),
        ("", "", None),
    ],
)
def test_language_from_the_page(html_attrs: str, head: str, language: str | None) -> None:
    page = _page("<h1>Haushalt</h1>" + PROSE, head, html_attrs)
    assert read_html(page).language == language


def test_h1_other_than_the_title_and_nested_lists() -> None:
    body = (
        "<h1>Haushalt beschlossen</h1>" + PROSE + "<h3>Die Zahlen</h3>"
        "<ul><li>Einnahmen<ul><li>Steuern</li><li>Gebühren</li></ul></li><li>Ausgaben</li></ul>"
    )
    head = "<title>Haushalt beschlossen</title>"
    article = read_html(_page(body, head))
    assert article.title == "Haushalt beschlossen"
    assert article.sections[-1] == Section(
        "Die Zahlen", ("Einnahmen", "Steuern", "Gebühren", "Ausgaben")
    )


def test_xhtml_with_an_xml_declaration() -> None:
    page = (
        "<?xml version='1.0' encoding='utf-8'?>\n<!DOCTYPE html>"
        "<html xmlns='http://www.w3.org/1999/xhtml' xml:lang='de' lang='de'><head>"
        "<title>Haushalt</title></head><body><h1>Haushalt</h1>" + PROSE + "</body></html>"
    )
    article = read_html(page)
    assert (article.title, article.language, article.paragraph_count) == ("Haushalt", "de", 2)


def test_fallback_reads_article_paragraphs_when_trafilatura_finds_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("trafilatura.extract", lambda *args, **kwargs: None)
    page = _page(
        "<header><h1>Haushalt beschlossen</h1></header>" + PROSE + "<blockquote><p>Gut so.</p>"
        "</blockquote><ul><li>Bäder</li></ul><footer>Impressum</footer><h2>Wie weiter</h2>"
        "<p>Im Mai wird erneut beraten.</p>",
        "<title>Haushalt beschlossen – Stadtanzeiger</title>",
    )
    article = read_html(page.replace("<body>", "<body><nav>Startseite</nav>"))
    assert article.title == "Haushalt beschlossen"
    assert article.sections[0].paragraphs[2:] == ("Gut so.", "Bäder")
    assert article.sections[1] == Section("Wie weiter", ("Im Mai wird erneut beraten.",))
    assert "Startseite" not in _all_text(article) and "Impressum" not in _all_text(article)


def test_a_page_without_article_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "leer.html"
    path.write_text(
        "<html><head><title>Start</title></head><body><nav><a href='/'>Start</a></nav>"
        "<script>var x = 1;</script></body></html>",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"^no article text found in .*leer\.html") as caught:
        load_article(path)
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<!DOCTYPE html><html>", True),
        ("  \n<!doctype HTML>", True),
        ("<html lang='de'>", True),
        ("\ufeff<!-- generated -->\n<html>", True),
        ("<htmlish>", False),
        ("# Titel", False),
        ("Titel\n\n<html> im Text", False),
    ],
)
def test_looks_like_html(text: str, expected: bool) -> None:
    assert looks_like_html(text) is expected


def test_stdin_html_is_sniffed_and_read() -> None:
    data = (PAGES / ALPENBLATT.file).read_bytes()
    assert read_source("-", io.BytesIO(data)).kind == "html"
    article = load_article("-", stdin=io.BytesIO(data))
    assert (article.title, article.language) == (ALPENBLATT.title, "de-AT")


@pytest.mark.parametrize("suffix", [".html", ".htm", ".xhtml", ".HTML"])
def test_html_files_are_read_as_pages(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"artikel{suffix}"
    path.write_bytes((PAGES / BLOG.file).read_bytes())
    assert load_article(path).title == BLOG.title


def test_html_file_declaring_a_legacy_charset(tmp_path: Path) -> None:
    path = tmp_path / "alt.html"
    page = _page("<h1>Grüße aus Österreich</h1>" + PROSE).replace("utf-8", "iso-8859-1")
    path.write_bytes(page.encode("latin-1"))
    article = load_article(path)
    assert article.title == "Grüße aus Österreich"
    assert "Kürzungen bei den Bädern" in _all_text(article)


def test_html_file_in_a_legacy_charset_without_declaration_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "alt.html"
    path.write_bytes("<html><body><p>Grüße</p></body></html>".encode("latin-1"))
    with pytest.raises(InputError, match="is not valid UTF-8 text"):
        read_source(path)
