"""What a list page (a column, or a homepage) lists, and when its newest item was published.

Read the way a visitor's browser would show it: rows in the HTML; Hanweb 大汉 jpage records inline
in <script type="text/xml">, or, when the page carries none, from its dataproxy.jsp (same host
only); and, for a list whose rows carry no dates, the PubDate <meta> of its first few articles.
A list that has items but no date we can read is "could not read", which is not "not updated".
"""
from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

import lxml.html

from collector.text.extract import kind_from_url
from collector.html import (DatedItem, ListItem, datastore_items, list_items, meta_pubdate, page_base,
                            page_datastore, parse, read_datastore, redirect_target, resolve_url,
                            shows_empty_list)
from collector.roundcontext import RoundContext

#: Article pages fetched for their PubDate meta when a list has no dates, at most.
PUBDATE_ARTICLES = 3
#: dataproxy.jsp requests per page, at most (a page names one; a few sites name one per list).
MAX_PROXIES = 3
#: Inline scripts that load a list after the page arrives (Hanweb jpage, jQuery/XHR/fetch, Vue):
#: a page with one of these and no rows is a list we could not see, not an empty one.
_SCRIPT_LOADER = re.compile(r"\.jpage\s*\(|dataproxy\.jsp|\$\.(?:ajax|get|post|getJSON)\s*\(|\.load\s*\(|"
                            r"\bfetch\s*\(|XMLHttpRequest|\baxios\b|new\s+Vue\s*\(", re.IGNORECASE)
#: How a list's dates were read (ListReading.via), as the portal says it.
READ_VIA_WORDS: dict[str, str] = {"list": "列表中的日期", "dataproxy": "大汉数据接口（dataproxy）中的日期",
                                  "pubdate": "文章页的发布时间"}
#: Why a list we could fetch was still not judged.
UNDATED = "无法识别栏目列表的发布日期"


@dataclass(frozen=True)
class ListReading:
    url: str
    items: list[ListItem]
    dated: list[DatedItem]
    #: how the dates were read: "list" (rows), "dataproxy" (Hanweb), "pubdate" (article metas)
    via: tuple[str, ...] = ()
    #: the page says or shows that its list is empty
    empty: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def newest(self) -> DatedItem | None:
        return max(self.dated, key=lambda item: (item.published, item.title), default=None)


def _parsed_items(text: str, page_url: str, today: date) -> tuple[lxml.html.HtmlElement, list[ListItem]]:
    """Parse a page and read its list: CPU work, run off the event loop (ctx.run_cpu)."""
    tree = parse(text)
    return tree, list_items(tree, page_url, today)


def _any_dated(items: list[ListItem]) -> bool:
    return any(item.published for item in items)


def _dated(items: list[ListItem]) -> list[DatedItem]:
    return [DatedItem(i.title, i.url, i.published) for i in items if i.published]


async def read_list(ctx: RoundContext, url: str, text: str, final_url: str | None = None) -> ListReading:
    """The items of the list page `url` (already fetched: `text`), dated as far as we can.

    Read once per round: homepage_freshness and column_freshness read the same column pages, and
    parsing them is most of a round's CPU. The key holds the text itself (one round fetches a URL
    once, so the text is the same object and compares by identity first).
    """
    return await ctx.once(("read_list", url, final_url, text), lambda: _read_list(ctx, url, text, final_url))


