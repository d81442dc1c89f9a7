"""The decommissioned_domain check end to end: registry entry, our WHOIS, DNS and HTTP servers."""
from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest

from collector import domains
from collector.checks.base import CheckContext, get_check
from collector.demo.dns_server import dns_server
from collector.demo.whois_server import whois_server
from collector.fetch import Fetcher, FetchSettings
from collector.observations import Observation
from collector.profile import Profile
from collector.registry import Registry, Website
from loopback import LoopbackSite, Page

AS_OF = datetime(2020, 6, 30, 9, 0, tzinfo=timezone(timedelta(hours=8)))
PROFILE = Profile(name="test", source="tests/domains", raw={"checks": {"decommissioned_domain": {
    "indicator": "应注销未注销已下线网站域名", "severity": "deduction"}}})
WATER = Website(site_code="5309000012", name="临沧市水务局", unit="临沧市水务局", level="市级",
                site_kind="部门网站", url="http://www.lcsd.gov.cn/", status="下线")
ARCHIVES = Website(site_code="5309000013", name="临沧市档案局", unit="临沧市档案局", level="市级",
                   site_kind="部门网站", url="http://www.lcda.gov.cn/", status="下线")
PORTAL = Website(site_code="5309000001", name="临沧市人民政府", unit="临沧市人民政府办公室", level="市级",
                 site_kind="政府门户网站", url="http://www.lincang.gov.cn/")
REGISTRY = Registry(office="临沧市人民政府办公室", region="临沧市", websites=(PORTAL, WATER, ARCHIVES))
OLD_FOOTER = """<html><body><p>欢迎访问临沧市水务局</p>
<div class="footer">主办：临沧市水务局 网站标识码：5309000012 <a href="#">滇ICP备 05001234 号-1</a></div></body></html>"""


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def whois_port(lcsd_whois: str) -> Iterator[int]:
    """CNNIC still has lcsd.gov.cn (problem 五 of the circular); lcda.gov.cn has been cancelled."""
    with whois_server({"lcsd.gov.cn": lcsd_whois}) as port:
        yield port


@pytest.fixture
def dns_port() -> Iterator[int]:
    with dns_server({"lcsd.gov.cn": {"NS": ["dns1.xinnet.cn."]}, "www.lcsd.gov.cn": {"A": ["10.53.9.20"]}}) as port:
        yield port


def point_at(whois_port: int, dns_port: int, **options: float) -> None:
    """Send WHOIS and DNS to our loopback servers; no pause between WHOIS questions in tests."""
    domains.configure({"whois.cnnic.cn": ("127.0.0.1", whois_port)}, ("127.0.0.1", dns_port),
                      whois_min_interval_seconds=0, **options)


def observe(site: Website, http_resolve: str) -> Observation:
    async def run() -> Observation:
        async with Fetcher(FetchSettings(allow_private_addresses=True, resolve={"*": http_resolve}, retries=0, timeout_seconds=5)) as fetcher:
            ctx = CheckContext(as_of=AS_OF, profile=PROFILE, registry=REGISTRY, fetcher=fetcher)
            return await get_check("decommissioned_domain").observe(site, ctx)
    return asyncio.run(run())


def test_the_check_takes_only_decommissioned_websites() -> None:
    check = get_check("decommissioned_domain")
    assert check.indicator == "应注销未注销已下线网站域名"
    assert check.applies(WATER) and check.applies(ARCHIVES)
    assert not check.applies(PORTAL)


def test_a_domain_still_in_cnnic_whois_is_a_finding_with_the_whois_lines(whois_port: int, dns_port: int,
                                                                           closed_port: int) -> None:
    point_at(whois_port, dns_port)
    obs = observe(WATER, f"127.0.0.1:{closed_port}")
    assert obs.outcome == "finding"
    registered = next(f for f in obs.findings if f.code == "domain_still_registered")
    assert registered.indicator == "应注销未注销已下线网站域名"
    assert registered.severity == "deduction"
    assert registered.key == "lcsd.gov.cn"
    assert registered.message == ("已下线网站的域名 lcsd.gov.cn 仍在 CNNIC WHOIS 中可查"
                                  "（注册商 北京新网数码信息技术有限公司，到期 2021-03-17），未办理注销")
    assert registered.evidence.location == "CNNIC WHOIS"
    assert registered.evidence.snippet.splitlines()[0] == "Domain Name: lcsd.gov.cn"
    assert "Expiration Time: 2021-03-17 12:48:36" in registered.evidence.snippet
    assert "@" not in registered.evidence.snippet
    assert obs.figures["whois"] == "registered"
    assert obs.figures["expiration_time"] == "2021-03-17T12:48:36"
    assert Observation.from_json(obs.to_json()) == obs


