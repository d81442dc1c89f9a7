"""The registry staff maintain: websites, disclosure columns, new-media accounts, message platforms.

Loaded from YAML (our format, see docs/registry.md) or from the spreadsheet staff already keep
(XLSX or CSV with Chinese headers). Every problem is reported with file, row or line, field and
reason, all at once, so staff can fix a sheet in one pass.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Iterable, Iterator
from urllib.parse import urlsplit

import yaml

from collector.fetch.addresses import url_refusal

LEVELS = ("省级", "市级", "县级", "乡镇级")
SITE_KINDS = ("政府门户网站", "部门网站", "信息公开专栏")
STATUSES = ("运行", "下线")
COLUMN_TYPES = ("要闻动态", "工作动态", "通知公告", "政策文件", "人事信息", "规划计划", "互动交流", "其他")
PLATFORMS = ("微信公众号", "微博", "今日头条", "抖音", "快手", "其他")
ENTRY_KINDS = ("website", "column", "account", "message_platform")


@dataclass(frozen=True)
class Location:
    """Where a value came from, for error messages: file and line (YAML) or row (sheets)."""

    file: str
    line: int | None = None
    row: int | None = None

    def __str__(self) -> str:
        if self.row is not None:
            return f"{self.file}, row {self.row}"
        if self.line is not None:
            return f"{self.file}, line {self.line}"
        return self.file


@dataclass(frozen=True)
class RegistryProblem:
    location: Location
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.location}: {self.field}: {self.reason}"


class RegistryError(ValueError):
    """Raised with every problem found in a registry file, each located."""

    def __init__(self, problems: list[RegistryProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Column:
    """A column (栏目) of a website or disclosure column, judged for freshness by its type."""

    name: str
    type: str
    url: str


@dataclass(frozen=True)
class Website:
    site_code: str
    name: str
    unit: str
    level: str
    site_kind: str
    url: str
    status: str = "运行"
    columns: tuple[Column, ...] = ()
    kind: str = field(default="website", init=False)

    @property
    def id(self) -> str:
        return self.site_code

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""


@dataclass(frozen=True)
class DisclosureColumn:
    """A department's information-disclosure column (信息公开专栏), hosted on a parent site."""

    id: str
    name: str
    unit: str
    parent: str
    url: str
    level: str = "市级"
    status: str = "运行"
    columns: tuple[Column, ...] = ()
    kind: str = field(default="column", init=False)
    site_kind: str = field(default="信息公开专栏", init=False)


@dataclass(frozen=True)
class Account:
    """A government new-media account, read through a feed that lists its posts with dates."""

    id: str
    platform: str
    name: str
    unit: str
    feed: str
    level: str = "市级"
    status: str = "运行"
    kind: str = field(default="account", init=False)

    @property
    def url(self) -> str:
        return self.feed


@dataclass(frozen=True)
class MessagePlatform:
    """A citizen-message platform (网民留言) of a site or column, and where its export comes from."""

    id: str
    name: str
    unit: str
    belongs_to: str
    export: str
    report_label: str
    status: str = "运行"
    kind: str = field(default="message_platform", init=False)

    @property
    def url(self) -> str:
        return self.export


Entry = Website | DisclosureColumn | Account | MessagePlatform


@dataclass(frozen=True)
class Registry:
    office: str
    region: str
    websites: tuple[Website, ...] = ()
    columns: tuple[DisclosureColumn, ...] = ()
    accounts: tuple[Account, ...] = ()
    message_platforms: tuple[MessagePlatform, ...] = ()

    def entries(self) -> Iterator[Entry]:
        yield from self.websites
        yield from self.columns
        yield from self.accounts
        yield from self.message_platforms

    def get(self, entry_id: str) -> Entry:
        for entry in self.entries():
            if entry.id == entry_id:
                return entry
        raise KeyError(entry_id)

    def to_yaml(self) -> str:
        """Serialise back to our YAML format (a valid registry round-trips)."""
        return yaml.safe_dump(_as_plain(self), allow_unicode=True, sort_keys=False, width=120)


