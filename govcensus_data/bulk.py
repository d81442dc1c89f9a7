"""Reading many small objects at once (a registry, a build's scorecards) without the cyclic GC's passes.

Loading YAML allocates tens of thousands of nodes, dicts and strings, none of them garbage until the
load ends, yet every 700 allocations the collector walks the young ones and, now and then, all of
them: for a 2,000-site registry that doubled the load (bench/round.py: 1.1 s against 0.5 s). The
structures read are acyclic or freed by reference counting, so pausing the collection for the load
leaks nothing; it runs again, as before, once the load returns or raises.
"""
from __future__ import annotations

import gc
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
