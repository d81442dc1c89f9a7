"""The documents of one website or disclosure column that content checks read, fetched once a round.

What a visitor of the entry sees: its homepage, its column list pages, the newest articles linked
from them (same host, bounded) and the attachments linked from any of those (PDF, Word, Excel,
CSV, text; size-capped by the fetcher). Everything goes through `ctx.fetch`, so a URL another check
already fetched costs nothing, and the result is memoised per round and entry, so the personal-data
and the wording checks share one crawl.
"""
from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from collector.text.extract import (UNREAD_FETCH, Document, document_kind, kind_from_url, page_document,
                                       read_document)
from collector.fetch import FetchResult
from collector.html import Link, dated_items, extract_links, normalise_url, parse
from collector.registry import Entry
from collector.roundcontext import RoundContext

__all__ = ["Document", "entry_documents", "scan_figures"]

#: Attachments read per entry, at most (articles are bounded by the caller's max_articles).
MAX_ATTACHMENTS = 120
#: List pages read per column, following 下一页, at most.
MAX_LIST_PAGES = 10
_NEXT_PAGE = frozenset({"下一页", "下页", "后一页", "下一页>", "下一页>>", "下一页 >"})
_PAGER = _NEXT_PAGE | {"首页", "上一页", "上页", "前一页", "尾页", "末页", "最后一页"}


@dataclass(frozen=True)
class _Page:
    """A fetched URL: its document (None for things not scanned, like images) and, for an HTML
    page, what the crawl follows from it."""

    url: str
    document: Document | None
    links: tuple[Link, ...] = ()
    dated: tuple[tuple[str, date], ...] = ()


async def entry_documents(entry: Entry, ctx: RoundContext, max_articles: int = 60) -> list[Document]:
    """The entry's homepage first, then its column pages, articles (newest first) and attachments.

    A document that could not be fetched or read is still listed, with `unread` set, so checks
    can count it; the homepage failing is how a check knows the entry was unreachable.
    """
    # one crawl per round and entry, shared by every check that asks
    return await ctx.once(("crawl", entry.id, max_articles), lambda: _crawl(entry, ctx, max_articles))


async def _crawl(entry: Entry, ctx: RoundContext, max_articles: int) -> list[Document]:
    home_url = normalise_url(entry.url)
    list_urls = list(dict.fromkeys(normalise_url(c.url) for c in getattr(entry, "columns", ())))
    list_urls = [u for u in list_urls if u != home_url]
    host = urlsplit(home_url).hostname
    home, *columns = await asyncio.gather(_read(ctx, home_url, "page"),
                                          *(_column_pages(ctx, u, host, max_articles) for u in list_urls))
    list_pages = [page for pages in columns for page in pages]
    known = {home_url, *list_urls, *(p.url for p in list_pages)}
    articles = _pick_articles(home, list(zip(list_urls, columns)), host, known, max_articles)
    read_articles = await asyncio.gather(*(_read(ctx, u, "page") for u in articles))
    pages = [home, *list_pages, *read_articles]
    attachment_urls = [u for u in _attachment_links(pages) if u not in known and u not in articles]
    attachments = await asyncio.gather(
        *(_read(ctx, u, kind_from_url(u) or "page") for u in attachment_urls[:MAX_ATTACHMENTS]))
    return [p.document for p in [*pages, *attachments] if p.document is not None]


async def _column_pages(ctx: RoundContext, url: str, host: str | None, want: int) -> list[_Page]:
    """A column's list page and its next pages (下一页), until it has listed `want` dated items."""
    pages = [await _read(ctx, url, "page")]
    seen = {url}
    while len(pages) < MAX_LIST_PAGES and sum(len(p.dated) for p in pages) < want:
        following = next((link.url for link in pages[-1].links if link.tag == "a" and link.url not in seen
                          and link.text.strip() in _NEXT_PAGE and urlsplit(link.url).hostname == host), None)
        if following is None:
            break
        seen.add(following)
        pages.append(await _read(ctx, following, "page"))
    return pages


def _pick_articles(home: _Page, columns: list[tuple[str, list[_Page]]], host: str | None, known: set[str],
                   limit: int) -> list[str]:
    """Dated items of the homepage and column pages, newest first; then undated links below a
    column's path (article URLs usually live under their column), in page order."""
    dated: dict[str, date] = {}
    for page in [home, *(p for _, pages in columns for p in pages)]:
        for url, published in page.dated:
            if _is_article(url, host, known):
                dated[url] = max(published, dated.get(url, published))
    chosen = sorted(dated, key=lambda u: dated[u], reverse=True)
    for list_url, pages in columns:
        prefix = list_url if list_url.endswith("/") else list_url.rsplit("/", 1)[0] + "/"
        for link in (link for page in pages for link in page.links):
            if (link.tag == "a" and link.url.startswith(prefix) and link.text.strip() not in _PAGER
                    and _is_article(link.url, host, known)):
                chosen.append(link.url)
    return list(dict.fromkeys(chosen))[:limit]


def _is_article(url: str, host: str | None, known: set[str]) -> bool:
    return urlsplit(url).hostname == host and url not in known and kind_from_url(url) == "page"


def _attachment_links(pages: list[_Page]) -> list[str]:
    """Links whose file name (in the URL or in the link text, as in 附件：名单.xlsx) is an attachment."""
    found: list[str] = []
    for page in pages:
        for link in page.links:
            if link.tag != "a":
                continue
            kind = kind_from_url(link.url) or ""
            text_kind = kind_from_url("http://x/" + link.text.strip()) or ""
            if kind not in ("", "page") or text_kind not in ("", "page"):
                found.append(link.url)
    return list(dict.fromkeys(found))


async def _read(ctx: RoundContext, url: str, expected: str) -> _Page:
    result = await ctx.fetch(url)
    if not result.ok or result.status is None or result.status >= 300:
        return _Page(url, Document(url, expected, unread=UNREAD_FETCH))
    kind = document_kind(result.url, result.content_type, result.content)
    # an attachment (PDF, sheet) always goes to a thread; an HTML page by its size
    return await ctx.run_cpu(_digest, result, kind, ctx.today, size=len(result.content) if kind == "page" else None)


def _digest(result: FetchResult, kind: str | None, today: date) -> _Page:
    """Parsing is CPU work (PDFs, sheets): done in a thread (ctx.run_cpu) so fetching goes on meanwhile."""
    if kind is None:
        return _Page(result.url, None)
    if kind != "page":
        return _Page(result.url, read_document(result.url, kind, result.content, result.content_type))
    tree = parse(result.text)
    base = result.final_url or result.url
    links = tuple(extract_links(tree, base))
    dated = tuple((item.url, item.published) for item in dated_items(tree, base, today))
    return _Page(result.url, page_document(result.url, tree), links, dated)


def scan_figures(documents: list[Document]) -> dict[str, Any]:
    """What a content check read: pages, attachments by type, and what it could not read, by reason."""
    read = [d for d in documents if not d.unread]
    unread = [d for d in documents if d.unread]
    return {
        "pages": sum(1 for d in read if d.kind == "page"),
        "pages_unread": sum(1 for d in unread if d.kind == "page"),
        "attachments": dict(sorted(Counter(d.kind for d in read if d.is_attachment).items())),
        "attachments_unread": sum(1 for d in unread if d.is_attachment),
        "unread_reasons": dict(sorted(Counter(d.unread for d in unread).items())),
        "truncated": sum(1 for d in documents if d.truncated),
    }
