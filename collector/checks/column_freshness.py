"""栏目不更新 / 空白栏目: each column's newest item against the age allowed for its type.

Single stale or blank columns are recorded (deduction findings, shown on the scorecard); the veto
applies when their counts reach the profile's thresholds (5 stale news/notice/policy columns, 10
long-term ones, or 5 blank columns). A column whose list we can fetch but not date (see
`collector.listing`) is "could not check", never 栏目不更新; a column listing nothing at all is
空白栏目 whatever its type.
"""
from __future__ import annotations

from dataclasses import dataclass

from collector.checks.base import Check, CheckContext, Code, Settings, register, setting
from collector.freshness import freshness_finding
from collector.listing import READ_VIA_WORDS, UNDATED, ListReading, read_list
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


@dataclass(frozen=True)
class ColumnFreshnessSettings(Settings):
    max_age_days: dict[str, int] = setting({"要闻动态": 14, "工作动态": 14, "通知公告": 183, "政策文件": 183,
                                            "人事信息": 365, "规划计划": 365}, "最长未更新天数")
    long_term_types: list[str] = setting(["人事信息", "规划计划"], "长期类栏目")
    veto_when_stale_columns_at_least: int = setting(5, "不更新栏目达到此数即否决")
    veto_when_long_term_stale_at_least: int = setting(10, "长期不更新栏目达到此数即否决")
    veto_when_blank_columns_at_least: int = setting(5, "空白栏目达到此数即否决")


@register
class ColumnFreshness(Check[ColumnFreshnessSettings]):
    name = "column_freshness"
    title = "栏目更新"
    indicator = "栏目不更新"
    applies_to = frozenset({"website", "column"})
    settings = ColumnFreshnessSettings
    codes = {
        "columns_not_updated": Code("不更新或空白栏目数量达到否决线", "veto"),
        "column_stale": Code("栏目未按时更新", "deduction"),
        "column_blank": Code("空白栏目", "deduction"),
    }
    figures = {
        "columns": "栏目数",
        "stale": "未按时更新栏目数",
        "long_term_stale": "长期不更新栏目数",
        "blank": "空白栏目数",
        "undated": "无法读出日期的栏目数",
        "by_column": "各栏目情况",
        "state": "状态",
        "items": "信息条数",
        "newest": "最新信息日期",
        "age_days": "距监测时间（天）",
        "read_via": "读取方式",
        # written by earlier versions of this check; older data files still show them
        "stale_columns": "不更新栏目数",
        "long_term_stale_columns": "长期不更新栏目数",
        "blank_columns": "空白栏目数",
        "per_column": "各栏目情况",
        "newest_item": "最新信息日期",
    }
    figure_values = {
        "read_via": READ_VIA_WORDS,
        "state": {"ok": "已读出更新日期", "blank": "空白栏目", "undated": "无法读出日期", "unreachable": "无法访问"},
    }

    def applies(self, entry: Entry) -> bool:
        return super().applies(entry) and bool(judged_columns(entry))

    async def observe(self, entry: Entry, ctx: CheckContext) -> Observation:
        settings = self.configured(ctx.profile)
        max_age = settings.max_age_days
        long_term = set(settings.long_term_types)
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
                findings.append(Finding(code="column_blank", indicator="空白栏目", severity=self.codes["column_blank"].severity,
                                        message=f"栏目“{column.name}”没有内容", key=column.url,
                                        evidence=Evidence(url=column.url, location=column.name)))
                continue
            if column.type not in max_age or reading is None:
                continue
            finding = freshness_finding(self.indicator, self.codes["column_stale"].severity, "column_stale", reading.newest,
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
                                       severity=self.severity(settings, "columns_not_updated"), message=veto, key="columns",
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
    def _veto(settings: ColumnFreshnessSettings, stale: int, long_stale: int, blank: int) -> str | None:
        if stale >= settings.veto_when_stale_columns_at_least:
            return f"{stale} 个动态、通知公告、政策文件类栏目未按时更新"
        if long_stale + stale >= settings.veto_when_long_term_stale_at_least:
            return f"{long_stale + stale} 个应更新栏目长期未更新"
        if blank >= settings.veto_when_blank_columns_at_least:
            return f"{blank} 个空白栏目"
        return None
