"""`collector demo-run`: the main job on the bundled demo world, end to end.

Starts the demo world (its own process, so server and collector use both cores), our WHOIS and DNS
servers on loopback, replays every scheduled round of the quarter at simulated times (the world's
clock follows each round), then writes the period's summaries into content/. Nothing leaves
127.0.0.1: every host name is resolved to the world's port, every WHOIS and DNS question to ours.
"""
from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from collector import domains
from collector.demo.dns_server import dns_server
from collector.demo.whois_server import whois_server
from collector.fetch import Fetcher, FetchSettings
from collector.periods import Period
from collector.profile import Profile
from collector.progress import Progress
from collector.registry import Registry
from collector.rounds import RoundSummary, Schedule, replay
from collector.store import ObservationStore

WORLD_CLOCK_URL = "http://control.world.test/clock"


def serve_world_forever() -> None:
    """Child process body: serve the world on a free loopback port, print the port, wait."""
    from collector.demo import server
    from collector.demo.testing import shared_world

    async def main() -> None:
        _, port = await server.start(shared_world(), server.WorldClock())
        print(port, flush=True)
        await asyncio.Event().wait()

    asyncio.run(main())


@contextmanager
def world_process() -> Iterator[int]:
    """Run the demo world in a child process (so both cores work); yields its loopback port."""
    child = subprocess.Popen([sys.executable, "-c", "from collector.demo_run import serve_world_forever as s; s()"],
                             stdout=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline() if child.stdout else ""
        if not line.strip().isdigit():
            raise RuntimeError(f"the demo world did not start (exit code {child.poll()})")
        yield int(line)
    finally:
        child.terminate()
        child.wait(10)


@dataclass
class DemoRun:
    registry: Registry
    period: Period
    profile: Profile
    store_dir: Path
    schedule: Schedule
    transport: str = "aiohttp"

    def collect(self, progress: Progress) -> RoundSummary:
        """Replay the quarter against a fresh demo world into a fresh demo store."""
        from collector.demo.testing import shared_world

        shutil.rmtree(self.store_dir, ignore_errors=True)  # a scratch store, rebuilt on every demo run
        store = ObservationStore(self.store_dir)
        with world_process() as port, whois_server(shared_world().whois_records) as whois_port, \
                dns_server({}) as dns_port:
            domains.configure({"*": ("127.0.0.1", whois_port)}, ("127.0.0.1", dns_port),
                              whois_min_interval_seconds=0)
            try:
                settings = FetchSettings(resolve={"*": f"127.0.0.1:{port}"}, transport=self.transport)  # type: ignore[arg-type]
                return asyncio.run(self._replay(settings, store, progress))
            finally:
                domains.reset()

    async def _replay(self, settings: FetchSettings, store: ObservationStore, progress: Progress) -> RoundSummary:
        async with Fetcher(settings) as fetcher:
            async def set_world_clock(when: datetime) -> None:
                status = await fetcher.post_json(WORLD_CLOCK_URL, {"now": when.isoformat()})
                if status != 200:
                    raise RuntimeError(f"the demo world's clock answered HTTP {status}")

            return await replay(self.registry, self.period.start, self.period.end, self.profile, fetcher, store,
                                self.schedule, before_round=set_world_clock, progress=progress)
