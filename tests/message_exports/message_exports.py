"""Build real message exports (CSV, XLSX, XLS files) the way platforms write them, for the tests."""
from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl

HEADER = ["留言编号", "留言时间", "留言人", "联系电话", "留言主题", "答复时间", "答复单位", "状态"]
#: Personal data planted in every export; none of it may appear in any import result.
NAMES = ("张三丰", "李小龙", "王晓梅")
PHONES = ("13987654321", "0883-2123456", "15912345678")


def row(number: str, received: Any, replied: Any = "", status: str | None = None, unit: str = "临沧市人民政府办公室",
        person: int = 0) -> list[Any]:
    """One export row in HEADER order, with a planted name, phone and title; closed when it has a reply."""
    status = status if status is not None else ("已办结" if replied else "办理中")
    return [number, received, NAMES[person % 3], PHONES[person % 3], f"关于{NAMES[person % 3]}反映道路维修的问题",
            replied, unit, status]


def csv_bytes(rows: list[list[Any]], header: list[str] = HEADER, encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def write_xlsx(path: Path, rows: list[list[Any]], header: list[str] = HEADER, title_rows: int = 0,
               formats: dict[tuple[int, int], str] | None = None) -> Path:
    """An XLSX file; `formats` maps (data row index, column index) to an Excel number format."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for _ in range(title_rows):
        sheet.append(["临沧市人民政府门户网站网民留言导出"])
    sheet.append(header)
    for r, values in enumerate(rows):
        sheet.append(values)
        for c, value in enumerate(values):
            cell = sheet.cell(row=title_rows + 2 + r, column=c + 1)
            if (r, c) in (formats or {}):
                cell.number_format = formats[(r, c)]
            elif isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
    workbook.save(path)
    return path


def write_xls(path: Path, rows: list[list[Any]], header: list[str] = HEADER,
              formats: dict[tuple[int, int], str] | None = None) -> Path:
    """A legacy XLS (BIFF8) file, as older platforms still export."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("留言")
    for c, name in enumerate(header):
        sheet.write(0, c, name)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            fmt = (formats or {}).get((r, c)) or ("yyyy-mm-dd hh:mm:ss" if isinstance(value, datetime) else None)
            if fmt:
                sheet.write(r + 1, c, value, xlwt.easyxf(num_format_str=fmt))
            else:
                sheet.write(r + 1, c, value)
    book.save(str(path))
    return path


#: The layout of the 2020 Teddy Cup 附件4 export: no status column, reply text instead.
TEDDY_HEADER = ["留言编号", "留言用户", "留言主题", "留言时间", "留言详情", "答复意见", "答复时间"]
#: Free text planted in the Teddy-layout exports; none of it may appear in any import result.
TEDDY_TEXT = ("A00045581", "A909139", "关于西地省A1区道路施工噪音扰民的投诉", "夜间施工噪音严重影响休息，联系电话13987654321",
              "网友您好，您的留言已收悉，经核实")


def teddy_row(number: int, received: Any, reply_text: str = "", replied: Any = "", user: int = 0) -> list[Any]:
    """One row in TEDDY_HEADER order with a planted user id, title and message text."""
    return [number, TEDDY_TEXT[user % 2], TEDDY_TEXT[2], received, TEDDY_TEXT[3], reply_text, replied]


def write_teddy_xlsx(path: Path, rows: list[list[Any]],
                     formats: dict[tuple[int, int], str] | None = None) -> Path:
    """An XLSX in the Teddy Cup 附件4 layout; datetimes get a date-time format unless `formats` says otherwise."""
    return write_xlsx(path, rows, TEDDY_HEADER, formats=formats)
