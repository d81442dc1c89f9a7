"""Open data: every table the portal shows, per quarter, as CSV and JSON with a Frictionless data package.

Journalists and other offices re-use the figures in spreadsheets and scripts; a table copied out of
HTML loses its types and its definitions. So each quarter gets `data/<period>/<table>.csv|.json`
(stable URLs), a `datapackage.json` describing every field in Chinese, `data/latest/` as a copy of
the newest quarter, `data/index.json` listing the quarters, and the 开放数据 page listing them all.

The tables are made from the same data files and the same public loaders as the pages (so a file
written before the masking gate is masked here too), and every text cell passes the gate once more
before it is written. A personal-information finding's evidence address is never given as a link
on the site; here it goes to `evidence_text`, never to the `evidence_url` column.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable

import pandas as pd
from pelican.generators import Generator

from govcensus_data.atomic import confined, write_atomic
from govcensus_data.masking import mask_text
from govcensus_site.archive import archived_period
from govcensus_site import scale
from govcensus_site.parallel import MIN_ITEMS, Forked, build_workers, can_fork
from govcensus_site.census import Census, Tally
from govcensus_site.seal import read_cache_file, write_cache_file
from govcensus_site.incremental import cache_dir, digest, file_size, last_output, recover, settings_digest, tree_digest
from govcensus_site.labels import KIND_LABELS, RESULT_LABELS, period_label
from govcensus_data.model import (
    DataFileError, MessageSummary, RectificationStatus, Scorecard, load_message_summaries, load_rectification_statuses,
)
from govcensus_site.loading import load_scorecards
from govcensus_site.views import evidence_link

DATA_DIR = "data"
LATEST = "latest"
#: The open-data part of the build cache (beside the page cache, outside the published site).
OPEN_DATA_CACHE = "opendata.json"
CSV_ENCODING = "utf-8-sig"   # with a BOM, so Excel on Chinese Windows reads UTF-8 rather than GBK
PERIOD = re.compile(r"[0-9]{4}Q[1-4]")
#: The default licence; a site sets its own with GOVCENSUS_OPEN_DATA_LICENCE (same keys).
LICENCE = {"name": "CC-BY-4.0", "title": "知识共享 署名 4.0 国际（CC BY 4.0）",
           "path": "https://creativecommons.org/licenses/by/4.0/"}


@dataclass(frozen=True)
class Field:
    """One column: its Table Schema type, Chinese title and what it means."""

    name: str
    type: str
    title: str
    description: str

    def descriptor(self) -> dict[str, str]:
        return {"name": self.name, "type": self.type, "title": self.title, "description": self.description}


@dataclass(frozen=True)
class Table:
    """One published table: name, Chinese title, fields and keys (Frictionless Table Schema)."""

    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = ()   # (field, table, field there)

    def schema(self, suffix: str) -> dict[str, Any]:
        schema: dict[str, Any] = {"fields": [f.descriptor() for f in self.fields], "primaryKey": list(self.primary_key)}
        if self.foreign_keys:
            schema["foreignKeys"] = [{"fields": own, "reference": {"resource": table + suffix, "fields": theirs}}
                                     for own, table, theirs in self.foreign_keys]
        return schema


def _f(name: str, type_: str, title: str, description: str) -> Field:
    return Field(name, type_, title, description)


ENTRIES = Table("entries", "检查对象", "本季度有评分卡的每个网站、信息公开栏目、政务新媒体账号和留言平台，按登记信息。", (
    _f("id", "string", "编号", "检查对象的登记编号（网站为网站标识码或登记编号）"),
    _f("kind", "string", "类型", "website 网站、column 信息公开栏目、account 政务新媒体账号、message_platform 留言平台"),
    _f("kind_label", "string", "类型名称", "类型的中文名称"),
    _f("name", "string", "名称", "登记的名称"),
    _f("unit", "string", "主办单位", "负责该检查对象的责任单位"),
    _f("level", "string", "层级", "市级、县级等；无则为空"),
    _f("site_kind", "string", "网站类别", "政府门户网站、部门网站等；无则为空"),
    _f("url", "string", "网址", "登记的网址（文本，按登记原样）"),
    _f("status", "string", "运行状态", "运行或下线；下线网站不计入合格率"),
    _f("parent", "string", "所属网站", "栏目所在网站的编号；无则为空"),
    _f("platform", "string", "平台", "政务新媒体所在平台（微博、微信等）；无则为空"),
    _f("site_code", "string", "网站标识码", "网站标识码；无则为空"),
    _f("scorecard", "string", "评分卡页面", "本平台上该对象本季度评分卡页面的站内路径"),
), ("id",))

SCORECARDS = Table("scorecards", "评分卡", "每个检查对象本季度的结论、得分、单项否决和扣分。", (
    _f("entry_id", "string", "检查对象编号", "对应 entries 表的 id"),
    _f("period", "string", "季度", "如 2020Q2"),
    _f("result", "string", "结论", "pass 合格、fail 不合格、unchecked 未检查（无法判定，不计入合格率）"),
    _f("result_label", "string", "结论名称", "结论的中文名称"),
    _f("score", "number", "得分", "按扣分项计算的得分；未检查或被单项否决时为空（否决即结论）"),
    _f("vetoes", "integer", "单项否决数", "触发的单项否决项个数"),
    _f("deduction_points", "number", "扣分合计", "各扣分项扣分之和"),
    _f("findings", "integer", "问题数", "本季度合并后的问题条数（见 findings 表）"),
    _f("unchecked_reasons", "string", "未检查原因", "结论为未检查时的原因，多条以“；”分隔"),
    _f("as_of", "string", "数据截至", "评分依据的监测数据截至时间（ISO 8601）"),
), ("entry_id",), (("entry_id", "entries", "id"),))

FINDINGS = Table("findings", "发现的问题", "评分卡上列出的每个问题，合并了本季度多次监测。", (
    _f("id", "string", "问题编号", "检查对象编号#序号，在本季度内唯一"),
    _f("entry_id", "string", "检查对象编号", "对应 entries 表的 id"),
    _f("check", "string", "检查项", "发现问题的检查（程序名）"),
    _f("code", "string", "问题代码", "问题的类别代码"),
    _f("indicator", "string", "指标", "《政府网站与政务新媒体检查指标》中的指标"),
    _f("severity", "string", "严重程度", "veto 单项否决、deduction 扣分、info 提示"),
    _f("message", "string", "说明", "问题说明"),
    _f("first_seen", "string", "首次发现", "首次发现时间（ISO 8601）"),
    _f("last_seen", "string", "最近发现", "最近一次发现时间（ISO 8601）"),
    _f("times_seen", "integer", "发现次数", "本季度监测中发现的次数"),
    _f("evidence_url", "string", "证据网址", "可访问的证据网址；含个人信息或被隐去数字的网址不提供，此列为空"),
    _f("evidence_text", "string", "证据地址（文本）", "不提供链接时的证据地址原文（其中个人信息已隐去）"),
    _f("evidence_note", "string", "证据说明", "不提供链接的原因"),
    _f("evidence_location", "string", "证据位置", "证据在页面或附件中的位置"),
), ("id",), (("entry_id", "entries", "id"),))

FIGURES = Table("figures", "季度总体情况", "按类型及层级或平台汇总的检查结果与合格率，口径与通报一致。", (
    _f("kind", "string", "类型", "website、column、account、message_platform"),
    _f("kind_label", "string", "类型名称", "类型的中文名称"),
    _f("group", "string", "分组", "层级（网站）或平台（账号）；“合计”为该类型全部"),
    _f("registered", "integer", "登记数", "登记的数量（仅网站合计行：含下线网站）"),
    _f("offline", "integer", "下线数", "已下线网站数（仅网站合计行）"),
    _f("running", "integer", "运行数", "运行中的数量"),
    _f("checked", "integer", "已检查数", "合格数与不合格数之和"),
    _f("passed", "integer", "合格数", "结论为合格的数量"),
    _f("failed", "integer", "不合格数", "结论为不合格的数量"),
    _f("unchecked", "integer", "未检查数", "无法判定的数量，不计入合格率"),
    _f("pass_rate", "string", "合格率", "合格数÷已检查数，一位小数四舍五入，与网页所示一致；无已检查为“—”"),
), ("kind", "group"))

MESSAGES = Table("messages", "网民留言办理", "每个留言平台、每个单位及合计的留言办理统计（不含任何个人信息）。", (
    _f("scope", "string", "统计范围", "platform 平台、unit 单位、total 合计"),
    _f("id", "string", "编号", "平台编号（单位与合计行为空）"),
    _f("name", "string", "名称", "平台名称或单位"),
    _f("unit", "string", "主办单位", "平台的主办单位"),
    _f("received", "integer", "收到", "收到的留言数"),
    _f("replied", "integer", "已答复", "已答复的留言数"),
    _f("on_time", "integer", "按时答复", "在时限内答复的留言数"),
    _f("overdue", "integer", "超期", "超过时限答复或未答复的留言数"),
    _f("open", "integer", "未答复", "尚未答复的留言数"),
    _f("median_days", "number", "答复用时中位数（工作日）", "答复用时中位数，按工作日计"),
    _f("p90_days", "number", "答复用时90分位（工作日）", "答复用时第90百分位，按工作日计"),
    _f("mean_days", "number", "平均答复用时（工作日）", "平均答复用时，按工作日计"),
    _f("max_days", "number", "最长答复用时（工作日）", "最长答复用时，按工作日计"),
    _f("completion_rate", "string", "按时办结率", "与网页所示一致；无数据为“—”"),
    _f("export_status", "string", "导出状态", "ok 表示读取了该平台的导出数据；否则数据不可用"),
    _f("export_reason", "string", "导出说明", "导出数据不可用的原因"),
), ("scope", "name"))

RECTIFICATION = Table("rectification", "整改情况", "本季度通报问题的整改期限与进度。", (
    _f("id", "string", "编号", "整改事项编号"),
    _f("status", "string", "状态", "open 整改中、rectified 已整改、overdue 逾期未整改"),
    _f("unit", "string", "责任单位", "负责整改的单位"),
    _f("entry_id", "string", "检查对象编号", "对应 entries 表的 id（可能属于以往季度）"),
    _f("entry_kind", "string", "检查对象类型", "website、column、account、message_platform"),
    _f("entry_name", "string", "检查对象名称", "检查对象名称"),
    _f("check", "string", "检查项", "发现问题的检查"),
    _f("code", "string", "问题代码", "最近一次发现时的问题类别代码"),
    _f("codes", "string", "全部问题代码", "同一问题先后出现的全部类别代码，以分号分隔（如更新间隔由7天变为14天）"),
    _f("indicator", "string", "指标", "检查指标"),
    _f("severity", "string", "严重程度", "veto 单项否决、deduction 扣分、info 提示"),
    _f("message", "string", "说明", "问题说明"),
    _f("first_seen", "string", "首次发现", "首次发现时间（ISO 8601）"),
    _f("last_seen", "string", "最近发现", "最近一次发现时间（ISO 8601）"),
    _f("deadline", "date", "整改期限", "整改截止日期"),
    _f("rectified_by", "string", "整改确认方式", "later_round 复查未再发现、staff 工作人员核实；未整改为空"),
    _f("rectified_on", "string", "整改日期", "复查未再发现问题或工作人员核实的日期；未整改为空"),
    _f("note", "string", "备注", "整改说明"),
), ("id",))   # one row per problem: an entry's findings of one check and indicator, all codes in `codes`

TYPE_LABELS = {"string": "文本", "integer": "整数", "number": "数值", "date": "日期"}

TABLES = (ENTRIES, SCORECARDS, FINDINGS, FIGURES, MESSAGES, RECTIFICATION)
TABLES_BY_NAME = {t.name: t for t in TABLES}


# --- rows -------------------------------------------------------------------------------------------

def entry_rows(cards: Iterable[Scorecard]) -> list[dict[str, Any]]:
    return [{"id": c.entry.id, "kind": c.kind, "kind_label": KIND_LABELS.get(c.kind, c.kind), "name": c.entry.name,
             "unit": c.entry.unit, "level": c.entry.level, "site_kind": c.entry.site_kind, "url": c.entry.url,
             "status": c.entry.status, "parent": c.entry.parent, "platform": c.entry.platform,
             "site_code": c.entry.site_code, "scorecard": c.url} for c in cards]


def scorecard_rows(cards: Iterable[Scorecard]) -> list[dict[str, Any]]:
    return [{"entry_id": c.id, "period": c.period, "result": c.result, "result_label": RESULT_LABELS.get(c.result, c.result),
             "score": c.score, "vetoes": len(c.veto_items), "deduction_points": sum(d.points for d in c.deductions),
             "findings": len(c.findings), "unchecked_reasons": "；".join(c.unchecked_reasons), "as_of": c.as_of}
            for c in cards]


def finding_rows(cards: Iterable[Scorecard]) -> list[dict[str, Any]]:
    rows = []
    for card in cards:
        for n, finding in enumerate(card.findings, start=1):
            href, note = evidence_link(finding)
            rows.append({
                "id": f"{card.id}#{n}", "entry_id": card.id, "check": finding.check, "code": finding.code,
                "indicator": finding.indicator, "severity": finding.severity, "message": finding.message,
                "first_seen": finding.first_seen, "last_seen": finding.last_seen, "times_seen": finding.times_seen,
                # Only an address the site itself links is a URL here; the rest is text, masked.
                "evidence_url": href or "", "evidence_text": "" if href else finding.evidence.url,
                "evidence_note": note if finding.evidence.url else "", "evidence_location": finding.evidence.location,
            })
    return rows


def _tally_row(kind: str, group: str, tally: Tally, **extra: Any) -> dict[str, Any]:
    return {"kind": kind, "kind_label": KIND_LABELS.get(kind, kind), "group": group, "registered": None,
            "offline": None, "running": tally.running, "checked": tally.checked, "passed": tally.passed,
            "failed": tally.failed, "unchecked": tally.unchecked, "pass_rate": tally.rate} | extra


def figure_rows(census: Census, period: str) -> list[dict[str, Any]]:
    """The quarter's 总体情况 as the home page and the circular show it (Census, format_rate)."""
    figures = census.figures(period)
    rows = [_tally_row("website", "合计", figures.websites.total, registered=figures.websites_registered,
                       offline=len(figures.websites_offline))]
    rows += [_tally_row("website", level, tally) for level, tally in figures.websites.parts]
    rows.append(_tally_row("column", "合计", figures.columns))
    rows.append(_tally_row("account", "合计", figures.accounts.total))
    rows += [_tally_row("account", platform, tally) for platform, tally in figures.accounts.parts]
    platforms = [c for c in census.of_period(period) if c.kind == "message_platform"]
    rows.append(_tally_row("message_platform", "合计", Tally.of(platforms)))
    return rows


