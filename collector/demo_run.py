"""`collector demo-run`: the main job on the bundled demo world, end to end.

The quarter's rounds are replayed at simulated times against the demo world. The replay is split
into shards of whole days that run in parallel processes, each with its own demo world (a child
process), WHOIS and DNS servers on loopback: the same sharding the national scale needs, and what
lets a quarter replay in about a minute on two cores. Nothing leaves 127.0.0.1: every host name is
resolved to a world's port, every WHOIS and DNS question to our servers.
"""
from __future__ import annotations

import asyncio
import multiprocessing
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from collector import domains
from collector.demo.dns_server import dns_server
from collector.demo.worlds import DEFAULT_WORLD, WORLDS
from collector.demo.whois_server import whois_server
from collector.fetch import Fetcher, FetchSettings
from collector.fetch.loop import run as run_loop
from collector.periods import Period
from collector.profile import Profile
from collector.progress import Progress
from collector.registry import Registry
from collector.rounds import Plan, RoundSummary, Schedule, replay, round_weight, split_plan
from collector.store import ObservationStore

WORLD_CLOCK_URL = "http://control.world.test/clock"


def serve_world_forever(world: str = DEFAULT_WORLD) -> None:
    """Child process body: serve the world on a free loopback port, print the port, wait."""
    from collector.demo import server

    async def main() -> None:
        _, port = await WORLDS[world].start(server.WorldClock())
        print(port, flush=True)
        await asyncio.Event().wait()

    run_loop(main())  # uvloop when installed: the world answers every shard request, its loop is its overhead


@contextmanager
def world_process(world: str = DEFAULT_WORLD) -> Iterator[int]:
    """Run the demo world `world` in a child process; yields its loopback port."""
    if world not in WORLDS:
        raise ValueError(f"no demo world {world!r} (known: {', '.join(WORLDS)})")
    child = subprocess.Popen([sys.executable, "-c",
                              f"from collector.demo_run import serve_world_forever as s; s({world!r})"],
                             stdout=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline() if child.stdout else ""
        if not line.strip().isdigit():
            raise RuntimeError(f"the demo world did not start (exit code {child.poll()})")
        yield int(line)
    finally:
        child.terminate()
        child.wait(10)


class _QueueBar:
    """A progress bar in a shard process: each step is sent to the parent's bar."""

    def __init__(self, queue: multiprocessing.Queue, shard: int):
        self.queue = queue
        self.shard = shard

    def advance(self, note: str = "", work: float = 1.0) -> None:
        self.queue.put(("tick", self.shard, note, work))

    def close(self) -> None:
        pass


class _QueueProgress:
    def __init__(self, queue: multiprocessing.Queue, shard: int):
        self.queue = queue
        self.shard = shard

    def task(self, name: str, total: int, work: float | None = None) -> _QueueBar:
        return _QueueBar(self.queue, self.shard)


def replay_shard(registry: Registry, plan: Plan, profile: Profile, store_dir: Path, transport: str,
                 progress: Progress | _QueueProgress | None = None, world: str = DEFAULT_WORLD) -> RoundSummary:
    """Replay part of the quarter against a world, WHOIS and DNS servers of this shard's own."""
    store = ObservationStore(store_dir)
    with world_process(world) as port, whois_server(WORLDS[world].whois_records()) as whois_port, \
            dns_server({}) as dns_port:
        domains.configure({"*": ("127.0.0.1", whois_port)}, ("127.0.0.1", dns_port), whois_min_interval_seconds=0)
        # The world's time is simulated: waiting seconds of real time between retries would only
        # slow the replay, so backoff is short; everything else is as in production.
        settings = FetchSettings(allow_private_addresses=True, resolve={"*": f"127.0.0.1:{port}"}, transport=transport,  # type: ignore[arg-type]
                                 backoff_seconds=0.02)

        async def run() -> RoundSummary:
            async with Fetcher(settings) as fetcher:
                async def set_world_clock(when: datetime) -> None:
                    status = await fetcher.post_json(WORLD_CLOCK_URL, {"now": when.isoformat()})
                    if status != 200:
                        raise RuntimeError(f"the demo world's clock answered HTTP {status}")

                return await replay(registry, plan, profile, fetcher, store, before_round=set_world_clock,
                                    progress=progress)  # type: ignore[arg-type]

        try:
            return run_loop(run())
        finally:
            domains.reset()


def _shard_main(queue: multiprocessing.Queue, index: int, registry: Registry, plan: Plan, profile: Profile,
                store_dir: Path, transport: str, world: str = DEFAULT_WORLD) -> None:
    try:
        queue.put(("done", index, replay_shard(registry, plan, profile, store_dir, transport,
                                               _QueueProgress(queue, index), world)))
    except BaseException as exc:
        queue.put(("failed", index, f"{type(exc).__name__}: {exc}"))
        raise


@dataclass
class DemoRun:
    registry: Registry
    period: Period
    profile: Profile
    store_dir: Path
    schedule: Schedule
    transport: str = "curl"
    shards: int = 2
    first_day: date | None = None
    world: str = DEFAULT_WORLD

    def collect(self, progress: Progress) -> RoundSummary:
        """Replay the quarter into a fresh scratch store (rebuilt on every demo run)."""
        shutil.rmtree(self.store_dir, ignore_errors=True)
        plan = list(self.schedule.rounds(self.first_day or self.period.start, self.period.end))
        parts = split_plan(plan, self.shards)
        if len(parts) == 1:
            return replay_shard(self.registry, plan, self.profile, self.store_dir, self.transport, progress,
                                self.world)
        context = multiprocessing.get_context("spawn")  # no fork of a process that may hold threads
        queue = context.Queue()
        # daemon: a shard never outlives the run (Ctrl-C, an error in another shard)
        workers = [context.Process(target=_shard_main, name=f"demo-shard-{i}", daemon=True,
                                   args=(queue, i, self.registry, part, self.profile, self.store_dir, self.transport,
                                         self.world))
                   for i, part in enumerate(parts)]
        for worker in workers:
            worker.start()
        bar = progress.task("rounds", len(plan), sum(round_weight(c) for _, c in plan))
        results: dict[int, RoundSummary] = {}
        # Shards replay different days side by side: name each shard's day and the days it covers,
        # so the dates shown never seem to jump back and forth.
        at = {i: "starting" for i in range(len(parts))}
        spans = {i: f"{part[0][0]:%m-%d}..{part[-1][0]:%m-%d}" for i, part in enumerate(parts)}
        try:
            while len(results) < len(workers):
                message = queue.get()
                if message[0] == "tick":
                    at[message[1]] = message[2].removeprefix("simulated ")
                    bar.advance("simulated " + " · ".join(f"shard {i + 1} ({spans[i]}) at {note}"
                                                          for i, note in sorted(at.items())), work=message[3])
                elif message[0] == "done":
                    results[message[1]] = message[2]
                else:
                    raise RuntimeError(f"demo shard {message[1]} failed: {message[2]}")
        finally:
            bar.close()
            for worker in workers:
                worker.join(30)
        return RoundSummary.merged([results[i] for i in sorted(results)])

