"""The fetcher against a real loopback server: charset, retries, redirects, size cap, --resolve."""
from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from collector.fetch import Fetcher, FetchSettings
from collector.fetch.charset import decode_html
from loopback import Page

REALDATA = Path(__file__).resolve().parents[3] / "shared" / "realdata" / "gne-pages"


def fetch(site, url: str, **settings) -> object:
    async def go():
        async with Fetcher(FetchSettings(allow_private_addresses=True, resolve=site.resolve, backoff_seconds=0.01, **settings)) as fetcher:
            return await fetcher.get(url)
    return asyncio.run(go())


@pytest.mark.parametrize("transport", ["curl", "aiohttp", "httpx"])
def test_any_host_name_reaches_the_loopback_server_with_its_host_header(loopback, transport):
    loopback.add("www.lincang.gov.cn", "/", Page("<title>临沧</title>"))
    result = fetch(loopback, "http://www.lincang.gov.cn/", transport=transport)
    assert result.status == 200 and "临沧" in result.text
    assert loopback.hits == [("GET", "www.lincang.gov.cn", "/")]


def test_a_gbk_page_declared_only_in_meta_is_decoded(loopback):
    html = '<html><head><meta charset="gb2312"></head><body>临沧市人民政府 畬族</body></html>'
    loopback.add("a.gov.cn", "/", Page(html.encode("gb18030"), content_type="text/html"))
    result = fetch(loopback, "http://a.gov.cn/")
    assert "临沧市人民政府 畬族" in result.text and result.encoding == "gb18030"


def test_a_page_that_declares_gb2312_but_is_utf8_is_read_as_utf8():
    html = '<meta charset="gb2312"><p>政务公开</p>'.encode("utf-8")
    assert decode_html(html, "text/html; charset=gb2312")[0].endswith("<p>政务公开</p>")


@pytest.mark.parametrize("name", ["people_1.gbk-reencoded.html", "163_9.gbk-reencoded.html", "people_1.html"])
def test_real_pages_decode_without_replacement_characters(name):
    path = REALDATA / name
    if not path.exists():
        pytest.skip("shared/realdata not present")
    text, _ = decode_html(path.read_bytes(), None)
    assert "\ufffd" not in text


def test_transient_errors_are_retried_with_backoff(loopback):
    answers = iter([Page("busy", status=503), Page("busy", status=503), Page("ok")])
    loopback.add("a.gov.cn", "/", lambda request: next(answers))
    result = fetch(loopback, "http://a.gov.cn/", retries=2)
    assert result.status == 200 and result.attempts == 3


def test_a_client_error_is_not_retried(loopback):
    loopback.add("a.gov.cn", "/", Page("gone", status=404))
    result = fetch(loopback, "http://a.gov.cn/", retries=2)
    assert result.status == 404 and result.attempts == 1


def test_redirects_are_followed_up_to_the_limit(loopback):
    for i in range(8):
        loopback.add("a.gov.cn", f"/r{i}", Page("", status=302, headers={"Location": f"/r{i + 1}"}))
    loopback.add("a.gov.cn", "/r2", Page("arrived"))
    assert fetch(loopback, "http://a.gov.cn/r0").text == "arrived"
    loopback.add("a.gov.cn", "/r2", Page("", status=302, headers={"Location": "/r3"}))
    result = fetch(loopback, "http://a.gov.cn/r0", max_redirects=5)
    assert result.error == "too_many_redirects"


def test_a_response_larger_than_the_cap_is_refused(loopback):
    loopback.add("a.gov.cn", "/big", Page(b"x" * 50_000))
    result = fetch(loopback, "http://a.gov.cn/big", max_bytes=10_000)
    assert result.error == "too_large" and result.content == b""


def test_a_slow_answer_is_a_timeout(loopback):
    loopback.add("a.gov.cn", "/slow", Page("late", delay=1.0))
    result = fetch(loopback, "http://a.gov.cn/slow", timeout_seconds=0.2, retries=0)
    assert result.error == "timeout"


