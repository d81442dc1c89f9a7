"""A closed day of observations as one Parquet file (zstd): the compact form of history.

Why this layout: the fields summaries filter on (entry, check) and the small repeated ones (kind,
outcome, at) are plain columns, which Parquet dictionary-encodes and zstd squeezes to a few bytes a
row; figures and findings stay the JSON text of the day file's line (sorted keys), so a row
rebuilds exactly the observation that was appended, and an old reader's schema never has to
follow a check's new figure. Rows are sorted by entry (stably: within an entry the day's order is
kept) and cut into row groups, so a read of a few entries skips the groups whose min/max entry
cannot hold them. The `line` column is the row's line number in the day file it came from: reads
hand rows back in that order, so a compacted day reads exactly like the JSONL it replaced.

Every row is rebuilt through Observation.from_dict, so the masking gate applies on the way in.
"""
from __future__ import annotations

import io
import json
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from collector.observations import SCHEMA_VERSION, Observation
from govcensus_data.atomic import write_atomic

FORMAT_KEY = b"govcensus.observations"
FORMAT_VALUE = f"parquet/{SCHEMA_VERSION}".encode()
ROW_GROUP_ROWS = 16_384  # a national day (~2M rows) in ~120 groups: a batch of entries skips most of them
ZSTD_LEVEL = 9
# rows rebuilt into Observations at a time: bounds the Python objects alive in a read
READ_CHUNK = 8_192

SCHEMA = pa.schema([
    ("line", pa.int32()),
    ("at", pa.string()),
    ("entry", pa.string()),
    ("kind", pa.string()),
    ("check", pa.string()),
    ("outcome", pa.string()),
    ("figures", pa.string()),
    ("findings", pa.string()),
], metadata={FORMAT_KEY: FORMAT_VALUE})


class ColumnarError(ValueError):
    """A compacted day file that cannot be read, with the row it is on when one is known."""

    def __init__(self, path: Path, row: int, problem: str):
        super().__init__(f"{path}: row {row}: {problem}" if row else f"{path}: {problem}")
        self.path, self.row, self.problem = path, row, problem


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def day_table(observations: Iterable[Observation]) -> pa.Table:
    """The day's observations (in day-file order) as a table sorted by entry, day order kept within."""
    columns: dict[str, list] = {name: [] for name in SCHEMA.names}
    for line, obs in enumerate(observations, start=1):
        data = json.loads(obs.to_json())
        columns["line"].append(line)
        columns["at"].append(data["at"])
        columns["entry"].append(data["entry"])
        columns["kind"].append(data["kind"])
        columns["check"].append(data["check"])
        columns["outcome"].append(data["outcome"])
        columns["figures"].append(_dumps(data["figures"]))
        columns["findings"].append(_dumps(data["findings"]))
    table = pa.table(columns, schema=SCHEMA)
    return table.take(pc.sort_indices(table, sort_keys=[("entry", "ascending"), ("line", "ascending")]))


def encode_day(observations: Iterable[Observation]) -> bytes:
    """The Parquet bytes of one day."""
    buffer = io.BytesIO()
    pq.write_table(day_table(observations), buffer, compression="zstd", compression_level=ZSTD_LEVEL,
                   row_group_size=ROW_GROUP_ROWS, use_dictionary=["at", "entry", "kind", "check", "outcome"],
                   write_statistics=["entry", "check"])
    return buffer.getvalue()


def write_day(path: Path, observations: Iterable[Observation]) -> int:
    """Write one day's Parquet file atomically (temp + rename); returns its size in bytes."""
    data = encode_day(observations)
    write_atomic(path, data)
    return len(data)


def _file(path: Path) -> pq.ParquetFile:
    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise ColumnarError(path, 0, f"unreadable Parquet ({type(exc).__name__}: {exc})"[:300]) from None
    if (parquet.schema_arrow.metadata or {}).get(FORMAT_KEY) != FORMAT_VALUE:
        raise ColumnarError(path, 0, f"not a compacted observation day (format {FORMAT_VALUE.decode()} expected)")
    return parquet


def _may_hold(group: pq.RowGroupMetaData, column: int, wanted: list[str] | None) -> bool:
    """Whether a row group's min/max of a column leaves room for any wanted value (sorted)."""
    if wanted is None:
        return True
    stats = group.column(column).statistics
    if stats is None or not stats.has_min_max:
        return True
    low, high = stats.min, stats.max
    return any(low <= value <= high for value in wanted)


def _open(path: Path, columns: list[str], entries: Collection[str] | None = None,
          checks: Collection[str] | None = None) -> pa.Table:
    """The rows of the wanted entries / checks, in line order; row groups that cannot hold them are not read."""
    parquet = _file(path)
    wanted_entries = None if entries is None else sorted(entries)
    wanted_checks = None if checks is None else sorted(checks)
    try:
        names = parquet.schema_arrow.names
        meta = parquet.metadata
        groups = [i for i in range(meta.num_row_groups)
                  if _may_hold(meta.row_group(i), names.index("entry"), wanted_entries)
                  and _may_hold(meta.row_group(i), names.index("check"), wanted_checks)]
        table = parquet.read_row_groups(groups, columns=columns) if groups else SCHEMA.empty_table().select(columns)
        table = table.cast(pa.schema([SCHEMA.field(c) for c in columns]))
        if wanted_entries is not None:
            table = table.filter(pc.is_in(table.column("entry"), value_set=pa.array(wanted_entries, pa.string())))
        if wanted_checks is not None:
            table = table.filter(pc.is_in(table.column("check"), value_set=pa.array(wanted_checks, pa.string())))
    except (pa.ArrowException, OSError, ValueError, KeyError) as exc:
        raise ColumnarError(path, 0, f"unreadable Parquet ({type(exc).__name__}: {exc})"[:300]) from None
    return table.take(pc.sort_indices(table, sort_keys=[("line", "ascending")]))


def read_day(path: Path, entries: Collection[str] | None = None,
             checks: Collection[str] | None = None) -> Iterator[Observation]:
    """The day's observations (only those entries / checks when given), in the day file's order.

    Only the matching rows become Python objects, a chunk at a time.
    """
    if entries is not None and not entries or checks is not None and not checks:
        return
    table = _open(path, list(SCHEMA.names), entries, checks)
    for start in range(0, table.num_rows, READ_CHUNK):
        for row in table.slice(start, READ_CHUNK).to_pylist():
            line = row.pop("line")
            try:
                row["figures"] = json.loads(row["figures"])
                row["findings"] = json.loads(row["findings"])
                yield Observation.from_dict(row)
            except (ValueError, TypeError, KeyError, AttributeError) as exc:
                raise ColumnarError(path, line, f"not an observation ({type(exc).__name__}: {exc})"[:300]) from None


def read_keys(path: Path) -> set[tuple[str, str, str]]:
    """The (at, entry, check) keys of a compacted day: the store's dedup, without rebuilding rows."""
    table = _open(path, ["line", "at", "entry", "check"])
    return set(zip(table.column("at").to_pylist(), table.column("entry").to_pylist(),
                   table.column("check").to_pylist()))


def count_rows(path: Path) -> int:
    return _file(path).metadata.num_rows
