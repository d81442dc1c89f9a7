"""The event loop rounds run on: uvloop when it is installed, else asyncio's own.

A round is thousands of short connections; on asyncio's pure-Python selector loop the loop itself
(callbacks, selector look-ups, socket wrappers) is a third of the Fetcher's CPU per request. uvloop
does the same work in libuv; nothing else changes (the fetcher, the guard and the checks are the
same code, and tests/hostile runs its battery on both loops).
"""
from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def loop_factory():  # type: ignore[no-untyped-def]
    """uvloop's new_event_loop, or None (asyncio's default) when uvloop is not installed."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def run(main: Coroutine[Any, Any, T]) -> T:
    """asyncio.run(main) on the fastest loop available."""
    with asyncio.Runner(loop_factory=loop_factory()) as runner:
        return runner.run(main)
