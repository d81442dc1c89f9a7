"""The circular's message figures per platform, per unit (report_label) and in total, for one period.

Definitions (docs/messages.md, "Figures"; DEFINITIONS below is what the methodology page shows),
all judged at `as_of`, so a replay of an earlier moment only sees what was known then:
- received: messages whose time of receipt falls in the period (China dates) and is not after as_of;
- replied: of those, with a reply time not after as_of;
- on_time: replied no later than the due date (limit in working days, see workdays.py);
- overdue: replied after the due date, or not replied and the due date has passed at as_of;
- open: not closed at as_of (status not a closing word, or the closing reply lies after as_of);
- 办结率 (completion rate) = closed and replied on time / received.
Reply times over replied messages, in working days, calendar days and clock hours: median, 90th
percentile by nearest rank (a value that actually occurred), mean and maximum; and how many
messages took or have waited more than N calendar days.

One row per message goes into a pandas DataFrame; platform, unit and total figures are the same
aggregation over a group of its rows, so they cannot drift apart.
"""
from __future__ import annotations

import math
from datetime import datetime
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from collector.message_exports.importer import Message
from collector.message_exports.workdays import china_date, due_date, reply_working_days
from collector.periods import Period
from collector.registry import MessagePlatform
from govcensus_data.rules import rate as completion_rate
from govcensus_data.rules import rate_text

if TYPE_CHECKING:  # pandas is imported where frames are made (message_frame)
    import pandas as pd

DEFAULT_LIMIT_DAYS = 5
#: "Over N days" thresholds in calendar days; 92 is the "more than three months" of 互动回应差.
OVER_DAYS = (7, 15, 30, 92)
#: The spread of reply times, for each measure (working days, calendar days, hours).
MEASURES = {"days": "working_days", "calendar_days": "calendar_days", "hours": "hours"}
FIGURES = ("received", "replied", "on_time", "overdue", "open",
           "median_days", "p90_days", "mean_days", "max_days",
           "median_calendar_days", "p90_calendar_days", "mean_calendar_days", "max_calendar_days",
           "median_hours", "p90_hours", "mean_hours", "max_hours",
           "over_days", "completion_rate", "completion_rate_text")
_COLUMNS = {"platform": "object", "replied": "bool", "on_time": "bool", "overdue": "bool", "open": "bool",
            "closed_on_time": "bool", "working_days": "float64", "calendar_days": "float64", "hours": "float64",
            "waited_days": "float64"}

#: Each published figure and its definition, in Chinese, for the methodology page (and docs/messages.md).
DEFINITIONS: tuple[tuple[str, str], ...] = (
    ("收到", "留言时间（北京时间日期）在本季度内且不晚于统计截止时间的留言数。"),
    ("已答复", "其中答复时间不晚于统计截止时间的留言数。留言记录没有办理状态一栏时，有答复时间或答复意见即按已答复计。"),
    ("按时答复（在时限内答复）", "答复时间不晚于答复期限的留言数。答复期限为收到当日之后第 N 个工作日的 23:59:59，N 为答复时限；收到当日不计。"),
    ("超期", "答复晚于答复期限，或至统计截止时仍未答复且已过答复期限的留言数。"),
    ("未办结", "至统计截止时状态不是办结类词语（或办结答复晚于统计截止时间）的留言数。"),
    ("办结率", "已办结且按时答复的留言数 ÷ 收到的留言数，以百分数表示，保留一位小数、四舍五入；仅恰好全部按时办结时写作 100%。"),
    ("工作日用时", "从收到到答复经过的工作日数：收到当日不计，在周末或节假日答复的按下一个工作日计；工作日按国务院公布的法定节假日和调休上班日计算。"),
    ("自然日用时", "答复日期减去收到日期的天数（北京时间），收到当日不计。"),
    ("中位数、90%分位、平均值、最大值", "均只对已答复的留言计算。90%分位取最近秩：把用时从小到大排列，取第 ⌈0.9×n⌉ 个，是实际出现过的用时；平均值保留一位小数。"),
    ("超过 N 天", "已答复留言中自然日用时超过 N 天的，加上至统计截止时仍未办结、自收到起已超过 N 个自然日的留言数。"
                  "N 取 " + "、".join(str(n) for n in OVER_DAYS) + " 天（92 天即“超过三个月”）。已办结但无答复时间的留言用时不明，不计入。"),
    ("无法检查的平台", "留言记录无法取得或无法读取（文件不存在、格式损坏、缺少必需的列）的平台，记为“无法检查”并写明原因，不计入各单位和合计，合计注明平台名称。"),
)


