"""A unit's columns and new-media accounts on one page, for a national site (GOVCENSUS_GROUP_ACCOUNTS,
GOVCENSUS_GROUP_COLUMNS; docs/scale.md "Site size").

Accounts are ≈100,000 of a national quarter's ≈130,500 entries and columns ≈14,500; the page of
either is half shared page furniture (head, navigation, footer) and a tar's padding. With the settings
on, a full quarter's columns and accounts of one unit are sections of one page,
`scorecards/<period>/unit-<unit slug>.html` (then -2, -3, … past GOVCENSUS_ACCOUNTS_PER_PAGE), columns
first, failing first within each, each headed by an anchor `#e-<id>` (the anchor a past quarter's
compact row uses). Their scorecards become `GroupedScorecard`s whose `url` is that anchor, so every
link the site already makes — the index, a website's columns, 历次结果, the unit's Atom feed, the open
data's `scorecard` column — and the search index's sub-results (Pagefind indexes headings with ids)
lead to the section; circulars and rectification lists that name the page are relinked (`relink`,
`moved`). A city keeps one page per column and account (the default).
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, fields
from typing import Any, Iterable

from govcensus_data.model import Scorecard
from govcensus_site import scale
from govcensus_site.archive import ANCHOR, is_archived
from govcensus_data.model import KINDS
from govcensus_site.census import group_by, problems_first, unit_slug
from govcensus_site.labels import KIND_LABELS, label, period_label
from govcensus_site.pagination import Page, paginate

SETTING = "GOVCENSUS_GROUP_ACCOUNTS"
PER_PAGE_SETTING = "GOVCENSUS_ACCOUNTS_PER_PAGE"
DEFAULT_PER_PAGE = 100
COLUMNS_SETTING = "GOVCENSUS_GROUP_COLUMNS"


@dataclass(frozen=True)
class GroupedScorecard(Scorecard):
    """A full quarter's account shown as a section of its unit's accounts page, not as a page."""

    section_url: str = field(default="", compare=False, repr=False)

    @property
    def url(self) -> str:
        return self.section_url

    @property
    def anchor(self) -> str:
        return ANCHOR + self.entry.id

    @property
    def page_url(self) -> str:
        return self.section_url.split("#", 1)[0]


@dataclass(frozen=True)
class AccountsPage:
    """One page of a unit's accounts of one quarter."""

    unit: str
    period: str
    page: Page

    @property
    def url(self) -> str:
        return self.page.url

    @property
    def cards(self) -> tuple[GroupedScorecard, ...]:
        return self.page.items

    @property
    def period_label(self) -> str:
        return period_label(self.period)

    @property
    def unit_url(self) -> str:
        return f"units/{unit_slug(self.unit)}.html"


def kinds(settings: dict[str, Any]) -> tuple[str, ...]:
    """The kinds shown as sections of their unit's page: accounts, and columns (a website's 信息公开专栏,
    as small as an account's page) when GOVCENSUS_GROUP_COLUMNS is on too."""
    return tuple(kind for kind, name in (("column", COLUMNS_SETTING), ("account", SETTING))
                 if scale.setting(settings, name))


def enabled(settings: dict[str, Any]) -> bool:
    return bool(kinds(settings))


def in_page_order(cards: Iterable[Scorecard]) -> list:
    """Columns, then accounts; failing first within each."""
    return sorted(problems_first(cards), key=lambda c: KINDS.index(c.kind) if c.kind in KINDS else len(KINDS))


def per_page(settings: dict[str, Any]) -> int:
    """Accounts a page holds (a compact section is ≈1.5 KB: 100 keep a page well under 200 KB)."""
    value = settings.get(PER_PAGE_SETTING)
    if value is None:
        return DEFAULT_PER_PAGE
    try:
        count = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"{PER_PAGE_SETTING} must be a whole number of accounts, not {value!r}") from None
    if count < 1:
        raise ValueError(f"{PER_PAGE_SETTING} must be at least 1, not {count}")
    return count


def first_url(period: str, unit: str) -> str:
    return f"scorecards/{period}/unit-{unit_slug(unit)}.html"


