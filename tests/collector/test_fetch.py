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


@pytest.mark.parametrize("transport", ["aiohttp", "httpx"])
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
