"""HTML helpers shared by checks: parsing, visible text, links, dated list items.

Government pages are old, inconsistent and sometimes broken; lxml's HTML parser is forgiving and
fast, and everything here works on what it recovers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote, unquote, urldefrag, urljoin, urlsplit, urlunsplit

import lxml.html
from lxml import etree

#: (tag, attribute) pairs that carry links a visitor's browser would follow or load.
LINK_ATTRIBUTES = (("a", "href"), ("area", "href"), ("link", "href"), ("img", "src"),
                   ("script", "src"), ("iframe", "src"), ("frame", "src"), ("embed", "src"),
                   ("source", "src"))


#: <link rel> values that name a connection hint, not a page or file anyone loads.
_NOT_A_RESOURCE = frozenset({"dns-prefetch", "preconnect"})


@dataclass(frozen=True)
class Link:
    url: str          # absolute, fragment removed, percent-encoding normalised
    tag: str
    text: str


@dataclass(frozen=True)
class DatedItem:
    title: str
    url: str
    published: date


def parse(text: str) -> lxml.html.HtmlElement:
    try:
        return lxml.html.document_fromstring(text or "<html></html>")
    except (etree.ParserError, ValueError):
        return lxml.html.document_fromstring("<html></html>")


def visible_text(tree: lxml.html.HtmlElement) -> str:
    """Text a reader sees: without scripts, styles and comments; one line per block."""
    tree = _copy(tree)
    for bad in tree.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    for comment in tree.xpath("//comment()"):
        comment.drop_tree()
    text = tree.text_content()
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _copy(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(lxml.html.tostring(tree))


def normalise_url(url: str) -> str:
    """Drop the fragment and re-quote the path so /a%20b and /a b are one URL."""
    url, _ = urldefrag(url)
    parts = urlsplit(url)
    path = quote(unquote(parts.path), safe="/:@!$&'()*+,;=-._~")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path or "/", parts.query, ""))


def page_base(tree: lxml.html.HtmlElement, page_url: str) -> str:
    """The URL relative links resolve against: <base href> when the page has one."""
    base_hrefs = tree.xpath("//base/@href")
    return urljoin(page_url, base_hrefs[0].strip()) if base_hrefs else page_url


def extract_links(tree: lxml.html.HtmlElement, page_url: str) -> list[Link]:
    """Every http(s) link of the page, absolute and unique (grouped by tag); honours <base href>."""
    base = page_base(tree, page_url)
    seen: set[str] = set()
    links: list[Link] = []
    for tag, attribute in LINK_ATTRIBUTES:
        for element in tree.iter(tag):
            if tag == "link" and _NOT_A_RESOURCE.intersection((element.get("rel") or "").lower().split()):
                continue
            raw = (element.get(attribute) or "").strip()
            if not raw or raw.startswith("#"):
                continue
            absolute = urljoin(base, raw)
            if urlsplit(absolute).scheme not in ("http", "https"):
                continue  # mailto:, javascript:, tel:, data: are not links we can check
            url = normalise_url(absolute)
            if url in seen:
                continue
            seen.add(url)
            links.append(Link(url, tag, (element.text_content() if tag == "a" else "").strip()[:200]))
    return links


_DATE_PATTERNS = (
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*[-/.]\s*(?P<m>\d{1,2})\s*[-/.]\s*(?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
)
_SHORT_DATE = re.compile(r"(?<![\d\-/])(?P<m>\d{1,2})\s*[-/]\s*(?P<d>\d{1,2})(?![\d\-/])")


def find_dates(text: str, today: date | None = None) -> list[date]:
    """Dates written in the ways Chinese government sites write them.

    A month-day without a year ([06-29]) is given the latest year that does not put it after
    `today`, which is how a reader of a list page understands it.
    """
    found: list[date] = []
    spans: list[tuple[int, int]] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            value = _make_date(int(match["y"]), int(match["m"]), int(match["d"]))
            if value:
                found.append(value)
                spans.append(match.span())
    if today is not None:
        for match in _SHORT_DATE.finditer(text):
            if any(start <= match.start() < end for start, end in spans):
                continue
            value = _make_date(today.year, int(match["m"]), int(match["d"]))
            if value and value > today:
                value = _make_date(today.year - 1, int(match["m"]), int(match["d"]))
            if value:
                found.append(value)
    return found


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def dated_items(tree: lxml.html.HtmlElement, page_url: str, today: date) -> list[DatedItem]:
    """Linked items that carry a visible date in their list row (li, tr, dd or p).

    A date not later than `today` counts; an item without a visible date is not dated, which the
    indicators treat as "not updated".
    """
    base = page_base(tree, page_url)
    items: list[DatedItem] = []
    for row in tree.xpath("//li|//tr|//dd|//p"):
        anchors = row.xpath(".//a[@href]")
        if not anchors or row.xpath(".//li|.//tr"):
            continue
        dates = [d for d in find_dates(" ".join(row.itertext()), today) if d <= today]
        if not dates:
            continue
        anchor = max(anchors, key=lambda a: len(a.text_content().strip()))
        title = (anchor.get("title") or anchor.text_content()).strip()
        items.append(DatedItem(title[:200], normalise_url(urljoin(base, anchor.get("href", ""))), max(dates)))
    return items
