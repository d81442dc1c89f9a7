"""The decommissioned_domain check end to end: registry entry, our WHOIS, DNS and HTTP servers."""
from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from dataclasses import fields
from datetime import datetime, timedelta, timezone

import pytest

from collector import domains
from collector.checks.base import CheckContext, get_check
from collector.demo.dns_server import dns_server
from collector.demo.whois_server import whois_server
from collector.fetch import Fetcher, FetchSettings
from collector.observations import Observation
from collector.periods import Period
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
    assert registered.message == ("已下线网站的域名 lcsd.gov.cn 仍可在中国互联网络信息中心（CNNIC）的 WHOIS 中查到"
                                  "（注册商 北京新网数码信息技术有限公司，到期 2021-03-17），未办理注销")
    assert registered.evidence.location == "中国互联网络信息中心（CNNIC）WHOIS（whois.cnnic.cn）"
    assert registered.evidence.url == "whois://whois.cnnic.cn/lcsd.gov.cn"
    assert registered.evidence.snippet.splitlines()[0] == "Domain Name: lcsd.gov.cn"
    assert "Expiration Time: 2021-03-17 12:48:36" in registered.evidence.snippet
    assert "@" not in registered.evidence.snippet
    assert obs.figures["whois"] == "registered"
    assert obs.figures["whois_server"] == "whois.cnnic.cn:43"
    assert obs.figures["whois_operator"] == "中国互联网络信息中心（CNNIC）"
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
    assert obs.figures["errors"] == ["WHOIS lcda.gov.cn：查询被限流"]
    assert obs.figures["error_details"] == ["whois lcda.gov.cn: rate_limited: Queried interval is too short."]


def test_a_scorecard_says_why_in_words_and_keeps_the_servers_own_words_for_staff(dns_port: int,
                                                                                closed_port: int) -> None:
    """The server's reply line and the transport's English are staff's diagnostics (the public site
    leaves them out: tests/site/test_pages.py); the reason the scorecard gives is in the portal's words."""
    with whois_server({}, rate_limited=["lcda.gov.cn"]) as port:
        point_at(port, dns_port)
        obs = observe(ARCHIVES, f"127.0.0.1:{closed_port}")
    check = get_check("decommissioned_domain")
    assert check.diagnostic_figures == {"whois_detail", "error_details"}
    figures = check.period_figures([obs], PROFILE)
    assert figures["whois_detail"] == "Queried interval is too short."
    assert figures["errors"] == ["WHOIS lcda.gov.cn：查询被限流"]
    assert check.unchecked_reason([obs], PROFILE) == "未能检查：WHOIS lcda.gov.cn：查询被限流 ×1"


def test_errors_written_before_they_were_worded_are_shown_in_words() -> None:
    """Observations already stored say "whois lcda.gov.cn: timeout: …": their scorecards read as new ones do."""
    check = get_check("decommissioned_domain")
    old = Observation(at=AS_OF, entry=ARCHIVES.id, kind="website", check=check.name, outcome="error", figures={
        "whois": "timeout", "errors": ["whois lcda.gov.cn: timeout: no complete reply within 2 s",
                                       "dns www.lcda.gov.cn: error: SERVFAIL from 10.0.0.53",
                                       "whois: no WHOIS server configured for lcda.com.cn"]})
    worded = ["WHOIS lcda.gov.cn：查询超时", "域名解析 www.lcda.gov.cn：查询出错", "WHOIS lcda.com.cn：未配置 WHOIS 服务器"]
    assert check.period_figures([old], PROFILE)["errors"] == worded
    assert check.unchecked_reason([old], PROFILE) == "未能检查：" + "；".join(worded) + " ×1"


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
    assert obs.figures["errors"] == ["域名解析 lcda.gov.cn：查询超时", "域名解析 www.lcda.gov.cn：查询超时"]


def test_a_suffix_without_a_whois_server_is_an_error(dns_port: int, closed_port: int) -> None:
    domains.configure({}, ("127.0.0.1", dns_port), whois_servers={"com": "whois.verisign-grs.com:43"},
                      whois_min_interval_seconds=0)
    obs = observe(ARCHIVES, f"127.0.0.1:{closed_port}")
    assert obs.outcome == "error"
    assert obs.figures["errors"][0] == "WHOIS lcda.gov.cn：未配置 WHOIS 服务器"
    assert obs.figures["error_details"][0] == "whois: no WHOIS server configured for lcda.gov.cn"


# --------------------------------------------------------------------------- several domains, other registries

