"""Draft the quarterly circular (通报) as a Pelican article: content/circulars/<period>.md.

The draft follows the seed circular's structure: title, recipients, preamble; 一、总体情况 with the
quarter's figures (collector.circular.figures), each linked to the page it comes from;
二、存在的主要问题, one sentence per group of single-veto problems naming the entries and units;
三、下一步工作要求 from the staff template; contact, date, 抄送.

Staff own what they touch. The draft records the hash of its body (Generated-Hash). A file whose
body no longer matches that hash, or whose Status is no longer draft, is never overwritten; when
the fresh draft differs from what was generated then, it goes beside it as <period>-new-draft.md
and a notice says so. Links are relative to the article's page (circulars/<slug>.html): ../scorecards/….
"""
from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from collector.circular.figures import RUNNING, load_scorecards, quarter_figures, veto_items
from collector.circular.office import OfficeSettings
from collector.circular.template import (
    DEFAULT_TEMPLATE, QUARTER_CN, CircularTemplate, fill, load_template, long_date, short_date,
)
from collector.domains import DEFAULT_WHOIS_SERVERS
from collector.domains.registries import circular_name
from collector.domains.whois import server_for
from collector.periods import CHINA_TZ, Period
from collector.registry import Registry
from govcensus_data.atomic import confined, write_atomic
from govcensus_data.masking import mask_text
from govcensus_data.model import Scorecard

CATEGORY = "通报"
PLATFORM_LABELS = {"微博": "政务微博", "微信公众号": "政务微信公众号", "今日头条": "政务今日头条号", "抖音": "政务抖音号",
                   "快手": "政务快手号", "其他": "其他政务新媒体"}
SECTION_NUMBERS = "一二三四五六七八九十"
_MARKUP = re.compile(r"([\\`*_\[\]])")


@dataclass(frozen=True)
class DraftResult:
    """Where the fresh draft went, whether a file changed, and a notice for the build output."""

    path: Path
    written: bool
    notice: str | None = None


def draft_path(content_dir: Path, period: Period) -> Path:
    return confined(content_dir, "circulars", f"{period}.md")


def write_draft(period: Period, content_dir: Path, registry: Registry, as_of: datetime | None,
                template_path: str | Path = DEFAULT_TEMPLATE, office: OfficeSettings | None = None) -> DraftResult:
    """Write (or refresh) the draft circular of the period, never touching a file staff edited.

    `as_of` dates the draft; None dates it by its data (`data_date`), so re-running the summaries
    later on the same observations writes the same draft and leaves no spurious -new-draft.md.
    Without `office` settings the office's own words are blanks for staff to fill in.
    """
    office = office or OfficeSettings.blank_for(registry)
    text = render_draft(period, Path(content_dir), registry, as_of, load_template(template_path), office)
    path = draft_path(content_dir, period)
    if not path.exists() or untouched_draft(path):
        return DraftResult(path, write_atomic(path, text))
    if read_article(path)[0].get("generated-hash") == body_hash(split_article(text)[1]):
        return DraftResult(path, False)
    beside = path.with_name(f"{period}-new-draft.md")
    if beside.exists() and not untouched_draft(beside):
        return DraftResult(path, False, f"{path} and {beside} were edited by staff; the fresh draft of {period} "
                                        "differs from both and was not written")
    written = write_atomic(beside, text)
    return DraftResult(beside, written, f"{path} was edited or published by staff and is left as it is; "
                                        f"the fresh draft of {period} differs and is in {beside}")


def untouched_draft(path: Path) -> bool:
    """Still exactly what the collector wrote, and still a draft."""
    meta, body = read_article(path)
    return meta.get("status", "").lower() == "draft" and meta.get("generated-hash") == body_hash(body)


def split_article(text: str) -> tuple[str, str]:
    """(metadata block, body) of a Pelican Markdown file: metadata lines, a blank line, the body."""
    text = text.replace("\r\n", "\n")
    head, _, body = text.partition("\n\n")
    return head, body


def read_article(path: Path) -> tuple[dict[str, str], str]:
    head, body = split_article(path.read_text(encoding="utf-8"))
    meta = {}
    for line in head.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            meta[key.strip().lower()] = value.strip()
    return meta, body


def body_hash(body: str) -> str:
    return hashlib.sha256(body.strip().encode("utf-8")).hexdigest()[:16]


# --------------------------------------------------------------------------- rendering

def md(text: object) -> str:
    """Names and domains as literal text in Markdown (HTML and link syntax escaped, dots kept)."""
    return _MARKUP.sub(r"\\\1", html.escape(mask_text(" ".join(str(text).split())), quote=False))


