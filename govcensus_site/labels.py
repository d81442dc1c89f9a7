"""The site's own words for the codes in data files, and how values are shown to readers.

Codes (`veto`, `pass` …) stay English in data and code; readers see labels, whose tables for the
codes of data files are govcensus_data.words (the collector's summaries use the same). Words about a
particular check — its title, its finding codes, its figures and settings — are not here: each
check declares them and the catalogue under content/ carries them (govcensus_site/catalogue.py).
An unknown code is shown as itself rather than hidden, so a new check's figures still appear.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

# The words for the codes data files carry are shared with the collector's summaries: one home.
from govcensus_data.words import (  # noqa: F401 (re-exported for the views and templates)
    KIND_LABELS, OUTCOME_LABELS, RECTIFICATION_LABELS, RECTIFIED_BY_LABELS, RESULT_LABELS, SEVERITY_LABELS,
)

LEVEL_ORDER = ("省级", "市级", "县级", "乡镇级")
PLATFORM_ORDER = ("微博", "微信公众号", "今日头条", "抖音", "快手", "其他")

_QUARTERS = {"1": "第一季度", "2": "第二季度", "3": "第三季度", "4": "第四季度"}
_PERIOD = re.compile(r"(\d{4})Q([1-4])")


def period_label(period: str) -> str:
    """2020Q2 -> 2020年第二季度, as the circular names quarters."""
    match = _PERIOD.fullmatch(period)
    return f"{match.group(1)}年{_QUARTERS[match.group(2)]}" if match else period


def label(mapping: dict[str, str], code: str | None) -> str:
    return mapping.get(code or "", code or "")


#: A moment as data files write it (2020-06-09T09:00:00+08:00, a WHOIS 2005-07-26T15:42:09).
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?")


def show_value(key: str, value: Any) -> str:
    """A figure as text: shares as percentages, booleans as 是/否, dates and moments without seconds."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and (key.endswith("_share") or key.endswith("_rate")):
        return f"{value * 100:.1f}%"
    if isinstance(value, (datetime, date)):
        return show_time(value.isoformat())
    if isinstance(value, str) and ISO_MOMENT.fullmatch(value):
        return show_time(value)  # a WHOIS registration_time "2005-07-26T15:42:09" as 2005-07-26 15:42
    if value is None:
        return "—"
    return str(value)


def show_time(text: str) -> str:
    """ISO timestamps shown to the minute in Beijing time as written (2020-06-09 09:00)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if "T" not in text and " " not in text:
        return moment.date().isoformat()
    return moment.strftime("%Y-%m-%d %H:%M")
