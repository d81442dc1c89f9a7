"""What templates show, prepared in Python so templates only lay things out.

All text here that came from third-party sites stays a plain `str`: Jinja's autoescape escapes it.
Only Markdown we render ourselves (with raw HTML disabled) is returned as `Markup`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from collections.abc import Sequence
from typing import Any, Iterable

import lxml.html
from markdown_it import MarkdownIt
from markupsafe import Markup

from govcensus_data.model import CheckResult, Entry, Evidence, Finding, RectificationItem, RectificationStatus, Scorecard
from govcensus_site import catalogue
from govcensus_site.catalogue import Catalogue
from govcensus_site.census import Census, group_by, unit_slug
from govcensus_site.labels import (
    KIND_LABELS, LEVEL_ORDER, OUTCOME_LABELS, RESULT_LABELS, SEVERITY_LABELS, label, period_label, show_time, show_value,
)


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
    reason: str = ""
    #: The check's figures for staff (catalogue `diagnostics`): shown by the local preview only.
    diagnostics: tuple[tuple[str, str], ...] = ()


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
    evidence_href: str | None = None   # None: the address is shown as text only
    evidence_note: str = ""            # why it is not a link, when that is not self-evident
    evidence_text: str = ""            # what is shown as the evidence's address (the address itself by default)


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
    score: str = ""
    veto_line: str = ""
    domain: "DomainView | None" = None
    rectification: tuple[RectificationItem, ...] = ()
    title: str = ""
    groups: tuple["FindingGroup", ...] = ()
    charts: tuple["DailyChart", ...] = ()
    change: "EntryChange | None" = None


@dataclass(frozen=True)
class SettingView:
    check: str
    title: str
    indicator: str
    severity_label: str
    settings: tuple[tuple[str, str], ...]
    to_confirm: bool
    notes: tuple[str, ...] = ()


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
    """The title the catalogue gives a check (the one its data file carries wins), else its name."""
    return given or catalogue.current().titles.get(name, name)


def figure_label(check: str, key: str) -> str:
    """A figure's label as the catalogue has it for `check`; unknown keys are shown as themselves."""
    return catalogue.current().figure_label(check, key)


def figure_text(check: str, key: str, value: Any, shown_as: str | None = None) -> str:
    """A figure's value as a reader reads it: a coded value ("nxdomain", "list") in the words its
    check declares for `key` (catalogue `values`), several values joined, a mapping as label：value
    pairs, anything else as show_value writes it for `shown_as` (a mapping's own key: a share as a
    percentage), never as Python writes a list or a dict."""
    if isinstance(value, (list, tuple)):
        return "、".join(figure_text(check, key, v, shown_as) for v in value) or "—"
    if isinstance(value, dict):  # nested a level further (dns_records: name -> type -> records)
        return "；".join(f"{figure_label(check, str(k))}：{figure_text(check, key, v, str(k))}"
                        for k, v in value.items()) or "—"
    if isinstance(value, str):
        words = catalogue.current().value_label(check, key, value)
        if words:
            return words
    return show_value(shown_as or key, value)


def check_view(check: CheckResult) -> CheckView:
    scalars: list[tuple[str, str]] = []
    tables: list[FigureTable] = []
    diagnostics: list[tuple[str, str]] = []
    for key, value in check.figures.items():
        name = figure_label(check.name, key)
        if catalogue.current().is_diagnostic(check.name, key):
            diagnostics.append((name, figure_text(check.name, key, value)))
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            keys = list(dict.fromkeys(k for v in value for k in v))
            tables.append(FigureTable(
                label=name,
                headers=tuple(figure_label(check.name, k) for k in keys),
                rows=tuple(tuple(figure_text(check.name, k, v.get(k)) for k in keys) for v in value),
            ))
        elif isinstance(value, dict):
            # A mapping's values are the figure's (dns: name -> nxdomain); its keys, names or codes.
            scalars.extend((f"{name}：{figure_label(check.name, k)}", figure_text(check.name, key, v, str(k)))
                           for k, v in value.items())
        else:
            scalars.append((name, figure_text(check.name, key, value)))
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
        reason=check.reason,
        diagnostics=tuple(diagnostics),
    )


