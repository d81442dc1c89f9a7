"""应注销未注销已下线网站域名: a site marked 下线 must be gone — domains cancelled, no DNS, no pages.

The seed circular's test is CNNIC's WHOIS: "在中国互联网络信息中心还能查找到域名相关信息". We ask the
WHOIS server of each of the site's domains (its `domains:`, default the registrable domain of its
URL; CNNIC's for .cn, another registry's for .com …) over RFC 3912, whether each domain and the
site's host still resolve, and whether the site still answers HTTP (then: does its footer still show
the ICP filing and the 网站标识码, which must be cancelled too). Each finding names its domain and the
evidence names the server that answered. A WHOIS or DNS question without an answer makes the
observation an error, never a pass: an unanswered question is not a cancelled domain. Before the
site's 下线日期 (`offline_since`) there is nothing to cancel yet and nothing is asked.
"""
from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from collector import domains
from collector.checks.base import ERROR_WORDS, Check, CheckContext, Code, Settings, register
from collector.domains.dns import DNS_OUTCOME_WORDS, DnsResult, lookup
from collector.domains.registries import evidence_location, found_in, operator_name, server_host
from collector.domains.whois import EPP_STATUS_WORDS, WHOIS_OUTCOME_WORDS, WhoisResult, query, server_for
from collector.fetch import FetchResult
from collector.footer import marks_shown
from collector.observations import Evidence, Finding, JudgedFinding, Observation, Severity
from collector.periods import Period
from collector.profile import Profile
from collector.registry import Entry, Website

MARK_LABELS = {"icp": "ICP 备案编号", "site_code": "网站标识码"}


@register
class DecommissionedDomain(Check[Settings]):
    name = "decommissioned_domain"
    title = "已下线网站域名注销"
    indicator = "应注销未注销已下线网站域名"
    applies_to = frozenset({"website"})
    codes = {
        "domain_still_registered": Code("已下线网站的域名仍在注册", "veto"),
        "domain_still_resolves": Code("已下线网站的域名仍可解析", "veto"),
        "site_still_online": Code("已下线网站仍可访问", "veto"),
    }
    figures = {
        "domain": "域名",
        "domains": "域名",
        "offline_since": "下线日期",
        "not_yet_offline": "尚未到下线日期",
        "whois": "WHOIS 查询结果",
        "whois_server": "WHOIS 服务器",
        "whois_operator": "WHOIS 服务器所属机构",
        "whois_by_domain": "各域名 WHOIS 查询结果",
        "whois_detail": "WHOIS 说明",
        "error_details": "出错详情",
        "registered": "域名仍在注册",
        "registrar": "注册商",
        "registration_time": "注册时间",
        "expiration_time": "到期时间",
        "statuses": "域名状态",
        "resolves": "域名仍可解析",
        "dns": "域名解析",
        "dns_records": "解析记录",
        "http_status": "HTTP 状态码",
        "http_error": "HTTP 访问错误",
        # written by earlier versions of this check; older data files still show them
        "footer_icp": "页面所示 ICP 备案编号",
        "footer_site_code": "页面所示网站标识码",
    }
    figure_values = {"whois": WHOIS_OUTCOME_WORDS, "whois_by_domain": WHOIS_OUTCOME_WORDS, "dns": DNS_OUTCOME_WORDS,
                     "statuses": EPP_STATUS_WORDS, "http_error": ERROR_WORDS}
    #: The transport's and the server's own words (English, a reply's first line): for staff only.
    diagnostic_figures = frozenset({"whois_detail", "error_details"})

    def applies(self, entry: Entry) -> bool:
        """Only sites staff marked 下线: a running site's domain is supposed to be registered."""
        return entry.kind in self.applies_to and entry.status == "下线"

    async def observe(self, entry: Entry, ctx: CheckContext) -> Observation:
        since: date | None = getattr(entry, "offline_since", None)
        if since is not None and ctx.today < since:
            # Before its 下线日期 the site was still running: there was nothing to cancel yet, and
            # asking WHOIS would only spend the server's patience.
            return self.observation(entry, ctx, {"offline_since": since.isoformat(), "not_yet_offline": True}, [],
                                    outcome="ok")
        severity = self.severity(self.configured(ctx.profile), "domain_still_registered")  # one severity for all three
        settings = domains.current_settings()
        listed = list(getattr(entry, "whois_domains", ()))
        groups = dns_groups(listed, entry.host if isinstance(entry, Website) else "")
        servers = [server_for(domain, settings.whois_servers) for domain in listed]
        names = [name for group in groups.values() for name in group]
        whois_results, page, dns_results = await asyncio.gather(
            asyncio.gather(*(_whois(domain, server, settings) for domain, server in zip(listed, servers))),
            ctx.fetch(entry.url),
            asyncio.gather(*(lookup(name, nameserver=settings.dns_nameserver, timeout=settings.dns_timeout_seconds)
                             for name in names)),
        )
        figures, findings, errors = assess(entry.url, listed, list(whois_results), list(dns_results), groups, page,
                                           self.indicator, severity)
        if since is not None:
            figures["offline_since"] = since.isoformat()
        if errors:
            figures["errors"] = [error.words for error in errors]
            figures["error_details"] = [error.detail for error in errors]
        return self.observation(entry, ctx, figures, findings, outcome="error" if errors else None)

    def period_figures(self, observations: list[Observation], profile: Profile) -> dict:
        figures = super().period_figures(observations, profile)
        if isinstance(figures.get("errors"), list):
            figures["errors"] = errors_in_words(figures["errors"])
        return figures

    def unchecked_reason(self, observations: list[Observation], profile: Profile) -> str | None:
        """The reasons in words, those of observations written before errors were worded too."""
        worded = [replace(obs, figures={**obs.figures, "errors": errors_in_words(errors)})
                  if isinstance(errors := obs.figures.get("errors"), list) else obs for obs in observations]
        return super().unchecked_reason(worded, profile)

    def judge(self, entry: Entry, observations: list[Observation], period: Period,
              profile: Profile) -> list[JudgedFinding]:
        """Findings from before the 下线日期 (a registry dated later than old observations) do not count."""
        since: date | None = getattr(entry, "offline_since", None)
        if since is not None:
            observations = [obs for obs in observations if obs.at.date() >= since]
        return super().judge(entry, observations, period, profile)


