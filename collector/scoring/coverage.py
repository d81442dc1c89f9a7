"""Is there enough to judge an entry? Which checks must have decided for a verdict to mean anything.

An entry whose key checks all could not decide this period — no observation could look at it,
or (reachability) no 7-day window held enough attempts that were not blocked — is "unchecked"
(未检查) with the reasons, gets no score, and is left out of pass rates. Without this, a round in
which every site was down, or every visit met a WAF challenge, would read 合格 100 分.

Key checks per kind:
- website (running): reachability and homepage freshness — whether citizens can reach the
  portal and whether it is kept up are the two things every other check rests on;
- column: reachability and column freshness;
- account: new-media freshness (its feed is the only window on the account);
- website not running (下线): the decommissioned-domain check.
One key check that decided is enough: the verdict then rests on what could be seen, and the
undecided checks are shown as 未能检查 on the scorecard. A single-veto finding always decides
(it fails the entry whatever else could not be checked).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

KEY_CHECKS: dict[str, tuple[str, ...]] = {
    "website": ("reachability", "homepage_freshness"),
    "column": ("reachability", "column_freshness"),
    "account": ("newmedia_freshness",),
}
DECOMMISSIONED_KEY_CHECKS: tuple[str, ...] = ("decommissioned_domain",)


def key_checks(kind: str, running: bool) -> tuple[str, ...]:
    if kind == "website" and not running:
        return DECOMMISSIONED_KEY_CHECKS
    return KEY_CHECKS.get(kind, ())


def unchecked_reasons(kind: str, running: bool, results: Mapping[str, Mapping[str, Any]],
                      titles: Mapping[str, str]) -> list[str]:
    """Why the entry cannot be judged ("检查项：原因" per key check); empty when it can.

    `results` is the scorecard's per-check section: {check: {"outcome", "reason", ...}}.
    """
    keys = key_checks(kind, running)
    if not keys:
        return [] if any(r.get("outcome") != "unchecked" for r in results.values()) else ["本期没有可判定的检查"]
    reasons = []
    for name in keys:
        result = results.get(name)
        if result is not None and result.get("outcome") != "unchecked":
            return []
        title = titles.get(name, name)
        reasons.append(f"{title}：{result.get('reason') or '未能检查'}" if result else f"{title}：本期无观测记录")
    return reasons
