"""HTML helpers shared by checks: parsing, visible text, links, dated list items.

Government pages are old, inconsistent and sometimes broken; lxml's HTML parser is forgiving and
fast, and everything here works on what it recovers. List pages come from a handful of CMSs
(Hanweb 大汉 jpage, TRS WCM, easysite/Ezweb, ...) whose shapes are read here; see `list_items`.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from urllib.parse import quote, unquote, urldefrag, urljoin, urlsplit, urlunsplit

import lxml.html
from lxml import etree

#: (tag, attribute) pairs that carry links a visitor's browser would follow or load.
LINK_ATTRIBUTES = (("a", "href"), ("area", "href"), ("link", "href"), ("img", "src"),
                   ("script", "src"), ("iframe", "src"), ("frame", "src"), ("embed", "src"),
                   ("video", "src"), ("audio", "src"), ("source", "src"), ("track", "src"))


#: <link rel> values that name a connection hint, not a page or file anyone loads.
_NOT_A_RESOURCE = frozenset({"dns-prefetch", "preconnect"})
#: <meta http-equiv=refresh content="5; url=/new/">: the browser goes there by itself.
_REFRESH_URL = re.compile(r"""^\s*[\d.]*\s*[;,]?\s*(?:url\s*=\s*)?(?P<q>["']?)(?P<url>.*?)(?P=q)\s*$""",
                          re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Link:
    url: str          # absolute, fragment removed, percent-encoding normalised
    tag: str
    text: str


@dataclass(frozen=True)
class LinkScan:
    """The links of one page, and the hrefs skipped because no browser could follow them."""

    links: list[Link]
    malformed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DatedItem:
    title: str
    url: str
    published: date


@dataclass(frozen=True)
class ListItem:
    """One row of a list page: a link with its title, and its date when the row (or URL) has one."""

    title: str
    url: str
    published: date | None
    article_like: bool  # the URL looks like a document (a number in it, not an index page)


def _html_parser() -> lxml.html.HTMLParser:
    """lxml.html's parser, told its element classes in C: lxml.html's own asks a Python method for
    the class of every element it hands to Python (five calls a list row, a quarter of reading a
    list). The same trees and the same HtmlElement methods; only lxml's form-field classes (forms,
    inputs, selects), which nothing here uses, are plain HtmlElements."""
    parser = lxml.html.HTMLParser()
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment, pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity))
    return parser


HTML_PARSER = _html_parser()


def parse(text: str) -> lxml.html.HtmlElement:
    try:
        return lxml.html.document_fromstring(text or "<html></html>", parser=HTML_PARSER)
    except (etree.ParserError, ValueError):
        return lxml.html.document_fromstring("<html></html>", parser=HTML_PARSER)


#: A page's text nodes outside scripts, styles, noscript and templates (comments are not text).
_VISIBLE_TEXT_NODES = etree.XPath(".//text()[not(ancestor::script or ancestor::style or ancestor::noscript"
                                  " or ancestor::template)]", smart_strings=False)


def visible_text(tree: lxml.html.HtmlElement) -> str:
    """Text a reader sees: without scripts, styles and comments; one line per block.

    A whole page is read where it is, its text nodes picked in C. A part of a page is read from a
    copy of it alone, so nothing around it counts (a script it sits in, the text after it).
    """
    if tree.getparent() is None:
        text = "".join(_VISIBLE_TEXT_NODES(tree))
    else:
        tree = copy_tree(tree)
        for bad in tree.xpath("//script|//style|//noscript|//template"):
            bad.drop_tree()
        for comment in tree.xpath("//comment()"):
            comment.drop_tree()
        text = tree.text_content()
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def copy_tree(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """A separate copy of a tree (or part of one), to change without changing what other checks read."""
    return lxml.html.fromstring(lxml.html.tostring(tree), parser=HTML_PARSER)


@lru_cache(maxsize=65536)
def normalise_url(url: str) -> str:
    """Drop the fragment and re-quote the path so /a%20b and /a b are one URL.

    Cached: a pure function that list pages call for every row (and again for the page's own URL).
    """
    url, _ = urldefrag(url)
    parts = urlsplit(url)
    path = quote(unquote(parts.path), safe="/:@!$&'()*+,;=-._~")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path or "/", parts.query, ""))


