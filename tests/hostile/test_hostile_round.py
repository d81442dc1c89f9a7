"""A round of real checks over a registry of hostile sites ends in bounded time, every case classified.

The per-request deadline is set low (2 s) so the battery is quick; the bound asserted is three
deadlines for the whole round, which the old per-read timeout (a slow body never times out) and
unbounded retries could not meet.
"""
from __future__ import annotations

import asyncio
import time
from datetime import datetime

import pytest

from collector.checks.base import get_check
from collector.fetch import Fetcher, FetchSettings
from collector.periods import CHINA_TZ
from collector.profile import load_profile
from collector.registry import Registry, Website
from collector.rounds import run_round
from hostile import server as hostile

AS_OF = datetime(2020, 6, 30, 9, 0, tzinfo=CHINA_TZ)
DEADLINE = 2.0
CHECKS = ("reachability", "homepage_freshness", "dead_links")

#: host -> (behaviour, what the fetch of its homepage must be classified as)
SITES: dict[str, tuple[hostile.Behaviour, str]] = {
    "good.gov.cn": (lambda s, m, p, w, r: hostile.good_site(s, m, p, w, r, links=("/a.html", "http://10.0.0.8/oa/")),
                    "ok"),
    "slowloris.gov.cn": (hostile.slowloris_headers, "timeout"),
    "slowbody.gov.cn": (hostile.slow_body, "timeout"),
    "silent.gov.cn": (hostile.never_answers, "timeout"),
    "reset.gov.cn": (hostile.connection_reset, "connect"),
    "loop.gov.cn": (hostile.redirect_loop, "too_many_redirects"),
    "ssrf.gov.cn": (hostile.redirect_to_metadata, "refused_address"),
    "huge.gov.cn": (hostile.huge_body, "too_large"),
    "bomb.gov.cn": (hostile.gzip_bomb, "too_large"),
    "charset.gov.cn": (hostile.lying_charset, "ok"),
    "ratelimit.gov.cn": (hostile.too_many_requests, "HTTP 429"),
    "busy.gov.cn": (hostile.unavailable, "HTTP 503"),
    "short.gov.cn": (hostile.truncated_body, "truncated"),
    "nohead.gov.cn": (hostile.head_not_allowed, "ok"),
    "chunked.gov.cn": (hostile.bad_chunked, "protocol"),
}


def registry() -> Registry:
    websites = tuple(Website(site_code=f"53000000{i:02d}", name=host, unit="测试", level="市级",
                             site_kind="政府门户网站", url=f"http://{host}/")
                     for i, host in enumerate(SITES))
    return Registry(office="测试", region="测试", websites=websites)


@pytest.fixture(scope="module", params=["curl", "aiohttp", "httpx", "aiohttp on uvloop", "curl on uvloop"])
def battery(request):
    """One round over all the hostile sites; the observations, the wall time and the server.

    Rounds run on uvloop when it is installed (collector.fetch.loop): the battery holds there too."""
    server = hostile.HostileServer(AS_OF.date())
    for host, (behaviour, _) in SITES.items():
        server.host(host, behaviour)
    transport, _, loop = request.param.partition(" on ")
    settings = dict(transport=transport, timeout_seconds=DEADLINE, retries=2, backoff_seconds=0.1, retry_budget_per_host=1,
                    max_bytes=2 * 1024 * 1024, max_retry_after_seconds=5,
                    # the test server is on 127.0.0.1; every other non-public address stays refused
                    allowed_private_networks=("127.0.0.1/32",))
    with hostile.serve(server):
        async def go():
            async with Fetcher(FetchSettings(resolve=server.resolve, **settings)) as fetcher:
                started = time.perf_counter()
                observations = await run_round(registry(), AS_OF, load_profile(), fetcher,
                                               [get_check(name) for name in CHECKS])
                return observations, time.perf_counter() - started, fetcher

        if loop == "uvloop":
            observations, seconds, fetcher = run_on_uvloop(go())
        else:
            observations, seconds, fetcher = asyncio.run(go())
    by_site = {(o.check, registry().get(o.entry).url.split("/")[2]): o for o in observations}
    return by_site, seconds, server, fetcher


def run_on_uvloop(main):
    uvloop = pytest.importorskip("uvloop")
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(main)


def test_the_round_ends_within_three_deadlines(battery):
    _, seconds, _, _ = battery
    assert seconds < 3 * DEADLINE


