"""The HTML reader: the article itself out of a whole web page.

trafilatura (the field's standard main-text extractor) finds the article body
and leaves out navigation, header and footer, share bars, comments, cookie
banners, figures with their captions and credits, related-article boxes and
ads. Its XML output is read into sections: every subheading starts a section,
every list item and every paragraph of a block quote is a paragraph of its own.
The page's ``lang`` (or ``content-language``, or ``og:locale``) is the
article's declared language.

trafilatura's default (balanced) mode drops a lead paragraph styled as a
``teaser``, a common class for the "Vorspann" on German news sites; a second,
recall-oriented pass rescues the prose between the headline and the body.
Pages trafilatura cannot read fall back to the paragraphs of ``<article>`` or
``<main>``.

Before trafilatura sees the page, a copy of it is prepared with a few general
rules: boxes holding an image and a short text (captions and credits outside
``<figcaption>``) go; a prose info box (``<aside>`` inside the article, few
links) is opened so that it is read in place; a live ticker's clock stamps
(``14:32 Uhr``) are put in front of the entry they belong to. After
extraction, a lead marked by its class (``leadtext``, ``intro``, ``summary``)
that trafilatura left out is put first, a headline variant above the body is
dropped, and a page whose HTML body is thin (a paywall teaser) is read from
its JSON-LD ``articleBody`` instead.
"""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html import unescape
from typing import Any

import lxml.etree
import lxml.html

from narrate.article.blocks import SectionsBuilder, clean_inline, looks_like_heading
from narrate.article.model import Article, Section
from narrate.publish.inject import has_player, strip_player

__all__ = ["PAGE_PATTERNS", "read_html", "page_language", "looks_like_html"]

_NAME = r"(?-i:[A-ZÄÖÜ][\w.'’-]*)"
"""A capitalized word, whatever the case flag: names in a byline."""

PAGE_PATTERNS: tuple[str, ...] = (
    rf"(?:von|by)\s{_NAME}(?:\s?[,|·/]?\s(?:{_NAME}|und|and|&)){{0,6}}",
    r"über dieses thema berichtete? .{1,200}",
    r"(?:themen|schlagwörter|tags|verschlagwortet mit)\s?:.{0,200}",
    rf"(?:mehr|alle) (?:artikel |beiträge )?(?:von|vom autor|von autor(?:in)?) {_NAME}"
    rf"(?:\s{_NAME}){{0,3}}(?: anzeigen)?",
    r"(?:empfohlener )?externer inhalt\W{0,3}",
    r".{0,200}\b(?:wir brauchen|wir benötigen|benötigen wir|brauchen wir) (?:ihre|deine) "
    r"(?:zustimmung|einwilligung)\b.{0,300}",
    r"(?:ich bin damit einverstanden|an dieser stelle finden sie (?:einen )?extern).{0,300}",
    r"(?:alle )?(?:externen? )?inhalte? (?:von [\w .()-]{1,40} )?(?:immer )?(?:anzeigen|laden|"
    r"zulassen|aktivieren)\W{0,3}",
    r"(?:video|inhalt|karte|tweet|post|beitrag) (?:laden|anzeigen|abspielen)\W{0,3}",
    r"(?:neue (?:einträge|beiträge|posts|meldungen) (?:laden|anzeigen)|(?:automatisch |ticker |"
    r"liveblog )aktualisieren)\W{0,3}",
    r"mit (?:[\w/]+-)?material(?: (?:von|der|aus) .{1,60})?\W{0,2}",
    r"\(\s?[\w/,. ]{2,20}\s?\)",
    r"sie haben bereits ein [\w-]*abo(?:nnement)?\??.{0,100}",
)
"""Web-page furniture trafilatura keeps, as whole-paragraph boilerplate patterns.

A byline paragraph (``Von Jana Hoffmann, Rundfunk Nord``: capitalized names,
at most eight words), a broadcaster's "reported on this" note, a tag list, an
author link, the consent placeholder of an embedded post or video, a live
ticker's controls, an agency note (``Mit dpa-Material``) or an author's
initials (``(kb)``), a paywall login prompt.
The loader adds these to the built-in patterns for HTML sources only.
"""

