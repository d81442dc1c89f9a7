"""HTTPS 与 IPv6 end to end on loopback: a TLS server with a certificate from a test CA, a plain
server, a server on ::1, and our DNS server answering AAAA questions. No traffic leaves the machine."""
from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import httpx
import pytest
import trustme

from collector import domains
from collector.checks.base import CheckContext, get_check
from collector.checks.https_ipv6 import https_verdict
from collector.demo.dns_server import dns_server
from collector.fetch import Fetcher, FetchResult, FetchSettings
from collector.fetch.resolve import ResolveTransport
from collector.observations import Observation
from collector.profile import Profile, load_profile
from collector.registry import Registry, Website
from loopback import LoopbackSite, Page, serve

AS_OF = datetime(2021, 9, 30, 9, 0, tzinfo=timezone(timedelta(hours=8)))
HOST = "www.v6.gov.cn"
SITE = Website(site_code="5309000001", name="测试市人民政府", unit="测试市人民政府办公室", level="市级",
               site_kind="政府门户网站", url=f"http://{HOST}/")
REGISTRY = Registry(office="测试市人民政府办公室", region="测试市", websites=(SITE,))
DEDUCTING = Profile("adopted", "tests/https_ipv6", {"checks": {"https_ipv6": {"indicator": "HTTPS 与 IPv6",
                                                                              "severity": "deduction"}}})
HOME = Page("<html><body><p>测试市人民政府</p></body></html>")


def ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False


needs_ipv6 = pytest.mark.skipif(not ipv6_loopback(), reason="this machine has no IPv6 loopback (::1)")


@pytest.fixture(autouse=True)
def dns_back_to_default() -> Iterator[None]:
    yield
    domains.reset()


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def tls_site(ca) -> Iterator[LoopbackSite]:
    """HTTPS on 127.0.0.1 with a certificate for the host (and the loopback address the
    --resolve mapping connects to, which is the name TLS checks)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(HOST, "127.0.0.1").configure_cert(context)
    site = LoopbackSite()
    site.add(HOST, "/", HOME)
    with serve(site, ssl_context=context):
        yield site


@pytest.fixture
def plain_site() -> Iterator[LoopbackSite]:
    site = LoopbackSite()
    site.add(HOST, "/", HOME)
    with serve(site):
        yield site


@pytest.fixture
def v6_site() -> Iterator[LoopbackSite]:
    if not ipv6_loopback():
        pytest.skip("this machine has no IPv6 loopback (::1)")
    site = LoopbackSite()
    site.add("[::1]", "/", HOME)
    site.add("::1", "/", HOME)
    with serve(site, host="::1"):
        yield site


class ByScheme(httpx.AsyncBaseTransport):
    """http:// and https:// to different loopback ports (a real site has both on one host)."""

    def __init__(self, by_scheme: dict[str, httpx.AsyncBaseTransport]):
        self.by_scheme = by_scheme

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self.by_scheme[request.url.scheme].handle_async_request(request)

    async def aclose(self) -> None:
        for transport in self.by_scheme.values():
            await transport.aclose()


def observe(profile: Profile, http_port: int, https_port: int, trust: trustme.CA | None,
            allow_private: bool = True, entry: Website = SITE) -> Observation:
    """The check as a round runs it, trusting the test CA in this fetcher only."""
    client = ssl.create_default_context()
    if trust is not None:
        trust.configure_trust(client)
    transport = ByScheme({
        "http": ResolveTransport(httpx.AsyncHTTPTransport(trust_env=False), {"*.gov.cn": f"127.0.0.1:{http_port}"}),
        "https": ResolveTransport(httpx.AsyncHTTPTransport(verify=client, trust_env=False),
                                  {"*.gov.cn": f"127.0.0.1:{https_port}"}),
    })

    async def run() -> Observation:
        settings = FetchSettings(allow_private_addresses=allow_private, retries=0, timeout_seconds=5)
        async with Fetcher(settings, transport=transport) as fetcher:
            ctx = CheckContext(as_of=AS_OF, profile=profile, registry=REGISTRY, fetcher=fetcher)
            return await get_check("https_ipv6").observe(entry, ctx)
    return asyncio.run(run())


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def codes(observation: Observation) -> list[tuple[str, str]]:
    return [(f.code, f.severity) for f in observation.findings]


