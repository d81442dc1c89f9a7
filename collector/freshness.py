"""Whether a list of dated items (a homepage, a column) is fresh: the finding the homepage and
column freshness checks both make when its newest item is too old or there is none."""
from __future__ import annotations

from datetime import date

from collector.html import DatedItem
from collector.observations import Evidence, Finding, Severity


def newest_item(items: list[DatedItem]) -> DatedItem | None:
    return max(items, key=lambda item: (item.published, item.title), default=None)


def freshness_finding(indicator: str, severity: Severity, code: str, newest: DatedItem | None, today: date,
                      max_age_days: int, url: str, location: str) -> Finding | None:
    """A finding when the newest item is older than max_age_days (or there is none)."""
    if newest is None:
        return Finding(code=code, indicator=indicator, severity=severity,
                       message="未发现带发布日期的信息（无日期视为未更新）", key=url,
                       evidence=Evidence(url=url, location=location))
    age = (today - newest.published).days
    if age <= max_age_days:
        return None
    return Finding(code=code, indicator=indicator, severity=severity,
                   message=f"最新信息发布于 {newest.published.isoformat()}，已 {age} 天未更新（阈值 {max_age_days} 天）",
                   key=url, evidence=Evidence(url=url, location=location,
                                              snippet=f"{newest.published.isoformat()} {newest.title}"))
