"""The circular's message figures per platform, per unit (report_label) and in total, for one period.

Definitions (docs/messages.md, "Figures"), all judged at `as_of`, so a replay of an earlier moment
only sees what was known then:
- received: messages whose time of receipt falls in the period (China dates) and is not after as_of;
- replied: of those, with a reply time not after as_of;
- on_time: replied no later than the due date (limit in working days, see workdays.py);
- overdue: replied after the due date, or not replied and the due date has passed at as_of;
- open: not closed at as_of (status not a closing word, or the closing reply lies after as_of);
- 办结率 (completion rate) = closed and replied on time / received.
Reply times (working days and clock hours) are over replied messages: the median, and the 90th
percentile by nearest rank (a value that actually occurred).
"""
from __future__ import annotations

import math
import statistics
from datetime import datetime
from fractions import Fraction
from typing import Any, Iterable, Mapping, Sequence

from collector.messages.importer import Message
from collector.messages.workdays import china_date, due_date, reply_working_days
from collector.periods import Period
from collector.registry import MessagePlatform

DEFAULT_LIMIT_DAYS = 5
FIGURES = ("received", "replied", "on_time", "overdue", "open", "median_days", "p90_days", "median_hours",
           "p90_hours", "completion_rate", "completion_rate_text")


def message_stats(platforms: Sequence[MessagePlatform], messages: Mapping[str, Iterable[Message]], period: Period,
                  as_of: datetime, limit_days: int = DEFAULT_LIMIT_DAYS) -> dict[str, Any]:
    """Figures per platform (registry order), per report_label (order of first appearance) and in total.

    A platform missing from `messages` has no data (its export could not be read): its figures are
    None rather than 0, and the unit and total rows say how many platforms lack data.
    """
    known = {p.id: [m for m in messages[p.id] if _received_in(m, period, as_of)] for p in platforms if p.id in messages}
    rows = []
    for platform in platforms:
        figures = figures_of(known[platform.id], as_of, limit_days) if platform.id in known else _no_figures()
        rows.append({"id": platform.id, "name": platform.name, "unit": platform.unit,
                     "report_label": platform.report_label, **figures})
    labels = list(dict.fromkeys(p.report_label for p in platforms))
    units = [_pooled({"report_label": label}, [p for p in platforms if p.report_label == label], known, as_of,
                     limit_days) for label in labels]
    return {"platforms": rows, "units": units, "totals": _pooled({}, list(platforms), known, as_of, limit_days)}


def _pooled(head: dict[str, Any], platforms: list[MessagePlatform], known: dict[str, list[Message]],
            as_of: datetime, limit_days: int) -> dict[str, Any]:
    with_data = [p for p in platforms if p.id in known]
    pooled = [m for p in with_data for m in known[p.id]]
    return {**head, "platforms": len(platforms), "platforms_without_data": len(platforms) - len(with_data),
            **figures_of(pooled, as_of, limit_days)}


def _received_in(message: Message, period: Period, as_of: datetime) -> bool:
    return period.start <= china_date(message.received_at) <= period.end and message.received_at <= as_of


def figures_of(messages: list[Message], as_of: datetime, limit_days: int = DEFAULT_LIMIT_DAYS) -> dict[str, Any]:
    """The figures of messages already selected for a period (see the module docstring)."""
    replied = on_time = overdue = still_open = closed_on_time = 0
    days: list[int] = []
    hours: list[float] = []
    for message in messages:
        due = due_date(message.received_at, limit_days)
        reply = message.replied_at if message.replied_at is not None and message.replied_at <= as_of else None
        closed = message.closed and (message.replied_at is None or message.replied_at <= as_of)
        if reply is not None:
            replied += 1
            in_time = reply <= due
            on_time += in_time
            overdue += not in_time
            closed_on_time += closed and in_time
            days.append(reply_working_days(message.received_at, reply))
            hours.append((reply - message.received_at).total_seconds() / 3600)
        elif due < as_of:
            overdue += 1
        still_open += not closed
    rate = completion_rate(closed_on_time, len(messages))
    return {
        "received": len(messages), "replied": replied, "on_time": on_time, "overdue": overdue, "open": still_open,
        "median_days": _number(statistics.median(days)) if days else None,
        "p90_days": _number(_nearest_rank(days, 90)) if days else None,
        "median_hours": _number(statistics.median(hours)) if hours else None,
        "p90_hours": _number(_nearest_rank(hours, 90)) if hours else None,
        "completion_rate": rate, "completion_rate_text": rate_text(rate),
    }


def _no_figures() -> dict[str, Any]:
    return {**dict.fromkeys(FIGURES), "completion_rate_text": rate_text(None)}


def completion_rate(closed_on_time: int, received: int) -> float | None:
    """Percent with one decimal, rounded half up; only an exact 100 shows as 100 (99.95..99.99 -> 99.9)."""
    if received == 0:
        return None
    exact = Fraction(closed_on_time * 100, received)
    tenths = math.floor(exact * 10 + Fraction(1, 2))
    if tenths == 1000 and exact != 100:
        tenths = 999
    return tenths / 10


def rate_text(rate: float | None) -> str:
    """As the circular writes it: "100%" for exactly 100, else one decimal ("91.2%"); "—" without messages."""
    if rate is None:
        return "—"
    return "100%" if rate == 100 else f"{rate:.1f}%"


def _nearest_rank(values: list[int] | list[float], percent: int) -> float:
    ordered = sorted(values)
    rank = -(-percent * len(ordered) // 100)
    return ordered[max(0, rank - 1)]


def _number(value: float) -> int | float:
    """Whole numbers as int, others to one decimal, so YAML shows 2 and 2.5, never 2.0000001."""
    rounded = round(value, 1)
    return int(rounded) if rounded == int(rounded) else rounded
