"""The registry staff maintain: websites, disclosure columns, new-media accounts, message platforms.

Loaded from YAML (our format, see docs/registry.md) or from the spreadsheet staff already keep
(XLSX or CSV with Chinese headers). Every problem is reported with file, row or line, field and
reason, all at once, so staff can fix a sheet in one pass.
"""
from __future__ import annotations

import csv
import difflib
import io
import ipaddress
import re
import zipfile
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable, Iterator
from urllib.parse import urlsplit

import yaml

import idna

from collector.domains.names import registrable_domain
from govcensus_data.bulk import collection_paused
from collector.yamlerrors import YAML_ERRORS, yaml_problem
from collector.fetch.addresses import url_refusal

LEVELS = ("省级", "市级", "县级", "乡镇级")
SITE_KINDS = ("政府门户网站", "部门网站", "信息公开专栏")
STATUSES = ("运行", "下线")
COLUMN_TYPES = ("要闻动态", "工作动态", "通知公告", "政策文件", "人事信息", "规划计划", "互动交流", "其他")
PLATFORMS = ("微信公众号", "微博", "今日头条", "抖音", "快手", "其他")
ENTRY_KINDS = ("website", "column", "account", "message_platform")
#: The fields a message export is read into (collector.message_exports.importer.HEADERS has their default
#: header names); a platform's `headers` maps some of them to the names its own export uses.
MESSAGE_FIELDS = ("id", "received_at", "replied_at", "reply_text", "unit", "status")

#: Ids name files (content/scorecards/<period>/<kind>/<id>.md), so they are kept to a safe alphabet:
#: a letter or digit, then up to 63 letters, digits, dots, underscores or hyphens, never "..".
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
ID_RULE = "must be 1-64 of A-Z a-z 0-9 . _ - starting with a letter or digit, without '..'"
#: How staff separate several domains in one sheet cell or YAML string: 、 ; ； , ， or spaces.
DOMAIN_SEPARATORS = re.compile(r"[、;；,，\s]+")
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
#: The ways offices write a date in a sheet: 2020-03-31, 2020/3/31, 2020.3.31, 2020年3月31日,
#: and what openpyxl makes of a date cell (2020-03-31 00:00:00).
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")


def safe_id(value: str) -> bool:
    """True for an id that can only ever name a file inside its folder."""
    return bool(ID_PATTERN.fullmatch(value)) and ".." not in value


def normalise_domain(value: str) -> str:
    """A domain as WHOIS and DNS are asked about it: lower case, no final dot, IDN as punycode
    (临沧.中国 -> xn--...); ValueError with a reason for anything that is not a host name."""
    name = value.strip().rstrip(".")
    if not name:
        raise ValueError("is empty")
    if "://" in name or "/" in name or ":" in name or "@" in name:
        raise ValueError("is not a bare domain name (no scheme, path, port or user)")
    try:
        ipaddress.ip_address(name)
    except ValueError:
        pass
    else:
        raise ValueError("is an IP address, not a domain name")
    try:
        name = idna.encode(name, uts46=True).decode("ascii")
    except idna.IDNAError as exc:
        raise ValueError(f"is not a valid domain name ({exc})") from None
    labels = name.split(".")
    if len(labels) < 2:
        raise ValueError("has a single label; give the registered domain, e.g. lcsd.gov.cn")
    if len(name) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        raise ValueError("is not a valid domain name (labels of a-z 0-9 -, at most 63 each, 253 in all)")
    return name