# --------------------------------------------------------------------------- declarations and profiles

def test_it_runs_only_where_a_profile_adopts_it():
    check = get_check("https_ipv6")
    assert not check.enabled(load_profile())  # the 2019 indicators (and the demo quarter) leave it out
    assert check.enabled(load_profile(load_profile().source.replace("default", "strict-example")))
    assert check.enabled(DEDUCTING) and check.applies(SITE)


# --------------------------------------------------------------------------- HTTPS

@needs_ipv6
def test_a_site_on_https_with_a_trusted_certificate_and_ipv6_has_no_finding(ca, tls_site, plain_site, v6_site):
    site = Website(**{**SITE.__dict__, "url": f"http://{HOST}:{v6_site.port}/"})  # the IPv6 request keeps the port
    with dns_server({HOST: {"AAAA": ["::1"]}}) as dns_port:
        domains.configure({}, ("127.0.0.1", dns_port))
        observation = observe(DEDUCTING, plain_site.port, tls_site.port, ca, entry=site)
    assert observation.outcome == "ok" and observation.findings == ()
    assert observation.figures["https_available"] is True and observation.figures["https_status"] == 200
    assert observation.figures["ipv6_aaaa"] is True and observation.figures["ipv6_answers"] is True
    assert observation.figures["ipv6_addresses"] == ["::1"]
    assert ("GET", HOST, "/") in tls_site.hits and v6_site.hits  # really asked over TLS and over ::1


def test_a_certificate_the_fetcher_does_not_trust_is_a_finding(tls_site, plain_site):
    profile = Profile("https only", "t", {"checks": {"https_ipv6": {"severity": "deduction", "check_ipv6": False}}})
    observation = observe(profile, plain_site.port, tls_site.port, trust=None)  # the test CA is not trusted
    assert codes(observation) == [("https_certificate_invalid", "deduction")]
    assert observation.figures["https_available"] is False and "https_error" in observation.figures


def test_no_https_answer_is_a_finding_with_the_declared_default_severity(plain_site):
    profile = Profile("https only", "t", {"checks": {"https_ipv6": {"check_ipv6": False}}})
    observation = observe(profile, plain_site.port, closed_port(), trust=None)
    assert codes(observation) == [("https_unavailable", "info")]  # no severity in the profile: the code's default
    assert observation.findings[0].evidence.url == SITE.url


def test_an_https_port_that_speaks_no_tls_is_no_https_not_a_certificate_problem(plain_site):
    profile = Profile("https only", "t", {"checks": {"https_ipv6": {"check_ipv6": False}}})
    observation = observe(profile, plain_site.port, plain_site.port, trust=None)  # plain HTTP where TLS is due
    assert codes(observation) == [("https_unavailable", "info")]
    assert observation.figures["https_error"].startswith("tls: ")


def test_the_certificate_is_judged_by_the_fetchers_kind_not_by_words_in_a_connection_error():
    refused = FetchResult("https://x/", "https://x/", None, error="connect",
                          error_detail="ConnectError: certificate server went away")
    assert https_verdict(refused, home_answered=True).problem[0] == "https_unavailable"


def test_an_error_status_over_https_is_a_finding(ca, plain_site):
    site = LoopbackSite()
    site.add(HOST, "/", Page("维护中", status=503))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(HOST, "127.0.0.1").configure_cert(context)
    profile = Profile("https only", "t", {"checks": {"https_ipv6": {"check_ipv6": False}}})
    with serve(site, ssl_context=context):
        observation = observe(profile, plain_site.port, site.port, ca)
    assert codes(observation) == [("https_error_status", "info")] and observation.figures["https_status"] == 503


def test_https_is_not_judged_when_the_site_itself_is_down():
    profile = Profile("https only", "t", {"checks": {"https_ipv6": {"check_ipv6": False}}})
    observation = observe(profile, closed_port(), closed_port(), trust=None)
    assert observation.outcome == "error" and observation.findings == ()
    assert "网站本轮无法访问" in observation.figures["error"]


def test_a_blocked_https_answer_decides_nothing():
    verdict = https_verdict(FetchResult("https://x/", "https://x/", 429, error="blocked", error_detail="HTTP 429"),
                            home_answered=True)
    assert verdict.problem is None and verdict.not_checked == "HTTPS：HTTP 429"


# --------------------------------------------------------------------------- IPv6