def link(text: str, target: str) -> str:
    return f"[{text}]({target})"


def join_cn(parts: list[str]) -> str:
    """A、B和C, as Chinese lists are written."""
    if len(parts) <= 1:
        return "".join(parts)
    return "、".join(parts[:-1]) + "和" + parts[-1]


#: A county-level government under the region (岑江区人民政府…, 临翔区人民政府…): named by its own name.
_COUNTY_GOVERNMENT = re.compile(r"^[\u4e00-\u9fff]{1,6}?(?:自治县|区|县|旗)人民政府")


def short(text: str, region: str) -> str:
    """临沧市统计局 -> 市统计局: the region's own units are named by its level word; a county-level
    government keeps its own name (岑州市岑江区人民政府门户网站 -> 岑江区人民政府门户网站, not 市岑江区…)."""
    if not (region and text.startswith(region) and len(text) > len(region)):
        return text
    rest = text[len(region):]
    return rest if _COUNTY_GOVERNMENT.match(rest) else region[-1] + rest


def data_date(period: Period, cards: list[Scorecard]) -> date:
    """The day of the latest observation the period's scorecards were made from (the period's last
    day when none says): what the draft reports, not when the collector happened to run."""
    seen = [datetime.fromisoformat(result.last_observed) for card in cards
            for result in card.checks if result.last_observed]
    return max(seen).astimezone(CHINA_TZ).date() if seen else period.end


def render_draft(period: Period, content_dir: Path, registry: Registry, as_of: datetime | None,
                 template: CircularTemplate, office: OfficeSettings | None = None) -> str:
    figures = quarter_figures(period, content_dir, registry)
    cards = load_scorecards(content_dir, period)
    if as_of is None:
        day = data_date(period, cards)
    else:
        day = as_of.astimezone(CHINA_TZ).date() if as_of.tzinfo else as_of.date()
    report, domain = template.deadline("report", period), template.deadline("domain", period)
    office = office or OfficeSettings.blank_for(registry)
    values = {**office.placeholders(), "office": registry.office, "region": registry.region,
              "whole": whole_region(registry.region), "year": period.year,
              "quarter_cn": QUARTER_CN[period.quarter - 1], "period": str(period),
              "report_deadline": long_date(report), "report_deadline_short": short_date(report),
              "domain_deadline": long_date(domain), "domain_deadline_short": short_date(domain)}
    source = template.source
    lines = [f"{fill(template.text('recipients'), values, source)}：", "",
             fill(template.text("preamble"), values, source), "",
             "## 一、总体情况", "", *_overview(period, figures, registry.region), "",
             "## 二、存在的主要问题", "", *_problems(period, cards, registry.region, template, values), "",
             "## 三、下一步工作要求", "", fill(template.requirements, values, source), "",
             f"联系人及电话：{fill(template.text('contact'), values, source)}。", "",
             f"{day.year}年{day.month}月{day.day}日", "",
             f"抄送：{fill(template.text('cc'), values, source)}。"]
    body = "\n".join(lines) + "\n"
    meta = [("Title", fill(template.text("title"), values, source)), ("Date", day.isoformat()),
            ("Category", CATEGORY), ("Status", "draft"), ("Period", str(period)),
            ("Document-Number", fill(template.text("document_number"), values, source)),
            ("Issuer", fill(template.text("issuer"), values, source) or office.values["issuer"]),
            ("Recipients", fill(template.text("recipients"), values, source)),
            ("Cc", fill(template.text("cc"), values, source)),
            ("Contact", fill(template.text("contact"), values, source)),
            ("Generated-Hash", body_hash(body))]
    return "\n".join(f"{key}: {value}".rstrip() for key, value in meta) + "\n\n" + body


def _level_list(rows: list[dict[str, Any]]) -> str:
    return "、".join(f"{row['count']} 个{row['level']}{row['site_kind']}" for row in rows)


def whole_region(region: str) -> str:
    """全市, 全省, 全州: the whole of the office's region, by its level word."""
    return "全" + region[-1:] if region else "全"


