"""Real-format files of the personal-data corpus, labelled: Word, Excel (xlsx and xls), GBK CSV,
PDF and HTML, holding numbers where government attachments hold them (headers, footers, text
boxes, comments, sheets whose header names the column, numbers Excel kept as numbers) and the
numbers they must not be confused with.

Files are built here from synthetic numbers (text.synthetic) with a fixed seed, so each test
and bench/detectors_precision.py see the same bytes; `expected` is what a reviewer counts.
"""
from __future__ import annotations

import io
import random
from collections import Counter
from dataclasses import dataclass, field

import docx
from docx.oxml import parse_xml

from text.content_fixtures import make_pdf, make_xls, make_xlsx
from text.synthetic import (BANKS, NAMES, OTHER_CARDS, PLACES, card, credit_code, digits, first_generation_id,
                               grouped, isbn13, mobile, resident_id, truncated, wrong_check_id)

SEED = 9_2020_06


@dataclass(frozen=True)
class CorpusFile:
    name: str
    kind: str
    content: bytes
    expected: Counter[str]
    partial: int = 0          # resident IDs among expected that lost their last digits
    where: frozenset[str] = field(default_factory=frozenset)   # locations that must hold a finding


_TEXT_BOX = """<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
 xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
 xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
 xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>
<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" behindDoc="0" locked="0"
 layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>
<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV><wp:extent cx="2000000" cy="500000"/>
<wp:wrapNone/><wp:docPr id="{id}" name="文本框 {id}"/><a:graphic><a:graphicData
 uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:spPr/><wps:txbx><w:txbxContent>
{paragraphs}</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>
</mc:Choice><mc:Fallback><w:pict><v:shape style="width:200pt;height:50pt"><v:textbox><w:txbxContent>{paragraphs}</w:txbxContent>
</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"""


def _text_box_run(texts: list[str], number: int) -> object:
    """A floating text box as Word 2010+ saves it: the shape, and a VML fallback with the same text."""
    paragraphs = "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{t}</w:t></w:r></w:p>" for t in texts)
    return parse_xml(_TEXT_BOX.replace("{paragraphs}", paragraphs).replace("{id}", str(number)))


def word(body: list[str], header: list[str] = (), footer: list[str] = (), first_page_header: list[str] = (),
         text_boxes: list[list[str]] = (), comments: list[str] = (), table: list[list[str]] | None = None) -> bytes:
    """A .docx with the given body paragraphs, header and footer lines, text boxes and comments."""
    document = docx.Document()
    for text in body:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    section = document.sections[0]
    for lines, story in ((header, section.header), (footer, section.footer)):
        if lines:
            story.paragraphs[0].text = lines[0]
            for line in lines[1:]:
                story.add_paragraph(line)
    if first_page_header:
        section.different_first_page_header_footer = True
        section.first_page_header.paragraphs[0].text = first_page_header[0]
    for number, texts in enumerate(text_boxes, start=1):
        anchor = document.add_paragraph("")
        anchor._p.append(_text_box_run(texts, number))
    for text in comments:
        paragraph = document.add_paragraph("请核对以上名单。")
        document.add_comment(paragraph.runs, text=text, author="审核人")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _rows(r: random.Random, n: int, make) -> list[list[object]]:
    return [make(i) for i in range(1, n + 1)]


