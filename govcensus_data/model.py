"""The data files the collector writes and the site reads, as typed objects: scorecards (schema
govcensus.scorecard/1), message statistics and rectification status. One reader for all, so the
circular, rectification and the site see the same validated fields.

The collector writes `content/scorecards/<period>/<kind>/<id>.md`: YAML front matter between
`---` lines, then a Markdown body. We read them ourselves rather than through Pelican's readers
because they are data, not articles; a malformed file stops the build with its path, since a
silently missing entry would make every published figure wrong.
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field, fields
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from govcensus_data.masking import mask_markdown, mask_value
from govcensus_data.rules import site_code

SCHEMA = "govcensus.scorecard/1"
MESSAGES_SCHEMA = "govcensus.messages/1"
RECTIFICATION_SCHEMA = "govcensus.rectification/1"
RECTIFICATION_STATUSES = ("overdue", "open", "rectified")
KINDS = ("website", "column", "account", "message_platform")
RESULTS = ("pass", "fail", "unchecked")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)(.*)\Z", re.DOTALL)


def data_file_text(front: dict[str, Any], body: str) -> str:
    """A data file as every writer of one makes it: the front matter through the masking gate, as
    YAML in the order given, between '---' lines, then the body. One writer, so the readers above
    meet one layout whatever wrote the file. libyaml's dumper (8x faster than PyYAML's own: a national
    summary writes tens of thousands of these) gives the same bytes on our files, and the same values
    always, though it may fold a string of over 1,000 characters at other spaces."""
    front_matter = yaml.dump(mask_value(front), Dumper=yaml_dumper(), allow_unicode=True, sort_keys=False, width=1000)
    return "---\n" + front_matter + "---\n" + body


class DataFileError(ValueError):
    """A data file that does not follow its schema; the message starts with the file's path."""

    def __init__(self, path: Path, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")

    def __reduce__(self):
        # Raised in a build worker, it crosses back to the parent pickled: keep path and reason.
        return (type(self), (self.path, self.reason))


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
    offline_since: str | None = None     # 下线日期 of a decommissioned site, when the registry gives it
    column_type: str | None = None       # a disclosure column's own column type, when given
    domains: tuple[str, ...] = ()        # the domains registered for a site, when the registry lists them

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
    key: str = ""
    first_seen: str = ""
    last_seen: str = ""
    times_seen: int = 0
    evidence: Evidence = field(default_factory=Evidence)


@dataclass(frozen=True)
class Veto:
    """A single-veto item the entry failed on, as collector.scoring judged it."""

    item: str
    check: str = ""
    code: str = ""
    message: str = ""


@dataclass(frozen=True)
class Deduction:
    """Points taken off for one deduction item: findings counted, points each, free allowance, cap."""

    item: str
    findings: int = 0
    points_each: float = 0
    allowance: int = 0
    cap: float = 0
    points: float = 0


@dataclass(frozen=True)
class Blocked:
    """Visits of one check that the site refused us (rate limit, WAF challenge): 检查受限."""

    check: str
    title: str = ""
    count: int = 0
    reasons: tuple[tuple[str, int], ...] = ()


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
    reason: str = ""  # why the check decided nothing this period (outcome "unchecked")


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
    score: float | None = None
    veto_items: tuple[Veto, ...] = ()
    deductions: tuple[Deduction, ...] = ()
    unchecked_reasons: tuple[str, ...] = ()
    blocked: tuple[Blocked, ...] = ()
    daily: tuple[tuple[str, str], ...] = ()  # per-day series (collector/summarize/daily.py), by name
    digest: str = field(default="", compare=False, repr=False)  # content hash of the data file
    #: False for a file written before scorecards listed their vetoes (no `vetoes` key at all).
    vetoes_listed: bool = field(default=True, compare=False, repr=False)

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

    def check(self, name: str) -> CheckResult | None:
        """This period's result of one check, None when the check did not apply or never ran."""
        return next((c for c in self.checks if c.name == name), None)


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
class MessageFigures:
    """One row of message statistics (a platform, a unit or the total); None where no data was read."""

    name: str
    unit: str = ""
    received: int | None = None
    replied: int | None = None
    on_time: int | None = None
    overdue: int | None = None
    open: int | None = None
    median_days: float | None = None
    p90_days: float | None = None
    mean_days: float | None = None
    max_days: float | None = None
    median_calendar_days: float | None = None
    p90_calendar_days: float | None = None
    mean_calendar_days: float | None = None
    max_calendar_days: float | None = None
    over_days: dict[int, int] | None = None
    completion_rate_text: str = "—"
    platforms: int = 0
    platforms_without_data: int = 0
    id: str = ""
    export_status: str = ""
    export_reason: str = ""

    @property
    def has_data(self) -> bool:
        """False when no export behind this row could be read (its zeros would mean nothing)."""
        if self.export_status:
            return self.export_status == "ok"
        return self.received is not None and not (self.platforms and self.platforms_without_data >= self.platforms)


@dataclass(frozen=True)
class MessageSummary:
    """A quarter's citizen-message statistics (content/messages/<period>.md, by collector.summarize.messages)."""

    period: str
    as_of: str
    limit_working_days: int
    totals: dict[str, Any]
    body: str
    source: str
    platforms: tuple[MessageFigures, ...] = ()
    units: tuple[MessageFigures, ...] = ()
    anomalies_by_platform: dict[str, dict[str, int]] = field(default_factory=dict)
    errors_by_platform: dict[str, int] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"messages/{self.period}.html"


@dataclass(frozen=True)
class RectificationItem:
    """One problem being rectified (整改): who answers for it, by when, and where it stands."""

    id: str
    status: str
    unit: str
    entry_id: str
    entry_kind: str
    entry_name: str
    check: str
    code: str
    indicator: str
    severity: str
    message: str
    first_seen: str
    last_seen: str
    deadline: str
    scorecard: str
    rectified_by: str = ""
    rectified_on: str = ""
    note: str = ""
    codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RectificationStatus:
    """content/rectification-status/<period>.md, written by collector.rectification."""

    period: str
    as_of: str
    deadlines: dict[str, str]
    counts: dict[str, int]
    items: tuple[RectificationItem, ...]
    source: str = ""

    def of_status(self, status: str) -> tuple[RectificationItem, ...]:
        return self._index("status").get(status, ())

    def of_entry(self, entry_id: str) -> tuple[RectificationItem, ...]:
        return self._index("entry_id").get(entry_id, ())

    def of_unit(self, unit: str) -> tuple[RectificationItem, ...]:
        return self._index("unit").get(unit, ())

    @cached_property
    def _indexes(self) -> dict[str, dict[str, tuple[RectificationItem, ...]]]:
        """Items by status, entry and unit, built once: every scorecard page asks for its own."""
        indexes: dict[str, dict[str, list[RectificationItem]]] = {"status": {}, "entry_id": {}, "unit": {}}
        for item in self.items:
            for name, index in indexes.items():
                index.setdefault(getattr(item, name), []).append(item)
        return {name: {k: tuple(v) for k, v in index.items()} for name, index in indexes.items()}

    def _index(self, name: str) -> dict[str, tuple[RectificationItem, ...]]:
        return self._indexes[name]


def yaml_loader() -> type:
    """libyaml's C loader where PyYAML was built with it: the same results as the pure-Python
    SafeLoader on our front matter, several times faster; the pure loader otherwise."""
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def yaml_dumper() -> type:
    """libyaml's C dumper where available (same output as SafeDumper), else the pure one."""
    return getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _read(path: Path, schema: str) -> tuple[dict[str, Any], str]:
    """Front matter (checked against its schema) and body of one data file."""
    return _parse(path, path.read_text(encoding="utf-8"), schema)


def _parse(path: Path, text: str, schema: str) -> tuple[dict[str, Any], str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        raise DataFileError(path, "no YAML front matter between '---' lines")
    try:
        meta = yaml.load(match.group(1), Loader=yaml_loader())
    except yaml.YAMLError as exc:
        raise DataFileError(path, f"front matter is not valid YAML: {exc}") from None
    if not isinstance(meta, dict):
        raise DataFileError(path, "front matter must be a mapping")
    if meta.get("schema") != schema:
        raise DataFileError(path, f"schema is {meta.get('schema')!r}, expected {schema!r}")
    # Written by the collector, these files are masked already; one written before the masking
    # gate may not be, and nothing unmasked may reach the published site.
    return mask_value(meta), mask_markdown(match.group(2).strip())


def load_message_summaries(root: str | Path) -> list[MessageSummary]:
    """Every `<period>.md` under root, oldest first."""
    root = Path(root)
    return [_message_summary(path) for path in (sorted(root.glob("*.md")) if root.is_dir() else [])]


def _message_summary(path: Path) -> MessageSummary:
    meta, body = _read(path, MESSAGES_SCHEMA)
    if not isinstance(meta.get("totals"), dict) or "period" not in meta:
        raise DataFileError(path, "needs 'period' and a 'totals' mapping")
    return MessageSummary(
        period=str(meta["period"]), as_of=_text(meta.get("as_of")),
        limit_working_days=int(meta.get("limit_working_days") or 0),
        totals=meta["totals"], body=body, source=str(path),
        platforms=tuple(_message_row(path, raw, "name") for raw in meta.get("platforms") or []),
        units=tuple(_message_row(path, raw, "report_label") for raw in meta.get("units") or []),
        anomalies_by_platform={str(k): {str(r): int(n) for r, n in (v or {}).items()}
                               for k, v in (meta.get("anomalies_by_platform") or {}).items()},
        errors_by_platform={str(k): int(v) for k, v in (meta.get("errors_by_platform") or {}).items()},
    )


def _message_row(path: Path, raw: Any, name_key: str) -> MessageFigures:
    if not isinstance(raw, dict) or not raw.get(name_key):
        raise DataFileError(path, f"each platform and unit row needs {name_key!r}")
    export = raw.get("export") or {}
    values = {k: v for k, v in _known(raw, MessageFigures).items() if k not in ("name", "unit", "id")}
    return MessageFigures(name=str(raw[name_key]), unit=_text(raw.get("unit")), id=_text(raw.get("id")),
                          export_status=_text(export.get("status")), export_reason=_text(export.get("reason")),
                          **{k: (None if v is None else v) for k, v in values.items()
                             if k not in ("export_status", "export_reason")})


def load_rectification_statuses(root: str | Path) -> list[RectificationStatus]:
    """Every `<period>.md` under root (content/rectification-status/), oldest first."""
    root = Path(root)
    statuses = []
    for path in sorted(root.glob("*.md")) if root.is_dir() else []:
        meta, _ = _read(path, RECTIFICATION_SCHEMA)
        if "period" not in meta or not isinstance(meta.get("items") or [], list):
            raise DataFileError(path, "needs 'period' and a list of 'items'")
        items = []
        for n, raw in enumerate(meta.get("items") or [], start=1):
            if not isinstance(raw, dict) or not isinstance(raw.get("entry"), dict):
                raise DataFileError(path, f"item {n} must be a mapping with an 'entry' mapping")
            if raw.get("status") not in RECTIFICATION_STATUSES:
                raise DataFileError(path, f"item {n}: status {raw.get('status')!r} is not one of "
                                          f"{', '.join(RECTIFICATION_STATUSES)}")
            rectified = raw.get("rectified") or {}
            entry = raw["entry"]
            items.append(RectificationItem(
                id=_text(raw.get("id")), status=raw["status"], unit=_text(raw.get("unit")),
                entry_id=_text(entry.get("id")), entry_kind=_text(entry.get("kind")), entry_name=_text(entry.get("name")),
                check=_text(raw.get("check")), code=_text(raw.get("code")), indicator=_text(raw.get("indicator")),
                severity=_text(raw.get("severity")), message=_text(raw.get("message")),
                first_seen=_text(raw.get("first_seen")), last_seen=_text(raw.get("last_seen")),
                deadline=_text(raw.get("deadline")), scorecard=_site_path(_text(raw.get("scorecard"))),
                rectified_by=_text(rectified.get("by")),
                rectified_on=_text(rectified.get("date") or rectified.get("last_observed")),
                note=_text(rectified.get("note")),
                codes=tuple(_text(c) for c in raw.get("codes") or [raw.get("code")] if c),
            ))
        statuses.append(RectificationStatus(
            period=str(meta["period"]), as_of=_text(meta.get("as_of")),
            deadlines={str(k): _text(v) for k, v in (meta.get("deadlines") or {}).items()},
            counts={s: sum(i.status == s for i in items) for s in RECTIFICATION_STATUSES} | {"total": len(items)},
            items=tuple(items), source=str(path)))
    return statuses


_SITE_PATH = re.compile(r"[A-Za-z0-9._-]+(?:/[A-Za-z0-9._-]+)*\.html")


def _site_path(path: str) -> str:
    """A link the data file gives into our own site; anything but a plain relative .html path is dropped."""
    return path if _SITE_PATH.fullmatch(path) and ".." not in path.split("/") else ""


def load_scorecard(path: str | Path) -> Scorecard:
    """Read one data file; raise DataFileError naming the file and the field at fault."""
    path = Path(path)
    data = path.read_bytes()
    meta, body = _parse(path, _decode(path, data), SCHEMA)
    return scorecard_from(path, meta, body, content_digest(data))


def content_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataFileError(path, f"not UTF-8 text (byte {exc.start})") from None


def scorecard_from(path: Path, meta: dict[str, Any], body: str, digest: str = "") -> Scorecard:
    """A Scorecard from a data file's (masked) front matter and body, checked field by field."""
    for key in ("period", "entry", "result"):
        if key not in meta:
            raise DataFileError(path, f"missing {key!r}")
    if meta["result"] not in RESULTS:
        raise DataFileError(path, f"result {meta['result']!r} is not one of {', '.join(RESULTS)}")
    if not isinstance(meta.get("checks") or {}, dict):
        raise DataFileError(path, "checks must be a mapping")
    if not isinstance(meta.get("findings") or [], list):
        raise DataFileError(path, "findings must be a list")
    entry = _entry(path, meta["entry"])
    for name, value in (("period", str(meta["period"])), ("entry.id", entry.id)):
        if value in (".", "..") or any(c in value for c in "/\\\0"):
            raise DataFileError(path, f"{name} {value!r} cannot name a page (no '/', '\\', '.' or '..')")
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
        score=_score(path, meta.get("score")),
        veto_items=tuple(Veto(**{k: _text(v) for k, v in _known(raw, Veto).items()})
                         for raw in _mappings(path, meta, "vetoes")),
        deductions=tuple(Deduction(**_known(raw, Deduction)) for raw in _mappings(path, meta, "deductions")),
        unchecked_reasons=_texts(path, meta, "unchecked_reasons"),
        blocked=tuple(_blocked(path, raw) for raw in meta.get("blocked") or []),
        daily=_daily(path, meta.get("daily")),
        digest=digest,
        vetoes_listed="vetoes" in meta,
    )


#: what each per-day series may hold: reachability one state per day, freshness ages (or nothing) by commas
DAILY_FORMS = {"reachability": re.compile(r"[upd.]*"), "freshness": re.compile(r"(?:\d{0,5})(?:,\d{0,5})*")}


def _daily(path: Path, raw: Any) -> tuple[tuple[str, str], ...]:
    """The per-day series; a series of the wrong shape is a located error, an unknown name is ignored."""
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise DataFileError(path, "daily must be a mapping of series names to strings")
    series = []
    for name, value in raw.items():
        if name not in DAILY_FORMS:
            continue
        if not isinstance(value, str) or not DAILY_FORMS[name].fullmatch(value):
            raise DataFileError(path, f"daily.{name}: not a per-day series ({str(value)[:40]!r})")
        series.append((name, value))
    return tuple(series)


def _texts(path: Path, meta: dict[str, Any], key: str) -> tuple[str, ...]:
    raw = meta.get(key) or []
    if not isinstance(raw, list):
        raise DataFileError(path, f"{key} must be a list")
    return tuple(_text(v) for v in raw)


def _blocked(path: Path, raw: Any) -> Blocked:
    if not isinstance(raw, dict) or not raw.get("check"):
        raise DataFileError(path, "each blocked entry must be a mapping with a 'check'")
    reasons = raw.get("reasons") or {}
    if not isinstance(reasons, dict):
        raise DataFileError(path, f"blocked.{raw['check']}.reasons must be a mapping")
    try:
        return Blocked(check=_text(raw["check"]), title=_text(raw.get("title")), count=int(raw.get("count") or 0),
                       reasons=tuple((_text(k), int(v)) for k, v in reasons.items()))
    except (TypeError, ValueError):
        raise DataFileError(path, f"blocked.{raw['check']}: counts must be whole numbers") from None


def _score(path: Path, value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise DataFileError(path, f"score {value!r} is not a number")
    return value


def _mappings(path: Path, meta: dict[str, Any], key: str) -> list[dict[str, Any]]:
    raw = meta.get(key) or []
    if not isinstance(raw, list) or not all(isinstance(r, dict) and r.get("item") for r in raw):
        raise DataFileError(path, f"{key} must be a list of mappings with an 'item'")
    return raw


def period_scorecards(content_dir: str | Path, period: str) -> list[Scorecard]:
    """Every scorecard of one period under content_dir/scorecards, in (kind, id) order: what the
    circular and rectification read (the site reads all periods through its cache)."""
    root = Path(content_dir) / "scorecards"
    cards = []
    for relative in data_files(str(root)) if (root / str(period)).is_dir() else []:
        if relative.startswith(f"{period}/"):
            cards.append(load_scorecard(root / relative))
    return sorted(cards, key=lambda c: (c.kind, c.id))


def read_message_summary(content_dir: str | Path, period: str) -> MessageSummary | None:
    """content_dir/messages/<period>.md, None before message statistics were written."""
    path = Path(content_dir) / "messages" / f"{period}.md"
    return _message_summary(path) if path.is_file() else None


def data_files(root: str) -> list[str]:
    """`<period>/<kind>/<name>.md` under root, as sorted relative paths (what root.glob("*/*/*.md")
    finds, without making 15,000 Path objects)."""
    found = []
    for period in os.scandir(root):
        if not period.is_dir() or period.name.startswith("."):
            continue
        for kind in os.scandir(period.path):
            if not kind.is_dir() or kind.name.startswith("."):
                continue
            found += [f"{period.name}/{kind.name}/{f.name}" for f in os.scandir(kind.path)
                      if f.name.endswith(".md") and not f.name.startswith(".") and f.is_file()]
    return sorted(found)


def parse_files(files: list[tuple[Path, bytes]]) -> list[tuple[dict[str, Any], str]]:
    return [_parse(path, _decode(path, data), SCHEMA) for path, data in files]


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _known(raw: dict[str, Any], cls: type) -> dict[str, Any]:
    """Only the fields our dataclass knows: later schema additions must not break older sites."""
    names = _field_names(cls)
    return {k: v for k, v in raw.items() if k in names}


@lru_cache(maxsize=None)
def _field_names(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in fields(cls))


def _entry(path: Path, raw: Any) -> Entry:
    if not isinstance(raw, dict):
        raise DataFileError(path, "entry must be a mapping")
    for key in ("id", "kind", "name", "unit"):
        if not raw.get(key):
            raise DataFileError(path, f"entry.{key} is missing")
    if raw["kind"] not in KINDS:
        raise DataFileError(path, f"entry.kind {raw['kind']!r} is not one of {', '.join(KINDS)}")
    known = _known(raw, Entry)
    listed = known.pop("domains", None) or []
    if not isinstance(listed, list):
        raise DataFileError(path, "entry.domains must be a list")
    values: dict[str, Any] = {k: (None if v is None else str(v)) for k, v in known.items()}
    values["domains"] = tuple(str(d) for d in listed)
    values["status"] = values.get("status") or "运行"
    values["site_code"] = values.get("site_code") or site_code(raw["kind"], values["id"], values.get("parent"))
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
        reason=_text(raw.get("reason")),
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
