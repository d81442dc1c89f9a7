"""`collector compact`: closed days' JSONL into zstd Parquet (collector.columnar), nothing lost on the way.

The day's JSONL is the append log while the day is open; once the day is over (China time) nothing
should be appended to it but a replay, and a year of hourly rounds in JSONL is far larger than git
and summaries want. A day is compacted under the day file's lock (collector.store.closing_day):
the torn tail is repaired first (the store's own repair, the torn line kept in its sidecar), the
Parquet is written to a temporary file and read back row for row against what was read from the
day, and only then renamed into place and the JSONL removed. A crash at any point leaves the JSONL,
or both forms (which readers merge without counting twice), never neither.
"""
from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from collector.columnar import ColumnarError, encode_day, read_day
from collector.periods import CHINA_TZ
from collector.store import ObservationStore

DAY_FILE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\.jsonl$")


class CompactError(ValueError):
    """A day that could not be compacted; its JSONL is left as it was."""


@dataclass(frozen=True)
class CompactedDay:
    day: date
    rows: int
    jsonl_bytes: int
    parquet_bytes: int

    def line(self) -> str:
        return (f"{self.day.isoformat()}: {self.rows} observations, {self.jsonl_bytes} bytes of JSONL "
                f"-> {self.parquet_bytes} bytes of Parquet")


def today_in_china() -> date:
    return datetime.now(CHINA_TZ).date()


def closed_days(store: ObservationStore, before: date) -> list[date]:
    """Days with a JSONL day file dated before `before`, oldest first."""
    days = []
    if not store.root.exists():
        return days
    for year in sorted(p for p in store.root.iterdir() if p.is_dir() and re.fullmatch(r"\d{4}", p.name)):
        for path in sorted(year.iterdir()):
            match = DAY_FILE.match(path.name)
            if not match:
                continue
            try:
                day = date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                continue
            if day < before and str(day.year) == year.name:
                days.append(day)
    return days


def compact_day(store: ObservationStore, day: date) -> CompactedDay | None:
    """Compact one day; None when its day file holds nothing to keep (the empty file is removed)."""
    path, target = store.day_file(day), store.compact_file(day)
    with store.closing_day(day) as observations:
        jsonl_bytes = path.stat().st_size
        if not observations:
            path.unlink()
            return None
        data = encode_day(observations)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            _verify(tmp, observations)
            os.chmod(tmp, 0o644)  # like the day file it replaces (mkstemp makes it private)
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        _fsync_folder(target.parent)
        path.unlink()
        _fsync_folder(path.parent)
    return CompactedDay(day, len(observations), jsonl_bytes, len(data))


def _verify(written: Path, expected: list) -> None:
    """Read the compacted file back and compare every row with what was read from the day."""
    try:
        back = [o.to_json() for o in read_day(written)]
    except ColumnarError as exc:
        raise CompactError(f"{written}: the compacted file does not read back ({exc.problem})") from None
    wanted = [o.to_json() for o in expected]
    if back != wanted:
        first = next((i for i, (a, b) in enumerate(zip(back, wanted)) if a != b), min(len(back), len(wanted)))
        raise CompactError(f"{written}: the compacted file differs from the day at row {first + 1} "
                           f"({len(back)} rows read back, {len(wanted)} expected); the day file is kept")


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def compact(store: ObservationStore, before: date | None = None,
            report: Callable[[str], None] | None = None) -> list[CompactedDay]:
    """Compact every closed day before `before` (never today or later in China time)."""
    limit = today_in_china() if before is None else min(before, today_in_china())
    done = []
    for day in closed_days(store, limit):
        result = compact_day(store, day)
        if result:
            done.append(result)
            if report:
                report(result.line())
    return done
