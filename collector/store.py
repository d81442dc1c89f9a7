"""Append-only observation store: one JSON Lines file per day under data/observations/YYYY/.

Appending (never rewriting) keeps history safe and git diffs small. A crash mid-append can leave
one partial last line; readers skip a final line that has no newline, so it is never half-read.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

from collector.atomic import confined
from collector.observations import Observation


class ObservationStore:
    def __init__(self, root: str | Path):
        self.root = Path(root)
        self._keys: dict[date, set[tuple[str, str, str]]] = {}

    def day_file(self, day: date) -> Path:
        """The day's file; a symlinked year folder pointing out of the store is refused."""
        return confined(self.root, f"{day.year:04d}", f"{day.isoformat()}.jsonl")

    def append(self, observations: Iterable[Observation]) -> int:
        """Append observations to their day files; returns how many were written.

        An observation of the same entry, check and time as a stored one is skipped, so a round
        that is re-run (a retried CI job, a repeated demo) does not count twice.
        """
        by_day: dict[date, list[str]] = {}
        for obs in observations:
            day = obs.at.date()
            keys = self._day_keys(day)
            key = _key(obs)
            if key in keys:
                continue
            keys.add(key)
            by_day.setdefault(day, []).append(obs.to_json())
        for day, lines in sorted(by_day.items()):
            path = self.day_file(day)
            path.parent.mkdir(parents=True, exist_ok=True)
            self._drop_partial_tail(path)
            with open(path, "a", encoding="utf-8") as handle:
                handle.write("".join(line + "\n" for line in lines))
                handle.flush()
                os.fsync(handle.fileno())
        return sum(len(lines) for lines in by_day.values())

    def _day_keys(self, day: date) -> set[tuple[str, str, str]]:
        if day not in self._keys:
            self._keys[day] = {_key(o) for o in self.read(day, day)}
        return self._keys[day]

    @staticmethod
    def _drop_partial_tail(path: Path) -> None:
        """Cut a partial last line left by a crash, so new lines do not glue onto it."""
        if not path.exists() or path.stat().st_size == 0:
            return
        with open(path, "rb+") as handle:
            handle.seek(-1, os.SEEK_END)
            if handle.read(1) == b"\n":
                return
            data = path.read_bytes()
            handle.truncate(data.rfind(b"\n") + 1)

    def read(self, start: date, end: date) -> Iterator[Observation]:
        """Observations dated from start to end inclusive, in file order (chronological)."""
        day = start
        while day <= end:
            path = self.day_file(day)
            if path.exists():
                text = path.read_text(encoding="utf-8")
                complete = text if text.endswith("\n") else text[: text.rfind("\n") + 1]
                for number, line in enumerate(complete.splitlines(), start=1):
                    if line:
                        yield _parse(path, number, line)
            day += timedelta(days=1)

    def read_until(self, start: date, as_of: datetime) -> Iterator[Observation]:
        for obs in self.read(start, as_of.date()):
            if obs.at <= as_of:
                yield obs


class StoreError(ValueError):
    """A stored line that is not an observation (a hand edit, a bad merge): file and line, never a traceback."""


def _parse(path: Path, number: int, line: str) -> Observation:
    try:
        return Observation.from_json(line)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise StoreError(f"{path}, line {number}: not an observation ({type(exc).__name__}: {exc})") from None


def _key(obs: Observation) -> tuple[str, str, str]:
    return (obs.at.isoformat(), obs.entry, obs.check)
