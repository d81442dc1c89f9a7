"""Progress display: rich bars on a terminal, plain log lines under CI or when output is piped."""
from __future__ import annotations

import os
import sys
import time

from rich.progress import (BarColumn, MofNCompleteColumn, Progress as RichProgress, TextColumn, TimeElapsedColumn,
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
            self._rich = RichProgress(TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn(),
                                      TextColumn("{task.fields[note]}"), TimeElapsedColumn(),
                                      TextColumn("left"), TimeRemainingColumn(),
                                      transient=False, console=None)
            self._rich.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._rich:
            self._rich.__exit__(None, None, None)

    def task(self, name: str, total: int) -> "Bar":
        return Bar(self, name, total)

    def log(self, line: str) -> None:
        print(line, file=sys.stderr, flush=True)


class Bar:
    def __init__(self, owner: Progress, name: str, total: int):
        self.owner = owner
        self.name = name
        self.total = total
        self.done = 0
        self._started = self._last_log = time.monotonic()
        self._id = owner._rich.add_task(name, total=total, note="") if owner._rich else None

    def advance(self, note: str = "") -> None:
        self.done += 1
        if self.owner._rich is not None:
            self.owner._rich.update(self._id, advance=1, note=note)
        elif time.monotonic() - self._last_log >= self.owner.log_every_seconds:
            self._last_log = time.monotonic()
            self.owner.log(f"{self.name}: {self.done}/{self.total} {self.timing()} {note}".rstrip())

    def timing(self) -> str:
        """"42%, 1m05s elapsed, about 1m30s left": the estimate assumes the remaining steps cost the same."""
        elapsed = time.monotonic() - self._started
        if not self.total or not self.done:
            return f"{_duration(elapsed)} elapsed"
        left = elapsed / self.done * (self.total - self.done)
        return f"{self.done * 100 // self.total}%, {_duration(elapsed)} elapsed, about {_duration(left)} left"

    def close(self) -> None:
        if self.owner._rich is None:
            self.owner.log(f"{self.name}: {self.done}/{self.total} done in {_duration(time.monotonic() - self._started)}")


def _duration(seconds: float) -> str:
    minutes, rest = divmod(int(round(seconds)), 60)
    return f"{minutes}m{rest:02d}s" if minutes else f"{rest}s"
