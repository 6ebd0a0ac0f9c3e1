"""Boilerplate patterns: what copied news pages carry, and what must survive."""

from __future__ import annotations

import re

import pytest

from narrate.article.boilerplate import (
    BUILTIN_PATTERNS,
    compile_patterns,
    is_boilerplate,
    remove_boilerplate,
    remove_boilerplate_lines,
)
from narrate.article.model import Article, Section

PATTERNS = compile_patterns()

BOILERPLATE = [
    # player labels
    "Drücken Sie Play, um diesen Artikel anzuhören",
    "Drücken Sie auf Play, um den Beitrag anzuhören.",
    "Gesprochen von künstlicher Intelligenz",
    "Dieser Artikel wurde vorgelesen von künstlicher Intelligenz.",
    "Artikel anhören",
    "Artikel hören",
    "Jetzt anhören",
    "Vorlesen",
    "Artikel vorlesen lassen",
    "Audio abspielen",
    "Listen to this article",
    "Listen to this story · 6 min",
    "Listen",
    "This article was narrated by AI.",
    "5 Min.",
    "5 Minuten",
    "ca. 4 min Lesezeit",
    "Lesezeit: 7 Minuten",
    "Reading time: 3 min",
    "8 min read",
    "0:00 / 5:32",
    # comment forms
    "Schreibe einen Kommentar",
    "Schreiben Sie einen Kommentar",
    "Deine E-Mail-Adresse wird nicht veröffentlicht.",
    "Ihre E-Mail-Adresse wird nicht veröffentlicht. Erforderliche Felder sind mit * markiert",
    "Erforderliche Felder sind mit * markiert",
    "Pflichtfelder sind markiert.",
    "Leave a Reply",
    "Leave a comment",
    "Your email address will not be published.",
    "Your email address will not be published. Required fields are marked *",
    "Required fields are marked *",
    "Kommentar abschicken",
    "Antwort abbrechen",
    "Post Comment",
    "Cancel reply",
    "Name *",
    "E-Mail *",
    "Email *",
    "Kommentar *",
    "Website",
    "Webseite",
    "12 Kommentare",
    "3 Comments",
    "Antworten",
    "Reply",
    "Meinen Namen, meine E-Mail-Adresse und meine Website in diesem Browser speichern, "
    "bis ich wieder kommentiere.",
    "Save my name, email, and website in this browser for the next time I comment.",
    # photo credits
    "Bundeskanzler Olaf Scholz spricht im Bundestag. Poolfoto von Michael Kappeler über "
    "Getty Images",
    "Poolfoto von Michael Kappeler über Getty Images",
    "Foto: dpa",
    "Foto: Jana Weber/dpa",
    "Fotos: picture alliance / dpa | Kay Nietfeld",
    "Bild: Stadtwerke Kaltenbach",
    "Photo: Reuters",
    "Grafik: Statistisches Bundesamt",
    "Quelle: AFP",
    "A worker on the rail line. (Photo by Sean Gallup/Getty Images)",
    "(Photo by Sean Gallup/Getty Images)",
    "© dpa",
    "© 2024 Kaltenbacher Zeitung",
    "(c) Reuters",
    "Copyright 2024 Example Media",
    "dpa",
    "picture alliance / dpa",
    "imago images / photothek",
    "Getty Images",
    # share bars
    "Teilen",
    "Artikel teilen",
    "Teilen:",
    "Share this article",
    "Share",
    "Link kopieren",
    "Drucken",
    "Merken",
    "Auf Facebook teilen",
    "Per WhatsApp teilen",
    "Share on LinkedIn",
    "Facebook Twitter WhatsApp E-Mail",
    "Facebook | X | E-Mail",
    # ads
    "Anzeige",
    "ANZEIGE",
    "- Anzeige -",
    "Werbung",
    "Advertisement",
    "Sponsored content",
    # newsletters
    "Newsletter abonnieren",
    "Jetzt den Morgen-Newsletter kostenlos abonnieren!",
    "Melden Sie sich für unseren Newsletter an und erhalten Sie jeden Morgen die wichtigsten "
    "Nachrichten.",
    "Abonnieren Sie unseren Newsletter.",
    "Sign up for our daily newsletter to get the best stories.",
    "Zur Newsletter-Anmeldung",
    # teasers and page furniture
    "Lesen Sie auch: Warum die Strompreise wieder steigen",
    "Lesen Sie auch",
    "Lesen Sie mehr: Der große Report",
    "Mehr zum Thema",
    "Mehr zum Thema: Energie aus dem Dorf",
    "Mehr dazu",
    "Auch interessant: Die Bahn baut um",
    "Das könnte Sie auch interessieren",
    "Weiterlesen",
    "Read more: Night trains are back",
    "See also: Europe by rail",
    "Related",
    "Zur Startseite",
    "Stand: 12.07.2023 14:03 Uhr",
    "Aktualisiert am 3. Mai 2024, 10:15 Uhr",
    "Updated: May 3, 2024",
    "12.03.2024, 08:15 Uhr",
    "Di., 12.03.2024",
    "Stand: 29.11.2024 14:32 Uhr",
    "Aktualisiert am Dienstag, 3. März 2024, 10:20 Uhr",
    "Erstellt: 14:32 Uhr",
    "Jetzt weiterlesen mit MAGAZIN+. Testen Sie 4 Wochen für 0,99 €.",
    "Testen Sie 30 Tage kostenlos.",
    "Sie haben bereits ein Abo? Hier anmelden",
    "Subscribe to continue reading.",
]

