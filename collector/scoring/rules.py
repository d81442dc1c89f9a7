"""The scoring part of an indicator profile, read into typed rules, and the methodology derived from it.

The profile says, per entry kind, which check findings are single-veto items and which are
deduction items (points per finding, findings allowed free, a cap per item), and the pass mark.
`collector summarize` writes `methodology(profile)` into the catalogue the site renders, so the page
always shows the rules the scores came from, with each counted code's label as its check declares it.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from collector.checks.base import KIND_LABELS, get_known_check
from collector.profile import Profile

ItemType = Literal["veto", "deduction"]


@dataclass(frozen=True)
class Item:
    """One indicator item: which (check, code) findings count for it and what they cost."""

    name: str
    type: ItemType
    rule: str
    findings: tuple[tuple[str, tuple[str, ...]], ...]
    points: Decimal = Decimal(0)
    allowance: int = 0
    cap: Decimal = Decimal(0)
    confirm: bool = False

    def matches(self, check: str, code: str) -> bool:
        return any(check == c and code in codes for c, codes in self.findings)


@dataclass(frozen=True)
class KindRules:
    kind: str
    items: tuple[Item, ...]

    def item_for(self, check: str, code: str) -> Item | None:
        return next((item for item in self.items if item.matches(check, code)), None)


@dataclass(frozen=True)
class ScoringRules:
    full_marks: Decimal
    pass_mark: Decimal
    kinds: dict[str, KindRules]

    def for_kind(self, kind: str) -> KindRules:
        try:
            return self.kinds[kind]
        except KeyError:
            raise ValueError(f"the profile scores no entries of kind {kind!r}") from None


def number(value: Any) -> Decimal:
    """Exact decimals from YAML numbers (0.1 stays 0.1), so 59.5 vs 60 is decided exactly."""
    return Decimal(str(value))


def scoring_rules(profile: Profile) -> ScoringRules:
    """Read the profile's `scoring` section; a malformed item is a profile error naming it."""
    raw = profile.raw.get("scoring")
    if not isinstance(raw, dict):
        raise ValueError(f"profile {profile.source} has no 'scoring' section")
    kinds = {}
    for kind, spec in raw["kinds"].items():
        items = [_item(profile, kind, entry, "veto") for entry in spec.get("vetoes") or []]
        items += [_item(profile, kind, entry, "deduction") for entry in spec.get("deductions") or []]
        kinds[kind] = KindRules(kind, tuple(items))
    return ScoringRules(number(raw["full_marks"]), number(raw["pass_mark"]), kinds)


def _item(profile: Profile, kind: str, raw: dict, type_: ItemType) -> Item:
    name = raw.get("item", "?")
    try:
        findings = tuple((str(check), tuple(str(c) for c in codes)) for check, codes in raw["findings"].items())
        if type_ == "veto":
            return Item(name, type_, str(raw.get("rule", "")), findings, confirm=bool(raw.get("confirm")))
        return Item(name, type_, str(raw.get("rule", "")), findings, points=number(raw["points"]),
                    allowance=int(raw.get("allowance", 0)), cap=number(raw["cap"]), confirm=bool(raw.get("confirm")))
    except (KeyError, TypeError, AttributeError, ArithmeticError, ValueError) as exc:
        raise ValueError(f"profile {profile.source}: scoring.kinds.{kind}: item {name!r}: {exc!r}") from None


def plain_number(value: Decimal) -> int | float:
    """For data files and pages: 5 rather than 5.0, 59.5 as it is."""
    return int(value) if value == value.to_integral_value() else float(value)


def methodology(profile: Profile) -> list[dict]:
    """Per scored entry kind: its veto and deduction items with rule, findings counted, points, caps.

    Plain data for the site's methodology page, generated from the same rules `evaluate` applies.
    """
    rules = scoring_rules(profile)
    result = []
    for kind, kind_rules in rules.kinds.items():
        items = []
        for item in kind_rules.items:
            entry: dict[str, Any] = {
                "item": item.name,
                "type": item.type,
                "rule": item.rule,
                "findings": [{"check": check, "codes": list(codes), "labels": _code_labels(check, codes)}
                             for check, codes in item.findings],
                "confirm": item.confirm,
            }
            if item.type == "deduction":
                entry.update(points=plain_number(item.points), allowance=item.allowance, cap=plain_number(item.cap))
            items.append(entry)
        result.append({"kind": kind, "label": KIND_LABELS.get(kind, kind), "full_marks": plain_number(rules.full_marks),
                       "pass_mark": plain_number(rules.pass_mark), "items": items})
    return result


def _code_labels(check: str, codes: tuple[str, ...]) -> list[str]:
    """Each code's label as its check declares it (the profile was verified against them)."""
    known = get_known_check(check)
    return [known.codes[c].label if known and c in known.codes else c for c in codes]
