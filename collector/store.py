"""Append-only observation store: one JSON Lines file per day under data/observations/YYYY/.

Appending (never rewriting) keeps history safe and git diffs small. A crash mid-append can leave
one torn last line. Nothing is lost without a word: the torn line is moved into a `<day>.jsonl.torn`
sidecar, the day file is cut back to its complete lines (one truncate, after the sidecar is on disk), and
the repair is reported (`repairs`, and the `report` callback the CLI prints). A last line that
lacks only its newline but parses is complete and kept. A line that does not parse anywhere else
is a located error (file:line): damage in the middle of history is for a person to look at.

Appends and repairs hold an exclusive lock on the day file, so a reader never "repairs" a line
another process is still writing.

A closed day may be compacted (collector.compact) into `<day>.parquet` beside where its JSONL was
(collector.columnar). Readers read both forms transparently: the Parquet rows first, then any JSONL
lines appended to that day later (a replayed round), leaving out a line whose (at, entry, check) the
Parquet already holds, so a crash between the compacted file's rename and the JSONL's removal never
counts an observation twice. Reads can be narrowed to some entries or checks, so a summary holds
only the batch of entries it is judging, never the whole period.
"""
from __future__ import annotations

import fcntl
import json
import os
import re
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from collector.columnar import ColumnarError, count_rows, read_day, read_keys
from collector.observations import Observation
from govcensus_data.atomic import confined


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
        self._left_out: set[Path] = set()

    def day_file(self, day: date) -> Path:
        """The day's file; a symlinked year folder pointing out of the store is refused."""
        return confined(self.root, f"{day.year:04d}", f"{day.isoformat()}.jsonl")

    def compact_file(self, day: date) -> Path:
        """The day's compacted file (collector.compact), beside its day file."""
        return confined(self.root, f"{day.year:04d}", f"{day.isoformat()}.parquet")

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
            keys = self._compact_keys(day)
            self._keys[day] = keys | {_key(o) for o in self._read_lines(day, None, None, keys)}
        return self._keys[day]

    def _compact_keys(self, day: date) -> set[tuple[str, str, str]]:
        path = self.compact_file(day)
        if not path.exists():
            return set()
        try:
            return read_keys(path)
        except ColumnarError as exc:
            raise StoreError(path, exc.row, exc.problem) from None

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

    def read(self, start: date, end: date, *, entries: Collection[str] | None = None,
             checks: Collection[str] | None = None) -> Iterator[Observation]:
        """Observations dated from start to end inclusive, in file order (chronological).

        `entries` / `checks` narrow the read to those ids and check names (only they are rebuilt).
        A torn last line is repaired and reported first; a bad line elsewhere raises StoreError.
        """
        stored = self._stored_names(start, end)
        day = start
        while day <= end:
            if f"{day.isoformat()}.jsonl" not in stored and f"{day.isoformat()}.parquet" not in stored:
                day += timedelta(days=1)
                continue
            compact = self.compact_file(day)
            seen: set[tuple[str, str, str]] | None = None
            if compact.exists():
                try:
                    yield from read_day(compact, entries, checks)
                except ColumnarError as exc:
                    raise StoreError(compact, exc.row, exc.problem) from None
                if self.day_file(day).exists():  # lines appended after compaction, or a compaction cut short
                    seen = self._compact_keys(day)
            yield from self._read_lines(day, entries, checks, seen)
            day += timedelta(days=1)

    def _stored_names(self, start: date, end: date) -> set[str]:
        """Names of the files in the year folders from start to end: one listing per year, not a look per day."""
        names: set[str] = set()
        for year in range(start.year, end.year + 1):
            folder = confined(self.root, f"{year:04d}")
            if folder.is_dir():
                names.update(os.listdir(folder))
        return names

    def _read_lines(self, day: date, entries: Collection[str] | None, checks: Collection[str] | None,
                    skip: set[tuple[str, str, str]] | None) -> Iterator[Observation]:
        """The day file's observations (repaired first), narrowed and without the keys in `skip`."""
        path = self.day_file(day)
        if not path.exists():
            return
        text = path.read_bytes()
        # once per file and store: what is left unparsable after a repair is damage in the middle of
        # history, located by the parse below, not a second torn line to cut off (summaries read a day
        # once per batch of entries)
        repaired = any(r.path == path for r in self.repairs)
        if text and not repaired and (not text.endswith(b"\n")
                                      or not _parses(text[:-1][text[:-1].rfind(b"\n") + 1:])):
            try:
                self.repair(path)
                text = path.read_bytes()
            except OSError as exc:  # a read-only copy: read what is complete, say what was left
                text = _without_tail(text)
                if self.report and path not in self._left_out:  # said once, not once per batch of entries
                    self._left_out.add(path)
                    self.report(f"{path}: torn last line left out, not repaired ({exc.strerror or exc})")
        wanted_entries = None if entries is None else set(entries)
        wanted_checks = None if checks is None else set(checks)
        for obs in _parse_lines(path, text, wanted_entries, wanted_checks):
            if skip and _key(obs) in skip:
                continue
            yield obs

    def repair_day(self, day: date) -> Repair | None:
        """Repair the day file's torn last line, if any (compaction does this before reading a day)."""
        return self.repair(self.day_file(day))

    def exists_until(self, start: date, end: date, as_of: datetime) -> bool:
        """Whether any observation dated start..end and not after as_of is stored (reading little)."""
        day = start
        while day <= min(end, as_of.date()):
            if day < as_of.date():
                compact = self.compact_file(day)
                try:
                    rows = count_rows(compact) if compact.exists() else 0
                except ColumnarError as exc:
                    raise StoreError(compact, exc.row, exc.problem) from None
                if rows or next(self._read_lines(day, None, None, None), None):
                    return True
            elif any(obs.at <= as_of for obs in self.read(day, day)):
                return True
            day += timedelta(days=1)
        return False

    @contextmanager
    def closing_day(self, day: date) -> Iterator[list[Observation]]:
        """The day's observations, both forms merged and the torn tail repaired, with appends held off.

        For compaction: the block may replace the day with its compacted file and remove the day
        file; an append waiting on the lock then starts a fresh day file (see _locked).
        """
        path = self.day_file(day)
        path.parent.mkdir(parents=True, exist_ok=True)
        with _locked(path) as handle:
            self._repair_tail(path, handle)
            handle.seek(0)
            compact = self.compact_file(day)
            try:
                merged = list(read_day(compact)) if compact.exists() else []
            except ColumnarError as exc:
                raise StoreError(compact, exc.row, exc.problem) from None
            keys = {_key(o) for o in merged}
            merged.extend(o for o in _parse_lines(path, handle.read()) if _key(o) not in keys)
            self._keys.pop(day, None)
            yield merged

    def read_until(self, start: date, as_of: datetime) -> Iterator[Observation]:
        for obs in self.read(start, as_of.date()):
            if obs.at <= as_of:
                yield obs


