"""Serious wording errors (严重表述错误, a single veto) and typos (错别字, a deduction).

Matches the staff-maintained lexicon (collector/lexicon/serious.tsv) against the same pages and
attachments the personal-information check reads (one crawl per round, see collector.crawl).
One finding per document and lexicon entry; the key is stable across rounds.
"""
from __future__ import annotations

import hashlib
from collections import Counter

from dataclasses import dataclass

from collector.checks.base import Check, CheckContext, Code, Settings, register, setting
from collector.checks.personal_info import CRAWL_FIGURES
from collector.content.lexicon import Lexicon, WordingMatch, load_lexicon
from collector.content.pii import snippet
from collector.crawl import Document, entry_documents, scan_figures
from collector.observations import Evidence, Finding, Observation, Severity
from collector.registry import Entry

INDICATORS = {"serious": "严重表述错误", "typo": "错别字"}


#: One code per lexicon severity (INDICATORS), also used for new-media posts.
WORDING_CODES = {
    "wording_serious": Code("严重表述错误", "veto"),
    "wording_typo": Code("错别字", "deduction"),
}


@dataclass(frozen=True)
class WordingSettings(Settings):
    severity_serious: Severity = setting("veto", "严重表述错误的判定")
    severity_typo: Severity = setting("deduction", "错别字的判定")
    max_articles: int = setting(60, "每次检查的文章数上限")


@register
class Wording(Check[WordingSettings]):
    name = "wording"
    title = "严重表述错误与错别字"
    indicator = "严重表述错误"
    applies_to = frozenset({"website", "column"})
    cadence = "weekly"  # crawls articles and attachments: weekly by default (indicators allow daily or weekly)
    settings = WordingSettings
    codes = WORDING_CODES
    figures = {**CRAWL_FIGURES, "lexicon_entries": "词库条目数", "serious": "严重表述错误", "typo": "错别字"}

    async def observe(self, entry: Entry, ctx: CheckContext) -> Observation:
        settings = self.configured(ctx.profile)
        severities: dict[str, Severity] = {"serious": settings.severity_serious, "typo": settings.severity_typo}
        lexicon = load_lexicon()
        documents = await entry_documents(entry, ctx, max_articles=settings.max_articles)
        figures = scan_figures(documents)
        figures["lexicon_entries"] = len(lexicon)
        if documents[0].unread:
            return self.observation(entry, ctx, figures, [], outcome="unreachable")
        findings, counts = wording_findings(documents, lexicon, severities)
        figures["matches"] = {severity: counts.get(severity, 0) for severity in INDICATORS}
        return self.observation(entry, ctx, figures, findings)


def wording_findings(documents: list[Document], lexicon: Lexicon,
                     severities: dict[str, Severity]) -> tuple[list[Finding], Counter[str]]:
    """One finding per document and wrong form, evidenced by its first occurrence."""
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
                indicator=INDICATORS[entry.severity],
                severity=severities[entry.severity],
                message=f"“{entry.wrong}”应为“{entry.correct}”{note}" + (f"，共 {n} 处" if n > 1 else ""),
                key=hashlib.sha256(f"{document.url}|{entry.wrong}".encode()).hexdigest()[:16],
                evidence=Evidence(url=document.url, location=location, snippet=context),
            ))
    return findings, counts
