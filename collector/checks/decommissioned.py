"""应注销未注销已下线网站域名: a site marked 下线 must be gone — domain cancelled, no DNS, no pages.

The seed circular's test is CNNIC's WHOIS: "在中国互联网络信息中心还能查找到域名相关信息". We ask it
(RFC 3912), and also whether the domain and the site's host still resolve and whether the site
still answers HTTP (then: does its footer still show the ICP filing and the 网站标识码, which must be
cancelled too). A WHOIS or DNS question without an answer makes the observation an error, never a
pass: an unanswered question is not a cancelled domain.
"""
from __future__ import annotations

import asyncio
import re
from typing import Any
from urllib.parse import urlsplit

from collector import domains
from collector.checks.base import Check, CheckContext, register
from collector.domains.dns import DnsResult, lookup
from collector.domains.whois import WhoisResult, query, server_for
from collector.fetch import FetchResult
from collector.html import parse, visible_text
from collector.observations import Evidence, Finding, Observation
from collector.registry import Entry

ICP_NUMBER = re.compile(r"[\u4e00-\u9fff]ICP[备证]\s*\d{5,}\s*号(?:\s*-\s*\d+)?")
SITE_CODE = re.compile(r"网站标识码\s*[：:]?\s*(\d{10})")
MARK_LABELS = {"icp": "ICP 备案编号", "site_code": "网站标识码"}
CNNIC_WHOIS_HOST = "whois.cnnic.cn"


@register
class DecommissionedDomain(Check):
    name = "decommissioned_domain"
    title = "已下线网站域名注销"
    indicator = "应注销未注销已下线网站域名"
    applies_to = frozenset({"website"})

    def applies(self, entry: Entry) -> bool:
        """Only sites staff marked 下线: a running site's domain is supposed to be registered."""
        return entry.kind in self.applies_to and entry.status == "下线"

    async def observe(self, entry: Entry, ctx: CheckContext) -> Observation:
        severity = ctx.profile.setting(self.name, "severity")
        settings = domains.current_settings()
        host = urlsplit(entry.url).hostname or ""
        domain = domains.registrable_domain(host)
        names = [domain] + ([host] if host != domain else [])
        server = server_for(domain, settings.whois_servers)
        whois_result, page, *dns_results = await asyncio.gather(
            _whois(domain, server, settings),
            ctx.fetch(entry.url),
            *(lookup(name, nameserver=settings.dns_nameserver, timeout=settings.dns_timeout_seconds)
              for name in names),
        )
        figures, findings, errors = assess(entry.url, domain, whois_result, list(dns_results), page,
                                           self.indicator, severity)
        if whois_result is None:
            errors.insert(0, f"whois: no WHOIS server configured for {domain}")
        if errors:
            figures["errors"] = errors
        return self.observation(entry, ctx, figures, findings, outcome="error" if errors else None)


async def _whois(domain: str, server: str | None, settings: domains.DomainSettings) -> WhoisResult | None:
    if server is None:
        return None
    return await query(domain, server, overrides=settings.whois_overrides,
                       timeout=settings.whois_timeout_seconds, max_bytes=settings.whois_max_bytes,
                       min_interval=settings.whois_min_interval_seconds)