# Observation.to_json sorts keys, so a line opens with its at, check and entry, before any nested
# value: reading these three is exact, and lets a narrowed read skip a line without parsing it.
_HEAD = re.compile(rb'^\{"at":"[^"\\]*","check":"((?:[^"\\]|\\.)*)","entry":"((?:[^"\\]|\\.)*)",')


def _parse_lines(path: Path, data: bytes, entries: set[str] | None = None,
                 checks: set[str] | None = None) -> Iterator[Observation]:
    narrowed = entries is not None or checks is not None
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        if narrowed and (head := _HEAD.match(raw)):
            try:
                check, entry = json.loads(b'"' + head.group(1) + b'"'), json.loads(b'"' + head.group(2) + b'"')
            except ValueError:
                check = entry = None  # left to the full parse below, which locates the problem
            if (check is not None and (entries is not None and entry not in entries
                                       or checks is not None and check not in checks)):
                continue
        try:
            obs = Observation.from_json(raw.decode("utf-8"))
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise StoreError(path, number, f"not an observation ({type(exc).__name__}: {exc})"[:300]) from None
        if entries is not None and obs.entry not in entries or checks is not None and obs.check not in checks:
            continue
        yield obs


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
    while True:
        with open(path, "ab+") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                # compaction removes a day file under this lock: a writer that waited on the removed
                # file would append to nowhere, so it opens the day file afresh instead
                if not path.exists() or not os.path.samestat(os.fstat(handle.fileno()), os.stat(path)):
                    continue
                yield handle
                return
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _key(obs: Observation) -> tuple[str, str, str]:
    return (obs.at.isoformat(), obs.entry, obs.check)
