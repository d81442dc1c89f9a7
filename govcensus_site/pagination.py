"""Long lists split into pages of N rows, so no page of a national site grows past ≈200 KB.

Plain links between pages (no JavaScript needed): page 1 keeps the list's own address
(scorecards/index.html), page n is `<stem>-<n>.html` beside it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Sequence, TypeVar

T = TypeVar("T")

DEFAULT_ROWS = 200


@dataclass(frozen=True)
class Page(Generic[T]):
    number: int                       # 1-based
    items: tuple[T, ...]
    first: int                        # 1-based position of the first item in the whole list
    total: int                        # items in the whole list
    urls: tuple[str, ...]             # site-relative address of every page, page 1 first

    @property
    def count(self) -> int:
        return len(self.urls)

    @property
    def url(self) -> str:
        return self.urls[self.number - 1]

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1

    @property
    def previous_url(self) -> str | None:
        return self.urls[self.number - 2] if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.urls[self.number] if self.number < self.count else None


def page_url(first_url: str, number: int) -> str:
    """units/index.html, units/index-2.html, …"""
    return first_url if number == 1 else f"{first_url.removesuffix('.html')}-{number}.html"


def paginate(items: Sequence[T], rows: int, first_url: str) -> list[Page[T]]:
    """Pages of at most `rows` items; an empty list still has its one (empty) page."""
    if rows < 1:
        raise ValueError(f"rows per page must be at least 1, not {rows}")
    count = max(1, -(-len(items) // rows))
    urls = tuple(page_url(first_url, n) for n in range(1, count + 1))
    return [Page(number=n, items=tuple(items[(n - 1) * rows:n * rows]), first=(n - 1) * rows + 1,
                 total=len(items), urls=urls) for n in range(1, count + 1)]
