"""Page furniture that copied articles carry along and that must not be read.

Player labels, comment forms, photo credits, share bars, ad markers, newsletter
prompts and "read more" teasers, in German and English. Every pattern must match
a *whole* line or paragraph (case-insensitive, after collapsing whitespace), so
a normal sentence that merely mentions a photo or an ad is never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from narrate.article.model import Article, Section

__all__ = [
    "BUILTIN_PATTERNS",
    "compile_patterns",
    "is_boilerplate",
    "remove_boilerplate",
    "remove_boilerplate_lines",
]

_END = r"\W{0,3}"
"""Optional trailing punctuation: ``Teilen``, ``Teilen:``, ``Anzeige -``."""
_DATE = (
    r"(?:\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}|\d{1,2}\.\s?\w+\s\d{4}"
    r"|\w+\s\d{1,2},\s\d{4}|\d{4}-\d\d-\d\d)"
)
_CLOCK = r"\d{1,2}[:.]\d{2}(?:\s?uhr)?"
_TIME = rf"(?:,?\s(?:um\s)?{_CLOCK})?"
_WEEKDAY = r"\w{2,10}\.?,?\s"
"""A weekday before a date: ``Di., ``, ``Dienstag, ``."""
_SOCIAL = (
    r"facebook|twitter|x|whatsapp|linkedin|e-?mail|telegram|xing|pinterest|reddit|"
    r"flipboard|pocket|threads|bluesky|mastodon|messenger|instagram|tiktok"
)
_AGENCY = (
    r"dpa|afp|ap|reuters|epa|imago(?: images)?|getty images|picture[- ]alliance|"
    r"shutterstock|istock(?:photo)?|keystone|apa|sid|ddp|action press|unsplash"
)
_PHOTO = r"(?:fotos?|photos?|bild|image)"
_MEDIA = (
    r"fotos?|bild(?:er)?|photos?|images?|grafik|graphic|illustration|video|quelle|source|credits?"
)

_REQUIRED = rf"(?:erforderliche |pflicht)felder sind (?:mit \* )?markiert{_END}"

_PLAYER = (
    rf"drücken sie (?:auf )?play,? um (?:diesen|den) (?:artikel|beitrag|text) (?:an)?zuhören{_END}",
    rf"(?:dieser )?(?:artikel|beitrag|text)?\s?(?:wird |wurde )?(?:gesprochen|vorgelesen|"
    rf"vertont|erstellt) (?:von|mit|durch) (?:einer )?künstliche[rn]? (?:intelligenz|stimme){_END}",
    rf"(?:jetzt )?(?:den )?(?:(?:artikel|beitrag|text) )?(?:anhören|vorlesen(?: lassen)?){_END}",
    rf"(?:jetzt )?(?:den )?(?:artikel|beitrag|text) hören{_END}",
    rf"(?:audio|hörversion|audio-?version)(?: anhören| abspielen)?{_END}",
    rf"(?:listen to|hear|play) (?:this|the) (?:article|story)(?: now)?"
    rf"(?:\W+\d{{1,3}} ?min\w*)?{_END}",
    rf"listen(?: now)?{_END}",
    rf"(?:this (?:article|story) (?:is|was) )?(?:narrated|voiced|read) by (?:an? )?(?:ai|"
    rf"artificial intelligence|automated voice){_END}",
    rf"(?:lesezeit|hördauer|hörzeit|dauer|reading time|listening time):?\s?(?:ca\.\s)?\d{{1,3}}"
    rf"\s?min(?:\.|uten?|utes?|s)?{_END}",
    rf"(?:ca\.\s)?\d{{1,3}}\s?(?:min\.?|minuten?|minutes?|mins?\.?)(?:\s(?:lesezeit|hörzeit|"
    rf"lesen|hören|read|listen))?{_END}",
    r"\d{1,2}:\d{2}(?::\d{2})?\s?/\s?\d{1,2}:\d{2}(?::\d{2})?",
)
_COMMENTS = (
    rf"schreib(?:e|en sie) (?:einen|ihren|deinen) kommentar{_END}",
    rf"(?:kommentar|antwort) (?:schreiben|abschicken|absenden|verfassen|abbrechen){_END}",
    rf"(?:antworten|kommentieren|kommentare?|\d+ kommentare?|reply|comments?|\d+ comments?){_END}",
    rf"(?:deine|ihre) e-?mail-?adresse wird nicht veröffentlicht\.?(?:\s{_REQUIRED})?",
    _REQUIRED,
    rf"(?:leave a (?:reply|comment)|post (?:a )?comment|submit comment|cancel reply){_END}",
    r"your email address will not be published\.?(?:\srequired fields are marked \*\.?)?",
    r"required fields are marked \*\.?",
    r"(?:name|e-?mail(?:-adresse)?|kommentar|comment|website|webseite)\s?\*?:?",
    r"(?:meinen namen|save my name),? .{0,80}(?:browser|kommentiere|comment)\.?.{0,40}",
)
_CREDITS = (
    rf"(?:{_MEDIA})\s?:\s?.{{1,100}}",
    r"(?:©\s?|\(c\)\s|copyright\s).{1,100}",
    rf"(?:{_AGENCY})(?:\s?[/|]\s?.{{1,60}})?",
    rf".{{0,300}}\b(?:pool-?)?(?:foto|bild|photo|image)s? (?:von|by) .{{1,80}}(?:über|via|/)\s?"
    rf"(?:getty images|{_AGENCY})[)\]\W]{{0,3}}",
    rf".{{0,300}}\({_PHOTO}\s?(?:by|von|:)\s?.{{1,100}}\)\W{{0,2}}",
)
_SHARE = (
    rf"(?:(?:den )?(?:artikel|beitrag|seite|link) )?(?:teilen|versenden|drucken|merken|"
    rf"kopieren){_END}",
    rf"(?:(?:jetzt )?(?:auf|bei|per|via) )?(?:{_SOCIAL}) teilen{_END}",
    rf"share (?:on|via) (?:{_SOCIAL}){_END}",
    rf"(?:{_SOCIAL})(?:\s?[|,/·]?\s?(?:{_SOCIAL})){{1,}}{_END}",
    rf"(?:share|print|save|copy link|share this (?:article|story|page)|link kopieren|"
    rf"zur merkliste(?: hinzufügen)?|artikel (?:merken|drucken|verschenken)|bild vergrößern){_END}",
)
_ADS = (
    rf"(?:anzeige|werbung|advertisement|sponsored(?: content)?|gesponsert|"
    rf"ad|promotion){_END}",
    rf"-\s?(?:anzeige|werbung)\s?-{_END}",
)
_NEWSLETTER = (
    r"(?:jetzt |hier |kostenlos |gratis )*(?:den |unseren? )?(?:[\w-]+-)?newsletter"
    r"(?: kostenlos)? (?:anmelden|abonnieren|bestellen|erhalten)\b.{0,150}",
    r"(?:melden sie sich|abonnieren sie|bestellen sie|registrieren sie sich) .{0,80}newsletter"
    r".{0,150}",
    r"(?:sign up|subscribe|register) (?:for|to) (?:our|the) .{0,60}newsletter.{0,150}",
    r"(?:zur |zum )?newsletter(?:-?anmeldung)?\W{0,3}",
)
_TEASERS = (
    r"(?:lesen sie|lies|siehe) (?:auch|mehr|hier|dazu|weiter)(?: auch| zum thema)?\s?:.{0,200}",
    rf"(?:lesen sie|lies) (?:auch|mehr|weiter){_END}",
    r"mehr (?:zum thema|dazu|lesen|erfahren|infos?)(?:\s?:.{0,200})?",
    rf"(?:weiterlesen|weitere artikel|verwandte artikel|empfehlungen"
    rf"|mehr aus (?:dem|der) \w+){_END}",
    rf"das könnte sie auch interessieren{_END}",
    r"(?:auch interessant|zum thema)\s?:.{0,200}",
    r"(?:read more|see also|read also|related|more on this (?:story|topic)|recommended)"
    r"(?:\s?:.{0,200})?",
    rf"(?:zur startseite|nach oben|back to top|zurück nach oben){_END}",
    rf"(?:stand|aktualisiert|veröffentlicht|erstellt|updated|published)(?: am| on)?:?\s"
    rf"(?:{_WEEKDAY})?(?:{_DATE}{_TIME}|{_CLOCK}){_END}",
    rf"(?:{_WEEKDAY})?{_DATE}{_TIME}{_END}",
)
_PAYWALL = (
    r"(?:jetzt )?(?:weiterlesen|weiter lesen|alle artikel lesen|mehr lesen) mit .{1,200}",
    r"testen sie .{0,40}(?:wochen|monate?|tage|gratis|kostenlos).{0,120}",
    r"(?:sie haben bereits ein (?:abo|abonnement)|bereits abonnent(?:in)?)\??.{0,100}",
    r"(?:subscribe|sign in|log in) to (?:continue|keep) reading.{0,150}",
    r"already a subscriber\?.{0,100}",
)

BUILTIN_PATTERNS: tuple[str, ...] = (
    *_PLAYER,
    *_COMMENTS,
    *_CREDITS,
    *_SHARE,
    *_ADS,
    *_NEWSLETTER,
    *_TEASERS,
    *_PAYWALL,
)
"""The built-in patterns; each must match a whole paragraph or line."""


def compile_patterns(extra: Sequence[str] = ()) -> tuple[re.Pattern[str], ...]:
    """Compile the built-in patterns plus ``extra``, case-insensitively.

    Extra patterns, like the built-in ones, must match the *whole* paragraph or
    line (add ``.*`` to match a prefix).
    """
    return tuple(re.compile(pattern, re.IGNORECASE) for pattern in (*BUILTIN_PATTERNS, *extra))


def is_boilerplate(text: str, patterns: Iterable[re.Pattern[str]]) -> bool:
    """Whether the whole of ``text`` (whitespace collapsed) matches one pattern."""
    line = " ".join(text.split())
    return bool(line) and any(pattern.fullmatch(line) for pattern in patterns)


def remove_boilerplate_lines(text: str, extra_patterns: Sequence[str] = ()) -> str:
    """Drop every line of ``text`` that is boilerplate on its own.

    Readers join the lines of a paragraph, so a player label on the line above
    the first sentence would otherwise end up inside it.
    """
    patterns = compile_patterns(extra_patterns)
    return "\n".join(line for line in text.split("\n") if not is_boilerplate(line, patterns))


def remove_boilerplate(article: Article, extra_patterns: Sequence[str] = ()) -> Article:
    """Drop boilerplate paragraphs and headings from ``article``; the title stays.

    The paragraphs under a boilerplate heading move to the section before it.
    Sections left with neither heading nor paragraphs disappear.
    """
    patterns = compile_patterns(extra_patterns)
    sections: list[Section] = []
    for section in article.sections:
        kept = tuple(p for p in section.paragraphs if not is_boilerplate(p, patterns))
        heading = section.heading
        if heading is not None and is_boilerplate(heading, patterns):
            heading = None
        if heading is None and sections:
            previous = sections.pop()
            sections.append(Section(previous.heading, previous.paragraphs + kept))
        elif heading is not None or kept:
            sections.append(Section(heading, kept))
    return Article(article.title, tuple(sections), article.language)