#: An href (or a base URL's path) whose normalised form is itself: path characters quote() keeps as
#: they are, no "%" (unquote would touch it), an optional query without "#" or spaces, no dot segment
#: and no empty one ("a//b", which urljoin collapses).
_PLAIN_HREF = re.compile(r"(?!.*(?:^|/)\.\.?(?:/|$|\?))(?!.*//)[A-Za-z0-9/:@!$&'()*+,;=._~-]*(?:\?[!-\"$-~]*)?\Z")
_PLAIN_ORIGIN = re.compile(r"(https?)://([A-Za-z0-9.-]+(?::[0-9]{1,5})?)(/[A-Za-z0-9/:@!$&'()*+,;=._~-]*)?\Z",
                           re.IGNORECASE)


@lru_cache(maxsize=4096)
def _plain_base(base: str) -> tuple[str, str] | None:
    """(origin, directory) of a base URL whose hrefs can be joined by concatenation, else None."""
    match = _PLAIN_ORIGIN.match(base)
    if match is None or not _PLAIN_HREF.match(match[3] or "/"):
        return None
    try:
        if not urlsplit(base).hostname:
            return None
        urlsplit(base).port  # noqa: B018
    except ValueError:
        return None
    path = match[3] or "/"
    return f"{match[1].lower()}://{match[2].lower()}", path[:path.rindex("/") + 1]


def _joined_plainly(base: str, raw: str) -> str | None:
    """The common hrefs of a list ("/art/2020/6/28/art_1_2.html", "./202006/t20200628_1.html",
    "t1.html?id=3") joined without urllib: the same string `_resolved` makes, at a fraction of
    the CPU a list page's rows cost. None for anything else, which takes the general way."""
    if raw.startswith("./"):
        raw = raw[2:]
    if not raw or raw.startswith(("//", "?")) or ":" in raw.partition("/")[0] or not _PLAIN_HREF.match(raw):
        return None
    plain = _plain_base(base)
    if plain is None:
        return None
    origin, directory = plain
    return origin + raw if raw.startswith("/") else origin + directory + raw


@lru_cache(maxsize=65536)
def _resolved(base: str, raw: str) -> str | None:
    """resolve_url's work, cached (an exception is not cached: a malformed href is parsed again)."""
    plain = _joined_plainly(base, raw)
    if plain is not None:
        return plain
    return _resolved_by_urllib(base, raw)


def _resolved_by_urllib(base: str, raw: str) -> str | None:
    absolute = urljoin(base, raw)
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https"):
        return None
    if not parts.hostname:
        raise ValueError("no host")
    parts.port  # noqa: B018  (raises on a port out of range or not a number)
    return normalise_url(absolute)


def resolve_url(base: str, raw: str) -> str | None:
    """`raw` made absolute and normalised; None when it is not an http(s) URL a browser could open.

    urllib raises on some hrefs found on real pages (`http://localhost]`, `http://a:99999/`); one
    such href must cost only itself, never the page's other links.
    """
    try:
        return _resolved(base, raw)
    except ValueError:
        raise MalformedLink(raw) from None


class MalformedLink(ValueError):
    """An http(s) href that cannot be parsed into a URL."""


_BASE_HREFS = etree.XPath("//base/@href", smart_strings=False)


def page_base(tree: lxml.html.HtmlElement, page_url: str) -> str:
    """The URL relative links resolve against: <base href> when the page has one (and it parses)."""
    base_hrefs = _BASE_HREFS(tree)
    if not base_hrefs:
        return page_url
    try:
        base = urljoin(page_url, base_hrefs[0].strip())
        urlsplit(base).port  # noqa: B018
        return base
    except ValueError:
        return page_url


