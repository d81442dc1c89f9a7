"""内容不更新 (new media): no post within 2 weeks before the monitoring time is a single veto.

Posts are read from the account's feed (RSS, Atom or JSON Feed, as RSSHub-like bridges serve
them) with feedparser. A feed that cannot be read means "could not be checked", never "not updated".
"""
from __future__ import annotations

import calendar
import json
from dataclasses import dataclass
from datetime import date, datetime

import feedparser

from collector.checks.base import Check, CheckContext, register
from collector.observations import Evidence, Finding, Observation
from collector.periods import CHINA_TZ
from collector.registry import Entry


@dataclass(frozen=True)
class Post:
    published: datetime
    title: str
    link: str


def parse_feed(content: bytes) -> tuple[list[Post], str | None]:
    """Posts with a publication time, newest first, and a parse problem if the feed is not a feed."""
    if content.lstrip()[:1] == b"{":
        return parse_json_feed(content)
    parsed = feedparser.parse(content, sanitize_html=False, resolve_relative_uris=False)  # we keep plain titles and dates
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        return [], f"not a readable feed: {parsed.get('bozo_exception', 'unknown format')}"
    posts = []
    for item in parsed.entries:
        stamp = item.get("published_parsed") or item.get("updated_parsed")
        if stamp is None:
            continue
        when = datetime.fromtimestamp(calendar.timegm(stamp), CHINA_TZ)
        posts.append(Post(when, str(item.get("title", "")).strip()[:200], str(item.get("link", ""))))
    return sorted(posts, key=lambda p: p.published, reverse=True), None


def parse_json_feed(content: bytes) -> tuple[list[Post], str | None]:
    """JSON Feed 1.0/1.1 (feedparser reads only XML feeds)."""
    try:
        data = json.loads(content)
        items = data["items"]
    except (ValueError, KeyError, TypeError) as exc:
        return [], f"not a readable JSON feed: {exc}"
    posts = []
    for item in items if isinstance(items, list) else []:
        stamp = item.get("date_published") or item.get("date_modified") if isinstance(item, dict) else None
        if not stamp:
            continue
        try:
            when = datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
        except ValueError:
            continue
        when = when if when.tzinfo else when.replace(tzinfo=CHINA_TZ)
        posts.append(Post(when.astimezone(CHINA_TZ), str(item.get("title", "")).strip()[:200], str(item.get("url", ""))))
    return sorted(posts, key=lambda p: p.published, reverse=True), None


def posts_until(posts: list[Post], as_of: datetime) -> list[Post]:
    return [p for p in posts if p.published <= as_of]


@register
class NewMediaFreshness(Check):
    name = "newmedia_freshness"
    title = "新媒体更新"
    indicator = "内容不更新"
    applies_to = frozenset({"account"})

    async def observe(self, entry: Entry, ctx: CheckContext) -> Observation:
        settings = ctx.profile.check(self.name)
        feed = await ctx.fetch(entry.url)
        if not feed.ok:
            return self.observation(entry, ctx, {"error": feed.error or f"HTTP {feed.status}"}, [],
                                    outcome="unreachable")
        posts, problem = parse_feed(feed.content)
        if problem:
            return self.observation(entry, ctx, {"error": problem}, [], outcome="error")
        posts = posts_until(posts, ctx.as_of)
        newest = posts[0] if posts else None
        age = (ctx.today - newest.published.date()).days if newest else None
        figures = {
            "posts_in_feed": len(posts),
            "newest_post": newest.published.isoformat() if newest else None,
            "age_days": age,
            "posts_last_7_days": sum(1 for p in posts if (ctx.today - p.published.date()).days < 7),
            "posts_last_14_days": sum(1 for p in posts if (ctx.today - p.published.date()).days < 14),
        }
        findings = freshness_findings(entry.url, newest, ctx.today, int(settings["max_age_days"]),
                                      int(settings["deduction_age_days"]), settings["severity"])
        return self.observation(entry, ctx, figures, findings)


def freshness_findings(url: str, newest: Post | None, today: date, max_age_days: int,
                       deduction_age_days: int, severity: str) -> list[Finding]:
    snippet = f"{newest.published.date().isoformat()} {newest.title}" if newest else ""
    evidence = Evidence(url=url, location="最新发布", snippet=snippet)
    if newest is None:
        return [Finding("account_stale", "内容不更新", severity, "订阅源中没有任何带日期的发布",  # type: ignore[arg-type]
                        key="stale", evidence=evidence)]
    age = (today - newest.published.date()).days
    if age > max_age_days:
        return [Finding("account_stale", "内容不更新", severity,  # type: ignore[arg-type]
                        f"监测时间前 {max_age_days} 天内无更新（最新发布于 {newest.published.date().isoformat()}，"
                        f"已 {age} 天）", key="stale", evidence=evidence)]
    if age > deduction_age_days:
        return [Finding("account_slow", "更新频率", "deduction",
                        f"{deduction_age_days} 天内无更新（已 {age} 天）", key="slow", evidence=evidence)]
    return []
