"""Real attachment files for the content tests (served by tests/loopback.py where a test needs a web).

The files are made here rather than checked in, so every test shows what its file contains. The PDF
is written by hand: a Type0 font whose ToUnicode map sends every 2-byte code to the same Unicode
code point, which is how PDFs made by Chinese office software carry their text (no font program
is needed to extract it).
"""
from __future__ import annotations

import io

import docx
import openpyxl
import xlwt

MIME = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
    "doc": "application/msword",
    "csv": "text/csv; charset=utf-8",
    "bin": "application/octet-stream",
}


def make_pdf(pages: list[list[str]]) -> bytes:
    """A PDF with one page per list of lines."""
    cmap_ranges = [f"<{hi:02X}00> <{hi:02X}FF> <{hi:02X}00>" for hi in range(256)]
    blocks = "\n".join(f"{len(chunk)} beginbfrange\n" + "\n".join(chunk) + "\nendbfrange"
                       for chunk in (cmap_ranges[i:i + 100] for i in range(0, 256, 100)))
    cmap = ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
            f"{blocks}\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n").encode()
    page_ids = [7 + 2 * i for i in range(len(pages))]
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % p for p in page_ids)
           + b"] /Count %d >>" % len(pages),
        3: b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H "
           b"/DescendantFonts [4 0 R] /ToUnicode 5 0 R >>",
        4: b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo "
           b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 6 0 R /DW 1000 >>",
        5: b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
        6: b"<< /Type /FontDescriptor /FontName /SimSun /Flags 4 /FontBBox [0 -120 1000 880] "
           b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>",
    }
    for page_id, lines in zip(page_ids, pages):
        shown = b" T* ".join(b"<" + line.encode("utf-16-be").hex().upper().encode() + b"> Tj" for line in lines)
        stream = b"BT /F1 10 Tf 14 TL 40 800 Td " + shown + b" ET"
        objects[page_id] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (page_id + 1))
        objects[page_id + 1] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n")
    xref = out.tell()
    size = max(objects) + 1
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for number in range(1, size):
        out.write(b"%010d 00000 n \n" % offsets[number])
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))
    return out.getvalue()


def make_docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_xlsx(sheets: dict[str, list[list[object]]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def make_xls(sheets: dict[str, list[list[object]]]) -> bytes:
    workbook = xlwt.Workbook(encoding="utf-8")
    for title, rows in sheets.items():
        sheet = workbook.add_sheet(title)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                sheet.write(r, c, value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
