"""Big batches of independent work (parsing data files, rendering scorecard pages) over forked workers.

A national build parses and renders tens of thousands of files, each on its own; forked workers
share the loaded census with the parent for free and return only small results. Small batches
(every test site) stay in-process: forking costs more than it saves there, and a process that runs
threads (a test server) is better not forked at all.
"""
from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Fewer items than this are done in-process.
MIN_ITEMS = 1000

_task: Callable[[Sequence[Any]], Any] | None = None


def build_workers(settings: dict[str, Any]) -> int:
    """The build's worker processes: GOVCENSUS_BUILD_WORKERS, else one per core."""
    return int(settings.get("GOVCENSUS_BUILD_WORKERS") or default_workers())


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _run(chunk: Sequence[Any]) -> Any:
    assert _task is not None
    return _task(chunk)


def in_chunks(task: Callable[[Sequence[T]], R], items: Sequence[T], workers: int, min_items: int = MIN_ITEMS,
              per_worker: int = 1) -> list[R]:
    """task(chunk) for contiguous chunks of items, in order; results in the same order.

    `task` may be any callable (a closure over the build's state): the workers are forked after it
    is set, so nothing but the chunks and the results is pickled. `per_worker` > 1 cuts more, smaller
    chunks, taken by whichever worker is free: for items of uneven cost (list pages, then scorecards).
    """
    global _task
    if not forks(len(items), workers, min_items):
        return [task(items)]
    size = -(-len(items) // (workers * per_worker))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    _task = task
    try:
        with multiprocessing.get_context("fork").Pool(min(workers, len(chunks))) as pool:
            return pool.map(_run, chunks, chunksize=1)
    finally:
        _task = None


def forks(count: int, workers: int, min_items: int = MIN_ITEMS) -> bool:
    """Whether in_chunks spreads `count` items over forked workers (else they are done in-process)."""
    return workers > 1 and count >= min_items and can_fork()


class Forked:
    """call() in a forked process while this one goes on; result() waits for its (picklable) value.

    For one big piece of work beside the rest of a build (the open-data files beside the pages).
    result() is None when the work failed there: the caller then does it itself, so the error is
    raised where it belongs, with its own type and message.
    """

    def __init__(self, call: Callable[[], Any]):
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_send_result, args=(call, send), daemon=True)
        self._process.start()
        send.close()

    def result(self) -> Any:
        try:
            done, value = self._receive.recv()
        except (EOFError, OSError):  # the process died without a word
            done, value = False, None
        finally:
            self._receive.close()
        self._process.join()
        return value if done else None


def _send_result(call: Callable[[], Any], send: Any) -> None:
    try:
        value = call()
    except BaseException as exc:  # reported, then done again by the caller
        send.send((False, repr(exc)))
        return
    send.send((True, value))


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()
