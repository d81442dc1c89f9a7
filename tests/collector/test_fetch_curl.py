"""The libcurl transport (collector/fetch/curl.py) keeps the guard and the habits of the others.

The behaviours every transport shares (timeouts, caps, redirects, TLS, the hostile battery) are
parametrized over all of them in test_fetch.py and tests/hostile; this file holds what only
libcurl needs: its two address checks, its proxy and cookie settings, its cancellation.
"""
from __future__ import annotations

import asyncio
import socket
import threading

import pytest

from collector.fetch import Fetcher, FetchSettings
from collector.fetch.addresses import AddressRefused
from collector.fetch import curl
from collector.fetch.curl import CurlSession, _failure
from collector.fetch.guard import AddressPolicy
from loopback import counting_listener, raw_server


def get(settings: FetchSettings, url: str, patch=None):  # type: ignore[no-untyped-def]
    async def go():
        async with Fetcher(settings) as fetcher:
            if patch is not None:
                patch(fetcher)
            return await fetcher.get(url)
    return asyncio.run(go())


def test_libcurl_is_the_default_transport():
    assert FetchSettings().transport == "curl"


def test_a_name_is_checked_on_every_address_it_resolves_to_before_libcurl_dials(monkeypatch):
    """DNS rebinding: the name looks public, one of its answers is loopback; nothing is dialled."""
    asked: list[str] = []

    def rebinding(host, port):  # stands in for DNS: no resolver can be pointed here
        asked.append(host)
        # loopback first: were the check broken, the dial would stay on this machine (and be counted)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("1.2.4.8", port))]

    monkeypatch.setattr(curl, "system_lookup", rebinding)
    with counting_listener() as listener:
        result = get(FetchSettings(transport="curl"), f"http://rebind.gov.cn:{listener.port}/")
        assert result.error == "refused_address" and "resolves to a loopback address" in result.error_detail
        assert asked == ["rebind.gov.cn"] and listener.accepted == 0


def test_a_name_with_one_private_answer_among_public_ones_is_refused_before_libcurl_sees_it(monkeypatch):
    """Every answer must pass, not just the one dialled first: checked before any request exists."""
    def mixed(host, port):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("1.2.4.8", port)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.8", port))]

    monkeypatch.setattr(curl, "system_lookup", mixed)

    async def route():
        session = CurlSession({}, AddressPolicy(), 4, {})
        await session.open()
        try:
            return await session._routing("http", "rebind.gov.cn", None)
        finally:
            await session.close()
    with pytest.raises(AddressRefused, match="private address"):
        asyncio.run(route())


def test_the_checked_address_is_the_one_libcurl_dials(monkeypatch):
    def to_loopback(host, port):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(curl, "system_lookup", to_loopback)
    with counting_listener() as listener:
        result = get(FetchSettings(transport="curl", allowed_private_networks=("127.0.0.1/32",)),
                     f"http://rebind.gov.cn:{listener.port}/")
        assert result.status == 200 and listener.accepted == 1


class NamesUnchecked(AddressPolicy):
    """A policy that lets every name through and checks only addresses."""

    def check_host(self, host: str) -> None:
        pass


def test_many_names_are_looked_up_at_once(monkeypatch):
    """A national round asks for thousands of names: they must not queue for asyncio's few default
    threads (cores + 4). Each look-up here waits until 16 are in flight together."""
    together = threading.Barrier(16, timeout=10)

    def slow_lookup(host, port):
        together.wait()  # BrokenBarrierError, a failed look-up, if fewer run at once
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(curl, "system_lookup", slow_lookup)
    with counting_listener() as listener:
        async def go():
            settings = FetchSettings(transport="curl", allowed_private_networks=("127.0.0.1/32",), retries=0)
            async with Fetcher(settings) as fetcher:
                return await asyncio.gather(*(fetcher.get(f"http://www.site{n}.gov.cn:{listener.port}/")
                                              for n in range(16)))
        results = asyncio.run(go())
    assert [r.status for r in results] == [200] * 16, {r.error_detail for r in results}


def test_an_address_libcurl_found_by_itself_is_refused_before_its_socket_exists():
    """The second net: were a name to reach libcurl unchecked (here `localhost`, which libcurl
    resolves itself), the socket it is about to open is checked on its address."""
    def unchecked(fetcher: Fetcher) -> None:
        session = fetcher._curl
        assert session is not None

        async def no_routing(scheme, host, port):  # as if the first check had been skipped
            return [], []
        session._routing = no_routing  # type: ignore[method-assign]
        fetcher._policy = session.policy = NamesUnchecked()

    with counting_listener() as listener:
        result = get(FetchSettings(transport="curl"), f"http://localhost:{listener.port}/", patch=unchecked)
        assert result.error == "refused_address" and "loopback" in result.error_detail
        assert listener.accepted == 0