_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")
_HTML_START = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
_SITE_SEPARATOR = re.compile(r"\s+[|–—·:-]\s+|\s*[|·]\s*")
_SENTENCE_END = re.compile(r"[.!?…][\"'“”„‚‘’«»)]*$")
_LINE_END = re.compile(r"[.!?…\"“”»«]$")
_BREAKING = frozenset({"lb", "p", "item", "list", "head", "quote", "row", "cell"})
_SKIPPED = frozenset({"graphic", "code", "ref", "note"})
_FALLBACK_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote")
_FALLBACK_DROP = (
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "figure", "button", "iframe",
)  # fmt: skip
_LEAD_MIN_WORDS = 8
_WORD = re.compile(r"\w+")
_TITLE_SHARE = 0.6
_ORDER_KEY_CHARS = 40
_CELL_MAX_WORDS = 12
_BOX_MAX_LEVELS = 4
_BOX_MAX_WORDS = 40
_BOX_SHARE = 3
_BOX_STOP = frozenset({"p", "li", "article", "main", "body", "td", "blockquote"})
_HEADINGS = ".//h1 | .//h2 | .//h3 | .//h4 | .//h5 | .//h6"
_LINKED_SHARE = 0.3
_TICKER_MIN_STAMPS = 2
_LEAD_MARK = re.compile(
    r"lead|intro|teaser|summary|vorspann|standfirst|abstract|excerpt|kurztext|anriss|fakten", re.I
)
_NOT_LEAD = frozenset({"a", "button", "nav", "aside", "footer", "figure", "figcaption", "form"})
_NOT_IN_LEAD = ".//h1 | .//button | .//time | .//nav | .//form | .//img"
_JSON_MIN_WORDS = 50
_JSON_SHARE = 1.5
_JSON_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_JSON_BREAK = re.compile(r"(?i)<br\s*/?>|</(?:p|h[1-6]|li|div)>")
_CLOCK_TEXT = re.compile(r"\d{1,2}[:.]\d{2}\s?Uhr:?", re.I)
_CLOCK_TAG = re.compile(r"\d{1,2}:\d{2}(?:\s?Uhr)?:?", re.I)
_SITE_NAME_MAX_WORDS = 4
_META_TITLES = ('//meta[@property="og:title"]/@content', '//meta[@name="twitter:title"]/@content')


@dataclass(frozen=True)
class _Block:
    """A paragraph (``level`` 0) or a heading (``level`` 1-6) of the article body."""

    text: str
    level: int = 0


@dataclass(frozen=True)
class _Extract:
    """What trafilatura found: metadata title, site name, and the body blocks."""

    title: str
    sitename: str
    blocks: tuple[_Block, ...]


def looks_like_html(text: str) -> bool:
    """Whether ``text`` starts like an HTML document (``<!doctype html`` or ``<html``)."""
    return _HTML_START.match(text.lstrip("\ufeff")) is not None


def read_html(text: str) -> Article:
    """Read an HTML page into an :class:`Article`: title, sections, declared language.

    The article has no sections when the page holds no article text; the
    loader turns that into an error naming the source. A player ``narrate embed``
    put into the page (its controls, labels and read-along marks) is no article
    text: it goes before anything reads the page.
    """
    if has_player(text):
        text = strip_player(text)
    document = _parse_document(text)
    source = _prepared_page(document) if document is not None else text
    found = _extract(source)
    if found is None or not any(block.level == 0 for block in found.blocks):
        found = _Extract("", "", _fallback_blocks(source))
    title = _choose_title(found, document)
    body = _without_headline(_in_page_order(list(found.blocks), document), title)
    body = _with_lead(body, _rescued_lead(source, body) + _marked_lead(document, body))
    body = _without_repeats(_with_json_ld_body(document, body), title)
    language = page_language(document) if document is not None else None
    return Article(title=title, sections=_sections(body), language=language)


def _parse_document(text: str) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.document_fromstring(_XML_DECLARATION.sub("", text, count=1))
    except (lxml.etree.ParserError, ValueError):
        return None


def _prepared_page(document: lxml.html.HtmlElement) -> str:
    """A copy of the page for trafilatura, with the general rules of the module applied."""
    page = copy.deepcopy(document)
    _drop_image_boxes(page)
    _open_prose_asides(page)
    _stamp_ticker_entries(page)
    return str(lxml.html.tostring(page, encoding="unicode"))