def build() -> list[CorpusFile]:
    r = random.Random(SEED)
    name = lambda: r.choice(NAMES)  # noqa: E731
    files: list[CorpusFile] = []

    # --- Word
    files.append(CorpusFile("header-id.docx", "docx", word(
        ["关于2020年农村危房改造补助对象的公示", "现将补助对象予以公示，公示期5个工作日。"],
        header=[f"经办人 {name()} 身份证号 {resident_id(r)}"]), Counter(resident_id=1), where=frozenset({"页眉"})))
    files.append(CorpusFile("footer-mobile.docx", "docx", word(
        ["2020年度护林员续聘名单", "各乡镇要做好护林员管理工作。"],
        footer=[f"核对人：{name()}  手机 {mobile(r)}", "临沧市林业和草原局"]), Counter(mobile=1), where=frozenset({"页脚"})))
    files.append(CorpusFile("first-page-header-card.docx", "docx", word(
        ["补贴发放说明"], first_page_header=[f"{name()} 银行卡号 {card(r)}"]), Counter(bank_card=1),
        where=frozenset({"首页页眉"})))
    files.append(CorpusFile("text-box-id.docx", "docx", word(
        ["拟推荐对象情况表", "详见右侧。"], text_boxes=[[f"推荐对象：{name()}", f"公民身份号码：{resident_id(r)}"]]),
        Counter(resident_id=1), where=frozenset({"文本框1"})))
    files.append(CorpusFile("comment-card.docx", "docx", word(
        ["2020年春季学期资助名单已审核。"],
        comments=[f"{name()}的银行卡号改为 {card(r, OTHER_CARDS)}（{r.choice(BANKS)}），身份证 {resident_id(r)}"]),
        Counter(resident_id=1, bank_card=1), where=frozenset({"批注1"})))
    files.append(CorpusFile("table-headers.docx", "docx", word(
        ["城乡居民最低生活保障对象名单"],
        table=[["序号", "户主", "身份证号", "银行卡号", "所在村"]] + [
            [str(i), name(), first_generation_id(r), card(r, OTHER_CARDS), r.choice(PLACES)] for i in range(1, 7)]),
        Counter(resident_id=6, bank_card=6)))
    files.append(CorpusFile("masked-only.docx", "docx", word(
        ["拟聘用人员公示", f"王**，身份证号5309**********{r.randrange(1000, 9999)}，联系电话：0883-2143207。",
         f"临人社发〔2020〕{r.randrange(10, 99)}号"],
        header=["临沧市人力资源和社会保障局"], footer=[f"监督电话：{mobile(r)}  邮编 677000"],
        text_boxes=[["公示期：2020年5月20日至5月26日"]], comments=["已脱敏，可以发布"]), Counter()))

    # --- Excel
    ids = [resident_id(r) for _ in range(8)]
    sheet = [["序号", "姓名", "身份证号码", "联系电话"]]
    sheet += [[i, name(), truncated(number)[0], int(mobile(r))] for i, number in enumerate(ids, start=1)]
    files.append(CorpusFile("ids-as-numbers.xlsx", "xlsx", make_xlsx({"名单": sheet}),
                            Counter(resident_id=8, mobile=8), partial=8))
    sheet = [["2020年耕地地力保护补贴发放表"], ["序号", "户主", "证件号码", "银行卡号", "开户行", "金额（元）"]]
    sheet += [[i, name(), resident_id(r), card(r, OTHER_CARDS), r.choice(BANKS), r.randrange(100, 2000)]
              for i in range(1, 11)]
    files.append(CorpusFile("subsidy-cards.xlsx", "xlsx", make_xlsx({"封面": [["补贴发放表"]], "发放表": sheet}),
                            Counter(resident_id=10, bank_card=10)))
    sheet = [["序号", "企业名称", "统一社会信用代码", "项目编号", "招标编号", "中标金额（元）", "日期"]]
    sheet += [[i, f"{r.choice(PLACES)}某某建设有限公司", credit_code(r), first_generation_id(r),
               f"LCZC2020-G{i}-{r.randrange(100, 999):05d}", r.randrange(10 ** 5, 10 ** 8), 20200600 + i]
              for i in range(1, 11)]
    files.append(CorpusFile("tenders.xlsx", "xlsx", make_xlsx({"中标公告": sheet}), Counter()))
    sheet = [["姓名", "身份证号"]] + [[name(), truncated(resident_id(r))[0]] for _ in range(4)]
    sheet += [[name(), resident_id(r)] for _ in range(3)]
    files.append(CorpusFile("old-format.xls", "xls", make_xls({"Sheet1": sheet}), Counter(resident_id=7), partial=4))
    sheet = [["序号", "姓名", "证件号码", "备注"]]
    sheet += [[i, name(), grouped(resident_id(r), (6, 8, 4), "-"), "已核实"] for i in range(1, 6)]
    sheet += [[6, name(), wrong_check_id(r), "号码有误待核"]]
    files.append(CorpusFile("grouped-ids.xlsx", "xlsx", make_xlsx({"名单": sheet}), Counter(resident_id=5)))

    # --- CSV in GBK, as exported by Chinese office software
    lines = ["序号,姓名,身份证号,手机"] + [f"{i},{name()},{first_generation_id(r)},{mobile(r)}" for i in range(1, 9)]
    files.append(CorpusFile("first-generation.csv", "csv", "\r\n".join(lines).encode("gbk"),
                            Counter(resident_id=8, mobile=8)))
    lines = ["单位,联系电话,邮编,组织机构代码,ISBN"] + [
        f"{r.choice(PLACES)}人民政府办公室,0883-{r.randrange(2000000, 8999999)},677000,"
        f"{digits(r, 8)}-{r.randrange(10)},{isbn13(r)}" for _ in range(6)]
    files.append(CorpusFile("offices.csv", "csv", "\r\n".join(lines).encode("gbk"), Counter()))

    # --- PDF
    files.append(CorpusFile("grouped.pdf", "pdf", make_pdf([
        ["2020年临时救助对象名单"],
        [f"{name()} 身份证 {grouped(resident_id(r), (6, 8, 4), ' ')}",
         f"{name()} 身份证 {grouped(resident_id(r), (4, 4, 4, 4, 2), ' ')}",
         f"开户行 {r.choice(BANKS)} 账号 {card(r, OTHER_CARDS)}"]]), Counter(resident_id=2, bank_card=1)))
    files.append(CorpusFile("notice.pdf", "pdf", make_pdf([
        [f"临政办发〔2020〕{r.randrange(1, 99)}号", f"统一社会信用代码 {credit_code(r)}",
         f"订单编号 {digits(r, 20)}", f"值班电话：{mobile(r)}", f"发布时间 20200612093015"]]), Counter()))

    # --- HTML
    rows = "".join(f"<tr><td>{i}</td><td>{name()}</td><td>{resident_id(r)}</td><td>{card(r, OTHER_CARDS)}</td></tr>"
                   for i in range(1, 9))
    files.append(CorpusFile("subsidy-table.html", "page", (
        "<html><head><meta charset='utf-8'><title>补贴名单</title></head><body><h1>2020年补贴发放名单</h1>"
        "<table><tr><th>序号</th><th>姓名</th><th>身份证号</th><th>银行卡号</th></tr>" + rows + "</table>"
        "<p>联系电话：0883-2143207</p></body></html>").encode("utf-8"), Counter(resident_id=8, bank_card=8)))
    rows = "".join(f"<tr><td>{r.choice(PLACES)}某某公司</td><td>{credit_code(r)}</td><td>{first_generation_id(r)}</td>"
                   f"<td>{mobile(r)}</td></tr>" for _ in range(6))
    files.append(CorpusFile("companies.html", "page", (
        "<html><head><meta charset='gbk'></head><body><table><tr><th>企业名称</th><th>统一社会信用代码</th>"
        "<th>注册号</th><th>联系电话</th></tr>" + rows + "</table></body></html>").encode("gbk"), Counter()))
    return files
