"""Shards of a round: which registry entries one of N parallel round jobs checks.

A national registry is too large for one Actions job, so the scheduled workflow runs a round as N
jobs (`collector round --shard K/N`) and merges their stores afterwards (collector/merge.py).

Entries are assigned in *groups* that must stay together:

* a website, its disclosure columns (hosted on it) and the message platforms of either form one
  group, keyed by the website's site code. A round fetches each URL once and shares it between
  checks and entries (`CheckContext.fetch`, `ctx.once`), and the fetcher's per-host concurrency,
  delay and retry budgets are per process: keeping a host's entries in one job keeps both the
  sharing and the politeness towards that host exactly as in an unsharded round;
* a new-media account is a group of its own (each feed is a different URL; accounts spread evenly).

Groups are placed largest first (ties by key) on the least loaded shard (ties by lowest number),
so the split depends on nothing but the registry — every job computes the same split on its own —
and shard sizes differ by at most one group.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from collector.registry import Entry, Registry

#: Written into every shard store, so a merge can tell which entries a store may hold.
MANIFEST = "shard.json"
MANIFEST_SCHEMA = "govcensus.shard/1"

#: GitHub Actions runs at most 256 jobs from one matrix.
ACTIONS_MATRIX_LIMIT = 256

_SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True, order=True)
class Shard:
    """Shard `index` of `count`, both 1-based as people and matrix jobs write them ("2/8")."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> "Shard":
        """"K/N" with 1 <= K <= N <= 256; a ValueError that says what is wrong otherwise."""
        match = _SHARD.match(text)
        if not match:
            raise ValueError(f"{text!r} is not K/N (e.g. 2/8: the second of eight shards)")
        index, count = int(match.group(1)), int(match.group(2))
        if count < 1 or count > ACTIONS_MATRIX_LIMIT:
            raise ValueError(f"{text!r}: N must be from 1 to {ACTIONS_MATRIX_LIMIT}")
        if not 1 <= index <= count:
            raise ValueError(f"{text!r}: K must be from 1 to N ({count})")
        return cls(index, count)

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    @property
    def folder_name(self) -> str:
        """The shard store's folder name, e.g. `2-of-8`."""
        return f"{self.index}-of-{self.count}"


def group_key(entry: Entry, registry: Registry) -> str:
    """The group an entry belongs to: its website's site code, or the entry's own id."""
    kind = entry.kind
    if kind == "website":
        return entry.id
    if kind == "column":
        return getattr(entry, "parent", "") or entry.id
    if kind == "message_platform":
        owner = getattr(entry, "belongs_to", "")
        if not owner:
            return entry.id
        try:
            return group_key(registry.get(owner), registry)
        except KeyError:  # validation reports a missing owner; the platform then stands alone
            return entry.id
    return entry.id


def assign(registry: Registry, count: int) -> dict[str, int]:
    """Entry id -> shard number (1..count) for every registry entry; deterministic and balanced."""
    if count < 1:
        raise ValueError("the shard count must be at least 1")
    groups: dict[str, list[str]] = {}
    for entry in registry.entries():
        groups.setdefault(group_key(entry, registry), []).append(entry.id)
    loads = [0] * count
    result: dict[str, int] = {}
    for key, members in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])):
        target = min(range(count), key=lambda i: (loads[i], i))
        loads[target] += len(members)
        for entry_id in members:
            result[entry_id] = target + 1
    return result


def entries_of(registry: Registry, shard: Shard) -> frozenset[str]:
    """The ids of the entries shard `shard` checks."""
    return frozenset(entry_id for entry_id, number in assign(registry, shard.count).items()
                     if number == shard.index)


def shard_count(entries: int, per_shard: int, limit: int = ACTIONS_MATRIX_LIMIT) -> int:
    """How many shards a registry of `entries` needs at `per_shard` entries a job, within the matrix limit."""
    if per_shard < 1:
        raise ValueError("entries per shard must be at least 1")
    return max(1, min(limit, -(-entries // per_shard)))


@dataclass(frozen=True)
class Manifest:
    """What a shard store declares about itself: which shard it is and which entries it covers."""

    shard: Shard
    entries: frozenset[str]

    def to_json(self) -> str:
        return json.dumps({"schema": MANIFEST_SCHEMA, "shard": str(self.shard), "entries": sorted(self.entries)},
                          ensure_ascii=False, indent=1) + "\n"

    @classmethod
    def read(cls, folder: Path) -> "Manifest":
        """The manifest of a shard store; a ValueError naming the file and the problem otherwise."""
        path = folder / MANIFEST
        if not path.is_file():
            raise ValueError(f"{folder}: not a shard store ({MANIFEST} is missing; "
                             "shard stores are written by `collector round --shard K/N`)")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"{path}: not JSON ({exc})") from None
        if not isinstance(data, dict) or data.get("schema") != MANIFEST_SCHEMA:
            raise ValueError(f"{path}: schema: expected {MANIFEST_SCHEMA!r}")
        entries = data.get("entries")
        if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
            raise ValueError(f"{path}: entries: expected a list of entry ids")
        try:
            shard = Shard.parse(str(data.get("shard", "")))
        except ValueError as exc:
            raise ValueError(f"{path}: shard: {exc}") from None
        return cls(shard, frozenset(entries))
