"""The published circular as a Word document in the GB/T 9704 layout, read back with python-docx:
A4 and the standard's margins, 方正小标宋简体 二号 title, 仿宋_GB2312 三号 body, 22 lines a page,
文号 under the issuing office, the 抄送 line last. Drafts never get one."""
from __future__ import annotations

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

NUMBER = "临政办函〔2020〕12号"
OFFICE = "临沧市人民政府办公室"
TITLE = "临沧市人民政府办公室关于2020年二季度全市政府网站和政府系统政务新媒体普查情况的通报"


def east_asian_font(paragraph) -> str:
    return paragraph.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia"))


def read(site):
    return Document(str(site / "circulars" / "2020q2.docx"))


def test_the_page_is_a4_with_the_standard_s_margins_and_line_grid(site):
    section = read(site).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [37, 35, 28, 26]
    grid = section._sectPr.find(qn("w:docGrid"))
    type_area_pt = (297 - 37 - 35) / 25.4 * 72
    assert round(type_area_pt / (int(grid.get(qn("w:linePitch"))) / 20)) == 22


def test_the_issuer_then_the_document_number_head_the_document(site):
    texts = [p.text for p in read(site).paragraphs if p.text]
    assert texts[:3] == [OFFICE, NUMBER, TITLE]


def test_the_title_is_fangzheng_xiaobiaosong_22_pt_and_the_body_fangsong_16_pt(site):
    paragraphs = [p for p in read(site).paragraphs if p.text]
    title = next(p for p in paragraphs if p.text == TITLE)
    assert (east_asian_font(title), title.runs[0].font.size) == ("方正小标宋简体", Pt(22))
    body = next(p for p in paragraphs if p.text.startswith("按照《国务院办公厅"))
    assert (east_asian_font(body), body.runs[0].font.size) == ("仿宋_GB2312", Pt(16))
    assert body.paragraph_format.first_line_indent == Pt(32)
    heading = next(p for p in paragraphs if p.text == "一、总体情况")
    assert east_asian_font(heading) == "黑体"


def test_the_cc_line_is_last_in_14_pt_and_the_date_above_it(site):
    paragraphs = [p for p in read(site).paragraphs if p.text]
    cc = paragraphs[-1]
    assert cc.text.startswith("抄送：") and "市委办公室" in cc.text
    assert (east_asian_font(cc), cc.runs[0].font.size) == ("仿宋_GB2312", Pt(14))
    assert [p.text for p in paragraphs[-3:-1]] == [OFFICE, "2020年7月13日"]
    assert any(p.text.startswith("联系人及电话：") for p in paragraphs)


def test_links_become_plain_words_and_nothing_is_markup(site):
    text = "\n".join(p.text for p in read(site).paragraphs)
    assert "<a" not in text and "href" not in text and "../scorecards" not in text
    assert "市水务局已下线网站" in text


def test_only_published_circulars_get_a_document_and_their_page_links_it(site, read_page):
    assert sorted(p.name for p in site.rglob("*.docx")) == ["2020q2.docx"]
    page = read_page("circulars/2020q2.html")
    [link] = page.xpath('//a[contains(@href, ".docx")]')
    assert link.get("href").endswith("circulars/2020q2.docx") and "DOCX" in link.text_content()
    draft = read_page("drafts/2020q2-new-draft.html")
    assert not draft.xpath('//a[contains(@href, ".docx")]')


def test_the_public_site_has_the_document_too(published_site):
    assert Document(str(published_site / "circulars" / "2020q2.docx")).core_properties.author == OFFICE


def test_the_same_circular_gives_the_same_bytes_on_every_build(site):
    """Zip stamps each member with the time it is written; the document's members carry the
    circular's date instead, so a rebuild publishes an unchanged download unchanged."""
    import zipfile
    with zipfile.ZipFile(site / "circulars" / "2020q2.docx") as package:
        stamps = {member.date_time for member in package.infolist()}
    assert stamps == {(2020, 7, 13, 0, 0, 0)}
