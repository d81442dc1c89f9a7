"""Period summaries: one scorecard data file per website, column and account.

Deterministic (same observations and registry -> byte-identical files: sorted keys where order is
not meaningful, no wall-clock time) and atomic (govcensus_data.atomic). Files of the period that no
longer correspond to a registry entry are removed: this folder is generated, never hand-edited.
The result, score, vetoes and deductions come from collector.scoring under the run's profile;
whether there was enough to judge from collector.scoring.coverage ("unchecked" with its reasons).
Visits a site refused us (rate limit, WAF challenge) are listed under `blocked` per check.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from collector.checks.base import SEVERITY_LABELS, Check, all_checks
from collector.observations import JudgedFinding, Observation
from collector.periods import Period
from collector.profile import Profile
from collector.registry import Entry, Registry
from collector.scoring import evaluate
from collector.scoring.coverage import unchecked_reasons
from collector.summarize.daily import daily_series
from govcensus_data.atomic import PathEscapeError, confined, write_atomic
from govcensus_data.markdown import escape_markdown
from govcensus_data.model import SCHEMA, data_file_text
from govcensus_data.rules import site_code



def entry_metadata(entry: Entry, registry: Registry) -> dict:
    parent = getattr(entry, "parent", None) or getattr(entry, "belongs_to", None)
    metadata = {
        "id": entry.id,
        "kind": entry.kind,
        "name": entry.name,
        "unit": entry.unit,
        "level": getattr(entry, "level", None),
        "site_kind": getattr(entry, "site_kind", None),
        "url": entry.url,
        "status": entry.status,
        "parent": parent,
        "platform": getattr(entry, "platform", None),
        "site_code": site_code(entry.kind, entry.id, parent),
    }
    # The registry's optional fields, only when staff gave them (older scorecards stay as they were).
    if getattr(entry, "offline_since", None):
        metadata["offline_since"] = entry.offline_since.isoformat()  # type: ignore[union-attr]
    if getattr(entry, "domains", ()):
        metadata["domains"] = list(entry.domains)  # type: ignore[union-attr]
    if getattr(entry, "column_type", None):
        metadata["column_type"] = entry.column_type  # type: ignore[union-attr]
    return metadata


def judge_entry(entry: Entry, observations: list[Observation], period: Period, profile: Profile,
                checks: list[Check]) -> tuple[dict, list[JudgedFinding]]:
    """Per-check figures and the findings of the period for one entry."""
    by_check: dict[str, list[Observation]] = defaultdict(list)
    for obs in observations:
        by_check[obs.check].append(obs)
    results: dict[str, dict] = {}
    findings: list[JudgedFinding] = []
    for check in checks:
        seen = by_check.get(check.name)
        if not seen:
            continue
        judged = check.judge(entry, seen, period, profile)
        findings.extend(judged)
        outcomes = Counter(o.outcome for o in seen)
        latest = max(seen, key=lambda o: o.at)
        reason = None if judged else check.unchecked_reason(seen, profile)
        results[check.name] = {
            "title": check.title,
            "indicator": check.indicator,
            "outcome": _check_outcome(judged, reason),
            **({"reason": reason} if reason else {}),
            "observations": len(seen),
            "could_not_check": outcomes["unreachable"] + outcomes["error"],
            "last_observed": latest.at.isoformat(),
            "figures": check.period_figures(seen, profile),
        }
    return results, findings


def _check_outcome(judged: list[JudgedFinding], unchecked_reason: str | None) -> str:
    if any(j.finding.severity == "veto" for j in judged):
        return "veto"
    if judged:
        return "finding"
    return "unchecked" if unchecked_reason else "ok"


def blocked_visits(observations: list[Observation], checks: list[Check]) -> list[dict]:
    """Per check, the visits the site refused us (rate limit, WAF challenge) and why: 检查受限."""
    titles = {c.name: c.title for c in checks}
    by_check: dict[str, Counter] = defaultdict(Counter)
    for obs in observations:
        if obs.figures.get("blocked"):
            by_check[obs.check][str(obs.figures["blocked"])] += 1
    return [{"check": name, "title": titles.get(name, name), "count": sum(reasons.values()),
             "reasons": dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])))}
            for name, reasons in sorted(by_check.items())]


def scorecard_document(entry: Entry, registry: Registry, period: Period, as_of: datetime,
                       observations: list[Observation], profile: Profile, checks: list[Check]) -> str:
    results, findings = judge_entry(entry, observations, period, profile, checks)
    titles = {c.name: c.title for c in checks}
    reasons = unchecked_reasons(entry.kind, entry.status == "运行", results, titles)
    verdict = evaluate(entry.kind, findings, profile, checked=not reasons)
    blocked = blocked_visits(observations, checks)
    front = {
        "schema": SCHEMA,
        "period": str(period),
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
        "as_of": as_of.isoformat(),
        "profile": profile.name,
        "entry": entry_metadata(entry, registry),
        "result": verdict.result,
        "score": verdict.score,
        "vetoes": verdict.vetoes,
        "deductions": verdict.deductions,
        **({"unchecked_reasons": reasons} if verdict.result == "unchecked" else {}),
        **({"blocked": blocked} if blocked else {}),
        "checks": results,
        **({"daily": daily} if (daily := daily_series(period, entry.kind, observations)) else {}),
        "findings": [_finding_dict(j) for j in findings],
    }
    body = _body(findings, reasons if verdict.result == "unchecked" else [])
    # findings are masked since their observations were made; period figures and scoring messages
    # are derived from them, and the gate costs nothing on text that holds no number
    return data_file_text(front, body)


def _finding_dict(judged: JudgedFinding) -> dict:
    f = judged.finding
    return {
        "check": judged.check,
        "code": f.code,
        "indicator": f.indicator,
        "severity": f.severity,
        "message": f.message,
        "key": f.merge_key,
        "first_seen": judged.first_seen.isoformat(),
        "last_seen": judged.last_seen.isoformat(),
        "times_seen": judged.times_seen,
        "evidence": asdict(f.evidence),
    }


def _body(findings: list[JudgedFinding], unchecked: list[str]) -> str:
    lines = [f"- **未检查**：{escape_markdown(reason)}" for reason in unchecked]
    if not findings:
        return "\n".join(lines) + "\n" if lines else "本期未发现问题。\n"
    for judged in findings:
        f = judged.finding
        lines.append(f"- **{SEVERITY_LABELS.get(f.severity, f.severity)}**（{escape_markdown(f.indicator)}）："
                     f"{escape_markdown(f.message)}；首次发现 {judged.first_seen:%Y-%m-%d}，"
                     f"最近发现 {judged.last_seen:%Y-%m-%d}。")
    return "\n".join(lines) + "\n"


def scorecard_path(content_dir: Path, period: Period, entry: Entry) -> Path:
    """Where an entry's scorecard goes; an id that would lead out of its period and kind folder is refused."""
    return confined(Path(content_dir) / "scorecards" / str(period) / entry.kind, f"{entry.id}.md")