def _overview(period: Period, figures: dict[str, Any], region: str) -> list[str]:
    whole = whole_region(region)
    q = QUARTER_CN[period.quarter - 1]
    index = "../scorecards/index.html"
    sites, columns, accounts = figures["websites"], figures["columns"], figures["accounts"]
    column_levels = {row["level"] for row in columns["by_level"]}
    if len(column_levels) == 1:
        column_text = f"在运行{column_levels.pop()}部门信息公开专栏 {link(str(columns['running']) + ' 个', index)}"
    else:
        levels = "、".join(f"{row['level']} {row['count']} 个" for row in columns["by_level"])
        column_text = f"在运行部门信息公开专栏 {link(str(columns['running']) + ' 个', index)}（{levels}）"
    unchecked = [f"{n} 个{label}" for n, label in ((sites["unchecked"], "网站"), (columns["unchecked"], "专栏"))
                 if n]
    website_part = [
        "### （一）政府网站普查情况", "",
        f"{period.year} 年第{q}季度，{whole}在“全国政府网站信息报送系统”中登记在运行政府网站 "
        f"{link(str(sites['running']) + ' 个', index)}（{_level_list(sites['by_level'])}），{column_text}。"
        f"通过每日监测，第{q}季度发现问题网站 {link(str(sites['failed']) + ' 个', index)}，网站合格率 "
        f"{sites['pass_rate_text']}；发现问题专栏 {link(str(columns['failed']) + ' 个', index)}，专栏合格率 "
        f"{columns['pass_rate_text']}。" + (f"另有 {'、'.join(unchecked)}本季度未能完成监测，不计入合格率。" if unchecked else ""),
        "",
    ]
    platforms = "，".join(f"{PLATFORM_LABELS.get(row['platform'], row['platform'])} {row['count']} 个"
                         for row in accounts["by_platform"])
    by_score = accounts["failed"] - accounts["failed_by_veto"]
    account_part = [
        "### （二）政府系统政务新媒体抽查情况", "",
        f"{period.year} 年第{q}季度，{whole}在运行政府系统政务新媒体 {link(str(accounts['running']) + ' 个', index)}"
        f"（其中：{platforms}），因出现单项否决指标有关情形判定为不合格的政务新媒体 "
        f"{link(str(accounts['failed_by_veto']) + ' 个', index)}"
        + (f"，因扣分后低于合格线判定为不合格的 {by_score} 个" if by_score else "")
        + f"，总体合格率 {accounts['pass_rate_text']}。"
        + (f"另有 {accounts['unchecked']} 个本季度未能完成监测，不计入合格率。" if accounts["unchecked"] else ""),
        "",
    ]
    return website_part + account_part + ["### （三）网民留言办理情况", "", _messages(period, figures["messages"], whole)]


def _messages(period: Period, messages: dict[str, Any] | None, whole: str) -> str:
    if messages is None:
        return "本季度网民留言统计尚未生成。"
    page = f"../messages/{period}.html"
    owners = join_cn([f"{row['count']} 个{row['level']}{row['site_kind']}" for row in messages["owner_sites"]]
                     + [md(name) for name in messages["owner_columns"]])
    units = "、".join(f"{md(u['report_label'])} {u['received']} 条" for u in messages["units"])
    if messages["received"] == 0:
        handled = "无留言可统计"
    elif messages["on_time"] == messages["received"]:
        handled = "均在规定时间按要求答复"
    else:
        handled = f"按时答复 {messages['on_time']} 条，超期 {messages['overdue']} 条，未办结 {messages['open']} 条"
    missing = (f"（其中 {messages['platforms_without_data']} 个平台的留言导出未能取得或无法读取，合计数不完整）"
               if messages["platforms_without_data"] else "")
    unread = messages.get("could_not_check") or []
    named = ("以下留言平台数据无法读取：" + "、".join(f"{md(u['name'])}（{md(u['reason'])}）" for u in unread)
             + "，其留言未计入上述数字。") if unread else ""
    return (f"{whole}开设网民留言平台的政府网站和专栏共 {link(str(messages['platforms']) + ' 个', page)}，即：{owners}，"
            f"{period.year} 年{QUARTER_CN[period.quarter - 1]}季度共接到网民留言 "
            f"{link(str(messages['received']) + ' 条', page)}{missing}" + (f"，其中：{units}" if units else "")
            + f"，{handled}，办结率 {link(messages['completion_rate_text'], page)}。{named}")


def _domain_figures(card: Scorecard) -> dict[str, Any]:
    result = card.check("decommissioned_domain")
    return result.figures if result else {}


def _entry_name(card: Scorecard, region: str, template: CircularTemplate) -> str:
    entry = card.entry
    names = template.meta.get("entry_names") or {}
    decommissioned = entry.kind == "website" and entry.status != RUNNING
    pattern = str(names.get("decommissioned" if decommissioned else entry.kind, "{name}"))
    figures = _domain_figures(card)
    listed = figures.get("domains") if isinstance(figures.get("domains"), list) else None
    domain = "、".join(str(d) for d in listed) if listed else figures.get("domain")
    host = urlsplit(entry.url).hostname or ""
    # An account's name is a proper name (临沧市自然资源和规划局 stays whole); sites are named by level.
    name = entry.name if entry.kind == "account" else short(entry.name, region)
    fields = {"name": name, "unit": short(entry.unit, region),
              "platform": entry.platform or "", "domain": domain or host.removeprefix("www."),
              "offline_note": _offline_note(entry.offline_since)}
    return fill(pattern, {k: md(v) for k, v in fields.items()}, template.source)


