"""栏目不更新 / 空白栏目: each column's newest item against the age allowed for its type.

Single stale or blank columns are recorded (deduction findings, shown on the scorecard); the veto
applies when their counts reach the profile's thresholds (5 stale news/notice/policy columns, 10
long-term ones, or 5 blank columns).
"""
from __future__ import annotations

from collector.checks.base import Check, CheckContext, register
from collector.checks.homepage_freshness import freshness_finding, newest_item
from collector.html import DatedItem, dated_items, parse
from collector.observations import Evidence, Finding, Observation
from collector.registry import Column, Entry


def is_blank(items: int, links: int) -> bool:
    """A column with no content: no dated items and no article links on its page."""
    return items == 0 and links == 0


@register
class ColumnFreshness(Check):
    name = "column_freshness"
    title = "栏目更新"
    indicator = "栏目不更新"
    applies_to = frozenset({"website", "column"})

    def applies(self, entry: Entry) -> bool:
        return super().applies(entry) and bool(getattr(entry, "columns", ()))

    async def observe(self, entry: Entry, ctx: CheckContext) -> Observation:
        settings = ctx.profile.check(self.name)
        max_age = settings["max_age_days"]
        long_term = set(settings["long_term_types"])
        findings: list[Finding] = []
        columns: list[dict] = []
        stale = long_stale = blank = unreachable = 0
        for column in entry.columns:  # type: ignore[union-attr]
            state, newest = await self._column_state(column, ctx)
            columns.append(state)
            if state["state"] == "unreachable":
                unreachable += 1
                continue
            if state["state"] == "blank":
                blank += 1
                findings.append(Finding(code="column_blank", indicator="空白栏目", severity="deduction",
                                        message=f"栏目“{column.name}”没有内容", key=column.url,
                                        evidence=Evidence(url=column.url, location=column.name)))
                continue
            if column.type not in max_age:
                continue
            finding = freshness_finding(self.indicator, "deduction", "column_stale", newest,
                                        ctx.today, int(max_age[column.type]), column.url,
                                        f"{column.name}（{column.type}）")
            if finding:
                findings.append(finding)
                if column.type in long_term:
                    long_stale += 1
                else:
                    stale += 1
        veto = self._veto(settings, stale, long_stale, blank)
        if veto:
            findings.insert(0, Finding(code="columns_not_updated", indicator=self.indicator,
                                       severity=settings["severity"], message=veto, key="columns",
                                       evidence=Evidence(url=entry.url, location="栏目")))
        figures = {"columns": len(columns), "stale": stale, "long_term_stale": long_stale, "blank": blank,
                   "unreachable": unreachable, "by_column": columns}
        outcome = "finding" if findings else ("unreachable" if unreachable == len(columns) else "ok")
        return self.observation(entry, ctx, figures, findings, outcome=outcome)

    async def _column_state(self, column: Column, ctx: CheckContext) -> tuple[dict, DatedItem | None]:
        """Figures of one column for the observation, and its newest dated item."""
        page = await ctx.fetch(column.url)
        state: dict = {"name": column.name, "type": column.type, "url": column.url}
        if not page.ok:
            return {**state, "state": "unreachable", "error": page.failure}, None
        tree = await ctx.run_cpu(parse, page.text)
        items = dated_items(tree, page.url, ctx.today)
        newest = newest_item(items)
        if is_blank(len(items), len(tree.xpath("//li//a[@href]|//td//a[@href]"))):
            return {**state, "state": "blank"}, None
        return {**state, "state": "ok", "items": len(items),
                "newest": newest.published.isoformat() if newest else None,
                "age_days": (ctx.today - newest.published).days if newest else None}, newest

    @staticmethod
    def _veto(settings: dict, stale: int, long_stale: int, blank: int) -> str | None:
        if stale >= int(settings["veto_when_stale_columns_at_least"]):
            return f"{stale} 个动态、通知公告、政策文件类栏目未按时更新"
        if long_stale + stale >= int(settings["veto_when_long_term_stale_at_least"]):
            return f"{long_stale + stale} 个应更新栏目长期未更新"
        if blank >= int(settings["veto_when_blank_columns_at_least"]):
            return f"{blank} 个空白栏目"
        return None