def message_stats(platforms: Sequence[MessagePlatform], messages: Mapping[str, Iterable[Message]], period: Period,
                  as_of: datetime, limit_days: int = DEFAULT_LIMIT_DAYS) -> dict[str, Any]:
    """Figures per platform (registry order), per report_label (order of first appearance) and in total.

    A platform missing from `messages` has no data (its export could not be read): its figures are
    None rather than 0, and the unit and total rows say how many platforms lack data.
    """
    known = {p.id: [m for m in messages[p.id] if _received_in(m, period, as_of)] for p in platforms if p.id in messages}
    frame = message_frame(known, as_of, limit_days)
    labels = {p.id: p.report_label for p in platforms}
    frame["report_label"] = frame["platform"].map(labels).astype("object")
    by_platform = dict(tuple(frame.groupby("platform", sort=False)))
    by_label = dict(tuple(frame.groupby("report_label", sort=False)))
    rows = []
    for platform in platforms:
        if platform.id in known:
            figures = frame_figures(by_platform.get(platform.id, frame.iloc[0:0]))
        else:
            figures = _no_figures()
        rows.append({"id": platform.id, "name": platform.name, "unit": platform.unit,
                     "report_label": platform.report_label, **figures})
    units = []
    for label in dict.fromkeys(p.report_label for p in platforms):
        members = [p for p in platforms if p.report_label == label]
        units.append({"report_label": label, **_coverage(members, known),
                      **frame_figures(by_label.get(label, frame.iloc[0:0]))})
    totals = {**_coverage(list(platforms), known), **frame_figures(frame)}
    return {"platforms": rows, "units": units, "totals": totals}


def _coverage(platforms: list[MessagePlatform], known: Mapping[str, Any]) -> dict[str, int]:
    return {"platforms": len(platforms), "platforms_without_data": sum(1 for p in platforms if p.id not in known)}


def _received_in(message: Message, period: Period, as_of: datetime) -> bool:
    return period.start <= china_date(message.received_at) <= period.end and message.received_at <= as_of


def message_frame(messages: Mapping[str, Iterable[Message]], as_of: datetime,
                  limit_days: int = DEFAULT_LIMIT_DAYS) -> pd.DataFrame:
    """One row per message (already selected for the period) with what each figure counts."""
    import pandas as pd  # here, not at the top: every collector process imports this module, few count messages
    columns: dict[str, list[Any]] = {name: [] for name in _COLUMNS}
    for platform_id, platform_messages in messages.items():
        for message in platform_messages:
            due = due_date(message.received_at, limit_days)
            reply = message.replied_at if message.replied_at is not None and message.replied_at <= as_of else None
            closed = message.closed and (message.replied_at is None or message.replied_at <= as_of)
            in_time = reply is not None and reply <= due
            received_day = china_date(message.received_at)
            if reply is not None:
                waited: float = (china_date(reply) - received_day).days
            elif not closed:
                waited = (china_date(as_of) - received_day).days
            else:
                waited = math.nan  # closed without a reply time: how long it took is unknown
            values = {
                "platform": platform_id, "replied": reply is not None, "on_time": in_time,
                "overdue": (reply is not None and not in_time) or (reply is None and due < as_of),
                "open": not closed, "closed_on_time": closed and in_time,
                "working_days": reply_working_days(message.received_at, reply) if reply is not None else math.nan,
                "calendar_days": waited if reply is not None else math.nan,
                "hours": (reply - message.received_at).total_seconds() / 3600 if reply is not None else math.nan,
                "waited_days": waited,
            }
            for name, value in values.items():
                columns[name].append(value)
    return pd.DataFrame({name: pd.Series(values, dtype=_COLUMNS[name]) for name, values in columns.items()})


def figures_of(messages: list[Message], as_of: datetime, limit_days: int = DEFAULT_LIMIT_DAYS) -> dict[str, Any]:
    """The figures of messages already selected for a period (see the module docstring)."""
    return frame_figures(message_frame({"": messages}, as_of, limit_days))


def frame_figures(frame: pd.DataFrame) -> dict[str, Any]:
    """The figures of a group of message_frame rows."""
    figures: dict[str, Any] = {
        "received": len(frame),
        **{name: int(frame[name].sum()) for name in ("replied", "on_time", "overdue", "open")},
    }
    for suffix, column in MEASURES.items():
        values = frame[column].dropna()
        figures.update({
            f"median_{suffix}": _number(values.median()) if len(values) else None,
            f"p90_{suffix}": _number(nearest_rank(values, 90)) if len(values) else None,
            f"mean_{suffix}": _number(values.mean()) if len(values) else None,
            f"max_{suffix}": _number(values.max()) if len(values) else None,
        })
    waited = frame["waited_days"]
    figures["over_days"] = {n: int((waited > n).sum()) for n in OVER_DAYS}
    rate = completion_rate(int(frame["closed_on_time"].sum()), len(frame))
    figures["completion_rate"] = rate
    figures["completion_rate_text"] = rate_text(rate)
    return {name: figures[name] for name in FIGURES}


def _no_figures() -> dict[str, Any]:
    return {**dict.fromkeys(FIGURES), "completion_rate_text": rate_text(None)}


def nearest_rank(values: pd.Series, percent: int) -> float:
    """The value at rank ceil(percent/100 * n) of the sorted values: one that actually occurred."""
    ordered = values.sort_values(ignore_index=True)
    rank = -(-percent * len(ordered) // 100)
    return float(ordered.iloc[max(0, rank - 1)])


def _number(value: float) -> int | float:
    """Whole numbers as int, others to one decimal, so YAML shows 2 and 2.5, never 2.0000001."""
    rounded = round(float(value), 1)
    return int(rounded) if rounded == int(rounded) else rounded
