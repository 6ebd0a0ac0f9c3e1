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
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import lxml.etree
import lxml.html

from narrate.article.blocks import SectionsBuilder, clean_inline, looks_like_heading
from narrate.article.model import Article, Section

__all__ = ["PAGE_PATTERNS", "read_html", "page_language", "looks_like_html"]

_NAME = r"(?-i:[A-ZÄÖÜ][\w.'’-]*)"
"""A capitalized word, whatever the case flag: names in a byline."""

PAGE_PATTERNS: tuple[str, ...] = (
    rf"(?:von|by)\s{_NAME}(?:\s?[,|·/]?\s(?:{_NAME}|und|and|&)){{0,6}}",
    r"über dieses thema berichtete? .{1,200}",
    r"(?:themen|schlagwörter|tags|verschlagwortet mit)\s?:.{0,200}",
)
"""Web-page furniture trafilatura keeps, as whole-paragraph boilerplate patterns.

A byline paragraph (``Von Jana Hoffmann, Rundfunk Nord``: capitalized names,
at most eight words), a broadcaster's "reported on this" note, a tag list.
The loader adds these to the built-in patterns for HTML sources only.
"""

_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")
_HTML_START = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
_SITE_SEPARATOR = re.compile(r"\s+[|–—·:-]\s+|\s*[|·]\s*")
_SENTENCE_END = re.compile(r"[.!?…][\"'“”„‚‘’«»)]*$")
_PARAGRAPH_BREAK = re.compile(r"(?<=[.!?…\"“”»«])[ \t]*\n\s*")
_BREAKING = frozenset({"lb", "p", "item", "list", "head", "quote", "row", "cell"})
_SKIPPED = frozenset({"graphic", "table", "code", "ref", "note"})
_FALLBACK_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote")
_FALLBACK_DROP = (
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "figure", "button", "iframe",
)  # fmt: skip
_LEAD_MIN_WORDS = 8
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
    loader turns that into an error naming the source.
    """
    document = _parse_document(text)
    found = _extract(text)
    if found is None or not any(block.level == 0 for block in found.blocks):
        found = _Extract("", "", _fallback_blocks(text))
    title = _choose_title(found, document)
    body = _without_headline(list(found.blocks), title)
    body = _without_repeats(_with_lead(body, _rescued_lead(text, body)), title)
    language = page_language(document) if document is not None else None
    return Article(title=title, sections=_sections(body), language=language)


def _parse_document(text: str) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.document_fromstring(_XML_DECLARATION.sub("", text, count=1))
    except (lxml.etree.ParserError, ValueError):
        return None


def _extract(text: str, *, favor_recall: bool = False) -> _Extract | None:
    """The article trafilatura finds: its XML (without comments, tables, images, links)."""
    import trafilatura  # here, not at the top: plain-text runs need not import it

    xml = trafilatura.extract(
        text,
        output_format="xml",
        with_metadata=True,
        include_comments=False,
        include_tables=False,
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
    elif tag in _SKIPPED or not isinstance(tag, str):
        return
    elif any(grandchild.tag in _BREAKING - {"lb"} for grandchild in child):
        yield from _blocks(child)
    else:
        yield from (_Block(part) for part in _paragraphs(child))


def _paragraphs(element: lxml.etree._Element) -> list[str]:
    """The element's text, split where a line break follows the end of a sentence.

    Pages that build paragraphs from ``<br><br>`` reach trafilatura's XML as one
    ``<p>`` with ``<lb/>`` between them; a break inside a sentence stays a space.
    """
    raw = _raw_text(element, line_break="\n")
    parts = _PARAGRAPH_BREAK.split(raw)
    return [text for text in (clean_inline(part) for part in parts) if text]


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
    redone here, keeping dashes that belong to the title.
    """
    headline = next((block.text for block in found.blocks if block.level == 1), "")
    title = _first_text(document, _META_TITLES) or headline
    if not title:
        tag = _first_text(document, ("//title",))
        cut = tag != found.title and tag.startswith(found.title)
        title = _without_guessed_site_name(tag) if cut or not found.title else found.title
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


def _without_headline(blocks: list[_Block], title: str) -> list[_Block]:
    """Drop the page headline (and a kicker line above it); the title already says it."""
    for index, block in enumerate(blocks):
        if block.level == 0 and not looks_like_heading(block.text):
            break
        if block.level == 1 or (block.level and _same(block.text, title)):
            blocks = blocks[index + 1 :]
            break
    return [block for block in blocks if not (block.level and _same(block.text, title))]


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