async def _read_list(ctx: RoundContext, url: str, text: str, final_url: str | None) -> ListReading:
    page_url = final_url or url
    tree, items = await ctx.run_cpu(_parsed_items, text, page_url, ctx.today, size=len(text))
    notes: list[str] = []
    unseen = False  # part of the list may be where we could not look
    if not any(item.article_like or item.published for item in items):
        # an entry page that only sends the browser on (meta refresh, location.href): read where it goes
        target = redirect_target(tree, page_url)
        if target and urlsplit(target).hostname == urlsplit(page_url).hostname:
            result = await ctx.fetch(target)
            if result.ok and result.status is not None and result.status < 300:
                page_url = result.final_url or target
                tree, items = await ctx.run_cpu(_parsed_items, result.text, page_url, ctx.today,
                                                    size=len(result.content))
            else:
                notes.append(f"跳转目标无法读取：{result.failure}")
                unseen = True
    via: list[str] = ["list"] if _any_dated(items) else []
    store = page_datastore(tree)
    if store is not None and not store.records and store.proxy_urls:
        proxied, proxy_failed = await _proxy_items(ctx, page_base(tree, page_url), store.proxy_urls, notes)
        unseen = unseen or proxy_failed
        if _any_dated(proxied):
            via.append("dataproxy")
        items += proxied
    elif store is None and not any(i.article_like or i.published for i in items) and _script_loaded(tree):
        notes.append("列表由脚本加载，页面中没有列表数据")
        unseen = True
    own = _own_articles(items, page_url) if not _any_dated(items) else []  # only an undated list needs them
    if own:
        found = await _pubdates(ctx, own[:PUBDATE_ARTICLES], notes)
        if found:
            via.append("pubdate")
            items = [found.get(item.url, item) for item in items]
    dated = _dated(items)
    # empty when the page says so, or when we saw the whole list and it had nothing in it
    empty = not dated and not any(item.article_like for item in items) and (
        shows_empty_list(tree) or (not unseen and (not items or (store is not None and not store.records))))
    return ListReading(url, items, dated, tuple(via), empty, notes)


def _own_articles(items: list[ListItem], page_url: str) -> list[ListItem]:
    """The items that look like articles on the list's own host."""
    host = urlsplit(page_url).hostname
    return [item for item in items if item.article_like and urlsplit(item.url).hostname == host]


def _script_loaded(tree: lxml.html.HtmlElement) -> bool:
    return any(_SCRIPT_LOADER.search(script.text or "") for script in tree.iter("script") if not script.get("src"))


async def _proxy_items(ctx: RoundContext, base: str, proxy_urls: list[str],
                       notes: list[str]) -> tuple[list[ListItem], bool]:
    """Records Hanweb's dataproxy.jsp serves for this list (GET with the page's query string),
    and whether any proxy could not be read."""
    host = urlsplit(base).hostname
    items: list[ListItem] = []
    failed = False
    for raw in proxy_urls[:MAX_PROXIES]:
        try:
            proxy = resolve_url(base, raw)
        except ValueError:
            notes.append("dataproxy 地址无效")
            failed = True
            continue
        if proxy is None or urlsplit(proxy).hostname != host:
            notes.append("dataproxy 地址不在本站")
            failed = True
            continue
        result = await ctx.fetch(proxy)
        if not result.ok or result.status is None or result.status >= 300:
            notes.append(f"dataproxy 无法读取：{result.failure}")
            failed = True
            continue
        store = read_datastore(result.text)
        if store is None:
            notes.append("dataproxy 未返回列表数据")
            failed = True
            continue
        items += datastore_items(store, base, ctx.today)
    return items, failed


async def _pubdates(ctx: RoundContext, candidates: list[ListItem], notes: list[str]) -> dict[str, ListItem]:
    """The first few undated articles of a list, dated by their PubDate meta where they have one.

    Lists put their newest items first, so the first rows are the newest-looking ones. Only the
    list's own host is asked: a list linking elsewhere does not send the collector elsewhere.
    """
    pages = [item for item in candidates if kind_from_url(item.url) in (None, "page")]
    results = await asyncio.gather(*(ctx.fetch(item.url) for item in pages))
    found: dict[str, ListItem] = {}
    read = 0
    for item, result in zip(pages, results):
        if not result.ok or result.status is None or result.status >= 300:
            continue
        read += 1
        published = meta_pubdate(parse(result.text), ctx.today)
        if published:
            found[item.url] = ListItem(item.title, item.url, published, item.article_like)
    if pages and not found:
        notes.append("文章页无发布日期元数据" if read else "文章页无法读取")
    return found
