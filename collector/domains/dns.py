"""Does a name still resolve? A, AAAA, CNAME and NS through dnspython's async resolver.

The answers that matter are kept apart: NXDOMAIN (the name does not exist: what a cancelled domain
gives), NOERROR without records (the name exists but has none of these), and no answer at all
(timeout, SERVFAIL, refused), which says nothing about the domain.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Literal

import dns.asyncresolver
import dns.exception
import dns.resolver

DnsOutcome = Literal["resolves", "no_records", "nxdomain", "timeout", "error"]
#: Each outcome as the portal says it (the 域名注销情况 section and the check's figures).
DNS_OUTCOME_WORDS: dict[str, str] = {
    "resolves": "仍可解析", "no_records": "无解析记录", "nxdomain": "不存在（已不能解析）",
    "timeout": "查询超时", "error": "查询出错",
}
DEFAULT_TYPES = ("A", "AAAA", "CNAME", "NS")


@dataclass(frozen=True)
class DnsResult:
    name: str
    outcome: DnsOutcome
    records: dict[str, list[str]] = field(default_factory=dict)   # type -> values, sorted
    detail: str = ""

    @property
    def failed(self) -> bool:
        return self.outcome in ("timeout", "error")

    def record_lines(self) -> list[str]:
        """Zone-file-like lines for evidence: `lcsd.gov.cn. NS ns1.example.cn.`."""
        return [f"{self.name}. {rdtype} {value}" for rdtype, values in self.records.items() for value in values]


def make_resolver(nameserver: tuple[str, int] | None, timeout: float) -> dns.asyncresolver.Resolver:
    """One resolver per look-up; with a nameserver, only that one is asked (tests: our loopback server)."""
    if nameserver is None:
        resolver = dns.asyncresolver.Resolver()
    else:
        resolver = dns.asyncresolver.Resolver(configure=False)
        resolver.nameservers = [nameserver[0]]
        resolver.port = nameserver[1]
    resolver.lifetime = timeout
    resolver.timeout = timeout
    return resolver


async def lookup(name: str, *, nameserver: tuple[str, int] | None = None, timeout: float = 5.0,
                 types: tuple[str, ...] = DEFAULT_TYPES) -> DnsResult:
    """Ask for every type at once; NXDOMAIN for any type means the name does not exist."""
    name = name.rstrip(".").lower()
    resolver = make_resolver(nameserver, timeout)
    answers = await asyncio.gather(*(_one(resolver, name, rdtype) for rdtype in types))
    records = {rdtype: values for rdtype, (kind, values, _) in zip(types, answers) if kind == "records"}
    kinds = [kind for kind, _, _ in answers]
    details = sorted({detail for _, _, detail in answers if detail})
    if records:
        return DnsResult(name, "resolves", records)
    if "nxdomain" in kinds:
        return DnsResult(name, "nxdomain")
    if "timeout" in kinds:
        return DnsResult(name, "timeout", detail="; ".join(details))
    if "error" in kinds:
        return DnsResult(name, "error", detail="; ".join(details))
    return DnsResult(name, "no_records")


async def _one(resolver: dns.asyncresolver.Resolver, name: str, rdtype: str) -> tuple[str, list[str], str]:
    try:
        answer = await resolver.resolve(name, rdtype, raise_on_no_answer=False)
    except dns.resolver.NXDOMAIN:
        return "nxdomain", [], ""
    except dns.exception.Timeout:
        return "timeout", [], f"{rdtype}: no answer within {resolver.lifetime:g} s"
    except dns.exception.DNSException as exc:   # SERVFAIL, REFUSED, malformed answers
        return "error", [], f"{rdtype}: {type(exc).__name__}: {exc}"[:300]
    if answer.rrset is None:
        return "empty", [], ""
    return "records", sorted(rdata.to_text() for rdata in answer.rrset), ""
