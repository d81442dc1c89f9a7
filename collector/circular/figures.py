"""The circular's figures for one quarter, read from that quarter's data files.

Websites, columns and accounts come from content/scorecards/<period>/ (their results were decided
under the profile when the scorecards were written); messages from content/messages/<period>.md.
The registry is read only to name what the message platforms belong to. Nothing here depends on
the clock, so a past quarter's figures regenerate identically from its files.

Pass rate (合格率) = passing / checked entries (unchecked entries are counted apart), one decimal
rounded half up, exactly 100 written "100%" — the same rule as the message completion rate.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from collector.periods import Period
from collector.registry import LEVELS, Registry
from govcensus_data.masking import mask_value
from govcensus_data.rules import rate, rate_text

RUNNING = "运行"
#: libyaml's safe loader when present: a quarter has hundreds of scorecards to read.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: The order the circular lists platforms in (微博 first, as the seed does).
PLATFORM_ORDER = ("微博", "微信公众号", "今日头条", "抖音", "快手", "其他")


def read_front_matter(path: Path) -> dict[str, Any]:
    """The YAML front matter of a data file (between the first two '---' lines)."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        raise ValueError(f"{path}: no YAML front matter")
    front, _, _ = text[4:].partition("\n---\n")
    data = yaml.load(front, Loader=_Loader)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: front matter is not a mapping")
    return mask_value(data)  # a file written before the masking gate may still hold raw numbers


def load_scorecards(content_dir: Path, period: Period) -> list[dict[str, Any]]:
    """Front matter of every scorecard of the period, in (kind, id) order."""
    folder = Path(content_dir) / "scorecards" / str(period)
    cards = [read_front_matter(path) for path in sorted(folder.glob("*/*.md"))] if folder.is_dir() else []
    return sorted(cards, key=lambda c: (c["entry"]["kind"], str(c["entry"]["id"])))


def load_messages(content_dir: Path, period: Period) -> dict[str, Any] | None:
    path = Path(content_dir) / "messages" / f"{period}.md"
    return read_front_matter(path) if path.is_file() else None


def pass_rate(passed: int, checked: int) -> tuple[float | None, str]:
    value = rate(passed, checked)
    return value, rate_text(value)


def population(cards: list[dict[str, Any]]) -> dict[str, Any]:
    """Running entries, how many were checked, failed (by veto or by score) and the pass rate."""
    running = [c for c in cards if c["entry"].get("status", RUNNING) == RUNNING]
    checked = [c for c in running if c["result"] in ("pass", "fail")]
    failed = [c for c in checked if c["result"] == "fail"]
    passed = len(checked) - len(failed)
    rate, text = pass_rate(passed, len(checked))
    return {
        "running": len(running),
        "checked": len(checked),
        "unchecked": len(running) - len(checked),
        "failed": len(failed),
        "failed_by_veto": sum(1 for c in failed if _vetoed(c)),
        "passed": passed,
        "pass_rate": rate,
        "pass_rate_text": text,
    }


def _vetoed(card: dict[str, Any]) -> bool:
    if "vetoes" in card:
        return bool(card["vetoes"])
    return any(f.get("severity") == "veto" for f in card.get("findings") or [])


def _by_level(cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    counts = Counter((c["entry"].get("level") or "", c["entry"].get("site_kind") or "") for c in cards
                     if c["entry"].get("status", RUNNING) == RUNNING)
    rank = {level: i for i, level in enumerate(LEVELS)}
    return [{"level": level, "site_kind": kind, "count": n}
            for (level, kind), n in sorted(counts.items(), key=lambda kv: (rank.get(kv[0][0], len(rank)), kv[0]))]


def _by_platform(cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    counts = Counter(c["entry"].get("platform") or "其他" for c in cards if c["entry"].get("status", RUNNING) == RUNNING)
    rank = {platform: i for i, platform in enumerate(PLATFORM_ORDER)}
    return [{"platform": p, "count": n} for p, n in sorted(counts.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0]))]


def message_figures(messages: dict[str, Any] | None, registry: Registry) -> dict[str, Any] | None:
    """Platforms, what they belong to, messages per report_label (units with none left out), 办结率."""
    if messages is None:
        return None
    totals = messages["totals"]
    owners_sites: Counter[tuple[str, str]] = Counter()
    owner_columns: list[str] = []
    for platform in registry.message_platforms:
        try:
            owner = registry.get(platform.belongs_to)
        except KeyError:
            continue
        if owner.kind == "website":
            owners_sites[(getattr(owner, "level", ""), getattr(owner, "site_kind", ""))] += 1
        else:
            owner_columns.append(owner.name)
    rank = {level: i for i, level in enumerate(LEVELS)}
    owners = [{"level": level, "site_kind": kind, "count": n} for (level, kind), n in
              sorted(owners_sites.items(), key=lambda kv: (rank.get(kv[0][0], len(rank)), kv[0]))]
    return {
        "platforms": totals["platforms"],
        "platforms_without_data": totals["platforms_without_data"],
        "owner_sites": owners,
        "owner_columns": owner_columns,
        "received": totals["received"],
        "on_time": totals["on_time"],
        "overdue": totals["overdue"],
        "open": totals["open"],
        "units": [{"report_label": u["report_label"], "received": u["received"]} for u in messages["units"]
                  if u.get("received")],
        "completion_rate": totals["completion_rate"],
        "completion_rate_text": totals["completion_rate_text"],
        "could_not_check": [{"name": row["name"], "reason": (row.get("export") or {}).get("reason", "")}
                            for row in messages.get("platforms") or []
                            if (row.get("export") or {}).get("status", "ok") != "ok"],
    }


def quarter_figures(period: Period, content_dir: Path, registry: Registry) -> dict[str, Any]:
    """Every figure of the circular's 总体情况 for the period, as plain data."""
    cards = load_scorecards(content_dir, period)
    by_kind: dict[str, list[dict[str, Any]]] = {"website": [], "column": [], "account": []}
    for card in cards:
        by_kind.setdefault(card["entry"]["kind"], []).append(card)
    websites = by_kind["website"]
    return {
        "period": str(period),
        "websites": {**population(websites), "by_level": _by_level(websites),
                     "decommissioned": sum(1 for c in websites if c["entry"].get("status") != RUNNING)},
        "columns": {**population(by_kind["column"]), "by_level": _by_level(by_kind["column"])},
        "accounts": {**population(by_kind["account"]), "by_platform": _by_platform(by_kind["account"])},
        "messages": message_figures(load_messages(content_dir, period), registry),
    }