def group(cards: Iterable[Scorecard], settings: dict[str, Any]) -> list[Scorecard]:
    """The scorecards with every full-quarter account turned into a section of its unit's page
    (past quarters' rows, archive.py, are left as they are); a unit's accounts failing first, paged."""
    cards = list(cards)
    grouped_kinds = kinds(settings)
    if not grouped_kinds:
        return cards
    rows = per_page(settings)
    kept: list[Scorecard] = []
    by_page: dict[tuple[str, str], list[Scorecard]] = defaultdict(list)
    for card in cards:
        if card.kind in grouped_kinds and not is_archived(card):
            by_page[(card.period, card.entry.unit)].append(card)
        else:
            kept.append(card)
    for (period, unit), accounts in by_page.items():
        for page in paginate(in_page_order(accounts), rows, first_url(period, unit)):
            kept.extend(grouped(c, f"{page.url}#{ANCHOR}{c.entry.id}") for c in page.items)
    return kept


def grouped(card: Scorecard, section_url: str) -> GroupedScorecard:
    return GroupedScorecard(**{f.name: getattr(card, f.name) for f in fields(Scorecard)}, section_url=section_url)


def is_grouped(card: Scorecard) -> bool:
    return isinstance(card, GroupedScorecard)


def pages(cards: Iterable[Scorecard], settings: dict[str, Any]) -> list[AccountsPage]:
    """Every page of every unit's accounts, in the order `group` paged them."""
    by_unit: dict[tuple[str, str], list[GroupedScorecard]] = defaultdict(list)
    for card in cards:
        if is_grouped(card):
            by_unit[(card.period, card.entry.unit)].append(card)
    rows = per_page(settings)
    return [AccountsPage(unit, period, page)
            for (period, unit), accounts in sorted(by_unit.items())
            for page in paginate(in_page_order(accounts), rows, first_url(period, unit))]


# A link a circular or notice makes to a scorecard page (the collector's draft writes
# ../scorecards/<period>/<id>.html), with any #fragment it names.
SCORECARD_LINK = re.compile(r'(?P<attr>href=["\'])(?P<up>(?:\.\./)*)(?P<path>scorecards/\d{4}Q[1-4]/[^"\'/#?]+\.html)'
                            r'(?:#[^"\']*)?(?P<end>["\'])')


def moved(cards: Iterable[Scorecard]) -> dict[str, str]:
    """Scorecards with no page of their own (a unit's account section, a past quarter's row): the page
    address a link may still name -> where the scorecard is shown."""
    out = {}
    for card in cards:
        if is_grouped(card) or is_archived(card):
            out[f"scorecards/{card.period}/{card.id}.html"] = card.url
    return out


def relink(html: str, where: dict[str, str]) -> str:
    """The links of a staff or collector-written text to scorecard pages that are not built, pointed at
    the section or row that shows the scorecard (relative prefixes kept)."""
    if not where or "scorecards/" not in html:
        return html

    def swap(match: re.Match) -> str:
        target = where.get(match["path"])
        if target is None:
            return match[0]
        return f'{match["attr"]}{match["up"]}{target}{match["end"]}'
    return SCORECARD_LINK.sub(swap, html)


def relink_articles(context: dict[str, Any], cards: Iterable[Scorecard]) -> None:
    """Circulars and notices (and local draft previews) link to where each scorecard is shown."""
    where = moved(cards)
    if not where:
        return
    for article in (*context.get("articles", ()), *context.get("drafts", ()), *context.get("pages", ())):
        content = getattr(article, "_content", None)
        if content:
            article._content = relink(content, where)


@dataclass(frozen=True)
class AccountsSummary:
    """What a unit's page says of one kind of its entries shown on the unit's grouped page: counts, link."""

    kind_label: str
    total: int
    failed: int
    unchecked: int
    url: str


def summaries(cards: Iterable[GroupedScorecard]) -> tuple[AccountsSummary, ...]:
    """One per grouped kind the unit has, in KINDS order."""
    return tuple(summary(group_) for _, group_ in group_by(cards, lambda c: c.kind, KINDS))


def summary(cards: Iterable[GroupedScorecard]) -> AccountsSummary:
    cards = list(cards)
    return AccountsSummary(label(KIND_LABELS, cards[0].kind), len(cards), sum(c.result == "fail" for c in cards),
                           sum(c.result == "unchecked" for c in cards), first_url(cards[0].period, cards[0].entry.unit))