def message_rows(summary: MessageSummary) -> list[dict[str, Any]]:
    def row(scope: str, figures: Any) -> dict[str, Any]:
        return {"scope": scope, "id": figures.id, "name": figures.name, "unit": figures.unit,
                **{k: getattr(figures, k) for k in ("received", "replied", "on_time", "overdue", "open",
                                                     "median_days", "p90_days", "mean_days", "max_days")},
                "completion_rate": figures.completion_rate_text, "export_status": figures.export_status,
                "export_reason": figures.export_reason}
    rows = [row("platform", p) for p in summary.platforms] + [row("unit", u) for u in summary.units]
    totals = summary.totals
    rows.append({"scope": "total", "id": "", "name": "合计", "unit": "",
                 **{k: totals.get(k) for k in ("received", "replied", "on_time", "overdue", "open",
                                               "median_days", "p90_days", "mean_days", "max_days")},
                 "completion_rate": _text(totals.get("completion_rate_text")) or "—",
                 "export_status": "", "export_reason": ""})
    return rows


def rectification_rows(status: RectificationStatus) -> list[dict[str, Any]]:
    return [{"id": i.id, "status": i.status, "unit": i.unit, "entry_id": i.entry_id, "entry_kind": i.entry_kind,
             "entry_name": i.entry_name, "check": i.check, "code": i.code, "codes": ";".join(i.codes),
             "indicator": i.indicator,
             "severity": i.severity, "message": i.message, "first_seen": i.first_seen, "last_seen": i.last_seen,
             "deadline": i.deadline or None, "rectified_by": i.rectified_by, "rectified_on": i.rectified_on,
             "note": i.note} for i in status.items]


