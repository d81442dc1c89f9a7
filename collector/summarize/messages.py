"""Message statistics of a period -> content/messages/<period>.md (schema govcensus.messages/1).

Each platform's export, fetched or read by collector.message_exports.exports, is imported and
counted; a platform whose export cannot be fetched (status unreachable) or read (status unreadable:
broken file, no header, a required column missing) could not be checked: it keeps its row with
figures None and the reason, is left out of the unit and total figures, and is named in the totals'
note, so a gap in the data is never shown as zero messages. The file is deterministic (registry
order, no wall-clock time) and written atomically.
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any, Mapping

from collector.checks.base import reason_in_words
from collector.message_exports.exports import Export, UnreachableExport, import_exports
from collector.message_exports.importer import RULES, ImportResult
from collector.message_exports.stats import DEFAULT_LIMIT_DAYS, message_stats
from collector.periods import CHINA_TZ, Period
from collector.registry import Registry
from govcensus_data.atomic import confined, write_atomic
from govcensus_data.markdown import escape_markdown
from govcensus_data.model import MESSAGES_SCHEMA as SCHEMA
from govcensus_data.model import data_file_text

__all__ = ["COULD_NOT_CHECK", "Export", "UnreachableExport", "could_not_check_note", "write_message_summary",
           "write_summary_of_imports"]

#: Export statuses: ok (counted), unreachable (not fetched), unreadable (fetched, nothing readable).
COULD_NOT_CHECK = ("unreachable", "unreadable")


def write_message_summary(registry: Registry, period: Period, as_of: datetime, exports: Mapping[str, Export],
                          content_dir: Path, limit_days: int = DEFAULT_LIMIT_DAYS) -> Path:
    """Write content/messages/<period>.md; byte-identical for the same inputs. Returns its path."""
    return write_summary_of_imports(registry, period, as_of, import_exports(registry, exports), content_dir,
                                    limit_days)


def write_summary_of_imports(registry: Registry, period: Period, as_of: datetime,
                             imported: Mapping[str, ImportResult | UnreachableExport], content_dir: Path,
                             limit_days: int = DEFAULT_LIMIT_DAYS) -> Path:
    """Write the summary from already imported exports (e.g. the latest `messages` observations)."""
    messages = {pid: r.messages for pid, r in imported.items() if isinstance(r, ImportResult) and r.readable}
    stats = message_stats(registry.message_platforms, messages, period, as_of, limit_days)
    unchecked = []
    for row in stats["platforms"]:
        result = imported[row["id"]]
        if isinstance(result, UnreachableExport):
            row["export"] = {"status": "unreachable", "reason": reason_in_words(result.reason)}
        elif not result.readable:
            row["export"] = {"status": "unreadable", "reason": result.unreadable, "format": result.format,
                             "errors": len(result.errors)}
        else:
            row["export"] = {"status": "ok", "format": result.format, "anomalies": len(result.anomalies),
                             "errors": len(result.errors)}
        if row["export"]["status"] in COULD_NOT_CHECK:
            unchecked.append({"id": row["id"], "name": row["name"], "reason": row["export"]["reason"]})
    stats["totals"]["could_not_check"] = unchecked
    stats["totals"]["note"] = could_not_check_note(unchecked)
    front = {
        "schema": SCHEMA,
        "period": str(period),
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
        "as_of": as_of.astimezone(CHINA_TZ).isoformat(),
        "limit_working_days": limit_days,
        "platforms": stats["platforms"],
        "units": stats["units"],
        "totals": stats["totals"],
        "anomalies_by_platform": {
            pid: dict(sorted(Counter(a.rule for a in r.anomalies).items()))
            for pid, r in imported.items() if isinstance(r, ImportResult) and r.readable and r.anomalies},
        "errors_by_platform": {pid: len(r.errors) for pid, r in imported.items()
                               if isinstance(r, ImportResult) and r.errors},
    }
    # ids, units and statuses come from the platforms' exports: data_file_text masks them
    text = data_file_text(front, "\n" + _body(period, stats, imported, limit_days))
    path = confined(content_dir, "messages", f"{period}.md")
    write_atomic(path, text)
    return path


def could_not_check_note(unchecked: list[dict[str, str]]) -> str:
    """The totals' note naming every platform left out of them, with its reason ("" when none)."""
    if not unchecked:
        return ""
    return ("以下留言平台数据无法读取，无法检查，未计入合计："
            + "；".join(f"{u['name']}（{u['reason']}）" for u in unchecked) + "。")


def _body(period: Period, stats: dict[str, Any], imported: Mapping[str, ImportResult | UnreachableExport],
          limit_days: int) -> str:
    totals = stats["totals"]
    lines = [f"# {period.label}网民留言办理情况", ""]
    if totals["platforms_without_data"] == 0:
        counts = "、".join(f"{escape_markdown(u['report_label'])} {u['received']} 条"
                           for u in stats["units"] if u["received"])
        lines += [f"{period.label}共接到网民留言 {totals['received']} 条" + (f"，其中：{counts}" if counts else "")
                  + f"，按时答复 {totals['on_time']} 条，办结率 {totals['completion_rate_text']}。", ""]
    else:
        lines += [f"有 {totals['platforms_without_data']} 个平台的留言导出未能取得或无法读取，合计数不完整。",
                  "", escape_markdown(totals["note"]), ""]
    lines += [f"答复时限：{limit_days} 个工作日（按国务院公布的法定节假日和调休上班日计算，收到当日不计）。", "",
              "| 平台 | 单位 | 通报名称 | 收到 | 已答复 | 按时答复 | 超期 | 未办结 | 用时中位数（工作日） | 用时90%分位（工作日） | 办结率 |",
              "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for row in stats["platforms"]:
        lines.append("| " + " | ".join([escape_markdown(row["name"]), escape_markdown(row["unit"]),
                                        escape_markdown(row["report_label"])]
                                       + [_cell(row[k]) for k in ("received", "replied", "on_time", "overdue", "open",
                                                                   "median_days", "p90_days")]
                                       + [row["completion_rate_text"]]) + " |")
    lines.append("| 合计 |  |  | " + " | ".join(_cell(totals[k]) for k in ("received", "replied", "on_time", "overdue",
                                                                        "open", "median_days", "p90_days"))
                 + f" | {totals['completion_rate_text']} |")
    lines += ["", "## 导出数据问题", "", "按规则处理的不规范数据（规则见方法说明），以及需要平台修正的错误：", ""]
    notes = []
    names = {row["id"]: row["name"] for row in stats["platforms"]}
    for pid, result in imported.items():
        name = escape_markdown(names[pid])
        if isinstance(result, UnreachableExport):
            notes.append(f"- {name}：导出无法取得（{escape_markdown(result.reason)}），无法检查")
            continue
        if not result.readable:
            notes.append(f"- {name}：导出无法读取（{escape_markdown(result.unreadable)}），无法检查")
            continue
        counts = sorted(Counter(a.rule for a in result.anomalies).items())
        if counts:
            notes.append(f"- {name}：" + "；".join(f"{RULES[rule]} {count} 处" for rule, count in counts))
        for problem in result.errors:
            notes.append(f"- {name}：{escape_markdown(str(problem))}")
    lines += notes or ["无。"]
    return "\n".join(lines) + "\n"


def _cell(value: Any) -> str:
    return "—" if value is None else str(value)
