"""Personal information published on a website or disclosure column (个人信息泄露).

Reads the entry's pages and attachments (collector.crawl) and reports, per document and kind of
number, how many resident ID, mobile and bank-card numbers it shows. One finding per document and
kind keeps a leaked list of 500 people one problem to fix, not 500. Evidence is masked; the raw
number never leaves this process.
"""
from __future__ import annotations

from dataclasses import dataclass

from collector.checks.base import Check, CheckContext, Settings, register, setting
from collector.checks.common import CRAWL_FIGURES, PII_CODES, PII_LABELS
from collector.crawl import entry_documents, scan_figures
from collector.document_findings import leak_findings
from collector.observations import Observation
from collector.text.pii import PII_KINDS
from collector.registry import Entry


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
                                         self.indicator, PII_LABELS, exempt_contacts=settings.exempt_contact_phones)
        figures["matches"] = {kind: counts.get(kind, 0) for kind in PII_KINDS}
        return self.observation(entry, ctx, figures, findings)