# --------------------------------------------------------------------------- YAML

class _LineLoader(yaml.SafeLoader):
    """A YAML loader that remembers the line of every mapping, for located errors."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class _Builder:
    """Collects problems while turning plain mappings into registry objects."""

    def __init__(self, file: str, by_row: bool = False, allow_private_addresses: bool = True):
        self.file = file
        self.by_row = by_row
        self.allow_private_addresses = allow_private_addresses
        self.problems: list[RegistryProblem] = []

    def loc(self, raw: dict) -> Location:
        n = raw.get("__line__")
        return Location(self.file, row=n) if self.by_row else Location(self.file, line=n)

    def problem(self, raw: dict, field_name: str, reason: str) -> None:
        self.problems.append(RegistryProblem(self.loc(raw), field_name, reason))

    def text(self, raw: dict, key: str, required: bool = True, default: str = "") -> str:
        value = raw.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(raw, key, "missing")
            return default
        if isinstance(value, (dict, list)):
            self.problem(raw, key, "must be text")
            return default
        return str(value).strip()

    def choice(self, raw: dict, key: str, allowed: Iterable[str], default: str | None = None) -> str:
        allowed = tuple(allowed)
        value = self.text(raw, key, required=default is None, default=default or "")
        if value and value not in allowed:
            self.problem(raw, key, f"{value!r} is not one of {', '.join(allowed)}")
        return value

    def url(self, raw: dict, key: str) -> str:
        value = self.text(raw, key)
        if value:
            parts = urlsplit(value)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                self.problem(raw, key, f"{value!r} is not an http(s) URL with a host")
            elif not self.allow_private_addresses and (refusal := url_refusal(value)):
                self.problem(raw, key, f"{value!r}: the host is {refusal}, which the collector refuses to fetch "
                                       "(--allow-private-addresses for a test registry)")
        return value

    def site_code(self, raw: dict, key: str = "site_code") -> str:
        value = self.text(raw, key)
        if value and not (value.isdigit() and len(value) == 10):
            self.problem(raw, key, f"{value!r} is not a 10-digit 网站标识码")
        return value

    def columns(self, raw: dict) -> tuple[Column, ...]:
        items = raw.get("columns") or []
        if not isinstance(items, list):
            self.problem(raw, "columns", "must be a list")
            return ()
        result = []
        for item in items:
            if not isinstance(item, dict):
                self.problem(raw, "columns", "each column must be a mapping with name, type, url")
                continue
            result.append(Column(
                name=self.text(item, "name"),
                type=self.choice(item, "type", COLUMN_TYPES),
                url=self.url(item, "url"),
            ))
        return tuple(result)

    def website(self, raw: dict) -> Website:
        return Website(
            site_code=self.site_code(raw),
            name=self.text(raw, "name"),
            unit=self.text(raw, "unit"),
            level=self.choice(raw, "level", LEVELS),
            site_kind=self.choice(raw, "site_kind", SITE_KINDS[:2], default="政府门户网站"),
            url=self.url(raw, "url"),
            status=self.choice(raw, "status", STATUSES, default="运行"),
            columns=self.columns(raw),
        )

    def disclosure_column(self, raw: dict) -> DisclosureColumn:
        return DisclosureColumn(
            id=self.text(raw, "id"),
            name=self.text(raw, "name"),
            unit=self.text(raw, "unit"),
            parent=self.text(raw, "parent"),
            url=self.url(raw, "url"),
            level=self.choice(raw, "level", LEVELS, default="市级"),
            status=self.choice(raw, "status", STATUSES, default="运行"),
            columns=self.columns(raw),
        )

    def account(self, raw: dict) -> Account:
        return Account(
            id=self.text(raw, "id"),
            platform=self.choice(raw, "platform", PLATFORMS),
            name=self.text(raw, "name"),
            unit=self.text(raw, "unit"),
            feed=self.url(raw, "feed"),
            level=self.choice(raw, "level", LEVELS, default="市级"),
            status=self.choice(raw, "status", STATUSES, default="运行"),
        )

    def message_platform(self, raw: dict) -> MessagePlatform:
        return MessagePlatform(
            id=self.text(raw, "id"),
            name=self.text(raw, "name"),
            unit=self.text(raw, "unit"),
            belongs_to=self.text(raw, "belongs_to"),
            export=self.text(raw, "export"),
            report_label=self.text(raw, "report_label"),
            status=self.choice(raw, "status", STATUSES, default="运行"),
        )

    def registry(self, raw: Any) -> Registry:
        if not isinstance(raw, dict):
            self.problems.append(RegistryProblem(Location(self.file, line=1), "(top level)",
                                                 "must be a mapping with websites, columns, accounts, message_platforms"))
            raise RegistryError(self.problems)
        sections = {}
        for key, build in (("websites", self.website), ("columns", self.disclosure_column),
                           ("accounts", self.account), ("message_platforms", self.message_platform)):
            items = raw.get(key) or []
            if not isinstance(items, list):
                self.problem(raw, key, "must be a list")
                items = []
            built = []
            for item in items:
                if not isinstance(item, dict):
                    self.problem(raw, key, "each entry must be a mapping")
                    continue
                built.append(build(item))
            sections[key] = tuple(built)
        registry = Registry(office=self.text(raw, "office"), region=self.text(raw, "region"), **sections)
        self.cross_check(registry, raw)
        if self.problems:
            raise RegistryError(self.problems)
        return registry

    def cross_check(self, registry: Registry, raw: dict) -> None:
        """Ids unique across the registry; parents and owners exist."""
        raw_items = {}
        for key in ("websites", "columns", "accounts", "message_platforms"):
            for item in raw.get(key) or []:
                if isinstance(item, dict):
                    raw_items.setdefault(key, []).append(item)
        seen: dict[str, Location] = {}
        for key, entries in (("websites", registry.websites), ("columns", registry.columns),
                             ("accounts", registry.accounts), ("message_platforms", registry.message_platforms)):
            for entry, item in zip(entries, raw_items.get(key, [])):
                if not entry.id:
                    continue
                id_field = "site_code" if key == "websites" else "id"
                if entry.id in seen:
                    self.problem(item, id_field, f"{entry.id!r} is already used at {seen[entry.id]}")
                else:
                    seen[entry.id] = self.loc(item)
        site_ids = {w.id for w in registry.websites}
        owner_ids = site_ids | {c.id for c in registry.columns}
        for column, item in zip(registry.columns, raw_items.get("columns", [])):
            if column.parent and column.parent not in site_ids:
                self.problem(item, "parent", f"no website with site_code {column.parent!r}")
        for platform, item in zip(registry.message_platforms, raw_items.get("message_platforms", [])):
            if platform.belongs_to and platform.belongs_to not in owner_ids:
                self.problem(item, "belongs_to", f"no website or column with id {platform.belongs_to!r}")


def load_registry(path: str | Path, allow_private_addresses: bool = True) -> Registry:
    """Load a registry from YAML, XLSX or CSV; raise RegistryError with every located problem.

    `allow_private_addresses=False` (collector validate) also reports URLs whose host is
    localhost or a non-public literal IP, which the fetcher would refuse.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return _load_yaml(path, allow_private_addresses)
    if suffix in (".xlsx", ".csv"):
        return _load_sheet(path, allow_private_addresses)
    raise RegistryError([RegistryProblem(Location(str(path)), "(file)", "expected .yaml, .yml, .xlsx or .csv")])


