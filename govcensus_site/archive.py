"""Past quarters as compact pages, so a national registry's site for two years fits GitHub Pages' 1 GB.

A full scorecard page costs ≈4 KB (head, navigation, facts, every check); a national quarter of
≈130,000 entries is ≈0.5 GB of them, so eight full quarters would be four times the cap. The newest
`GOVCENSUS_FULL_QUARTERS` quarters (default 1: the current one) keep their full pages. Every older
quarter becomes one paged table, `scorecards/<period>/index.html` (and -2, -3, …), one row per
entry with an anchor (`#e-<id>`): name, kind, unit, result, score, number of findings and the
indicators they fall under. The full detail of a past quarter (every check, every finding with its
evidence) stays in that quarter's open data (`data/<period>/`), which the compact page links.

A past quarter's scorecards become `ArchivedScorecard`s whose `url` is their row, so every link the
templates already make (历次结果 on the current scorecard, a unit whose newest quarter is past, the
open data's `scorecard` column) leads to the row, never to a page that is not built.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Iterable

from govcensus_site.census import sort_key
from govcensus_site.incremental import digest
from govcensus_site.labels import period_label
from govcensus_data.model import Scorecard
from govcensus_site.pagination import DEFAULT_ROWS, Page, paginate

SETTING = "GOVCENSUS_FULL_QUARTERS"
DEFAULT_FULL_QUARTERS = 1
ANCHOR = "e-"


@dataclass(frozen=True)
class ArchivedScorecard(Scorecard):
    """A past quarter's scorecard: shown as one row of its quarter's compact list, not as a page."""

    row_url: str = field(default="", compare=False, repr=False)

    @property
    def url(self) -> str:
        return self.row_url

    @property
    def anchor(self) -> str:
        return ANCHOR + self.entry.id

    @property
    def indicators(self) -> tuple[str, ...]:
        """The indicators its findings fall under, in first-seen order: the row's one-line "why"."""
        return tuple(dict.fromkeys(f.indicator for f in self.findings if f.indicator))


@dataclass(frozen=True)
class Quarter:
    """One past quarter's compact list, paged."""

    period: str
    pages: tuple[Page, ...]

    @property
    def label(self) -> str:
        return period_label(self.period)

    @property
    def url(self) -> str:
        return first_url(self.period)


def first_url(period: str) -> str:
    return f"scorecards/{period}/index.html"


def full_quarters(settings: dict[str, Any]) -> int:
    """How many of the newest quarters keep full scorecard pages (at least one: the current quarter)."""
    value = settings.get(SETTING, DEFAULT_FULL_QUARTERS)
    try:
        count = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"{SETTING} must be a whole number of quarters, not {value!r}") from None
    if count < 1:
        raise ValueError(f"{SETTING} must be at least 1 (the current quarter), not {count}")
    return count


def archive(cards: Iterable[Scorecard], settings: dict[str, Any]) -> list[Scorecard]:
    """The scorecards with every quarter older than the newest `GOVCENSUS_FULL_QUARTERS` turned into
    rows of its compact list (in the order the census lists them, paged as the other lists are)."""
    cards = list(cards)
    periods = sorted({c.period for c in cards})
    past = set(periods[:-full_quarters(settings)])
    if not past:
        return cards
    rows = int(settings.get("GOVCENSUS_PAGE_ROWS") or DEFAULT_ROWS)
    by_period: dict[str, list[Scorecard]] = {p: [] for p in past}
    kept = []
    for card in cards:
        (by_period[card.period] if card.period in past else kept).append(card)
    for period, group in by_period.items():
        group.sort(key=sort_key)
        for number, start in enumerate(range(0, len(group), rows), start=1):
            page = first_url(period) if number == 1 else f"scorecards/{period}/index-{number}.html"
            kept.extend(archived(card, f"{page}#{ANCHOR}{card.entry.id}") for card in group[start:start + rows])
    return kept


def archived(card: Scorecard, row_url: str) -> ArchivedScorecard:
    return ArchivedScorecard(**{f.name: getattr(card, f.name) for f in fields(Scorecard)}, row_url=row_url)


def is_archived(card: Scorecard) -> bool:
    return isinstance(card, ArchivedScorecard)


def archived_period(census, period: str) -> bool:
    """Whether a quarter is past (its scorecards are rows of a compact list): its open data is gzipped."""
    cards = census.of_period(period)
    return bool(cards) and is_archived(cards[0])


def quarters(census, settings: dict[str, Any]) -> list[Quarter]:
    """The past quarters' compact lists, newest first (the census's order within each)."""
    rows = int(settings.get("GOVCENSUS_PAGE_ROWS") or DEFAULT_ROWS)
    result = []
    for period in reversed(census.periods):
        if archived_period(census, period):
            cards = census.of_period(period)
            result.append(Quarter(period, tuple(paginate(cards, rows, first_url(period)))))
    return result


def row_key(card: Scorecard) -> str:
    """What a compact row shows of a scorecard, as its part of the page's key."""
    e = card.entry
    return "\x1f".join((card.url, e.name, e.kind, e.unit, card.result, str(card.score), str(len(card.findings)),
                        *getattr(card, "indicators", ())))


def write_pages(generator, writer) -> None:
    """Write every past quarter's compact list (through the generator's page cache)."""
    past = generator.context["archived_quarters"]
    links = repr([(q.period, q.url) for q in past])
    for quarter in past:
        shared = digest(quarter.period, str(len(quarter.pages)), links)
        for page in quarter.pages:
            generator._write(writer, page.url, "archive", key=digest(shared, *(row_key(c) for c in page.items)),
                             quarter=quarter, page=page, quarters=past)
