"""Progress display: rich bars on a terminal, plain log lines under CI or when output is piped.

A bar counts steps (rounds) but estimates by work: a round of the daily checks costs many
reachability rounds, so `advance(work=...)` says how much each step weighs and the percentage and
the time left follow the work, not the count. The estimate starts at the first step done, so the
start-up (spawning shards, starting worlds) does not inflate it.
"""
from __future__ import annotations

import os
import sys
import time

from rich.progress import (BarColumn, Progress as RichProgress, TaskProgressColumn, TextColumn, TimeElapsedColumn,
                           TimeRemainingColumn)


def plain_output() -> bool:
    return bool(os.environ.get("CI")) or not sys.stderr.isatty()


class Progress:
    """`with Progress() as p: bar = p.task("rounds", n); bar.advance(); bar.close()`."""

    def __init__(self, plain: bool | None = None, log_every_seconds: float = 10.0):
        self.plain = plain_output() if plain is None else plain
        self.log_every_seconds = log_every_seconds
        self._rich: RichProgress | None = None

    def __enter__(self) -> "Progress":
        if not self.plain:
            self._rich = RichProgress(TextColumn("{task.description:<10}"), BarColumn(), TaskProgressColumn(),
                                      TextColumn("{task.fields[count]}"), TextColumn("{task.fields[note]}"),
                                      TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
                                      transient=False, console=None)
            self._rich.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._rich:
            self._rich.__exit__(None, None, None)

    def task(self, name: str, total: int, work: float | None = None) -> "Bar":
        """A bar of `total` steps weighing `work` in all (default: one per step)."""
        return Bar(self, name, total, work)

    def log(self, line: str) -> None:
        print(line, file=sys.stderr, flush=True)


class Bar:
    def __init__(self, owner: Progress, name: str, total: int, work: float | None = None):
        self.owner = owner
        self.name = name
        self.total = total
        self.work_total = float(total if work is None else work)
        self.done = 0
        self.work_done = 0.0
        self._started = self._last_log = time.monotonic()
        #: (time, work done) at the first step: the rate is measured from there
        self._first: tuple[float, float] | None = None
        self._id = (owner._rich.add_task(name, total=self.work_total or 1, note="", count=f"0/{total}")
                    if owner._rich else None)

    def advance(self, note: str = "", work: float = 1.0) -> None:
        self.done += 1
        self.work_done += work
        if self._first is None:
            self._first = (time.monotonic(), self.work_done)
        if self.owner._rich is not None:
            self.owner._rich.update(self._id, advance=work, note=note, count=f"{self.done}/{self.total}")
        elif time.monotonic() - self._last_log >= self.owner.log_every_seconds:
            self._last_log = time.monotonic()
            self.owner.log(f"{self.name}: {self.done}/{self.total} {self.timing()} {note}".rstrip())

    def timing(self) -> str:
        """"42%, 1m05s elapsed, about 1m30s left": the remaining work at the rate since the first step."""
        now = time.monotonic()
        elapsed = now - self._started
        if not self.work_total or not self.done:
            return f"{_duration(elapsed)} elapsed"
        share = min(self.work_done / self.work_total, 1.0)
        percent = f"{int(share * 100)}%, {_duration(elapsed)} elapsed"
        first_at, first_work = self._first or (self._started, 0.0)
        measured = self.work_done - first_work
        if measured <= 0:  # one step so far: no rate yet
            return percent
        left = (now - first_at) / measured * (self.work_total - self.work_done)
        return f"{percent}, about {_duration(max(left, 0.0))} left"

    def close(self) -> None:
        if self.owner._rich is None:
            self.owner.log(f"{self.name}: {self.done}/{self.total} done in {_duration(time.monotonic() - self._started)}")


def _duration(seconds: float) -> str:
    minutes, rest = divmod(int(round(seconds)), 60)
    return f"{minutes}m{rest:02d}s" if minutes else f"{rest}s"
