"""Serious wording errors (严重表述错误, a single veto) and typos (错别字, a deduction).

Matches the staff-maintained lexicon (collector/lexicon/serious.tsv) against the same pages and
attachments the personal-information check reads (one crawl per round, see collector.crawl).
One finding per document and lexicon entry; the key is stable across rounds.
"""
from __future__ import annotations

from collector.checks.base import Check, CheckContext, register
from collector.text.lexicon import load_lexicon
from collector.crawl import entry_documents, scan_figures
from collector.document_findings import INDICATORS, wording_findings
from collector.observations import Observation, Severity
from collector.registry import Entry


@register
class Wording(Check):
    name = "wording"
    title = "严重表述错误与错别字"
    indicator = "严重表述错误"
    applies_to = frozenset({"website", "column"})
    cadence = "weekly"  # crawls articles and attachments: weekly by default (indicators allow daily or weekly)

    async def observe(self, entry: Entry, ctx: CheckContext) -> Observation:
        severities: dict[str, Severity] = {
            "serious": ctx.profile.setting(self.name, "severity_serious"),
            "typo": ctx.profile.setting(self.name, "severity_typo"),
        }
        max_articles = ctx.profile.setting(self.name, "max_articles")
        lexicon = load_lexicon()
        documents = await entry_documents(entry, ctx, max_articles=max_articles)
        figures = scan_figures(documents)
        figures["lexicon_entries"] = len(lexicon)
        if documents[0].unread:
            return self.observation(entry, ctx, figures, [], outcome="unreachable")
        findings, counts = wording_findings(documents, lexicon, severities)
        figures["matches"] = {severity: counts.get(severity, 0) for severity in INDICATORS}
        return self.observation(entry, ctx, figures, findings)


