"""The new-media checks against the demo world: every post link opens and no post carries personal
data or a wording error, so the only new-media problem stays the planted one — the natural-resources
WeChat account, silent since 25 May, whose history shows a 36-day gap at the end of the quarter."""
from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from collector.checks.base import CheckContext, get_check
from collector.demo.testing import WorldHandle
from collector.demo.world import DEFAULT_NOW
from collector.fetch import Fetcher, FetchSettings
from collector.observations import Observation
from collector.periods import Period
from collector.profile import load_profile

PROFILE = load_profile()


def round_at(handle: WorldHandle, now: datetime, names: tuple[str, ...]) -> list[Observation]:
    """One round of the named checks over every account, with the world's clock at `now`."""
    handle.set_clock(now)
    registry = handle.world.registry()
    checks = [get_check(name) for name in names]
    pairs = [(check, entry) for check in checks for entry in registry.entries() if check.applies(entry)]

    async def go() -> list[Observation]:
        async with Fetcher(FetchSettings(allow_private_addresses=True, resolve={"*": f"127.0.0.1:{handle.port}"})) as fetcher:
            ctx = CheckContext(as_of=now, profile=PROFILE, registry=registry, fetcher=fetcher)
            return list(await asyncio.gather(*(check.observe(entry, ctx) for check, entry in pairs)))

    return asyncio.run(go())


def test_every_recent_post_link_opens_and_no_post_is_flagged(world_handle) -> None:
    observations = round_at(world_handle, DEFAULT_NOW, ("newmedia_posts",))
    assert len(observations) == 63
    assert {o.outcome for o in observations} == {"ok"}
    assert sum(o.figures["posts_checked"] for o in observations) > 20
    assert sum(o.figures["links_checked"] for o in observations) == sum(o.figures["by_class"].get("ok", 0)
                                                                       for o in observations)


def test_the_last_week_shows_the_stale_accounts_36_day_gap_and_no_other(world_handle) -> None:
    week = [o for day in range(7) for o in round_at(world_handle, DEFAULT_NOW - timedelta(days=6 - day),
                                                   ("newmedia_freshness",))]
    check, registry = get_check("newmedia_freshness"), world_handle.world.registry()
    gaps = {}
    for entry in (e for e in registry.entries() if check.applies(e)):
        mine = [o for o in week if o.entry == entry.id]
        judged = check.judge(entry, mine, Period(2020, 2), PROFILE)
        gaps[entry.id] = (check.period_figures(mine, PROFILE)["longest_gap_days"],
                          [j.finding.code for j in judged if j.finding.code == "account_gap"])
    stale = world_handle.world.planted.stale_account
    assert gaps.pop(stale) == (36, ["account_gap"])
    assert all(code == [] and days <= 4 for days, code in gaps.values())
