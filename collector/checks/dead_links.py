"""链接不可用: links on the homepage and on pages one level down that a visitor cannot use.

Every unique link is checked once per round: HEAD first (cheap), GET when HEAD is refused or fails
(many government servers answer HEAD with 405, 501 or nonsense), and GET for pages a visitor reads
(a, area, iframe) so that a "soft 404" — a 200 page saying 页面不存在 — is seen. A 429, or a 503
that carries Retry-After, is the server asking us to slow down: "rate limited", never dead.
Thresholds come from the profile: on the homepage each unusable link deducts; on other pages only
a count above a threshold does.
"""
from __future__ import annotations

import asyncio
import ipaddress
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList

from collector.checks.base import Check, CheckContext, Code, Settings, register, setting
from collector.fetch import FetchResult
from collector.html import Link, extract_links, parse, visible_text
from collector.observations import Evidence, Finding, Observation
from collector.registry import Entry

#: Link classes that mean "a visitor cannot use this link".
DEAD_CLASSES = ("4xx", "5xx", "timeout", "dns", "tls", "connect", "too_many_redirects", "protocol",
                "truncated", "invalid_url", "soft404")
CLASS_LABELS = {"4xx": "HTTP 4xx", "5xx": "HTTP 5xx", "timeout": "超时", "dns": "域名无法解析",
                "tls": "证书或加密连接错误", "connect": "无法连接", "too_many_redirects": "重定向过多",
                "protocol": "协议错误", "truncated": "内容不完整", "invalid_url": "地址无效", "soft404": "页面显示不存在"}
#: Tags whose target a visitor reads as a page, so its body is fetched to see a soft 404.
PAGE_TAGS = frozenset({"a", "area", "iframe", "frame"})
#: Pages one level down are crawled only if they look like HTML pages, not downloads.
_DOWNLOAD = re.compile(r"\.(pdf|docx?|xlsx?|pptx?|wps|zip|rar|7z|jpe?g|png|gif|bmp|mp4|mp3|avi|flv|exe|apk)$", re.I)
SOFT_404_PHRASES = re.compile(r"页面不存在|您访问的页面不存在|找不到(?:该|此|您要访问的)?页面|页面未找到|页面已删除|"
                              r"page not found|404 not found", re.I)
_BARE_404 = re.compile(r"(?<!\d)404(?!\d)")

_PSL = PublicSuffixList()


@lru_cache(maxsize=4096)
def registrable_host(host: str) -> str:
    """lincang.gov.cn for www.lincang.gov.cn (public suffix list); an IP address stands for itself."""
    host = host.lower().rstrip(".")
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        return _PSL.privatesuffix(host) or host


def is_internal(url: str, site_url: str) -> bool:
    return registrable_host(urlsplit(url).hostname or "") == registrable_host(urlsplit(site_url).hostname or "")


def is_soft_404(result: FetchResult, max_body_chars: int) -> bool:
    """A 200 HTML page whose title, or whose short body, says the page does not exist."""
    if "html" not in result.content_type.lower() and not result.content.lstrip()[:1] == b"<":
        return False
    tree = parse(result.text)
    title = " ".join(tree.xpath("//title//text()")).strip()
    if SOFT_404_PHRASES.search(title) or _BARE_404.search(title):
        return True
    body = visible_text(tree)
    return len(body) <= max_body_chars and bool(SOFT_404_PHRASES.search(body) or _BARE_404.search(body))


def classify(result: FetchResult, soft_404_max_body_chars: int = 2000, read_body: bool = False) -> str:
    """ok | rate_limited | 4xx | 5xx | soft404 | a fetch error kind (timeout, dns, tls, …)."""
    if result.error == "too_large":
        return "ok"  # the server answered; the body is merely bigger than we read
    if result.error == "blocked":
        return "rate_limited"  # a rate limit or WAF challenge met through the round's shared fetch
    if result.error:
        return result.error
    status = result.status or 0
    if status == 429 or (status == 503 and "retry-after" in result.headers):
        return "rate_limited"
    if 400 <= status < 500:
        return "4xx"
    if status >= 500:
        return "5xx"
    if read_body and 200 <= status < 300 and is_soft_404(result, soft_404_max_body_chars):
        return "soft404"
    return "ok"