PROSE = [
    "Das Foto zeigt den Kanzler beim Besuch in Kiew.",
    "Das Foto von Jana Weber wurde im Juni aufgenommen.",
    "Die Fotos von Getty Images zeigen die Zerstörung.",
    "Sie teilen die Sorge der Anwohner.",
    "Teilen und herrschen",
    "Werbung ist in der Innenstadt künftig verboten.",
    "Politische Werbung",
    "Die Anzeige wurde am Montag erstattet.",
    "Lesen Sie auch das Kleingedruckte, rät die Verbraucherzentrale.",
    "Mehr zum Thema Energie erfahren Sie im Rathaus.",
    "Interessant: Die meisten Befragten waren jünger als 30.",
    "Der Name des Täters ist nicht bekannt.",
    "Die Website der Stadt war stundenlang nicht erreichbar.",
    "Nach 5 Minuten war alles vorbei.",
    "Die Zahl der Einwohner stieg um 5 Prozent (Quelle: Destatis).",
    "Die Nachricht kam über Reuters.",
    "Die dpa meldete am Abend neue Zahlen.",
    "Copyright-Reform in der EU",
    "Instagram",
    "Listen to the music of the city.",
    "Kommentare von Lesern zeigen, wie groß der Ärger ist.",
    "Der Kommentar des Ministers fiel knapp aus.",
    "Sie will den Artikel anhören, bevor sie urteilt.",
    "Gesprochen wurde vor allem über Geld.",
    "Your email matters to us, says the company.",
    "Stand der Dinge",
    "Newsletter sind ein wachsendes Geschäft für Verlage.",
    "Share prices fell by 3 percent on Monday.",
    "A worker repairs the line, a photo by the railway shows.",
    "Bild der Zerstörung",
    "AP, Reuters und dpa berichteten übereinstimmend.",
    "Reuters berichtete am Abend.",
    "Hören",
    "Am 12.03.2024 um 08:15 Uhr begann die Sitzung.",
    "Testen Sie selbst, wie schnell das neue Netz ist.",
    "Dienstag, 12. März: Der Rat tagt öffentlich und beschließt den Haushalt.",
]


@pytest.mark.parametrize("text", BOILERPLATE)
def test_boilerplate_is_recognised(text: str) -> None:
    assert is_boilerplate(text, PATTERNS)


@pytest.mark.parametrize("text", PROSE)
def test_prose_survives(text: str) -> None:
    assert not is_boilerplate(text, PATTERNS)


def test_whitespace_is_collapsed_before_matching() -> None:
    assert is_boilerplate("  Drücken Sie Play,\n um diesen  Artikel anzuhören ", PATTERNS)


def test_empty_text_is_not_boilerplate() -> None:
    assert not is_boilerplate("   ", PATTERNS)


def test_every_builtin_pattern_compiles() -> None:
    for pattern in BUILTIN_PATTERNS:
        re.compile(pattern)


def test_extra_patterns_match_whole_paragraphs_case_insensitively() -> None:
    patterns = compile_patterns([r"abo: .*", "nur für abonnenten"])
    assert is_boilerplate("ABO: 4 Wochen gratis", patterns)
    assert is_boilerplate("Nur für Abonnenten", patterns)
    assert not is_boilerplate("Das Abo: eine Geschichte. Nur für Abonnenten", patterns)


def test_remove_boilerplate_lines_keeps_the_rest_in_place() -> None:
    text = "Titel\n\nDrücken Sie Play, um diesen Artikel anzuhören\nErster Satz\nzweite Zeile.\n"
    assert remove_boilerplate_lines(text) == "Titel\n\nErster Satz\nzweite Zeile.\n"


S = Section


@pytest.mark.parametrize(
    ("sections", "expected"),
    [
        pytest.param(
            (S(None, ("Anzeige", "Text.", "Foto: dpa")),),
            (S(None, ("Text.",)),),
            id="paragraphs",
        ),
        pytest.param(
            (S(None, ("A.",)), S("Mehr zum Thema", ("B.",)), S("Teil", ("C.",))),
            (S(None, ("A.", "B.")), S("Teil", ("C.",))),
            id="heading-dropped-paragraphs-move-up",
        ),
        pytest.param(
            (S("Teil", ("A.",)), S("Leave a Reply", ("Name *", "Website"))),
            (S("Teil", ("A.",)),),
            id="comment-form-section-vanishes",
        ),
        pytest.param(
            (S("Anzeige", ("A.",)), S("Teil", ("B.",))),
            (S(None, ("A.",)), S("Teil", ("B.",))),
            id="first-heading-dropped-becomes-intro",
        ),
        pytest.param(
            (S(None, ("Teilen",)), S("Teil", ())),
            (S("Teil", ()),),
            id="empty-intro-vanishes-heading-only-section-stays",
        ),
    ],
)
def test_remove_boilerplate(sections: tuple[Section, ...], expected: tuple[Section, ...]) -> None:
    article = Article("Anzeige", sections, "de")
    assert remove_boilerplate(article) == Article("Anzeige", expected, "de")
