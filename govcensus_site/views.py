"""What templates show, prepared in Python so templates only lay things out.

All text here that came from third-party sites stays a plain `str`: Jinja's autoescape escapes it.
Only Markdown we render ourselves (with raw HTML disabled) is returned as `Markup`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup

from govcensus_site.census import Census, unit_slug
from govcensus_site.labels import (
    CHECK_TITLES, FIGURE_LABELS, KIND_LABELS, OUTCOME_LABELS, RESULT_LABELS, SETTING_LABELS,
    SEVERITY_LABELS, label, period_label, show_time, show_value,
)
from govcensus_site.model import CheckResult, Evidence, Finding, Scorecard


@dataclass(frozen=True)
class FigureTable:
    """A figure whose value is a list of records (e.g. one row per stale column)."""

    label: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class CheckView:
    name: str
    title: str
    indicator: str
    outcome: str
    outcome_label: str
    observations: int
    could_not_check: int
    last_observed: str
    figures: tuple[tuple[str, str], ...]
    tables: tuple[FigureTable, ...]


@dataclass(frozen=True)
class FindingView:
    check_title: str
    indicator: str
    severity: str
    severity_label: str
    message: str
    first_seen: str
    last_seen: str
    times_seen: int
    evidence: Evidence


@dataclass(frozen=True)
class ScorecardView:
    card: Scorecard
    kind_label: str
    result_label: str
    period_label: str
    as_of: str
    unit_url: str
    checks: tuple[CheckView, ...]
    findings: tuple[FindingView, ...]
    body: Markup
    parent: Scorecard | None
    children: tuple[Scorecard, ...]
    history: tuple[Scorecard, ...]


@dataclass(frozen=True)
class SettingView:
    check: str
    title: str
    indicator: str
    severity_label: str
    settings: tuple[tuple[str, str], ...]
    to_confirm: bool


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")

    def th_open(renderer, tokens, idx, options, env):
        tokens[idx].attrSet("scope", "col")
        return renderer.renderToken(tokens, idx, options, env)

    md.add_render_rule("th_open", th_open)
    return md


_MD = _markdown()


def render_body(text: str, top: int = 3) -> Markup:
    """The data file's Markdown body; raw HTML in it is shown as text, never interpreted.

    Its top heading level becomes `top` (h3 under a scorecard page's h2 sections) and deeper
    levels keep their distance, which keeps the page's heading outline unbroken.
    """
    if not text:
        return Markup("")
    tokens = _MD.parse(text)
    headings = [t for t in tokens if t.type in ("heading_open", "heading_close")]
    if headings:
        shift = top - min(int(t.tag[1]) for t in headings)
        for token in headings:
            token.tag = f"h{min(6, int(token.tag[1]) + shift)}"
    return Markup(_MD.renderer.render(tokens, _MD.options, {}))


def check_title(name: str, given: str = "") -> str:
    return given or CHECK_TITLES.get(name, name)


def check_view(check: CheckResult) -> CheckView:
    scalars: list[tuple[str, str]] = []
    tables: list[FigureTable] = []
    for key, value in check.figures.items():
        name = label(FIGURE_LABELS, key)
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            keys = list(dict.fromkeys(k for v in value for k in v))
            tables.append(FigureTable(
                label=name,
                headers=tuple(label(FIGURE_LABELS, k) for k in keys),
                rows=tuple(tuple(show_value(k, v.get(k)) for k in keys) for v in value),
            ))
        elif isinstance(value, list):
            scalars.append((name, "、".join(show_value(key, v) for v in value) or "—"))
        elif isinstance(value, dict):
            scalars.extend((f"{name}：{label(FIGURE_LABELS, k)}", show_value(k, v)) for k, v in value.items())
        else:
            scalars.append((name, show_value(key, value)))
    return CheckView(
        name=check.name,
        title=check_title(check.name, check.title),
        indicator=check.indicator,
        outcome=check.outcome,
        outcome_label=label(OUTCOME_LABELS, check.outcome),
        observations=check.observations,
        could_not_check=check.could_not_check,
        last_observed=show_time(check.last_observed) if check.last_observed else "",
        figures=tuple(scalars),
        tables=tuple(tables),
    )


def finding_view(finding: Finding, titles: dict[str, str]) -> FindingView:
    return FindingView(
        check_title=titles.get(finding.check) or check_title(finding.check),
        indicator=finding.indicator,
        severity=finding.severity,
        severity_label=label(SEVERITY_LABELS, finding.severity),
        message=finding.message,
        first_seen=show_time(finding.first_seen),
        last_seen=show_time(finding.last_seen),
        times_seen=finding.times_seen,
        evidence=finding.evidence,
    )


def scorecard_view(card: Scorecard, census: Census) -> ScorecardView:
    same_period = census.of_period(card.period)
    parent = next((c for c in same_period if card.entry.parent and c.kind == "website"
                   and (c.entry.site_code or c.id) == card.entry.parent), None)
    site_code = card.entry.site_code or card.id
    children = tuple(c for c in same_period if card.kind == "website" and c.kind == "column"
                     and c.entry.parent == site_code)
    titles = {c.name: check_title(c.name, c.title) for c in card.checks}
    return ScorecardView(
        card=card,
        kind_label=" · ".join(dict.fromkeys(x for x in (label(KIND_LABELS, card.kind), card.entry.site_kind) if x)),
        result_label=label(RESULT_LABELS, card.result),
        period_label=period_label(card.period),
        as_of=show_time(card.as_of),
        unit_url=f"units/{unit_slug(card.entry.unit)}.html",
        checks=tuple(check_view(c) for c in card.checks),
        findings=tuple(finding_view(f, titles) for f in card.findings),
        body=render_body(card.body),
        parent=parent,
        children=children,
        history=tuple(census.history_of(card.id)),
    )


def methodology_view(profile: Any) -> tuple[SettingView, ...]:
    """Each check of the indicator profile with its thresholds, read from the profile itself."""
    views = []
    for name, settings in profile.raw["checks"].items():
        confirm = any(k.startswith("confirm") and v for k, v in settings.items())
        shown = tuple((label(SETTING_LABELS, k), _show_setting(v)) for k, v in settings.items()
                      if k not in ("indicator", "severity") and not k.startswith("confirm"))
        views.append(SettingView(
            check=name,
            title=check_title(name),
            indicator=str(settings.get("indicator", "")),
            severity_label=label(SEVERITY_LABELS, settings.get("severity")),
            settings=shown,
            to_confirm=confirm,
        ))
    return tuple(views)


def _show_setting(value: Any) -> str:
    if isinstance(value, dict):
        return "；".join(f"{k} {_show_setting(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(_show_setting(v) for v in value)
    if isinstance(value, float) and 0 < value < 1:
        return f"{value * 100:g}%"
    return show_value("", value)