def assess(url: str, domain: str, whois: WhoisResult | None, dns_results: list[DnsResult], page: FetchResult,
           indicator: str, severity: str) -> tuple[dict[str, Any], list[Finding], list[str]]:
    """What was seen -> (figures, findings, errors). Pure, so every combination is easy to test."""
    figures: dict[str, Any] = {"domain": domain}
    findings: list[Finding] = []
    errors: list[str] = []

    if whois is not None:
        figures["whois"] = whois.outcome
        figures["whois_server"] = whois.server
        if whois.failed:
            figures["whois_detail"] = whois.detail
            errors.append(f"whois: {whois.outcome}: {whois.detail}")
        elif whois.record is not None:
            record = whois.record
            figures.update({
                "registrar": record.sponsoring_registrar,
                "registration_time": record.registration_time.isoformat() if record.registration_time else None,
                "expiration_time": record.expiration_time.isoformat() if record.expiration_time else None,
                "statuses": list(record.statuses),
            })
            findings.append(registered_finding(whois, indicator, severity))

    figures["dns"] = {result.name: result.outcome for result in dns_results}
    resolving = [result for result in dns_results if result.outcome == "resolves"]
    if resolving:
        figures["dns_records"] = {result.name: result.records for result in resolving}
        findings.append(resolves_finding(domain, resolving, indicator, severity))
    errors.extend(f"dns {result.name}: {result.outcome}: {result.detail}" for result in dns_results if result.failed)

    figures["http_status"] = page.status
    if page.error:
        figures["http_error"] = page.error
    if page.status is not None:
        marks = footer_marks(page.text) if _same_host(url, page.final_url) else {}
        figures.update({f"footer_{key}": value for key, value in marks.items()})
        findings.append(online_finding(url, page, marks, indicator, severity))
    return figures, findings, errors


def registered_finding(whois: WhoisResult, indicator: str, severity: str) -> Finding:
    assert whois.record is not None
    record = whois.record
    host = whois.server.rpartition(":")[0]
    where = "CNNIC WHOIS" if host == CNNIC_WHOIS_HOST else f"WHOIS {host}"
    details = [f"注册商 {record.sponsoring_registrar}" if record.sponsoring_registrar else "",
               f"到期 {record.expiration_time.date().isoformat()}" if record.expiration_time else ""]
    detail = "，".join(d for d in details if d)
    return Finding(
        code="domain_still_registered", indicator=indicator, severity=severity,  # type: ignore[arg-type]
        message=f"已下线网站的域名 {whois.domain} 仍在 {where} 中可查" + (f"（{detail}）" if detail else "")
                + "，未办理注销",
        key=whois.domain,
        evidence=Evidence(url=f"whois://{host}/{whois.domain}", location=where,
                          snippet="\n".join(record.evidence_lines())),
    )


def resolves_finding(domain: str, resolving: list[DnsResult], indicator: str, severity: str) -> Finding:
    names = "、".join(result.name for result in resolving)
    return Finding(
        code="domain_still_resolves", indicator=indicator, severity=severity,  # type: ignore[arg-type]
        message=f"已下线网站的域名仍能解析：{names}",
        key=domain,
        evidence=Evidence(url=f"dns:{domain}", location="DNS",
                          snippet="\n".join(line for result in resolving for line in result.record_lines())),
    )


def online_finding(url: str, page: FetchResult, marks: dict[str, str], indicator: str, severity: str) -> Finding:
    message = f"已下线网站仍能访问（HTTP {page.status}"
    if page.final_url and page.final_url != url:
        message += f"，跳转至 {page.final_url}"
    message += "）"
    shown = [label for key, label in MARK_LABELS.items() if key in marks]
    if shown:
        message += f"，页面仍显示 {'、'.join(shown)}，应一并注销"
    return Finding(
        code="site_still_online", indicator=indicator, severity=severity,  # type: ignore[arg-type]
        message=message,
        key=url,
        evidence=Evidence(url=page.final_url or url, location="页脚" if marks else "首页",
                          snippet="\n".join(f"{MARK_LABELS[key]}：{value}" for key, value in marks.items())),
    )


def footer_marks(html: str) -> dict[str, str]:
    """The ICP filing number and the 网站标识码 a page still shows, as the visitor reads them."""
    text = visible_text(parse(html))
    marks: dict[str, str] = {}
    if icp := ICP_NUMBER.search(text):
        marks["icp"] = re.sub(r"\s+", "", icp.group(0))
    if code := SITE_CODE.search(text):
        marks["site_code"] = code.group(1)
    return marks


def _same_host(url: str, final_url: str) -> bool:
    return (urlsplit(url).hostname or "") == (urlsplit(final_url or url).hostname or "")
