"""Scorecard data files (schema govcensus.scorecard/1) as typed objects.

The collector writes `content/scorecards/<period>/<kind>/<id>.md`: YAML front matter between
`---` lines, then a Markdown body. We read them ourselves rather than through Pelican's readers
because they are data, not articles; a malformed file stops the build with its path, since a
silently missing entry would make every published figure wrong.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

SCHEMA = "govcensus.scorecard/1"
MESSAGES_SCHEMA = "govcensus.messages/1"
KINDS = ("website", "column", "account", "message_platform")
RESULTS = ("pass", "fail", "unchecked")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)(.*)\Z", re.DOTALL)


class DataFileError(ValueError):
    """A data file that does not follow its schema; the message starts with the file's path."""

    def __init__(self, path: Path, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


@dataclass(frozen=True)
class Entry:
    """What was inspected, as registered: one website, disclosure column, account or message platform."""

    id: str
    kind: str
    name: str
    unit: str
    level: str = ""
    site_kind: str = ""
    url: str = ""
    status: str = "运行"
    parent: str | None = None
    platform: str | None = None
    site_code: str | None = None

    @property
    def running(self) -> bool:
        """Decommissioned entries (下线) stay registered but are counted apart from running ones."""
        return self.status != "下线"

    @property
    def href(self) -> str | None:
        """The URL as a link target, only when it is plain http(s); anything else is shown as text."""
        return safe_href(self.url)


@dataclass(frozen=True)
class Evidence:
    url: str = ""
    location: str = ""
    snippet: str = ""

    @property
    def href(self) -> str | None:
        return safe_href(self.url)


@dataclass(frozen=True)
class Finding:
    check: str
    code: str
    indicator: str
    severity: str
    message: str
    first_seen: str = ""
    last_seen: str = ""
    times_seen: int = 0
    evidence: Evidence = field(default_factory=Evidence)


@dataclass(frozen=True)
class CheckResult:
    """One check's state for the period: latest figures and how many observations it rests on."""

    name: str
    indicator: str
    outcome: str
    title: str = ""
    observations: int = 0
    could_not_check: int = 0
    last_observed: str = ""
    figures: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Scorecard:
    period: str
    period_start: str
    period_end: str
    as_of: str
    entry: Entry
    result: str
    checks: tuple[CheckResult, ...] = ()
    findings: tuple[Finding, ...] = ()
    body: str = ""
    source: str = ""

    @property
    def id(self) -> str:
        return self.entry.id

    @property
    def kind(self) -> str:
        return self.entry.kind

    @property
    def url(self) -> str:
        """Site-relative URL of this scorecard's page; stable across builds."""
        return f"scorecards/{self.period}/{self.entry.id}.html"

    @property
    def vetoes(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "veto")


def safe_href(url: str | None) -> str | None:
    """Third-party URLs become links only if http(s); a `javascript:` URL must never be clickable."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.hostname:
        return url.strip()
    return None


@dataclass(frozen=True)
class MessageSummary:
    """A quarter's citizen-message statistics (content/messages/<period>.md, by collector.messages)."""

    period: str
    as_of: str
    limit_working_days: int
    totals: dict[str, Any]
    body: str
    source: str

    @property
    def url(self) -> str:
        return f"messages/{self.period}.html"


def _read(path: Path, schema: str) -> tuple[dict[str, Any], str]:
    """Front matter (checked against its schema) and body of one data file."""
    text = path.read_text(encoding="utf-8")
    match = _FRONT_MATTER.match(text)
    if not match:
        raise DataFileError(path, "no YAML front matter between '---' lines")
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        raise DataFileError(path, f"front matter is not valid YAML: {exc}") from None
    if not isinstance(meta, dict):
        raise DataFileError(path, "front matter must be a mapping")
    if meta.get("schema") != schema:
        raise DataFileError(path, f"schema is {meta.get('schema')!r}, expected {schema!r}")
    return meta, match.group(2).strip()


def load_message_summaries(root: str | Path) -> list[MessageSummary]:
    """Every `<period>.md` under root, oldest first."""
    root = Path(root)
    summaries = []
    for path in sorted(root.glob("*.md")) if root.is_dir() else []:
        meta, body = _read(path, MESSAGES_SCHEMA)
        if not isinstance(meta.get("totals"), dict) or "period" not in meta:
            raise DataFileError(path, "needs 'period' and a 'totals' mapping")
        summaries.append(MessageSummary(period=str(meta["period"]), as_of=_text(meta.get("as_of")),
                                        limit_working_days=int(meta.get("limit_working_days") or 0),
                                        totals=meta["totals"], body=body, source=str(path)))
    return summaries


def load_scorecard(path: str | Path) -> Scorecard:
    """Read one data file; raise DataFileError naming the file and the field at fault."""
    path = Path(path)
    meta, body = _read(path, SCHEMA)
    for key in ("period", "entry", "result"):
        if key not in meta:
            raise DataFileError(path, f"missing {key!r}")
    if meta["result"] not in RESULTS:
        raise DataFileError(path, f"result {meta['result']!r} is not one of {', '.join(RESULTS)}")
    entry = _entry(path, meta["entry"])
    return Scorecard(
        period=str(meta["period"]),
        period_start=_text(meta.get("period_start")),
        period_end=_text(meta.get("period_end")),
        as_of=_text(meta.get("as_of")),
        entry=entry,
        result=meta["result"],
        checks=tuple(_check(path, name, raw) for name, raw in (meta.get("checks") or {}).items()),
        findings=tuple(_finding(path, raw) for raw in (meta.get("findings") or [])),
        body=body,
        source=str(path),
    )


def load_scorecards(root: str | Path) -> list[Scorecard]:
    """Every `<period>/<kind>/<id>.md` under root, sorted by path so builds are reproducible."""
    root = Path(root)
    if not root.is_dir():
        return []
    cards = []
    for path in sorted(root.glob("*/*/*.md")):
        card = load_scorecard(path)
        period_dir, kind_dir = path.parent.parent.name, path.parent.name
        if (card.period, card.kind) != (period_dir, kind_dir):
            raise DataFileError(path, f"lies under {period_dir}/{kind_dir} but says period "
                                      f"{card.period}, kind {card.kind}")
        cards.append(card)
    return cards


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _known(raw: dict[str, Any], cls: type) -> dict[str, Any]:
    """Only the fields our dataclass knows: later schema additions must not break older sites."""
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in raw.items() if k in names}