def test_a_proxy_named_in_the_environment_is_never_used(monkeypatch):
    with counting_listener() as proxy, counting_listener() as site:
        for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
            monkeypatch.setenv(name, f"http://127.0.0.1:{proxy.port}")
        result = get(FetchSettings(transport="curl", allow_private_addresses=True), f"http://127.0.0.1:{site.port}/")
        assert result.status == 200 and site.accepted == 1 and proxy.accepted == 0


OK = b"Content-Length: 2\r\nConnection: close\r\n\r\nok"


def sets_a_cookie_on_set(request: bytes) -> bytes:
    cookie = b"Set-Cookie: JSESSIONID=abc123; Path=/\r\n" if request.startswith(b"GET /set ") else b""
    return b"HTTP/1.1 200 OK\r\n" + cookie + OK


def test_a_cookie_a_site_sets_is_sent_back_to_it_and_not_to_another_host():
    """Some CMSs (a JSESSIONID, a WAF's challenge cookie) answer only a client that keeps cookies."""
    with raw_server(sets_a_cookie_on_set) as (requests, port):
        async def go():
            settings = FetchSettings(transport="curl", allow_private_addresses=True,
                                     resolve={"*": f"127.0.0.1:{port}"})
            async with Fetcher(settings) as fetcher:
                await fetcher.get("http://www.a.gov.cn/set")
                await fetcher.get("http://www.a.gov.cn/next")
                await fetcher.get("http://www.b.gov.cn/next")
        asyncio.run(go())
    assert b"JSESSIONID=abc123" in requests[1] and b"Host: www.a.gov.cn" in requests[1]
    assert b"JSESSIONID" not in requests[2] and b"Host: www.b.gov.cn" in requests[2]


