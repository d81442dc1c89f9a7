"""What a check saw: observations (one per entry x check x round) and the findings they carry.

These records are the source of truth; everything on the site is derived from them. They are
written to disk, committed and published, so every string a check hands over passes the masking
gate (govcensus_data.masking) as the record is created: no check can forget to mask, and a line read
back from an older file is masked again on the way in.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from govcensus_data.masking import mask_text, mask_value

SCHEMA_VERSION = 1

Outcome = Literal["ok", "finding", "unreachable", "error"]
Severity = Literal["veto", "deduction", "info"]


@dataclass(frozen=True)
class Evidence:
    url: str = ""
    location: str = ""
    snippet: str = ""

    def __post_init__(self) -> None:
        _mask_fields(self, ("url", "location", "snippet"))


@dataclass(frozen=True)
class Finding:
    """One problem seen. `key` identifies the same problem across rounds (for first/last seen)."""

    code: str
    indicator: str
    severity: Severity
    message: str
    key: str = ""
    evidence: Evidence = field(default_factory=Evidence)

    def __post_init__(self) -> None:
        _mask_fields(self, ("code", "indicator", "message", "key"))

    @property
    def merge_key(self) -> str:
        return f"{self.code}|{self.key or self.evidence.url}"


@dataclass(frozen=True)
class Observation:
    at: datetime
    entry: str
    kind: str
    check: str
    outcome: Outcome
    figures: dict[str, Any] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()

    def __post_init__(self) -> None:
        # entry, kind and check are our own registry ids and names, not third-party text
        object.__setattr__(self, "figures", mask_value(self.figures))
        object.__setattr__(self, "findings", tuple(self.findings))

    def to_json(self) -> str:
        """One line of a day file: what dataclasses.asdict would give, built directly (asdict copies
        every value deeply, and a replay writes tens of thousands of these)."""
        data = {"v": SCHEMA_VERSION, "at": self.at.isoformat(), "entry": self.entry, "kind": self.kind,
                "check": self.check, "outcome": self.outcome, "figures": self.figures,
                "findings": [_finding_dict(f) for f in self.findings]}
        return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, line: str) -> "Observation":
        return cls.from_dict(json.loads(line))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Observation":
        """From the JSON shape (a day file's line, or a compacted row): masked again on the way in."""
        data = dict(data)
        data.pop("v", None)
        findings = tuple(
            Finding(**{**f, "evidence": Evidence(**f.get("evidence", {}))}) for f in data.pop("findings", [])
        )
        return cls(at=datetime.fromisoformat(data.pop("at")), findings=findings, **data)


def _finding_dict(finding: Finding) -> dict[str, Any]:
    evidence = finding.evidence
    return {"code": finding.code, "indicator": finding.indicator, "severity": finding.severity,
            "message": finding.message, "key": finding.key,
            "evidence": {"url": evidence.url, "location": evidence.location, "snippet": evidence.snippet}}


def _mask_fields(record: object, names: tuple[str, ...]) -> None:
    """Mask string fields of a frozen record in place (only at construction)."""
    for name in names:
        value = getattr(record, name)
        if isinstance(value, str):
            masked = mask_text(value)
            if masked is not value:
                object.__setattr__(record, name, masked)


@dataclass(frozen=True)
class JudgedFinding:
    """A finding merged over a period: first and last time it was seen."""

    check: str
    finding: Finding
    first_seen: datetime
    last_seen: datetime
    times_seen: int


def merge_findings(check: str, observations: list[Observation]) -> list[JudgedFinding]:
    merged: dict[str, JudgedFinding] = {}
    for obs in sorted(observations, key=lambda o: o.at):
        for finding in obs.findings:
            key = finding.merge_key
            seen = merged.get(key)
            if seen is None:
                merged[key] = JudgedFinding(check, finding, obs.at, obs.at, 1)
            else:
                merged[key] = JudgedFinding(check, finding, seen.first_seen, obs.at, seen.times_seen + 1)
    return sorted(merged.values(), key=lambda j: (j.first_seen, j.finding.code, j.finding.key))
