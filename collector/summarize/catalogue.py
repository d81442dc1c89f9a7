"""The catalogue: what the checks declare and what the profile decided, as one data file per period.

`content/catalogue/<period>.yaml` (schema `govcensus.catalogue/1`, whose serialiser and reader are
govcensus_data.catalogue) holds everything the site needs
to name and explain what it shows — check titles, indicators and entry kinds; each finding code's
label and default severity; figure labels; the profile's settings with their labels, notes and
values; the scoring items; which thresholds still await confirmation; the message statistics'
definitions. The site reads only this file (never `collector`), so anyone holding content/ can
rebuild the portal, and a quarter's page keeps the rules that quarter was scored by.

One file per period rather than one for all: re-summarising an old quarter under an old profile
must not change what a newer quarter says about its own rules. Deterministic and atomic.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from govcensus_data.atomic import confined, write_atomic
from govcensus_data.catalogue import FOLDER, SCHEMA, catalogue_text
from collector.checks.base import KIND_LABELS, SEVERITY_LABELS, Check, all_checks, setting_fields
from collector.message_exports.importer import RULES as MESSAGE_RULES
from collector.message_exports.stats import DEFINITIONS as MESSAGE_DEFINITIONS, OVER_DAYS as MESSAGE_OVER_DAYS
from collector.periods import Period
from collector.profile import Profile
from collector.scoring import methodology


def _plain(value: Any) -> Any:
    """Settings values as YAML-safe plain data (tuples as lists)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def check_entry(check: Check, profile: Profile) -> dict[str, Any]:
    """One check as the catalogue describes it: declarations, then the profile's settings."""
    settings = profile.settings(check.name)
    written = (profile.raw.get("checks") or {}).get(check.name) or {}
    shown = []
    for key, f in setting_fields(check.settings).items():
        if key in ("indicator", "severity"):
            continue
        row: dict[str, Any] = {"key": key, "label": f.metadata["label"], "value": _plain(getattr(settings, key))}
        if key.startswith("severity_"):
            row["severity"] = True
        if f.metadata.get("note"):
            row["note"] = f.metadata["note"]
        if key not in written:
            row["default"] = True  # the profile is silent: the check's declared default applies
        shown.append(row)
    return {
        "title": check.title,
        "indicator": settings.indicator or check.indicator,
        "applies_to": sorted(check.applies_to),
        "cadence": check.cadence,
        "runs": check.enabled(profile),
        "severity": settings.severity,
        "codes": {code: {"label": c.label, "severity": c.severity} for code, c in sorted(check.codes.items())},
        "figures": dict(sorted(check.figure_labels().items())),
        "values": {key: dict(sorted(words.items())) for key, words in sorted(check.figure_value_labels().items())},
        "diagnostics": sorted(check.diagnostic_figures),
        "settings": shown,
        "confirm": list(settings.confirmations),
    }


def pending_confirmations(profile: Profile, checks: list[Check], scoring: list[dict]) -> list[dict[str, Any]]:
    """Thresholds and items the profile marks `confirm`: not verified word for word yet."""
    pending: list[dict[str, Any]] = []
    for check in checks:
        for flag in profile.settings(check.name).confirmations:
            pending.append({"check": check.name, "title": check.title, "flag": flag})
    for kind in scoring:
        for item in kind["items"]:
            if item["confirm"]:
                pending.append({"kind": kind["kind"], "item": item["item"], "type": item["type"]})
    return pending


def catalogue_document(period: Period, profile: Profile) -> str:
    """The catalogue's text: the document built from the declarations, serialised by govcensus_data."""
    # In the profile's order (the methodology page follows it), then checks it leaves to their defaults.
    order = list(profile.raw.get("checks") or {})
    checks = sorted(all_checks(), key=lambda c: (order.index(c.name) if c.name in order else len(order), c.name))
    scoring = methodology(profile)
    source = profile.source if not Path(profile.source).is_absolute() else Path(profile.source).name
    document = {
        "schema": SCHEMA,
        "period": str(period),
        "profile": {"name": profile.name, "source": source},
        "severities": dict(SEVERITY_LABELS),
        "kinds": dict(KIND_LABELS),
        "checks": {check.name: check_entry(check, profile) for check in checks},
        "scoring": scoring,
        "confirmations_pending": pending_confirmations(profile, checks, scoring),
        "messages": {
            "limit_working_days": profile.settings("messages").limit_working_days,  # type: ignore[attr-defined]
            "over_days": list(MESSAGE_OVER_DAYS),
            "definitions": [[term, text] for term, text in MESSAGE_DEFINITIONS],
            "import_rules": dict(MESSAGE_RULES),
        },
    }
    return catalogue_text(document)


def write_catalogue(period: Period, profile: Profile, content_dir: Path) -> Path:
    """Write content/catalogue/<period>.yaml (unchanged bytes are not rewritten)."""
    path = confined(content_dir, FOLDER, f"{period}.yaml")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, catalogue_document(period, profile))
    return path