def parse_date(value: object) -> date:
    """A date from YAML or a sheet cell; ValueError naming the accepted forms for anything else
    (2020-13-45 included), so a bad date is a located problem, never a traceback."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = _DATE.fullmatch(text)
    if not match:
        raise ValueError("is not a date; write it as YYYY-MM-DD, e.g. 2020-03-31")
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise ValueError("is not a date of the calendar; write it as YYYY-MM-DD, e.g. 2020-03-31") from None


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
    #: The domains registered for the site, as asked about in WHOIS (punycode, lower case). Empty:
    #: the registrable domain of `url` (see `whois_domains`), which is what most sites have.
    domains: tuple[str, ...] = ()
    #: The day the site went offline (下线日期); the decommissioned-domain check applies from it.
    offline_since: date | None = None
    kind: str = field(default="website", init=False)

    @property
    def id(self) -> str:
        return self.site_code

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    @property
    def whois_domains(self) -> tuple[str, ...]:
        """The domains to ask WHOIS and DNS about: those listed, else the registrable domain of the URL."""
        if self.domains:
            return self.domains
        return (registrable_domain(self.host),) if self.host else ()


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
    #: The column's own type (one of COLUMN_TYPES), e.g. a 专栏 that is a list of 通知公告. Its
    #: sub-columns without a `type` take it, and without sub-columns its own page is judged by it.
    column_type: str | None = None
    kind: str = field(default="column", init=False)
    site_kind: str = field(default="信息公开专栏", init=False)

    @property
    def freshness_columns(self) -> tuple[Column, ...]:
        """What column freshness judges: the listed sub-columns, else the column's own page by its type."""
        if self.columns or not self.column_type:
            return self.columns
        return (Column(name=self.name, type=self.column_type, url=self.url),)


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
    #: (field, header names) pairs overriding the default header names of the export, e.g.
    #: (("received_at", ("提问时间",)),): any office's layout, without a code change.
    headers: tuple[tuple[str, tuple[str, ...]], ...] = ()
    kind: str = field(default="message_platform", init=False)

    @property
    def header_mapping(self) -> dict[str, tuple[str, ...]]:
        return dict(self.headers)

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
    #: The folder relative export paths are read from (the registry file's repository); not serialised.
    root: Path | None = field(default=None, compare=False, repr=False)

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