def _load_yaml(path: Path, allow_private_addresses: bool = True) -> Registry:
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        raise RegistryError([RegistryProblem(Location(str(path), line=line), "(syntax)", str(exc.problem))]) from None
    except UnicodeDecodeError:
        raise RegistryError([RegistryProblem(Location(str(path)), "(encoding)", "the file is not UTF-8")]) from None
    return _Builder(str(path), allow_private_addresses=allow_private_addresses).registry(raw)


# --------------------------------------------------------------------------- spreadsheets

#: Chinese headers of the sheets staff keep, mapped to our field names.
SHEET_HEADERS = {
    "类型": "type",
    "网站标识码": "site_code",
    "标识": "id",
    "名称": "name",
    "网站名称": "name",
    "账号名称": "name",
    "主办单位": "unit",
    "级别": "level",
    "网站类型": "site_kind",
    "首页网址": "url",
    "网址": "url",
    "运行状态": "status",
    "所属网站": "parent",
    "平台": "platform",
    "订阅地址": "feed",
    "所属网站或专栏": "belongs_to",
    "导出地址": "export",
    "通报名称": "report_label",
    "单位名称": "office",
    "地区": "region",
}
SHEET_KINDS = {"网站": "websites", "信息公开专栏": "columns", "专栏": "columns", "政务新媒体": "accounts",
               "新媒体": "accounts", "留言平台": "message_platforms"}


