"""HTTPS 与 IPv6: can the public reach the site over HTTPS, and over IPv6?

Notices after the 2019 indicators ask government websites to offer HTTPS and to be reachable over
IPv6. This check answers both questions for a running website:

- HTTPS: `https://<host>/` through the round's fetcher (certificate verified as any browser would).
  A 2xx/3xx answer is available; an error status, a certificate the fetcher does not trust, or no
  TLS answer at all are findings — but only when the site answered its registered address this
  round: a site that is down is reachability's finding, not this one's ("could not check").
- IPv6: the host's AAAA records (dnspython, the nameserver the round was given), then one request
  to the first IPv6 address. No AAAA record is a finding; an address that does not answer is one;
  an AAAA record pointing at a non-public address (loopback, link-local, private) is one too —
  decided by the address guard before any connection is opened. DNS that does not answer decides
  nothing: "could not check".

It is not part of the 2019 indicators, so it runs only where the profile has a `https_ipv6:`
section (`runs_by_default = False`), and its codes default to `info`: a profile adopting the later
notices sets `severity: deduction` and adds the scoring item (see docs/adding-a-check.md).
"""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from collector import domains
from collector.checks.base import Check, CheckContext, Code, Settings, register, setting
from collector.domains.dns import DnsResult, lookup
from collector.fetch import FetchResult
from collector.fetch.client import CERTIFICATE_NOT_TRUSTED
from collector.fetch.blocked import BLOCKED
from collector.observations import Evidence, Finding, Observation
from collector.registry import Entry

#: Fetch errors that mean the server did not give a working HTTPS answer.
NO_ANSWER = frozenset({"connect", "timeout", "tls", "protocol", "truncated", "too_many_redirects"})


@dataclass(frozen=True)
class HttpsIpv6Settings(Settings):
    check_https: bool = setting(True, "检查 HTTPS 访问")
    check_ipv6: bool = setting(True, "检查 IPv6 访问")


@dataclass(frozen=True)
class Verdict:
    """One half of the check: a finding (code, message), or None; or why it could not be decided."""

    figures: dict[str, Any]
    problem: tuple[str, str] | None = None
    not_checked: str = ""


def https_url(entry_url: str) -> str:
    """The site's address on https:// (default port), whatever scheme and port the registry gives."""
    host = urlsplit(entry_url).hostname or ""
    return f"https://{host}/"


def https_verdict(result: FetchResult, home_answered: bool) -> Verdict:
    """Pure: what the HTTPS request says, given whether the registered address answered this round."""
    figures: dict[str, Any] = {"https_status": result.status}
    if result.error == BLOCKED:
        return Verdict({**figures, "https_available": None}, not_checked=f"HTTPS：{result.error_detail or 'blocked'}")
    if result.ok or (result.error == "too_large" and result.status is not None and result.status < 400):
        return Verdict({**figures, "https_available": True})
    if result.error is None and result.status is not None:
        return Verdict({**figures, "https_available": False},
                       ("https_error_status", f"通过 HTTPS 访问首页返回 HTTP {result.status}"))
    if result.error not in NO_ANSWER:  # ours (a refused address, an invalid URL) or DNS: decides nothing
        return Verdict({**figures, "https_available": None},
                       not_checked=f"HTTPS：{result.error}{'：' + result.error_detail if result.error_detail else ''}")
    if not home_answered:
        return Verdict({**figures, "https_available": None}, not_checked="HTTPS：网站本轮无法访问，不作判定")
    detail = result.error_detail[:200]
    figures.update(https_available=False, https_error=f"{result.error}: {detail}" if detail else str(result.error))
    # Every transport reports a refused certificate as "tls", marked as such by the fetcher.
    if result.error == "tls" and result.error_detail.startswith(CERTIFICATE_NOT_TRUSTED):
        return Verdict(figures, ("https_certificate_invalid", f"HTTPS 证书未通过验证（{detail}）"))
    return Verdict(figures, ("https_unavailable", f"无法通过 HTTPS 访问首页（{result.error}）"))


def aaaa_verdict(dns: DnsResult) -> Verdict | None:
    """Pure: the AAAA answer alone decides "no IPv6" or "cannot tell"; None when there are addresses to try."""
    if dns.outcome == "resolves" and dns.records.get("AAAA"):
        return None
    if dns.outcome in ("timeout", "error"):
        return Verdict({"ipv6_aaaa": None}, not_checked=f"IPv6：域名解析无应答（{dns.outcome}：{dns.detail}）"[:300])
    if dns.outcome == "nxdomain":
        return Verdict({"ipv6_aaaa": None}, not_checked="IPv6：域名解析返回不存在（NXDOMAIN），不作判定")
    return Verdict({"ipv6_aaaa": False}, ("ipv6_no_aaaa", f"域名 {dns.name} 没有 IPv6 解析（AAAA 记录）"))


