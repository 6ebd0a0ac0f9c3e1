"""HTML structures from real news sites: paragraphs built with <br><br>, a title and a
time stamp repeated after the body, an audio-player label, an inline related box."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrate.article.load import load_article
from narrate.article.model import Article

PAGES = Path(__file__).parent / "pages"


def _paragraphs(article: Article) -> list[str]:
    return [paragraph for section in article.sections for paragraph in section.paragraphs]


def _all_text(article: Article) -> str:
    headings = [section.heading or "" for section in article.sections]
    return "\n".join([article.title, *headings, *_paragraphs(article)])


def test_br_br_paragraphs_are_split_at_sentence_ends() -> None:
    article = load_article(PAGES / "anzeiger-katze.html")
    assert article.title == "Feuerwehr rettet Katze aus Baum"
    paragraphs = _paragraphs(article)
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("Musterstadt. Eine Katze hat am Montagabend")
    assert paragraphs[0].endswith("kam nicht mehr herunter.")
    assert paragraphs[1].startswith("Anwohner hatten gegen 19 Uhr")
    assert paragraphs[2].endswith("wieder in die Arme schließen.")


def test_title_and_time_stamp_repeated_after_the_body_are_not_read() -> None:
    article = load_article(PAGES / "anzeiger-katze.html")
    paragraphs = _paragraphs(article)
    assert "Feuerwehr rettet Katze aus Baum" not in paragraphs
    assert not any("08:15" in paragraph for paragraph in paragraphs)
    for furniture in ("Teilen", "Meistgelesen", "Impressum", "E-Paper", "Schützenfest"):
        assert furniture not in _all_text(article)


def test_broadcaster_page_reads_lead_body_and_subheading_once() -> None:
    article = load_article(PAGES / "nachrichten-haushalt.html")
    assert article.title == "Bundestag beschließt Haushalt 2025"
    assert [section.heading for section in article.sections] == [
        None,
        "Streit um die Schuldenbremse",
    ]
    paragraphs = _paragraphs(article)
    assert paragraphs[0].startswith("Nach monatelangem Streit hat der Bundestag")
    assert paragraphs[-1].startswith("Ökonomen sehen den Haushalt skeptisch.")
    assert len(paragraphs) == len(set(paragraphs)) == 5
    assert article.language == "de"


@pytest.mark.parametrize(
    "furniture",
    [
        "Startseite",
        "Stand:",
        "Artikel anhören",
        "03:12",
        "Haushaltsdebatte",
        "Mehr zum Thema",
        "Schuldenbremse: Was Sie wissen müssen",
        "Plenarsaal",
        "Bild: dpa",
        "Über dieses Thema berichtete",
        "Schlagwörter",
        "Impressum",
    ],
)
def test_broadcaster_page_furniture_is_not_read(furniture: str) -> None:
    assert furniture not in _all_text(load_article(PAGES / "nachrichten-haushalt.html"))


@pytest.mark.parametrize("page", sorted(path.name for path in PAGES.glob("*.html")))
def test_no_page_reads_a_paragraph_twice(page: str) -> None:
    article = load_article(PAGES / page)
    paragraphs = _paragraphs(article)
    assert len(paragraphs) == len(set(paragraphs))
    assert article.title not in paragraphs


@pytest.mark.parametrize(
    "stamp",
    [
        "12.03.2024, 08:15 Uhr",
        "Stand: 29.11.2024 14:32 Uhr",
        "Aktualisiert am 3. März 2024, 10:20 Uhr",
        "Veröffentlicht: 2024-03-12",
        "Di., 12.03.2024",
    ],
)
def test_a_paragraph_that_is_only_a_time_stamp_is_not_read(stamp: str, tmp_path: Path) -> None:
    page = tmp_path / "seite.html"
    page.write_text(
        "<html lang='de'><head><title>Titel der Seite</title></head><body><article>"
        "<h1>Titel der Seite</h1>"
        f"<p>{stamp}</p>"
        "<p>Der Gemeinderat hat am Dienstag über den neuen Haushalt beraten und ihn "
        "mit großer Mehrheit beschlossen.</p>"
        "<p>Am 12.03.2024 um 08:15 Uhr begann die Sitzung im großen Saal des Rathauses.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    paragraphs = _paragraphs(load_article(page))
    assert stamp not in paragraphs
    assert paragraphs[-1].startswith("Am 12.03.2024 um 08:15 Uhr begann")


def test_magazine_page_leaves_out_paywall_author_box_and_embeds() -> None:
    article = load_article(PAGES / "magazin-wohnungsnot.html")
    assert article.title == "Wohnungsnot: Warum Studierende keine Zimmer finden"
    paragraphs = _paragraphs(article)
    assert paragraphs[0].startswith("Zum Semesterstart suchen Tausende Studierende")
    assert paragraphs[-1].startswith("Die Bundesregierung verweist auf das Programm")
    text = _all_text(article)
    for furniture in (
        "Cookies",
        "Wohnungsmarkt",
        "Von Lena Hartmann",
        "06.00 Uhr",
        "Lesen Sie auch",
        "Foto:",
        "Externer Inhalt",
        "weiterlesen",
        "Testen Sie",
        "Redakteurin",
        "Kommentare",
        "Leser123",
    ):
        assert furniture not in text, furniture
