"""Append-only observation store: one JSON Lines file per day under data/observations/YYYY/.

Appending (never rewriting) keeps history safe and git diffs small. A crash mid-append can leave
one torn last line. Nothing is lost without a word: the torn line is moved into a `<day>.jsonl.torn`
sidecar, the day file is cut back to its complete lines (one truncate, after the sidecar is on disk), and
the repair is reported (`repairs`, and the `report` callback the CLI prints). A last line that
lacks only its newline but parses is complete and kept. A line that does not parse anywhere else
is a located error (file:line): damage in the middle of history is for a person to look at.

Appends and repairs hold an exclusive lock on the day file, so a reader never "repairs" a line
another process is still writing.
"""
from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from collector.atomic import confined
from collector.observations import Observation


class StoreError(ValueError):
    """A stored observation line that cannot be read, with the file and line it is on."""

    def __init__(self, path: Path, line: int, problem: str):
        super().__init__(f"{path}:{line}: {problem}")
        self.path = path
        self.line = line


@dataclass(frozen=True)
class Repair:
    """A torn last line moved out of a day file."""

    path: Path
    sidecar: Path
    lines: int

    def message(self) -> str:
        return f"{self.path}: {self.lines} torn line repaired (kept in {self.sidecar})"


class ObservationStore:
    def __init__(self, root: str | Path, report: Callable[[str], None] | None = None):
        self.root = Path(root)
        self.report = report
        self.repairs: list[Repair] = []
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
            with _locked(path) as handle:
                self._repair_tail(path, handle)
                handle.seek(0, os.SEEK_END)
                handle.write("".join(line + "\n" for line in lines).encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())
        return sum(len(lines) for lines in by_day.values())

    def _day_keys(self, day: date) -> set[tuple[str, str, str]]:
        if day not in self._keys:
            self._keys[day] = {_key(o) for o in self.read(day, day)}
        return self._keys[day]

    def repair(self, path: Path) -> Repair | None:
        """Repair a torn last line of one day file (see the module docstring); None if it had none."""
        if not path.exists():
            return None
        with _locked(path) as handle:
            return self._repair_tail(path, handle)

    def _repair_tail(self, path: Path, handle: BinaryIO) -> Repair | None:
        """With the day file locked: keep a complete last line (adding its newline), move a torn one aside.

        The torn line reaches the sidecar (fsynced) before the day file is cut, and cutting is one
        truncate: a crash in between leaves the line in both places, never in neither.
        """
        handle.seek(0)
        data = handle.read()
        if not data:
            return None
        body = data[:-1] if data.endswith(b"\n") else data
        cut = body.rfind(b"\n") + 1
        last = body[cut:]
        if _parses(last):
            if not data.endswith(b"\n"):
                handle.seek(0, os.SEEK_END)
                handle.write(b"\n")
                handle.flush()
                os.fsync(handle.fileno())
            return None
        sidecar = path.with_name(path.name + ".torn")
        with open(sidecar, "ab") as torn:
            torn.write(last + b"\n")
            torn.flush()
            os.fsync(torn.fileno())
        handle.truncate(cut)
        handle.flush()
        os.fsync(handle.fileno())
        repair = Repair(path, sidecar, 1)
        self.repairs.append(repair)
        if self.report:
            self.report(repair.message())
        return repair

    def read(self, start: date, end: date) -> Iterator[Observation]:
        """Observations dated from start to end inclusive, in file order (chronological).

        A torn last line is repaired and reported first; a bad line elsewhere raises StoreError.
        """
        day = start
        while day <= end:
            path = self.day_file(day)
            if path.exists():
                text = path.read_bytes()
                if text and (not text.endswith(b"\n") or not _parses(text[:-1][text[:-1].rfind(b"\n") + 1:])):
                    try:
                        self.repair(path)
                        text = path.read_bytes()
                    except OSError as exc:  # a read-only copy: read what is complete, say what was left
                        text = _without_tail(text)
                        if self.report:
                            self.report(f"{path}: torn last line left out, not repaired ({exc.strerror or exc})")
                yield from _parse_lines(path, text)
            day += timedelta(days=1)

    def read_until(self, start: date, as_of: datetime) -> Iterator[Observation]:
        for obs in self.read(start, as_of.date()):
            if obs.at <= as_of:
                yield obs


def _parse_lines(path: Path, data: bytes) -> Iterator[Observation]:
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            yield Observation.from_json(raw.decode("utf-8"))
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise StoreError(path, number, f"not an observation ({type(exc).__name__}: {exc})"[:300]) from None


def _without_tail(data: bytes) -> bytes:
    """The lines before the last one."""
    body = data[:-1] if data.endswith(b"\n") else data
    return data[: body.rfind(b"\n") + 1]


def _parses(line: bytes) -> bool:
    if not line.strip():
        return True
    try:
        Observation.from_json(line.decode("utf-8"))
    except (ValueError, TypeError, KeyError, AttributeError, json.JSONDecodeError):
        return False
    return True


@contextmanager
def _locked(path: Path) -> Iterator[BinaryIO]:
    """The day file, open for update under an exclusive advisory lock (created if missing)."""
    with open(path, "ab+") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield handle
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _key(obs: Observation) -> tuple[str, str, str]:
    return (obs.at.isoformat(), obs.entry, obs.check)
