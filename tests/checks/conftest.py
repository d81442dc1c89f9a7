"""Fixtures for the content checks: a way to run one check against the loopback server of
tests/loopback.py with every host name mapped to it (under the default profile), and the demo world."""
from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone

import pytest

from collector.checks.base import CheckContext, get_check
from collector.demo.testing import WorldHandle, running_world
from collector.fetch import Fetcher, FetchSettings
from collector.observations import Observation
from collector.profile import Profile
from collector.registry import Entry, Registry
from loopback import LoopbackSite

AS_OF = datetime(2020, 6, 30, 9, 0, tzinfo=timezone(timedelta(hours=8)))


@pytest.fixture
def run_check(profile: Profile) -> Callable[..., Observation]:
    """One round of one check on one entry, through a real fetcher against the loopback server."""
    def run(name: str, entry: Entry, site: LoopbackSite, registry: Registry | None = None) -> Observation:
        async def go() -> Observation:
            settings = FetchSettings(allow_private_addresses=True, resolve=site.resolve, retries=0, timeout_seconds=5)
            async with Fetcher(settings) as fetcher:
                ctx = CheckContext(as_of=AS_OF, profile=profile, fetcher=fetcher,
                                   registry=registry or Registry(office="测试", region="测试", websites=(entry,)))
                return await get_check(name).observe(entry, ctx)

        return asyncio.run(go())

    return run


@pytest.fixture(scope="module")
def demo_world() -> Iterator[WorldHandle]:
    """The demo world (Lincang 2020 Q2) on a loopback port, at its default time (2020-06-30 09:00)."""
    with running_world() as handle:
        yield handle


@pytest.fixture(scope="module")
def run_on_demo(demo_world: WorldHandle, profile: Profile) -> Callable[..., dict[str, Observation]]:
    """One round of one check over the chosen registry entries of the demo world, in one shared context."""
    def run(name: str, entry_ids: list[str] | None = None) -> dict[str, Observation]:
        registry = demo_world.world.registry()
        check = get_check(name)
        entries = [e for e in registry.entries() if check.applies(e) and (entry_ids is None or e.id in entry_ids)]

        async def go() -> dict[str, Observation]:
            settings = FetchSettings(allow_private_addresses=True, resolve={"*": f"127.0.0.1:{demo_world.port}"})
            async with Fetcher(settings) as fetcher:
                ctx = CheckContext(as_of=demo_world.now, profile=profile, registry=registry, fetcher=fetcher)
                observations = await asyncio.gather(*(check.observe(entry, ctx) for entry in entries))
            return {entry.id: observation for entry, observation in zip(entries, observations)}

        return asyncio.run(go())

    return run
