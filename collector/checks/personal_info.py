"""Personal information published on a website or disclosure column (个人信息泄露).

Reads the entry's pages and attachments (collector.crawl) and reports, per document and kind of
number, how many resident ID, mobile and bank-card numbers it shows. One finding per document and
kind keeps a leaked list of 500 people one problem to fix, not 500. Evidence is masked; the raw
number never leaves this process.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date

from dataclasses import dataclass

from collector.checks.base import Check, CheckContext, Code, Settings, register, setting
from collector.content.pii import PII_KINDS, PiiMatch, find_pii, hide, snippet
from collector.crawl import Document, entry_documents, scan_figures
from collector.masking import mask_text
from collector.observations import Evidence, Finding, Observation, Severity
from collector.registry import Entry

_CONFIDENCE_NOTE = {
    "resident_id": "号码校验位与出生日期均有效（GB 11643）",
    "mobile": "符合手机号码编号规则",
    "bank_card": "通过 Luhn 校验",
}


#: What a crawl of articles and attachments read (collector.crawl.scan_figures), for every check that crawls.
CRAWL_FIGURES = {
    "pages": "检查页面数",
    "pages_unread": "未能读取的页面数",
    "attachments": "检查附件数",
    "attachments_unread": "未能读取的附件数",
    "unread_reasons": "未能读取的原因",
    "truncated": "内容过长已截断",
    "pdf": "PDF", "docx": "DOCX", "xlsx": "XLSX", "csv": "CSV",
    "matches": "命中数",
    # written by earlier versions of the crawl; older data files still show it
    "pages_scanned": "检查页面数",
}

#: The kinds of number (collector.content.pii.PII_KINDS) as findings and figures name them.
PII_LABELS = {"resident_id": "身份证号码", "mobile": "手机号码", "bank_card": "银行卡号"}

#: One code per kind of number (collector.content.pii.PII_KINDS), also used for new-media posts.
PII_CODES = {
    "pii_resident_id": Code("公开身份证号码", "veto"),
    "pii_mobile": Code("公开手机号码", "veto"),
    "pii_bank_card": Code("公开银行卡号", "veto"),
}


@dataclass(frozen=True)
class PersonalInfoSettings(Settings):
    max_articles: int = setting(60, "每次检查的文章数上限")
    exempt_contact_phones: bool = setting(True, "联系电话豁免", (
        "联系电话豁免：为“是”时，紧跟在“联系电话”“咨询电话”“举报电话”“值班电话”“热线”“联系人”等字样之后的手机号码，"
        "视为单位有意公开的联系方式，不计为个人信息泄露；但与身份证号码相邻的手机号码（如名单中的个人电话）仍计入。"
        "为“否”时，页面和附件中所有手机号码均计入。"))


@register
class PersonalInfo(Check[PersonalInfoSettings]):
    name = "personal_info"
    title = "个人信息保护"
    indicator = "个人信息泄露"
    applies_to = frozenset({"website", "column"})
    cadence = "weekly"  # crawls articles and attachments: weekly by default (indicators allow daily or weekly)
    settings = PersonalInfoSettings
    codes = PII_CODES
    figures = {**CRAWL_FIGURES, **PII_LABELS}

    async def observe(self, entry: Entry, ctx: CheckContext) -> Observation:
        settings = self.configured(ctx.profile)
        documents = await entry_documents(entry, ctx, max_articles=settings.max_articles)
        figures = scan_figures(documents)
        if documents[0].unread:
            return self.observation(entry, ctx, figures, [], outcome="unreachable")
        findings, counts = leak_findings(documents, ctx.today, self.severity(settings, "pii_resident_id"),
                                         self.indicator, exempt_contacts=settings.exempt_contact_phones)
        figures["matches"] = {kind: counts.get(kind, 0) for kind in PII_KINDS}
        return self.observation(entry, ctx, figures, findings)


def leak_findings(documents: list[Document], today: date, severity: Severity, indicator: str,
                  exempt_contacts: bool = True) -> tuple[list[Finding], Counter[str]]:
    """One finding per document and kind of number, with the first place it appears as evidence."""
    findings: list[Finding] = []
    counts: Counter[str] = Counter()
    for document in documents:
        first: dict[str, tuple[str, str, PiiMatch]] = {}
        per_kind: Counter[str] = Counter()
        partial = 0
        for part in document.parts:
            matches = find_pii(part.text, today, header=part.header, exempt_contacts=exempt_contacts,
                               row=part.row)
            shown = hide(part.text, matches)
            for match in matches:
                per_kind[match.kind] += 1
                partial += match.partial
                if match.kind not in first:
                    first[match.kind] = (part.location, snippet(shown, match.start, match.end), match)
        counts.update(per_kind)
        for kind in PII_KINDS:
            if kind not in first:
                continue
            location, context, match = first[kind]
            n = per_kind[kind]
            where = "附件" if document.is_attachment else "页面"
            note = _CONFIDENCE_NOTE[kind]
            if kind == "resident_id" and partial:
                note = _partial_note(partial, n)
            findings.append(Finding(
                code=f"pii_{kind}",
                indicator=indicator,
                severity=severity,
                message=f"{where}公开了{PII_LABELS[kind]} {n} 处（{note}），首处 {match.masked}",
                key=_key(document.url, kind),
                evidence=Evidence(url=document.url, location=location + (f" 等 {n} 处" if n > 1 else ""),
                                  snippet=context),
            ))
    return findings, counts


def _partial_note(partial: int, total: int) -> str:
    """An ID kept by a spreadsheet as a number lost its last digits, yet still tells where and
    when its holder was born: said as such, so the department knows what it published."""
    lost = "均" if partial == total else f"其中 {partial} 处"
    return f"{lost}以数值存储、末几位已丢失，仍泄露户籍地和出生日期"


def _key(url: str, kind: str) -> str:
    """Stable across rounds: the same document leaking the same kind of number is one problem.

    The hash is of the masked address: a hash of an address holding an ID number would give the
    number away to anyone who tries the few million IDs that fit its visible digits.
    """
    return hashlib.sha256(f"{mask_text(url)}|{kind}".encode()).hexdigest()[:16]
