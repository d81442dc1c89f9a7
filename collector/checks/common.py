"""Declarations several checks share, kept beside the checks that declare them.

Not a check: the words here are part of more than one check's declarations (a crawl's figures for
every check that crawls; the leak and wording codes that new-media posts reuse; the link classes of
dead links and new-media posts). Checks import this module, never each other (tests/test_layers.py),
and no module outside collector/checks repeats these words (tests/checks/test_declarations.py).
"""
from __future__ import annotations

from collections.abc import Mapping

from collector.checks.base import ERROR_WORDS, Code

#: What a crawl of articles and attachments read (collector.crawl.scan_figures), for every check that crawls.
CRAWL_FIGURES: Mapping[str, str] = {
    "pages": "检查页面数",
    "pages_unread": "未能读取的页面数",
    "attachments": "检查附件数",
    "attachments_unread": "未能读取的附件数",
    "unread_reasons": "未能读取的原因",
    "truncated": "内容过长已截断",
    "pdf": "PDF", "docx": "DOCX", "xlsx": "XLSX", "xls": "XLS", "csv": "CSV", "txt": "TXT", "doc": "DOC",
    # why a document was not read (collector.text.extract UNREAD_*): the keys of unread_reasons
    "unsupported": "格式无法读取", "broken": "文件损坏", "encrypted": "文件已加密", "limits": "超出读取限制",
    "fetch_failed": "未能下载",
    "matches": "命中数",
    # written by earlier versions of the crawl; older data files still show it
    "pages_scanned": "检查页面数",
}

#: The kinds of number (collector.text.pii.PII_KINDS) as findings and figures name them.
PII_LABELS: Mapping[str, str] = {"resident_id": "身份证号码", "mobile": "手机号码", "bank_card": "银行卡号"}

#: One code per kind of number (collector.text.pii.PII_KINDS): personal information and new-media posts.
PII_CODES: Mapping[str, Code] = {
    "pii_resident_id": Code("公开身份证号码", "veto"),
    "pii_mobile": Code("公开手机号码", "veto"),
    "pii_bank_card": Code("公开银行卡号", "veto"),
}

#: The lexicon's two severities as indicators and figures name them.
WORDING_INDICATORS: Mapping[str, str] = {"serious": "严重表述错误", "typo": "错别字"}

#: One code per lexicon severity (WORDING_INDICATORS): wording and new-media posts.
WORDING_CODES: Mapping[str, Code] = {
    "wording_serious": Code("严重表述错误", "veto"),
    "wording_typo": Code("错别字", "deduction"),
}

#: What a probed link's class (collector.links.classify) means to a reader: dead links and new-media posts.
LINK_CLASS_LABELS: Mapping[str, str] = {
    "ok": "可以打开", "4xx": "HTTP 4xx", "5xx": "HTTP 5xx",
    **{kind: ERROR_WORDS[kind] for kind in ("timeout", "dns", "tls", "connect", "too_many_redirects", "protocol",
                                            "truncated", "invalid_url", "refused_address")},
    "soft404": "页面显示不存在",
}