# Entries judged per pass over the period: their observations are all that is held at once (a
# national quarter is ~500 observations, ~0.5 MB, an entry), so memory does not grow with the
# registry or the period. See docs/scale.md.
BATCH_ENTRIES = 400

EntryReader = Callable[[frozenset[str]], Iterable[Observation]]


def write_scorecards(registry: Registry, observations: Iterable[Observation], period: Period, as_of: datetime,
                     profile: Profile, content_dir: Path) -> tuple[int, int]:
    """Write every entry's scorecard for the period from observations at hand (one batch)."""
    held = list(observations)
    return write_scorecards_by_entry(registry, lambda ids: (o for o in held if o.entry in ids), period, as_of,
                                     profile, content_dir, batch_entries=None)


def write_scorecards_by_entry(registry: Registry, read: EntryReader, period: Period, as_of: datetime,
                              profile: Profile, content_dir: Path,
                              batch_entries: int | None = BATCH_ENTRIES) -> tuple[int, int]:
    """Write every entry's scorecard, reading the observations of `batch_entries` entries at a time.

    `read(ids)` gives the period's observations of those entry ids, in stored order. Returns
    (files written or unchanged, files changed).
    """
    checks = all_checks()
    # A message platform's observations count for the site or column it belongs to: 互动回应差 is
    # judged on that site, and platforms get no scorecard of their own.
    owner = {p.id: p.belongs_to for p in registry.message_platforms}
    platforms_of: dict[str, list[str]] = defaultdict(list)
    for platform, site in owner.items():
        platforms_of[site].append(platform)
    # message platforms are summarised by collector.summarize.messages; sorted ids keep a batch in few row groups
    entries = sorted((e for e in registry.entries() if e.kind != "message_platform"), key=lambda e: e.id)
    size = batch_entries or max(len(entries), 1)
    wanted: set[Path] = set()
    changed = 0
    for start in range(0, len(entries), size):
        batch = entries[start:start + size]
        ids = {e.id for e in batch}
        by_entry: dict[str, list[Observation]] = defaultdict(list)
        for obs in read(frozenset(ids.union(*(platforms_of.get(i, ()) for i in ids)))):
            if obs.at <= as_of:
                by_entry[owner.get(obs.entry, obs.entry)].append(obs)
        for entry in batch:
            path = scorecard_path(content_dir, period, entry)
            wanted.add(path)
            text = scorecard_document(entry, registry, period, as_of, by_entry.get(entry.id, []), profile, checks)
            changed += write_atomic(path, text)
        del by_entry
    period_dir = content_dir / "scorecards" / str(period)
    for stale in sorted(period_dir.glob("*/*.md")) if period_dir.exists() else []:
        if stale not in wanted and _inside(content_dir, stale):
            stale.unlink()
            changed += 1
    return len(wanted), changed


def _inside(content_dir: Path, path: Path) -> bool:
    """Only delete files that really are under content/ (a symlinked folder may point elsewhere)."""
    try:
        confined(content_dir, path.relative_to(content_dir))
    except (PathEscapeError, ValueError):
        return False
    return True