def scan_links(tree: lxml.html.HtmlElement, page_url: str) -> LinkScan:
    """Every http(s) link of the page, absolute and unique (grouped by tag); honours <base href>.

    Includes what a browser loads or follows without a click: media sources and the target of a
    <meta http-equiv="refresh">. Malformed hrefs are skipped and reported, one by one.
    """
    base = page_base(tree, page_url)
    seen: set[str] = set()
    links: list[Link] = []
    malformed: list[str] = []

    def add(raw: str, tag: str, text: str) -> None:
        raw = raw.strip()
        if not raw or raw.startswith("#"):
            return
        try:
            url = resolve_url(base, raw)
        except MalformedLink:
            malformed.append(raw[:200])
            return
        if url is None or url in seen:
            return  # mailto:, javascript:, tel:, data: are not links we can check
        seen.add(url)
        links.append(Link(url, tag, text))

    for tag, attribute in LINK_ATTRIBUTES:
        for element in tree.iter(tag):
            if tag == "link" and _NOT_A_RESOURCE.intersection((element.get("rel") or "").lower().split()):
                continue
            add(element.get(attribute) or "", tag, (element.text_content() if tag == "a" else "").strip()[:200])
    for meta in tree.iter("meta"):
        if (meta.get("http-equiv") or "").strip().lower() == "refresh":
            match = _REFRESH_URL.match(meta.get("content") or "")
            if match and match["url"].strip():
                add(match["url"], "meta", "")
    return LinkScan(links, malformed)


#: The one-line script redirects entry pages use: location.href = "…", location.replace("…").
_SCRIPT_REDIRECT = re.compile(
    r"""(?:window\.|document\.|top\.|self\.)?location(?:\.href)?\s*=\s*["']([^"']+)["']"""
    r"""|location\.replace\(\s*["']([^"']+)["']\s*\)""", re.IGNORECASE)


def redirect_target(tree: lxml.html.HtmlElement, page_url: str) -> str | None:
    """Where an entry page sends the browser by itself: <meta http-equiv=refresh> or a one-line script.

    Many government homepages are such a page in front of the portal (index.html -> /col/col1/).
    """
    base = page_base(tree, page_url)
    candidates: list[str] = []
    for meta in tree.iter("meta"):
        if (meta.get("http-equiv") or "").strip().lower() == "refresh":
            match = _REFRESH_URL.match(meta.get("content") or "")
            if match and match["url"].strip():
                candidates.append(match["url"])
    for script in tree.iter("script"):
        match = _SCRIPT_REDIRECT.search(script.text or "")
        if match:
            candidates.append(match.group(1) or match.group(2))
    for raw in candidates:
        try:
            url = resolve_url(base, raw.strip())
        except MalformedLink:
            continue
        if url and url != normalise_url(page_url):
            return url
    return None


def extract_links(tree: lxml.html.HtmlElement, page_url: str) -> list[Link]:
    """The links of `scan_links`, for callers that do not report malformed hrefs."""
    return scan_links(tree, page_url).links


#: Government sites went online from the late 1990s; an earlier "date" is a number, not a date.
MIN_YEAR = 1990
#: A date up to a day after the monitoring time is a time-zone or clock difference, not the future.
FUTURE_TOLERANCE = timedelta(days=1)