def test_every_check_of_every_site_is_observed(battery):
    by_site, _, _, _ = battery
    assert set(by_site) == {(check, host) for check in CHECKS for host in SITES}


#: Sites that refuse the monitor (rate limits, challenges): other checks see the fetch as "blocked".
REFUSED_US = {"ratelimit.gov.cn": "blocked"}


@pytest.mark.parametrize("host", SITES)
def test_homepage_checks_classify_the_site(battery, host):
    """A site that misbehaves could not be checked, for the reason it misbehaved; never a pass."""
    by_site, _, _, _ = battery
    expected = SITES[host][1]
    expected = REFUSED_US.get(host, expected)
    for check in ("homepage_freshness", "dead_links"):
        observation = by_site[(check, host)]
        if expected == "ok":
            assert observation.outcome == "ok", (check, observation.figures)
        else:
            assert (observation.outcome, observation.figures.get("error")) == ("unreachable", expected), check


@pytest.mark.parametrize("host", SITES)
def test_reachability_records_the_attempt_as_failed_or_not(battery, host):
    by_site, _, _, _ = battery
    observation = by_site[("reachability", host)]
    expected = SITES[host][1]
    if expected == "refused_address":  # no connection was opened: no attempt to count
        assert observation.outcome == "error" and observation.figures["failed"] is False
        assert observation.figures["not_checked"].startswith("refused_address")
    elif host in REFUSED_US:  # the site refused the monitor: blocked, never a failed attempt
        assert observation.outcome == "error" and observation.figures["failed"] is False
        assert observation.figures["blocked"]
    elif expected == "too_large":  # the site answered 200; we only stopped reading: reachable
        assert observation.outcome == "ok" and observation.figures["failed"] is False
        assert observation.figures["status"] == 200 and observation.figures["error"] == "too_large"
    elif expected.startswith("HTTP "):
        assert observation.figures["failed"] is True and observation.figures["status"] == int(expected[5:])
    else:
        assert observation.figures["failed"] is (expected != "ok")
        assert observation.figures.get("error") == (None if expected == "ok" else expected)
        assert observation.figures["elapsed_ms"] <= DEADLINE * 1000 * 1.5


def test_a_good_site_is_timed_fairly_while_hostile_ones_stall_and_bomb(battery):
    """Decoding the bomb and reading the huge body happen alongside; the good site's time stays
    far below the deadline (typically 0.1-0.4 s here on a busy machine)."""
    by_site, _, _, _ = battery
    assert by_site[("reachability", "good.gov.cn")].figures["elapsed_ms"] < 1500


def test_a_redirect_to_the_metadata_address_opens_no_connection_to_it(battery):
    _, _, server, _ = battery
    assert server.requests_for("ssrf.gov.cn")  # the first hop was fetched ...
    assert not server.requests_for("169.254.169.254")  # ... the second never left the fetcher
    assert not any(path.startswith("/latest") for _, _, path in server.requests)


def test_an_intranet_link_is_refused_not_counted_dead(battery):
    by_site, _, _, _ = battery
    figures = by_site[("dead_links", "good.gov.cn")].figures
    assert figures["by_class"].get("refused_address") == 1 and figures["dead"] == 0


def test_head_405_falls_back_to_get_and_the_links_are_fine(battery):
    by_site, _, server, _ = battery
    assert by_site[("dead_links", "nohead.gov.cn")].figures["dead"] == 0
    assert ("HEAD", "/file.pdf") in server.requests_for("nohead.gov.cn")
    assert ("GET", "/file.pdf") in server.requests_for("nohead.gov.cn")


def test_a_lying_charset_is_read_right(battery):
    by_site, _, _, _ = battery
    assert by_site[("homepage_freshness", "charset.gov.cn")].figures["newest_item"] == AS_OF.date().isoformat()


def test_retries_stay_within_the_budgets(battery):
    """Retry-After: 3600 is not waited for (no retry); the 503 storm is retried once (the host budget).

    The homepage's one attempt is shared by reachability and the other checks (ctx.attempt)."""
    _, _, server, fetcher = battery
    assert [m for m, p in server.requests_for("ratelimit.gov.cn") if p == "/"].count("GET") == 1
    assert len(server.requests_for("busy.gov.cn")) == 1 + 1  # the shared attempt, then one retry for the checks
    assert all(n <= 1 for n in fetcher.retries_by_host.values())