#: What Verisign's WHOIS answers for a .com domain (thin record format), emails made up.
LCSD_COM_WHOIS = """   Domain Name: LCSD-WATER.COM
   Registry Domain ID: 1234567890_DOMAIN_COM-VRSN
   Registrar WHOIS Server: grs-whois.hichina.com
   Registrar: Alibaba Cloud Computing (Beijing) Co., Ltd.
   Updated Date: 2019-05-02T01:22:33Z
   Creation Date: 2010-05-01T03:04:05Z
   Registry Expiry Date: 2021-05-01T03:04:05Z
   Domain Status: clientTransferProhibited https://icann.org/epp#clientTransferProhibited
   Name Server: DNS1.HICHINA.COM
>>> Last update of whois database: 2020-06-30T01:00:00Z <<<
"""
TWO_DOMAINS = Website(site_code="5309000014", name="临沧市水务局", unit="临沧市水务局", level="市级",
                      site_kind="部门网站", url="http://www.lcsd.gov.cn/", status="下线",
                      domains=("lcsd.gov.cn", "lcsw.cn"))
WITH_COM = Website(site_code="5309000015", name="临沧市水务局", unit="临沧市水务局", level="市级",
                   site_kind="部门网站", url="http://www.lcsd.gov.cn/", status="下线",
                   domains=("lcsd.gov.cn", "lcsd-water.com"))


def test_every_listed_domain_is_asked_about_and_each_finding_names_its_domain(lcsd_whois: str, closed_port: int) -> None:
    lcsw = lcsd_whois.replace("lcsd.gov.cn", "lcsw.cn")
    with whois_server({"lcsd.gov.cn": lcsd_whois, "lcsw.cn": lcsw}) as port, \
            dns_server({"lcsw.cn": {"A": ["10.53.9.21"]}}) as dns:
        point_at(port, dns)
        obs = observe(TWO_DOMAINS, f"127.0.0.1:{closed_port}")
    registered = [f for f in obs.findings if f.code == "domain_still_registered"]
    assert [f.key for f in registered] == ["lcsd.gov.cn", "lcsw.cn"]
    assert all(f.message.startswith(f"已下线网站的域名 {f.key} 仍可在中国互联网络信息中心（CNNIC）的 WHOIS 中查到")
               for f in registered)
    assert registered[1].evidence.url == "whois://whois.cnnic.cn/lcsw.cn"
    assert registered[1].evidence.snippet.splitlines()[0] == "Domain Name: lcsw.cn"
    resolves = [f for f in obs.findings if f.code == "domain_still_resolves"]
    assert [(f.key, f.message) for f in resolves] == [("lcsw.cn", "已下线网站的域名仍能解析：lcsw.cn")]
    assert obs.figures["domain"] == "lcsd.gov.cn"
    assert obs.figures["domains"] == ["lcsd.gov.cn", "lcsw.cn"]
    assert obs.figures["whois_by_domain"] == {"lcsd.gov.cn": "registered", "lcsw.cn": "registered"}
    assert obs.figures["dns"] == {"lcsd.gov.cn": "nxdomain", "www.lcsd.gov.cn": "nxdomain", "lcsw.cn": "resolves"}
    assert obs.outcome == "finding"


def test_one_domain_still_registered_among_cancelled_ones_is_still_a_finding(lcsd_whois: str, dns_port: int,
                                                                             closed_port: int) -> None:
    with whois_server({"lcsw.cn": lcsd_whois.replace("lcsd.gov.cn", "lcsw.cn")}) as port:
        point_at(port, dns_port)
        obs = observe(TWO_DOMAINS, f"127.0.0.1:{closed_port}")
    assert obs.figures["whois"] == "registered"
    assert obs.figures["whois_by_domain"] == {"lcsd.gov.cn": "not_registered", "lcsw.cn": "registered"}
    assert [f.key for f in obs.findings if f.code == "domain_still_registered"] == ["lcsw.cn"]


def test_a_domain_whose_whois_fails_makes_the_observation_an_error_naming_that_domain(
        lcsd_whois: str, dns_port: int, closed_port: int) -> None:
    with whois_server({"lcsd.gov.cn": lcsd_whois}, silent=["lcsw.cn"]) as port:
        point_at(port, dns_port, whois_timeout_seconds=2.0)  # generous: a loaded machine must not time out the answering one
        obs = observe(TWO_DOMAINS, f"127.0.0.1:{closed_port}")
    assert obs.outcome == "error"
    assert obs.figures["whois"] == "registered"
    assert obs.figures["errors"] == ["WHOIS lcsw.cn：查询超时"]
    assert obs.figures["error_details"] == ["whois lcsw.cn: timeout: no complete reply within 2 s"]
    assert [f.key for f in obs.findings if f.code == "domain_still_registered"] == ["lcsd.gov.cn"]


