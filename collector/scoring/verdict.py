"""An entry's result under the profile: any single-veto finding fails it; otherwise deductions,
capped per item, are taken off full marks and a score below the pass mark fails it.

A vetoed entry has no score (null): the veto is the verdict, and "不合格 · 得分 100" would
contradict itself. Its deductions are still listed. An entry that could not be judged
(collector.scoring.coverage) is "unchecked" with no score, unless a veto was found anyway.

Findings are judged by the profile's items, not by the severity they were stored with, so the
same observations can be judged under another profile. A finding no item lists keeps its stored
severity (a veto is never dropped) and costs no points.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from collector.observations import JudgedFinding
from collector.profile import Profile
from collector.scoring.rules import Item, plain_number, scoring_rules

Result = Literal["pass", "fail", "unchecked"]


@dataclass(frozen=True)
class Verdict:
    result: Result
    score: int | float | None
    vetoes: list[dict[str, Any]] = field(default_factory=list)
    deductions: list[dict[str, Any]] = field(default_factory=list)


def _plain(finding: JudgedFinding | dict) -> dict[str, str]:
    if isinstance(finding, JudgedFinding):
        f = finding.finding
        return {"check": finding.check, "code": f.code, "indicator": f.indicator, "severity": f.severity,
                "message": f.message}
    return {k: str(finding.get(k, "")) for k in ("check", "code", "indicator", "severity", "message")}


def evaluate(kind: str, findings: Sequence[JudgedFinding] | Sequence[dict], profile: Profile,
             checked: bool = True) -> Verdict:
    """The verdict for one entry of `kind` from its period findings (JudgedFinding or scorecard dicts).

    `checked=False` (the entry's key checks could not decide this period) gives "unchecked" with no
    score, unless a single-veto finding fails the entry all the same.
    """
    rules = scoring_rules(profile)
    kind_rules = rules.for_kind(kind)
    vetoes: list[dict[str, Any]] = []
    counted: dict[str, tuple[Item | None, list[dict[str, str]]]] = {}
    for finding in map(_plain, findings):
        item = kind_rules.item_for(finding["check"], finding["code"])
        type_ = item.type if item else finding["severity"]
        name = item.name if item else finding["indicator"]
        if type_ == "veto":
            vetoes.append({"item": name, "check": finding["check"], "code": finding["code"],
                           "message": finding["message"]})
        elif type_ == "deduction":
            counted.setdefault(name, (item, []))[1].append(finding)
    if not checked and not vetoes:
        return Verdict("unchecked", None)
    deductions = []
    total = Decimal(0)
    order = {item.name: i for i, item in enumerate(kind_rules.items)}
    for name, (item, found) in sorted(counted.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])):
        points = Decimal(0)
        if item is not None:
            points = min(max(len(found) - item.allowance, 0) * item.points, item.cap)
        total += points
        deductions.append({"item": name, "findings": len(found),
                           "points_each": plain_number(item.points) if item else 0,
                           "allowance": item.allowance if item else 0,
                           "cap": plain_number(item.cap) if item else 0,
                           "points": plain_number(points)})
    score = rules.full_marks - total
    if vetoes:
        return Verdict("fail", None, vetoes, deductions)
    return Verdict("fail" if score < rules.pass_mark else "pass", plain_number(score), vetoes, deductions)
