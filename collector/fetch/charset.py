"""Decode government pages robustly: GBK/GB2312/GB18030 pages, charsets that are declared wrong.

Order of trust: a byte-order mark; bytes that are valid UTF-8 (a page saved as UTF-8 but declaring
gb2312 is common); the declared charset (header, then <meta>), with the WHATWG rule that the labels
gb2312 and gbk mean the GB18030 decoder; finally charset-normalizer's guess.
"""
from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_\-]+)", re.IGNORECASE)

#: WHATWG Encoding Standard: these labels are all decoded as GB18030, a superset of GBK and GB2312.
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "chinese", "csgb2312", "iso-ir-58", "gb_2312", "gb_2312-80"}


def declared_charset(content: bytes, content_type: str | None) -> str | None:
    """The charset the server or the page claims, normalised; None when neither says."""
    if content_type:
        match = _HEADER_CHARSET.search(content_type)
        if match:
            return _normalise(match.group(1))
    match = _META_CHARSET.search(content[:4096])
    if match:
        return _normalise(match.group(1).decode("ascii", "ignore"))
    return None


def _normalise(label: str) -> str | None:
    label = label.strip().lower()
    if label in _GB_FAMILY:
        return "gb18030"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(content: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used)."""
    if content.startswith(codecs.BOM_UTF8):
        return content[3:].decode("utf-8", "replace"), "utf-8"
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = declared_charset(content, content_type)
    if declared and declared != "utf-8":
        try:
            return content.decode(declared), declared
        except UnicodeDecodeError:
            pass
    best = from_bytes(content).best()
    if best is not None and best.encoding:
        encoding = _normalise(best.encoding) or best.encoding
        return content.decode(encoding, "replace"), encoding
    return content.decode("gb18030", "replace"), "gb18030"
