"""网站不更新: the newest dated item on the homepage must be younger than the threshold (2 weeks).

An item without a visible publication date counts as not updated. A homepage that is only a
navigation entry (no dated items at all) is judged by its second-level pages: the registry's columns.
Lists are read as `collector.listing` reads them (Hanweb datastores, dates in URLs, PubDate metas).
When neither the homepage nor any second-level page lists anything at all, there is nothing to
judge: "could not check", not "not updated".
"""
from __future__ import annotations

from dataclasses import dataclass

from collector.checks.base import Check, CheckContext, Code, Settings, register, setting
from collector.freshness import freshness_finding, newest_item
from collector.listing import READ_VIA_WORDS, read_list
from collector.observations import Observation
from collector.registry import Entry


@dataclass(frozen=True)
class HomepageFreshnessSettings(Settings):
    max_age_days: int = setting(14, "最长未更新天数")


@register
class HomepageFreshness(Check[HomepageFreshnessSettings]):
    name = "homepage_freshness"
    title = "首页更新"
    indicator = "网站不更新"
    applies_to = frozenset({"website"})
    settings = HomepageFreshnessSettings
    codes = {"homepage_stale": Code("首页超过规定时间未更新", "veto")}
    figures = {
        "newest_item": "最新信息日期",
        "age_days": "距监测时间（天）",
        "dated_items": "带日期的信息条数",
        "judged_on": "判定依据",
        "read_via": "读取方式",
    }
    figure_values = {"read_via": READ_VIA_WORDS}

    async def observe(self, entry: Entry, ctx: CheckContext) -> Observation:
        settings = self.configured(ctx.profile)
        page = await ctx.fetch(entry.url)
        if not page.ok:
            return self.unreachable(entry, ctx, page)
        home = await read_list(ctx, entry.url, page.text, page.final_url)
        items = list(home.dated)
        listed = len(home.items)
        via = set(home.via)
        source = "首页"
        if not items:
            source = "二级页面"
            for column in getattr(entry, "columns", ()):
                column_page = await ctx.fetch(column.url)
                if column_page.ok:
                    reading = await read_list(ctx, column.url, column_page.text, column_page.final_url)
                    items.extend(reading.dated)
                    listed += len(reading.items)
                    via.update(reading.via)
        if not items and not listed:
            return self.observation(entry, ctx, {"judged_on": source, "dated_items": 0,
                                                 "error": "首页及二级页面均未发现信息列表"}, [], outcome="error")
        newest = newest_item(items)
        figures = {
            "judged_on": source,
            "read_via": sorted(via),
            "dated_items": len(items),
            "newest_item": newest.published.isoformat() if newest else None,
            "age_days": max(0, (ctx.today - newest.published).days) if newest else None,
        }
        finding = freshness_finding(self.indicator, self.severity(settings, "homepage_stale"), "homepage_stale", newest,
                                    ctx.today, settings.max_age_days, entry.url, source)
        return self.observation(entry, ctx, figures, [finding] if finding else [])
