"""Reading pages and attachments into located text, and surviving files that are hostile or broken."""
from __future__ import annotations

import io
import zipfile

import pytest
from pypdf import PdfReader, PdfWriter

from collector.text import extract
from collector.text.extract import document_kind, read_document
from text.content_fixtures import MIME, make_docx, make_pdf, make_xls, make_xlsx

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


# --------------------------------------------------------------------------- where lists hide in Word files

def test_word_headers_footers_text_boxes_and_comments_are_read_with_where_they_are():
    from text.corpus_files import word
    data = word(["正文第一段"], header=["页眉 张三"], footer=["页脚 李四", "第二行"], first_page_header=["首页 王五"],
                text_boxes=[["文本框 赵六", "第二段"]], comments=["批注 刘芳"])
    texts = located(read_document("u", "docx", data))
    assert texts["页眉"] == "页眉 张三"
    assert texts["页脚"] == "页脚 李四\n第二行"
    assert texts["首页页眉"] == "首页 王五"
    assert texts["文本框1"] == "文本框 赵六\n第二段"     # once: the VML fallback copy is not read again
    assert texts["批注1"] == "批注 刘芳"
    assert [t for t in texts.values() if "赵六" in t] == ["文本框 赵六\n第二段"]


def test_a_header_linked_to_the_previous_section_is_read_once():
    import docx as python_docx
    document = python_docx.Document()
    document.add_paragraph("第一节")
    document.sections[0].header.paragraphs[0].text = "页眉 张三"
    document.add_section()
    document.add_paragraph("第二节")
    out = io.BytesIO()
    document.save(out)
    texts = located(read_document("u", "docx", out.getvalue()))
    assert [k for k, v in texts.items() if "张三" in v] == ["第1节页眉"]


def test_word_footnotes_are_read():
    data = make_docx(["正文"])
    footnotes = (b'<?xml version="1.0" encoding="UTF-8"?><w:footnotes xmlns:w="http://schemas.openxmlformats.org/'
                 b'wordprocessingml/2006/main"><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:t>--</w:t></w:r>'
                 b'</w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>\xe6\x9d\xa5\xe6\xba\x90 13812345678</w:t>'
                 b'</w:r></w:p></w:footnote></w:footnotes>')
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("word/footnotes.xml", footnotes)
    assert located(read_document("u", "docx", out.getvalue()))["脚注1"] == "来源 13812345678"


# --------------------------------------------------------------------------- table headers and long numbers

def test_cells_carry_the_header_of_their_column_and_their_row_after_the_header_row():
    data = make_xlsx({"发放表": [["2020年补贴发放表"], ["序号", "姓名", "银行卡号", "联系电话"],
                                 [1, "张三", "4367152019460383", 13812345678], [2, "李四", "", 13912345678]]})
    parts = {p.location: p for p in read_document("u", "xlsx", data).parts}
    assert parts["工作表 发放表 C3"].header == "银行卡号"
    assert parts["工作表 发放表 D4"].header == "联系电话"
    assert parts["工作表 发放表 C3"].row == "序号：1\t姓名：张三\t银行卡号：4367152019460383\t联系电话：13812345678"
    assert parts["工作表 发放表 A1"].header == "" and parts["工作表 发放表 C2"].header == ""


@pytest.mark.parametrize("reader", ["csv", "docx"])
def test_csv_and_word_tables_carry_column_headers_too(reader):
    table = [["姓名", "身份证号"], ["张三", "130503670401001"]]
    data = ("\r\n".join(",".join(r) for r in table).encode("gbk") if reader == "csv"
            else make_docx(["名单"], table))
    [cell] = [p for p in read_document("u", reader, data).parts if p.text == "130503670401001"]
    assert cell.header == "身份证号"


def test_a_row_with_digits_is_data_not_a_header_row():
    data = make_xlsx({"s": [["姓名", "身份证号"], ["张三", "临政发〔2020〕1号"], ["李四", "130503670401001"]]})
    parts = {p.location: p for p in read_document("u", "xlsx", data).parts}
    assert parts["工作表 s B3"].header == "身份证号"


