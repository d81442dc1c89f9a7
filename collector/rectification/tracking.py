"""Rectification tracking (整改): every problem found in a quarter becomes one row with a deadline
and a status, written to content/rectification-status/<period>.md (schema govcensus.rectification/1;
the grouped rows only add fields: `codes`, `findings`, `rectified.date`).

- one problem, one row: the findings of one entry, one check and one indicator are one problem (an
  account's 7-day gap that later becomes its 2-week gap, a domain both still registered and still
  resolving), not one row per finding code; the row lists every code it grouped;
- id: stable across runs and quarters — a hash of entry, check and indicator (`item_id`);
- deadline: the circular template's deadlines (domain deregistration items get the domain
  deadline, everything else the rectification-report deadline);
- status: `rectified` only when a later round of the same check on the same entry *could check*
  it (outcome ok or finding) and no longer saw the problem — an unreachable or refused round closes
  nothing, and a finding changing code is still the same problem — or when staff marked it in
  content/rectification/marks.yaml; otherwise `overdue` when as_of is past the deadline, else `open`.
  A closed row says how (复查未再发现 / 工作人员核实) and when.
Everything is judged at as_of (later observations and marks are ignored), so the file is
deterministic and an earlier moment can be replayed.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

import yaml

from collector.circular.figures import load_scorecards
from collector.circular.template import DEFAULT_TEMPLATE, load_template
from collector.observations import Observation
from collector.periods import CHINA_TZ, Period
from collector.yamlerrors import YAML_ERRORS, where, yaml_problem
from govcensus_data.atomic import confined, write_atomic
from govcensus_data.markdown import escape_markdown
from govcensus_data.model import RECTIFICATION_SCHEMA as SCHEMA
from govcensus_data.model import Entry, Finding, data_file_text
from govcensus_data.words import RECTIFICATION_LABELS, RECTIFIED_BY_LABELS

MARKS_SCHEMA = "govcensus.rectification-marks/1"
DEFAULT_MARKS = Path("content/rectification/marks.yaml")
DOMAIN_CHECKS = frozenset({"decommissioned_domain"})
TRACKED_SEVERITIES = ("veto", "deduction")
#: Outcomes of a round that looked at the entry; unreachable / error rounds decide nothing.
CHECKED_OUTCOMES = frozenset({"ok", "finding"})
#: The order statuses are counted in (front matter `counts`, the summary line); their words, and
#: those for how a row closed, are govcensus_data.words', which the site's pages use too.
COUNTED_STATUSES = ("open", "rectified", "overdue")
RECHECK_BATCH = 500  # entries per read of the observations after their problems' last sighting


class ObservationSource(Protocol):
    """What rectification reads of the observation store (collector.store.ObservationStore)."""

    def read(self, start: date, end: date, *, entries: Iterable[str] | None = None,
             checks: Iterable[str] | None = None) -> Iterable[Observation]: ...


class MarksError(ValueError):
    """Problems of the staff marks file, each with its position, all at once."""


def item_id(entry_id: str, check: str, indicator: str) -> str:
    """One problem's id: the same for every finding code and key it is reported under."""
    return hashlib.sha256(f"{entry_id}|{check}|{indicator}".encode("utf-8")).hexdigest()[:12]


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


Problem = tuple[str, str, str]  # (entry id, check, indicator)


def _tracked(finding: Finding) -> bool:
    return finding.severity in TRACKED_SEVERITIES


