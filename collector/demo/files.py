"""Real files for the demo world: article attachments (XLSX, DOCX, PDF, CSV) and the message
platforms' exports, built in memory with the same libraries offices' software produces them with.
"""
from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime

import openpyxl
from openpyxl.writer.excel import ExcelWriter
from docx import Document

from collector.demo.world import Attachment, Message, MessagePlatform
from govcensus_data.packages import stamped

MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "csv": "text/csv",
}
EXPORT_HEADERS = ("留言编号", "留言时间", "留言人", "联系电话", "留言主题", "答复时间", "答复单位", "状态")
#: openpyxl stamps the current time into docProps; a fixed one keeps the bytes reproducible.
_FIXED_CREATED = datetime(2020, 1, 1)


def attachment_bytes(attachment: Attachment) -> bytes:
    return {"xlsx": _xlsx, "docx": _docx, "pdf": _pdf, "csv": _csv}[attachment.kind](attachment)


def _xlsx(attachment: Attachment) -> bytes:
    return _workbook(attachment.sheet, attachment.table)


def _workbook(sheet_name: str, rows) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.properties.created = workbook.properties.modified = _FIXED_CREATED
    sheet = workbook.active
    sheet.title = sheet_name
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    # openpyxl's ExcelWriter as save_workbook drives it, without save_workbook's stamping `modified` now
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    return _at_fixed_time(buffer.getvalue())


def _docx(attachment: Attachment) -> bytes:
    document = Document()
    document.core_properties.created = document.core_properties.modified = _FIXED_CREATED
    document.add_heading(attachment.title, level=1)
    for paragraph in attachment.paragraphs:
        document.add_paragraph(paragraph)
    if attachment.table:
        table = document.add_table(rows=0, cols=len(attachment.table[0]))
        for row in attachment.table:
            for cell, value in zip(table.add_row().cells, row):
                cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return _at_fixed_time(buffer.getvalue())


def _at_fixed_time(package: bytes) -> bytes:
    """The same zip package (XLSX, DOCX) with every member at the fixed time (govcensus_data.packages)."""
    return stamped(package, _FIXED_CREATED.timetuple()[:6])


def _csv(attachment: Attachment) -> bytes:
    return _csv_bytes(attachment.table, "utf-8-sig")


def _csv_bytes(rows, encoding: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def _pdf(attachment: Attachment) -> bytes:
    """A one-page PDF 1.4 with Helvetica text lines (ASCII), with a correct xref table."""
    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    lines = [attachment.title, *attachment.paragraphs]
    stream = "BT /F1 12 Tf 72 760 Td 16 TL " + " ".join(f"({escape(line)}) Tj T*" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        " /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("ascii")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii")
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode("ascii")
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode("ascii")
    return bytes(out)


# --------------------------------------------------------------------------- message exports

def _time_cell(moment: datetime, style: str, in_workbook: bool) -> datetime | str:
    """How a platform's export writes a time: the variety a careful importer has to read."""
    if style == "cell" and in_workbook:
        return moment.replace(tzinfo=None)
    if style == "unpadded":
        return f"{moment.year}-{moment.month}-{moment.day} {moment.hour}:{moment.minute:02d}"
    if style == "slash":
        return moment.strftime("%Y/%m/%d %H:%M")
    if style == "date":
        return moment.strftime("%Y-%m-%d")
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _export_rows(platform: MessagePlatform, now: datetime, in_workbook: bool) -> list[tuple]:
    rows: list[tuple] = [EXPORT_HEADERS]
    for message in platform.messages:
        if message.asked > now:
            continue
        row = _export_row(message, now, in_workbook)
        rows.append(row)
        if message.duplicated:
            rows.append(row)
    return rows


def _export_row(message: Message, now: datetime, in_workbook: bool) -> tuple:
    replied = message.replied <= now
    return (
        ("  " if message.leading_space else "") + message.number,
        _time_cell(message.asked, message.asked_style, in_workbook),
        message.author, message.phone, message.subject,
        _time_cell(message.replied, message.replied_style, in_workbook) if replied else "",
        message.reply_unit if replied else "",
        "已办结" if replied else "办理中",
    )


def export_bytes(platform: MessagePlatform, now: datetime) -> bytes:
    """The platform's message list as its export button gives it at `now`."""
    if platform.export_kind == "xlsx":
        return _workbook("留言列表", _export_rows(platform, now, in_workbook=True))
    return _csv_bytes(_export_rows(platform, now, in_workbook=False), platform.export_encoding)