class _LocatedValues:
    """Mixed into both loaders below."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """A value its tag cannot hold (`!!int 'x'`, `!!float []`) is a located YAML error, not a ValueError."""
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(None, None, f"{node.tag} cannot hold this value ({exc})",
                                                    node.start_mark) from None


class _LineLoader(_LocatedValues, yaml.SafeLoader):
    """A YAML loader that remembers the line of every mapping, for located errors.

    Pure Python: slow on a national registry, so `_load_yaml` reads a file with `_FastLineLoader`
    first and comes back to this one only to word a syntax error (the two parsers word them differently).
    """


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    keys: dict[str, int] = {}
    dupes: list[tuple[str, int]] = []
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode):
            line = key_node.start_mark.line + 1
            if key_node.value in keys:
                dupes.append((key_node.value, line))
            keys.setdefault(key_node.value, line)
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__keys__"] = keys
    mapping["__dupes__"] = dupes
    return mapping


def _construct_plain_text(loader: _LineLoader, node: yaml.ScalarNode) -> str:
    """Dates stay text: the registry has no date fields, and `2020-13-45` must not crash the loader."""
    return loader.construct_scalar(node)  # type: ignore[return-value]


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_plain_text)

if hasattr(yaml, "CSafeLoader"):
    class _FastLineLoader(_LocatedValues, yaml.CSafeLoader):
        """libyaml's parser with `_LineLoader`'s constructors: nodes carry the same line marks, many times faster."""

    _FastLineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _FastLineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_plain_text)
else:  # PyYAML built without libyaml
    _FastLineLoader = _LineLoader  # type: ignore[misc,assignment]

_META = ("__line__", "__keys__", "__dupes__")
#: Bidirectional overrides can make a published name read differently from what it is.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: The first control character (Unicode category Cc is exactly C0, DEL and C1) or bidirectional override:
#: one regex search instead of a category look-up per character of every field of a national registry.
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f" + "".join(sorted(_BIDI_CONTROLS)) + "]")
#: The fields each kind of mapping may have; anything else is a located error with the closest match.
KNOWN_KEYS = {
    "registry": ("office", "region", "websites", "columns", "accounts", "message_platforms"),
    "websites": ("site_code", "name", "unit", "level", "site_kind", "url", "status", "columns", "domains",
                 "offline_since"),
    "columns": ("id", "name", "unit", "parent", "url", "level", "status", "columns", "column_type"),
    "accounts": ("id", "platform", "name", "unit", "feed", "level", "status"),
    "message_platforms": ("id", "name", "unit", "belongs_to", "export", "report_label", "status", "headers"),
    "column": ("name", "type", "url"),
}


def _first_hidden(text: str) -> str | None:
    found = _HIDDEN.search(text)
    return found.group() if found else None


def closest(name: str, known: Iterable[str]) -> str:
    """ "; did you mean 'columns'?" for a near miss, else the list of known names."""
    known = tuple(known)
    match = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f"did you mean {match[0]!r}?" if match else f"known: {', '.join(known)}"


class _Builder:
    """Collects problems while turning plain mappings into registry objects."""

    def __init__(self, file: str, by_row: bool = False, root: Path | None = None,
                 allow_private_addresses: bool = True, sheet_headers: dict[str, str] | None = None):
        self.file = file
        self.by_row = by_row
        self.root = root
        self.allow_private_addresses = allow_private_addresses
        #: a sheet's own column header for each field it has (主办单位 for unit): problems name it
        self.sheet_headers = sheet_headers
        self.problems: list[RegistryProblem] = []

    def shown(self, field_name: str) -> str:
        """A field as the file names it: a sheet's column header with our field name beside it
        ("主办单位 (unit)"; a column the sheet lacks, by its usual header), a YAML key as it is."""
        if self.sheet_headers is None:
            return field_name
        header = self.sheet_headers.get(field_name) or USUAL_SHEET_HEADER.get(field_name)
        return f"{header} ({field_name})" if header else field_name

    def loc(self, raw: dict, key: str | None = None) -> Location:
        n = raw.get("__line__")
        if key is not None:
            n = raw.get("__keys__", {}).get(key, n)
        return Location(self.file, row=n) if self.by_row else Location(self.file, line=n)

    def problem(self, raw: dict, field_name: str, reason: str) -> None:
        self.problems.append(RegistryProblem(self.loc(raw), self.shown(field_name), reason))

    def problem_at(self, raw: dict, field_name: str, reason: str) -> None:
        """A problem located at the line of the field itself (YAML), or the entry's row (sheets)."""
        self.problems.append(RegistryProblem(self.loc(raw, field_name), self.shown(field_name), reason))

    def known_keys(self, raw: dict, kind: str) -> None:
        """An unknown key (a typo like `colums:`) is an error, never a silently dropped field."""
        known = KNOWN_KEYS[kind]
        for key in raw:
            if key in _META:
                continue
            name = str(key)
            if key not in known:
                self.problems.append(RegistryProblem(self.loc(raw, name), name,
                                                     f"unknown field; {closest(name, known)}"))
        for key, line in raw.get("__dupes__", ()):
            self.problems.append(RegistryProblem(Location(self.file, line=line), key, "given twice in one entry"))

    def ident(self, raw: dict, key: str = "id") -> str:
        value = self.text(raw, key)
        if value and not safe_id(value):
            self.problem(raw, key, f"{value!r} {ID_RULE}")
        return value

    def export(self, raw: dict, key: str = "export") -> str:
        """An http(s) URL, or a relative path that stays inside the repository (no /etc/passwd, no ../..)."""
        value = self.text(raw, key)
        if not value:
            return value
        reason = export_problem(value, self.root)
        if reason:
            self.problem(raw, key, reason)
        return value

    def text(self, raw: dict, key: str, required: bool = True, default: str = "") -> str:
        value = raw.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(raw, key, "missing")
            return default
        if isinstance(value, (dict, list)):
            self.problem(raw, key, "must be text")
            return default
        text = str(value).strip()
        hidden = _first_hidden(text)
        if hidden is not None:
            self.problem(raw, key, f"contains the invisible control character U+{ord(hidden):04X}")
        return text

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

    def domains(self, raw: dict, key: str = "domains") -> tuple[str, ...]:
        """A list of domains (YAML) or one text with several (sheet: 、 ; , or spaces between them);
        each checked and normalised (IDN -> punycode), duplicates dropped."""
        value = raw.get(key)
        if value is None:
            return ()
        if isinstance(value, list):
            items = value
        elif isinstance(value, dict):
            self.problem_at(raw, key, "must be a domain name or a list of domain names")
            return ()
        else:
            items = [part for part in DOMAIN_SEPARATORS.split(str(value)) if part]
        result: list[str] = []
        for item in items:
            if isinstance(item, (dict, list)) or item is None:
                self.problem_at(raw, key, "each domain must be a domain name like lcsd.gov.cn")
                continue
            text = str(item).strip()
            hidden = _first_hidden(text)
            if hidden is not None:
                self.problem_at(raw, key, f"contains the invisible control character U+{ord(hidden):04X}")
                continue
            try:
                name = normalise_domain(text)
            except ValueError as exc:
                self.problem_at(raw, key, f"{text!r} {exc}")
                continue
            if name not in result:
                result.append(name)
        if not result and not self.problems_for(raw, key):
            self.problem_at(raw, key, "is empty; leave it out to use the registrable domain of the URL")
        return tuple(result)

    def problems_for(self, raw: dict, key: str) -> bool:
        location = self.loc(raw, key)
        return any(p.location == location and p.field == key for p in self.problems)

    def date(self, raw: dict, key: str) -> date | None:
        value = raw.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, (dict, list)):
            self.problem_at(raw, key, "must be a date (YYYY-MM-DD)")
            return None
        try:
            return parse_date(value)
        except ValueError as exc:
            self.problem_at(raw, key, f"{str(value).strip()!r} {exc}")
            return None

    def columns(self, raw: dict, default_type: str | None = None) -> tuple[Column, ...]:
        items = raw.get("columns") or []
        if not isinstance(items, list):
            self.problem(raw, "columns", "must be a list")
            return ()
        result = []
        for item in items:
            if not isinstance(item, dict):
                self.problem(raw, "columns", "each column must be a mapping with name, type, url")
                continue
            self.known_keys(item, "column")
            result.append(Column(
                name=self.text(item, "name"),
                type=self.choice(item, "type", COLUMN_TYPES, default=default_type),
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
            status=(status := self.choice(raw, "status", STATUSES, default="运行")),
            columns=self.columns(raw),
            domains=self.domains(raw),
            offline_since=self.offline_since(raw, status),
        )

    def offline_since(self, raw: dict, status: str) -> date | None:
        """下线日期 only makes sense for a site marked 下线; on a running one it is a contradiction."""
        value = self.date(raw, "offline_since")
        if value is not None and status == "运行":
            self.problem_at(raw, "offline_since", "given for a site whose status is 运行; set status: 下线 "
                                               "or leave the date out")
        return value

    def disclosure_column(self, raw: dict) -> DisclosureColumn:
        column_type = self.choice(raw, "column_type", COLUMN_TYPES, default="") or None
        return DisclosureColumn(
            id=self.ident(raw),
            name=self.text(raw, "name"),
            unit=self.text(raw, "unit"),
            parent=self.text(raw, "parent"),
            url=self.url(raw, "url"),
            level=self.choice(raw, "level", LEVELS, default="市级"),
            status=self.choice(raw, "status", STATUSES, default="运行"),
            columns=self.columns(raw, default_type=column_type),
            column_type=column_type,
        )

    def account(self, raw: dict) -> Account:
        return Account(
            id=self.ident(raw),
            platform=self.choice(raw, "platform", PLATFORMS),
            name=self.text(raw, "name"),
            unit=self.text(raw, "unit"),
            feed=self.url(raw, "feed"),
            level=self.choice(raw, "level", LEVELS, default="市级"),
            status=self.choice(raw, "status", STATUSES, default="运行"),
        )

    def message_platform(self, raw: dict) -> MessagePlatform:
        return MessagePlatform(
            id=self.ident(raw),
            name=self.text(raw, "name"),
            unit=self.text(raw, "unit"),
            belongs_to=self.text(raw, "belongs_to"),
            export=self.export(raw),
            report_label=self.text(raw, "report_label"),
            status=self.choice(raw, "status", STATUSES, default="运行"),
            headers=self.headers(raw),
        )

    def headers(self, raw: dict) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """A message platform's header mapping: {field: name or [names]} (YAML), or
        "field=name/name; field=name" (one sheet cell). Unknown fields and empty names are located errors."""
        value = raw.get("headers")
        if value is None or (isinstance(value, str) and not value.strip()):
            return ()
        if isinstance(value, str):
            pairs: dict[str, Any] = {}
            for part in re.split(r"[;；\n]", value):
                if not part.strip():
                    continue
                key, sep, names = part.partition("=")
                if not sep:
                    self.problem(raw, "headers", f"{part.strip()!r} is not field=header name")
                    continue
                pairs[key.strip()] = [n for n in re.split(r"[/|、]", names)]
            value = pairs
        if not isinstance(value, dict):
            self.problem(raw, "headers", "must be a mapping of field to header name(s)")
            return ()
        result = []
        for key, names in value.items():
            if key in _META:
                continue
            if key not in MESSAGE_FIELDS:
                self.problem(raw, "headers", f"{key!r} is not one of {', '.join(MESSAGE_FIELDS)}")
                continue
            listed = names if isinstance(names, list) else [names]
            clean = tuple(str(n).strip() for n in listed if isinstance(n, (str, int)) and str(n).strip())
            if not clean or len(clean) != len(listed):
                self.problem(raw, f"headers.{key}", "must be a header name or a list of header names")
                continue
            result.append((key, clean))
        return tuple(result)

    def registry(self, raw: Any) -> Registry:
        if not isinstance(raw, dict):
            self.problems.append(RegistryProblem(Location(self.file, line=1), "(top level)",
                                                 "must be a mapping with websites, columns, accounts, message_platforms"))
            raise RegistryError(self.problems)
        self.known_keys(raw, "registry")
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
                self.known_keys(item, key)
                built.append(build(item))
            sections[key] = tuple(built)
        registry = Registry(office=self.text(raw, "office"), region=self.text(raw, "region"), root=self.root,
                            **sections)
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


def repository_root(path: str | Path) -> Path:
    """The repository a registry file lives in (nearest folder with .git), else the file's own folder.

    Relative export paths are read from here, and only from inside it.
    """
    folder = Path(path).resolve().parent
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder


def export_problem(export: str, root: Path | None) -> str | None:
    """Why an export source is refused, or None: http(s) URLs with a host, or paths inside root.

    Used when the registry is validated and again where an export is opened, so a registry built
    in code cannot read /etc/passwd or /proc/self/environ either.
    """
    parts = urlsplit(export)
    if parts.scheme in ("http", "https"):
        return None if parts.hostname else f"{export!r} is not an http(s) URL with a host"
    if parts.scheme and len(parts.scheme) > 1:
        return f"{export!r}: only http(s) URLs or a relative path inside the repository are read"
    if "\0" in export or Path(export).is_absolute() or re.match(r"^[A-Za-z]:", export):
        return f"{export!r} is an absolute path; give an http(s) URL or a path relative to the repository"
    base = (root or Path.cwd()).resolve()
    try:
        target = (base / export).resolve()
    except (OSError, RuntimeError, ValueError) as exc:  # symlink loops, names too long
        return f"{export!r} cannot be resolved: {exc}"
    if target != base and base not in target.parents:
        return f"{export!r} resolves outside the repository {base}"
    return None


def export_path(export: str, root: Path | None) -> Path:
    """The local file of a relative export, refused (ValueError) unless it stays inside root."""
    reason = export_problem(export, root)
    if reason:
        raise ValueError(reason)
    return (root or Path.cwd()) / export


#: Deeper YAML than this is not a registry; refusing it early keeps the parser off the recursion limit.
MAX_DEPTH = 50


def load_registry(path: str | Path, allow_private_addresses: bool = True) -> Registry:
    """Load a registry from YAML, XLSX or CSV; raise RegistryError with every located problem.

    `allow_private_addresses=False` (collector validate) also reports URLs whose host is
    localhost or a non-public literal IP, which the fetcher would refuse.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        with collection_paused():  # tens of thousands of YAML nodes: govcensus_data/bulk.py
            return _load_yaml(path, allow_private_addresses)
    if suffix in (".xlsx", ".csv"):
        return _load_sheet(path, allow_private_addresses)
    raise RegistryError([RegistryProblem(Location(str(path)), "(file)", "expected .yaml, .yml, .xlsx or .csv")])


def _file_error(path: Path, field_name: str, reason: str, line: int | None = None) -> RegistryError:
    return RegistryError([RegistryProblem(Location(str(path), line=line), field_name, reason)])


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise _file_error(path, "(file)", f"cannot read: {exc.strerror or exc}") from None


def _load_yaml(path: Path, allow_private_addresses: bool = True) -> Registry:
    raw_bytes = _read_bytes(path)
    try:
        text = raw_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw_bytes[: exc.start].count(b"\n") + 1
        raise _file_error(path, "(encoding)", "the file is not UTF-8", line) from None
    depth_line = _too_deep(text)
    if depth_line:
        raise _file_error(path, "(syntax)", f"nested more than {MAX_DEPTH} levels deep", depth_line)
    # libyaml lets through characters PyYAML's reader refuses: such a file takes the pure-Python path
    fast = _FastLineLoader if not yaml.reader.Reader.NON_PRINTABLE.search(text) else _LineLoader
    try:
        raw = yaml.load(text, Loader=fast)
    except YAML_ERRORS:
        try:  # the pure-Python parser words the problem (and finds its line) the way staff are told
            raw = yaml.load(text, Loader=_LineLoader)
        except YAML_ERRORS as exc:
            line, reason = yaml_problem(exc, text)
            raise _file_error(path, "(syntax)", reason, line) from None
    return _Builder(str(path), root=repository_root(path),
                    allow_private_addresses=allow_private_addresses).registry(raw)


def _too_deep(text: str) -> int | None:
    """The line where flow brackets nest deeper than MAX_DEPTH, if they do (a cheap pre-scan)."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None  # too few openers to nest that deep: skip the character walk
    depth = 0
    line = 1
    for char in text:
        if char == "\n":
            line += 1
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line
        elif char in "]}":
            depth = max(depth - 1, 0)
    return None


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
    "留言表头": "headers",
    "单位名称": "office",
    "地区": "region",
    "域名": "domains",
    "下线日期": "offline_since",
    "栏目类型": "column_type",
    "专栏类型": "column_type",
}
#: The header a sheet usually gives each field (the first above): how a problem names a column the sheet lacks.
USUAL_SHEET_HEADER = {field_name: header for header, field_name in reversed(SHEET_HEADERS.items())}
SHEET_KINDS = {"网站": "websites", "信息公开专栏": "columns", "专栏": "columns", "政务新媒体": "accounts",
               "新媒体": "accounts", "留言平台": "message_platforms"}