def _text(value: Any) -> str:
    return "" if value is None else str(value)


# --- files ------------------------------------------------------------------------------------------

_PANDAS_TYPES = {"integer": "Int64", "number": "Float64", "string": "string", "date": "string"}


def frame(table: Table, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows as a typed DataFrame in the schema's column order; every text cell passes the masking gate."""
    df = pd.DataFrame.from_records(rows, columns=[f.name for f in table.fields])
    for f in table.fields:
        column = df[f.name]
        if f.type in ("string", "date"):
            column = column.map(_cell)
        df[f.name] = column.astype(_PANDAS_TYPES[f.type])
    return df


def _cell(value: Any) -> str | None:
    """A text cell, masked; empty is missing (null in JSON, an empty cell in CSV, as Frictionless reads it)."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return None
    return mask_text(str(value))


#: A cell starting with one of these is a formula to Excel and WPS (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _defused(value: Any) -> Any:
    """Third-party text opened in a spreadsheet must stay text: a leading quote keeps a formula inert."""
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def csv_bytes(df: pd.DataFrame) -> bytes:
    text_columns = [c for c in df.columns if df[c].dtype == "string"]
    df = df.assign(**{c: df[c].map(_defused).astype("string") for c in text_columns})
    return df.to_csv(index=False, lineterminator="\r\n").encode(CSV_ENCODING)


def json_bytes(df: pd.DataFrame) -> bytes:
    """An array of records, one record a line: readable and diffable, and written by json's C encoder
    (any `indent` makes it fall back to the pure-Python one, which took a quarter of a national rebuild)."""
    records = json.loads(df.to_json(orient="records", force_ascii=False))
    lines = ",\n".join(json.dumps(record, ensure_ascii=False) for record in records)
    return (f"[\n{lines}\n]\n" if records else "[]\n").encode("utf-8")


@dataclass(frozen=True)
class Resource:
    """One written file of a quarter, for the data package and the 开放数据 page."""

    table: Table
    format: str
    path: str      # relative to the quarter's folder
    bytes: int
    rows: int
    hash: str

    @property
    def name(self) -> str:
        return self.table.name if self.format == "csv" else f"{self.table.name}-json"

    @property
    def compressed(self) -> bool:
        return self.path.endswith(".gz")

    def descriptor(self) -> dict[str, Any]:
        csv = self.format == "csv"
        descriptor = {"name": self.name, "path": self.path, "title": self.table.title,
                      "description": self.table.description, "profile": "tabular-data-resource", "format": self.format,
                      "mediatype": "text/csv" if csv else "application/json", "encoding": CSV_ENCODING if csv else "utf-8"}
        if self.compressed:
            descriptor["compression"] = "gz"
        elif csv:   # Frictionless checks size and hash only of files it reads as bytes, not of JSON it parses
            descriptor |= {"bytes": self.bytes, "hash": self.hash}
        return descriptor | {"schema": self.table.schema("" if csv else "-json")}

    @property
    def in_package(self) -> bool:
        """An empty records list has no header to read a table from; its CSV twin describes it."""
        return self.format == "csv" or self.rows > 0


@dataclass(frozen=True)
class Quarter:
    period: str
    label: str
    resources: tuple[Resource, ...]
    #: Each table's key (table_key) when it was written or kept: the cache keeps a table whose rows
    #: did not change, so a rebuild after results changed does not rewrite the quarter's entries.
    table_keys: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def tables(self) -> list[Table]:
        return [t for t in TABLES if any(r.table is t for r in self.resources)]

    def resource(self, table: Table, fmt: str) -> Resource | None:
        return next((r for r in self.resources if r.table is table and r.format == fmt), None)


def quarter_tables(period: str, census: Census, messages: dict[str, MessageSummary],
                   rectification: dict[str, RectificationStatus]) -> list[tuple[Table, list[dict[str, Any]]]]:
    """The tables one quarter has data for, in the order of TABLES."""
    cards = census.of_period(period)
    tables: list[tuple[Table, list[dict[str, Any]]]] = []
    if cards:
        tables += [(ENTRIES, entry_rows(cards)), (SCORECARDS, scorecard_rows(cards)), (FINDINGS, finding_rows(cards)),
                   (FIGURES, figure_rows(census, period))]
    if period in messages:
        tables.append((MESSAGES, message_rows(messages[period])))
    if period in rectification:
        tables.append((RECTIFICATION, rectification_rows(rectification[period])))
    return tables


def table_key(table: Table, rows: list[dict[str, Any]], compress: bool) -> str:
    """What a table's files are made from: its rows (before masking, which is code) and their form."""
    return digest(table.name, str(compress), repr(rows))


#: (table, its key) -> the table's files as the last build wrote them, when they are still there.
Reuse = Callable[[Table, str], "list[Resource] | None"]


def write_quarter(folder: Path, period: str, tables: list[tuple[Table, list[dict[str, Any]]]],
                  licence: dict[str, str], compress: bool = False, reuse: Reuse | None = None) -> Quarter:
    """One quarter's files. A past quarter's (`compress`) are gzipped, `<table>.csv.gz`: the site of
    a national registry keeps two years under GitHub Pages' 1 GB (govcensus_site/archive.py).
    A table `reuse` gives back (same rows, files intact) is not written again."""
    resources: list[Resource] = []
    keys = {}
    for table, rows in tables:
        keys[table.name] = key = table_key(table, rows, compress)
        kept = reuse(table, key) if reuse else None
        if kept:
            resources += kept
            continue
        df = frame(table, rows)
        for fmt, data in (("csv", csv_bytes(df)), ("json", json_bytes(df))):
            path, other = f"{table.name}.{fmt}", f"{table.name}.{fmt}.gz"
            if compress:
                data, path, other = gzip.compress(data, compresslevel=9, mtime=0), other, path
            write_atomic(folder / path, data)
            (folder / other).unlink(missing_ok=True)  # the form of the quarter before it became past
            resources.append(Resource(table, fmt, path, len(data), len(df), _sha256(data)))
    quarter = Quarter(period, period_label(period), tuple(resources), keys)
    write_package(folder, quarter, licence)
    return quarter


def write_package(folder: Path, quarter: Quarter, licence: dict[str, str]) -> None:
    """The quarter's datapackage.json: made from its files' records alone, so it is never taken
    from elsewhere (a sealed build could not check its bytes: it has no recorded hash)."""
    package = {
        "profile": "tabular-data-package", "name": f"govcensus-{quarter.period.lower()}",
        "title": f"政府网站与政务新媒体普查 {quarter.label}开放数据", "version": quarter.period,
        "licenses": [licence], "resources": [r.descriptor() for r in quarter.resources if r.in_package],
    }
    write_atomic(folder / "datapackage.json", (json.dumps(package, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))


#: What a quarter's file is called (entries.csv, findings.json.gz): a name, never a path.
_FILE_NAME = re.compile(r"[a-z_]+\.(?:csv|json)(?:\.gz)?")


class QuarterCache:
    """The last build's quarters of open data, by the key of what they were made from.

    A quarter whose scorecards (content hashes and addresses), message and rectification files,
    licence and form (gzipped or not) are what they were, under the same fingerprint (settings and
    code), and whose files are still there at the size written, is not made again: at national
    scale rewriting every quarter's tables was most of a rebuild (docs/scale.md). A quarter made
    again keeps each table whose rows are what they were (`reuse`): results that changed rewrite the
    scorecards and findings tables, not the entries.
    """

    def __init__(self, path: Path | None, fingerprint: str, last: Path | None = None):
        self.path, self.fingerprint = path, fingerprint
        self.last = last / DATA_DIR if last is not None else None  # the last build's data/ (incremental.recover)
        self.previous: dict[str, Any] = {}
        if path is not None:
            stored = read_cache_file(path)  # None when missing or not to be trusted (seal.py)
            try:
                data = json.loads(stored) if stored is not None else {}
                if data.get("fingerprint") == fingerprint and isinstance(data.get("quarters"), dict):
                    self.previous = data["quarters"]
            except (ValueError, AttributeError):
                pass  # no cache or a damaged one: every quarter is made again, never a wrong one
        self.quarters: dict[str, Any] = {}

    def get(self, folder: Path, period: str, key: str | None, licence: dict[str, str]) -> Quarter | None:
        """The quarter as the last build made it from the same inputs (`key`), its files still there or
        taken from the last output, its datapackage.json written again from them if missing; else None."""
        last = self.previous.get(period)
        if key is None or not last or last.get("key") != key:
            return None
        resources = self._resources(folder, last)
        if resources is None:
            return None
        self.quarters[period] = last
        quarter = Quarter(period, period_label(period), resources, dict(last.get("tables") or {}))
        if not (folder / "datapackage.json").is_file():
            write_package(folder, quarter, licence)
        return quarter

    def reuse(self, folder: Path, period: str) -> Reuse:
        """For a quarter made again: its tables whose rows are what they were, as they were written."""
        last = self.previous.get(period) or {}
        def kept(table: Table, key: str) -> list[Resource] | None:
            if (last.get("tables") or {}).get(table.name) != key:
                return None
            resources = self._resources(folder, {"resources": [r for r in last.get("resources") or ()
                                                                if isinstance(r, dict) and r.get("table") == table.name]})
            return list(resources) if resources else None
        return kept

    def _resources(self, folder: Path, last: dict[str, Any]) -> tuple[Resource, ...] | None:
        """The recorded files, or None when the record is damaged or a file is gone or changed size
        (one missing from the output is taken from the last build's, when it is there as recorded)."""
        try:
            resources = tuple(Resource(TABLES_BY_NAME[r["table"]], r["format"], r["path"], r["bytes"], r["rows"], r["hash"])
                              for r in last["resources"])
        except (KeyError, TypeError):
            return None
        for r in resources:
            if not _FILE_NAME.fullmatch(r.path):  # a record that names another folder is not ours
                return None
            here = file_size(folder / r.path)
            if here != r.bytes and not (here is None and recover(folder / r.path, self.last, f"{folder.name}/{r.path}",
                                                                 r.bytes, holds=lambda data, r=r: _sha256(data) == r.hash)):
                return None
        return resources

    def put(self, quarter: Quarter, key: str | None) -> None:
        self.quarters[quarter.period] = {"key": key, "tables": quarter.table_keys, "resources": [
            {"table": r.table.name, "format": r.format, "path": r.path, "bytes": r.bytes, "rows": r.rows,
             "hash": r.hash} for r in quarter.resources]}

    def save(self) -> None:
        if self.path is not None:
            write_cache_file(self.path, json.dumps({"fingerprint": self.fingerprint, "quarters": self.quarters},
                                                   ensure_ascii=False, sort_keys=True))


def _sha256(data: bytes) -> str:
    """A table file's hash as its datapackage.json states it (and the cache records it)."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def quarter_key(period: str, census: Census, messages: dict[str, MessageSummary],
                rectification: dict[str, RectificationStatus], licence: dict[str, str], compress: bool) -> str | None:
    """What one quarter's tables are made from; None when a scorecard was read without its content hash."""
    cards = census.of_period(period)
    if not all(card.digest for card in cards):
        return None
    sources = [s for s in (messages.get(period), rectification.get(period)) if s is not None]
    if not all(s.source and Path(s.source).is_file() for s in sources):
        return None
    return digest(period, json.dumps(licence, ensure_ascii=False, sort_keys=True), str(compress),
                  *(f"{card.digest} {card.url} {card.source}" for card in cards),
                  *(digest(Path(s.source).read_bytes()) for s in sources))


def write_open_data(content: str | Path, output: str | Path, census: Census | None = None,
                    licence: dict[str, str] | None = None, latest_copy: bool = True,
                    gzip_current: bool = False, cache: QuarterCache | None = None) -> list[Quarter]:
    """Write data/<period>/, data/latest/ (unless `latest_copy` is off: a national site cannot afford
    the newest quarter twice, docs/scale.md) and data/index.json under output; quarters newest first.
    Past quarters are gzipped; so is every quarter with `gzip_current` (GOVCENSUS_OPEN_DATA_GZIP).
    With `cache`, a quarter made from the same inputs as in the last build is left as it is."""
    content, output = Path(content), Path(output)
    census = census or Census(load_scorecards(content / "scorecards"))
    messages = {m.period: m for m in load_message_summaries(content / "messages")}
    rectification = {r.period: r for r in load_rectification_statuses(content / "rectification-status")}
    for source in [*messages.values(), *rectification.values()]:
        # A period names a folder of published files: nothing but 2020Q2-like names may do that.
        if not PERIOD.fullmatch(source.period):
            raise DataFileError(Path(source.source), f"period {source.period!r} is not a quarter like 2020Q2")
    periods = sorted(set(census.periods) | set(messages) | set(rectification), reverse=True)
    root = output / DATA_DIR
    # A period comes from a data file's front matter: it names a folder, so it must stay under data/.
    quarters = []
    for p in periods:
        folder, compress = confined(root, p), gzip_current or archived_period(census, p)
        key = quarter_key(p, census, messages, rectification, licence or LICENCE, compress) if cache else None
        quarter = cache.get(folder, p, key, licence or LICENCE) if cache else None
        if quarter is None:
            quarter = write_quarter(folder, p, quarter_tables(p, census, messages, rectification),
                                    licence or LICENCE, compress=compress,
                                    reuse=cache.reuse(folder, p) if cache else None)
        if cache:
            cache.put(quarter, key)
        quarters.append(quarter)
    if cache:
        cache.save()
    latest = root / LATEST
    shutil.rmtree(latest, ignore_errors=True)
    if quarters and latest_copy:
        shutil.copytree(root / quarters[0].period, latest)
    index = {"latest": quarters[0].period if quarters else None, "periods": [
        {"period": q.period, "label": q.label, "path": f"{DATA_DIR}/{q.period}/",
         "datapackage": f"{DATA_DIR}/{q.period}/datapackage.json",
         "files": [{"path": f"{DATA_DIR}/{q.period}/{r.path}", "bytes": r.bytes, "rows": r.rows} for r in q.resources]}
        for q in quarters]}
    write_atomic(root / "index.json", (json.dumps(index, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    return quarters


class OpenDataGenerator(Generator):
    """Writes the open-data files, then the 开放数据 page listing them (opendata.html).

    A generator rather than a `finalized` hook: the page is rendered with the site's templates and
    context like every other page, and exists before the sitemap is written.
    """

    def _fingerprint(self) -> str:
        """Settings, our code and the catalogue (labels): what every quarter's tables depend on besides data."""
        site, data = Path(__file__).resolve().parent, Path(__file__).resolve().parent.parent / "govcensus_data"
        catalogues = Path(self.path) / "catalogue"
        return digest(settings_digest(self.settings), tree_digest(site.glob("*.py"), site),
                      tree_digest(data.glob("*.py"), data), tree_digest(catalogues.glob("*.yaml"), catalogues))

    def generate_context(self) -> None:
        """Start writing the files in a forked process when the census is big: it runs beside the
        site's pages (generator.py) instead of after them. (Pelican has emptied output/ by now.)"""
        self._job: Forked | None = None
        census = self.context.get("census")
        if census is not None and build_workers(self.settings) > 1 and len(census.scorecards) >= MIN_ITEMS and can_fork():
            self._job = Forked(self._write_files)

    def _write_files(self) -> list[Quarter]:
        # the Census the site's own generator loaded (shared context); read again only without it
        census = self.context.get("census") or Census(
            load_scorecards(Path(self.path) / self.settings.get("GOVCENSUS_SCORECARDS", "scorecards")))
        return write_open_data(self.path, self.output_path, census, self._licence(), self._latest_copy(),
                               self._gzip_current(),
                               QuarterCache(cache_dir(self.settings) / OPEN_DATA_CACHE, self._fingerprint(),
                                            last_output(self.settings)))

    def _licence(self) -> dict[str, str]:
        return self.settings.get("GOVCENSUS_OPEN_DATA_LICENCE") or LICENCE

    def _latest_copy(self) -> bool:
        return bool(scale.setting(self.settings, "GOVCENSUS_OPEN_DATA_LATEST"))

    def _gzip_current(self) -> bool:
        return bool(scale.setting(self.settings, "GOVCENSUS_OPEN_DATA_GZIP"))

    def generate_output(self, writer) -> None:
        job, self._job = getattr(self, "_job", None), None
        written = job.result() if job is not None else None
        # Made in another process, the quarters' tables are copies: this process's TABLES again.
        quarters = same_tables(written) if written is not None else self._write_files()
        writer.write_file("opendata.html", self.get_template("opendata"), self.context,
                          relative_urls=self.settings["RELATIVE_URLS"], override_output=True,
                          page_name="opendata", quarters=quarters, tables=TABLES, licence=self._licence(),
                          latest=quarters[0] if quarters else None, latest_copy=self._latest_copy(),
                          gzip_current=self._gzip_current(), human_size=human_size,
                          type_labels=TYPE_LABELS)


def same_tables(quarters: list[Quarter]) -> list[Quarter]:
    """Quarters whose resources name this process's TABLES (compared by identity) by their names."""
    return [replace(q, resources=tuple(replace(r, table=TABLES_BY_NAME[r.table.name]) for r in q.resources))
            for q in quarters]


def generators(pelican_object) -> type[OpenDataGenerator]:
    """Pelican's get_generators hook (connected in govcensus_site.register)."""
    return OpenDataGenerator


def human_size(size: int) -> str:
    """File sizes as the page shows them."""
    return f"{size} 字节" if size < 1024 else f"{size / 1024:.1f} KB" if size < 1024 * 1024 else f"{size / 1048576:.1f} MB"


__all__ = ["OpenDataGenerator", "generators", "TABLES", "Quarter", "Resource", "Table", "human_size", "write_open_data"]