def test_the_evidence_names_the_registry_server_that_answered_not_always_cnnic(
        lcsd_whois: str, dns_port: int, closed_port: int) -> None:
    """With the default servers lcsd.gov.cn is asked at CNNIC's and lcsd-water.com at Verisign's, each
    here a real loopback server."""
    with whois_server({"lcsd.gov.cn": lcsd_whois}) as cnnic, \
            whois_server({"lcsd-water.com": LCSD_COM_WHOIS}) as verisign:
        domains.configure({"whois.cnnic.cn": ("127.0.0.1", cnnic), "whois.verisign-grs.com": ("127.0.0.1", verisign)},
                          ("127.0.0.1", dns_port), whois_min_interval_seconds=0)
        obs = observe(WITH_COM, f"127.0.0.1:{closed_port}")
    registered = {f.key: f for f in obs.findings if f.code == "domain_still_registered"}
    assert set(registered) == {"lcsd.gov.cn", "lcsd-water.com"}
    com = registered["lcsd-water.com"]
    assert com.evidence.url == "whois://whois.verisign-grs.com/lcsd-water.com"
    assert com.evidence.location == "威瑞信（Verisign）WHOIS（whois.verisign-grs.com）"
    assert com.message.startswith("已下线网站的域名 lcsd-water.com 仍可在威瑞信（Verisign）的 WHOIS 中查到")
    assert registered["lcsd.gov.cn"].evidence.location == "中国互联网络信息中心（CNNIC）WHOIS（whois.cnnic.cn）"
    assert obs.figures["whois_server"] == "whois.cnnic.cn:43, whois.verisign-grs.com:43"
    assert obs.figures["whois_operator"] == "中国互联网络信息中心（CNNIC）、威瑞信（Verisign）"


def test_a_server_we_do_not_know_is_named_by_its_host(lcsd_whois: str, dns_port: int, closed_port: int) -> None:
    with whois_server({"lcsd.gov.cn": lcsd_whois}) as port:
        domains.configure({"whois.nic.gov.cn": ("127.0.0.1", port)}, ("127.0.0.1", dns_port),
                          whois_min_interval_seconds=0, whois_servers={"gov.cn": "whois.nic.gov.cn:43"})
        obs = observe(WATER, f"127.0.0.1:{closed_port}")
    registered = next(f for f in obs.findings if f.code == "domain_still_registered")
    assert registered.evidence.location == "WHOIS 服务器 whois.nic.gov.cn"
    assert registered.message.startswith("已下线网站的域名 lcsd.gov.cn 仍可在 WHOIS 服务器 whois.nic.gov.cn 中查到")


# --------------------------------------------------------------------------- offline_since

def test_before_its_offline_date_a_site_is_not_asked_about(closed_port: int) -> None:
    """No WHOIS, DNS or HTTP before the 下线日期: every look-up here would fail on a closed port."""
    point_at(closed_port, closed_port, dns_timeout_seconds=0.2)
    later = Website(**{**_fields(WATER), "offline_since": AS_OF.date() + timedelta(days=1)})
    obs = observe(later, f"127.0.0.1:{closed_port}")
    assert obs.outcome == "ok"
    assert obs.findings == ()
    assert obs.figures == {"offline_since": "2020-07-01", "not_yet_offline": True}


def test_from_its_offline_date_on_the_site_is_checked_and_the_date_is_in_the_figures(
        whois_port: int, dns_port: int, closed_port: int) -> None:
    point_at(whois_port, dns_port)
    that_day = Website(**{**_fields(WATER), "offline_since": AS_OF.date()})
    obs = observe(that_day, f"127.0.0.1:{closed_port}")
    assert obs.outcome == "finding"
    assert obs.figures["offline_since"] == "2020-06-30"
    assert any(f.code == "domain_still_registered" for f in obs.findings)


def test_findings_observed_before_the_offline_date_do_not_count(whois_port: int, dns_port: int,
                                                              closed_port: int) -> None:
    point_at(whois_port, dns_port)
    obs = observe(WATER, f"127.0.0.1:{closed_port}")
    check = get_check("decommissioned_domain")
    since_tomorrow = Website(**{**_fields(WATER), "offline_since": AS_OF.date() + timedelta(days=1)})
    assert check.judge(WATER, [obs], Period(2020, 2), PROFILE)
    assert check.judge(since_tomorrow, [obs], Period(2020, 2), PROFILE) == []


def _fields(site: Website) -> dict:
    return {f.name: getattr(site, f.name) for f in fields(site) if f.init}