def dns_groups(listed: list[str], host: str) -> dict[str, list[str]]:
    """The names to resolve, by the domain each belongs to: every listed domain, and the site's own
    host under the domain it is part of (or on its own when no listed domain covers it)."""
    groups = {domain: [domain] for domain in listed}
    host = host.rstrip(".").lower()
    if host and host not in groups:
        owner = next((domain for domain in listed if host.endswith("." + domain)), None)
        if owner is not None:
            groups[owner].append(host)
        else:
            groups[host] = [host]
    return groups


async def _whois(domain: str, server: str | None, settings: domains.DomainSettings) -> WhoisResult | None:
    if server is None:
        return None
    return await query(domain, server, overrides=settings.whois_overrides,
                       timeout=settings.whois_timeout_seconds, max_bytes=settings.whois_max_bytes,
                       min_interval=settings.whois_min_interval_seconds)


@dataclass(frozen=True)
class QuestionError:
    """A WHOIS or DNS question without an answer: in words for the scorecard, in detail for staff."""

    words: str    # "WHOIS lcda.gov.cn：查询超时"
    detail: str   # "whois lcda.gov.cn: timeout: no complete reply within 2 s"


#: Each question's name on a scorecard, and the words for its outcomes.
_QUESTIONS = {"whois": ("WHOIS", WHOIS_OUTCOME_WORDS), "dns": ("域名解析", DNS_OUTCOME_WORDS)}


def _worded(question: str, name: str, outcome: str) -> str:
    title, words = _QUESTIONS[question]
    return f"{title} {name}：{words.get(outcome, outcome)}"


def whois_error(result: WhoisResult) -> QuestionError:
    return QuestionError(_worded("whois", result.domain, result.outcome),
                         f"whois {result.domain}: {result.outcome}: {result.detail}")


def dns_error(result: DnsResult) -> QuestionError:
    return QuestionError(_worded("dns", result.name, result.outcome),
                         f"dns {result.name}: {result.outcome}: {result.detail}")


def no_whois_server(domain: str) -> QuestionError:
    return QuestionError(f"WHOIS {domain}：未配置 WHOIS 服务器", f"whois: no WHOIS server configured for {domain}")


#: How this check wrote its errors before it wrote them in words: "whois lcda.gov.cn: timeout: …",
#: "dns www.lcda.gov.cn: timeout: …", "whois: no WHOIS server configured for lcda.gov.cn".
_DETAILED_ERROR = re.compile(r"(?P<kind>whois|dns) (?P<name>\S+): (?P<outcome>\w+)(?::|\Z)")
_NO_SERVER = re.compile(r"whois: no WHOIS server configured for (?P<name>\S+)\Z")


def errors_in_words(lines: list) -> list[str]:
    """An observation's `errors`, each in words (see error_in_words)."""
    return [error_in_words(str(line)) for line in lines]


def error_in_words(line: str) -> str:
    """An error line in words, whichever way it was written; a line of another shape as it is."""
    if (match := _NO_SERVER.match(line)) is not None:
        return no_whois_server(match["name"]).words
    if (match := _DETAILED_ERROR.match(line)) is not None and match["outcome"] in _QUESTIONS[match["kind"]][1]:
        return _worded(match["kind"], match["name"], match["outcome"])
    return line


WORST_FIRST = ("registered", "rate_limited", "timeout", "connection_error", "unparseable", "not_registered")


