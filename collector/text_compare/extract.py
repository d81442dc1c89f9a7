"""Main-text extraction: readability-lxml picks the article block; we keep its text block by block.

Readability scores paragraphs by length and punctuation and drops link-heavy blocks, which is
what separates an article from a government site's navigation and footer. Its `text_content()`
would glue blocks together, so we rebuild lines from block elements ourselves and then cut them
into sentences, dropping the metadata lines (来源, 发布时间, 打印本页 …) that layouts add.
"""
from __future__ import annotations

import re

import lxml.html
from lxml import etree
from readability import Document

_BLOCK_TAGS = {"p", "div", "li", "td", "th", "tr", "br", "h1", "h2", "h3", "h4", "h5", "h6",
               "section", "article", "blockquote", "pre", "dd", "dt", "table", "ul", "ol"}
_SENTENCE_END = "。！？!?；;"
_SENTENCE = re.compile(rf"[^{_SENTENCE_END}]+[{_SENTENCE_END}]+[”’\"'）)」』]*|[^{_SENTENCE_END}]+$")
#: Lines a layout adds around an article; they are not part of what was reprinted.
_METADATA = re.compile(r"^(来源|信息来源|文章来源|转载自|原文链接|发布时间|发布日期|时间|日期|作者|责任编辑|编辑|"
                       r"审核|浏览次数|点击数|阅读|字号|【|打印|关闭|分享)")
#: A labelled field (来源：…) anywhere in a short line marks the line as metadata ("2020-05-21 来源：…").
_METADATA_FIELD = re.compile(r"(来源|发布时间|发布日期|作者|责任编辑|浏览次数|点击数)\s*[：:]")
METADATA_LINE_MAX_CHARS = 80
#: A line break between two Chinese characters disappears when rendered (CSS Text 3 segment breaks).
_CJK_SEGMENT_BREAK = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])[ \t\r]*\n\s*(?=[\u3000-\u9fff\uff00-\uffef])")
#: A fragment without sentence-ending punctuation shorter than this is a heading, a menu or a label.
MIN_FRAGMENT_CHARS = 40


def main_text(html: str) -> list[str]:
    """The article's lines (one per block), without navigation, footer or metadata lines."""
    if not html.strip():
        return []
    try:
        summary = Document(html).summary(html_partial=True)
    except Exception:  # readability raises its own Unparseable and lxml errors on broken pages
        return []
    tree = lxml.html.fragment_fromstring(summary, create_parent="div")
    lines = _block_lines(tree)
    return [line for line in lines if not _is_metadata(line)]


def _is_metadata(line: str) -> bool:
    return bool(_METADATA.match(line)) or (len(line) <= METADATA_LINE_MAX_CHARS
                                           and bool(_METADATA_FIELD.search(line)))


def sentences(lines: list[str]) -> list[str]:
    """Cut lines into sentences; short unpunctuated fragments (headings, labels) are left out."""
    result: list[str] = []
    for line in lines:
        for match in _SENTENCE.finditer(line):
            sentence = match.group(0).strip()
            if not sentence or _is_metadata(sentence):
                continue
            if sentence[-1] not in _SENTENCE_END + "”’\"'）)」』" and len(sentence) < MIN_FRAGMENT_CHARS:
                continue
            result.append(sentence)
    return result


def _block_lines(tree: lxml.html.HtmlElement) -> list[str]:
    """One line per block element; a newline inside a text node is only a space, as in a browser."""
    parts: list[str] = []

    def inline(text: str | None) -> None:
        if text:
            text = _CJK_SEGMENT_BREAK.sub("", text)
            parts.append(" ".join(text.split()) if not text.isspace() else " ")

    def walk(element: etree._Element) -> None:
        if not isinstance(element.tag, str) or element.tag in ("script", "style"):
            inline(element.tail)
            return
        block = element.tag in _BLOCK_TAGS
        if block:
            parts.append("\n")
        inline(element.text)
        for child in element:
            walk(child)
        if block:
            parts.append("\n")
        inline(element.tail)

    walk(tree)
    text = "".join(parts).replace("\u3000", " ").replace("\xa0", " ")
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]