def test_a_domain_and_host_that_still_resolve_are_a_finding_with_the_records(whois_port: int, dns_port: int,
                                                                              closed_port: int) -> None:
    point_at(whois_port, dns_port)
    obs = observe(WATER, f"127.0.0.1:{closed_port}")
    resolves = next(f for f in obs.findings if f.code == "domain_still_resolves")
    assert resolves.message == "已下线网站的域名仍能解析：lcsd.gov.cn、www.lcsd.gov.cn"
    assert resolves.evidence.snippet == "lcsd.gov.cn. NS dns1.xinnet.cn.\nwww.lcsd.gov.cn. A 10.53.9.20"
    assert obs.figures["dns"] == {"lcsd.gov.cn": "resolves", "www.lcsd.gov.cn": "resolves"}


def test_a_site_that_still_answers_is_a_finding_that_names_the_marks_in_its_footer(
        whois_port: int, dns_port: int, loopback: LoopbackSite) -> None:
    loopback.add("www.lcsd.gov.cn", "/", Page(OLD_FOOTER))
    point_at(whois_port, dns_port)
    obs = observe(WATER, f"127.0.0.1:{loopback.port}")
    online = next(f for f in obs.findings if f.code == "site_still_online")
    assert online.message == "已下线网站仍能访问（HTTP 200），页面仍显示 ICP 备案编号、网站标识码，应一并注销"
    assert online.evidence.snippet == "ICP 备案编号：滇ICP备05001234号-1\n网站标识码：5309000012"
    assert obs.figures["footer_icp"] == "滇ICP备05001234号-1"
    assert obs.figures["footer_site_code"] == "5309000012"


def test_a_cancelled_domain_with_no_dns_and_no_site_passes(whois_port: int, dns_port: int, closed_port: int) -> None:
    point_at(whois_port, dns_port)
    obs = observe(ARCHIVES, f"127.0.0.1:{closed_port}")
    assert obs.outcome == "ok"
    assert obs.findings == ()
    assert obs.figures["whois"] == "not_registered"
    assert obs.figures["dns"] == {"lcda.gov.cn": "nxdomain", "www.lcda.gov.cn": "nxdomain"}
    assert obs.figures["http_status"] is None


def test_a_whois_error_is_an_error_with_its_reason_never_a_pass(dns_port: int, closed_port: int) -> None:
    with whois_server({}, rate_limited=["lcda.gov.cn"]) as port:
        point_at(port, dns_port)
        obs = observe(ARCHIVES, f"127.0.0.1:{closed_port}")
    assert obs.outcome == "error"
    assert obs.figures["whois"] == "rate_limited"
    assert obs.figures["errors"] == ["whois: rate_limited: Queried interval is too short."]


def test_an_unreachable_whois_server_is_an_error(dns_port: int, closed_port: int) -> None:
    point_at(closed_port, dns_port)
    obs = observe(ARCHIVES, f"127.0.0.1:{closed_port}")
    assert obs.outcome == "error"
    assert obs.figures["whois"] == "connection_error"


def test_a_dns_server_that_never_answers_is_an_error(whois_port: int, closed_port: int) -> None:
    with dns_server({}, silent=["lcda.gov.cn", "www.lcda.gov.cn"]) as port:
        point_at(whois_port, port, dns_timeout_seconds=0.2)
        obs = observe(ARCHIVES, f"127.0.0.1:{closed_port}")
    assert obs.outcome == "error"
    assert obs.figures["dns"] == {"lcda.gov.cn": "timeout", "www.lcda.gov.cn": "timeout"}


def test_a_suffix_without_a_whois_server_is_an_error(dns_port: int, closed_port: int) -> None:
    domains.configure({}, ("127.0.0.1", dns_port), whois_servers={"com": "whois.verisign-grs.com:43"},
                      whois_min_interval_seconds=0)
    obs = observe(ARCHIVES, f"127.0.0.1:{closed_port}")
    assert obs.outcome == "error"
    assert obs.figures["errors"][0] == "whois: no WHOIS server configured for lcda.gov.cn"
