"""Serious wording errors (严重表述错误, a single veto) and typos (错别字, a deduction).

Matches the staff-maintained lexicon (collector/lexicon/serious.tsv) against the same pages and
attachments the personal-information check reads (one crawl per round, see collector.crawl).
One finding per document and lexicon entry; the key is stable across rounds.
"""
from __future__ import annotations

from dataclasses import dataclass

from collector.checks.base import Check, CheckContext, Settings, register, setting
from collector.checks.common import CRAWL_FIGURES, WORDING_CODES, WORDING_INDICATORS
from collector.crawl import entry_documents, scan_figures
from collector.document_findings import wording_findings
from collector.observations import Observation, Severity
from collector.text.lexicon import load_lexicon
from collector.registry import Entry


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
    figures = {**CRAWL_FIGURES, "lexicon_entries": "词库条目数", **WORDING_INDICATORS}

    async def observe(self, entry: Entry, ctx: CheckContext) -> Observation:
        settings = self.configured(ctx.profile)
        severities: dict[str, Severity] = {"serious": settings.severity_serious, "typo": settings.severity_typo}
        lexicon = load_lexicon()
        documents = await entry_documents(entry, ctx, max_articles=settings.max_articles)
        figures = scan_figures(documents)
        figures["lexicon_entries"] = len(lexicon)
        if documents[0].unread:
            return self.observation(entry, ctx, figures, [], outcome="unreachable")
        findings, counts = wording_findings(documents, lexicon, severities, WORDING_INDICATORS)
        figures["matches"] = {severity: counts.get(severity, 0) for severity in WORDING_INDICATORS}
        return self.observation(entry, ctx, figures, findings)