@dataclass(frozen=True)
class LinkSeen:
    """A link and where a visitor meets it first (page and link text), plus how often."""

    url: str
    tag: str
    page: str
    text: str
    on_homepage: bool


async def probe(url: str, read_body: bool, ctx: CheckContext, soft_404_max_body_chars: int) -> tuple[str, FetchResult]:
    """Classify one link: HEAD, then GET (shared with other checks) when HEAD is not conclusive.

    One probe per URL per round, across entries: a shared footer link is probed once."""
    return await ctx.once(("probe", read_body, url), lambda: _probe(url, read_body, ctx, soft_404_max_body_chars))


async def _probe(url: str, read_body: bool, ctx: CheckContext, soft_404_max_body_chars: int) -> tuple[str, FetchResult]:
    head = await ctx.fetcher.get(url, method="HEAD")
    head_class = classify(head)
    if head_class in ("rate_limited", "dns", "tls", "timeout", "connect", "invalid_url", "too_many_redirects",
                      "refused_address"):
        return head_class, head  # a GET would meet the same refusal; do not ask twice
    html = "html" in head.headers.get("content-type", "").lower()
    if head_class == "ok" and not (read_body and html):
        return head_class, head
    result = await ctx.fetch(url)
    return classify(result, soft_404_max_body_chars, read_body=read_body), result


def _links(html: str, base: str) -> list[Link]:
    """Parse a page for its links: CPU work, run off the event loop (ctx.run_cpu)."""
    return extract_links(parse(html), base)


def _crawlable(link: Link, section: str) -> bool:
    return (link.tag in ("a", "area", "iframe", "frame") and link.url.startswith(section)
            and not _DOWNLOAD.search(urlsplit(link.url).path))


def _section(url: str, kind: str) -> str:
    """Pages of the entry: the whole host for a website, the column's folder for a column."""
    parts = urlsplit(url)
    root = f"{parts.scheme}://{parts.netloc}"
    if kind != "column":
        return root + "/"
    folder = parts.path if parts.path.endswith("/") else parts.path.rsplit("/", 1)[0] + "/"
    return root + folder


@dataclass(frozen=True)
class DeadLinksSettings(Settings):
    homepage_max_dead: int = setting(0, "首页不可用链接允许数")
    other_page_max_dead: int = setting(5, "其他页面每页不可用链接允许数")
    max_pages: int = setting(30, "每次检查的页面数上限")
    max_links: int = setting(600, "每次检查的链接数上限")
    soft_404_max_body_chars: int = setting(2000, "“软 404”页面正文长度上限（字）")