#: Checks whose evidence is itself a document that leaks personal data.
LEAKING_EVIDENCE_CHECKS = frozenset({"personal_info"})
_ATTACHMENT = re.compile(r"\.(?:pdf|docx?|xlsx?|et|wps|csv|txt|rtf|odt|ods|zip|rar|7z)$", re.I)
_MASKED = re.compile(r"[0-9A-Za-z]\*{4,}[0-9A-Za-z]")


def evidence_link(finding: Finding, entry: Entry | None = None) -> tuple[str | None, str]:
    """(link target or None, reason shown instead of the link).

    The portal must not point visitors at a file or page that publishes somebody's ID or phone
    number; an address whose digits were masked is not a working address either.
    """
    url = finding.evidence.url
    if finding.check in LEAKING_EVIDENCE_CHECKS or finding.code.startswith("pii_"):
        what = "文件" if _ATTACHMENT.search(url.split("?", 1)[0].split("#", 1)[0]) else "页面"
        return None, f"该{what}含个人信息，不提供链接"
    if _MASKED.search(url):
        return None, "网址中疑似个人信息的数字已隐去，不提供链接"
    if entry is not None and not entry.running:
        return None, "网站已下线，不提供链接"
    return finding.evidence.href, ""


def account_source(entry: Entry) -> str:
    """A new-media account named as a citizen finds it (platform, name, id), not by the feed we read it through."""
    return f"{entry.platform or '新媒体'}账号“{entry.name}”（账号 ID：{entry.id}）的发布列表"


def finding_view(finding: Finding, titles: dict[str, str], entry: Entry | None = None) -> FindingView:
    href, note = evidence_link(finding, entry)
    shown = ""
    if entry is not None and entry.kind == "account" and finding.evidence.url == entry.url:
        href, shown = None, account_source(entry)
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
        evidence_href=href,
        evidence_note=note,
        evidence_text=shown or finding.evidence.url,
    )


def scorecard_view(card: Scorecard, census: Census, rectification: RectificationStatus | None = None) -> ScorecardView:
    parent = census.parent_of(card)
    children = census.children_of(card)
    titles = {c.name: check_title(c.name, c.title) for c in card.checks}
    findings = tuple(finding_view(f, titles, card.entry) for f in card.findings)
    return ScorecardView(
        card=card,
        kind_label=" · ".join(dict.fromkeys(x for x in (label(KIND_LABELS, card.kind), card.entry.site_kind) if x)),
        result_label=label(RESULT_LABELS, card.result),
        period_label=period_label(card.period),
        as_of=show_time(card.as_of),
        unit_url=f"units/{unit_slug(card.entry.unit)}.html",
        checks=tuple(check_view(c) for c in card.checks),
        findings=findings,
        body=render_body(card.body),
        parent=parent,
        children=children,
        history=tuple(census.history_of(card.id)),
        score=shown_score(card),
        veto_line=veto_line(card),
        domain=domain_view(card),
        rectification=rectification.of_entry(card.id) if rectification else (),
        title=census.title_of(card),
        groups=finding_groups(findings),
        charts=daily_charts(card),
        change=entry_change(card, census),
    )


def veto_line(card: Scorecard) -> str:
    """"单项否决：网站不更新、…" for a vetoed entry: the veto is its verdict."""
    items = [v.item for v in card.veto_items] or [f.indicator for f in card.vetoes]
    return "单项否决：" + "、".join(dict.fromkeys(items)) if items and card.result == "fail" else ""


def shown_score(card: Scorecard) -> str:
    """The score, only where it is the verdict: never for an unchecked entry, never beside a veto
    (even if an older data file carries one), so "不合格 · 得分 100" cannot appear."""
    if card.score is None or card.result not in ("pass", "fail") or card.veto_items or card.vetoes:
        return ""
    return show_points(card.score)


