"""Text with human-readable locations from what government sites publish: pages and attachments.

A finding must say where a reader can see the problem ("第3页", "工作表 名单 C5", "第4段"), so every
reader here yields (location, text) parts rather than one blob. Attachments come from strangers:
a broken, encrypted, oversized or zip-bomb file must never crash a round, so `read_document`
turns every failure into a Document marked unread with a short reason code that is counted.
"""
from __future__ import annotations

import csv
import io
import re
import posixpath
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Iterable, Iterator, NamedTuple
from urllib.parse import unquote, urlsplit

import docx
import lxml.html
import openpyxl
import xlrd
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from collector.fetch.charset import decode_html
from collector.html import copy_tree, parse, visible_text

#: Kinds of documents we read. "doc" (legacy Word) is recognised so it can be counted as unread.
KINDS = ("page", "pdf", "docx", "xlsx", "xls", "csv", "txt", "doc")
ATTACHMENT_EXTENSIONS = {".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx", ".xls": "xls", ".doc": "doc",
                         ".csv": "csv", ".txt": "txt"}
_CONTENT_TYPES = {
    "text/html": "page",
    "application/xhtml+xml": "page",
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.ms-excel": "xls",
    "application/msword": "doc",
    "text/csv": "csv",
    "text/plain": "txt",
}
_PAGE_EXTENSIONS = {".html", ".htm", ".shtml", ".xhtml", ".jsp", ".php", ".asp", ".aspx", ".do", ""}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

#: Limits against hostile files; a legitimate government attachment stays far below them.
MAX_UNZIPPED_BYTES = 256 * 1024 * 1024
MAX_ZIP_MEMBERS = 5000
MAX_PDF_PAGES = 1000
MAX_TEXT_CHARS = 5_000_000

#: Reason codes of unread documents (figures count them by code).
UNREAD_UNSUPPORTED = "unsupported"   # a format no maintained library reads (legacy .doc)
UNREAD_BROKEN = "broken"             # the parser rejected the file
UNREAD_ENCRYPTED = "encrypted"
UNREAD_LIMITS = "limits"             # zip bomb, too many members
UNREAD_FETCH = "fetch_failed"        # not fetched (error status, timeout, larger than the fetch cap)


class Part(NamedTuple):
    """Text and where it stands. A table cell also carries its column header (身份证号, 银行卡号),
    which names what the cell holds, and the text of its whole row (whose person a phone is)."""

    location: str
    text: str
    header: str = ""
    row: str = ""


#: Words of a column header that name a kind of number, personal or not: a row of labels with one
#: of them is a header row (序号 姓名 身份证号 手机; 企业名称 统一社会信用代码 注册号).
#: Header words that name a kind of personal number (a page's table with one is read cell by cell).
_PERSONAL_HEADER_WORDS = ("身份证", "身份号码", "证件号", "银行卡", "卡号", "账号", "帐号", "账户", "帐户",
                          "手机", "电话", "联系方式")
_HEADER_WORDS = _PERSONAL_HEADER_WORDS + ("编号", "代码", "注册号", "单号", "流水号", "识别号", "登记号")
_HEADER_MAX_CHARS = 20
_NUMBER = re.compile(r"[0-9０-９]{5}")


def _is_header_row(texts: list[str], words: tuple[str, ...]) -> bool:
    """Two or more short labels, one naming a kind of number: a table's header. Labels may say
    "2020年补贴（元）" or "身份证号码（18位）" but hold no number of five or more digits."""
    labels = [t.strip() for t in texts if t.strip()]
    return (len(labels) >= 2 and all(len(t) <= _HEADER_MAX_CHARS and not _NUMBER.search(t) for t in labels)
            and any(word in t for t in labels for word in words))


class _Headers:
    """Column headers of a table read row by row. A row of short labels (see _is_header_row), one of
    which names a kind of number, becomes the header of the rows below it (until the next such row), so a
    cell far below its header still carries what the column holds."""

    def __init__(self) -> None:
        self.by_column: dict[object, str] = {}

    def read(self, cells: Iterable[tuple[object, str, str]]) -> Iterator[Part]:
        """Parts of one row from (column, location, text) triples."""
        cells = list(cells)
        if _is_header_row([text for _, _, text in cells], _HEADER_WORDS):
            self.by_column = {column: text.strip() for column, _, text in cells if text.strip()}
            for _, location, text in cells:
                yield Part(location, text)
            return
        # the row as a reader takes it in, each value after its header ("注册号：5309…")
        row = "\t".join(f"{self.by_column[column]}：{text}" if column in self.by_column else text
                        for column, _, text in cells)
        for column, location, text in cells:
            header = self.by_column.get(column, "")
            yield Part(location, text, header, row if header else "")


