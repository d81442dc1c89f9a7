"""栏目不更新 / 空白栏目: each column's newest item against the age allowed for its type.

Single stale or blank columns are recorded (deduction findings, shown on the scorecard); the veto
applies when their counts reach the profile's thresholds (5 stale news/notice/policy columns, 10
long-term ones, or 5 blank columns). A column whose list we can fetch but not date (see
`collector.listing`) is "could not check", never 栏目不更新; a column listing nothing at all is
空白栏目 whatever its type.
"""
from __future__ import annotations

from collector.checks.base import Check, CheckContext, register
from collector.freshness import freshness_finding
from collector.listing import UNDATED, ListReading, read_list
from collector.observations import Evidence, Finding, Observation
from collector.registry import Column, DisclosureColumn, Entry


def column_state(reading: ListReading) -> str:
    """"ok" (dated items), "blank" (no items at all) or "undated" (items we could not date)."""
    if reading.dated:
        return "ok"
    return "blank" if reading.empty else "undated"


def judged_columns(entry: Entry) -> tuple[Column, ...]:
    """A website's columns; a disclosure column's sub-columns, or its own page judged by its own
    `column_type` when it lists none (DisclosureColumn.freshness_columns)."""
    if isinstance(entry, DisclosureColumn):
        return entry.freshness_columns
    return tuple(getattr(entry, "columns", ()))


@register
class ColumnFreshness(Check):
    name = "column_freshness"
    title = "栏目更新"
    indicator = "栏目不更新"
    applies_to = frozenset({"website", "column"})

    def applies(self, entry: Entry) -> bool:
        return super().applies(entry) and bool(judged_columns(entry))

    async def observe(self, entry: Entry, ctx: CheckContext) -> Observation:
        settings = ctx.profile.check(self.name)
        max_age = settings["max_age_days"]
        long_term = set(settings["long_term_types"])
        findings: list[Finding] = []
        columns: list[dict] = []
        stale = long_stale = blank = unreachable = undated = 0
        for column in judged_columns(entry):
            state, reading = await self._column_state(column, ctx)
            columns.append(state)
            if state["state"] == "unreachable":
                unreachable += 1
                continue
            if state["state"] == "undated":
                undated += 1
                continue
            if state["state"] == "blank":
                blank += 1
                findings.append(Finding(code="column_blank", indicator="空白栏目", severity="deduction",
                                        message=f"栏目“{column.name}”没有内容", key=column.url,
                                        evidence=Evidence(url=column.url, location=column.name)))
                continue
            if column.type not in max_age or reading is None:
                continue
            finding = freshness_finding(self.indicator, "deduction", "column_stale", reading.newest,
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
                   "unreachable": unreachable, "undated": undated, "by_column": columns}
        if findings:
            outcome = "finding"
        elif unreachable + undated < len(columns):
            outcome = "ok"
        else:  # not one column could be judged: could not check, with each column's reason
            outcome = "unreachable" if unreachable == len(columns) else "error"
        return self.observation(entry, ctx, figures, findings, outcome=outcome)

    async def _column_state(self, column: Column, ctx: CheckContext) -> tuple[dict, ListReading | None]:
        """Figures of one column for the observation, and what its list page lists."""
        page = await ctx.fetch(column.url)
        state: dict = {"name": column.name, "type": column.type, "url": column.url}
        if not page.ok:
            return {**state, "state": "unreachable", "error": page.failure}, None
        reading = await read_list(ctx, column.url, page.text, page.final_url)
        kind = column_state(reading)
        if kind == "blank":
            return {**state, "state": "blank"}, reading
        if kind == "undated":
            reason = "；".join([UNDATED, *reading.notes])
            return {**state, "state": "undated", "items": len(reading.items), "error": reason}, reading
        newest = reading.newest
        assert newest is not None
        return {**state, "state": "ok", "items": len(reading.dated), "read_via": list(reading.via),
                "newest": newest.published.isoformat(),
                "age_days": max(0, (ctx.today - newest.published).days)}, reading

    @staticmethod
    def _veto(settings: dict, stale: int, long_stale: int, blank: int) -> str | None:
        if stale >= int(settings["veto_when_stale_columns_at_least"]):
            return f"{stale} 个动态、通知公告、政策文件类栏目未按时更新"
        if long_stale + stale >= int(settings["veto_when_long_term_stale_at_least"]):
            return f"{long_stale + stale} 个应更新栏目长期未更新"
        if blank >= int(settings["veto_when_blank_columns_at_least"]):
            return f"{blank} 个空白栏目"
        return None