def test_a_closed_port_is_a_connect_error():
    async def go():
        async with Fetcher(FetchSettings(allow_private_addresses=True, resolve={"*": "127.0.0.1:9"}, retries=0)) as fetcher:
            return await fetcher.get("http://www.lcsd.gov.cn/")
    assert asyncio.run(go()).error == "connect"


@pytest.mark.parametrize("spec", ["*=127.0.0.1:", "*=127.0.0.1", "=127.0.0.1:80", "*=127.0.0.1:99999", "nonsense"])
def test_a_malformed_resolve_spec_is_refused_up_front(spec):
    from collector.fetch import parse_resolve
    with pytest.raises(ValueError, match="expected HOST_PATTERN=IP:PORT"):
        parse_resolve([spec])


def test_a_connection_dropped_without_an_answer_is_a_connect_error_not_a_timeout():
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    def drop() -> None:
        for _ in range(2):
            connection, _ = server.accept()
            connection.recv(1024)
            connection.close()
    threading.Thread(target=drop, daemon=True).start()

    async def go():
        async with Fetcher(FetchSettings(allow_private_addresses=True, resolve={"*": f"127.0.0.1:{server.getsockname()[1]}"}, retries=0)) as fetcher:
            return await fetcher.get("http://www.lcsd.gov.cn/")
    try:
        assert asyncio.run(go()).error == "connect"
    finally:
        server.close()


# --- non-public addresses are refused before any connection is opened ---------------------------

import gzip
import socket
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

import aiohttp
import httpx
from aiohttp.abc import AbstractResolver
from httpx_aiohttp import AiohttpTransport

from collector.fetch.addresses import AddressRefused
from collector.fetch.encoding import TooLarge, Undecodable, decode_body
from collector.fetch.guard import AddressPolicy, GuardedBackend, GuardedResolver, GuardTransport
from loopback import counting_listener, socket_server


def get_with(settings: FetchSettings, url: str, transport: httpx.AsyncBaseTransport | None = None):
    async def go():
        async with Fetcher(settings, transport=transport) as fetcher:
            return await fetcher.get(url)
    return asyncio.run(go())


@pytest.mark.parametrize("transport", ["curl", "aiohttp", "httpx"])
def test_a_host_sent_to_loopback_by_resolve_is_refused_without_connecting(transport):
    with counting_listener() as listener:
        result = get_with(FetchSettings(resolve={"*": f"127.0.0.1:{listener.port}"}, transport=transport),
                          "http://www.lincang.gov.cn/")
        assert result.error == "refused_address" and result.status is None
        assert "www.lincang.gov.cn" in result.error_detail and "loopback" in result.error_detail
        assert listener.accepted == 0


@pytest.mark.parametrize("transport", ["curl", "aiohttp", "httpx"])
@pytest.mark.parametrize("host", ["127.0.0.1", "[::ffff:127.0.0.1]", "localhost", "2130706433", "0177.0.0.1", "127.1"])
def test_a_literal_loopback_url_in_any_spelling_is_refused_without_connecting(transport, host):
    with counting_listener() as listener:
        result = get_with(FetchSettings(transport=transport), f"http://{host}:{listener.port}/")
        assert result.error == "refused_address"
        assert listener.accepted == 0


@pytest.mark.parametrize("transport", ["curl", "aiohttp", "httpx"])
def test_the_flag_allows_loopback(transport):
    with counting_listener() as listener:
        result = get_with(FetchSettings(transport=transport, allow_private_addresses=True),
                          f"http://127.0.0.1:{listener.port}/")
        assert result.status == 200 and listener.accepted == 1


def test_a_redirect_to_a_private_address_is_refused_at_that_hop(loopback):
    loopback.add("a.gov.cn", "/", Page("", status=302, headers={"Location": "http://192.168.1.1/admin"}))
    result = fetch_allowing_only_loopback(loopback, "http://a.gov.cn/")
    assert result.error == "refused_address" and "192.168.1.1" in result.error_detail
    assert loopback.hits == [("GET", "a.gov.cn", "/")]


def fetch_allowing_only_loopback(site, url: str):
    return get_with(FetchSettings(resolve=site.resolve, allowed_private_networks=("127.0.0.1/32",)), url)


