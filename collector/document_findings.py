"""Findings about documents (pages, attachments, new-media posts) that more than one check makes:
personal numbers a document discloses, and wrong wording from the staff lexicon. One finding per
document and kind of number (or wrong form), with the first place it appears as evidence, so a
leaked list of 500 people is one problem to fix, not 500; evidence is masked.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping
from datetime import date

from collector.text.lexicon import Lexicon, WordingMatch
from collector.text.pii import PII_KINDS, PiiMatch, find_pii, hide, snippet
from collector.crawl import Document
from collector.observations import Evidence, Finding, Severity
from govcensus_data.masking import mask_text

_CONFIDENCE_NOTE = {
    "resident_id": "号码校验位与出生日期均有效（GB 11643）",
    "mobile": "符合手机号码编号规则",
    "bank_card": "通过 Luhn 校验",
}


def leak_findings(documents: list[Document], today: date, severity: Severity, indicator: str,
                  labels: Mapping[str, str], exempt_contacts: bool = True) -> tuple[list[Finding], Counter[str]]:
    """One finding per document and kind of number, with the first place it appears as evidence;
    `labels` names each kind of number (the checks declare the words)."""
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
                message=f"{where}公开了{labels[kind]} {n} 处（{note}），首处 {match.masked}",
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


def wording_findings(documents: list[Document], lexicon: Lexicon, severities: Mapping[str, Severity],
                     indicators: Mapping[str, str]) -> tuple[list[Finding], Counter[str]]:
    """One finding per document and wrong form, evidenced by its first occurrence; `indicators`
    names each lexicon severity (the checks declare the words)."""
    findings: list[Finding] = []
    counts: Counter[str] = Counter()
    for document in documents:
        first: dict[str, tuple[str, str, WordingMatch]] = {}
        per_wrong: Counter[str] = Counter()
        for part in document.parts:
            for match in lexicon.find(part.text):
                per_wrong[match.entry.wrong] += 1
                counts[match.entry.severity] += 1
                if match.entry.wrong not in first:
                    first[match.entry.wrong] = (part.location, snippet(part.text, match.start, match.end, 20), match)
        for wrong, (location, context, match) in first.items():
            entry = match.entry
            n = per_wrong[wrong]
            note = f"（{entry.note}）" if entry.note else ""
            findings.append(Finding(
                code=f"wording_{entry.severity}",
                indicator=indicators[entry.severity],
                severity=severities[entry.severity],
                message=f"“{entry.wrong}”应为“{entry.correct}”{note}" + (f"，共 {n} 处" if n > 1 else ""),
                key=hashlib.sha256(f"{document.url}|{entry.wrong}".encode()).hexdigest()[:16],
                evidence=Evidence(url=document.url, location=location, snippet=context),
            ))
    return findings, counts