def _drop_image_boxes(page: lxml.html.HtmlElement) -> None:
    """Drop the box around an image when it holds only a short text: caption and credit.

    A box is an ancestor (up to four levels, never a paragraph or the article)
    without headings; the page around it must hold far more text, so a short
    article built around a photo is never dropped.
    """
    counted: dict[lxml.html.HtmlElement, int] = {}

    def words(element: lxml.html.HtmlElement) -> int:
        if element not in counted:
            counted[element] = len(element.text_content().split())
        return counted[element]

    for image in page.xpath("//body//img"):
        box = None
        for level, ancestor in enumerate(image.iterancestors()):
            if level >= _BOX_MAX_LEVELS or ancestor.tag in _BOX_STOP:
                break
            if words(ancestor) > _BOX_MAX_WORDS or ancestor.xpath(_HEADINGS):
                break
            box = ancestor
        parent = box.getparent() if box is not None else None
        if box is not None and parent is not None and words(box):
            if words(parent) >= _BOX_SHARE * words(box):
                box.drop_tree()


def _open_prose_asides(page: lxml.html.HtmlElement) -> None:
    """Turn an ``<aside>`` inside the article that holds prose, not links, into a ``<div>``.

    Info boxes ("Info: ...") are part of the article; related-article boxes are
    link lists and stay asides, which trafilatura leaves out. A heading in the
    box is put in front of the box's first paragraph (``Info: ...``).
    """
    for aside in page.xpath("//article//aside"):
        text = clean_inline(aside.text_content())
        linked = sum(len(clean_inline(link.text_content())) for link in aside.iter("a"))
        if not _is_prose(text) or linked > _LINKED_SHARE * len(text) or _is_pull_quote(aside):
            continue
        aside.tag = "div"
        for heading in aside.xpath(_HEADINGS):
            _merge_into_next_paragraph(heading, clean_inline(heading.text_content()))


def _is_pull_quote(aside: lxml.html.HtmlElement) -> bool:
    """Whether the box repeats words the article says anyway (a pull quote), punctuation aside."""
    article = next(aside.iterancestors("article"))
    core, whole = (
        " ".join(_WORD.findall(element.text_content().casefold())) for element in (aside, article)
    )
    return whole.count(core) > 1


def _merge_into_next_paragraph(label: lxml.html.HtmlElement, text: str) -> None:
    """Put ``text: `` in front of the paragraph after ``label`` and drop ``label``.

    The label becomes a paragraph of its own when no paragraph follows it; it
    is dropped when the paragraph already starts with it.
    """
    following = label.xpath("following::p[1]")
    start = clean_inline(following[0].text_content()) if following else ""
    if not following:
        label.tag = "p"
        return
    if not start.casefold().startswith(text.rstrip(":").casefold()):
        following[0].text = f"{text.rstrip(':')}: {following[0].text or ''}"
    label.drop_tree()


def _stamp_ticker_entries(page: lxml.html.HtmlElement) -> None:
    """Put a live ticker's clock stamps (``14:32 Uhr``) in front of their entries' text.

    A ticker repeats one entry box: only stamps whose boxes (the nearest
    ancestor holding the next paragraph) look alike, at least twice, count; a
    lone publishing time above the lead is no entry. A stamp inside a paragraph
    is read where it stands.
    """
    entries = []
    for stamp in page.xpath("//body//*"):
        if _is_clock_stamp(stamp):
            box = _entry_box(stamp)
            if box is not None:
                entries.append((stamp, box, (box.tag, box.get("class"))))
    repeated = Counter(kind for _stamp, _box, kind in entries)
    for stamp, _box, kind in entries:
        if repeated[kind] >= _TICKER_MIN_STAMPS:
            _merge_into_next_paragraph(stamp, clean_inline(stamp.text_content()))


def _is_clock_stamp(element: lxml.html.HtmlElement) -> bool:
    if element.tag != "time" and len(element):
        return False
    text = clean_inline(element.text_content())
    clock = _CLOCK_TAG if element.tag == "time" else _CLOCK_TEXT
    return clock.fullmatch(text) is not None and not any(
        ancestor.tag == "p" for ancestor in element.iterancestors()
    )


