"""Scorecards read by an earlier build, kept by their file's content hash.

Parsing YAML, masking and checking fields is most of what reading 15,000 data files costs; a
rebuild after a 1 % change should do it for 1 % of them. The cache maps a file's path (under the
scorecards folder) to the hash of its bytes and the Scorecard it gave. It is a pickle, so it gives
back exactly what was read (dates, number keys); it lives in the build cache beside the output
(see incremental.cache_dir), which only the build itself writes, never in the published site.
Its version covers the reader, the masking gate, PyYAML and the folder read, so a change to any of
them empties it; a damaged or unreadable cache only makes the build read every file again.

A file whose size, modification time and inode are those recorded is not even read (as git and make
judge a file): reading and hashing 15,000 files was a fifth of a rebuild in which nothing changed.
Only a file that had been still for QUIET_SECONDS when it was recorded is judged so: one written in
the same instant as a build could otherwise keep its old time with new bytes; it is read again.

A rebuild after a small change writes only what changed (and what is gone) to a second, small file
beside the main one; rewriting 15,000 cached scorecards for 150 changed files would cost more than
parsing them. Once the changes grow past a fifth of the entries, both are folded into the main file.
"""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from govcensus_site.incremental import PickledDict, digest

if TYPE_CHECKING:
    from govcensus_data.model import Scorecard

FILE = "scorecards.pickle"
DELTA = "scorecards-changed.pickle"
#: The changes file is folded into the main file once it holds this share of the entries.
COMPACT_SHARE = 0.2
#: A file changed less than this long before a build is read every time until it has been still.
QUIET_SECONDS = 2.0

#: What stat says of a file: (size, modification time in ns, inode).
Signature = tuple[int, int, int]


def signature(stat: os.stat_result) -> Signature:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def _code_version(root: Path) -> str:
    """What a cached Scorecard depends on besides its file: our reader, the masking gate, PyYAML, where it was read."""
    import govcensus_data.masking
    import govcensus_data.model
    import govcensus_site.loading
    sources = [Path(m.__file__).read_bytes() for m in (govcensus_data.masking, govcensus_data.model,
                                                         govcensus_site.loading)]
    return digest("3", yaml.__version__, str(yaml.__with_libyaml__), str(root.resolve()), *sources)


class ScorecardCache:
    def __init__(self, directory: Path, root: Path):
        self.version = _code_version(root)
        self.started_ns = time.time_ns()
        self.store = PickledDict(directory / FILE, directory / DELTA, {"version": self.version}, "files", COMPACT_SHARE)
        # relative path -> (content hash, Scorecard, Signature of a still file or None)
        self.entries: dict[str, tuple[str, Scorecard, Signature | None]] = self.store.load()
        self.used: set[str] = set()
        self.changed: dict[str, tuple[str, Scorecard, Signature | None]] = {}
        # files whose bytes are as cached but whose stat is new (touched, or a fresh checkout)
        self.restat: dict[str, tuple[str, Scorecard, Signature | None]] = {}

    def unchanged(self, relative: str, stat: Signature) -> "Scorecard | None":
        """The cached Scorecard of a file stat says was not touched since it was recorded, else None."""
        entry = self.entries.get(relative)
        if entry is None or entry[2] is None or entry[2] != stat:
            return None
        self.used.add(relative)
        return entry[1]

    def get(self, relative: str, digest: str, stat: Signature | None = None) -> "Scorecard | None":
        """The cached Scorecard of a file read with these bytes, else None; records the file's stat."""
        entry = self.entries.get(relative)
        if entry is None or entry[0] != digest:
            return None
        self.used.add(relative)
        still = self._still(stat)
        if entry[2] != still:
            self.entries[relative] = self.restat[relative] = (digest, entry[1], still)
        return entry[1]

    def put(self, relative: str, digest: str, card: "Scorecard", stat: Signature | None = None) -> None:
        self.entries[relative] = self.changed[relative] = (digest, card, self._still(stat))
        self.used.add(relative)

    def _still(self, stat: Signature | None) -> Signature | None:
        """The stat to judge the file by next time, if it had been still long enough to trust it."""
        if stat is None or stat[1] > self.started_ns - QUIET_SECONDS * 1e9:
            return None
        return stat

    def save(self) -> None:
        """Record what changed: in the small changes file, or everything in the main file.

        New stats of unchanged files go to the changes file too, unless there are as many as after a
        fresh checkout (every file's time is new): rewriting the whole cache for them on every CI
        build would cost more than reading the files does.
        """
        gone = set(self.entries) - self.used
        for relative in gone:
            del self.entries[relative]
        self.store.save(self.entries, {**self.changed, **{relative: None for relative in gone}}, also=self.restat)
