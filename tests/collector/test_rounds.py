"""Round schedules: the monitoring week, daily and weekly checks, shards of whole days."""
from __future__ import annotations

from collections import Counter
from datetime import date

from collector.rounds import RoundSummary, Schedule, split_plan


def test_the_monitoring_week_has_twenty_attempts_a_day_and_the_rest_fewer():
    plan = list(Schedule(frequent_per_day=20, background_per_day=4).rounds(date(2020, 6, 1), date(2020, 6, 30)))
    per_day = Counter(at.date() for at, cadences in plan if "frequent" in cadences)
    assert per_day[date(2020, 6, 24)] == 20 and per_day[date(2020, 6, 30)] == 20
    assert per_day[date(2020, 6, 23)] == 4


def test_daily_checks_run_every_day_and_weekly_ones_on_mondays_and_the_last_day():
    plan = list(Schedule().rounds(date(2020, 6, 1), date(2020, 6, 10)))
    assert sum("daily" in c for _, c in plan) == 10
    assert [at.date() for at, c in plan if "weekly" in c] == [date(2020, 6, 1), date(2020, 6, 8), date(2020, 6, 10)]
    only_last = list(Schedule(weekly_on_last_day_only=True).rounds(date(2020, 6, 1), date(2020, 6, 10)))
    assert [at.date() for at, c in only_last if "weekly" in c] == [date(2020, 6, 10)]


def test_shards_hold_whole_days_and_every_round_once():
    plan = list(Schedule(background_per_day=4).rounds(date(2020, 4, 1), date(2020, 6, 30)))
    parts = split_plan(plan, 2)
    assert len(parts) == 2 and sum(len(p) for p in parts) == len(plan)
    assert parts[0][-1][0].date() < parts[1][0][0].date()
    assert [r for part in parts for r in part] == plan


def test_merged_summaries_add_up():
    a, b = RoundSummary(rounds=2, observations=5, requests=7, seconds=3.0), RoundSummary(rounds=1, observations=1,
                                                                                          requests=1, seconds=4.0)
    total = RoundSummary.merged([a, b])
    assert (total.rounds, total.observations, total.requests, total.seconds) == (3, 6, 8, 4.0)


# --- a round's fetcher budgets and CPU work --------------------------------------------------------

import asyncio
import threading
import time
from datetime import datetime

from collector.checks.base import CPU_INLINE_BYTES, CheckContext, get_check
from collector.fetch import Fetcher, FetchSettings
from collector.periods import CHINA_TZ
from collector.profile import load_profile
from collector.registry import Registry, Website
from collector.rounds import run_round
from loopback import Page


def test_each_round_starts_with_full_retry_budgets(loopback):
    """A replay runs many rounds on one fetcher: a host that spent its retries in one round may
    retry again in the next, never more than its budget in either."""
    loopback.add("busy.gov.cn", "/", Page("busy", status=503))
    registry = Registry(office="测试", region="测试", websites=(
        Website(site_code="5300000001", name="忙", unit="测试", level="市级", site_kind="政府门户网站",
                url="http://busy.gov.cn/"),))

    async def go() -> list[int]:
        settings = FetchSettings(allow_private_addresses=True, resolve=loopback.resolve, backoff_seconds=0.01,
                                 retries=5, retry_budget_per_host=2)
        async with Fetcher(settings) as fetcher:
            spent = []
            for hour in (9, 10):
                await run_round(registry, datetime(2020, 6, 30, hour, tzinfo=CHINA_TZ), load_profile(), fetcher,
                                [get_check("homepage_freshness")])
                spent.append(fetcher.retries_used)
            return spent
    assert asyncio.run(go()) == [2, 2]
    assert len(loopback.hits) == 2 * 3


def test_run_cpu_keeps_the_event_loop_free():
    """CPU work handed to run_cpu runs in another thread while the loop goes on serving timers."""
    def busy(seconds: float) -> int:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            pass
        return threading.get_ident()

    async def go() -> tuple[int, int]:
        ctx = CheckContext(as_of=datetime(2020, 6, 30, tzinfo=CHINA_TZ), profile=load_profile(),
                           registry=Registry(office="测试", region="测试"), fetcher=Fetcher(FetchSettings()))
        ticks = 0

        async def tick() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1
        ticker = asyncio.create_task(tick())
        worker = await ctx.run_cpu(busy, 0.5)
        ticker.cancel()
        return worker, ticks
    worker, ticks = asyncio.run(go())
    assert worker != threading.get_ident()
    assert ticks >= 5  # on the loop, busy() would have allowed none



def test_run_cpu_works_on_the_loop_for_small_inputs_and_in_a_thread_for_big_ones():
    """A thread does not make pure-Python parsing parallel (the GIL) and costs CPU in contention:
    a page below CPU_INLINE_BYTES is parsed on the event loop, a bigger one (or work of unknown
    size) in a worker thread."""
    async def go() -> list[int]:
        ctx = CheckContext(as_of=datetime(2020, 6, 30, tzinfo=CHINA_TZ), profile=load_profile(),
                           registry=Registry(office="测试", region="测试"), fetcher=Fetcher(FetchSettings()))
        return [await ctx.run_cpu(threading.get_ident, size=size)
                for size in (0, CPU_INLINE_BYTES - 1, CPU_INLINE_BYTES, None)]
    small, just_below, big, unknown = asyncio.run(go())
    here = threading.get_ident()
    assert small == just_below == here
    assert big != here and unknown != here

# --- one homepage request per round ----------------------------------------------------------------

HOMEPAGE = "<ul>" + "".join(f'<li><a href="/art/{i}.html">通知{i}</a><span>2020-06-2{i}</span></li>'
                            for i in range(1, 6)) + "</ul>"


def homepage_round(loopback) -> dict[str, object]:
    registry = Registry(office="测试", region="测试", websites=(
        Website(site_code="5300000001", name="甲", unit="测试", level="市级", site_kind="政府门户网站",
                url="http://a.gov.cn/"),))

    async def go():
        settings = FetchSettings(allow_private_addresses=True, resolve=loopback.resolve, backoff_seconds=0.01)
        async with Fetcher(settings) as fetcher:
            observations = await run_round(registry, datetime(2020, 6, 30, 9, tzinfo=CHINA_TZ), load_profile(),
                                           fetcher, [get_check("reachability"), get_check("homepage_freshness")])
            return {o.check: o for o in observations} | {"retries": fetcher.retries_used}
    return asyncio.run(go())


def test_reachability_and_homepage_freshness_share_one_homepage_request(loopback):
    loopback.add("a.gov.cn", "/", Page(HOMEPAGE))
    seen = homepage_round(loopback)
    assert loopback.hits.count(("GET", "a.gov.cn", "/")) == 1
    assert seen["reachability"].figures["failed"] is False
    assert seen["homepage_freshness"].figures["newest_item"] == "2020-06-25"


def test_a_failed_shared_attempt_counts_for_reachability_and_is_retried_for_freshness(loopback):
    """Reachability judges the single attempt as it was; freshness goes on with the retries left,
    counted once against the round's budget."""
    answers = iter([Page("busy", status=503), Page(HOMEPAGE)])
    loopback.add("a.gov.cn", "/", lambda request: next(answers))
    seen = homepage_round(loopback)
    assert loopback.hits.count(("GET", "a.gov.cn", "/")) == 2 and seen["retries"] == 1
    assert seen["reachability"].figures["failed"] is True and seen["reachability"].figures["status"] == 503
    assert seen["homepage_freshness"].figures["newest_item"] == "2020-06-25"
