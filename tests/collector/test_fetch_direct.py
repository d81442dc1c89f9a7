"""The direct aiohttp session (collector/fetch/direct.py) answers as the httpx layers it replaces did."""
from __future__ import annotations

import asyncio

import pytest
from aiohttp import web

from collector.fetch import Fetcher, FetchSettings
from collector.fetch.direct import header_dict
from loopback import LoopbackSite, Page


def test_headers_are_lower_cased_and_repeated_ones_joined_as_httpx_joined_them():
    raw = ((b"Content-Type", b"text/html"), (b"Set-Cookie", b"a=1"), (b"set-cookie", b"b=2"))
    assert header_dict(raw) == {"content-type": "text/html", "set-cookie": "a=1, b=2"}


def test_header_bytes_decode_as_ascii_else_utf8_else_latin1_over_the_whole_set():
    gbk = "/新闻/".encode("gbk")
    assert header_dict(((b"Location", gbk), (b"X", b"y")))["location"] == gbk.decode("iso-8859-1")
    assert header_dict(((b"Location", "/新闻/".encode()),))["location"] == "/新闻/"


def fetch_both(loopback: LoopbackSite, url: str):
    async def go(transport: str):
        async with Fetcher(FetchSettings(allow_private_addresses=True, resolve=loopback.resolve, retries=0,
                                         transport=transport)) as fetcher:  # type: ignore[arg-type]
            return await fetcher.get(url)
    return asyncio.run(go("aiohttp")), asyncio.run(go("httpx-aiohttp"))


def test_a_page_fetched_directly_is_the_page_httpx_fetched(loopback):
    loopback.add("www.a.gov.cn", "/", Page("", status=302, headers={"Location": "/news/"}))
    loopback.add("www.a.gov.cn", "/news/", Page("<p>临沧</p>".encode("gbk"), content_type="text/html; charset=gbk",
                                              headers={"X-Tag": "1"}))
    direct, layered = fetch_both(loopback, "http://www.a.gov.cn/")
    assert direct.ok and direct.text == "<p>临沧</p>" and direct.redirects == 1
    for field in ("url", "final_url", "status", "content", "content_type", "attempts", "redirects", "error"):
        assert getattr(direct, field) == getattr(layered, field), field
    assert {k: v for k, v in direct.headers.items() if k != "date"} == {
        k: v for k, v in layered.headers.items() if k != "date"}


def test_a_mapped_host_is_asked_for_by_its_name_with_the_same_request_headers(loopback):
    seen: list[dict[str, str]] = []

    def record(request: web.Request) -> Page:
        seen.append(dict(request.headers))
        return Page("ok")
    loopback.add("www.a.gov.cn", "/x", record)
    fetch_both(loopback, "http://www.a.gov.cn/x")
    direct, layered = seen
    assert direct["Host"] == layered["Host"] == "www.a.gov.cn"
    for name in ("User-Agent", "Accept", "Accept-Language", "Accept-Encoding"):
        assert direct[name] == layered[name], name


@pytest.mark.parametrize("transport", ["aiohttp", "httpx-aiohttp"])
def test_a_body_over_the_cap_is_too_large_on_either_path(loopback, transport):
    loopback.add("www.a.gov.cn", "/big", Page(b"x" * 5000))

    async def go():
        async with Fetcher(FetchSettings(allow_private_addresses=True, resolve=loopback.resolve, retries=0,
                                         max_bytes=1000, transport=transport)) as fetcher:
            return await fetcher.get("http://www.a.gov.cn/big")
    result = asyncio.run(go())
    assert result.error == "too_large" and result.status == 200