def _later_sightings(content_dir: Path, period: Period, as_of: datetime) -> dict[Problem, datetime]:
    """Latest sighting of each problem in this and later quarters' scorecards, up to as_of."""
    seen: dict[Problem, datetime] = {}
    folder = Path(content_dir) / "scorecards"
    periods = sorted(Period.parse(p.name) for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    for later in (p for p in periods if p >= period and p.start <= as_of.date()):
        for card in load_scorecards(content_dir, later):
            for finding in card.findings:
                at = _time(finding.last_seen)
                if _tracked(finding) and at <= as_of:
                    k = (card.id, finding.check, finding.indicator)
                    seen[k] = max(at, seen.get(k, at))
    return seen


def _rechecks(store: ObservationSource | None, last_seen: dict[Problem, datetime], as_of: datetime,
              batch_entries: int | None = RECHECK_BATCH) -> tuple[dict[Problem, datetime], dict[Problem, datetime]]:
    """From the observations after each problem's last sighting up to as_of: (later sightings,
    first round that checked the entry and no longer saw the problem). A round that could not
    check (unreachable, refused, error) is neither. Without a store nothing can be re-checked.
    The store is read `batch_entries` entries at a time, narrowed to their problems' checks, so
    memory does not grow with the registry."""
    if store is None or not last_seen:
        return {}, {}
    by_pair: dict[tuple[str, str], list[str]] = {}
    for entry, check, indicator in last_seen:
        by_pair.setdefault((entry, check), []).append(indicator)
    entries = sorted({entry for entry, _ in by_pair})
    size = batch_entries or len(entries)
    sightings: dict[Problem, datetime] = {}
    cleared: dict[Problem, datetime] = {}
    for start in range(0, len(entries), size):
        batch = set(entries[start:start + size])
        problems = {p: t for p, t in last_seen.items() if p[0] in batch}
        since = min(problems.values()).astimezone(CHINA_TZ).date()
        checks = {check for _, check, _ in problems}
        observations = sorted((o for o in store.read(since, as_of.astimezone(CHINA_TZ).date(), entries=batch,
                                                     checks=checks)
                               if o.at <= as_of and o.outcome in CHECKED_OUTCOMES and (o.entry, o.check) in by_pair),
                              key=lambda o: o.at)
        for obs in observations:
            observed = {f.indicator for f in obs.findings if f.severity in TRACKED_SEVERITIES}
            for indicator in by_pair[(obs.entry, obs.check)]:
                problem = (obs.entry, obs.check, indicator)
                if obs.at <= sightings.get(problem, last_seen[problem]):
                    continue
                if indicator in observed:
                    sightings[problem] = obs.at
                    cleared.pop(problem, None)
                elif problem not in cleared:
                    cleared[problem] = obs.at
    return sightings, cleared


def rectification_items(period: Period, content_dir: Path, as_of: datetime, deadlines: dict[str, date],
                        marks: dict[str, dict[str, Any]], store: ObservationSource | None = None,
                        batch_entries: int | None = RECHECK_BATCH) -> list[dict[str, Any]]:
    """Every problem (entry, check, indicator) with a veto or deduction finding in the period's
    scorecards, as one tracked row."""
    groups: dict[Problem, tuple[Entry, list[Finding]]] = {}
    for card in load_scorecards(content_dir, period):
        for finding in card.findings:
            if _tracked(finding) and _time(finding.first_seen) <= as_of:
                problem = (card.id, finding.check, finding.indicator)
                groups.setdefault(problem, (card.entry, []))[1].append(finding)
    sightings = _later_sightings(content_dir, period, as_of)
    # sightings holds every sighting up to as_of; a finding first seen by then but last seen after it
    # (an earlier moment replayed) was last seen, as far as as_of knows, when it was first seen
    last_seen = {p: sightings.get(p) or min(_time(f.first_seen) for f in fs) for p, (_, fs) in groups.items()}
    later, cleared = _rechecks(store, last_seen, as_of, batch_entries)
    last_seen |= later
    today = as_of.astimezone(CHINA_TZ).date()
    items = []
    for problem, (entry, findings) in groups.items():
        entry_id, check, indicator = problem
        findings.sort(key=lambda f: (f.last_seen, f.first_seen, f.code))
        latest = findings[-1]
        deadline = deadlines["domain" if check in DOMAIN_CHECKS else "report"]
        ident = item_id(entry_id, check, indicator)
        mark = marks.get(ident)
        seen_until = last_seen[problem]
        rectified: dict[str, Any] | None = None
        if problem in cleared:
            at = cleared[problem]
            rectified = {"by": "later_round", "date": at.astimezone(CHINA_TZ).date().isoformat(),
                         "checked_at": at.isoformat()}
        elif mark is not None and mark["date"] <= today:
            rectified = {"by": "staff", "date": mark["date"].isoformat(), "note": mark["note"],
                         "seen_after_mark": seen_until.astimezone(CHINA_TZ).date() > mark["date"]}
        status = "rectified" if rectified else ("overdue" if today > deadline else "open")
        items.append({
            "id": ident,
            "status": status,
            "unit": entry.unit,
            "entry": {"id": entry_id, "kind": entry.kind, "name": entry.name},
            "check": check,
            "code": latest.code,
            "codes": list(dict.fromkeys(f.code for f in sorted(findings, key=lambda f: (f.first_seen, f.code)))),
            "findings": len(findings),
            "indicator": indicator,
            "severity": "veto" if any(f.severity == "veto" for f in findings) else "deduction",
            "message": latest.message,
            "first_seen": min(f.first_seen for f in findings),
            "last_seen": seen_until.isoformat(),
            "deadline": deadline.isoformat(),
            "rectified": rectified,
            "scorecard": f"scorecards/{period}/{entry_id}.html",
        })
    return sorted(items, key=lambda i: (i["deadline"], i["unit"], i["entry"]["id"], i["check"], i["indicator"]))


def write_rectification_status(period: Period, content_dir: Path, as_of: datetime,
                               template_path: str | Path = DEFAULT_TEMPLATE,
                               marks_path: str | Path = DEFAULT_MARKS,
                               store: ObservationSource | None = None,
                               batch_entries: int | None = RECHECK_BATCH) -> Path:
    """Write content/rectification-status/<period>.md atomically; byte-identical for the same inputs.

    `store` holds the observations after each problem's last sighting; without it no problem can
    be found fixed by a re-check (only staff marks close one)."""
    template = load_template(template_path)
    deadlines = {name: template.deadline(name, period) for name in ("report", "domain")}
    items = rectification_items(period, Path(content_dir), as_of, deadlines, load_marks(marks_path), store,
                                batch_entries)
    counts = {status: sum(1 for i in items if i["status"] == status) for status in COUNTED_STATUSES}
    front = {
        "schema": SCHEMA,
        "period": str(period),
        "as_of": as_of.astimezone(CHINA_TZ).isoformat(),
        "deadlines": {name: day.isoformat() for name, day in deadlines.items()},
        "counts": {"total": len(items), **counts},
        "items": items,
    }
    lines = [f"# {period.label}问题整改情况", "",
             f"共 {len(items)} 项：" + "，".join(f"{RECTIFICATION_LABELS[s]} {n} 项" for s, n in counts.items()) + "。", ""]
    if items:
        lines += ["| 责任单位 | 对象 | 指标 | 首次发现 | 整改期限 | 状态 |", "| --- | --- | --- | --- | --- | --- |"]
        lines += [f"| {escape_markdown(i['unit'])} | {escape_markdown(i['entry']['name'])} | {escape_markdown(i['indicator'])} "
                  f"| {i['first_seen'][:10]} | {i['deadline']} | {status_text(i)} |" for i in items]
    # messages come from findings, i.e. from third-party pages: data_file_text masks them
    text = data_file_text(front, "\n" + "\n".join(lines) + "\n")
    path = confined(content_dir, "rectification-status", f"{period}.md")
    write_atomic(path, text)
    return path


def status_text(item: dict[str, Any]) -> str:
    """已整改（复查未再发现，2020-07-10）: the status, and for a closed row how and when it closed."""
    closed = item.get("rectified")
    if not closed:
        return RECTIFICATION_LABELS[item["status"]]
    return f"{RECTIFICATION_LABELS['rectified']}（{RECTIFIED_BY_LABELS[closed['by']]}，{closed['date']}）"