@dataclass(frozen=True)
class Document:
    """One page or attachment as text parts; `unread` is a reason code when it could not be read."""

    url: str
    kind: str
    parts: tuple[Part, ...] = ()
    unread: str = ""
    truncated: bool = False

    @property
    def is_attachment(self) -> bool:
        return self.kind != "page"


class Unreadable(Exception):
    """A file we will not read; the message is one of the UNREAD_* codes."""


def kind_from_url(url: str) -> str | None:
    """The kind a link's file name promises: attachment extensions, or page-like paths."""
    extension = posixpath.splitext(unquote(urlsplit(url).path).lower())[1]
    if extension in ATTACHMENT_EXTENSIONS:
        return ATTACHMENT_EXTENSIONS[extension]
    return "page" if extension in _PAGE_EXTENSIONS else None


def document_kind(url: str, content_type: str, content: bytes) -> str | None:
    """What a fetched body is: magic bytes first (servers mislabel attachments), then the
    Content-Type, then the URL's extension. None for things we do not scan (images, archives)."""
    declared = _CONTENT_TYPES.get(content_type.split(";")[0].strip().lower())
    by_url = kind_from_url(url)
    if content.startswith(b"%PDF"):
        return "pdf"
    if content.startswith(b"PK\x03\x04"):
        return _zip_kind(content) or (declared if declared in ("docx", "xlsx") else None)
    if content.startswith(_OLE_MAGIC):
        for guess in (declared, by_url):
            if guess in ("xls", "doc"):
                return guess
        return "doc"
    if declared in ("page", "csv", "txt"):
        # text/plain is what many servers send for every unknown file; the extension knows better
        return by_url if declared == "txt" and by_url in ("csv", "page") else declared
    if declared:
        return declared
    return by_url


