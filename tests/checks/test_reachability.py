"""站点无法访问 is about the site, not about us: rate limits and WAF challenges are "blocked" and
left out of the veto windows, answers over our size cap are reachable, and reasons of ours
(an error kind the check does not know) are "not checked". Attempts go to a real loopback server."""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from collector.checks.base import CheckContext, get_check
from collector.checks.reachability import attempt_state
from collector.fetch import Fetcher, FetchResult, FetchSettings
from collector.observations import Observation
from collector.periods import CHINA_TZ, Period
from collector.profile import load_profile
from collector.registry import Registry, Website
from loopback import Page

WEEK_START = datetime(2020, 6, 24, 0, 0, tzinfo=CHINA_TZ)
SAFEDOG = (Path(__file__).resolve().parents[1] / "fixtures" / "blocked" / "safedog_block.html").read_bytes()
HOMEPAGE = "<html><body><h1>临沧市人民政府</h1><li>2020-06-29 通知</li></body></html>"


def site() -> Website:
    return Website(site_code="5309000001", name="临沧市人民政府", unit="临沧市人民政府办公室", level="市级",
                   site_kind="政府门户网站", url="http://www.lincang.gov.cn/")


def monitoring_week(loopback, answer: Callable[[int], Page], attempts: int = 140, **settings) -> list[Observation]:
    """`attempts` reachability rounds 72 minutes apart (20 a day), the server answering attempt i with answer(i)."""
    count = {"n": 0}

    def handler(request) -> Page:
        page = answer(count["n"])
        count["n"] += 1
        return page
    loopback.add("www.lincang.gov.cn", "/", handler)
    check, profile = get_check("reachability"), load_profile()

    async def go() -> list[Observation]:
        async with Fetcher(FetchSettings(allow_private_addresses=True, resolve=loopback.resolve, **settings)) as fetcher:
            out = []
            for i in range(attempts):
                ctx = CheckContext(as_of=WEEK_START + timedelta(minutes=72 * i), profile=profile,
                                   registry=Registry(office="测试", region="测试"), fetcher=fetcher)
                out.append(await check.observe(site(), ctx))
            return out
    return asyncio.run(go())


def throttling(i: int) -> Page:
    """A site that answers, but throttles a quarter of our visits: 429, 503 + Retry-After, a WAF page."""
    if i % 10 == 0:
        return Page("Too Many Requests", status=429)
    if i % 10 == 5:
        return Page("busy", status=503, headers={"Retry-After": "60"})
    if i % 20 == 3:
        return Page(SAFEDOG)
    return Page(HOMEPAGE)


def test_a_throttling_site_is_not_vetoed_and_its_blocked_attempts_are_counted_apart(loopback):
    observations = monitoring_week(loopback, throttling)
    check, profile = get_check("reachability"), load_profile()
    assert check.judge(site(), observations, Period(2020, 2), profile) == []
    figures = check.period_figures(observations, profile)
    assert (figures["attempts"], figures["failures"], figures["blocked"]) == (105, 0, 35)
    assert figures["blocked_reasons"] == {"HTTP 429 请求过于频繁（限流）": 14,
                                          "HTTP 503 要求稍后再试（Retry-After，限流）": 14,
                                          "安全狗网站防火墙拦截或验证页": 7}
    assert check.unchecked_reason(observations, profile) is None
    blocked = [o for o in observations if o.figures.get("blocked")]
    assert all(o.outcome == "error" and o.figures["failed"] is False for o in blocked)


def test_real_failures_still_veto_beside_blocked_attempts(loopback):
    def failing(i: int) -> Page:
        return Page("error", status=500) if i % 10 == 1 else throttling(i)
    observations = monitoring_week(loopback, failing)
    check, profile = get_check("reachability"), load_profile()
    judged = check.judge(site(), observations, Period(2020, 2), profile)
    assert [j.finding.code for j in judged] == ["site_unreachable"]
    figures = check.period_figures(observations, profile)
    assert (figures["attempts"], figures["failures"], figures["blocked"]) == (105, 14, 35)


def test_a_site_that_blocks_most_visits_leaves_reachability_unchecked_with_its_reason(loopback):
    observations = monitoring_week(loopback, lambda i: Page(HOMEPAGE) if i % 4 == 0 else Page("no", status=429))
    check, profile = get_check("reachability"), load_profile()
    assert check.judge(site(), observations, Period(2020, 2), profile) == []
    reason = check.unchecked_reason(observations, profile)
    assert reason == "7 天内有效访问最多 35 次，不足判定所需的 70 次；另有 105 次访问被限流或拦截，不计入"


def test_an_answer_over_the_size_cap_is_reachable(loopback):
    observations = monitoring_week(loopback, lambda i: Page("站" * 4096), attempts=3, max_bytes=1024)
    assert all(o.figures["error"] == "too_large" and o.figures["failed"] is False and o.outcome == "ok"
               for o in observations)


def test_an_error_page_over_the_size_cap_is_still_a_failure():
    result = FetchResult("http://a.gov.cn/", "http://a.gov.cn/", 500, error="too_large")
    assert attempt_state(result, 15) == ("failed", None)


def test_a_closed_port_is_a_failed_attempt():
    result = FetchResult("http://a.gov.cn/", "http://a.gov.cn/", None, error="connect", error_detail="refused")
    assert attempt_state(result, 15) == ("failed", "connect")


def test_an_error_kind_of_ours_is_not_checked_never_a_failure():
    result = FetchResult("http://10.0.0.1/", "http://10.0.0.1/", None, error="refused_address",  # type: ignore[arg-type]
                         error_detail="private address 10.0.0.1")
    assert attempt_state(result, 15) == ("not_checked", "refused_address: private address 10.0.0.1")


def test_a_slow_answer_is_a_failure():
    result = FetchResult("http://a.gov.cn/", "http://a.gov.cn/", 200, elapsed_ms=15001)
    assert attempt_state(result, 15)[0] == "failed"
