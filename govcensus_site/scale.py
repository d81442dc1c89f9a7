"""City or national: the page-size policy of the published site (docs/scale.md "Site size").

GitHub Pages publishes at most 1 GB. A city's registry (≈120 entries) fits many times over with every
page, list and feed in full; a national registry (≈130,000 entries a quarter) does not: its filter pages,
unit feeds and plain open data alone outweigh the cap. `GOVCENSUS_SCALE = "national"` (publishconf or
the build's settings) turns on the levers below together; each can still be set on its own, and an
explicit setting always wins over the scale's default, so the city site is unchanged unless asked.
"""
from __future__ import annotations

from typing import Any

SETTING = "GOVCENSUS_SCALE"
SCALES = ("city", "national")

# Each lever: (city default, national default).
DEFAULTS: dict[str, tuple[Any, Any]] = {
    # How many of the newest quarters keep a full page per scorecard (archive.py).
    "GOVCENSUS_FULL_QUARTERS": (1, 1),
    # data/latest/, a second copy of the newest quarter's open data.
    "GOVCENSUS_OPEN_DATA_LATEST": (True, False),
    # The newest quarter's open data gzipped as a past quarter's is (`.csv.gz`, `.json.gz`).
    "GOVCENSUS_OPEN_DATA_GZIP": (False, True),
    # Which facets of the scorecard index get their own filter pages: every facet lists every entry
    # once more, so a national index keeps only the results that need attention.
    "GOVCENSUS_FILTER_FACETS": (("kind", "result", "level"), ("result",)),
    # Results a result filter page is written for (None: all of them).
    "GOVCENSUS_FILTER_RESULTS": (None, ("fail", "unchecked")),
    # A unit's accounts of a full quarter as sections of one page (grouping.py), not a page each.
    "GOVCENSUS_GROUP_ACCOUNTS": (False, True),
    # Its columns (信息公开专栏) on that page too, before its accounts.
    "GOVCENSUS_GROUP_COLUMNS": (False, True),
    # How many of the newest quarters a unit's Atom feed carries (None: all). A feed reader shows what
    # is new; older quarters stay on the site and in open data.
    "GOVCENSUS_UNIT_FEED_QUARTERS": (None, 1),
    # Which results a unit's feed has an entry for (None: all). A national feed tells a unit what needs
    # attention; every entry stays on its unit's page.
    "GOVCENSUS_UNIT_FEED_RESULTS": (None, ("fail", "unchecked")),
    # The search index leaves out a scorecard page's checks, daily strips, comparison and history (its
    # name, facts and findings stay searchable): fewer words and smaller fragments for 130,000 pages.
    "GOVCENSUS_SEARCH_LEAN": (False, True),
    # Pages written without the templates' indentation (a newline and the spaces after it, between two
    # tags): the same document and rendering, ≈5 % fewer bytes.
    "GOVCENSUS_COMPACT_HTML": (False, True),
}


def scale(settings: dict[str, Any]) -> str:
    """The site's scale, checked: a misspelt scale must not silently build a 2 GB site."""
    value = settings.get(SETTING) or "city"
    if value not in SCALES:
        raise ValueError(f"{SETTING} must be one of {', '.join(SCALES)}, not {value!r}")
    return str(value)


def setting(settings: dict[str, Any], name: str) -> Any:
    """A lever's value: the explicit setting, else the default of the site's scale."""
    if name in settings and settings[name] is not None:
        return settings[name]
    city, national = DEFAULTS[name]
    return national if scale(settings) == "national" else city
