"""Rectification tracking (整改): every problem found in a quarter becomes an item with a deadline
and a status, written to content/rectification-status/<period>.md (schema govcensus.rectification/1).

- id: stable across runs and quarters — a hash of entry, check and the finding's merge key;
- deadline: the circular template's deadlines (domain deregistration items get the domain
  deadline, everything else the rectification-report deadline);
- status: `rectified` when a later round of the same check on the same entry no longer saw it
  (its latest observation, in this or a later quarter's scorecards, is after the finding's last
  sighting), or when staff marked it in content/rectification/marks.yaml; otherwise `overdue` when
  as_of is past the deadline, else `open`.
Everything is judged at as_of (later observations and marks are ignored), so the file is
deterministic and an earlier moment can be replayed.
"""
from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from collector.circular.figures import load_scorecards
from collector.circular.template import DEFAULT_TEMPLATE, load_template
from collector.periods import CHINA_TZ, Period
from collector.yamlerrors import YAML_ERRORS, where, yaml_problem
from govcensus_data.atomic import confined, write_atomic
from govcensus_data.markdown import escape_markdown
from govcensus_data.model import RECTIFICATION_SCHEMA as SCHEMA
from govcensus_data.model import Finding, data_file_text

MARKS_SCHEMA = "govcensus.rectification-marks/1"
DEFAULT_MARKS = Path("content/rectification/marks.yaml")
DOMAIN_CHECKS = frozenset({"decommissioned_domain"})
STATUS_LABELS = {"open": "整改中", "rectified": "已整改", "overdue": "逾期未整改"}


class MarksError(ValueError):
    """Problems of the staff marks file, each with its position, all at once."""


def item_id(entry_id: str, check: str, key: str) -> str:
    return hashlib.sha256(f"{entry_id}|{check}|{key}".encode("utf-8")).hexdigest()[:12]


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value)


def load_marks(path: str | Path) -> dict[str, dict[str, Any]]:
    """Staff marks by item id: {date, note}. A missing file means no marks."""
    path = Path(path)
    if not path.is_file():
        return {}
    try:
        text = path.read_text(encoding="utf-8")
        raw = yaml.safe_load(text) or {}
    except UnicodeDecodeError:
        raise MarksError(f"{path}: the file is not UTF-8") from None
    except YAML_ERRORS as exc:
        line, reason = yaml_problem(exc, text)
        raise MarksError(f"{where(path, line)}: {reason}") from None
    if not isinstance(raw, dict) or raw.get("schema") != MARKS_SCHEMA:
        raise MarksError(f"{path}: expected a mapping with schema: {MARKS_SCHEMA}")
    problems, marks = [], {}
    for n, mark in enumerate(raw.get("marks") or [], start=1):
        if not isinstance(mark, dict) or not mark.get("id") or not mark.get("date"):
            problems.append(f"{path}: mark {n}: needs id and date")
            continue
        try:
            day = mark["date"] if isinstance(mark["date"], date) else date.fromisoformat(str(mark["date"]))
        except ValueError:
            problems.append(f"{path}: mark {n}: date {mark['date']!r} is not YYYY-MM-DD")
            continue
        marks[str(mark["id"])] = {"date": day, "note": str(mark.get("note") or "")}
    if problems:
        raise MarksError("\n".join(problems))
    return marks