_YEAR = r"(?P<y>(?:19|20)\d{2})"
_DATE_PATTERNS = (
    re.compile(r"(?<!\d)" + _YEAR + r"\s*[-/.]\s*(?P<m>\d{1,2})\s*[-/.]\s*(?P<d>\d{1,2})(?!\d)"),
    re.compile(_YEAR + r"\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
)
_SHORT_DATE = re.compile(r"(?<![\d\-/])(?P<m>\d{1,2})\s*[-/]\s*(?P<d>\d{1,2})(?![\d\-/])")

#: Dates CMSs write into article paths.
_URL_DATES = (
    re.compile(r"/t" + _YEAR + r"(?P<m>\d{2})(?P<d>\d{2})_\d+"),                     # TRS ./202006/t20200628_4512345.html
    re.compile(r"/" + _YEAR + r"/(?P<m>\d{1,2})/(?P<d>\d{1,2})/"),                  # Hanweb /art/2020/6/28/art_…, easysite /doc/2020/06/28/
    re.compile(r"/" + _YEAR + r"-(?P<m>\d{2})/(?P<d>\d{2})/"),                      # gov.cn, Xinhua /2020-06/28/content_…
    re.compile(r"/" + _YEAR + r"(?P<m>\d{2})/(?P<d>\d{2})/"),                       # /202006/28/…
    re.compile(r"/" + _YEAR + r"(?P<m>\d{2})(?P<d>\d{2})/"),                        # /20200628/…
)


#: Texts up to this long (a row's date beside its title: "2020-06-23", "[06-23]") are read once per
#: day seen: every list repeats the same few dates, row after row, page after page.
REMEMBERED_DATE_TEXT = 32


def find_dates(text: str, today: date | None = None) -> list[date]:
    """Dates written in the ways Chinese government sites write them.

    A month-day without a year ([06-29]) is given the latest year that does not put it after
    `today`, which is how a reader of a list page understands it.
    """
    if len(text) <= REMEMBERED_DATE_TEXT:
        return list(_remembered_dates(text, today))
    return _find_dates(text, today)


@lru_cache(maxsize=8192)
def _remembered_dates(text: str, today: date | None) -> tuple[date, ...]:
    return tuple(_find_dates(text, today))


def _find_dates(text: str, today: date | None) -> list[date]:
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


def url_date(url: str) -> date | None:
    """The date a CMS wrote into an article's path, if any."""
    path = urlsplit(url).path
    for pattern in _URL_DATES:
        match = pattern.search(path)
        if match:
            value = _make_date(int(match["y"]), int(match["m"]), int(match["d"]))
            if value:
                return value
    return None


def plausible(value: date, today: date) -> bool:
    """Not before government sites existed, not after the monitoring time (beyond a day's tolerance)."""
    return value.year >= MIN_YEAR and value <= today + FUTURE_TOLERANCE


def _make_date(year: int, month: int, day: int) -> date | None:
    if year < MIN_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


#: Page chrome: navigation, menus, breadcrumbs and footers list links (and a copyright year, or
#: "今天是…") but never the column's items.
_CHROME_TAGS = frozenset({"nav", "header", "footer"})
_CHROME_WORDS = frozenset({"nav", "navbar", "navigation", "menu", "submenu", "footer", "foot", "copyright",
                           "crumb", "crumbs", "breadcrumb", "topbar", "sitemap"})
_WORD = re.compile(r"[a-z]+")
_INDEX_PAGE = re.compile(r"^(?:index|default|list)(?:_\d+)?\.\w+$", re.IGNORECASE)
#: Text a CMS shows in place of an empty list.
EMPTY_LIST_MARKERS = ("暂无信息", "暂无数据", "暂无内容", "暂无记录", "暂无相关信息", "没有相关信息", "无相关记录",
                      "没有找到相关", "没有记录", "无记录")
PAGER_TEXTS = frozenset({"首页", "上一页", "上页", "前一页", "下一页", "下页", "后一页", "尾页", "末页", "最后一页",
                         "下一页>", "下一页>>", "下一页 >", "更多", "更多>>", "更多>", "more", "More", "MORE"})

#: Hanweb 大汉 jpage: the list as XML, inline in <script type="text/xml"> or answered by dataproxy.jsp.
_DATASTORE = re.compile(r"<datastore\b.*?(?:</datastore>|$)", re.IGNORECASE | re.DOTALL)
_RECORD = re.compile(r"<record\b[^>]*>\s*(?:<!\[CDATA\[(?P<cdata>.*?)\]\]>|(?P<text>.*?))\s*</record>",
                     re.IGNORECASE | re.DOTALL)
_NEXTGROUP = re.compile(r"<nextgroup\b[^>]*>\s*(?:<!\[CDATA\[(?P<cdata>.*?)\]\]>|(?P<text>.*?))\s*</nextgroup>",
                        re.IGNORECASE | re.DOTALL)
_HREF = re.compile(r"""href\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class Datastore:
    """A Hanweb jpage list: the records' HTML, and where the rest is served (dataproxy.jsp)."""

    records: list[str]
    proxy_urls: list[str]


def _is_chrome(element: lxml.html.HtmlElement, known: dict | None = None) -> bool:
    """Inside navigation, a menu, a footer...; `known` remembers elements already judged (rows share ancestors)."""
    seen = []
    chrome = False
    for ancestor in element.iterancestors():
        if known is not None and ancestor in known:
            chrome = known[ancestor]
            break
        seen.append(ancestor)
        if not isinstance(ancestor.tag, str):
            continue
        if ancestor.tag in _CHROME_TAGS:
            chrome = True
            break
        words = _WORD.findall(f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}".lower())
        if _CHROME_WORDS.intersection(words):
            chrome = True
            break
    if known is not None:  # an ancestor is chrome iff it or one of its own ancestors is
        for ancestor in seen:
            known[ancestor] = chrome
    return chrome


#: A URL as normalise_url writes it (scheme://host/path?query, nothing urlsplit would strip):
#: its path's last segment and its query, read without urlsplit for every row of a list.
_NAME_AND_QUERY = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#\x00-\x20]*/(?:[^?#\x00-\x20]*/)?"
                             r"([^/?#\x00-\x20]*)(?:\?([^#\x00-\x20]*))?\Z")


def _name_and_query(url: str) -> tuple[str, str]:
    match = _NAME_AND_QUERY.match(url)
    if match is not None:
        return match[1], match[2] or ""
    parts = urlsplit(url)
    return parts.path.rsplit("/", 1)[-1], parts.query


_ASCII_DIGIT = re.compile(r"[0-9]")


def looks_like_article(url: str, page_url: str, normalised_page_url: str | None = None) -> bool:
    """A document rather than a column or index page: a number in its path or query, not index_N.html.
    (`normalised_page_url`: normalise_url(page_url), when a list's rows already have it.)"""
    if url == (normalised_page_url if normalised_page_url is not None else normalise_url(page_url)):
        return False
    name, query = _name_and_query(url)
    if not name and not query:
        return False
    if _INDEX_PAGE.match(name) and not query:
        return False
    # an ASCII digit found in C; else any other digit str.isdigit knows (①, ², full-width ０)
    return (_ASCII_DIGIT.search(name) is not None or _ASCII_DIGIT.search(query) is not None
            or any(ch.isdigit() for ch in name + query))


#: TRS WCM templates often write a row's link from script variables:
#: var str_url = "./202006/t20200628_4512345.html"; … document.write("<a href='"+str_url+"'>"+title+"</a>")
_SCRIPT_URL = re.compile(r"""["']((?:\.{1,2}/|/|https?://)[^"'<>\s]+?\.(?:s?html?|jhtml|jsp|shtm)(?:\?[^"'<>\s]*)?)["']""",
                         re.IGNORECASE)
_SCRIPT_TEXT = re.compile(r"""["']([^"'<>]*[\u4e00-\u9fff][^"'<>]*)["']""")


#: XPath expressions compiled once (lxml compiles a string expression on every call). Text results are
#: plain strings (smart_strings=False): a "smart" one also keeps its parent element, which nothing
#: here asks for and which costs an object per text node.
_ROW_CANDIDATES = etree.XPath(".//li|.//tr|.//dd|.//p|self::li|self::tr|self::dd")
_TEXT_BESIDE_LINKS = etree.XPath(".//text()[not(ancestor::a)]", smart_strings=False)


#: A list row and its links (found once: reading the row needs them again).
Row = tuple[lxml.html.HtmlElement, list]


def _rows(root: lxml.html.HtmlElement) -> list[Row]:
    """List rows (li, tr, dd, p) that hold a link (or a script writing one) and no nested rows,
    outside the page chrome, each with its links."""
    rows = []
    chrome: dict = {}
    nested = _holding_rows(root)
    for row in _ROW_CANDIDATES(root):
        if row in nested or _is_chrome(row, chrome):
            continue
        anchors = _links(row)
        if anchors or any(_SCRIPT_URL.search(s.text or "") for s in row.iter("script")):
            rows.append((row, anchors))
    return rows


def _holding_rows(root: lxml.html.HtmlElement) -> set:
    """The elements with an li or tr below them (rows that hold rows), found in one walk up from
    each li and tr instead of a search below every candidate row."""
    holding: set = set()
    for inner in root.iter("li", "tr"):
        parent = inner.getparent()
        while parent is not None and parent not in holding:
            holding.add(parent)
            parent = parent.getparent()
    return holding


def _links(row: lxml.html.HtmlElement) -> list:
    """The row's <a href> elements in document order (what `.//a[@href]` finds, without an XPath context per row)."""
    return [anchor for anchor in row.iter("a") if anchor.get("href") is not None and anchor is not row]


def _row_link(row: lxml.html.HtmlElement, anchors: list | None = None) -> tuple[str, str] | None:
    """(href, title) of a row: its longest-titled link that is not a pager, else the one its script writes."""
    found: tuple[str, str] | None = None
    longest = -1
    for anchor in _links(row) if anchors is None else anchors:  # each anchor's text read once
        text, title = anchor.text_content(), anchor.get("title")
        if (text or title or "").strip() in PAGER_TEXTS:
            continue
        shown = len((title or text).strip())
        if shown > longest:  # the first of the longest, as max() chose
            found, longest = (anchor.get("href", ""), title or text), shown
    if found is not None:
        return found
    for script in row.iter("script"):
        code = script.text or ""
        href = _SCRIPT_URL.search(code)
        if href:
            texts = _SCRIPT_TEXT.findall(code)
            return href.group(1), max(texts, key=len) if texts else ""
    return None


def _row_item(row: lxml.html.HtmlElement, base: str, page_url: str, today: date,
              anchors: list | None = None, normalised_page_url: str | None = None) -> ListItem | None:
    link = _row_link(row, anchors)
    if link is None:
        return None
    try:
        url = resolve_url(base, link[0].strip())
    except MalformedLink:
        return None
    if url is None:
        return None
    title = " ".join(link[1].split())
    # the row's own date (beside the title) over a date in a title ("关于2020年7月1日起…"), then the URL's
    beside = " ".join(_TEXT_BESIDE_LINKS(row))
    published = None
    for candidates in _date_sources(row, beside, url, today):  # lazily: most rows stop at the first
        plausible_dates = [d for d in candidates if plausible(d, today)]
        if plausible_dates:
            published = max(plausible_dates)
            break
    return ListItem(title[:200], url, published, looks_like_article(url, page_url, normalised_page_url))


def _date_sources(row: lxml.html.HtmlElement, beside: str, url: str, today: date) -> Iterator[list[date]]:
    yield find_dates(beside, today)
    yield find_dates(" ".join(row.itertext()), today)
    yield [d for d in [url_date(url)] if d]


def read_datastore(text: str) -> Datastore | None:
    """The records and dataproxy links of a Hanweb <datastore>, or None when `text` has none."""
    stores = _DATASTORE.findall(text)
    if not stores:
        return None
    records: list[str] = []
    proxies: list[str] = []
    for store in stores:
        for match in _RECORD.finditer(store):
            html = match["cdata"] if match["cdata"] is not None else _unescape(match["text"])
            if html.strip():
                records.append(html)
        for match in _NEXTGROUP.finditer(store):
            html = match["cdata"] if match["cdata"] is not None else _unescape(match["text"])
            proxies += _HREF.findall(html)
    return Datastore(records, list(dict.fromkeys(proxies)))


def _unescape(text: str) -> str:
    """Records written without CDATA carry their HTML entity-escaped."""
    try:
        return etree.fromstring(f"<r>{text}</r>").text or ""
    except etree.XMLSyntaxError:
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


def page_datastore(tree: lxml.html.HtmlElement) -> Datastore | None:
    """The Hanweb datastore(s) inside a page's <script type="text/xml"> blocks, merged."""
    found: Datastore | None = None
    for script in tree.iter("script"):
        text = script.text or ""
        if "datastore" not in text.lower():
            continue
        store = read_datastore(text)
        if store is not None:
            found = store if found is None else Datastore(found.records + store.records,
                                                          list(dict.fromkeys(found.proxy_urls + store.proxy_urls)))
    return found


def datastore_items(store: Datastore, page_url: str, today: date) -> list[ListItem]:
    """The list rows of a datastore's records, as if the browser's jpage script had written them."""
    items: list[ListItem] = []
    for record in store.records:
        try:
            fragment = lxml.html.fragment_fromstring(record, create_parent="div")
        except (etree.ParserError, ValueError):
            continue
        rows = _rows(fragment) or [(fragment, None)]
        items += [item for row, anchors in rows if (item := _row_item(row, page_url, page_url, today, anchors))]
    return items


def list_items(tree: lxml.html.HtmlElement, page_url: str, today: date) -> list[ListItem]:
    """The linked rows of a list page outside its chrome, dated where the row or its URL says when.

    Reads Hanweb's inline datastore records too (which a plain HTML parser sees as script text).
    A date is the latest plausible one beside the title, else in the row, else in the URL.
    """
    base = page_base(tree, page_url)
    try:
        own: str | None = normalise_url(page_url)
    except ValueError:  # each row then says so itself, as it did
        own = None
    items = [item for row, anchors in _rows(tree) if (item := _row_item(row, base, page_url, today, anchors, own))]
    store = page_datastore(tree)
    if store is not None:
        items += datastore_items(store, base, today)
    return items


def dated_items(tree: lxml.html.HtmlElement, page_url: str, today: date) -> list[DatedItem]:
    """Linked items that carry a date in their list row or their URL, not after `today` (+1 day).

    An item without a date is not dated, which the indicators treat as "not updated".
    """
    return [DatedItem(i.title, i.url, i.published) for i in list_items(tree, page_url, today) if i.published]


def shows_empty_list(tree: lxml.html.HtmlElement) -> bool:
    """The page says its list is empty ("暂无信息"), as CMSs do in place of the rows."""
    text = visible_text(tree)
    return any(marker in text for marker in EMPTY_LIST_MARKERS)


#: <meta> names CMSs give an article's publication time (TRS PubDate, Hanweb/others firstpublishedtime…).
PUBDATE_METAS = ("pubdate", "articlepubdate", "firstpublishedtime", "publishdate", "publish_date",
                 "article:published_time", "og:release_date", "dc.date.issued", "dcterms.issued")


def meta_pubdate(tree: lxml.html.HtmlElement, today: date) -> date | None:
    """An article page's publication date from its <meta> (PubDate and kin), when plausible."""
    for meta in tree.iter("meta"):
        name = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").strip().lower()
        if name not in PUBDATE_METAS:
            continue
        content = meta.get("content") or ""
        dates = [d for d in find_dates(content) if plausible(d, today)]
        if not dates:
            compact = re.match(r"\s*((?:19|20)\d{2})(\d{2})(\d{2})", content)  # 20200628093000
            value = _make_date(*map(int, compact.groups())) if compact else None
            dates = [value] if value and plausible(value, today) else []
        if dates:
            return dates[0]
    return None
