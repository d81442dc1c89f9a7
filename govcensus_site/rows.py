"""Rows of the scorecard lists, rendered once and kept between builds.

A scorecard of the newest quarter is a row of four lists at once (the index, its result's, its
kind's and its level's filter pages) and of its unit's page; at 15,000 scorecards those lists are
about 150 pages of 200 rows each. A change to 1 % of the scorecards touches every one of those pages
(each holds a few of the changed rows), and rendering their 30,000 rows through the template was
most of a rebuild. Here a row is rendered by the `scorecard_row` macro only when what it shows
(generator.list_row: name, result, findings, kind, level, unit, platform, status) or the page's
relative root changed; every other row is the text the last build rendered.

The rows are kept in the build cache (incremental.cache_dir) under the build's fingerprint
(settings, templates, code, catalogue): a change to any of them starts from no rows. Rows no list
no longer shows (a changed or removed scorecard's old ones) are dropped when it is saved, so the file
stays the size of one quarter's lists; a build that renders no list page does not even read it. A
rebuild that changed a few rows writes those to a small changes file beside the main one
(incremental.PickledDict), not the whole 10 MB of a national quarter's rows again.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from markupsafe import Markup

from govcensus_site.incremental import PickledDict

FILE = "rows.pickle"
CHANGES = "rows-changed.pickle"
VERSION = 1

#: (the page's relative root, with the unit column or not, what the row shows)
RowKey = tuple[str, bool, str]


class RowCache:
    """Rendered rows by RowKey: `render(card, show_unit, siteurl)` makes a missing one."""

    def __init__(self, directory: Path | None, fingerprint: str):
        self.store = (PickledDict(directory / FILE, directory / CHANGES, {"version": VERSION, "fingerprint": fingerprint},
                                  "rows") if directory else None)
        self._previous: dict[RowKey, str] | None = None  # read at the first row a page asks for
        self.used: dict[RowKey, str] = {}
        self.rendered = 0

    @property
    def previous(self) -> dict[RowKey, str]:
        """The last build's rows: read only by a build that renders a list page (not by one where
        nothing changed)."""
        if self._previous is None:
            self._previous = self._load()
        return self._previous

    def _load(self) -> dict[RowKey, str]:
        return self.store.load() if self.store is not None else {}

    def rows(self, cards: Iterable[Any], show_unit: bool, siteurl: str,
             shown: Callable[[Any], str], render: Callable[[Any, bool, str], str]) -> Markup:
        """The rows of `cards`, in order, as one piece of HTML (already escaped by the macro)."""
        parts = []
        for card in cards:
            key = (siteurl, show_unit, shown(card))
            html = self.used.get(key)
            if html is None:
                html = self.previous.get(key)
                if html is None:
                    html = str(render(card, show_unit, siteurl))
                    self.rendered += 1
                self.used[key] = html
            parts.append(html)
        return Markup("\n".join(parts))

    def merge(self, used: dict[RowKey, str], rendered: int) -> None:
        """Take in the rows a worker process used and how many of them it rendered."""
        self.used.update(used)
        self.rendered += rendered

    def save(self, shown: set[str]) -> None:
        """Keep the rows still shown (`shown`: generator.list_row of every listed scorecard), whether
        this build's pages used them or were up to date; drop the others. A cache we cannot write
        only makes the next build slower."""
        if self.store is None or (self._previous is None and not self.used):
            return  # no list page rendered: the file on disk is as good as it was
        previous = self.previous
        kept = {key: html for key, html in {**previous, **self.used}.items() if key[2] in shown}
        # A row's key holds all it shows, so a key kept from the last build holds the same row.
        changed: dict[RowKey, str | None] = {key: html for key, html in kept.items() if key not in previous}
        changed.update((key, None) for key in previous if key not in kept)
        self.store.save(kept, changed)
