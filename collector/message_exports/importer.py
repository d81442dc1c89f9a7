"""Read a message platform's exported message list (XLSX, legacy XLS, CSV) into `Message` records.

Exports are messy; every irregularity is handled by a rule documented in docs/messages.md and
recorded as an `Anomaly`, or reported as a located `ImportProblem` (file, row, field, reason).
Nothing is guessed silently.

Any office's layout: each field has default header names (HEADERS) and a platform may map a field
to its own names (the registry's `headers`). Only the message number and the message time are
needed to find the header row; an export without a status column (the common 留言编号, 留言用户,
留言主题, 留言时间, 留言详情, 答复意见, 答复时间 layout) counts a message as answered when it has a
reply time or reply text (rule "status_from_reply").

Personal data stays in the file: the importer reads only the message number, the two times, the
replying unit and the status, and of the reply text only whether there is any. Names (留言人,
留言用户), phone numbers (联系电话), titles and message or reply text are never read into any
object it returns; the cells it does keep pass through collector.text.pii.redact (a hostile
export may put a phone number in the number or unit column), and values quoted in problems have
long digit runs masked, so a misaligned phone number cannot leak through an error message either.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path, PurePosixPath
from typing import Any, Iterator, Mapping, Sequence

from collector.text.pii import redact
from collector.periods import CHINA_TZ

#: Our field -> header variants platforms use. The first variant is the name shown to staff.
HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("留言编号", "编号", "信件编号", "留言序号"),
    "received_at": ("留言时间", "提交时间", "来信时间"),
    "replied_at": ("答复时间", "回复时间", "办结时间"),
    "reply_text": ("答复意见", "答复内容", "回复内容", "回复意见", "办理结果"),
    "unit": ("答复单位", "回复单位", "办理单位"),
    "status": ("状态", "办理状态"),
}
#: Without these (after a platform's mapping) nothing can be counted: the export is unreadable.
REQUIRED = ("id", "received_at", "replied_at")
#: Headers we recognise and deliberately never read (personal data and free text).
DROPPED_HEADERS = ("留言人", "留言用户", "联系电话", "留言主题", "标题", "信件标题", "留言内容", "留言详情")

#: Status words -> closed? Words outside this vocabulary follow the rule "unknown_status".
STATUS_WORDS: dict[str, bool] = {
    **dict.fromkeys(("已办结", "办结", "已答复", "已回复", "已处理", "已完成", "已解决", "已结案"), True),
    **dict.fromkeys(("办理中", "处理中", "待处理", "待办理", "未办结", "未答复", "未回复", "待答复", "待回复",
                     "已受理", "受理中", "已转办", "转办中", "未处理"), False),
}

#: Every anomaly rule (docs/messages.md explains each), with the Chinese name staff read in the summary.
RULES: dict[str, str] = {
    "title_rows_skipped": "表头上方的标题行已跳过",
    "whitespace_trimmed": "首尾空白已去除",
    "fullwidth_normalised": "全角字符已转为半角",
    "excel_serial": "Excel 序列号日期已换算",
    "date_only_received": "留言时间仅有日期（按当日 0 时计）",
    "date_only_reply": "答复时间仅有日期（按当日 23:59:59 计）",
    "reply_before_message": "答复早于留言（答复时间不采信）",
    "closed_without_reply_time": "已办结但无答复时间（不计按时）",
    "unknown_status": "未知状态词（按未办结计）",
    "duplicate_row": "重复行（只计一次）",
    "status_from_reply": "无状态列（有答复时间或答复意见即按已答复计）",
}

#: How far down a sheet the header row may sit (exports often carry a title row or two above it).
HEADER_SEARCH_ROWS = 10
#: Excel serial numbers we accept: 1900-01-01 up to 9999-12-31.
SERIAL_RANGE = (1.0, 2958466.0)

_TIME_TEXT = re.compile(
    r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:(?:\s+|T|(?<=日))(?P<H>\d{1,2})\s*[:时]\s*(?P<M>\d{1,2})(?:\s*(?::|分)\s*(?P<S>\d{1,2}(?:\.\d+)?)\s*秒?|\s*分)?)?"
)
_SERIAL_TEXT = re.compile(r"\d+(?:\.\d+)?")
_WHITESPACE = " \t\r\n\u3000\u00a0\ufeff"
_LONG_DIGITS = re.compile(r"\d{7,}")


@dataclass(frozen=True)
class Message:
    """One message as the statistics need it, and nothing more (no names, phones or text)."""

    id: str
    platform: str
    received_at: datetime
    replied_at: datetime | None
    unit: str
    status: str
    closed: bool


@dataclass(frozen=True)
class Anomaly:
    """An irregular cell or row and the documented rule that was applied to it."""

    row: int
    field: str
    rule: str
    detail: str = ""


@dataclass(frozen=True)
class ImportProblem:
    """Something no rule covers: staff must fix the export. `reason` says what happened to the row."""

    file: str
    row: int | None
    field: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}" if self.row is not None else self.file
        return f"{where}: {self.field}: {self.reason}"


@dataclass(frozen=True)
class ImportResult:
    file: str
    platform: str
    format: str
    messages: tuple[Message, ...] = ()
    anomalies: tuple[Anomaly, ...] = ()
    errors: tuple[ImportProblem, ...] = ()
    #: Why nothing at all could be read (broken or empty file, no header, a required column
    #: missing), as the portal publishes it, in Chinese (`errors` locates it for staff); "" when the
    #: rows were read. An unreadable export is "could not check", never 0.
    unreadable: str = ""

    @property
    def readable(self) -> bool:
        return not self.unreadable

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ImportResult":
        """The inverse of to_dict (observations store import results as plain data)."""
        messages = tuple(Message(**{**m, "received_at": datetime.fromisoformat(m["received_at"]),
                                    "replied_at": datetime.fromisoformat(m["replied_at"]) if m["replied_at"] else None})
                         for m in data.get("messages", ()))
        errors = tuple(ImportProblem(**e) for e in data.get("errors", ()))
        unreadable = data.get("unreadable")
        if unreadable is None and not messages:  # stored before "unreadable" existed: same rule, from the errors
            unreadable = "; ".join(str(e) for e in errors if e.row is None or e.field == "(header)"
                                   or e.reason.startswith("missing required column"))
        return cls(file=data["file"], platform=data["platform"], format=data["format"], messages=messages,
                   anomalies=tuple(Anomaly(**a) for a in data.get("anomalies", ())), errors=errors,
                   unreadable=str(unreadable or ""))

    def to_dict(self) -> dict[str, Any]:
        """Plain data (times as ISO text), for JSON or YAML."""
        data = asdict(self)
        for message in data["messages"]:
            message["received_at"] = message["received_at"].isoformat()
            if message["replied_at"] is not None:
                message["replied_at"] = message["replied_at"].isoformat()
        return data


def load_export(source: bytes | Path, filename: str, *, platform: str | None = None,
                headers: Mapping[str, Sequence[str]] | None = None) -> ImportResult:
    """Import one export. `filename` names the file in problems; `platform` defaults to its stem;
    `headers` maps fields to this platform's header names (unmapped fields keep HEADERS).

    The format is read from the content (ZIP -> XLSX, OLE2 -> XLS, anything else -> CSV), because
    export URLs often carry no extension or the wrong one.
    """
    data = source.read_bytes() if isinstance(source, Path) else bytes(source)
    platform_id = platform if platform is not None else PurePosixPath(filename).stem
    reader = _Reader(filename, platform_id, headers)
    if data.startswith(b"PK\x03\x04"):
        fmt, read = "xlsx", _xlsx_rows
    elif data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        fmt, read = "xls", _xls_rows
    else:
        fmt, read = "csv", _csv_rows
    try:
        rows = list(read(data))
    except Exception as exc:  # a broken file is a located problem, not a traceback
        reader.fatal(None, "(file)", f"cannot read the file as {fmt.upper()}: {type(exc).__name__}",
                     f"无法按 {fmt.upper()} 格式读取文件")
        rows = []
    if rows:
        reader.read(rows)
    elif not reader.errors:
        reader.fatal(None, "(file)", "the file is empty", "文件是空的")
    return ImportResult(filename, platform_id, fmt, tuple(reader.messages), tuple(reader.anomalies),
                        tuple(reader.errors), "；".join(reader.unreadable))


# --------------------------------------------------------------------------- cells

@dataclass(frozen=True)
class Cell:
    """A raw cell: text, a number, or a datetime; `date_only` when its number format shows no time."""

    value: Any
    is_date: bool = False
    date_only: bool = False


def _xlsx_rows(data: bytes) -> Iterator[list[Cell]]:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        epoch = workbook.epoch
        for row in workbook.worksheets[0].iter_rows():
            cells = []
            for cell in row:
                value = getattr(cell, "value", None)
                if isinstance(value, (datetime, date)):
                    cells.append(Cell(value, True, not _format_has_time(cell.number_format)))
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    cells.append(Cell(_Serial(float(value), epoch)))
                else:
                    cells.append(Cell(value))
            yield cells
    finally:
        workbook.close()


def _xls_rows(data: bytes) -> Iterator[list[Cell]]:
    import xlrd

    book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    sheet = book.sheet_by_index(0)
    epoch = datetime(1904, 1, 1) if book.datemode else datetime(1899, 12, 30)
    for r in range(sheet.nrows):
        cells = []
        for c in range(sheet.ncols):
            cell = sheet.cell(r, c)
            if cell.ctype == xlrd.XL_CELL_DATE:
                fmt = book.format_map[book.xf_list[cell.xf_index].format_key].format_str
                cells.append(Cell(xlrd.xldate_as_datetime(cell.value, book.datemode), True,
                                  not _format_has_time(fmt)))
            elif cell.ctype == xlrd.XL_CELL_NUMBER:
                cells.append(Cell(_Serial(float(cell.value), epoch)))
            elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                cells.append(Cell(None))
            else:
                cells.append(Cell(cell.value))
        yield cells


def _csv_rows(data: bytes) -> Iterator[list[Cell]]:
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("gb18030")
    for record in csv.reader(io.StringIO(text, newline="")):
        yield [Cell(value) for value in record]


def _format_has_time(number_format: str) -> bool:
    """Whether an Excel number format shows a clock time (h or s outside quotes and brackets)."""
    plain = re.sub(r'"[^"]*"|\[[^\]]*\]', "", number_format or "").lower()
    return "h" in plain or "s" in plain


@dataclass(frozen=True)
class _Serial:
    """A number read from a spreadsheet; in a time column it is an Excel serial date."""

    number: float
    epoch: datetime

    def __str__(self) -> str:
        return str(int(self.number)) if self.number.is_integer() else repr(self.number)


# --------------------------------------------------------------------------- rows

class _Reader:
    def __init__(self, file: str, platform: str, headers: Mapping[str, Sequence[str]] | None = None):
        self.file = file
        self.platform = platform
        self.variants = header_variants(headers)
        self.messages: list[Message] = []
        self.anomalies: list[Anomaly] = []
        self.errors: list[ImportProblem] = []
        self.unreadable: list[str] = []
        self.columns: dict[str, tuple[int, str]] = {}

    def problem(self, row: int | None, field_name: str, reason: str) -> None:
        self.errors.append(ImportProblem(self.file, row, field_name, reason))

    def fatal(self, row: int | None, field_name: str, reason: str, published: str) -> None:
        """A problem that leaves nothing to count: the export as a whole could not be read. `reason`
        is the located problem staff fix; `published` is what the portal says of it (in Chinese)."""
        self.problem(row, field_name, reason)
        self.unreadable.append(published)

    def anomaly(self, row: int, field_name: str, rule: str, detail: str = "") -> None:
        self.anomalies.append(Anomaly(row, field_name, rule, detail))

    def read(self, rows: list[list[Cell]]) -> None:
        header_index = self.find_header(rows)
        if header_index is None:
            return
        seen: dict[str, tuple[int, tuple]] = {}
        for index in range(header_index + 1, len(rows)):
            number = index + 1
            noted = len(self.anomalies)
            message = self.message(number, rows[index])
            if message is None:
                del self.anomalies[noted:]  # rows that are not counted report only their problem
                continue
            key = (message.received_at, message.replied_at, message.unit, message.status, message.closed)
            if message.id in seen:
                del self.anomalies[noted:]
                first_row, first_key = seen[message.id]
                if first_key == key:
                    self.anomaly(number, self.header("id"), "duplicate_row", f"same as row {first_row}")
                else:
                    self.problem(number, self.header("id"),
                                 f"message {message.id!r} already at row {first_row} with other values; "
                                 "this row is not counted")
                continue
            seen[message.id] = (number, key)
            self.messages.append(message)

    def find_header(self, rows: list[list[Cell]]) -> int | None:
        """The first row (within HEADER_SEARCH_ROWS) naming a message number and a message time."""
        best: tuple[int, dict[str, tuple[int, str]]] | None = None
        for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            found: dict[str, tuple[int, str]] = {}
            for position, cell in enumerate(row):
                name = _normalise(str(cell.value)) if cell.value is not None else ""
                for key, variants in self.variants.items():
                    if name in variants and key not in found:
                        found[key] = (position, name)
            if "id" in found and "received_at" in found:
                best = (index, found)
                break
            if found and best is None:
                best = (index, found)
        if best is None:
            ids, times = "/".join(self.variants["id"]), "/".join(self.variants["received_at"])
            self.fatal(1, "(header)", f"no header row naming a message number ({ids}) and a message time "
                       f"({times}) in the first rows", f"文件的前几行中没有写明留言编号和留言时间的表头行，表头可写作“{ids}”和“{times}”")
            return None
        index, found = best
        missing = [key for key in REQUIRED if key not in found]
        for key in missing:
            names = "/".join(self.variants[key])
            self.fatal(index + 1, self.variants[key][0], f"missing required column (one of {names})",
                       f"文件缺少必需的列“{self.variants[key][0]}”，表头可写作“{names}”")
        if missing:
            return None
        if index:
            self.anomaly(index + 1, "(header)", "title_rows_skipped", f"{index} row(s) above the header")
        if "status" not in found:
            self.anomaly(index + 1, "(header)", "status_from_reply",
                         "no status column (" + "/".join(self.variants["status"]) + ")")
        self.columns = found
        return index

    def header(self, key: str) -> str:
        return self.columns[key][1] if key in self.columns else self.variants[key][0]

    def cell(self, row: list[Cell], key: str) -> Cell:
        position = self.columns[key][0] if key in self.columns else None
        return row[position] if position is not None and position < len(row) else Cell(None)

    def text(self, number: int, row: list[Cell], key: str) -> str:
        """A cell as clean text, recording whitespace and full-width characters that were fixed."""
        value = self.cell(row, key).value
        if value is None:
            return ""
        raw = str(value)
        stripped = raw.strip(_WHITESPACE)
        if stripped != raw and stripped:
            self.anomaly(number, self.header(key), "whitespace_trimmed")
        normalised = unicodedata.normalize("NFKC", stripped)
        if normalised != stripped:
            self.anomaly(number, self.header(key), "fullwidth_normalised")
        return normalised

    def message(self, number: int, row: list[Cell]) -> Message | None:
        if all(c.value is None or not str(c.value).strip(_WHITESPACE) for c in row):
            return None
        id_text = self.text(number, row, "id")
        if not id_text:
            self.problem(number, self.header("id"), "no message number; this row is not counted")
            return None
        received = self.time(number, row, "received_at")
        if received is None:
            return None
        replied = self.time(number, row, "replied_at")
        if replied is not None and replied < received:
            self.anomaly(number, self.header("replied_at"), "reply_before_message",
                         f"{replied.isoformat()} < {received.isoformat()}; reply time dropped")
            replied = None
        if "status" in self.columns:
            status = self.text(number, row, "status")
            closed = STATUS_WORDS.get(status)
            if closed is None:
                self.anomaly(number, self.header("status"), "unknown_status",
                             f"{_quote(status) if status else '(empty)'} counted as not closed")
                closed = False
        else:  # rule status_from_reply: a reply time or any reply text means answered
            closed = replied is not None or self.has_text(row, "reply_text")
            status = "已答复" if closed else "未答复"
        if closed and replied is None:
            self.anomaly(number, self.header("replied_at"), "closed_without_reply_time")
        return Message(redact(id_text), self.platform, received, replied, redact(self.text(number, row, "unit")),
                       redact(status), closed)

    def has_text(self, row: list[Cell], key: str) -> bool:
        """Whether a free-text cell says anything; its words are never read further."""
        value = self.cell(row, key).value
        return value is not None and bool(str(value).strip(_WHITESPACE))

    def time(self, number: int, row: list[Cell], key: str) -> datetime | None:
        """A time cell. An unreadable message time drops the row; an unreadable reply time drops only the time."""
        cell = self.cell(row, key)
        header = self.header(key)
        outcome = "this row is not counted" if key == "received_at" else "counted as not replied"
        if cell.is_date:
            moment = cell.value if isinstance(cell.value, datetime) else datetime.combine(cell.value, time())
            if cell.date_only:
                return self.date_only(number, key, moment.date())
            return _china(_round_second(moment))
        if isinstance(cell.value, _Serial):
            return self.serial(number, key, cell.value, outcome)
        text = self.text(number, row, key)
        if not text:
            if key == "received_at":
                self.problem(number, header, f"no message time; {outcome}")
            return None
        if _SERIAL_TEXT.fullmatch(text):
            return self.serial(number, key, _Serial(float(text), datetime(1899, 12, 30)), outcome)
        match = _TIME_TEXT.fullmatch(text)
        if not match:
            self.problem(number, header, f"{_quote(text)} is not a time; {outcome}")
            return None
        try:
            day = date(int(match["y"]), int(match["m"]), int(match["d"]))
            if match["H"] is None:
                return self.date_only(number, key, day)
            seconds = float(match["S"] or 0)
            clock = time(int(match["H"]), int(match["M"]))
            return _china(_round_second(datetime.combine(day, clock) + timedelta(seconds=seconds)))
        except ValueError:
            self.problem(number, header, f"{_quote(text)} is not a valid date or time; {outcome}")
            return None

    def serial(self, number: int, key: str, serial: _Serial, outcome: str) -> datetime | None:
        header = self.header(key)
        if not SERIAL_RANGE[0] <= serial.number < SERIAL_RANGE[1]:
            self.problem(number, header, f"{_quote(str(serial))} is not a time; {outcome}")
            return None
        moment = _round_second(serial.epoch + timedelta(days=serial.number))
        if serial.number.is_integer():
            return self.date_only(number, key, moment.date(), "excel_serial")
        self.anomaly(number, header, "excel_serial", str(serial))
        return _china(moment)

    def date_only(self, number: int, key: str, day: date, also: str = "") -> datetime:
        """Date-only message times start the day; date-only replies end it (never flatters the platform)."""
        header = self.header(key)
        if also:
            self.anomaly(number, header, also, day.isoformat())
        if key == "received_at":
            self.anomaly(number, header, "date_only_received", day.isoformat())
            return datetime.combine(day, time(0, 0), CHINA_TZ)
        self.anomaly(number, header, "date_only_reply", day.isoformat())
        return datetime.combine(day, time(23, 59, 59), CHINA_TZ)


def header_variants(headers: Mapping[str, Sequence[str]] | None = None) -> dict[str, tuple[str, ...]]:
    """HEADERS with a platform's own names for the fields it maps (compared normalised)."""
    variants = dict(HEADERS)
    for key, names in (headers or {}).items():
        if key not in HEADERS:
            raise ValueError(f"unknown message field {key!r}; known: {', '.join(HEADERS)}")
        variants[key] = tuple(_normalise(str(n)) for n in names)
    return variants


def _normalise(header: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", header))


def _round_second(moment: datetime) -> datetime:
    return (moment + timedelta(microseconds=500_000)).replace(microsecond=0)


def _china(moment: datetime) -> datetime:
    return moment.astimezone(CHINA_TZ) if moment.tzinfo else moment.replace(tzinfo=CHINA_TZ)


def _quote(value: str) -> str:
    """Quote a cell value in a problem, short and with long digit runs (phone numbers) masked."""
    masked = _LONG_DIGITS.sub(lambda m: m.group(0)[:3] + "*" * (len(m.group(0)) - 3), value)
    return repr(masked if len(masked) <= 40 else masked[:40] + "…")