def _read_sheet_rows(path: Path) -> list[dict[str, Any]]:
    if path.suffix.lower() == ".csv":
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig") if _is_utf8(raw) else raw.decode("gb18030")
        return list(csv.DictReader(io.StringIO(text)))
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, [])]
    result = [dict(zip(header, row)) for row in rows]
    workbook.close()
    return result


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _load_sheet(path: Path, allow_private_addresses: bool = True) -> Registry:
    """A flat sheet: one row per entry, a 类型 column (网站 / 信息公开专栏 / 政务新媒体 / 留言平台).

    Without a 类型 column every row is a website, which is the sheet most offices already keep
    (网站标识码, 网站名称, 主办单位, 首页网址 …). Row numbers count the header as row 1.
    """
    builder = _Builder(str(path), by_row=True, allow_private_addresses=allow_private_addresses)
    try:
        rows = _read_sheet_rows(path)
    except Exception as exc:  # a broken workbook is a located error, not a traceback
        raise RegistryError([RegistryProblem(Location(str(path)), "(file)", f"cannot read the sheet: {exc}")]) from None
    raw: dict[str, Any] = {"office": "", "region": "", "__line__": 1}
    unknown = {h for r in rows[:1] for h in r if h and str(h).strip() not in SHEET_HEADERS}
    for header in sorted(unknown):
        builder.problems.append(RegistryProblem(Location(str(path), row=1), header, "unknown column header"))
    for number, row in enumerate(rows, start=2):
        item: dict[str, Any] = {"__line__": number}
        for header, value in row.items():
            key = SHEET_HEADERS.get(str(header).strip()) if header else None
            if key and value is not None and str(value).strip():
                item[key] = str(value).strip()
        if len(item) == 1:
            continue
        if "office" in item:
            raw["office"] = item.pop("office")
        if "region" in item:
            raw["region"] = item.pop("region")
        kind_label = item.pop("type", "网站")
        section = SHEET_KINDS.get(kind_label)
        if section is None:
            builder.problems.append(RegistryProblem(Location(str(path), row=number), "类型",
                                                    f"{kind_label!r} is not one of {', '.join(SHEET_KINDS)}"))
            continue
        raw.setdefault(section, []).append(item)
    raw["office"] = raw["office"] or path.stem
    raw["region"] = raw["region"] or path.stem
    return builder.registry(raw)


def _as_plain(registry: Registry) -> dict:
    def plain(obj: Any) -> Any:
        if isinstance(obj, tuple):
            return [plain(x) for x in obj]
        if hasattr(obj, "__dataclass_fields__"):
            out = {}
            for f in fields(obj):
                if not f.init:
                    continue
                value = getattr(obj, f.name)
                if value == () and f.name == "columns":
                    continue
                out[f.name] = plain(value)
            return out
        return obj

    return plain(registry)
