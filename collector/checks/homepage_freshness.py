"""网站不更新: the newest dated item on the homepage must be younger than the threshold (2 weeks).

An item without a visible publication date counts as not updated. A homepage that is only a
navigation entry (no dated items at all) is judged by its second-level pages: the registry's columns.
"""
from __future__ import annotations

from datetime import date

from collector.checks.base import Check, CheckContext, register
from collector.html import DatedItem, dated_items, parse
from collector.observations import Evidence, Finding, Observation
from collector.registry import Entry


def newest_item(items: list[DatedItem]) -> DatedItem | None:
    return max(items, key=lambda item: (item.published, item.title), default=None)


def _dated(html: str, url: str, today: date) -> list[DatedItem]:
    """Parse and date a page's items: CPU work, run off the event loop (ctx.run_cpu)."""
    return dated_items(parse(html), url, today)


def freshness_finding(indicator: str, severity: str, code: str, newest: DatedItem | None, today: date,
                      max_age_days: int, url: str, location: str) -> Finding | None:
    """A finding when the newest item is older than max_age_days (or there is none)."""
    if newest is None:
        return Finding(code=code, indicator=indicator, severity=severity,  # type: ignore[arg-type]
                       message="未发现带发布日期的信息（无日期视为未更新）", key=url,
                       evidence=Evidence(url=url, location=location))
    age = (today - newest.published).days
    if age <= max_age_days:
        return None
    return Finding(code=code, indicator=indicator, severity=severity,  # type: ignore[arg-type]
                   message=f"最新信息发布于 {newest.published.isoformat()}，已 {age} 天未更新（阈值 {max_age_days} 天）",
                   key=url, evidence=Evidence(url=url, location=location,
                                              snippet=f"{newest.published.isoformat()} {newest.title}"))


@register
class HomepageFreshness(Check):
    name = "homepage_freshness"
    title = "首页更新"
    indicator = "网站不更新"
    applies_to = frozenset({"website"})

    async def observe(self, entry: Entry, ctx: CheckContext) -> Observation:
        settings = ctx.profile.check(self.name)
        page = await ctx.fetch(entry.url)
        if not page.ok:
            return self.unreachable(entry, ctx, page)
        items = await ctx.run_cpu(_dated, page.text, page.url, ctx.today)
        source = "首页"
        if not items:
            source = "二级页面"
            for column in getattr(entry, "columns", ()):
                column_page = await ctx.fetch(column.url)
                if column_page.ok:
                    items.extend(await ctx.run_cpu(_dated, column_page.text, column.url, ctx.today))
        newest = newest_item(items)
        figures = {
            "judged_on": source,
            "dated_items": len(items),
            "newest_item": newest.published.isoformat() if newest else None,
            "age_days": (ctx.today - newest.published).days if newest else None,
        }
        finding = freshness_finding(self.indicator, settings["severity"], "homepage_stale", newest, ctx.today,
                                    int(settings["max_age_days"]), entry.url, source)
        return self.observation(entry, ctx, figures, [finding] if finding else [])
