"""Reading many small objects at once (a registry, a build's scorecards) without the cyclic GC's passes;
working beside a big, long-lived heap (a round beside its registry) without the GC walking it again and again.

Loading YAML allocates tens of thousands of nodes, dicts and strings, none of them garbage until the
load ends, yet every 700 allocations the collector walks the young ones and, now and then, all of
them: for a 2,000-site registry that doubled the load (bench/round.py: 1.1 s against 0.5 s). The
structures read are acyclic or freed by reference counting, so pausing the collection for the load
leaks nothing; it runs again, as before, once the load returns or raises.
"""
from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collection_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block (restored afterwards, even on an error)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


#: Allocations between the collector's young passes inside a round (CPython's default is 700).
ROUND_YOUNG_THRESHOLD = 10_000

_spared_depth = 0
_saved_threshold: tuple[int, int, int] = gc.get_threshold()
_spared_lock = threading.Lock()


@contextmanager
def older_objects_spared(young_threshold: int = ROUND_YOUNG_THRESHOLD) -> Iterator[None]:
    """Work that makes many short-lived objects beside a big long-lived heap (a round beside its
    registry of thousands of entries): the objects that exist when the block starts are left out of
    the collector's passes (`gc.freeze`), and its young passes run every `young_threshold`
    allocations instead of every 700, so far fewer objects are promoted and far fewer full passes
    run. A 1,000-site shard spent 0.55 s of its 2.4 s of CPU in the collector, most of it in full
    passes over the registry; 0.19 s with this (bench/round.py).

    Cyclic garbage is still collected: the young passes run, only less often. On leaving, the frozen
    objects are handed back (`gc.unfreeze`), so one that became garbage meanwhile is collected by a
    later pass, and the thresholds are restored. Nested or overlapping blocks (two rounds on one
    event loop) share one freeze: the last to leave ends it.
    """
    global _spared_depth, _saved_threshold
    with _spared_lock:
        _spared_depth += 1
        if _spared_depth == 1:
            _saved_threshold = gc.get_threshold()
            gc.freeze()
            gc.set_threshold(young_threshold, *_saved_threshold[1:])
    try:
        yield
    finally:
        with _spared_lock:
            _spared_depth -= 1
            if _spared_depth == 0:
                gc.unfreeze()
                gc.set_threshold(*_saved_threshold)
