"""Reading pages and attachments into located text, and surviving files that are hostile or broken."""
from __future__ import annotations

import io
import zipfile

import pytest
from pypdf import PdfReader, PdfWriter

from collector.content import extract
from collector.content.extract import document_kind, read_document
from content.content_fixtures import MIME, make_docx, make_pdf, make_xls, make_xlsx

ID = "360426199101010071"


def located(document: extract.Document) -> dict[str, str]:
    return {part.location: part.text for part in document.parts}


def test_a_pdf_is_read_page_by_page():
    document = read_document("u", "pdf", make_pdf([["第一页"], ["名单", f"张三 {ID}"]]))
    assert located(document) == {"第1页": "第一页", "第2页": f"名单\n张三 {ID}"}


def test_a_docx_is_read_by_paragraph_and_table_cell():
    data = make_docx(["关于公示的通知", "", "现将名单公示如下"], [["姓名", "身份证号"], ["张三", ID]])
    assert located(read_document("u", "docx", data)) == {
        "第1段": "关于公示的通知", "第2段": "现将名单公示如下",
        "表格1 第1行第1列": "姓名", "表格1 第1行第2列": "身份证号",
        "表格1 第2行第1列": "张三", "表格1 第2行第2列": ID,
    }


@pytest.mark.parametrize("make, kind", [(make_xlsx, "xlsx"), (make_xls, "xls")])
def test_a_workbook_is_read_by_sheet_and_cell_with_whole_numbers_shown_as_written(make, kind):
    data = make({"封面": [["2020年补贴名单"]], "名单": [["姓名", "身份证号", "手机"], ["张三", ID, 13812345678]]})
    texts = located(read_document("u", kind, data))
    assert texts["工作表 名单 B2"] == ID
    assert texts["工作表 名单 C2"] == "13812345678"
    assert texts["工作表 封面 A1"] == "2020年补贴名单"


def test_csv_in_gbk_and_text_files_are_read_by_row():
    csv = "姓名,身份证号\r\n张三,360426199101010071\r\n".encode("gb18030")
    assert located(read_document("u", "csv", csv))["第2行第2列"] == ID
    assert located(read_document("u", "txt", "第一行\n第二行".encode()))["第2行"] == "第二行"


def test_a_page_is_its_visible_text_without_scripts():
    html = "<html><head><script>var id='360426199101010071'</script></head><body><p>正文内容</p></body></html>"
    assert located(read_document("u", "page", html.encode())) == {"正文": "正文内容"}


def test_kind_comes_from_magic_bytes_before_content_type_and_extension():
    assert document_kind("http://a/download?id=1", "application/octet-stream", make_pdf([["x"]])) == "pdf"
    assert document_kind("http://a/f.bin", "application/octet-stream", make_xlsx({"s": [["x"]]})) == "xlsx"
    assert document_kind("http://a/f", "application/zip", make_docx(["x"])) == "docx"
    assert document_kind("http://a/f.xls", "application/octet-stream", make_xls({"s": [["x"]]})) == "xls"
    assert document_kind("http://a/f.csv", "text/plain", b"a,b") == "csv"
    assert document_kind("http://a/a.html", MIME["html"], b"<html>") == "page"
    assert document_kind("http://a/logo.png", "image/png", b"\x89PNG") is None


def test_legacy_word_files_are_counted_as_unread_not_guessed_at():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    assert document_kind("http://a/f.doc", "application/msword", ole) == "doc"
    assert read_document("u", "doc", ole).unread == extract.UNREAD_UNSUPPORTED


@pytest.mark.parametrize("kind, data", [
    ("pdf", b"%PDF-1.4\n1 0 obj<<>>"),
    ("pdf", make_pdf([["第一页"]])[:200]),
    ("docx", b"PK\x03\x04 not really a zip"),
    ("xlsx", make_xlsx({"s": [["x"]]})[:300]),
    ("xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\xff" * 600),
    ("xls", b"random bytes that are not a workbook"),
])
def test_a_broken_attachment_becomes_an_unread_document_not_an_error(kind, data):
    document = read_document("u", kind, data)
    assert document.unread and document.parts == ()


def test_an_encrypted_pdf_is_unread_for_that_reason():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf([["秘密"]]))))
    writer.encrypt("secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    assert read_document("u", "pdf", out.getvalue()).unread == extract.UNREAD_ENCRYPTED


def test_a_zip_bomb_is_refused_before_it_is_inflated(monkeypatch):
    monkeypatch.setattr(extract, "MAX_UNZIPPED_BYTES", 1024 * 1024)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", bytes(2 * 1024 * 1024))
    assert len(bomb.getvalue()) < 10_000
    assert read_document("u", "xlsx", bomb.getvalue()).unread == extract.UNREAD_LIMITS


def test_a_huge_document_is_read_up_to_the_text_budget_and_marked_truncated(monkeypatch):
    monkeypatch.setattr(extract, "MAX_TEXT_CHARS", 50)
    document = read_document("u", "txt", "\n".join(f"第{i}行内容" for i in range(100)).encode())
    assert document.truncated and 0 < len(document.parts) < 100