def methodology_view(source: Catalogue) -> tuple[SettingView, ...]:
    """Each check the profile runs, with its thresholds, as the catalogue of the newest period lists them."""
    views = []
    for name, check in source.checks().items():
        if not check.get("runs", True):
            continue
        rows = [row for row in check.get("settings") or [] if isinstance(row, dict)]
        shown = tuple((str(row.get("label") or row.get("key")),
                       label(SEVERITY_LABELS, row.get("value")) if row.get("severity") else _show_setting(row.get("value")))
                      for row in rows)
        views.append(SettingView(
            check=str(name),
            title=str(check.get("title") or name),
            indicator=str(check.get("indicator") or ""),
            severity_label=label(SEVERITY_LABELS, check["severity"]) if check.get("severity") else "见下表",
            settings=shown,
            to_confirm=bool(check.get("confirm")),
            notes=tuple(str(row["note"]) for row in rows if row.get("note")),
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


def show_points(value: float | None) -> str:
    """97.5 -> "97.5", 100.0 -> "100": scores and points as the circular writes them."""
    if value is None:
        return "—"
    return f"{value:g}"


# --------------------------------------------------------------------------- 域名注销情况

@dataclass(frozen=True)
class DomainView:
    """What the decommissioned_domain check last saw of a 下线 website's domain."""

    domain: str
    registered: bool | None
    resolves: bool | None
    online: bool | None
    http: str
    registrar: str
    registration_time: str
    expiration_time: str
    dns: tuple[tuple[str, str], ...]
    findings: tuple[FindingView, ...]
    whois_lines: str


def domain_view(card: Scorecard) -> DomainView | None:
    """The 域名注销情况 section of a decommissioned website; None for running sites and other kinds."""
    check = next((c for c in card.checks if c.name == "decommissioned_domain"), None)
    if card.entry.running or check is None:
        return None
    figures = check.figures
    codes = {f.code for f in card.findings if f.check == check.name}
    dns = figures.get("dns") if isinstance(figures.get("dns"), dict) else {}
    registered = _known_flag(figures.get("whois") == "registered" if "whois" in figures else figures.get("registered"),
                             "domain_still_registered" in codes)
    resolves = _known_flag(any(v == "resolves" for v in dns.values()) if dns else figures.get("resolves"),
                           "domain_still_resolves" in codes)
    status = figures.get("http_status")
    online = _known_flag(status is not None if ("http_status" in figures or "http_error" in figures) else None,
                         "site_still_online" in codes)
    http = (f"HTTP {status}" if status is not None
            else f"无应答（{_http_error_words(check.name, str(figures['http_error']))}）"
            if figures.get("http_error") else "—")
    titles = {check.name: check_title(check.name, check.title)}
    findings = tuple(finding_view(f, titles, card.entry) for f in card.findings if f.check == check.name)
    whois = next((f.evidence.snippet for f in card.findings if f.code == "domain_still_registered"), "")
    return DomainView(
        domain=str(figures.get("domain") or ""),
        registered=registered, resolves=resolves, online=online, http=http,
        registrar=str(figures.get("registrar") or ""),
        registration_time=show_time(str(figures["registration_time"])) if figures.get("registration_time") else "",
        expiration_time=show_time(str(figures["expiration_time"])) if figures.get("expiration_time") else "",
        dns=tuple((str(name), figure_text(check.name, "dns", str(outcome))) for name, outcome in dns.items()),
        findings=findings,
        whois_lines=whois,
    )


def _http_error_words(check: str, kind: str) -> str:
    """The fetch error kind in the check's words (无法连接, 超时 …); a catalogue written before checks
    declared their values has them as the link check's figure labels."""
    words = catalogue.current().value_label(check, "http_error", kind)
    return words or figure_label("dead_links", kind)


def _known_flag(figure: Any, found: bool) -> bool | None:
    """A finding proves the answer is yes; otherwise the figure says, or we do not know."""
    if found:
        return True
    return None if figure is None else bool(figure)


# --------------------------------------------------------------------------- SVG chart

@dataclass(frozen=True)
class Bar:
    label: str
    short_label: str
    value: int
    y: int
    width: float
    text_x: float


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart laid out server-side; the template draws it as inline SVG, labels escaped."""

    id: str
    title: str
    desc: str
    bars: tuple[Bar, ...]
    width: int
    height: int
    label_width: int
    bar_height: int

    @property
    def empty(self) -> bool:
        return not self.bars


LABEL_CHARS = 24  # a longer label is cut in the chart; the table beside it and the bar's <title> give it whole


def bar_chart(chart_id: str, title: str, rows: list[tuple[str, int | None]], unit: str = "") -> BarChart:
    """Bars for rows with a value (rows without data are left to the table beside the chart).

    Each label sits on its own line above its bar, so the chart is ≈340 view-box units wide: drawn
    one unit per CSS pixel it fits a 375 px phone and its 13 px labels are never scaled below 12 px.
    """
    rows = [(str(name), int(value)) for name, value in rows if value is not None]
    plot_width, bar_height, row_height, label_room = 280, 16, 40, 18
    largest = max((v for _, v in rows), default=0) or 1
    bars = []
    for n, (name, value) in enumerate(rows):
        width = plot_width * value / largest
        short_label = name if len(name) <= LABEL_CHARS else name[:LABEL_CHARS - 1] + "…"
        bars.append(Bar(label=name, short_label=short_label, value=value, y=n * row_height + label_room,
                        width=round(width, 1), text_x=round(width + 6, 1)))
    parts = "，".join(f"{name} {value}{unit}" for name, value in rows)
    return BarChart(id=chart_id, title=title, desc=f"{title}：{parts}。" if rows else f"{title}：暂无数据。",
                    bars=tuple(bars), width=plot_width + 60, height=max(1, len(rows)) * row_height,
                    label_width=0, bar_height=bar_height)


# --------------------------------------------------------------------------- scoring methodology

@dataclass(frozen=True)
class ScoringItemView:
    item: str
    rule: str
    checks: str
    points: str = ""
    allowance: str = ""
    cap: str = ""
    to_confirm: bool = False


@dataclass(frozen=True)
class ScoringKindView:
    kind: str
    label: str
    full_marks: str
    pass_mark: str
    vetoes: tuple[ScoringItemView, ...]
    deductions: tuple[ScoringItemView, ...]


def scoring_view(methodology: list[dict[str, Any]]) -> tuple[ScoringKindView, ...]:
    """The catalogue's scoring section (collector.scoring.methodology) laid out per kind: veto items, then deduction items."""
    kinds = []
    for kind in methodology:
        vetoes, deductions = [], []
        for item in kind["items"]:
            # readers see the checks' Chinese titles; finding codes are for the data files, not for them
            checks = "、".join(dict.fromkeys(check_title(f["check"]) for f in item.get("findings") or []))
            view = ScoringItemView(item=str(item["item"]), rule=str(item.get("rule") or ""), checks=checks,
                                   to_confirm=bool(item.get("confirm")))
            if item["type"] == "deduction":
                deductions.append(ScoringItemView(**{**view.__dict__, "points": show_points(item.get("points")),
                                                     "allowance": str(item.get("allowance") or 0),
                                                     "cap": show_points(item.get("cap"))}))
            else:
                vetoes.append(view)
        kinds.append(ScoringKindView(kind=str(kind["kind"]), label=str(kind.get("label") or kind["kind"]),
                                     full_marks=show_points(kind.get("full_marks")),
                                     pass_mark=show_points(kind.get("pass_mark")),
                                     vetoes=tuple(vetoes), deductions=tuple(deductions)))
    return tuple(kinds)


# --------------------------------------------------------------------------- circulars (通报)

_DATE_LINE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")


@dataclass(frozen=True)
class CircularView:
    """A circular's article body split into the parts an official document lays out apart:
    recipients (主送) above the body, then contact, the signature date and 抄送 below it.
    A part the text does not have stays empty and its paragraph stays in the body."""

    recipients: Markup
    body: Markup
    contact: Markup
    date: Markup
    cc: Markup
    number: str
    issuer: str
    draft: bool


def circular_view(article: Any) -> CircularView:
    meta = getattr(article, "metadata", {}) or {}
    content = getattr(article, "content", "") or ""
    nodes = [n for n in lxml.html.fragments_fromstring(content) if not isinstance(n, str)] if content.strip() else []
    parts = {"recipients": "", "contact": "", "date": "", "cc": ""}

    def text(node) -> str:
        return " ".join(node.text_content().split())

    if nodes and nodes[0].tag == "p" and text(nodes[0]).endswith(("：", ":")):
        parts["recipients"] = _html(nodes.pop(0))
    tests = {"cc": lambda t: t.startswith("抄送"), "date": _DATE_LINE.fullmatch,
             "contact": lambda t: t.startswith("联系人")}
    while nodes and nodes[-1].tag == "p":
        found = next((name for name, test in tests.items() if not parts[name] and test(text(nodes[-1]))), None)
        if found is None:
            break
        parts[found] = _html(nodes.pop())
    body = "\n".join(_html(n) for n in nodes) if any(parts.values()) else content
    return CircularView(
        **{k: Markup(v) for k, v in parts.items()}, body=Markup(body),
        number=str(meta.get("document-number") or ""), issuer=str(meta.get("issuer") or ""),
        draft=str(getattr(article, "status", "")).lower() == "draft",
    )


def _html(node) -> str:
    return lxml.html.tostring(node, encoding="unicode", method="html").strip()


# --------------------------------------------------------------------------- problems first (home page, index)

@dataclass(frozen=True)
class ProblemView:
    """One failing entry as the home page lists it: what, whose, why in one line, where the evidence is."""

    card: Scorecard
    title: str
    kind_label: str
    reason: str
    evidence_url: str


REASON_CHARS = 40


def problem_reason(card: Scorecard) -> str:
    """The one line that says why an entry failed: its veto (item and what was seen), else the
    deductions that took it under the pass mark, else its first finding."""
    if card.veto_items:
        veto = card.veto_items[0]
        line = f"{veto.item}：{veto.message}" if veto.message and veto.message != veto.item else veto.item
    elif card.vetoes:
        line = f"{card.vetoes[0].indicator}：{card.vetoes[0].message}"
    elif card.deductions:
        lost = sum(d.points for d in card.deductions)
        line = f"扣分 {show_points(lost)} 分（{'、'.join(d.item for d in card.deductions if d.points)}）"
        if card.score is not None:
            line += f"，得分 {show_points(card.score)} 分，低于合格分"
    elif card.findings:
        line = f"{card.findings[0].indicator}：{card.findings[0].message}"
    else:
        line = "判定为不合格"
    if len(line) > REASON_CHARS:  # one line on the home page; the scorecard gives it whole
        line = line[:REASON_CHARS - 1] + "…"
    others = len({f.message for f in card.findings}) - 1
    return line + (f"（另有 {others} 项问题）" if others > 0 else "")


class ProblemViews(Sequence):
    """The failing entries of `cards`, in order, as the home page lists them: all of them counted,
    only those shown (a slice, `problems[:limit]` in index.html) made into views. A national
    quarter has thousands, and the home page is rendered every build."""

    def __init__(self, cards: Iterable[Scorecard], census: Census):
        self._cards = [c for c in cards if c.result == "fail"]
        self._census = census

    def __len__(self) -> int:
        return len(self._cards)

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        if isinstance(index, slice):
            return tuple(self._view(c) for c in self._cards[index])
        return self._view(self._cards[index])

    def _view(self, c: Scorecard) -> ProblemView:
        return ProblemView(card=c, title=self._census.title_of(c), kind_label=label(KIND_LABELS, c.kind),
                           reason=problem_reason(c), evidence_url=c.url if "#" in c.url else f"{c.url}#h-findings")


def problem_views(cards: Iterable[Scorecard], census: Census) -> ProblemViews:
    return ProblemViews(cards, census)


# --------------------------------------------------------------------------- filters without JavaScript

@dataclass(frozen=True)
class Filter:
    """One static page of the index narrowed to a kind, a result or a level."""

    facet: str          # "类别", "结果", "级别"
    value: str          # shown
    url: str            # first page's site-relative address
    cards: tuple[Scorecard, ...]


FACETS = ("kind", "result", "level")


def filters(cards: list[Scorecard], facets: Iterable[str] = FACETS,
            results: Iterable[str] | None = None) -> tuple[Filter, ...]:
    """The filter pages of the index, in the order the index links them; empty ones are left out.
    Every facet lists each entry once more, so a national site keeps fewer (`facets`: which of kind,
    result, level; `results`: which results get a page; scale.py)."""
    facets = {facets} if isinstance(facets, str) else set(facets)
    unknown = facets - set(FACETS)
    if unknown:
        raise ValueError(f"GOVCENSUS_FILTER_FACETS: unknown facet(s) {', '.join(sorted(unknown))}; "
                         f"known: {', '.join(FACETS)}")
    wanted = tuple(results) if results is not None else ("fail", "unchecked", "pass")
    out = []
    if "kind" in facets:
        for kind, group in group_by(cards, lambda c: c.kind, tuple(KIND_LABELS)):
            out.append(Filter("类别", label(KIND_LABELS, kind), f"scorecards/kind-{kind}.html", group))
    if "result" in facets:
        for result, group in group_by((c for c in cards if c.result in wanted), lambda c: c.result, wanted):
            out.append(Filter("结果", label(RESULT_LABELS, result), f"scorecards/result-{result}.html", group))
    if "level" in facets:
        for level, group in group_by((c for c in cards if c.entry.level), lambda c: c.entry.level, LEVEL_ORDER):
            out.append(Filter("级别", level, f"scorecards/level-{unit_slug(level)}.html", group))
    return tuple(out)


# --------------------------------------------------------------------------- per-entry days over the quarter

@dataclass(frozen=True)
class DayMark:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str


@dataclass(frozen=True)
class DailyChart:
    """A strip of one mark per day, laid out here; the template draws it as inline SVG with a
    <title>, a <desc> and the same facts in words beside it."""

    id: str
    title: str
    desc: str
    summary: tuple[str, ...]
    marks: tuple[DayMark, ...]
    ticks: tuple[tuple[float, str], ...]
    width: int
    height: int
    plot_top: int
    plot_height: int


DAY_WIDTH, CHART_LEFT, PLOT_TOP, PLOT_HEIGHT = 3, 4, 4, 40
REACH_STATES = {"u": ("day-up", "均可访问"), "p": ("day-partly", "部分访问失败"), "d": ("day-down", "全部访问失败"),
                ".": ("day-unknown", "未能检查")}


def _days(card: Scorecard, count: int) -> list[str]:
    try:
        start = date.fromisoformat(card.period_start)
    except ValueError:
        return [f"第 {n + 1} 天" for n in range(count)]
    return [(start + timedelta(days=n)).isoformat() for n in range(count)]


def _month_ticks(days: list[str]) -> tuple[tuple[float, str], ...]:
    ticks = []
    for n, day in enumerate(days):
        if len(day) == 10 and (n == 0 or day.endswith("-01")):
            ticks.append((CHART_LEFT + n * DAY_WIDTH, f"{int(day[5:7])}月{int(day[8:10])}日"))
    return tuple(ticks)


def _chart_box(days: int) -> tuple[int, int]:
    # one view-box unit per CSS pixel up to the page's width: labels keep their 13 px on a phone
    return CHART_LEFT * 2 + days * DAY_WIDTH + 40, PLOT_TOP + PLOT_HEIGHT + 24


def reachability_chart(card: Scorecard, series: str) -> DailyChart:
    days = _days(card, len(series))
    marks = []
    for n, state in enumerate(series):
        css, text = REACH_STATES.get(state, REACH_STATES["."])
        marks.append(DayMark(x=CHART_LEFT + n * DAY_WIDTH, y=PLOT_TOP, width=DAY_WIDTH - 0.5, height=PLOT_HEIGHT,
                             css=css, title=f"{days[n]}：{text}"))
    counts = {s: series.count(s) for s in REACH_STATES}
    summary = [f"{len(series)} 天中：均可访问 {counts['u']} 天，部分访问失败 {counts['p']} 天，"
               f"全部访问失败 {counts['d']} 天，未能检查 {counts['.']} 天。"]
    bad = [days[n] for n, s in enumerate(series) if s in "pd"]
    if bad:
        summary.append("有访问失败的日期：" + "、".join(bad[:20]) + (f" 等 {len(bad)} 天" if len(bad) > 20 else "") + "。")
    width, height = _chart_box(len(series))
    return DailyChart(id=f"daily-reach-{card.id}", title="每日首页可访问情况", desc=summary[0], summary=tuple(summary),
                      marks=tuple(marks), ticks=_month_ticks(days), width=width, height=height,
                      plot_top=PLOT_TOP, plot_height=PLOT_HEIGHT)


def freshness_chart(card: Scorecard, series: str) -> DailyChart:
    values = [int(v) if v else None for v in series.split(",")]
    days = _days(card, len(values))
    largest = max((v for v in values if v is not None), default=0) or 1
    marks = []
    for n, value in enumerate(values):
        if value is None:
            marks.append(DayMark(x=CHART_LEFT + n * DAY_WIDTH, y=PLOT_TOP + PLOT_HEIGHT - 2, width=DAY_WIDTH - 0.5,
                                 height=2, css="day-unknown", title=f"{days[n]}：未能检查"))
            continue
        height = max(1.0, round(PLOT_HEIGHT * value / largest, 1))
        marks.append(DayMark(x=CHART_LEFT + n * DAY_WIDTH, y=round(PLOT_TOP + PLOT_HEIGHT - height, 1),
                             width=DAY_WIDTH - 0.5, height=height, css="day-age", title=f"{days[n]}：{value} 天未更新"))
    known = [(v, days[n]) for n, v in enumerate(values) if v is not None]
    worst = max(known, default=None)
    summary = [f"本季度最新内容距检查日最多 {worst[0]} 天（{worst[1]}），最少 {min(known)[0]} 天"
               + (f"；{len(values) - len(known)} 天未能检查" if len(known) < len(values) else "") + "。"
               if worst else "本季度没有读到发布日期。"]
    width, height = _chart_box(len(values))
    return DailyChart(id=f"daily-age-{card.id}", title="每日最新内容距今天数", desc=summary[0], summary=tuple(summary),
                      marks=tuple(marks), ticks=_month_ticks(days), width=width, height=height,
                      plot_top=PLOT_TOP, plot_height=PLOT_HEIGHT)


def daily_charts(card: Scorecard) -> tuple[DailyChart, ...]:
    makers = {"reachability": reachability_chart, "freshness": freshness_chart}
    return tuple(makers[name](card, series) for name, series in card.daily if name in makers and series)


# --------------------------------------------------------------------------- 与上季度相比, per entry

@dataclass(frozen=True)
class EntryChange:
    previous: Scorecard
    previous_label: str
    new: tuple[str, ...]        # finding sentences this quarter that the quarter before did not have
    fixed: tuple[str, ...]      # the quarter before's that are gone
    repeated: tuple[str, ...]   # found in both


def entry_change(card: Scorecard, census: Census) -> EntryChange | None:
    before = census.previous_of(card)
    if before is None:
        return None

    def problems(c: Scorecard) -> dict[tuple[str, str], str]:
        return {(f.check, f.code): f"{f.indicator}：{f.message}" for f in c.findings}
    now, then = problems(card), problems(before)
    return EntryChange(previous=before, previous_label=period_label(before.period),
                       new=tuple(dict.fromkeys(v for k, v in now.items() if k not in then)),
                       fixed=tuple(dict.fromkeys(v for k, v in then.items() if k not in now)),
                       repeated=tuple(dict.fromkeys(v for k, v in now.items() if k in then)))


# --------------------------------------------------------------------------- one sentence, shown once

@dataclass(frozen=True)
class FindingGroup:
    """Findings of one scorecard that say the same sentence: shown once, with how many and where."""

    first: FindingView
    more: tuple[FindingView, ...]

    @property
    def count(self) -> int:
        return 1 + len(self.more)


def finding_groups(findings: tuple[FindingView, ...]) -> tuple[FindingGroup, ...]:
    grouped: dict[tuple[str, str, str], list[FindingView]] = {}
    for f in findings:
        grouped.setdefault((f.severity, f.indicator, f.message), []).append(f)
    return tuple(FindingGroup(first=views[0], more=tuple(views[1:])) for views in grouped.values())
