"""转载与原文不符: an article that names its source (来源：/转载自：/原文链接 with a link) must say
what the source says.

Articles are the dated items of the homepage and of the entry's column list pages (bounded per
round). For each one that links its source, both pages' main text is extracted and compared
sentence by sentence after normalisation (collector.text_compare), so the same text in another
template is not a finding, while a changed number or a dropped sentence is, with a plain-text diff
as evidence. A source that cannot be fetched or read is counted as "could not be checked".
"""
from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import lxml.html

from collector.checks.base import Check, CheckContext, Code, Settings, register, setting
from collector.text_compare import compare_texts, main_text, sentences
from collector.html import dated_items, normalise_url, page_base, parse
from collector.links import is_internal
from collector.observations import Evidence, Finding, Observation
from collector.registry import Entry

SOURCE_MARKER = re.compile(r"(来源|文章来源|信息来源|稿件来源|转载自|转自|原文链接|原文地址|出处)\s*[：:]?\s*$")
SOURCE_ANCHOR = re.compile(r"原文链接|查看原文|阅读原文|原文地址")


@dataclass(frozen=True)
class SourceLink:
    url: str
    seen: str   # the marker and link text as the page shows them: 来源：农业农村部网站


def find_source(tree: lxml.html.HtmlElement, page_url: str) -> SourceLink | None:
    """The link an article gives for its source: an anchor right after 来源： / 转载自： / 原文链接：,
    or an anchor reading 原文链接. Links back to the article itself do not count."""
    base = page_base(tree, page_url)
    here = normalise_url(page_url)
    for anchor in tree.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        text = " ".join(anchor.text_content().split())
        before = " ".join("".join(anchor.xpath("preceding::text()[position()<=3]")).split())
        if not (SOURCE_ANCHOR.search(text) or SOURCE_MARKER.search(before)):
            continue
        url = normalise_url(urljoin(base, href))
        if urlsplit(url).scheme not in ("http", "https") or url == here:
            continue
        marker = SOURCE_MARKER.search(before)
        return SourceLink(url, f"{marker.group(0).strip() if marker else ''}{text}"[:200])
    return None


@dataclass(frozen=True)
class ReprintSettings(Settings):
    max_articles: int = setting(40, "每次检查的文章数上限")
    max_snippet_chars: int = setting(1500, "差异摘录长度上限（字）")


@register
class Reprint(Check[ReprintSettings]):
    name = "reprint"
    title = "转载与原文一致"
    indicator = "转载与原文不符"
    applies_to = frozenset({"website", "column"})
    cadence = "weekly"  # crawls many pages: weekly by default (the indicators allow daily or weekly)
    settings = ReprintSettings
    codes = {"reprint_differs": Code("转载文章与原文内容不符", "veto")}
    figures = {
        "articles_examined": "检查文章数",
        "reprints_with_source_link": "注明来源链接的转载",
        "compared": "已比对文章数",
        "could_not_check": "未能检查",
        "could_not_check_sources": "原文无法获取",
        "differing": "与原文不符",
        # written by earlier versions of this check; older data files still show them
        "matches": "命中数",
        "pages_scanned": "检查页面数",
    }

    async def observe(self, entry: Entry, ctx: CheckContext) -> Observation:
        settings = self.configured(ctx.profile)
        home = await ctx.fetch(entry.url)
        if not home.ok:
            return self.unreachable(entry, ctx, home)
        articles = await self._articles(entry, ctx, home.text, home.final_url or entry.url,
                                        settings.max_articles)
        pages = await asyncio.gather(*(ctx.fetch(url) for url in articles))
        reprints: list[tuple[str, str, SourceLink]] = []
        for url, page in zip(articles, pages):
            if page.ok:
                tree = await ctx.run_cpu(parse, page.text, size=len(page.content))
                source = find_source(tree, page.final_url or url)
                if source is not None:
                    reprints.append((url, page.text, source))
        sources = await asyncio.gather(*(ctx.fetch(source.url) for _, _, source in reprints))

        findings: list[Finding] = []
        could_not_check: list[str] = []
        compared = 0
        for (url, html, source), fetched in zip(reprints, sources):
            source_sentences = sentences(main_text(fetched.text)) if fetched.ok else []
            if not source_sentences:
                could_not_check.append(source.url)
                continue
            compared += 1
            comparison = compare_texts(source_sentences, sentences(main_text(html)))
            if comparison.identical:
                continue
            title = " ".join(parse(html).xpath("string(//title)").split())[:80]
            findings.append(Finding(
                code="reprint_differs", indicator=self.indicator, severity=self.severity(settings, "reprint_differs"),
                message=f"转载文章「{title}」与原文不符：{comparison.summary()}",
                key=url,
                evidence=Evidence(url=url, location=f"{source.seen}（原文 {source.url}）",
                                  snippet=comparison.diff_snippet(settings.max_snippet_chars)),
            ))
        figures = {
            "articles_examined": sum(1 for page in pages if page.ok),
            "reprints_with_source_link": len(reprints),
            "compared": compared,
            "could_not_check": len(could_not_check),
            "could_not_check_sources": could_not_check[:20],
            "differing": len(findings),
        }
        return self.observation(entry, ctx, figures, findings)

    async def _articles(self, entry: Entry, ctx: CheckContext, home_html: str, home_url: str,
                        limit: int) -> list[str]:
        """Dated items of the homepage and of the column list pages on the entry's own site, newest first."""
        lists = [(home_url, home_html)]
        column_urls = [column.url for column in getattr(entry, "columns", ())]
        for url, page in zip(column_urls, await asyncio.gather(*(ctx.fetch(u) for u in column_urls))):
            if page.ok:
                lists.append((page.final_url or url, page.text))
        items = []
        for list_url, html in lists:
            items += [item for item in dated_items(parse(html), list_url, ctx.today) if is_internal(item.url, home_url)]
        items.sort(key=lambda item: item.published, reverse=True)
        skip = {normalise_url(home_url), *(normalise_url(u) for u in column_urls)}
        return [url for url in dict.fromkeys(item.url for item in items) if url not in skip][:limit]
