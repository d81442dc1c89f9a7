"""The quarter's figures and groupings, computed from scorecards so no published number is typed by hand.

Counting rules follow the circular (see docs/indicators.md): a pass rate is passing entries over
entries checked, per population; `unchecked` entries count in neither; decommissioned websites
(下线) are registered but not running, so they are counted apart from every rate.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from govcensus_data.model import KINDS, Scorecard
from govcensus_data.rules import format_rate
from govcensus_site.labels import KIND_LABELS, LEVEL_ORDER, PLATFORM_ORDER, period_label


@dataclass(frozen=True)
class Tally:
    """Running entries of one population and how they fared."""

    running: int = 0
    passed: int = 0
    failed: int = 0
    unchecked: int = 0

    @property
    def checked(self) -> int:
        return self.passed + self.failed

    @property
    def rate(self) -> str:
        return format_rate(self.passed, self.checked)

    @classmethod
    def of(cls, cards: Iterable[Scorecard]) -> "Tally":
        running = [c for c in cards if c.entry.running]
        return cls(
            running=len(running),
            passed=sum(c.result == "pass" for c in running),
            failed=sum(c.result == "fail" for c in running),
            unchecked=sum(c.result == "unchecked" for c in running),
        )


@dataclass(frozen=True)
class Breakdown:
    """One population split by a label (level or platform), in the circular's order."""

    total: Tally
    parts: tuple[tuple[str, Tally], ...]


@dataclass(frozen=True)
class PeriodFigures:
    """总体情况 of one quarter."""

    period: str
    label: str
    websites_registered: int
    websites: Breakdown              # running websites by level
    websites_offline: tuple[Scorecard, ...]
    columns: Tally
    accounts: Breakdown              # running accounts by platform
    message_platforms: int


@dataclass(frozen=True)
class Unit:
    """A responsible unit (主办单位) and every entry it answers for in one quarter."""

    name: str
    slug: str
    period: str
    scorecards: tuple[Scorecard, ...]

    @property
    def period_label(self) -> str:
        return period_label(self.period)

    @property
    def url(self) -> str:
        return f"units/{self.slug}.html"

    @property
    def tally(self) -> Tally:
        return Tally.of(self.scorecards)

    @property
    def kind_counts(self) -> tuple[int, ...]:
        """How many entries of each kind, in `KINDS` order (for the units table)."""
        return tuple(sum(c.kind == kind for c in self.scorecards) for kind in KINDS)

    @property
    def failed(self) -> int:
        return sum(c.result == "fail" for c in self.scorecards)

    @property
    def by_kind(self) -> tuple[tuple[str, tuple[Scorecard, ...]], ...]:
        return tuple((KIND_LABELS[k], cards) for k, cards in group_by(self.scorecards, lambda c: c.kind, KINDS))


