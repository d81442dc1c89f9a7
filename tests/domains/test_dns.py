"""Name look-ups against our real loopback DNS server (UDP, dnspython on both sides)."""
from __future__ import annotations

import asyncio

from collector.demo.dns_server import dns_server
from collector.domains.dns import DnsResult, lookup

ZONE = {
    "lcsd.gov.cn": {"A": ["10.53.9.20"], "NS": ["dns1.xinnet.cn.", "dns2.xinnet.cn."]},
    "www.lcsd.gov.cn": {"CNAME": ["lcsd.gov.cn."]},
    "parked.gov.cn": {},
}


def resolve(port: int, name: str, timeout: float = 5.0) -> DnsResult:
    return asyncio.run(lookup(name, nameserver=("127.0.0.1", port), timeout=timeout))


def test_a_name_that_still_resolves_gives_its_records_by_type() -> None:
    with dns_server(ZONE) as port:
        result = resolve(port, "lcsd.gov.cn")
    assert result.outcome == "resolves"
    assert result.records == {"A": ["10.53.9.20"], "NS": ["dns1.xinnet.cn.", "dns2.xinnet.cn."]}
    assert result.record_lines() == ["lcsd.gov.cn. A 10.53.9.20", "lcsd.gov.cn. NS dns1.xinnet.cn.",
                                     "lcsd.gov.cn. NS dns2.xinnet.cn."]


def test_a_cname_counts_as_resolving() -> None:
    with dns_server(ZONE) as port:
        result = resolve(port, "www.lcsd.gov.cn")
    assert result.outcome == "resolves"
    assert result.records["CNAME"] == ["lcsd.gov.cn."]


def test_a_cancelled_name_is_nxdomain() -> None:
    with dns_server(ZONE) as port:
        result = resolve(port, "lcda.gov.cn")
    assert result.outcome == "nxdomain"
    assert not result.failed


def test_a_name_that_exists_without_records_is_noerror_empty_not_nxdomain() -> None:
    with dns_server(ZONE) as port:
        assert resolve(port, "parked.gov.cn").outcome == "no_records"


def test_a_nameserver_that_never_answers_is_a_timeout() -> None:
    with dns_server(ZONE, silent=["lcsd.gov.cn"]) as port:
        result = resolve(port, "lcsd.gov.cn", timeout=0.2)
    assert result.outcome == "timeout"
    assert result.failed
