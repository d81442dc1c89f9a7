"""What a shared helper needs of a round (collector.checks.base.CheckContext provides it).

Helpers that several checks use (reading a feed, probing a link) take the round's context; typing
it by what they call keeps them below the checks layer instead of importing it.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from datetime import date
from typing import Protocol, TypeVar

from collector.fetch import Fetcher, FetchResult

T = TypeVar("T")


class RoundContext(Protocol):
    fetcher: Fetcher

    def once(self, key: Hashable, make: Callable[[], Awaitable[T]]) -> Awaitable[T]: ...

    async def run_cpu(self, fn: Callable[..., T], *args: object, size: int | None = None) -> T: ...

    async def fetch(self, url: str) -> FetchResult: ...

    @property
    def today(self) -> date: ...