@dataclass
class Census:
    """All scorecards, grouped by period, and for the latest period by kind, unit, level and platform.

    Every grouping a page asks for is an index built once here, so writing N scorecard pages costs
    N look-ups, not N scans of all scorecards (which made a national build quadratic).
    """

    scorecards: list[Scorecard]
    periods: tuple[str, ...] = field(init=False)
    _by_period: dict[str, list[Scorecard]] = field(init=False, repr=False)
    _by_id: dict[str, list[Scorecard]] = field(init=False, repr=False)
    _websites: dict[tuple[str, str], Scorecard] = field(init=False, repr=False)
    _columns: dict[tuple[str, str], list[Scorecard]] = field(init=False, repr=False)
    _figures: dict[str, "PeriodFigures"] = field(init=False, repr=False)
    _units: list["Unit"] | None = field(init=False, repr=False)
    _titles: dict[tuple[str, str], str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.scorecards = sorted(self.scorecards, key=sort_key)
        self.periods = tuple(sorted({c.period for c in self.scorecards}))
        self._by_period = defaultdict(list)
        self._by_id = defaultdict(list)
        self._websites = {}
        self._columns = defaultdict(list)
        for card in self.scorecards:
            self._by_period[card.period].append(card)
            self._by_id[card.id].append(card)
            if card.kind == "website":
                # The first website (in listing order) with a site code is the parent columns name.
                self._websites.setdefault((card.period, card.entry.site_code), card)
            elif card.kind == "column" and card.entry.parent:
                self._columns[(card.period, card.entry.parent)].append(card)
        self._figures = {}
        self._units = None
        self._titles = distinct_titles(self.scorecards)

    @property
    def latest(self) -> str | None:
        return self.periods[-1] if self.periods else None

    def of_period(self, period: str | None) -> list[Scorecard]:
        return list(self._by_period.get(period, ())) if period is not None else []

    def parent_of(self, card: Scorecard) -> Scorecard | None:
        """The website a column (or any entry naming a parent) belongs to, in the same quarter."""
        return self._websites.get((card.period, card.entry.parent)) if card.entry.parent else None

    def children_of(self, card: Scorecard) -> tuple[Scorecard, ...]:
        """A website's disclosure columns in the same quarter; nothing for other kinds."""
        if card.kind != "website":
            return ()
        return tuple(self._columns.get((card.period, card.entry.site_code), ()))

    def figures(self, period: str) -> PeriodFigures:
        if period not in self._figures:
            self._figures[period] = self._count(period)
        return self._figures[period]

    def _count(self, period: str) -> PeriodFigures:
        cards = self.of_period(period)
        by_kind = dict(group_by(cards, lambda c: c.kind, KINDS))
        websites = by_kind.get("website", ())
        running_sites = [c for c in websites if c.entry.running]
        accounts = by_kind.get("account", ())
        return PeriodFigures(
            period=period,
            label=period_label(period),
            websites_registered=len(websites),
            websites=breakdown(running_sites, lambda c: c.entry.level, LEVEL_ORDER),
            websites_offline=tuple(c for c in websites if not c.entry.running),
            columns=Tally.of(by_kind.get("column", ())),
            accounts=breakdown(accounts, lambda c: c.entry.platform or "其他", PLATFORM_ORDER),
            message_platforms=sum(c.entry.running for c in by_kind.get("message_platform", ())),
        )

    def history(self) -> list[PeriodFigures]:
        """Every quarter's figures, newest first, for the trend table."""
        return [self.figures(p) for p in reversed(self.periods)]

    def units(self) -> list[Unit]:
        """Every unit with what it answered for in the newest quarter it appears in, so links from
        older scorecards still lead to a page."""
        if self._units is not None:
            return list(self._units)
        grouped: dict[str, list[Scorecard]] = defaultdict(list)
        for card in self.scorecards:
            grouped[card.entry.unit].append(card)
        rank = {p: i for i, p in enumerate(self.periods)}
        units = []
        for name, cards in grouped.items():
            newest = max(c.period for c in cards)
            units.append(Unit(name, unit_slug(name), newest, tuple(c for c in cards if c.period == newest)))
        self._units = sorted(units, key=lambda u: (-rank[u.period], sort_key(u.scorecards[0])[1:], u.name))
        return list(self._units)

    def title_of(self, card: Scorecard) -> str:
        """The entry's name, made distinct within its quarter (see `distinct_titles`)."""
        return self._titles.get((card.period, card.id), card.entry.name)

    def previous_period(self, period: str) -> str | None:
        """The quarter before `period` that has scorecards (quarters with no data are skipped)."""
        earlier = [p for p in self.periods if p < period]
        return earlier[-1] if earlier else None

    def previous_of(self, card: Scorecard) -> Scorecard | None:
        """The same entry's scorecard in the quarter before, if it was inspected then."""
        before = self.previous_period(card.period)
        return next((c for c in self._by_id.get(card.id, ()) if c.period == before), None) if before else None

    def change(self, period: str | None) -> "Change | None":
        """与上季度相比: which entries newly failed, which were fixed, which failed again."""
        before_period = self.previous_period(period) if period else None
        if before_period is None:
            return None
        before = {c.id: c for c in self.of_period(before_period)}
        now = self.of_period(period)

        def failed_before(card: Scorecard) -> bool:
            return card.id in before and before[card.id].result == "fail"
        return Change(
            period=period, previous=before_period,
            new=tuple(c for c in now if c.result == "fail" and not failed_before(c)),
            fixed=tuple(c for c in now if c.result == "pass" and failed_before(c)),
            repeat=tuple(c for c in now if c.result == "fail" and failed_before(c)),
        )

    def history_of(self, entry_id: str) -> list[Scorecard]:
        """One entry's scorecards across quarters, newest first."""
        return sorted(self._by_id.get(entry_id, ()), key=lambda c: c.period, reverse=True)


def distinct_titles(cards: Iterable[Scorecard]) -> dict[tuple[str, str], str]:
    """Titles a reader can tell apart: a name two entries of one quarter share gets its platform
    (accounts) or kind, and where that still repeats, its id: 临沧发布（微博） / 临沧发布（微信公众号）."""
    by_name: dict[tuple[str, str], list[Scorecard]] = defaultdict(list)
    for card in cards:
        by_name[(card.period, card.entry.name)].append(card)
    titles: dict[tuple[str, str], str] = {}
    for (period, name), same in by_name.items():
        if len(same) < 2:
            continue
        def qualifier(c: Scorecard) -> str:
            return c.entry.platform or KIND_LABELS.get(c.kind, c.kind)
        repeated = {q for q in map(qualifier, same) if sum(qualifier(c) == q for c in same) > 1}
        for c in same:
            q = qualifier(c)
            titles[(period, c.id)] = f"{name}（{q} · {c.id}）" if q in repeated else f"{name}（{q}）"
    return titles


@dataclass(frozen=True)
class Change:
    """One quarter's entries against the quarter before: new problems, fixed ones, repeat offenders."""

    period: str
    previous: str
    new: tuple[Scorecard, ...]
    fixed: tuple[Scorecard, ...]
    repeat: tuple[Scorecard, ...]

    @property
    def previous_label(self) -> str:
        return period_label(self.previous)


#: failing entries first, then those we could not judge, then passing ones
RESULT_RANK = {"fail": 0, "unchecked": 1, "pass": 2}


def problems_first(cards: Iterable[Scorecard]) -> list[Scorecard]:
    """The order of every list of scorecards: the reader's question is which entries failed."""
    return sorted(cards, key=lambda c: (RESULT_RANK.get(c.result, len(RESULT_RANK)), sort_key(c)))


def breakdown(cards: Iterable[Scorecard], label, order: tuple[str, ...]) -> Breakdown:
    cards = list(cards)
    return Breakdown(total=Tally.of(cards),
                     parts=tuple((name, Tally.of(group)) for name, group in group_by(cards, label, order)))


def group_by(cards: Iterable[Scorecard], label, order: tuple[str, ...]) -> list[tuple[str, tuple[Scorecard, ...]]]:
    """Groups in a fixed order (then any label we do not know, alphabetically); empty groups omitted."""
    grouped: dict[str, list[Scorecard]] = defaultdict(list)
    for card in cards:
        grouped[label(card)].append(card)
    rank = {name: i for i, name in enumerate(order)}
    names = sorted(grouped, key=lambda n: (rank.get(n, len(order)), n))
    return [(name, tuple(grouped[name])) for name in names]


def unit_slug(name: str) -> str:
    """A stable ASCII file name for a unit: unit names are Chinese and may change spelling only
    by being a different unit, so a hash of the name is enough."""
    return "u" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]


def sort_key(card: Scorecard) -> tuple:
    """Kind, then level, then id: the order the circular lists things in."""
    level_rank = LEVEL_ORDER.index(card.entry.level) if card.entry.level in LEVEL_ORDER else len(LEVEL_ORDER)
    return (card.period, KINDS.index(card.kind), level_rank, card.id)
