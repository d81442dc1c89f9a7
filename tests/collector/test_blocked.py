"""blocked_reason: a rate limit, WAF block page or anti-bot challenge is the site refusing the
monitor, not the site being down or stale. Pages are served by a real loopback server and fetched
with the collector's own client, retries off (as reachability fetches)."""
from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import yaml

from collector.fetch import Fetcher, FetchResult, FetchSettings
from collector.fetch.blocked import MAX_CHALLENGE_BYTES, blocked_reason
from loopback import Page

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "blocked"
CASES = yaml.safe_load((FIXTURES / "cases.yaml").read_text(encoding="utf-8"))


def fetch_page(site, page: Page) -> FetchResult:
    site.add("www.example.gov.cn", "/", page)

    async def go() -> FetchResult:
        async with Fetcher(FetchSettings(allow_private_addresses=True, resolve=site.resolve, retries=0)) as fetcher:
            return await fetcher.get("http://www.example.gov.cn/", retries=0)
    return asyncio.run(go())


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['file']}-{c['status']}")
def test_challenge_and_block_pages_are_recognised_and_real_pages_are_not(loopback, case):
    page = Page((FIXTURES / case["file"]).read_bytes(), status=case["status"], headers=case["headers"])
    reason = blocked_reason(fetch_page(loopback, page))
    if case["reason"] is None:
        assert reason is None
    else:
        assert reason is not None and reason.startswith(case["reason"])


def test_429_is_a_rate_limit(loopback):
    assert blocked_reason(fetch_page(loopback, Page("slow down", status=429))) == "HTTP 429 请求过于频繁（限流）"


def test_503_is_a_rate_limit_only_with_retry_after(loopback):
    limited = fetch_page(loopback, Page("busy", status=503, headers={"Retry-After": "120"}))
    assert blocked_reason(limited) == "HTTP 503 要求稍后再试（Retry-After，限流）"
    assert blocked_reason(fetch_page(loopback, Page("down", status=503))) is None


def test_a_large_real_page_is_never_taken_for_a_challenge(loopback):
    challenge = (FIXTURES / "safedog_block.html").read_bytes()
    big = challenge + b"<p>" + "正文".encode() * MAX_CHALLENGE_BYTES + b"</p>"
    assert blocked_reason(fetch_page(loopback, Page(big))) is None


def test_a_gbk_block_page_is_recognised(loopback):
    body = (FIXTURES / "chuangyudun.html").read_text(encoding="utf-8").replace("utf-8", "gbk").encode("gbk")
    assert blocked_reason(fetch_page(loopback, Page(body, status=403, content_type="text/html; charset=gbk"))) \
        == "创宇盾拦截页"


def test_a_fetch_error_is_never_blocked():
    refused = FetchResult("http://a.gov.cn/", "http://a.gov.cn/", None, error="connect")
    too_large = FetchResult("http://a.gov.cn/", "http://a.gov.cn/", 200, error="too_large")
    assert blocked_reason(refused) is None and blocked_reason(too_large) is None


def test_an_answer_is_judged_once_however_many_checks_ask(monkeypatch):
    from collector.fetch import blocked
    from collector.fetch.client import FetchResult
    judged = []
    real = blocked._judge
    monkeypatch.setattr(blocked, "_judge", lambda result: judged.append(result.url) or real(result))
    answer = FetchResult("http://www.example.gov.cn/", "http://www.example.gov.cn/", 429)
    assert blocked.blocked_reason(answer) == blocked.blocked_reason(answer) == "HTTP 429 请求过于频繁（限流）"
    assert judged == ["http://www.example.gov.cn/"]