def _read_sheet_rows(path: Path) -> tuple[list[str], list[list[Any]]]:
    """The header and the rows of a sheet; a file that cannot be read is a located RegistryError."""
    if path.suffix.lower() == ".csv":
        text = _decode_csv(path, _read_bytes(path))
        reader = csv.reader(io.StringIO(text))
        try:
            rows = list(reader)
        except csv.Error as exc:
            raise RegistryError([RegistryProblem(Location(str(path), row=reader.line_num), "(file)",
                                                 f"not a readable CSV: {exc}")]) from None
        header = [h.strip() for h in rows[0]] if rows else []
        return header, rows[1:]
    import openpyxl

    _read_bytes(path)  # a missing or unreadable file says so, not "not a zip"
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except zipfile.BadZipFile:
        raise RegistryError([RegistryProblem(Location(str(path)), "(file)",
                                             "not an XLSX workbook (not a zip file)")]) from None
    except Exception as exc:  # noqa: BLE001 - any parser failure on an untrusted file is "cannot read it"
        raise RegistryError([RegistryProblem(Location(str(path)), "(file)",
                                             f"not a readable XLSX workbook: {_one_line(exc)}")]) from None
    try:
        if not workbook.worksheets:
            raise RegistryError([RegistryProblem(Location(str(path)), "(file)", "the workbook has no sheet")])
        rows_iter = workbook.worksheets[0].iter_rows(values_only=True)
        first = next(rows_iter, None) or ()
        header = [" ".join(str(h).split()) if h is not None else "" for h in first]
        rows = [list(row) for row in rows_iter]
    except RegistryError:
        raise
    except Exception as exc:  # noqa: BLE001 - cells are parsed lazily, so a damaged part fails here
        raise RegistryError([RegistryProblem(Location(str(path)), "(file)",
                                             f"the workbook is damaged: {_one_line(exc)}")]) from None
    finally:
        workbook.close()
    return header, rows


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__


