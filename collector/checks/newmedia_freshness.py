"""内容不更新 (new media): no post within 2 weeks before the monitoring time is a single veto;
更新频率: no post within 1 week, at the monitoring time or anywhere in the period, deducts.

Posts are read from the account's feed (RSS, Atom or JSON Feed, as RSSHub-like bridges serve
them) with feedparser. A feed that cannot be read means "could not be checked", never "not updated".

A feed lists only its newest posts (RSSHub: 20), so a single reading cannot tell how often an
account posted over a quarter. Each observation therefore keeps the posts of the `history_hours`
before the round (time, link, a short masked title) plus the newest post, and says from when that
list is complete (`history_from`). A missed round loses nothing as long as rounds are less than
`history_hours` apart; where they are further apart the history has a hole, and no gap is judged
across a hole (an unseen stretch is not evidence of silence).
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from collector.checks.base import Check, CheckContext, Code, Settings, register, setting
from collector.feeds import Post, posts_until, read_feed, short_title
from collector.observations import Evidence, Finding, JudgedFinding, Observation, Severity, merge_findings
from collector.periods import CHINA_TZ, Period
from collector.profile import Profile
from collector.registry import Entry


@dataclass(frozen=True)
class NewMediaFreshnessSettings(Settings):
    max_age_days: int = setting(14, "最长未更新天数")
    deduction_age_days: int = setting(7, "超过此天数未更新即扣分")
    history_hours: int = setting(48, "每次保留此前多少小时的发布（小时）")


@register
class NewMediaFreshness(Check[NewMediaFreshnessSettings]):
    name = "newmedia_freshness"
    title = "新媒体内容更新"
    indicator = "内容不更新"
    applies_to = frozenset({"account"})
    settings = NewMediaFreshnessSettings
    codes = {
        "account_stale": Code("监测时间前 2 周内无更新", "veto"),
        "account_slow": Code("监测时 1 周内无更新", "deduction"),
        "account_gap": Code("本期发布记录中超过 1 周无更新", "deduction"),
    }
    figures = {
        "posts_in_feed": "订阅源中的发布数",
        "newest_post": "最新发布日期",
        "age_days": "距监测时间（天）",
        "posts_last_7_days": "近 7 天发布数",
        "posts_last_14_days": "近 14 天发布数",
        "history_from": "发布记录起",
        "recent_posts": "近期发布",
        "title": "标题", "link": "链接", "published": "发布时间",  # a recent post's columns
        "posts_in_period": "本期发布数",
        "weeks_counted": "统计周数",
        "posts_per_week_min": "每周发布数最少",
        "posts_per_week_median": "每周发布数中位数",
        "longest_gap_days": "最长未更新间隔（天）",
        "longest_gap_from": "最长间隔起",
        "longest_gap_to": "最长间隔止",
    }

    async def observe(self, entry: Entry, ctx: CheckContext) -> Observation:
        settings = self.configured(ctx.profile)
        feed = await read_feed(entry.url, ctx)
        if not feed.fetched.ok:
            return self.unreachable(entry, ctx, feed.fetched)
        if feed.problem:
            return self.observation(entry, ctx, {"error": feed.problem}, [], outcome="error")
        posts = posts_until(feed.posts, ctx.as_of)
        newest = posts[0] if posts else None
        age = (ctx.today - newest.published.date()).days if newest else None
        kept, complete_from = history(posts, ctx.as_of, settings.history_hours)
        figures = {
            "posts_in_feed": len(posts),
            "newest_post": newest.published.isoformat() if newest else None,
            "age_days": age,
            "posts_last_7_days": sum(1 for p in posts if (ctx.today - p.published.date()).days < 7),
            "posts_last_14_days": sum(1 for p in posts if (ctx.today - p.published.date()).days < 14),
            "history_from": complete_from.isoformat(),
            "recent_posts": [{"published": p.published.isoformat(), "link": p.link, "title": short_title(p.title)}
                             for p in kept],
        }
        findings = freshness_findings(entry.url, newest, ctx.today, settings.max_age_days,
                                      settings.deduction_age_days, self.severity(settings, "account_stale"))
        return self.observation(entry, ctx, figures, findings)

    def judge(self, entry: Entry, observations: list[Observation], period: Period,
              profile: Profile) -> list[JudgedFinding]:
        """The findings of the rounds, plus one deduction per gap in the period's post history
        longer than `deduction_age_days` (judged even on days no round ran, if the history covers them)."""
        threshold = self.configured(profile).deduction_age_days
        gaps = [g for g in PostHistory.of(observations).gaps() if g.end_date >= period.start and g.days > threshold]
        readable = sorted(o.at for o in observations if "history_from" in o.figures)
        judged = [gap_finding(entry.url, gap, threshold, readable, self.name) for gap in gaps]
        return sorted(merge_findings(self.name, observations) + judged,
                      key=lambda j: (j.first_seen, j.finding.code, j.finding.key))

    def period_figures(self, observations: list[Observation], profile: Profile) -> dict:
        """The latest round's newest post and age, and the period's post history: posts in the
        quarter, posts per whole week counted back from the latest round (weeks the history covers),
        and the longest covered gap between posts (an open gap runs to the latest round)."""
        latest = max(observations, key=lambda o: o.at, default=None)
        read = max((o for o in observations if "newest_post" in o.figures), key=lambda o: o.at, default=None)
        if latest is None or read is None:
            return dict(latest.figures) if latest else {}  # no round could read the feed: say why
        period = Period.containing(latest.at.astimezone(CHINA_TZ).date())
        known = PostHistory.of(observations)
        weekly = known.weekly_counts(period)
        longest = max(known.gaps(), key=lambda g: (g.days, g.start), default=None)
        return {
            "newest_post": read.figures["newest_post"],
            "age_days": read.figures.get("age_days"),
            "posts_in_period": sum(1 for p in known.posts if period.start <= p.published.date() <= period.end),
            "weeks_counted": len(weekly),
            "posts_per_week_min": min(weekly) if weekly else None,
            "posts_per_week_median": statistics.median(weekly) if weekly else None,
            "longest_gap_days": longest.days if longest else None,
            "longest_gap_from": longest.start.isoformat() if longest else None,
            "longest_gap_to": longest.end.isoformat() if longest and longest.closed else None,
        }


def history(posts: list[Post], as_of: datetime, hours: int) -> tuple[list[Post], datetime]:
    """The posts an observation keeps (newest first) and the time from which they are complete.

    Kept: every post of the last `hours`, and the newest post even if older (it bounds the silence
    since). Complete from: the window's start, or the oldest post in the feed if the feed holds no
    older post (a feed of the newest 20 may have cut the window short), or the newest post if that
    is older than the window (nothing was posted between it and the round).
    """
    window_start = as_of - timedelta(hours=hours)
    kept = [p for p in posts if p.published >= window_start]
    if posts and len(kept) == len(posts):
        window_start = posts[-1].published
    if posts and not kept:
        return posts[:1], posts[0].published
    return kept, window_start


@dataclass(frozen=True)
class KnownPost:
    published: datetime
    link: str
    title: str


@dataclass(frozen=True)
class Gap:
    """Time between two consecutive posts; open (`closed` False) when it runs to the latest round."""

    start: datetime
    end: datetime
    closed: bool
    first: KnownPost
    last: KnownPost | None

    @property
    def days(self) -> int:
        """Calendar days, as age_days counts them: the largest age the account reached in the gap."""
        return (self.end_date - self.start.astimezone(CHINA_TZ).date()).days

    @property
    def end_date(self) -> date:
        return self.end.astimezone(CHINA_TZ).date()


@dataclass(frozen=True)
class PostHistory:
    """The posts the observations of a period kept, unioned by link, and the spans they cover completely."""

    posts: tuple[KnownPost, ...]            # oldest first
    covered: tuple[tuple[datetime, datetime], ...]  # merged, time order
    latest_round: datetime | None

    @classmethod
    def of(cls, observations: list[Observation]) -> "PostHistory":
        by_link: dict[str, KnownPost] = {}
        spans: list[tuple[datetime, datetime]] = []
        readable = [o for o in observations if "history_from" in o.figures]
        for obs in readable:
            spans.append((datetime.fromisoformat(obs.figures["history_from"]), obs.at))
            for raw in obs.figures.get("recent_posts") or []:
                post = KnownPost(datetime.fromisoformat(raw["published"]), raw.get("link", ""), raw.get("title", ""))
                by_link.setdefault(post.link or f"{raw['published']}|{post.title}", post)
        merged: list[tuple[datetime, datetime]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        return cls(tuple(sorted(by_link.values(), key=lambda p: (p.published, p.link))), tuple(merged),
                   max((o.at for o in readable), default=None))

    def covers(self, start: datetime, end: datetime) -> bool:
        return any(s <= start and end <= e for s, e in self.covered)

    def gaps(self) -> list["Gap"]:
        """Gaps between consecutive known posts, and the open one to the latest round, where covered."""
        result = [Gap(a.published, b.published, True, a, b) for a, b in zip(self.posts, self.posts[1:])
                  if self.covers(a.published, b.published)]
        if self.posts and self.latest_round and self.covers(self.posts[-1].published, self.latest_round):
            result.append(Gap(self.posts[-1].published, self.latest_round, False, self.posts[-1], None))
        return result

    def weekly_counts(self, period: Period) -> list[int]:
        """Posts in each whole week back from the latest round, within the period and the covered spans."""
        if self.latest_round is None:
            return []
        period_start = datetime.combine(period.start, time(0), CHINA_TZ)
        counts = []
        end = self.latest_round
        while end - timedelta(days=7) >= period_start and self.covers(end - timedelta(days=7), end):
            start = end - timedelta(days=7)
            counts.append(sum(1 for p in self.posts if start < p.published <= end))
            end = start
        return counts[::-1]


def gap_finding(url: str, gap: Gap, threshold: int, rounds: list[datetime], check: str) -> JudgedFinding:
    """First seen: the moment the silence passed the threshold; last seen: the post that ended it,
    or the latest round if it has not ended. Counted: the rounds in between."""
    breach = datetime.combine(gap.start.astimezone(CHINA_TZ).date() + timedelta(days=threshold + 1), time(0), CHINA_TZ)
    ended = f"至 {gap.end_date.isoformat()} 再次发布" if gap.closed else f"至监测时 {gap.end_date.isoformat()} 仍未发布"
    snippet = f"{gap.first.published.date().isoformat()} {gap.first.title}"
    if gap.last is not None:
        snippet += f" → {gap.last.published.date().isoformat()} {gap.last.title}"
    finding = Finding("account_gap", "更新频率", "deduction",
                      f"{gap.start.astimezone(CHINA_TZ).date().isoformat()} 发布后 {gap.days} 天无更新（超过 {threshold} 天），{ended}",
                      key=f"gap:{gap.start.isoformat()}",
                      evidence=Evidence(url=url, location="发布间隔", snippet=snippet))
    seen = sum(1 for at in rounds if breach <= at <= gap.end)
    return JudgedFinding(check, finding, breach, gap.end, max(seen, 1))


def freshness_findings(url: str, newest: Post | None, today: date, max_age_days: int,
                       deduction_age_days: int, severity: Severity) -> list[Finding]:
    snippet = f"{newest.published.date().isoformat()} {short_title(newest.title)}" if newest else ""
    evidence = Evidence(url=url, location="最新发布", snippet=snippet)
    if newest is None:
        return [Finding("account_stale", "内容不更新", severity, "订阅源中没有任何带日期的发布",
                        key="stale", evidence=evidence)]
    age = (today - newest.published.date()).days
    if age > max_age_days:
        return [Finding("account_stale", "内容不更新", severity,
                        f"监测时间前 {max_age_days} 天内无更新（最新发布于 {newest.published.date().isoformat()}，"
                        f"已 {age} 天）", key="stale", evidence=evidence)]
    if age > deduction_age_days:
        return [Finding("account_slow", "更新频率", "deduction",
                        f"{deduction_age_days} 天内无更新（已 {age} 天）", key="slow", evidence=evidence)]
    return []