def _offline_note(value: object) -> str:
    """"，2020 年 3 月 31 日下线" for a site with a 下线日期; nothing without one."""
    try:
        day = date.fromisoformat(str(value)) if value else None
    except ValueError:
        return ""
    return f"，{long_date(day)}下线" if day else ""


def whois_operators(hits: list[tuple[Scorecard, list[tuple[str, str]]]]) -> str:
    """Who still lists the domains, as the circular names them: the operators of the WHOIS servers
    that answered with a record (the evidence's whois://<server>/<domain>); for older data without
    that, the server asked, else the one the domain's suffix has (CNNIC's for .cn)."""
    servers: list[str] = []
    for card, _ in hits:
        answered = [f.evidence.url for f in card.findings if f.code == "domain_still_registered"]
        hosts = [urlsplit(url).hostname or "" for url in answered if url.startswith("whois://")]
        figures = _domain_figures(card)
        if not any(hosts) and figures.get("whois_server"):
            hosts = [part.strip() for part in str(figures["whois_server"]).split(",")]
        if not any(hosts):
            listed = figures.get("domains") if isinstance(figures.get("domains"), list) else [figures.get("domain")]
            hosts = [server_for(str(d), DEFAULT_WHOIS_SERVERS) or "" for d in listed if d]
        servers += [host for host in hosts if host]
    names = list(dict.fromkeys(circular_name(server) for server in servers))
    return "”、“".join(md(name) for name in names) if names else "域名注册管理机构"


def _problems(period: Period, cards: list[Scorecard], region: str, template: CircularTemplate,
              values: dict[str, object]) -> list[str]:
    """One paragraph per group of single-veto items (template order), then unlisted vetoes, then
    entries failing on score alone; each entry linked to its scorecard."""
    groups = list(template.meta.get("problem_groups") or [])
    listed = {item for group in groups for item in group.get("items") or []}
    found: dict[str, list[tuple[Scorecard, list[tuple[str, str]]]]] = {}
    for card in (c for c in cards if c.result == "fail"):
        vetoes = veto_items(card)
        if not vetoes:
            found.setdefault("\0score", []).append((card, []))
        for item in dict.fromkeys(v_item for v_item, _ in vetoes):
            found.setdefault(item, []).append((card, [v for v in vetoes if v[0] == item]))

    def named(hits: list[tuple[Scorecard, list[tuple[str, str]]]]) -> str:
        return join_cn([link(_entry_name(card, region, template),
                             f"../scorecards/{period}/{card.id}.html") for card, _ in hits])

    paragraphs: list[tuple[str, str]] = []
    for group in groups:
        hits = [hit for item in group.get("items") or [] for hit in found.get(item, [])]
        if not hits:
            continue
        details_map = group.get("details") or {}
        codes = {code for _, vs in hits for _, code in vs}
        details = "、".join(label for code, label in details_map.items() if code in codes) or "身份信息"
        paragraphs.append((group["heading"], fill(group["sentence"], {**values, "entries": named(hits),
                                                                      "details": details,
                                                                      "whois_operators": whois_operators(hits)},
                                                  template.source)))
    other = template.meta.get("other_group") or {}
    for item, hits in found.items():
        if item not in listed and item != "\0score":
            paragraphs.append((f"{other.get('heading', '其他单项否决问题')}：{md(item)}",
                               fill(other.get("sentence", "{entries}存在“{item}”问题。"),
                                    {**values, "entries": named(hits), "item": md(item)}, template.source)))
    if "\0score" in found:
        score = template.meta.get("score_group") or {}
        paragraphs.append((score.get("heading", "得分低于合格线"),
                           fill(score.get("sentence", "{entries}扣分后得分低于合格线。"),
                                {**values, "entries": named(found["\0score"])}, template.source)))
    if not paragraphs:
        return ["本季度未发现单项否决问题，也没有扣分后低于合格线的政府网站、专栏和政务新媒体。"]
    lines: list[str] = []
    for n, (heading, sentence) in enumerate(paragraphs):
        lines += [f"### （{SECTION_NUMBERS[n] if n < len(SECTION_NUMBERS) else n + 1}）{heading}", "", sentence, ""]
    return lines[:-1]