class RebindingResolver(AbstractResolver):
    """A name server that answers every name with loopback (what a rebinding attacker's server does).

    Stands in for DNS: the system resolver cannot be pointed at a test server."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    async def resolve(self, host, port=0, family=socket.AF_INET):
        self.asked.append(host)
        return [{"hostname": host, "host": "127.0.0.1", "port": port, "family": socket.AF_INET, "proto": 0, "flags": 0}]

    async def close(self) -> None:
        pass


def guarded_aiohttp(policy: AddressPolicy, resolver: AbstractResolver) -> httpx.AsyncBaseTransport:
    transport = AiohttpTransport(trust_env=False)
    transport.client = lambda: aiohttp.ClientSession(  # type: ignore[assignment]
        connector=aiohttp.TCPConnector(resolver=GuardedResolver(policy, inner=resolver)))
    return GuardTransport(transport, policy)


def test_a_name_is_checked_on_the_address_it_resolves_to_when_connecting_aiohttp():
    """DNS rebinding: the name looks public; its answer is loopback; nothing is dialled."""
    with counting_listener() as listener:
        resolver = RebindingResolver()
        result = get_with(FetchSettings(), f"http://rebind.gov.cn:{listener.port}/",
                          transport=guarded_aiohttp(AddressPolicy(), resolver))
        assert result.error == "refused_address" and "resolves to a loopback address" in result.error_detail
        assert resolver.asked == ["rebind.gov.cn"] and listener.accepted == 0


def test_the_address_a_name_resolved_to_is_the_one_dialled_aiohttp():
    with counting_listener() as listener:
        result = get_with(FetchSettings(), f"http://rebind.gov.cn:{listener.port}/",
                          transport=guarded_aiohttp(AddressPolicy(["127.0.0.1/32"]), RebindingResolver()))
        assert result.status == 200 and listener.accepted == 1


class RebindingBackend(GuardedBackend):
    async def resolve(self, host: str, port: int) -> list[str]:
        return ["127.0.0.1"]


def guarded_httpx(policy: AddressPolicy) -> httpx.AsyncBaseTransport:
    transport = httpx.AsyncHTTPTransport(trust_env=False)
    transport._pool._network_backend = RebindingBackend(policy)  # type: ignore[attr-defined]
    return GuardTransport(transport, policy)


def test_a_name_is_checked_on_the_address_it_resolves_to_when_connecting_httpx():
    with counting_listener() as listener:
        result = get_with(FetchSettings(transport="httpx"), f"http://rebind.gov.cn:{listener.port}/",
                          transport=guarded_httpx(AddressPolicy()))
        assert result.error == "refused_address" and listener.accepted == 0
        allowed = get_with(FetchSettings(transport="httpx"), f"http://rebind.gov.cn:{listener.port}/",
                           transport=guarded_httpx(AddressPolicy(["127.0.0.1/32"])))
        assert allowed.status == 200 and listener.accepted == 1


def test_the_default_transports_carry_the_guard():
    from collector.fetch.client import make_transport

    aio = make_transport(FetchSettings())
    assert isinstance(aio, GuardTransport)
    session = None

    async def build():
        nonlocal session
        session = aio.inner.client()  # type: ignore[attr-defined]
        resolver = session.connector._resolver
        await session.close()
        return resolver
    assert isinstance(asyncio.run(build()), GuardedResolver)
    plain = make_transport(FetchSettings(transport="httpx"))
    assert isinstance(plain.inner._pool._network_backend, GuardedBackend)  # type: ignore[attr-defined]
    assert not isinstance(make_transport(FetchSettings(allow_private_addresses=True)), GuardTransport)


# --- the overall deadline ------------------------------------------------------------------------

@contextmanager
def trickling_server(head: bytes, drip: bytes, every: float) -> Iterator[int]:
    """Sends `head`, then `drip` every `every` seconds: each read is quick, the answer never completes."""
    def drip_to(connection: socket.socket) -> None:
        connection.recv(4096)
        connection.sendall(head)
        for _ in range(200):
            time.sleep(every)
            connection.sendall(drip)

    with socket_server(drip_to) as port:
        yield port


@pytest.mark.parametrize("transport", ["curl", "aiohttp", "httpx"])
def test_a_body_trickled_faster_than_the_read_timeout_still_ends_at_the_deadline(transport):
    with trickling_server(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n", b"x" * 10, 0.05) as port:
        started = time.perf_counter()
        result = get_with(FetchSettings(resolve={"*": f"127.0.0.1:{port}"}, allow_private_addresses=True,
                                        transport=transport, timeout_seconds=0.6, retries=0), "http://a.gov.cn/")
        seconds = time.perf_counter() - started
    assert result.error == "timeout" and "reading the body" in result.error_detail
    assert seconds < 3  # the deadline is 0.6 s; without it the trickle would last 10 s


@pytest.mark.parametrize("transport", ["curl", "aiohttp", "httpx"])
def test_headers_trickled_a_byte_at_a_time_end_at_the_deadline(transport):
    with trickling_server(b"HTTP/1.1 200 OK\r\n", b"X", 0.05) as port:
        result = get_with(FetchSettings(resolve={"*": f"127.0.0.1:{port}"}, allow_private_addresses=True,
                                        transport=transport, timeout_seconds=0.6, retries=0), "http://a.gov.cn/")
    assert result.error == "timeout" and "waiting for the headers" in result.error_detail


def test_a_body_shorter_than_its_content_length_is_truncated():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    def short() -> None:
        connection, _ = server.accept()
        connection.recv(4096)
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n" + b"x" * 100)
        connection.close()
    threading.Thread(target=short, daemon=True).start()
    try:
        result = get_with(FetchSettings(resolve={"*": f"127.0.0.1:{server.getsockname()[1]}"},
                                        allow_private_addresses=True, retries=0), "http://a.gov.cn/")
    finally:
        server.close()
    assert result.error == "truncated" and "100 bytes" in result.error_detail


# --- compressed bodies ---------------------------------------------------------------------------

def test_a_gzip_page_is_decoded(loopback):
    loopback.add("a.gov.cn", "/", Page(gzip.compress("<p>政务公开</p>".encode()), headers={"Content-Encoding": "gzip"}))
    result = fetch(loopback, "http://a.gov.cn/")
    assert result.ok and result.text == "<p>政务公开</p>"


def test_a_gzip_bomb_is_too_large_not_a_memory_blow_up(loopback):
    bomb = gzip.compress(b"\0" * (20 * 1024 * 1024), 9)  # 20 KB on the wire
    loopback.add("a.gov.cn", "/", Page(bomb, headers={"Content-Encoding": "gzip"}))
    result = fetch(loopback, "http://a.gov.cn/", max_bytes=1024 * 1024)
    assert result.error == "too_large" and result.content == b"" and "inflates" in result.error_detail


def test_an_encoding_we_never_asked_for_is_a_protocol_error(loopback):
    loopback.add("a.gov.cn", "/", Page(b"\x1b\x00\x00", headers={"Content-Encoding": "br"}))
    result = fetch(loopback, "http://a.gov.cn/")
    assert result.error == "protocol" and "br" in result.error_detail


def test_decode_body_undoes_each_coding_and_stops_at_the_cap():
    text = b"<p>" + "临沧".encode() * 1000 + b"</p>"
    assert decode_body(gzip.compress(text) + gzip.compress(text), "gzip", 10**6) == text * 2  # two members
    assert decode_body(zlib.compress(text), "deflate", 10**6) == text
    raw_deflate = zlib.compressobj(wbits=-15)
    assert decode_body(raw_deflate.compress(text) + raw_deflate.flush(), "deflate", 10**6) == text
    assert decode_body(gzip.compress(zlib.compress(text)), "deflate, gzip", 10**6) == text
    assert decode_body(text, "identity", 10) == text
    assert decode_body(gzip.compress(text), "gzip", len(text)) == text  # exactly at the cap
    with pytest.raises(TooLarge):
        decode_body(gzip.compress(text), "gzip", len(text) - 1)
    with pytest.raises(Undecodable):
        decode_body(b"not gzip at all", "gzip", 10**6)


# --- retries: budgets and Retry-After ------------------------------------------------------------

def test_a_retry_after_longer_than_the_cap_is_not_waited_for(loopback):
    loopback.add("a.gov.cn", "/", Page("later", status=429, headers={"Retry-After": "3600"}))
    started = time.perf_counter()
    result = fetch(loopback, "http://a.gov.cn/", retries=2, max_retry_after_seconds=30)
    assert result.status == 429 and result.attempts == 1 and time.perf_counter() - started < 5


def test_a_short_retry_after_is_honoured(loopback):
    answers = iter([Page("later", status=503, headers={"Retry-After": "0"}), Page("ok")])
    loopback.add("a.gov.cn", "/", lambda request: next(answers))
    assert fetch(loopback, "http://a.gov.cn/", retries=2).attempts == 2


def test_a_host_spends_at_most_its_retry_budget_in_a_round(loopback):
    for path in ("/1", "/2", "/3"):
        loopback.add("busy.gov.cn", path, Page("busy", status=503))

    async def go():
        settings = FetchSettings(allow_private_addresses=True, resolve=loopback.resolve, backoff_seconds=0.01,
                                 retries=2, retry_budget_per_host=3)
        async with Fetcher(settings) as fetcher:
            first = [await fetcher.get(f"http://busy.gov.cn{p}") for p in ("/1", "/2", "/3")]
            fetcher.start_round()
            again = await fetcher.get("http://busy.gov.cn/1")
            return [r.attempts for r in first], again.attempts
    attempts, after_new_round = asyncio.run(go())
    assert attempts == [3, 2, 1] and after_new_round == 3


def test_all_hosts_together_spend_at_most_the_round_budget(loopback):
    for host in ("a.gov.cn", "b.gov.cn", "c.gov.cn"):
        loopback.add(host, "/", Page("busy", status=503))

    async def go():
        settings = FetchSettings(allow_private_addresses=True, resolve=loopback.resolve, backoff_seconds=0.01,
                                 retries=2, retry_budget_per_round=3)
        async with Fetcher(settings) as fetcher:
            return [(await fetcher.get(f"http://{h}/")).attempts for h in ("a.gov.cn", "b.gov.cn", "c.gov.cn")]
    assert asyncio.run(go()) == [3, 2, 1]


def test_a_refused_request_is_not_counted_as_sent():
    async def go() -> tuple[str | None, int]:
        async with Fetcher(FetchSettings(resolve={"*": "127.0.0.1:9"})) as fetcher:
            result = await fetcher.get("http://www.lincang.gov.cn/")
            return result.error, fetcher.requests_sent
    assert asyncio.run(go()) == ("refused_address", 0)


@pytest.mark.parametrize("transport", ["curl", "aiohttp", "httpx"])
def test_waiting_for_a_free_connection_is_not_counted_against_the_deadline(loopback, transport):
    """Two requests, one connection: the second queues 0.4 s, then answers in 0.4 s of a 0.6 s deadline."""
    loopback.add("a.gov.cn", "/slowish", Page("ok", delay=0.4))

    async def go():
        settings = FetchSettings(allow_private_addresses=True, resolve=loopback.resolve, transport=transport,
                                 total_concurrency=1, timeout_seconds=0.6, retries=0)
        async with Fetcher(settings) as fetcher:
            return await asyncio.gather(*(fetcher.get("http://a.gov.cn/slowish") for _ in range(2)))
    assert [r.status for r in asyncio.run(go())] == [200, 200]


# --- continuing from a shared single attempt (CheckContext.attempt) ------------------------------

def continued(site, url: str, **settings) -> tuple[object, object, int]:
    """A single attempt, then the same request continued from it: (first, continued, retries used)."""
    async def go():
        async with Fetcher(FetchSettings(allow_private_addresses=True, resolve=site.resolve, backoff_seconds=0.01,
                                         **settings)) as fetcher:
            first = await fetcher.get(url, retries=0)
            return first, await fetcher.get(url, after=first), fetcher.retries_used
    return asyncio.run(go())


def test_a_request_continued_from_a_good_attempt_sends_nothing_more(loopback):
    loopback.add("a.gov.cn", "/", Page("ok"))
    first, result, spent = continued(loopback, "http://a.gov.cn/")
    assert result is first and result.text == "ok" and spent == 0
    assert len(loopback.hits) == 1


def test_a_request_continued_from_a_failed_attempt_retries_what_is_left(loopback):
    answers = iter([Page("busy", status=503), Page("busy", status=503), Page("ok")])
    loopback.add("a.gov.cn", "/", lambda request: next(answers))
    first, result, spent = continued(loopback, "http://a.gov.cn/", retries=2)
    assert first.status == 503 and first.attempts == 1
    assert result.status == 200 and result.attempts == 3 and spent == 2
    assert len(loopback.hits) == 3  # as many as one get() with two retries sends


def test_a_continued_request_retries_the_hop_that_failed_and_keeps_counting_redirects(loopback):
    loopback.add("a.gov.cn", "/", Page("", status=302, headers={"Location": "/home"}))
    answers = iter([Page("busy", status=503), Page("home")])
    loopback.add("a.gov.cn", "/home", lambda request: next(answers))
    first, result, _ = continued(loopback, "http://a.gov.cn/", retries=2)
    assert first.status == 503 and first.redirects == 1
    assert result.text == "home" and result.redirects == 1 and result.url == "http://a.gov.cn/"
    assert [path for _, _, path in loopback.hits] == ["/", "/home", "/home"]


def test_a_continued_request_spends_the_same_retry_budget(loopback):
    loopback.add("busy.gov.cn", "/", Page("busy", status=503))
    first, result, spent = continued(loopback, "http://busy.gov.cn/", retries=5, retry_budget_per_host=2)
    assert result.attempts == 3 and spent == 2 and len(loopback.hits) == 3
    first, result, spent = continued(loopback, "http://busy.gov.cn/", retries=5, retry_budget_per_host=0)
    assert result.status == 503 and result.attempts == 1 and spent == 0
    assert len(loopback.hits) == 3 + 1  # the spent budget sends nothing after the shared attempt


# --- TLS failures are "tls" on every transport -----------------------------------------------------

import ssl  # noqa: E402

import trustme  # noqa: E402

from collector.fetch.client import CERTIFICATE_NOT_TRUSTED  # noqa: E402
from loopback import LoopbackSite, serve  # noqa: E402

TRANSPORTS = ["curl", "aiohttp", "httpx", "httpx-aiohttp"]


@pytest.fixture(scope="module")
def untrusted_tls_port():
    """HTTPS on loopback with a certificate from a CA no fetcher trusts (issued for www.t.gov.cn)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    trustme.CA().issue_cert("www.t.gov.cn", "127.0.0.1").configure_cert(context)
    site = LoopbackSite()
    site.add("www.t.gov.cn", "/", Page("secret"))
    with serve(site, ssl_context=context):
        yield site.port