def _zip_kind(content: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    return None


def read_document(url: str, kind: str, content: bytes, content_type: str = "") -> Document:
    """Read one fetched body into a Document; never raises for a bad file."""
    reader = _READERS.get(kind)
    if reader is None:
        return Document(url, kind, unread=UNREAD_UNSUPPORTED)
    budget = _Budget()
    try:
        parts = tuple(budget.take(reader(content, content_type)))
    except Unreadable as exc:
        return Document(url, kind, unread=str(exc))
    except Exception:  # parsers of hostile files raise anything; one bad file must not end a round
        return Document(url, kind, unread=UNREAD_BROKEN)
    return Document(url, kind, parts, truncated=budget.exhausted)


class _Budget:
    """Stops reading a document after MAX_TEXT_CHARS, so a huge sheet costs bounded time."""

    def __init__(self) -> None:
        self.left = MAX_TEXT_CHARS
        self.exhausted = False

    def take(self, parts: Iterator[Part]) -> Iterator[Part]:
        for part in parts:
            if not part.text.strip():
                continue
            if len(part.text) > self.left:
                self.exhausted = True
                return
            self.left -= len(part.text)
            yield part


def page_document(url: str, tree: lxml.html.HtmlElement) -> Document:
    """An HTML page already parsed (the crawl also needs its links): its visible text.

    A table whose header names a kind of personal number (身份证号, 银行卡号, 手机) is read cell by
    cell with its column headers, the way attachments' tables are; the rest of the page is 正文."""
    every = list(tree.iter("table"))
    chosen = [i for i, table in enumerate(every) if _names_personal_data(table)]
    # a data table inside another data table is read as part of the outer one's cells
    outer = [i for i in chosen if not any(every[j] in set(every[i].iterancestors("table")) for j in chosen)]
    if not outer:
        return Document(url, "page", (Part("正文", visible_text(tree)),))
    parts = [part for number, i in enumerate(outer, start=1) for part in _html_table(every[i], number)]
    rest = copy_tree(tree)
    copies = list(rest.iter("table"))   # the same tables in the same document order
    for i in outer:
        copies[i].drop_tree()
    return Document(url, "page", (Part("正文", visible_text(rest)), *parts))


def _names_personal_data(table: lxml.html.HtmlElement) -> bool:
    """A data table whose header row (among its first three) names a kind of personal number; a
    layout table holding a whole page is not one, so its text keeps its neighbours."""
    return any(_is_header_row([cell.text_content() for cell in row.xpath("./th|./td")], _PERSONAL_HEADER_WORDS)
               for row in _own_rows(table)[:3])


def _html_table(table: lxml.html.HtmlElement, number: int) -> Iterator[Part]:
    headers = _Headers()
    for row_number, row in enumerate(_own_rows(table), start=1):
        yield from headers.read((column, f"表格{number} 第{row_number}行第{column}列", " ".join(cell.text_content().split()))
                                for column, cell in enumerate(row.xpath("./th|./td"), start=1))


def _own_rows(table: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The table's rows, not those of tables nested in its cells."""
    return [row for row in table.xpath(".//tr") if next(row.iterancestors("table"), None) is table]


def _page(content: bytes, content_type: str) -> Iterator[Part]:
    text, _ = decode_html(content, content_type)
    yield from page_document("", parse(text)).parts


def _pdf(content: bytes, content_type: str) -> Iterator[Part]:
    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted and not reader.decrypt(""):
            raise Unreadable(UNREAD_ENCRYPTED)
        pages = reader.pages
        count = len(pages)
    except PdfReadError:
        raise Unreadable(UNREAD_BROKEN) from None
    if count > MAX_PDF_PAGES:
        raise Unreadable(UNREAD_LIMITS)
    for number in range(count):
        yield Part(f"第{number + 1}页", pages[number].extract_text() or "")


def _check_zip(content: bytes) -> None:
    """Refuse zip bombs before a parser inflates them (declared sizes bound what zipfile reads)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise Unreadable(UNREAD_BROKEN) from None
    if len(members) > MAX_ZIP_MEMBERS or sum(m.file_size for m in members) > MAX_UNZIPPED_BYTES:
        raise Unreadable(UNREAD_LIMITS)


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": _W, "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006"}
#: Text boxes; a shape saved with a fallback holds its text twice, so the fallback copy is skipped.
_TEXT_BOXES = etree.XPath(".//w:txbxContent[not(ancestor::mc:Fallback)]", namespaces=_NS)
#: Word parts beyond the body that readers see: notes and comments, by where they are shown.
_NOTE_PARTS = (("word/comments.xml", "w:comment", "批注"), ("word/footnotes.xml", "w:footnote", "脚注"),
               ("word/endnotes.xml", "w:endnote", "尾注"))


def _docx(content: bytes, content_type: str) -> Iterator[Part]:
    """Body paragraphs and tables, then text boxes, headers and footers, comments and notes:
    a list pasted into a footer or a comment is as public as the body."""
    _check_zip(content)
    document = docx.Document(io.BytesIO(content))
    paragraph_number = 0
    table_number = 0
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            if block.text.strip():
                paragraph_number += 1
                yield Part(f"第{paragraph_number}段", block.text)
        elif isinstance(block, Table):
            table_number += 1
            yield from _docx_table(block, table_number)
    yield from _text_boxes(document.element, "")
    yield from _headers_and_footers(document)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = set(archive.namelist())
        for name, tag, where in _NOTE_PARTS:
            if name in names:
                yield from _notes(archive.read(name), tag, where)


def _in_text_box(node: etree._Element, story: etree._Element) -> bool:
    """Whether node sits in a text box of the story (text boxes are read on their own)."""
    for ancestor in node.iterancestors():
        if ancestor is story:
            return False
        if ancestor.tag == f"{{{_W}}}txbxContent":
            return True
    return False


def _paragraph_texts(story: etree._Element) -> list[str]:
    """Text of each paragraph of a story (a header, a footer, a note), text boxes left out."""
    texts = []
    for paragraph in story.iter(f"{{{_W}}}p"):
        if _in_text_box(paragraph, story):
            continue
        text = "".join(t.text or "" for t in paragraph.iter(f"{{{_W}}}t") if not _in_text_box(t, story))
        if text.strip():
            texts.append(text)
    return texts


def _text_boxes(element: etree._Element, prefix: str) -> Iterator[Part]:
    for number, box in enumerate(_TEXT_BOXES(element), start=1):
        yield Part(f"{prefix}文本框{number}", "\n".join(_paragraph_texts(box)))


def _headers_and_footers(document: docx.document.Document) -> Iterator[Part]:
    seen: set[str] = set()
    for section_number, section in enumerate(document.sections, start=1):
        where = f"第{section_number}节" if len(document.sections) > 1 else ""
        for story, name in ((section.header, "页眉"), (section.first_page_header, "首页页眉"),
                            (section.even_page_header, "偶数页页眉"), (section.footer, "页脚"),
                            (section.first_page_footer, "首页页脚"), (section.even_page_footer, "偶数页页脚")):
            if story.is_linked_to_previous:
                continue
            partname = str(story.part.partname)
            if partname in seen:
                continue
            seen.add(partname)
            texts = _paragraph_texts(story._element)
            if texts:
                yield Part(f"{where}{name}", "\n".join(texts))
            yield from _text_boxes(story._element, f"{where}{name}")


def _notes(xml: bytes, tag: str, where: str) -> Iterator[Part]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    root = etree.fromstring(xml, parser)
    number = 0
    for note in etree.XPath(f"//{tag}", namespaces=_NS)(root):
        if note.get(f"{{{_W}}}type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        text = "\n".join(_paragraph_texts(note))
        if text.strip():
            number += 1
            yield Part(f"{where}{number}", text)


def _docx_table(table: Table, number: int) -> Iterator[Part]:
    headers = _Headers()
    for row_number, row in enumerate(table.rows, start=1):
        seen: set[int] = set()
        cells = []
        for column_number, cell in enumerate(row.cells, start=1):
            if id(cell._tc) in seen:  # a merged cell repeats across the columns it spans
                continue
            seen.add(id(cell._tc))
            cells.append((column_number, f"表格{number} 第{row_number}行第{column_number}列", cell.text))
        yield from headers.read(cells)


def _cell_text(value: object) -> str:
    """Numbers as a reader sees them: 13812345678, not 13812345678.0. A number too long for a
    float's exact integers (an ID typed as a number) shows the 15 significant digits Excel keeps and
    shows, 530902199601279000, not the float's noise 530902199601279040."""
    if isinstance(value, float) and value.is_integer():
        if abs(value) >= 2 ** 53:
            return str(int(Decimal(f"{value:.15g}")))
        return str(int(value))
    return str(value)


def _xlsx(content: bytes, content_type: str) -> Iterator[Part]:
    _check_zip(content)
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            headers = _Headers()
            for row in sheet.iter_rows():
                yield from headers.read((cell.column, f"工作表 {sheet.title} {cell.coordinate}", _cell_text(cell.value))
                                        for cell in row if cell.value is not None and hasattr(cell, "coordinate"))
    finally:
        workbook.close()


def _xls(content: bytes, content_type: str) -> Iterator[Part]:
    try:
        book = xlrd.open_workbook(file_contents=content, on_demand=True, logfile=io.StringIO())
    except xlrd.XLRDError:
        raise Unreadable(UNREAD_BROKEN) from None
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            headers = _Headers()
            for row in range(sheet.nrows):
                yield from headers.read((column, f"工作表 {sheet.name} {xlrd.formula.cellname(row, column)}",
                                         _cell_text(cell.value))
                                        for column, cell in enumerate(sheet.row(row))
                                        if cell.ctype in (xlrd.XL_CELL_TEXT, xlrd.XL_CELL_NUMBER))
            book.unload_sheet(index)
    finally:
        book.release_resources()


def _csv(content: bytes, content_type: str) -> Iterator[Part]:
    text, _ = decode_html(content, content_type)
    headers = _Headers()
    for row_number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        yield from headers.read((column, f"第{row_number}行第{column}列", value)
                                for column, value in enumerate(row, start=1))


def _txt(content: bytes, content_type: str) -> Iterator[Part]:
    text, _ = decode_html(content, content_type)
    for number, line in enumerate(text.splitlines(), start=1):
        yield Part(f"第{number}行", line)


_READERS: dict[str, Callable[[bytes, str], Iterator[Part]]] = {
    "page": _page, "pdf": _pdf, "docx": _docx, "xlsx": _xlsx, "xls": _xls, "csv": _csv, "txt": _txt,
}
