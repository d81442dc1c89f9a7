"""The demo world's HTTP server: every host name of the world on ONE loopback port, routed by the
Host header (the collector connects like `curl --resolve`), with a settable world clock.

`control.world.test`: `GET /clock` -> {"now": iso}; `POST /clock` {"now": iso} sets it.
Decommissioned hosts (www.lcsd.gov.cn, www.lcda.gov.cn) get their connection reset, as a closed
site's address would; unknown hosts get a 404 page. Rendered pages are cached per host, path and
what the page depends on at the world's time (`Pages.version`: the date where a page shows it, whether
an article has appeared, the number of the host's events already past), which is exactly when a page
can change.
"""
from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from aiohttp import web

from collector.demo.feeds import Feeds
from collector.demo.pages import Pages
from collector.demo.reply import NOT_FOUND, Reply
from collector.demo.world import CONTROL_HOST, DEFAULT_NOW, TZ, World

CACHE_SIZE = 20_000
FLAKY_PER_MILLE = 15
HOMEPAGE_PATHS = ("/", "/index.html")


class WorldClock:
    """The world's time. It only moves when set, never with the wall clock."""

    def __init__(self, now: datetime = DEFAULT_NOW):
        self.now = now

    def set(self, now: datetime) -> None:
        if now.tzinfo is None:
            raise ValueError("the world clock needs a time zone, e.g. 2020-06-30T09:00:00+08:00")
        self.now = now.astimezone(TZ)


def is_flaky(world: World, host: str, path: str, now: datetime) -> bool:
    """Whether the flaky county portal's homepage answers 503: 1.5% of (minute, path) pairs.

    Only the homepage flakes: reachability is judged on it, and a flaky stylesheet or list page
    would plant dead links the seed circular does not report.
    """
    if host != world.planted.flaky_host or path not in HOMEPAGE_PATHS:
        return False
    digest = hashlib.blake2b(f"{now:%Y-%m-%dT%H:%M}|{path}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") % 1000 < FLAKY_PER_MILLE


@dataclass
class WorldApp:
    """Answers requests from the world model; one instance per server."""

    world: World
    clock: WorldClock

    def __post_init__(self) -> None:
        self.pages = Pages(self.world)
        self.feeds = Feeds(self.world)
        self.cache: OrderedDict[tuple, Reply] = OrderedDict()
        self.reset_hosts = self.world.decommissioned_hosts

    def answer(self, host: str, path: str) -> Reply:
        now = self.clock.now
        if is_flaky(self.world, host, path, now):
            return Reply(503, b"<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>",
                         "text/html")
        key = (host, path, *self.pages.version(host, path, now))
        reply = self.cache.get(key)
        if reply is not None:
            self.cache.move_to_end(key)
            return reply
        reply = self.pages.render(host, path, now) or self.feeds.render(host, path, now) or NOT_FOUND
        self.cache[key] = reply
        if len(self.cache) > CACHE_SIZE:
            self.cache.popitem(last=False)
        return reply

    async def handle(self, request: web.Request) -> web.StreamResponse:
        host = (request.url.host or "").lower()
        if host in self.reset_hosts:
            request.transport.abort()  # a closed site: the client sees the connection drop, no answer
            return web.Response(status=444)  # never sent; aiohttp wants a response object
        if host == CONTROL_HOST:
            return await self.control(request)
        if request.method not in ("GET", "HEAD"):
            return web.Response(status=405, headers={"Allow": "GET, HEAD"})
        reply = self.answer(host, request.path_qs)
        return web.Response(status=reply.status, body=reply.body, headers={"Content-Type": reply.content_type})

    async def control(self, request: web.Request) -> web.Response:
        return await clock_endpoint(self.clock, request)


def make_app(world: World, clock: WorldClock) -> web.Application:
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", WorldApp(world, clock).handle)
    return app


async def start(world: World, clock: WorldClock, host: str = "127.0.0.1", port: int = 0) -> tuple[web.AppRunner, int]:
    """Start serving; returns the runner (to clean up) and the bound port."""
    runner = web.AppRunner(make_app(world, clock), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    return runner, runner.addresses[0][1]


async def clock_endpoint(clock: WorldClock, request: web.Request) -> web.Response:
    """control.world.test/clock of every demo world: GET reads the world's clock, POST {"now": …} sets it."""
    if request.path != "/clock":
        return web.Response(status=404, text="control.world.test knows only /clock")
    if request.method == "POST":
        try:
            payload = await request.json()
            clock.set(datetime.fromisoformat(payload["now"]))
        except (ValueError, KeyError, TypeError) as exc:
            return web.json_response({"error": f"expected {{\"now\": ISO time with offset}}: {exc}"}, status=400)
    elif request.method != "GET":
        return web.Response(status=405, headers={"Allow": "GET, POST"})
    return web.Response(text=json.dumps({"now": clock.now.isoformat()}), content_type="application/json")