def _entry(path: Path, raw: Any) -> Entry:
    if not isinstance(raw, dict):
        raise DataFileError(path, "entry must be a mapping")
    for key in ("id", "kind", "name", "unit"):
        if not raw.get(key):
            raise DataFileError(path, f"entry.{key} is missing")
    if raw["kind"] not in KINDS:
        raise DataFileError(path, f"entry.kind {raw['kind']!r} is not one of {', '.join(KINDS)}")
    values = {k: (None if v is None else str(v)) for k, v in _known(raw, Entry).items()}
    values["status"] = values.get("status") or "运行"
    for key in ("level", "site_kind", "url"):
        values[key] = values.get(key) or ""
    return Entry(**values)


def _check(path: Path, name: str, raw: Any) -> CheckResult:
    if not isinstance(raw, dict):
        raise DataFileError(path, f"checks.{name} must be a mapping")
    figures = raw.get("figures") or {}
    if not isinstance(figures, dict):
        raise DataFileError(path, f"checks.{name}.figures must be a mapping")
    return CheckResult(
        name=str(name),
        indicator=_text(raw.get("indicator")),
        outcome=_text(raw.get("outcome")),
        title=_text(raw.get("title")),
        observations=int(raw.get("observations") or 0),
        could_not_check=int(raw.get("could_not_check") or 0),
        last_observed=_text(raw.get("last_observed")),
        figures=figures,
    )


def _finding(path: Path, raw: Any) -> Finding:
    if not isinstance(raw, dict):
        raise DataFileError(path, "each finding must be a mapping")
    for key in ("check", "code", "indicator", "severity", "message"):
        if not raw.get(key):
            raise DataFileError(path, f"a finding has no {key!r}")
    evidence = raw.get("evidence") or {}
    if not isinstance(evidence, dict):
        raise DataFileError(path, "finding evidence must be a mapping")
    values = {k: _text(v) for k, v in _known(raw, Finding).items() if k not in ("evidence", "times_seen")}
    values["times_seen"] = int(raw.get("times_seen") or 0)
    return Finding(**values, evidence=Evidence(**{k: _text(v) for k, v in _known(evidence, Evidence).items()}))