def _later_sightings(content_dir: Path, period: Period, as_of: datetime) -> tuple[dict, dict]:
    """Across this and later quarters up to as_of: latest observation per (entry, check) and
    latest sighting per (entry, check, key)."""
    observed: dict[tuple[str, str], datetime] = {}
    seen: dict[tuple[str, str, str], datetime] = {}
    folder = Path(content_dir) / "scorecards"
    periods = sorted(Period.parse(p.name) for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    for later in (p for p in periods if p >= period and p.start <= as_of.date()):
        for card in load_scorecards(content_dir, later):
            entry = card.id
            for result in card.checks:
                check = result.name
                if result.last_observed and _time(result.last_observed) <= as_of:
                    at = _time(result.last_observed)
                    observed[(entry, check)] = max(at, observed.get((entry, check), at))
            for finding in card.findings:
                at = _time(finding.last_seen)
                if at <= as_of:
                    k = (entry, finding.check, _key(finding))
                    seen[k] = max(at, seen.get(k, at))
    return observed, seen


def _key(finding: Finding) -> str:
    return finding.key or f"{finding.code}|{finding.evidence.url}"


def rectification_items(period: Period, content_dir: Path, as_of: datetime, deadlines: dict[str, date],
                        marks: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Every veto and deduction finding of the period's scorecards as a tracked item."""
    observed, seen = _later_sightings(content_dir, period, as_of)
    today = as_of.astimezone(CHINA_TZ).date()
    items = []
    for card in load_scorecards(content_dir, period):
        entry = card.entry
        for finding in card.findings:
            if finding.severity not in ("veto", "deduction") or _time(finding.first_seen) > as_of:
                continue
            key = _key(finding)
            entry_id, check = entry.id, finding.check
            last_seen = seen.get((entry_id, check, key), _time(finding.last_seen))
            latest = observed.get((entry_id, check))
            deadline = deadlines["domain" if check in DOMAIN_CHECKS else "report"]
            ident = item_id(entry_id, check, key)
            mark = marks.get(ident)
            rectified: dict[str, Any] | None = None
            if mark is not None and mark["date"] <= today:
                rectified = {"by": "staff", "date": mark["date"].isoformat(), "note": mark["note"],
                             "seen_after_mark": last_seen.astimezone(CHINA_TZ).date() > mark["date"]}
            elif latest is not None and latest > last_seen:
                rectified = {"by": "later_round", "last_observed": latest.isoformat()}
            status = "rectified" if rectified else ("overdue" if today > deadline else "open")
            items.append({
                "id": ident,
                "status": status,
                "unit": entry.unit,
                "entry": {"id": entry_id, "kind": entry.kind, "name": entry.name},
                "check": check,
                "code": finding.code,
                "indicator": finding.indicator,
                "severity": finding.severity,
                "message": finding.message,
                "first_seen": finding.first_seen,
                "last_seen": last_seen.isoformat(),
                "deadline": deadline.isoformat(),
                "rectified": rectified,
                "scorecard": f"scorecards/{period}/{entry_id}.html",
            })
    return sorted(items, key=lambda i: (i["deadline"], i["unit"], i["entry"]["id"], i["check"], i["code"], i["id"]))


def write_rectification_status(period: Period, content_dir: Path, as_of: datetime,
                               template_path: str | Path = DEFAULT_TEMPLATE,
                               marks_path: str | Path = DEFAULT_MARKS) -> Path:
    """Write content/rectification-status/<period>.md atomically; byte-identical for the same inputs."""
    template = load_template(template_path)
    deadlines = {name: template.deadline(name, period) for name in ("report", "domain")}
    items = rectification_items(period, Path(content_dir), as_of, deadlines, load_marks(marks_path))
    counts = {status: sum(1 for i in items if i["status"] == status) for status in STATUS_LABELS}
    front = {
        "schema": SCHEMA,
        "period": str(period),
        "as_of": as_of.astimezone(CHINA_TZ).isoformat(),
        "deadlines": {name: day.isoformat() for name, day in deadlines.items()},
        "counts": {"total": len(items), **counts},
        "items": items,
    }
    lines = [f"# {period.label}问题整改情况", "",
             f"共 {len(items)} 项：" + "，".join(f"{STATUS_LABELS[s]} {n} 项" for s, n in counts.items()) + "。", ""]
    if items:
        lines += ["| 责任单位 | 对象 | 指标 | 首次发现 | 整改期限 | 状态 |", "| --- | --- | --- | --- | --- | --- |"]
        lines += [f"| {escape_markdown(i['unit'])} | {escape_markdown(i['entry']['name'])} | {escape_markdown(i['indicator'])} "
                  f"| {i['first_seen'][:10]} | {i['deadline']} | {STATUS_LABELS[i['status']]} |" for i in items]
    # messages come from findings, i.e. from third-party pages: data_file_text masks them
    text = data_file_text(front, "\n" + "\n".join(lines) + "\n")
    path = confined(content_dir, "rectification-status", f"{period}.md")
    write_atomic(path, text)
    return path
