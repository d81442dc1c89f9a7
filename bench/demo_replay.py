"""Benchmark: replaying the demo world's final monitoring week (2020-06-24..30), 1 vs 2 shards.

Reports wall time, rounds, checks and requests per second. The whole quarter (`make demo`) has the
same shape with 4 reachability attempts a day before this week. `--quarter` replays the whole
quarter with 2 shards instead, as `make demo` does (its goal: the whole `make demo` within 2 minutes).
Usage: .venv/bin/python bench/demo_replay.py [--quarter]
"""
from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from collector.demo_run import DemoRun
from collector.periods import Period
from collector.profile import load_profile
from collector.progress import Progress
from collector.registry import load_registry
from collector.rounds import Schedule


def main() -> None:
    quarter = "--quarter" in sys.argv[1:]
    registry = load_registry("registry/lincang-demo.yaml")
    schedule = Schedule(frequent_per_day=20, background_per_day=4, weekly_on_last_day_only=True)
    for shards in ((2,) if quarter else (1, 2)):
        with tempfile.TemporaryDirectory() as tmp:
            run = DemoRun(registry, Period(2020, 2), load_profile(), Path(tmp), schedule, shards=shards,
                          first_day=date(2020, 4, 1) if quarter else date(2020, 6, 24))
            started = time.perf_counter()
            with Progress(plain=True, log_every_seconds=3600) as progress:
                summary = run.collect(progress)
            wall = time.perf_counter() - started
        print(f"shards={shards}: {wall:5.1f} s wall, {summary.rounds} rounds, {summary.observations} checks "
              f"({summary.observations / wall:,.0f}/s), {summary.requests} requests ({summary.requests / wall:,.0f}/s)")
        name = "demo_quarter_replay_s" if quarter else f"demo_week_replay_{shards}_shards_s"
        print(f"RESULT {name} {wall:.1f} s -")


if __name__ == "__main__":
    main()