def test_no_aaaa_record_is_a_finding(ca, tls_site, plain_site):
    with dns_server({HOST: {"A": ["127.0.0.1"]}}) as dns_port:
        domains.configure({}, ("127.0.0.1", dns_port))
        observation = observe(DEDUCTING, plain_site.port, tls_site.port, ca)
    assert codes(observation) == [("ipv6_no_aaaa", "deduction")] and observation.figures["ipv6_aaaa"] is False


@needs_ipv6
def test_an_ipv6_address_that_does_not_answer_is_a_finding(ca, tls_site, plain_site):
    with socket.socket(socket.AF_INET6) as probe:
        probe.bind(("::1", 0))
        port = probe.getsockname()[1]  # closed once the block ends
    site = Website(**{**SITE.__dict__, "url": f"http://{HOST}:{port}/"})  # the IPv6 request keeps the port
    with dns_server({HOST: {"AAAA": ["::1"]}}) as dns_port:
        domains.configure({}, ("127.0.0.1", dns_port))
        observation = observe(DEDUCTING, plain_site.port, tls_site.port, ca, entry=site)
    assert codes(observation) == [("ipv6_unreachable", "deduction")] and observation.figures["ipv6_answers"] is False


def test_dns_that_does_not_answer_is_could_not_check_not_a_finding(ca, tls_site, plain_site):
    profile = Profile("ipv6 only", "t", {"checks": {"https_ipv6": {"check_https": False}}})
    with dns_server({}, silent=[HOST]) as dns_port:
        domains.configure({}, ("127.0.0.1", dns_port), dns_timeout_seconds=0.5)
        observation = observe(profile, plain_site.port, tls_site.port, ca)
    assert observation.outcome == "error" and observation.findings == ()
    assert observation.figures["error"].startswith("IPv6：域名解析无应答（timeout")


def test_an_aaaa_record_pointing_at_a_non_public_address_is_refused_before_any_connection(ca, tls_site, plain_site,
                                                                                          v6_site):
    """With private addresses refused (as in production), ::1 is never connected to: the address
    alone shows the public cannot reach the site over IPv6."""
    with dns_server({HOST: {"AAAA": ["::1"]}}) as dns_port:
        domains.configure({}, ("127.0.0.1", dns_port))
        site = Website(**{**SITE.__dict__, "url": f"http://{HOST}:{v6_site.port}/"})
        observation = observe(DEDUCTING, plain_site.port, tls_site.port, ca, allow_private=False, entry=site)
    assert v6_site.hits == []  # refused before a connection was opened
    assert codes(observation) == [("ipv6_unreachable", "deduction")]
    assert "不是公网地址" in observation.findings[0].message


@needs_ipv6
def test_the_ipv6_request_goes_to_the_address_with_the_registered_port(ca, tls_site, plain_site, v6_site):
    site = Website(**{**SITE.__dict__, "url": f"http://{HOST}:{v6_site.port}/"})
    profile = Profile("ipv6 only", "t", {"checks": {"https_ipv6": {"check_https": False}}})
    with dns_server({HOST: {"AAAA": ["::1"]}}) as dns_port:
        domains.configure({}, ("127.0.0.1", dns_port))
        observation = observe(profile, plain_site.port, tls_site.port, ca, entry=site)
    assert observation.outcome == "ok" and observation.figures["ipv6_answers"] is True
    assert observation.figures["ipv6_address"] == "::1" and len(v6_site.hits) == 1


def test_a_round_runs_it_only_under_a_profile_that_adopts_it(plain_site, tls_site):
    from collector.rounds import run_round

    async def round_under(profile: Profile) -> list[Observation]:
        settings = FetchSettings(allow_private_addresses=True, retries=0, timeout_seconds=5,
                                 resolve={"*.gov.cn": f"127.0.0.1:{plain_site.port}"})
        async with Fetcher(settings) as fetcher:
            return await run_round(REGISTRY, AS_OF, profile, fetcher, [get_check("https_ipv6")])

    with dns_server({HOST: {"A": ["127.0.0.1"]}}) as dns_port:
        domains.configure({}, ("127.0.0.1", dns_port))
        assert asyncio.run(round_under(load_profile())) == []
        [observation] = asyncio.run(round_under(DEDUCTING))
    assert observation.check == "https_ipv6" and observation.entry == SITE.id
