"""Benchmark: CPU and wall time of our Fetcher over each transport, against a loopback server.

The case from the issue: 2,000 requests at concurrency 128 to a server that answers after 50 ms.
The server runs in a separate process so that the client's CPU time (resource.getrusage) is
measured alone. Usage: .venv/bin/python bench/transport.py [--requests 2000] [--concurrency 128]
"""
from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import resource
import socket
import time

from aiohttp import web

from collector.fetch import Fetcher, FetchSettings

PAGE = ("<html><body>" + "<li><a href='/a'>临沧市人民政府 通知公告</a> 2020-06-29</li>" * 60 + "</body></html>").encode()


def serve(port: int, latency: float) -> None:
    async def handler(request: web.Request) -> web.Response:
        await asyncio.sleep(latency)
        return web.Response(body=PAGE, content_type="text/html", charset="utf-8")

    app = web.Application()
    app.router.add_get("/{tail:.*}", handler)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def run(transport: str, port: int, requests: int, concurrency: int) -> tuple[float, float, int]:
    settings = FetchSettings(allow_private_addresses=True, transport=transport, resolve={"*": f"127.0.0.1:{port}"}, total_concurrency=concurrency,
                             per_host_concurrency=concurrency, retries=0)
    hosts = [f"www.site{i}.gov.cn" for i in range(16)]
    slots = asyncio.Semaphore(concurrency)
    async with Fetcher(settings) as fetcher:
        async def one(i: int) -> bool:
            async with slots:
                return (await fetcher.get(f"http://{hosts[i % len(hosts)]}/p{i}")).ok

        cpu0 = resource.getrusage(resource.RUSAGE_SELF)
        wall0 = time.perf_counter()
        ok = sum(await asyncio.gather(*(one(i) for i in range(requests))))
        wall = time.perf_counter() - wall0
        cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    return wall, cpu, ok


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=128)
    parser.add_argument("--latency", type=float, default=0.05)
    args = parser.parse_args()
    port = free_port()
    server = multiprocessing.Process(target=serve, args=(port, args.latency), daemon=True)
    server.start()
    time.sleep(1.0)
    try:
        print(f"{args.requests} requests, concurrency {args.concurrency}, server latency {args.latency * 1000:.0f} ms")
        for transport in ("httpx", "aiohttp"):
            wall, cpu, ok = asyncio.run(run(transport, port, args.requests, args.concurrency))
            print(f"  {transport:8} wall {wall:6.2f} s   client CPU {cpu:6.2f} s   ok {ok}/{args.requests}")
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
