"""The 岑州 world's HTTP server: every host on ONE loopback port, routed by Host, with the same
settable clock (`control.world.test/clock`) as the Lincang world.

The decommissioned forestry bureau's host gets its connection dropped. 清溪县's homepage answers
429 with Retry-After in four of the day's hours (a rate limit in front of the site, which is not
the site being down); the daily checks' 09:00 visit is never in them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from aiohttp import web

from collector.demo.cenzhou.pages import Pages
from collector.demo.cenzhou.world import CONTROL_HOST, World, build_world
from collector.demo.feeds import Feeds
from collector.demo.reply import NOT_FOUND, Reply
from collector.demo.server import WorldClock, clock_endpoint

#: World hours in which the throttled host's homepage answers 429 (4 of 24: 20% of reachability attempts).
THROTTLED_HOURS = frozenset({2, 3, 14, 15})
HOMEPAGE_PATHS = ("/", "/index.html")
TOO_MANY = Reply(429, "<html><head><meta charset=\"utf-8\"><title>429 Too Many Requests</title></head>"
                      "<body><h1>访问过于频繁，请稍后再试</h1></body></html>".encode(), "text/html; charset=utf-8")


@cache
def shared_world() -> World:
    """One world per process; it is never modified."""
    return build_world()


def is_throttled(world: World, host: str, path: str, now: datetime) -> bool:
    return host == world.planted.throttled_host and path in HOMEPAGE_PATHS and now.hour in THROTTLED_HOURS


@dataclass
class WorldApp:
    world: World
    clock: WorldClock

    def __post_init__(self) -> None:
        self.pages = Pages(self.world)
        self.feeds = Feeds(self.world)  # type: ignore[arg-type]  # it reads only .accounts

    def answer(self, host: str, path: str) -> tuple[Reply, dict[str, str]]:
        now = self.clock.now
        if is_throttled(self.world, host, path, now):
            return TOO_MANY, {"Retry-After": "120"}
        return self.pages.render(host, path, now) or self.feeds.render(host, path, now) or NOT_FOUND, {}

    async def handle(self, request: web.Request) -> web.StreamResponse:
        host = (request.url.host or "").lower()
        if host in self.world.decommissioned_hosts:
            request.transport.abort()  # a closed site: the connection drops without an answer
            return web.Response(status=444)
        if host == CONTROL_HOST:
            return await self.control(request)
        if request.method not in ("GET", "HEAD"):
            return web.Response(status=405, headers={"Allow": "GET, HEAD"})
        reply, headers = self.answer(host, request.path_qs)
        return web.Response(status=reply.status, body=reply.body,
                            headers={"Content-Type": reply.content_type, **headers})

    async def control(self, request: web.Request) -> web.Response:
        return await clock_endpoint(self.clock, request)


async def start(world: World, clock: WorldClock, host: str = "127.0.0.1", port: int = 0) -> tuple[web.AppRunner, int]:
    """Start serving; returns the runner (to clean up) and the bound port."""
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", WorldApp(world, clock).handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    return runner, runner.addresses[0][1]