def ipv6_url(entry_url: str, address: str) -> str:
    """The registered address with its host replaced by one IPv6 address (same scheme and port)."""
    parts = urlsplit(entry_url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://[{address}]{port}/"


def ipv6_verdict(address: str, result: FetchResult) -> Verdict:
    """Pure: what one request to an IPv6 address says. Any HTTP answer, or a TLS handshake (the
    certificate names the host, not the address), means the site answers over IPv6."""
    figures: dict[str, Any] = {"ipv6_aaaa": True, "ipv6_address": address}
    if result.error == BLOCKED:
        return Verdict({**figures, "ipv6_answers": None}, not_checked=f"IPv6：{result.error_detail or 'blocked'}")
    if result.status is not None or result.error == "tls":
        return Verdict({**figures, "ipv6_answers": True})
    if result.error == "refused_address":
        return Verdict({**figures, "ipv6_answers": False},
                       ("ipv6_unreachable", f"AAAA 记录 {address} 不是公网地址，公众无法通过 IPv6 访问"))
    if result.error in ("connect", "timeout", "protocol"):
        return Verdict({**figures, "ipv6_answers": False},
                       ("ipv6_unreachable", f"IPv6 地址 {address} 无法访问（{result.error}）"))
    return Verdict({**figures, "ipv6_answers": None}, not_checked=f"IPv6：{result.failure}")


@register
class HttpsIpv6(Check[HttpsIpv6Settings]):
    name = "https_ipv6"
    title = "HTTPS 与 IPv6 访问"
    indicator = "HTTPS 与 IPv6"
    applies_to = frozenset({"website"})
    cadence = "weekly"
    settings = HttpsIpv6Settings
    runs_by_default = False
    codes = {
        "https_unavailable": Code("不支持 HTTPS 访问", "info"),
        "https_certificate_invalid": Code("HTTPS 证书无效", "info"),
        "https_error_status": Code("HTTPS 访问返回错误状态", "info"),
        "ipv6_no_aaaa": Code("域名没有 IPv6 解析", "info"),
        "ipv6_unreachable": Code("IPv6 地址无法访问", "info"),
    }
    figures = {
        "https_available": "可通过 HTTPS 访问",
        "https_status": "HTTPS 状态码",
        "https_error": "HTTPS 错误",
        "ipv6_aaaa": "有 IPv6 解析（AAAA 记录）",
        "ipv6_addresses": "IPv6 地址",
        "ipv6_address": "访问的 IPv6 地址",
        "ipv6_answers": "可通过 IPv6 访问",
        "not_checked": "未能检查的部分",
    }

    async def observe(self, entry: Entry, ctx: CheckContext) -> Observation:
        settings = self.configured(ctx.profile)
        verdicts: list[Verdict] = []
        if settings.check_https:
            home = await ctx.fetch(entry.url)
            verdicts.append(https_verdict(await ctx.fetch(https_url(entry.url)), home.ok))
        if settings.check_ipv6:
            verdicts.append(await self._ipv6(entry, ctx))
        figures: dict[str, Any] = {}
        findings = []
        for verdict in verdicts:
            figures.update(verdict.figures)
            if verdict.problem:
                code, message = verdict.problem
                findings.append(Finding(code, self.indicator, self.severity(settings, code), message, key=code,
                                        evidence=Evidence(url=entry.url, location=self.codes[code].label)))
        not_checked = [v.not_checked for v in verdicts if v.not_checked]
        if not_checked:
            figures["not_checked"] = not_checked
        if verdicts and len(not_checked) == len(verdicts):  # nothing decided: could not check, with why
            return self.observation(entry, ctx, {**figures, "error": "；".join(not_checked)}, [], outcome="error")
        return self.observation(entry, ctx, figures, findings)

    async def _ipv6(self, entry: Entry, ctx: CheckContext) -> Verdict:
        where = domains.current_settings()
        host = urlsplit(entry.url).hostname or ""
        dns = await lookup(host, nameserver=where.dns_nameserver, timeout=where.dns_timeout_seconds, types=("AAAA",))
        decided = aaaa_verdict(dns)
        if decided is not None:
            return decided
        addresses = sorted(dns.records["AAAA"])
        address = addresses[0]
        if any(fnmatch.fnmatchcase(address, pattern) for pattern in ctx.fetcher.settings.resolve):
            # --resolve would send the request to its mapped address, not this IPv6 one
            return Verdict({"ipv6_aaaa": True, "ipv6_addresses": addresses},
                           not_checked="IPv6：--resolve 映射了该地址，无法经 IPv6 访问")
        verdict = ipv6_verdict(address, await ctx.fetcher.get(ipv6_url(entry.url, address), retries=0))
        return Verdict({**verdict.figures, "ipv6_addresses": addresses}, verdict.problem, verdict.not_checked)
