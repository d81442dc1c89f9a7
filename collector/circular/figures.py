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

from collector.periods import Period
from collector.registry import LEVELS, Registry
from govcensus_data.model import MessageSummary, Scorecard, period_scorecards, read_message_summary
from govcensus_data.rules import rate, rate_text

RUNNING = "运行"
#: The order the circular lists platforms in (微博 first, as the seed does).
PLATFORM_ORDER = ("微博", "微信公众号", "今日头条", "抖音", "快手", "其他")


def load_scorecards(content_dir: Path, period: Period) -> list[Scorecard]:
    """Every scorecard of the period, in (kind, id) order, through the one data-file reader."""
    return period_scorecards(content_dir, str(period))


def pass_rate(passed: int, checked: int) -> tuple[float | None, str]:
    value = rate(passed, checked)
    return value, rate_text(value)


def population(cards: list[Scorecard]) -> dict[str, Any]:
    """Running entries, how many were checked, failed (by veto or by score) and the pass rate."""
    running = [c for c in cards if c.entry.status == RUNNING]
    checked = [c for c in running if c.result in ("pass", "fail")]
    failed = [c for c in checked if c.result == "fail"]
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


def veto_items(card: Scorecard) -> list[tuple[str, str]]:
    """(item, code) of every single veto the entry failed on; for a file written before scorecards
    listed their vetoes, its veto-severity findings."""
    if card.vetoes_listed:
        return [(v.item, v.code) for v in card.veto_items]
    return [(f.indicator, f.code) for f in card.vetoes]


def _vetoed(card: Scorecard) -> bool:
    return bool(veto_items(card))


def _by_level(cards: list[Scorecard]) -> list[dict[str, Any]]:
    counts = Counter((c.entry.level, c.entry.site_kind) for c in cards if c.entry.status == RUNNING)
    rank = {level: i for i, level in enumerate(LEVELS)}
    return [{"level": level, "site_kind": kind, "count": n}
            for (level, kind), n in sorted(counts.items(), key=lambda kv: (rank.get(kv[0][0], len(rank)), kv[0]))]


def _by_platform(cards: list[Scorecard]) -> list[dict[str, Any]]:
    counts = Counter(c.entry.platform or "其他" for c in cards if c.entry.status == RUNNING)
    rank = {platform: i for i, platform in enumerate(PLATFORM_ORDER)}
    return [{"platform": p, "count": n} for p, n in sorted(counts.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0]))]


def message_figures(messages: MessageSummary | None, registry: Registry) -> dict[str, Any] | None:
    """Platforms, what they belong to, messages per report_label (units with none left out), 办结率."""
    if messages is None:
        return None
    totals = messages.totals
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
        "units": [{"report_label": u.name, "received": u.received} for u in messages.units if u.received],
        "completion_rate": totals["completion_rate"],
        "completion_rate_text": totals["completion_rate_text"],
        "could_not_check": [{"name": row.name, "reason": row.export_reason} for row in messages.platforms
                            if (row.export_status or "ok") != "ok"],
    }


def quarter_figures(period: Period, content_dir: Path, registry: Registry) -> dict[str, Any]:
    """Every figure of the circular's 总体情况 for the period, as plain data."""
    cards = load_scorecards(content_dir, period)
    by_kind: dict[str, list[Scorecard]] = {"website": [], "column": [], "account": []}
    for card in cards:
        by_kind.setdefault(card.kind, []).append(card)
    websites = by_kind["website"]
    return {
        "period": str(period),
        "websites": {**population(websites), "by_level": _by_level(websites),
                     "decommissioned": sum(1 for c in websites if c.entry.status != RUNNING)},
        "columns": {**population(by_kind["column"]), "by_level": _by_level(by_kind["column"])},
        "accounts": {**population(by_kind["account"]), "by_platform": _by_platform(by_kind["account"])},
        "messages": message_figures(read_message_summary(content_dir, str(period)), registry),
    }