def _entry_box(stamp: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The nearest ancestor (a few levels up at most) that holds the paragraph after the stamp."""
    following = stamp.xpath("following::p[1]")
    if not following:
        return None
    holders = set(following[0].iterancestors())
    for level, ancestor in enumerate(stamp.iterancestors()):
        if level >= _BOX_MAX_LEVELS:
            return None
        if ancestor in holders:
            return ancestor
    return None


def _extract(text: str, *, favor_recall: bool = False) -> _Extract | None:
    """The article trafilatura finds: its XML (with tables; without comments, images, links)."""
    import trafilatura  # here, not at the top: plain-text runs need not import it

    xml = trafilatura.extract(
        text,
        output_format="xml",
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        include_formatting=False,
        deduplicate=False,
        favor_recall=favor_recall,
    )
    if not xml:
        return None
    doc = lxml.etree.fromstring(xml)
    main = doc.find("main")
    blocks = tuple(_blocks(main)) if main is not None and len(main) else ()
    title, sitename = (clean_inline(doc.get(name, "")) for name in ("title", "sitename"))
    return _Extract(title, sitename, blocks)


def _blocks(element: lxml.etree._Element) -> Iterator[_Block]:
    """The paragraphs and headings under one of trafilatura's container elements."""
    loose = clean_inline(element.text or "")
    if loose:
        yield _Block(loose)
    for child in element:
        yield from _child_blocks(child)
        tail = clean_inline(child.tail or "")
        if tail:
            yield _Block(tail)


def _child_blocks(child: lxml.etree._Element) -> Iterator[_Block]:
    tag = child.tag
    if tag == "head":
        yield _Block(_text(child), _heading_level(child.get("rend", "")))
    elif tag == "list":
        yield from _list_items(child)
    elif tag == "table":
        yield from _table_rows(child)
    elif tag in _SKIPPED or not isinstance(tag, str):
        return
    elif any(grandchild.tag in _BREAKING - {"lb"} for grandchild in child):
        yield from _blocks(child)
    else:
        yield from _line_blocks(child)


def _line_blocks(element: lxml.etree._Element) -> Iterator[_Block]:
    """The element's text, split where a line break follows the end of a sentence.

    Pages that build paragraphs from ``<br><br>`` reach trafilatura's XML as one
    ``<p>`` with ``<lb/>`` between them; a break inside a sentence stays a space.
    A short line without punctuation between two paragraphs is their subheading.
    """
    lines = [clean_inline(line) for line in _raw_text(element, line_break="\n").split("\n")]
    lines = [line for line in lines if line]
    paragraph: list[str] = []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if index and not paragraph and _is_line_heading(line, following):
            yield _Block(line, 2)
            continue
        paragraph.append(line)
        if _LINE_END.search(line):
            yield _Block(" ".join(paragraph))
            paragraph = []
    if paragraph:
        yield _Block(" ".join(paragraph))


def _is_line_heading(line: str, following: str) -> bool:
    return looks_like_heading(line) and not re.search(r"[.!?:]", line) and _is_prose(following)


def _table_rows(table: lxml.etree._Element) -> Iterator[_Block]:
    """One paragraph per row of short cells (``Heim, Gast, 1:1``); long cells are read as text.

    A layout table holding whole paragraphs gives their blocks, not one run-on row.
    """
    for row in table.iterfind("row"):
        cells = [cell for cell in row if cell.tag == "cell"]
        texts = [_text(cell) for cell in cells]
        if any(len(text.split()) > _CELL_MAX_WORDS for text in texts) or any(
            grandchild.tag in _BREAKING - {"lb"} for cell in cells for grandchild in cell
        ):
            for cell in cells:
                yield from _blocks(cell)
        elif any(texts):
            yield _Block(", ".join(text for text in texts if text))


def _list_items(element: lxml.etree._Element) -> Iterator[_Block]:
    """One paragraph per item; a nested list's items follow their parent item."""
    for item in element.iterfind("item"):
        yield _Block(_text(item, skip="list"))
        for nested in item.iterfind("list"):
            yield from _list_items(nested)


def _text(element: lxml.etree._Element, skip: str = "") -> str:
    """The element's text, a space for every line break and between blocks."""
    return clean_inline(_raw_text(element, skip))


def _raw_text(element: lxml.etree._Element, skip: str = "", line_break: str = " ") -> str:
    parts = [element.text or ""]
    for child in element:
        if child.tag == "lb":
            parts.append(line_break)
        elif child.tag != skip and isinstance(child.tag, str):
            spacer = " " if child.tag in _BREAKING else ""
            parts += [spacer, _raw_text(child, skip, line_break), spacer]
        parts.append(child.tail or "")
    return "".join(parts)


def _heading_level(rend: str) -> int:
    return int(rend[1]) if re.fullmatch(r"h[1-6]", rend) else 2


def _fallback_blocks(text: str) -> tuple[_Block, ...]:
    """Paragraphs, headings, list items and quotes of ``<article>``, ``<main>`` or the body.

    Navigation, header, footer, asides, forms and figures are dropped first.
    """
    document = _parse_document(text)
    if document is None:
        return ()
    for element in list(document.iter(*_FALLBACK_DROP)):
        element.drop_tree()
    found = document.xpath("(//article | //main | //body)[1]")
    if not found:
        return ()
    blocks = []
    for element in found[0].iter(*_FALLBACK_BLOCKS):
        if not any(parent.tag in _FALLBACK_BLOCKS for parent in element.iterancestors()):
            level = int(element.tag[1]) if element.tag[0] == "h" else 0
            blocks.append(_Block(clean_inline(element.text_content()), level))
    return tuple(block for block in blocks if block.text)


def _choose_title(found: _Extract, document: lxml.html.HtmlElement | None) -> str:
    """og:title, else the h1, else the page title; without a "– Site Name" suffix.

    trafilatura's own title is used when the page has none of those (it also
    reads JSON-LD); when it merely cut the ``<title>`` at a dash, the cut is
    redone here, keeping dashes that belong to the title. A ``<title>`` made of
    parts (``Site - Section - Headline``) gives the part the page shows on its own.
    """
    headline = next((block.text for block in found.blocks if block.level == 1), "")
    title = _first_text(document, _META_TITLES) or headline
    if not title:
        tag = _first_text(document, ("//title",))
        cut = tag != found.title and tag.startswith(found.title)
        title = _without_guessed_site_name(tag) if cut or not found.title else found.title
        title = _shown_title_part(tag, document) or title
    return _strip_site_name(title, found.sitename, headline)


def _first_text(document: lxml.html.HtmlElement | None, queries: Iterable[str]) -> str:
    if document is None:
        return ""
    for query in queries:
        for hit in document.xpath(query):
            text = clean_inline(hit if isinstance(hit, str) else hit.text_content())
            if text:
                return text
    return ""


def _shown_title_part(tag: str, document: lxml.html.HtmlElement | None) -> str:
    """The longest part (two words or more) of a ``<title>`` that an element of the body shows."""
    parts = [part.strip() for part in _SITE_SEPARATOR.split(tag)]
    if document is None or len(parts) < 2:
        return ""
    query = "//body//*[normalize-space(.) = $text]"
    shown = [part for part in parts if len(part.split()) > 1 and document.xpath(query, text=part)]
    return max(shown, key=len, default="")


def _without_guessed_site_name(title: str) -> str:
    """Drop the last ``– Part`` when it reads like a name: short, capitalized, no punctuation."""
    parts = _SITE_SEPARATOR.split(title)
    last = parts[-1]
    if len(parts) < 2 or len(last.split()) > _SITE_NAME_MAX_WORDS:
        return title
    if not (last[:1].isupper() or last[:1].isdigit()) or re.search(r"[.?!:;,]", last):
        return title
    return title[: title.rfind(last)].rstrip(" |–—·:-")


def _strip_site_name(title: str, sitename: str, headline: str) -> str:
    """Drop a trailing ``– Site Name`` when it names the site or follows the h1."""
    if headline and title.casefold().startswith(headline.casefold()):
        if _SITE_SEPARATOR.match(title[len(headline) :]):
            return headline
    if sitename:
        suffix = re.compile(rf"(?:{_SITE_SEPARATOR.pattern}){re.escape(sitename)}\s*$", re.I)
        return suffix.sub("", title) or title
    return title


def _same(one: str, other: str) -> bool:
    return " ".join(one.split()).casefold() == " ".join(other.split()).casefold()


def _in_page_order(blocks: list[_Block], document: lxml.html.HtmlElement | None) -> list[_Block]:
    """The blocks in the page's order when trafilatura put paragraphs above the ``<h1>``.

    Each block is found in the page's text by its end (a ticker stamp may have
    been put in front of it); when one is not found, the order is kept.
    """
    headline = next((index for index, block in enumerate(blocks) if block.level == 1), 0)
    if document is None or not any(block.level == 0 for block in blocks[:headline]):
        return blocks
    body = document.find("body")
    page = clean_inline(body.text_content()) if body is not None else ""
    positions = [page.find(block.text[-_ORDER_KEY_CHARS:]) for block in blocks]
    if min(positions, default=-1) < 0:
        return blocks
    order = sorted(range(len(blocks)), key=positions.__getitem__)
    return [blocks[index] for index in order]


def _without_headline(blocks: list[_Block], title: str) -> list[_Block]:
    """Drop the page headline (and a kicker line above it); the title already says it.

    The headline is the ``<h1>``, or a heading above the first paragraph that
    holds most of the title's words (``Topline Headline`` in an ``<h2>``).
    """
    for index, block in enumerate(blocks):
        if block.level == 0 and not looks_like_heading(block.text):
            break
        if block.level == 1 or (block.level and _resembles(block.text, title)):
            blocks = blocks[index + 1 :]
            break
    return [block for block in blocks if not (block.level and _same(block.text, title))]


def _resembles(heading: str, title: str) -> bool:
    """Whether the heading holds most (60 %) of the title's words."""
    title_words = set(_WORD.findall(title.casefold()))
    shared = title_words & set(_WORD.findall(heading.casefold()))
    return bool(title_words) and len(shared) >= _TITLE_SHARE * len(title_words)


def _without_repeats(blocks: list[_Block], title: str) -> list[_Block]:
    """Each paragraph once, and never the title again (pages repeat both)."""
    seen = {" ".join(title.split()).casefold()}
    kept = []
    for block in blocks:
        key = " ".join(block.text.split()).casefold()
        if block.level == 0 and key in seen:
            continue
        seen.add(key)
        kept.append(block)
    return kept


def _rescued_lead(text: str, body: list[_Block]) -> list[_Block]:
    """Prose the recall pass finds between the headline and the body's first paragraph."""
    first = next((block.text for block in body if block.level == 0), None)
    recall = _extract(text, favor_recall=True) if first is not None else None
    if recall is None:
        return []
    lead: list[_Block] = []
    after_headline = False
    for block in recall.blocks:
        if block.text == first:
            return lead
        if block.level == 1:
            after_headline, lead = True, []
        elif after_headline and block.level == 0 and _is_prose(block.text):
            lead.append(block)
    return []


def _marked_lead(document: lxml.html.HtmlElement | None, body: list[_Block]) -> list[_Block]:
    """Prose the page marks as lead or summary, above the body's first paragraph.

    Looked for in the ``<article>`` (or ``<main>``) around the first paragraph:
    elements whose class or ``data-area`` says ``lead``, ``intro``, ``summary``
    and the like, without a page headline, buttons or time stamps inside.
    """
    first = next((block.text for block in body if block.level == 0), None)
    if document is None or first is None:
        return []
    anchors = document.xpath("//body//*[normalize-space(.) = $text]", text=first)
    scope = next(anchors[-1].iterancestors("article", "main"), None) if anchors else None
    if scope is None:
        return []
    ancestors = set(anchors[-1].iterancestors())
    lead: list[_Block] = []
    taken: list[lxml.html.HtmlElement] = []
    for element in scope.iterdescendants():
        if element is anchors[-1]:
            break
        inside = taken and any(parent is taken[-1] for parent in element.iterancestors())
        if inside or element in ancestors or not _is_marked_lead(element):
            continue
        taken.append(element)
        lead += _element_blocks(element)
    return lead if any(_is_prose(block.text) for block in lead) else []


def _is_marked_lead(element: lxml.html.HtmlElement) -> bool:
    if not isinstance(element.tag, str) or element.tag in _NOT_LEAD:
        return False
    marks = " ".join(element.get(name, "") for name in ("class", "data-area", "itemprop"))
    if not _LEAD_MARK.search(marks) or element.xpath(_NOT_IN_LEAD):
        return False
    linked = sum(len(link.text_content()) for link in element.iter("a"))
    if linked > _LINKED_SHARE * len(element.text_content()):
        return False
    return not any(ancestor.tag in _NOT_LEAD for ancestor in element.iterancestors())


def _element_blocks(element: lxml.html.HtmlElement) -> list[_Block]:
    """The paragraphs and list items of an element, or its whole text; headings left out."""
    parts = element.xpath(".//p[not(ancestor::li)] | .//li[not(ancestor::li)]")
    texts = [clean_inline(part.text_content()) for part in parts or [element]]
    return [_Block(text) for text in texts if text]


def _with_json_ld_body(document: lxml.html.HtmlElement | None, body: list[_Block]) -> list[_Block]:
    """The JSON-LD ``articleBody`` instead of a thin HTML body (a paywall teaser).

    Used when it holds at least half as many words again as the paragraphs
    found in the HTML, or when it holds them all in more paragraphs and they
    have no subheadings (trafilatura itself falls back to JSON-LD on thin
    pages, but reads it as one block). Its paragraphs are separated by blank
    lines (or line breaks, or HTML tags). Subheadings are lost: JSON-LD has none.
    """
    text = _json_ld_article_body(document) if document is not None else ""
    paragraphs = _json_paragraphs(text)
    words = sum(len(paragraph.split()) for paragraph in paragraphs)
    found = [block.text for block in body if block.level == 0]
    if words < _JSON_MIN_WORDS:
        return body
    if words >= _JSON_SHARE * sum(len(text.split()) for text in found):
        return [_Block(paragraph) for paragraph in paragraphs]
    whole = " ".join(paragraphs)
    if len(paragraphs) > len(found) == len(body) and all(text in whole for text in found):
        return [_Block(paragraph) for paragraph in paragraphs]
    return body


def _json_ld_article_body(document: lxml.html.HtmlElement) -> str:
    """The longest ``articleBody`` of the page's JSON-LD (lists and ``@graph`` searched)."""
    bodies = [""]
    for script in document.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "", strict=False)
        except ValueError:
            continue
        bodies += [node["articleBody"] for node in _json_nodes(data)]
    return max(bodies, key=len)


