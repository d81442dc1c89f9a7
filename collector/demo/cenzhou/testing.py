"""Run the 岑州 world in a background thread, for tests:

    with running_world() as w:
        httpx.get(f"http://127.0.0.1:{w.port}/", headers={"Host": "www.cenzhou.gov.cn"})
        w.set_clock(datetime(2021, 9, 1, 9, tzinfo=TZ))
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from collector.demo import testing
from collector.demo.cenzhou import server
from collector.demo.cenzhou.world import DEFAULT_NOW


@contextmanager
def running_world(now: datetime | None = None) -> Iterator[testing.WorldHandle]:
    """Serve the 岑州 world on a free loopback port until the block ends (clock: 2021-09-30 09:00)."""
    with testing.running_world(now or DEFAULT_NOW, world=server.shared_world(), start=server.start) as handle:
        yield handle
