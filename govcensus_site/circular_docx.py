"""A published circular (通报) as a Word document in the official layout of GB/T 9704-2012
(党政机关公文格式), so an office can file, print or forward it as the document it is.

Only published circulars get one (the generator passes Pelican's published articles; drafts are
never written). The parts come from the same split the web page uses (`views.circular_view`):
文号 under the issuing office's name, a red rule, the title, 主送, the body, contact, signature and
date, and the 抄送 line at the end between two rules.

Layout, from the standard: A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (type area
156 x 225 mm); 22 lines of 28 characters a page (line pitch 225 mm / 22 = 28.95 pt); title
方正小标宋简体 二号 (22 pt); body 仿宋_GB2312 三号 (16 pt); headings 黑体 (一、) and 楷体_GB2312 (（一）);
抄送 四号 (14 pt). Fonts are named, not embedded: Word falls back to its own 仿宋 where the GB2312
fonts are missing.
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import lxml.html
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from govcensus_data.atomic import write_atomic
from govcensus_data.packages import stamped
from govcensus_site.views import circular_view

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONTS = {"h2": "黑体", "h3": "楷体_GB2312", "h4": "仿宋_GB2312"}
TITLE_SIZE = Pt(22)      # 二号
BODY_SIZE = Pt(16)       # 三号
CC_SIZE = Pt(14)         # 四号
ISSUER_SIZE = Pt(26)     # 发文机关标志: larger than the title, red
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
LINE_PITCH = Pt(225 / 25.4 * 72 / LINES_PER_PAGE)  # 28.95 pt
RED = RGBColor(0xE6, 0x00, 0x12)
DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_path(article: Any) -> str:
    """Where a circular's document goes beside its page: circulars/<slug>.docx."""
    return str(Path(article.save_as).with_suffix(".docx"))


def circular_docx(article: Any) -> bytes:
    """The circular as DOCX bytes."""
    view = circular_view(article)
    meta = getattr(article, "metadata", {}) or {}
    doc = Document()
    _page_setup(doc)
    if view.issuer:
        _line(doc, view.issuer, TITLE_FONT, ISSUER_SIZE, WD_ALIGN_PARAGRAPH.CENTER, color=RED)
    if view.number:
        _line(doc, view.number, BODY_FONT, BODY_SIZE, WD_ALIGN_PARAGRAPH.CENTER)
    if view.issuer or view.number:
        _rule(doc.add_paragraph(), "bottom", color="E60012", size=12)
    _line(doc, "", BODY_FONT, BODY_SIZE)
    _line(doc, str(getattr(article, "title", "") or meta.get("title", "")), TITLE_FONT, TITLE_SIZE,
          WD_ALIGN_PARAGRAPH.CENTER, exact=False)
    _line(doc, "", BODY_FONT, BODY_SIZE)
    if view.recipients:
        _line(doc, _text(view.recipients), BODY_FONT, BODY_SIZE)
    for tag, text in _blocks(str(view.body)):
        if tag in HEADING_FONTS:
            _line(doc, text, HEADING_FONTS[tag], BODY_SIZE, indent=True)
        else:
            _line(doc, text, BODY_FONT, BODY_SIZE, indent=True)
    if view.contact:
        _line(doc, "", BODY_FONT, BODY_SIZE)
        _line(doc, _text(view.contact), BODY_FONT, BODY_SIZE, indent=True)
    _line(doc, "", BODY_FONT, BODY_SIZE)
    if view.issuer:
        _line(doc, view.issuer, BODY_FONT, BODY_SIZE, WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4)
    day = _text(view.date) if view.date else f"{article.date.year}年{article.date.month}月{article.date.day}日"
    _line(doc, day, BODY_FONT, BODY_SIZE, WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4)
    if view.cc:
        _line(doc, "", BODY_FONT, BODY_SIZE)
        cc = _line(doc, _text(view.cc), BODY_FONT, CC_SIZE, indent_chars=1)
        _rule(cc, "top", color="000000", size=6)
        _rule(cc, "bottom", color="000000", size=6)
    core = doc.core_properties
    core.title = str(getattr(article, "title", ""))
    core.author = view.issuer or ""
    core.identifier = view.number or ""
    core.created = core.modified = getattr(article, "date", None)
    core.last_modified_by = view.issuer or ""
    core.revision = 1
    out = io.BytesIO()
    doc.save(out)
    return _stamped(out.getvalue(), getattr(article, "date", None))


def _stamped(package: bytes, when: Any) -> bytes:
    """The package with every member stamped with the circular's date instead of the time it was
    written, so the same circular gives the same bytes on every build: an unchanged download is
    not published again as changed."""
    if when is not None and getattr(when, "year", 0) >= 1980:
        return stamped(package, (when.year, when.month, when.day, 0, 0, 0))
    return stamped(package)


def write_circular_docx(article: Any, output_path: str | Path) -> Path:
    """Write circulars/<slug>.docx under the output folder (temp file + rename)."""
    target = Path(output_path) / docx_path(article)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, circular_docx(article))
    return target


# --------------------------------------------------------------------------- layout helpers

def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH.pt * 20)))
    grid.set(qn("w:charSpace"), "0")
    normal = doc.styles["Normal"]
    _font(normal.element.get_or_add_rPr(), BODY_FONT)
    normal.font.size = BODY_SIZE


def _font(rpr, name: str) -> None:
    """Name a font for Latin and East Asian text alike (python-docx sets only the Latin one)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _line(doc, text: str, font: str, size, align=WD_ALIGN_PARAGRAPH.LEFT, *, indent: bool = False,
          indent_chars: int = 0, right_chars: int = 0, color: RGBColor | None = None, exact: bool = True):
    paragraph = doc.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    if exact:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE_PITCH
    if indent:
        fmt.first_line_indent = Pt(size.pt * 2)   # 首行缩进二字
    if indent_chars:
        fmt.left_indent = Pt(size.pt * indent_chars)
        fmt.right_indent = Pt(size.pt * indent_chars)
    if right_chars:
        fmt.right_indent = Pt(size.pt * right_chars)  # 成文日期右空四字
    if text:
        run = paragraph.add_run(text)
        run.font.size = size
        run.font.name = font
        _font(run._element.get_or_add_rPr(), font)
        if color is not None:
            run.font.color.rgb = color
    return paragraph


def _rule(paragraph, side: str, *, color: str, size: int) -> None:
    """A horizontal rule as a paragraph border (the red separator, the 抄送 lines)."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size))
    line.set(qn("w:space"), "1")
    line.set(qn("w:color"), color)
    borders.append(line)


def _text(markup: object) -> str:
    """Plain text of a bit of the page's HTML: links become their words."""
    html = str(markup).strip()
    if not html:
        return ""
    return " ".join(lxml.html.fragment_fromstring(html, create_parent="div").text_content().split())


def _blocks(html: str) -> list[tuple[str, str]]:
    """(tag, text) of the body's headings, paragraphs and list items, in order."""
    if not html.strip():
        return []
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    blocks: list[tuple[str, str]] = []
    for node in root.iter("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "tr"):
        if node.tag == "p" and any(a.tag in ("li", "td", "th") for a in node.iterancestors()):
            continue
        if node.tag == "tr":
            text = "　".join(" ".join(c.text_content().split()) for c in node.iter("td", "th"))
        else:
            text = " ".join(node.text_content().split())
        if text:
            blocks.append(("h4" if node.tag in ("h1", "h4", "h5", "h6") else node.tag, text))
    return blocks
