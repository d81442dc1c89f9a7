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
import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

from collector.checks.base import Check, CheckContext, Code, Settings, register, setting
from collector.checks.common import LINK_CLASS_LABELS
from collector.fetch import FetchResult
from collector.html import Link, extract_links, parse
from collector.links import DEAD_CLASSES, classify, is_internal, probe
from collector.observations import Evidence, Finding, Observation
from collector.registry import Entry

#: Tags whose target a visitor reads as a page, so its body is fetched to see a soft 404.
PAGE_TAGS = frozenset({"a", "area", "iframe", "frame"})
#: Pages one level down are crawled only if they look like HTML pages, not downloads.
_DOWNLOAD = re.compile(r"\.(pdf|docx?|xlsx?|pptx?|wps|zip|rar|7z|jpe?g|png|gif|bmp|mp4|mp3|avi|flv|exe|apk)$", re.I)


@dataclass(frozen=True)
class LinkSeen:
    """A link and where a visitor meets it first (page and link text), plus how often."""

    url: str
    tag: str
    page: str
    text: str
    on_homepage: bool


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
        **LINK_CLASS_LABELS,
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
        home_links = await ctx.run_cpu(_links, home.text, home_url, size=len(home.content))
        section = _section(home_url, entry.kind)
        subpages = [link.url for link in home_links if _crawlable(link, section) and link.url != home_url]
        subpages = list(dict.fromkeys(subpages))[: settings.max_pages]
        pages: list[tuple[str, list[Link]]] = [(home_url, home_links)]
        crawled: dict[str, FetchResult] = {}
        for url, result in zip(subpages, await asyncio.gather(*(ctx.fetch(u) for u in subpages))):
            crawled[url] = result
            if result.ok and "html" in result.content_type.lower():
                pages.append((url, await ctx.run_cpu(_links, result.text, result.final_url or url,
                                                           size=len(result.content))))

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
                message=f"{'首页' if on_home else '其他页面'}链接不可用（{LINK_CLASS_LABELS[cls]}）",
                key=url,
                evidence=Evidence(url=url, location=location, snippet=f"{cls}: {seen_as}"[:300]),
            ))
        return sorted(findings, key=lambda f: (f.code, f.key))