def fetch_https(port: int, transport: str, host: str = "www.t.gov.cn") -> object:
    async def go():
        settings = FetchSettings(allow_private_addresses=True, transport=transport, retries=2, backoff_seconds=0.01,
                                 timeout_seconds=5, resolve={"*": f"127.0.0.1:{port}"})
        async with Fetcher(settings) as fetcher:
            return await fetcher.get(f"https://{host}/")
    return asyncio.run(go())


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_an_untrusted_certificate_is_a_tls_error_marked_as_the_certificate(untrusted_tls_port, transport):
    result = fetch_https(untrusted_tls_port, transport)
    assert result.error == "tls" and result.error_detail.startswith(CERTIFICATE_NOT_TRUSTED)
    assert result.attempts == 1  # a certificate does not mend itself in half a second: no retry


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_certificate_for_another_host_is_a_tls_error_marked_as_the_certificate(untrusted_tls_port, transport):
    result = fetch_https(untrusted_tls_port, transport, host="www.other.gov.cn")
    assert result.error == "tls" and result.error_detail.startswith(CERTIFICATE_NOT_TRUSTED)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_port_that_speaks_no_tls_is_a_tls_error_about_the_handshake(loopback, transport):
    loopback.add("www.t.gov.cn", "/", Page("plain"))
    result = fetch_https(loopback.port, transport)
    assert result.error == "tls" and not result.error_detail.startswith(CERTIFICATE_NOT_TRUSTED)
    assert result.attempts == 1
