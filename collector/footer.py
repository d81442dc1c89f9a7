"""Reading a page's footer marks: 网站标识码, ICP 备案编号, 公安机关备案 and the 党政机关网站标识.

The footer check judges a running site's marks; the decommissioned-domain check looks for marks a
retired site still shows. Both read them here, with one set of patterns, so they cannot disagree
about what a footer says.
"""
from __future__ import annotations

import re

import lxml.html

from collector.html import parse, visible_text

#: Every province's short name, both where it has two (贵/黔 Guizhou, 甘/陇 Gansu, 陕/秦 Shaanxi, 云/滇,
#: 川/蜀): filings use either, e.g. 黔ICP备05003107号, 黔公网安备52010202000001号.
PROVINCES = "京津沪渝冀豫云滇辽黑湘皖鲁新苏浙赣鄂桂甘陇晋蒙陕秦吉闽贵黔粤青藏川蜀宁琼"
#: The label before a site code, with or without a colon (网站标识码：5309000001).
SITE_CODE_LABEL = r"网站标识码\s*[：:]?\s*"
#: Whatever follows the label, so a footer check can say what it saw instead of the right code.
SITE_CODE_TEXT = re.compile(SITE_CODE_LABEL + r"([0-9A-Za-z]*)")
#: A well-formed site code (10 digits) after the label.
SITE_CODE_SHOWN = re.compile(SITE_CODE_LABEL + r"(\d{10})")
ICP_CANDIDATE = re.compile(r"(\S?)ICP\s*备\s*(\d*)\s*(号?)((?:\s*-\s*\d+)?)", re.I)
ICP_VALID = re.compile(rf"^[{PROVINCES}]ICP备\d{{6,10}}号(?:-\d+)?$")
#: Any ICP filing (备) or licence (证) number as a visitor reads it, well formed or not: a retired
#: site that still shows one has not had it cancelled.
ICP_SHOWN = re.compile(r"[\u4e00-\u9fff]ICP[备证]\s*\d{5,}\s*号(?:\s*-\s*\d+)?")
PSB_CANDIDATE = re.compile(r"(\S?)公网安备\s*[：:]?\s*(\d*)\s*(号?)")
PSB_VALID = re.compile(rf"^[{PROVINCES}]公网安备\d{{14}}号$")
_FOOTER_HINT = re.compile(r"foot|bottom|copyright|banquan|dibu|(^|[-_ ])bq([-_ ]|$)", re.I)
#: Without an element that looks like a footer, the footer is the last lines of the page text.
FOOTER_TAIL_LINES = 40


def footer_text(tree: lxml.html.HtmlElement) -> str:
    """Text of footer-like elements plus the page's last lines (marks sit in either)."""
    blocks = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        hint = f"{element.tag} {element.get('id', '')} {element.get('class', '')}"
        if element.tag == "footer" or _FOOTER_HINT.search(hint):
            blocks.append(visible_text(element))
    tail = visible_text(tree).splitlines()[-FOOTER_TAIL_LINES:]
    return "\n".join(blocks + tail)


def site_id_metas(tree: lxml.html.HtmlElement) -> list[str]:
    """Every SiteIDCode meta value, in order (name matched without regard to case)."""
    return [(meta.get("content") or "").strip() for meta in tree.iter("meta")
            if (meta.get("name") or "").strip().lower() == "siteidcode"]


def has_party_government_mark(tree: lxml.html.HtmlElement) -> bool:
    for element in tree.iter("img", "a", "link", "script", "iframe"):
        text = " ".join(element.get(attr, "") for attr in ("alt", "title", "src", "href")).lower()
        if "党政机关" in text or "dzjg" in text or "conac.cn" in text:
            return True
    return False


def marks_shown(html: str) -> dict[str, str]:
    """The ICP filing number and the 网站标识码 a page shows, as the visitor reads them."""
    text = visible_text(parse(html))
    marks: dict[str, str] = {}
    if icp := ICP_SHOWN.search(text):
        marks["icp"] = re.sub(r"\s+", "", icp.group(0))
    if code := SITE_CODE_SHOWN.search(text):
        marks["site_code"] = code.group(1)
    return marks