def test_a_request_cut_by_the_deadline_leaves_nothing_running():
    """The deadline cancels the await; the transfer is taken off libcurl and its socket closed."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    try:
        async def go():
            settings = FetchSettings(transport="curl", allow_private_addresses=True, timeout_seconds=0.3, retries=0)
            async with Fetcher(settings) as fetcher:
                result = await fetcher.get(f"http://127.0.0.1:{server.getsockname()[1]}/")
                return result, dict(fetcher._curl._transfers), dict(fetcher._curl._watched)  # type: ignore[union-attr]
        result, transfers, watched = asyncio.run(go())
        assert result.error == "timeout" and transfers == {} and watched == {}
    finally:
        server.close()


@pytest.mark.parametrize("code, message, in_body, kind", [
    (28, "Operation timed out", False, "timeout"),
    (6, "Could not resolve host: x.gov.cn", False, "dns"),
    (7, "Failed to connect", False, "connect"),
    (52, "Empty reply from server", False, "connect"),
    (56, "Connection reset by peer", True, "truncated"),
    (18, "end of response with 4900 bytes missing", True, "truncated"),
    (56, "Malformed encoding found in chunked-encoding", True, "protocol"),
    (8, "Weird server reply", False, "protocol"),
    (1, "Received HTTP/0.9 when not allowed", False, "protocol"),
    (1, "Protocol \"ftp\" not supported", False, "invalid_url"),
    (35, "TLS connect error", False, "tls"),
])
def test_libcurl_errors_are_the_fetchers_kinds(code, message, in_body, kind):
    assert _failure(code, message, in_body).kind == kind


def test_only_a_refused_certificate_is_marked_as_the_certificate():
    assert _failure(60, "SSL certificate problem: unable to get local issuer certificate", False).certificate_refused
    assert not _failure(35, "TLS connect error", False).certificate_refused


#: Hrefs as real pages write them: spaces, Chinese in path and query, characters RFC 3986 does not
#: allow, a broken percent escape, and a Chinese host name (IDN).
ODD_URLS = ["http://www.a.gov.cn/a b.html?x=中 文&y=1", "http://www.a.gov.cn/中文/页面.html",
            "http://www.a.gov.cn/p?q=a|b{c}", "http://www.a.gov.cn/x%zz.html?a=%E4", "http://临沧.政务/首页?栏目=通知"]


def request_lines(transport: str) -> list[bytes]:
    with raw_server(lambda request: b"HTTP/1.1 200 OK\r\n" + OK) as (requests, port):
        async def go():
            settings = FetchSettings(transport=transport, allow_private_addresses=True, retries=0,
                                     resolve={"*": f"127.0.0.1:{port}"})
            async with Fetcher(settings) as fetcher:
                return [await fetcher.get(url) for url in ODD_URLS]
        results = asyncio.run(go())
    assert [r.status for r in results] == [200] * len(ODD_URLS), [r.error_detail for r in results]
    return [b"\n".join(line for line in request.split(b"\r\n") if line.split(b" ")[0] in (b"GET", b"Host:"))
            for request in requests]


def test_urls_with_spaces_chinese_and_an_idn_host_are_sent_as_the_aiohttp_transport_sends_them():
    sent = request_lines("curl")
    assert sent == request_lines("aiohttp")
    assert all(line.isascii() for line in sent)
    assert sent[0].startswith(b"GET /a%20b.html?x=%E4%B8%AD+%E6%96%87&y=1 HTTP/1.1")
    assert b"Host: xn--" in sent[-1]


def test_a_chunked_bodys_trailer_is_not_taken_for_a_header():
    chunked = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n"
               b"Trailer: Expires\r\n\r\n5\r\nhello\r\n0\r\nExpires: never\r\n\r\n")
    with raw_server(lambda request: chunked) as (_, port):
        result = get(FetchSettings(transport="curl", allow_private_addresses=True, retries=0), f"http://127.0.0.1:{port}/")
    assert result.status == 200 and result.content == b"hello"
    assert result.headers["content-type"] == "text/html" and "expires" not in result.headers


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_declared_size_over_the_cap_is_too_large_on_every_transport_before_any_body(method):
    """The other transports refuse on the Content-Length alone, a HEAD's too (attachments are
    checked that way): libcurl must say the same, not wait for a body that may never come."""
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: 999999999\r\n\r\n"
    results = {}
    with raw_server(lambda request: head) as (_, port):
        for transport in ("curl", "aiohttp"):
            async def go():
                settings = FetchSettings(transport=transport, allow_private_addresses=True, retries=0,
                                         resolve={"*": f"127.0.0.1:{port}"})
                async with Fetcher(settings) as fetcher:
                    return await fetcher.get("http://www.a.gov.cn/big.pdf", method=method)
            results[transport] = asyncio.run(go())
    for result in results.values():
        assert (result.error, result.status, result.error_detail) == ("too_large", 200, "Content-Length 999999999")


# --- malformed answers: libcurl reads them as aiohttp does, or as a browser would -----------------

import gzip  # noqa: E402

GZIPPED = gzip.compress(b"hi there")
#: Answers real servers send, well-formed or not, on which both transports must agree.
ALIKE = {
    "close-delimited body": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\nhello world",
    "HTTP/1.0": b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok",
    "two different Content-Lengths": b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nhello",
    "a negative Content-Length": b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\nok",
    "no status line": b"<html>hello</html>",
    "a garbage status line": b"FOO BAR\r\n\r\nok",
    "a header line without a colon": b"HTTP/1.1 200 OK\r\nBadHeader\r\nContent-Length: 2\r\n\r\nok",
    "a 200 KB header": b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 200_000 + b"\r\nContent-Length: 2\r\n\r\nok",
    "nothing at all": b"",
    "204": b"HTTP/1.1 204 No Content\r\n\r\n",
    "304": b"HTTP/1.1 304 Not Modified\r\n\r\n",
    "status 999": b"HTTP/1.1 999 Weird\r\nContent-Length: 2\r\n\r\nok",
    "LF line ends": b"HTTP/1.1 200 OK\nContent-Length: 2\n\nok",
    "100 Continue first": b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    "a chunk extension": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nA;x=1\r\n0123456789\r\n0\r\n\r\n",
    "a GBK Location": b"HTTP/1.1 302 Found\r\nLocation: /\xd6\xd0\xce\xc4.html\r\nContent-Length: 0\r\n\r\n",
    "gzip": b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n%s" % (len(GZIPPED), GZIPPED),
    "gzip that is not": b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 5\r\n\r\nhello",
}


def fetched_by(transport: str, answer: bytes):  # type: ignore[no-untyped-def]
    with raw_server(lambda request: answer) as (_, port):
        async def go():
            settings = FetchSettings(transport=transport, allow_private_addresses=True, retries=0, max_redirects=1,
                                     timeout_seconds=5, resolve={"*": f"127.0.0.1:{port}"})
            async with Fetcher(settings) as fetcher:
                return await fetcher.get("http://www.a.gov.cn/")
        return asyncio.run(go())


@pytest.mark.parametrize("case", list(ALIKE))
def test_libcurl_reads_a_malformed_or_unusual_answer_as_aiohttp_does(case):
    curl, aio = fetched_by("curl", ALIKE[case]), fetched_by("aiohttp", ALIKE[case])
    assert (curl.error, curl.status, curl.content) == (aio.error, aio.status, aio.content)


def test_where_they_differ_libcurl_reads_the_page_a_browser_shows():
    """aiohttp refuses these as protocol errors; browsers show the page, and so does libcurl: a
    citizen can read such a site, so it is not reported unreachable."""
    longer = fetched_by("curl", b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nhello")
    assert (longer.error, longer.status, longer.content) == (None, 200, b"hel")  # the declared length wins
    both = fetched_by("curl", b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n"
                              b"2\r\nok\r\n0\r\n\r\n")
    assert (both.error, both.status, both.content) == (None, 200, b"ok")  # chunked wins (RFC 9112 6.3)