@register
class DeadLinks(Check[DeadLinksSettings]):
    name = "dead_links"
    title = "链接可用性"
    indicator = "链接不可用"
    applies_to = frozenset({"website", "column"})
    cadence = "weekly"  # crawls many pages: weekly by default (the indicators allow daily or weekly)
    settings = DeadLinksSettings
    codes = {
        "dead_link_homepage": Code("首页链接不可用", "deduction"),
        "dead_link_page": Code("其他页面链接不可用", "deduction"),
    }
    figures = {
        "pages_crawled": "检查页面数",
        "links_found": "发现链接数",
        "links_checked": "检查链接数",
        "links_not_checked": "超出上限未查链接数",
        "internal": "内部链接数",
        "external": "外部链接数",
        "by_class": "按结果分类",
        "dead": "不可用链接数",
        "dead_on_homepage": "首页不可用链接数",
        "rate_limited": "被限流（不计为不可用）",
        **CLASS_LABELS,
        # written by earlier versions of this check; older data files still show them
        "links": "检查链接数",
        "dead_links": "不可用链接数",
    }

    async def observe(self, entry: Entry, ctx: CheckContext) -> Observation:
        settings = self.configured(ctx.profile)
        home = await ctx.fetch(entry.url)
        if not home.ok:
            return self.unreachable(entry, ctx, home)
        home_url = home.final_url or entry.url
        home_links = await ctx.run_cpu(_links, home.text, home_url)
        section = _section(home_url, entry.kind)
        subpages = [link.url for link in home_links if _crawlable(link, section) and link.url != home_url]
        subpages = list(dict.fromkeys(subpages))[: settings.max_pages]
        pages: list[tuple[str, list[Link]]] = [(home_url, home_links)]
        crawled: dict[str, FetchResult] = {}
        for url, result in zip(subpages, await asyncio.gather(*(ctx.fetch(u) for u in subpages))):
            crawled[url] = result
            if result.ok and "html" in result.content_type.lower():
                pages.append((url, await ctx.run_cpu(_links, result.text, result.final_url or url)))

        seen: dict[str, LinkSeen] = {}
        pages_of: dict[str, list[str]] = {}
        for page_url, links in pages:
            for link in links:
                if link.url not in seen:
                    seen[link.url] = LinkSeen(link.url, link.tag, page_url, link.text, page_url == home_url)
                pages_of.setdefault(link.url, []).append(page_url)
        max_links = settings.max_links
        # Homepage links first: they are the ones each of which deducts.
        to_check = sorted(seen.values(), key=lambda s: not s.on_homepage)[:max_links]
        max_body = settings.soft_404_max_body_chars

        async def check(link: LinkSeen) -> tuple[str, FetchResult]:
            if link.url in crawled:  # already fetched whole as a page one level down
                return classify(crawled[link.url], max_body, read_body=True), crawled[link.url]
            return await probe(link.url, link.tag in PAGE_TAGS, ctx, max_body)

        outcomes = await asyncio.gather(*(check(s) for s in to_check))
        classes = {s.url: cls for s, (cls, _) in zip(to_check, outcomes)}
        results = {s.url: result for s, (_, result) in zip(to_check, outcomes)}

        findings = self._findings(entry, settings, pages, seen, pages_of, classes, results, home_url)
        by_class = Counter(classes.values())
        internal = sum(1 for url in classes if is_internal(url, home_url))
        figures = {
            "pages_crawled": len(pages),
            "links_found": len(seen),
            "links_checked": len(classes),
            "links_not_checked": len(seen) - len(classes),
            "internal": internal,
            "external": len(classes) - internal,
            "by_class": dict(sorted(by_class.items())),
            "dead": sum(n for cls, n in by_class.items() if cls in DEAD_CLASSES),
            "dead_on_homepage": sum(1 for url, cls in classes.items() if cls in DEAD_CLASSES and home_url in pages_of[url]),
            "rate_limited": by_class.get("rate_limited", 0),
        }
        return self.observation(entry, ctx, figures, findings)

    def _findings(self, entry: Entry, settings: DeadLinksSettings, pages: list[tuple[str, list[Link]]], seen: dict[str, LinkSeen],
                  pages_of: dict[str, list[str]], classes: dict[str, str], results: dict[str, FetchResult],
                  home_url: str) -> list[Finding]:
        """Homepage: each dead link beyond homepage_max_dead; other pages: all dead links of a page
        whose count exceeds other_page_max_dead. One finding per dead URL, located where first met."""
        dead = {url for url, cls in classes.items() if cls in DEAD_CLASSES}
        reported: dict[str, str] = {}
        home_dead = [link.url for link in pages[0][1] if link.url in dead]
        if len(home_dead) > settings.homepage_max_dead:
            for url in home_dead:
                reported[url] = home_url
        for page_url, links in pages[1:]:
            page_dead = [link.url for link in links if link.url in dead]
            if len(page_dead) > settings.other_page_max_dead:
                for url in page_dead:
                    reported.setdefault(url, page_url)
        findings = []
        for url, page_url in reported.items():
            link = seen[url]
            cls = classes[url]
            result = results[url]
            on_home = page_url == home_url
            others = len(set(pages_of[url])) - 1
            location = f"{'首页' if on_home else '页面'} {page_url}" + (f"，链接文字「{link.text}」" if link.text else "")
            if others:
                location += f"（另见 {others} 个页面）"
            seen_as = f"HTTP {result.status}" if result.status else (result.error_detail or cls)
            code = "dead_link_homepage" if on_home else "dead_link_page"
            findings.append(Finding(
                code=code, indicator=self.indicator, severity=self.severity(settings, code),
                message=f"{'首页' if on_home else '其他页面'}链接不可用（{CLASS_LABELS[cls]}）",
                key=url,
                evidence=Evidence(url=url, location=location, snippet=f"{cls}: {seen_as}"[:300]),
            ))
        return sorted(findings, key=lambda f: (f.code, f.key))