@pytest.mark.parametrize("make, kind", [(make_xlsx, "xlsx"), (make_xls, "xls")])
def test_an_id_number_stored_as_a_number_is_shown_with_the_15_digits_a_spreadsheet_keeps(make, kind):
    data = make({"s": [["身份证号"], [5.30902199601279e17], [530902199601279323.0], [13812345678],
                       [4367152019460383.0]]})
    texts = located(read_document("u", kind, data))
    assert texts["工作表 s A2"] == "530902199601279000"
    assert texts["工作表 s A3"] == "530902199601279000"    # a float cannot hold 18 digits either
    assert texts["工作表 s A4"] == "13812345678"
    assert texts["工作表 s A5"] == "4367152019460383"      # 16 digits a float holds exactly stay whole


def test_a_page_table_whose_header_names_personal_numbers_is_read_cell_by_cell():
    html = ("<html><body><p>公示如下</p>\n<table><tr><th>姓名</th><th>银行卡号</th></tr>"
            "<tr><td>张三</td><td>4367152019460383</td></tr></table>\n<p>联系电话：0883-2143207</p></body></html>")
    document = read_document("u", "page", html.encode())
    parts = {p.location: p for p in document.parts}
    assert parts["正文"].text == "公示如下\n联系电话：0883-2143207"
    assert (parts["表格1 第2行第2列"].text, parts["表格1 第2行第2列"].header) == ("4367152019460383", "银行卡号")


def test_a_page_table_without_personal_headers_stays_in_the_main_text():
    html = "<html><body><table><tr><th>留言主题</th><th>状态</th></tr>\n<tr><td>路灯</td><td>已办结</td></tr></table></body></html>"
    assert located(read_document("u", "page", html.encode())) == {"正文": "留言主题状态\n路灯已办结"}


def test_a_layout_table_holding_the_page_stays_in_the_main_text_with_its_labels_beside_their_numbers():
    html = ("<html><body><table><tr><td>首页</td><td>信息公开</td></tr>"
            "<tr><td>值班电话：</td><td>13887654321</td></tr></table></body></html>")
    assert list(located(read_document("u", "page", html.encode()))) == ["正文"]


def test_header_labels_may_hold_short_numbers_like_a_year_or_a_length():
    data = make_xlsx({"s": [["序号", "姓名", "身份证号码（18位）", "2020年补贴金额（元）"],
                            [1, "张三", "130503670401001", 1200], [2, "李四", "1305036704010011", 800]]})
    parts = {p.location: p for p in read_document("u", "xlsx", data).parts}
    assert parts["工作表 s C2"].header == "身份证号码（18位）"
    assert parts["工作表 s D3"].header == "2020年补贴金额（元）"
    # a row holding a long number is data, whatever words it has
    data = make_xlsx({"s": [["姓名", "身份证号"], ["身份证号", "130503670401001"], ["张三", "4367152019460383"]]})
    parts = {p.location: p for p in read_document("u", "xlsx", data).parts}
    assert parts["工作表 s B3"].header == "身份证号"


def test_a_data_table_inside_a_layout_table_is_read_cell_by_cell_and_the_layout_stays_main_text():
    html = ("<html><body><table><tr><td>首页</td><td>信息公开</td></tr><tr><td>公示如下\n"
            "<table><tr><th>姓名</th><th>身份证号</th></tr><tr><td>张三</td><td>130503670401001</td></tr></table>"
            "</td><td>右栏</td></tr></table></body></html>")
    parts = {p.location: p for p in read_document("u", "page", html.encode()).parts}
    assert list(parts) == ["正文", "表格1 第1行第1列", "表格1 第1行第2列", "表格1 第2行第1列", "表格1 第2行第2列"]
    assert "130503670401001" not in parts["正文"].text and "公示如下" in parts["正文"].text
    assert parts["表格1 第2行第2列"].header == "身份证号"