def _json_nodes(data: Any) -> Iterator[dict[str, Any]]:
    """The objects of a JSON-LD document that have a text ``articleBody``."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack += reversed(node)
        elif isinstance(node, dict):
            if isinstance(node.get("articleBody"), str):
                yield node
            stack += [value for value in node.values() if isinstance(value, (list, dict))]


def _json_paragraphs(text: str) -> list[str]:
    if _JSON_TAG.search(text):
        text = _JSON_TAG.sub(" ", _JSON_BREAK.sub("\n\n", text))
    text = unescape(text)
    parts = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
    return [paragraph for paragraph in (clean_inline(part) for part in parts) if paragraph]


def _is_prose(text: str) -> bool:
    return len(text.split()) >= _LEAD_MIN_WORDS and _SENTENCE_END.search(text) is not None


def _with_lead(body: list[_Block], lead: list[_Block]) -> list[_Block]:
    known = {block.text for block in body}
    lead = [block for block in lead if block.text not in known]
    first = next((i for i, block in enumerate(body) if block.level == 0), len(body))
    return body[:first] + lead + body[first:]


def _sections(body: Iterable[_Block]) -> tuple[Section, ...]:
    builder = SectionsBuilder()
    for block in body:
        if block.level:
            builder.heading(block.text)
        else:
            builder.paragraph(block.text)
    return builder.build()


def page_language(document: lxml.html.HtmlElement) -> str | None:
    """The language the page declares: ``<html lang>``, content-language, or og:locale.

    ``og:locale`` spells regions with an underscore (``de_DE``); the result uses
    a hyphen (``de-DE``). A value that is no language tag is passed over.
    """
    candidates = [
        document.get("lang", ""),
        document.get("xml:lang", ""),
        *document.xpath(
            "//meta[translate(@http-equiv, 'CONTENTLAGU', 'contentlagu')"
            " = 'content-language']/@content"
        ),
        *document.xpath('//meta[@property="og:locale"]/@content'),
    ]
    for candidate in candidates:
        tag = str(candidate).split(",")[0].strip().replace("_", "-")
        if _LANGUAGE_TAG.fullmatch(tag):
            return tag
    return None