def _decode_csv(path: Path, raw: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or GBK/GB18030 — what office software writes."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\0" in text:
            break
        return text
    raise RegistryError([RegistryProblem(Location(str(path)), "(encoding)",
                                         "the file is not UTF-8, UTF-16 (with BOM) or GBK text")])


def _cell_text(value: Any) -> str:
    """A cell as text; Excel's 5309000001.0 for a typed-in number is 5309000001."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _load_sheet(path: Path, allow_private_addresses: bool = True) -> Registry:
    """A flat sheet: one row per entry, a 类型 column (网站 / 信息公开专栏 / 政务新媒体 / 留言平台).

    Without a 类型 column every row is a website, which is the sheet most offices already keep
    (网站标识码, 网站名称, 主办单位, 首页网址 …). Row numbers count the header as row 1.
    """
    header, rows = _read_sheet_rows(path)
    own_headers: dict[str, str] = {}
    for name in header:
        if name in SHEET_HEADERS:
            own_headers.setdefault(SHEET_HEADERS[name], name)
    builder = _Builder(str(path), by_row=True, root=repository_root(path),
                       allow_private_addresses=allow_private_addresses, sheet_headers=own_headers)
    raw: dict[str, Any] = {"office": "", "region": "", "__line__": 1}
    seen: set[str] = set()
    for name in header:
        if not name:
            continue
        if name not in SHEET_HEADERS:
            builder.problems.append(RegistryProblem(Location(str(path), row=1), name,
                                                    f"unknown column header; {closest(name, SHEET_HEADERS)}"))
        elif name in seen:
            builder.problems.append(RegistryProblem(Location(str(path), row=1), name, "column header given twice"))
        seen.add(name)
    for number, row in enumerate(rows, start=2):
        item: dict[str, Any] = {"__line__": number}
        for name, value in zip(header, row):
            key = SHEET_HEADERS.get(name)
            if key and value is not None and _cell_text(value):
                item[key] = _cell_text(value)
        if len(row) > len(header) and any(v is not None and _cell_text(v) for v in row[len(header):]):
            builder.problems.append(RegistryProblem(Location(str(path), row=number), "(row)",
                                                    "more cells than column headers"))
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
                if not f.init or f.name == "root":
                    continue
                value = getattr(obj, f.name)
                if value == () and f.name in ("columns", "headers", "domains"):
                    continue
                if value is None and f.name in ("offline_since", "column_type"):
                    continue
                if isinstance(value, date):
                    out[f.name] = value.isoformat()
                    continue
                if f.name == "headers":
                    out[f.name] = {key: list(names) for key, names in value}
                    continue
                out[f.name] = plain(value)
            return out
        return obj

    return plain(registry)
