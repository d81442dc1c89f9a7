"""Merging shard stores into the main observation store, after a round ran as N parallel jobs.

The merged day files are exactly what one unsharded round would have appended: a round writes its
observations sorted by (check, entry) at one time, so the merge appends each day's new lines sorted
by (time, check, entry), copying every line byte for byte. The same observations therefore give
byte-identical day files, and the summaries built from them are byte-identical too.

Everything is read and checked before anything is written, so a refused merge changes nothing:

* each folder must be a shard store (its `shard.json` manifest), all of the same N, no shard twice;
* shards must not overlap: each observation must be of an entry its own manifest lists, and no
  entry may be listed by two shards;
* an observation (entry, check, time) found in two shards, or in a shard and the main store with
  different content, is a conflict — history would otherwise hold two answers to one question.
  The same line again is skipped, so re-running a merge (a retried job) adds nothing.

Each day file is replaced atomically (temporary file + rename); a crash between two day files
leaves whole files only, and running the merge again completes it.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from collector.observations import Observation
from collector.shards import Manifest, Shard
from collector.store import ObservationStore
from govcensus_data.atomic import write_atomic


class MergeError(ValueError):
    """Shard stores that cannot be merged; the message names the files, lines and entries."""


@dataclass(frozen=True)
class _Line:
    raw: bytes
    obs: Observation
    where: str  # "file:line"

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.obs.at.isoformat(), self.obs.entry, self.obs.check)


@dataclass
class MergeResult:
    """What a merge did, for the command's one-line summary."""

    shards: list[Shard] = field(default_factory=list)
    added: int = 0
    already_stored: int = 0
    days: list[date] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)

    def line(self) -> str:
        count = self.shards[0].count if self.shards else 0
        return (f"merged {len(self.shards)} of {count} shard(s): {self.added} observation(s) added, "
                f"{self.already_stored} already stored, {len(self.days)} day file(s) written")


def merge_shards(data_dir: str | Path, shard_dirs: list[Path],
                 report: Callable[[str], None] | None = None) -> MergeResult:
    """Merge the shard stores in `shard_dirs` into the store at `data_dir` (see the module docstring)."""
    if not shard_dirs:
        raise MergeError("no shard stores given")
    if (Path(data_dir) / "shard.json").exists():
        raise MergeError(f"{data_dir}: this is a shard store (it has shard.json), not the store to merge into")
    manifests = _manifests(shard_dirs)
    for folder, _ in manifests:
        if folder.resolve() == Path(data_dir).resolve():
            raise MergeError(f"{folder}: a shard store cannot be merged into itself")
    owner: dict[str, Path] = {}
    for folder, manifest in manifests:
        for entry_id in sorted(manifest.entries):
            if entry_id in owner:
                raise MergeError(f"{folder / 'shard.json'}: entry {entry_id!r} is also in shard store "
                                 f"{owner[entry_id]} (overlapping shards)")
            owner[entry_id] = folder

    incoming: dict[tuple[str, str, str], _Line] = {}
    for folder, manifest in manifests:
        for line in _shard_lines(folder):
            if line.obs.entry not in manifest.entries:
                raise MergeError(f"{line.where}: entry {line.obs.entry!r} is not in shard {manifest.shard} "
                                 f"({folder / 'shard.json'})")
            other = incoming.get(line.key)
            if other is not None:
                raise MergeError(f"{line.where}: {_describe(line.obs)} is also in {other.where}")
            incoming[line.key] = line

    store = ObservationStore(data_dir, report=report)
    by_day: dict[date, list[_Line]] = {}
    for line in incoming.values():
        by_day.setdefault(line.obs.at.date(), []).append(line)
    result = MergeResult(shards=[m.shard for _, m in manifests])
    count = manifests[0][1].shard.count
    result.missing = sorted(set(range(1, count + 1)) - {m.shard.index for _, m in manifests})
    writes: list[tuple[Path, bytes]] = []
    for day in sorted(by_day):
        path = store.day_file(day)
        store.repair(path)  # a torn last line of the main store is moved aside first, as on append
        existing = path.read_bytes() if path.exists() else b""
        stored = {(_line_key(obs)): (raw, where) for raw, obs, where in _parse(path, existing)}
        new: list[_Line] = []
        for line in by_day[day]:
            if line.key in stored:
                raw, where = stored[line.key]
                if raw != line.raw:
                    raise MergeError(f"{line.where}: {_describe(line.obs)} differs from the stored one at {where}")
                result.already_stored += 1
                continue
            new.append(line)
        if not new:
            continue
        new.sort(key=lambda item: (item.obs.at, item.obs.check, item.obs.entry))
        if existing and not existing.endswith(b"\n"):
            existing += b"\n"
        writes.append((path, existing + b"".join(item.raw + b"\n" for item in new)))
        result.added += len(new)
        result.days.append(day)
    for path, data in writes:
        write_atomic(path, data)
    return result


def _manifests(shard_dirs: list[Path]) -> list[tuple[Path, Manifest]]:
    found: list[tuple[Path, Manifest]] = []
    for folder in shard_dirs:
        folder = Path(folder)
        if not folder.is_dir():
            raise MergeError(f"{folder}: no such shard store folder")
        try:
            found.append((folder, Manifest.read(folder)))
        except ValueError as exc:
            raise MergeError(str(exc)) from None
    counts = {m.shard.count for _, m in found}
    if len(counts) > 1:
        listed = ", ".join(f"{folder} is {m.shard}" for folder, m in found)
        raise MergeError(f"shard stores of different splits cannot be merged: {listed}")
    seen: dict[int, Path] = {}
    for folder, manifest in found:
        if manifest.shard.index in seen:
            raise MergeError(f"{folder}: shard {manifest.shard} is also {seen[manifest.shard.index]}")
        seen[manifest.shard.index] = folder
    return sorted(found, key=lambda item: item[1].shard.index)


def _shard_lines(folder: Path) -> Iterator[_Line]:
    for path in sorted(folder.glob("[0-9][0-9][0-9][0-9]/*.jsonl")):
        data = path.read_bytes()
        if data and not data.endswith(b"\n"):
            line = data.count(b"\n") + 1
            raise MergeError(f"{path}:{line}: the last line is incomplete (the round that "
                             "wrote this shard did not finish); run the shard again")
        for raw, obs, where in _parse(path, data):
            if f"{obs.at.date().isoformat()}.jsonl" != path.name:
                raise MergeError(f"{where}: an observation of {obs.at.date()} in the day file {path.name}")
            yield _Line(raw, obs, where)


def _parse(path: Path, data: bytes) -> Iterator[tuple[bytes, Observation, str]]:
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            obs = Observation.from_json(raw.decode("utf-8"))
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise MergeError(f"{path}:{number}: not an observation ({type(exc).__name__}: {exc})"[:300]) from None
        yield raw, obs, f"{path}:{number}"


def _line_key(obs: Observation) -> tuple[str, str, str]:
    return (obs.at.isoformat(), obs.entry, obs.check)


def _describe(obs: Observation) -> str:
    return f"the observation {obs.check} of {obs.entry} at {_iso(obs.at)}"


def _iso(when: datetime) -> str:
    return when.isoformat()