def assess(url: str, listed: list[str], whois_results: list[WhoisResult | None], dns_results: list[DnsResult],
           groups: dict[str, list[str]], page: FetchResult, indicator: str,
           severity: Severity) -> tuple[dict[str, Any], list[Finding], list[QuestionError]]:
    """What was seen -> (figures, findings, errors). Pure, so every combination is easy to test.

    Figures keep the one-domain shape (`domain`, `whois`, `whois_server`); with several domains
    `whois` is the outcome that matters most (any registered, else any unanswered) and
    `domains` / `whois_by_domain` give each one.
    """
    figures: dict[str, Any] = {"domain": listed[0] if listed else ""}
    if len(listed) > 1:
        figures["domains"] = list(listed)
    findings: list[Finding] = []
    errors: list[QuestionError] = []

    asked = [result for result in whois_results if result is not None]
    for domain, result in zip(listed, whois_results):
        if result is None:
            errors.append(no_whois_server(domain))
    if asked:
        outcomes = [result.outcome for result in asked]
        figures["whois"] = min(outcomes, key=WORST_FIRST.index)
        figures["whois_server"] = ", ".join(dict.fromkeys(result.server for result in asked))
        figures["whois_operator"] = "、".join(dict.fromkeys(operator_name(result.server) for result in asked))
        if len(listed) > 1:
            figures["whois_by_domain"] = {result.domain: result.outcome for result in asked}
        failed = [result for result in asked if result.failed]
        if failed:
            figures["whois_detail"] = "; ".join(result.detail for result in failed)
        errors.extend(whois_error(result) for result in failed)
        registered = [result for result in asked if result.record is not None and result.outcome == "registered"]
        if registered:
            record = registered[0].record
            assert record is not None
            figures.update({
                "registrar": record.sponsoring_registrar,
                "registration_time": record.registration_time.isoformat() if record.registration_time else None,
                "expiration_time": record.expiration_time.isoformat() if record.expiration_time else None,
                "statuses": list(record.statuses),
            })
        findings.extend(registered_finding(result, indicator, severity) for result in registered)

    figures["dns"] = {result.name: result.outcome for result in dns_results}
    resolving = [result for result in dns_results if result.outcome == "resolves"]
    if resolving:
        figures["dns_records"] = {result.name: result.records for result in resolving}
        by_name = {result.name: result for result in resolving}
        for domain, names in groups.items():
            hits = [by_name[name] for name in names if name in by_name]
            if hits:
                findings.append(resolves_finding(domain, hits, indicator, severity))
    errors.extend(dns_error(result) for result in dns_results if result.failed)

    figures["http_status"] = page.status
    if page.error:
        figures["http_error"] = page.error
    if page.status is not None:
        marks = marks_shown(page.text) if _same_host(url, page.final_url) else {}
        figures.update({f"footer_{key}": value for key, value in marks.items()})
        findings.append(online_finding(url, page, marks, indicator, severity))
    return figures, findings, errors


def registered_finding(whois: WhoisResult, indicator: str, severity: Severity) -> Finding:
    """The record as the server that answered has it; the evidence names that server and its operator."""
    assert whois.record is not None
    record = whois.record
    host = server_host(whois.server)
    details = [f"注册商 {record.sponsoring_registrar}" if record.sponsoring_registrar else "",
               f"到期 {record.expiration_time.date().isoformat()}" if record.expiration_time else ""]
    detail = "，".join(d for d in details if d)
    return Finding(
        code="domain_still_registered", indicator=indicator, severity=severity,
        message=f"已下线网站的域名 {whois.domain} 仍可在{found_in(whois.server)}中查到"
                + (f"（{detail}）" if detail else "") + "，未办理注销",
        key=whois.domain,
        evidence=Evidence(url=f"whois://{host}/{whois.domain}", location=evidence_location(whois.server),
                          snippet="\n".join(record.evidence_lines())),
    )


def resolves_finding(domain: str, resolving: list[DnsResult], indicator: str, severity: Severity) -> Finding:
    """One finding per domain, naming it, with the names under it that still resolve."""
    names = "、".join(result.name for result in resolving)
    message = (f"已下线网站的域名仍能解析：{names}" if resolving[0].name == domain
               else f"已下线网站的域名 {domain} 下仍能解析：{names}")
    return Finding(
        code="domain_still_resolves", indicator=indicator, severity=severity,
        message=message,
        key=domain,
        evidence=Evidence(url=f"dns:{domain}", location="DNS",
                          snippet="\n".join(line for result in resolving for line in result.record_lines())),
    )


def online_finding(url: str, page: FetchResult, marks: dict[str, str], indicator: str, severity: Severity) -> Finding:
    message = f"已下线网站仍能访问（HTTP {page.status}"
    if page.final_url and page.final_url != url:
        message += f"，跳转至 {page.final_url}"
    message += "）"
    shown = [label for key, label in MARK_LABELS.items() if key in marks]
    if shown:
        message += f"，页面仍显示 {'、'.join(shown)}，应一并注销"
    return Finding(
        code="site_still_online", indicator=indicator, severity=severity,
        message=message,
        key=url,
        evidence=Evidence(url=page.final_url or url, location="页脚" if marks else "首页",
                          snippet="\n".join(f"{MARK_LABELS[key]}：{value}" for key, value in marks.items())),
    )


def _same_host(url: str, final_url: str) -> bool:
    return (urlsplit(url).hostname or "") == (urlsplit(final_url or url).hostname or "")
