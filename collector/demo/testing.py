"""Run the demo world in a background thread, for tests and for other engineers' fixtures.

    with running_world() as w:
        httpx.get(f"http://127.0.0.1:{w.port}/", headers={"Host": "www.lincang.gov.cn"})
        w.set_clock(datetime(2020, 5, 1, 9, tzinfo=TZ))
"""
from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from collector.demo import server
from collector.demo.world import DEFAULT_NOW, World, build_world, whois_records  # noqa: F401 (WorldSpec)


@cache
def shared_world() -> World:
    """One world per process: building it takes about a second and it is never modified."""
    return build_world()


@dataclass
class WorldHandle:
    port: int
    world: Any  # World, or another demo world's model
    clock: server.WorldClock

    def set_clock(self, now: datetime) -> None:
        self.clock.set(now)

    @property
    def now(self) -> datetime:
        return self.clock.now

    @property
    def resolve(self) -> str:
        """The collector's --resolve value that sends every host name here."""
        return f"*=127.0.0.1:{self.port}"


@contextmanager
def running_world(now: datetime | None = None, world: Any = None,
                  start: Callable[..., Awaitable[tuple[Any, int]]] | None = None) -> Iterator[WorldHandle]:
    """Serve the demo world on a free loopback port until the block ends (another world: pass its
    model and its server's start, as collector.demo.cenzhou.testing does)."""
    world = world if world is not None else shared_world()
    start = start or server.start
    clock = server.WorldClock()
    clock.set(now or DEFAULT_NOW)
    loop = asyncio.new_event_loop()
    started = threading.Event()
    box: dict = {}

    def run() -> None:
        asyncio.set_event_loop(loop)
        try:
            box["runner"], box["port"] = loop.run_until_complete(start(world, clock))
        except BaseException as exc:  # reported to the caller's thread below
            box["error"] = exc
            started.set()
            return
        started.set()
        loop.run_forever()
        loop.run_until_complete(box["runner"].cleanup())
        loop.close()

    thread = threading.Thread(target=run, name="demo-world", daemon=True)
    thread.start()
    started.wait()
    if "error" in box:
        thread.join()
        raise box["error"]
    try:
        yield WorldHandle(port=box["port"], world=world, clock=clock)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
