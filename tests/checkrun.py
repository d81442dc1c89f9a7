"""Run one check on one entry against a loopback site, as a round would."""
from __future__ import annotations

import asyncio
from datetime import datetime

from collector.checks.base import CheckContext, get_check
from collector.fetch import Fetcher, FetchSettings
from collector.observations import Observation
from collector.profile import Profile, load_profile
from collector.registry import Entry, Registry


def run_check(name: str, entry: Entry, resolve: dict[str, str], as_of: datetime,
              profile: Profile | None = None, registry: Registry | None = None) -> Observation:
    registry = registry or Registry(office="测试", region="测试")

    async def go() -> Observation:
        async with Fetcher(FetchSettings(allow_private_addresses=True, resolve=resolve, retries=0, timeout_seconds=5)) as fetcher:
            ctx = CheckContext(as_of=as_of, profile=profile or load_profile(), registry=registry, fetcher=fetcher)
            return await get_check(name).observe(entry, ctx)

    return asyncio.run(go())
