"""What new-media accounts publish: posts whose link a reader cannot open (链接不可用, a deduction),
personal data (个人信息泄露) and serious wording errors or typos (严重表述错误 / 错别字) in a post's
title and text.

Each daily round reads the account's feed (the same fetch the freshness check makes) and checks the
posts of the `window_hours` before it, so every post is checked in two daily rounds and one missed
round loses nothing. Links are classified by the dead-links check's own probe (HEAD, then GET for the
page body: soft 404 seen, a rate-limited answer never counted as dead); text is read by the same
detectors as the website content checks, so a post and a web page are judged alike. A feed that
cannot be read is "could not be checked", never a pass or a fail.
"""
from __future__ import annotations

import asyncio
import hashlib
from collections import Counter
from datetime import timedelta

from dataclasses import dataclass

from collector.checks.base import Check, CheckContext, Code, Settings, register, setting
from collector.checks.common import LINK_CLASS_LABELS, PII_CODES, PII_LABELS, WORDING_CODES, WORDING_INDICATORS
from collector.document_findings import leak_findings, wording_findings
from collector.feeds import Post, posts_until, read_feed, short_title
from collector.fetch import FetchResult
from collector.links import DEAD_CLASSES, probe
from collector.observations import Evidence, Finding, Observation, Severity
from collector.text.extract import Document, Part
from collector.text.lexicon import load_lexicon
from collector.text.pii import PII_KINDS
from collector.registry import Entry


@dataclass(frozen=True)
class NewMediaPostsSettings(Settings):
    window_hours: int = setting(48, "检查最近多少小时的发布（小时）")
    max_posts: int = setting(40, "每次检查的发布数上限")
    severity_dead_link: Severity = setting("deduction", "发布链接不可用的判定")
    severity_pii: Severity = setting("veto", "个人信息泄露的判定")
    severity_serious: Severity = setting("veto", "严重表述错误的判定")
    severity_typo: Severity = setting("deduction", "错别字的判定")
    soft_404_max_body_chars: int = setting(2000, "“软 404”页面正文长度上限（字）")


@register
class NewMediaPosts(Check[NewMediaPostsSettings]):
    name = "newmedia_posts"
    title = "新媒体发布内容"
    indicator = "发布内容"
    applies_to = frozenset({"account"})
    settings = NewMediaPostsSettings
    codes = {"post_link_dead": Code("发布内容的链接无法打开", "deduction"), **PII_CODES, **WORDING_CODES}
    figures = {
        "posts_checked": "检查发布数",
        "posts_without_link": "无链接的发布数",
        "links_checked": "检查链接数",
        "by_class": "按结果分类",
        "dead": "不可用链接数",
        "rate_limited": "被限流（不计为不可用）",
        "matches": "命中数",
        **LINK_CLASS_LABELS,
        **PII_LABELS,
        **WORDING_INDICATORS,
    }

    async def observe(self, entry: Entry, ctx: CheckContext) -> Observation:
        settings = self.configured(ctx.profile)
        feed = await read_feed(entry.url, ctx)
        if not feed.fetched.ok:
            return self.unreachable(entry, ctx, feed.fetched)
        if feed.problem:
            return self.observation(entry, ctx, {"error": feed.problem}, [], outcome="error")
        since = ctx.as_of - timedelta(hours=settings.window_hours)
        recent = [p for p in posts_until(feed.posts, ctx.as_of) if p.published > since][: settings.max_posts]
        links = list(dict.fromkeys(p.link for p in recent if p.link))
        max_body = settings.soft_404_max_body_chars
        probed = dict(zip(links, await asyncio.gather(*(probe(link, True, ctx, max_body) for link in links))))

        findings = dead_post_findings(recent, probed, settings.severity_dead_link)
        documents = [post_document(p) for p in recent if p.link]
        leaks, pii_counts = leak_findings(documents, ctx.today, settings.severity_pii, "个人信息泄露", PII_LABELS)
        wording, wording_counts = wording_findings(documents, load_lexicon(), {
            "serious": settings.severity_serious, "typo": settings.severity_typo}, WORDING_INDICATORS)
        findings += leaks + wording
        by_class = Counter(cls for cls, _ in probed.values())
        figures = {
            "posts_checked": len(recent),
            "posts_without_link": sum(1 for p in recent if not p.link),
            "links_checked": len(probed),
            "by_class": dict(sorted(by_class.items())),
            "dead": sum(n for cls, n in by_class.items() if cls in DEAD_CLASSES),
            "rate_limited": by_class.get("rate_limited", 0),
            "matches": {**{kind: pii_counts.get(kind, 0) for kind in PII_KINDS},
                        **{severity: wording_counts.get(severity, 0) for severity in WORDING_INDICATORS}},
        }
        return self.observation(entry, ctx, figures, findings)


def where(post: Post) -> str:
    """How a finding names a post: its time and a short, masked title."""
    return f"{post.published:%Y-%m-%d %H:%M} 发布「{short_title(post.title)}」"


def post_document(post: Post) -> Document:
    """A post as the content detectors read a page: its title and its text, located by the post."""
    return Document(url=post.link, kind="page",
                    parts=(Part(f"{where(post)}的标题", post.title), Part(f"{where(post)}的正文", post.summary)))


def dead_post_findings(posts: list[Post], probed: dict[str, tuple[str, FetchResult]], severity: Severity) -> list[Finding]:
    """One finding per post link a reader cannot open; the key is the link, stable across rounds."""
    findings = []
    reported: set[str] = set()
    for post in posts:
        if post.link not in probed or probed[post.link][0] not in DEAD_CLASSES or post.link in reported:
            continue
        reported.add(post.link)
        cls, result = probed[post.link]
        seen_as = f"HTTP {result.status}" if result.status else (result.error_detail or cls)
        findings.append(Finding(
            code="post_link_dead", indicator="链接不可用", severity=severity,
            message=f"发布内容的链接无法打开（{LINK_CLASS_LABELS[cls]}）",
            key=hashlib.sha256(post.link.encode()).hexdigest()[:16],
            evidence=Evidence(url=post.link, location=where(post), snippet=f"{cls}: {seen_as}"[:300]),
        ))
    return findings
