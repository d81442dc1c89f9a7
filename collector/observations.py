"""What a check saw: observations (one per entry x check x round) and the findings they carry.

These records are the source of truth; everything on the site is derived from them. Evidence is
stored already masked, because observations are written to disk and committed.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal

SCHEMA_VERSION = 1

Outcome = Literal["ok", "finding", "unreachable", "error"]
Severity = Literal["veto", "deduction", "info"]


@dataclass(frozen=True)
class Evidence:
    url: str = ""
    location: str = ""
    snippet: str = ""


@dataclass(frozen=True)
class Finding:
    """One problem seen. `key` identifies the same problem across rounds (for first/last seen)."""

    code: str
    indicator: str
    severity: Severity
    message: str
    key: str = ""
    evidence: Evidence = field(default_factory=Evidence)

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

    def to_json(self) -> str:
        data = asdict(self)
        data = {"v": SCHEMA_VERSION, **data, "at": self.at.isoformat()}
        return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, line: str) -> "Observation":
        data = json.loads(line)
        data.pop("v", None)
        findings = tuple(
            Finding(**{**f, "evidence": Evidence(**f.get("evidence", {}))}) for f in data.pop("findings", [])
        )
        return cls(at=datetime.fromisoformat(data.pop("at")), findings=findings, **data)
