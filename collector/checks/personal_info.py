"""Personal information published on a website or disclosure column (个人信息泄露).

Reads the entry's pages and attachments (collector.crawl) and reports, per document and kind of
number, how many resident ID, mobile and bank-card numbers it shows. One finding per document and
kind keeps a leaked list of 500 people one problem to fix, not 500. Evidence is masked; the raw
number never leaves this process.
"""
from __future__ import annotations

from collector.checks.base import Check, CheckContext, register
from collector.text.pii import PII_KINDS
from collector.crawl import entry_documents, scan_figures
from collector.document_findings import leak_findings
from collector.observations import Observation
from collector.profile import ProfileError
from collector.registry import Entry


@register
class PersonalInfo(Check):
    name = "personal_info"
    title = "个人信息保护"
    indicator = "个人信息泄露"
    applies_to = frozenset({"website", "column"})
    cadence = "weekly"  # crawls articles and attachments: weekly by default (indicators allow daily or weekly)

    async def observe(self, entry: Entry, ctx: CheckContext) -> Observation:
        severity = ctx.profile.setting(self.name, "severity")
        max_articles = ctx.profile.setting(self.name, "max_articles")
        documents = await entry_documents(entry, ctx, max_articles=max_articles)
        figures = scan_figures(documents)
        if documents[0].unread:
            return self.observation(entry, ctx, figures, [], outcome="unreachable")
        exempt = ctx.profile.setting(self.name, "exempt_contact_phones")
        if not isinstance(exempt, bool):
            raise ProfileError(f"{ctx.profile.source}: checks.personal_info.exempt_contact_phones: "
                               f"true or false, not {exempt!r}")
        findings, counts = leak_findings(documents, ctx.today, severity, self.indicator, exempt_contacts=exempt)
        figures["matches"] = {kind: counts.get(kind, 0) for kind in PII_KINDS}
        return self.observation(entry, ctx, figures, findings)


