"""Rounds: every due check on every entry at one time, and replays of many rounds over a period.

A round's time (`as_of`) is a parameter, never the wall clock read deep inside, which is what makes
a whole quarter replayable against the demo world and the tests reproducible.
"""
from __future__ import annotations

import asyncio
import time as wallclock
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from collector.checks.base import Check, CheckContext, all_checks
from collector.fetch import Fetcher
from collector.observations import Observation
from collector.periods import CHINA_TZ
from collector.profile import Profile
from collector.progress import Progress
from collector.registry import Registry
from collector.store import ObservationStore
from govcensus_data.bulk import older_objects_spared


@dataclass
class RoundSummary:
    """What a round (or a replay of rounds) checked and found, for the one-line summary."""

    rounds: int = 0
    observations: int = 0
    entries: set[str] = field(default_factory=set)
    outcomes: Counter = field(default_factory=Counter)
    findings: Counter = field(default_factory=Counter)
    requests: int = 0
    seconds: float = 0.0

    def add(self, observations: list[Observation]) -> None:
        self.rounds += 1
        self.observations += len(observations)
        for obs in observations:
            self.entries.add(obs.entry)
            self.outcomes[obs.outcome] += 1
            for finding in obs.findings:
                self.findings[finding.severity] += 1

    @classmethod
    def merged(cls, parts: list["RoundSummary"]) -> "RoundSummary":
        """One summary of replays that ran side by side (their wall time is the longest one's)."""
        total = cls()
        for part in parts:
            total.rounds += part.rounds
            total.observations += part.observations
            total.entries |= part.entries
            total.outcomes.update(part.outcomes)
            total.findings.update(part.findings)
            total.requests += part.requests
            total.seconds = max(total.seconds, part.seconds)
        return total

    def line(self) -> str:
        found = ", ".join(f"{n} {sev}" for sev, n in sorted(self.findings.items())) or "no findings"
        return (f"{self.rounds} round(s): {self.observations} checks on {len(self.entries)} entries; "
                f"{self.outcomes['ok']} ok, {self.outcomes['finding']} with findings ({found}), "
                f"{self.outcomes['unreachable'] + self.outcomes['error']} could not be checked; "
                f"{self.requests} requests in {self.seconds:.1f} s")


def due_checks(cadences: set[str], names: set[str] | None = None) -> list[Check]:
    return [c for c in all_checks() if c.cadence in cadences and (names is None or c.name in names)]


async def run_round(registry: Registry, as_of: datetime, profile: Profile, fetcher: Fetcher,
                    checks: list[Check], progress: Progress | None = None,
                    max_concurrent_checks: int = 64, only: frozenset[str] | None = None) -> list[Observation]:
    """Run `checks` on every entry they apply to, all at time `as_of`; observations in a stable order.

    `only` limits the round to these entry ids (a shard, collector/shards.py); the checks still see
    the whole registry, so a column finds its parent site's code as in an unsharded round.

    Each round starts the fetcher's retry budgets afresh, so a hostile host costs one round at most
    a bounded number of retries (FetchSettings.retry_budget_per_host / _per_round).
    """
    fetcher.start_round()
    ctx = CheckContext(as_of=as_of, profile=profile, registry=registry, fetcher=fetcher)
    # A check the profile must adopt explicitly (Check.runs_by_default False) runs only where it has.
    pairs = [(check, entry) for check in checks if check.enabled(profile) for entry in registry.entries()
             if check.applies(entry) and (only is None or entry.id in only)]
    slots = asyncio.Semaphore(max_concurrent_checks)
    task_bar = progress.task("checks", len(pairs)) if progress else None

    async def one(check: Check, entry) -> Observation:
        async with slots:
            try:
                return await check.observe(entry, ctx)
            except Exception as exc:  # one broken page must not sink the round; it is recorded
                return check.observation(entry, ctx, {"error": f"{type(exc).__name__}: {exc}"[:300]}, [],
                                         outcome="error")
            finally:
                if task_bar:
                    task_bar.advance()

    with older_objects_spared():  # the GC leaves the registry alone and passes less often
        observations = await asyncio.gather(*(one(c, e) for c, e in pairs))
    if task_bar:
        task_bar.close()
    return sorted(observations, key=lambda o: (o.check, o.entry))


@dataclass(frozen=True)
class Schedule:
    """When rounds happen over a range of days.

    `frequent_per_day` reachability attempts a day during the last `monitoring_days` days of the
    range (the indicator's monitoring week, ending at the monitoring time) and `background_per_day`
    before it (availability history; equal to frequent_per_day in production); the daily checks at
    `daily_at`; the weekly checks with them on Mondays, or only on the last day
    (`weekly_on_last_day_only`, for a quick replay), and always on the last day of the range.
    """

    frequent_per_day: int = 20
    background_per_day: int = 20
    monitoring_days: int = 7
    daily_at: time = time(9, 0)
    weekly_on_last_day_only: bool = False

    def rounds(self, start: date, end: date) -> Iterator[tuple[datetime, set[str]]]:
        day = start
        while day <= end:
            per_day = self.frequent_per_day if (end - day).days < self.monitoring_days else self.background_per_day
            midnight = datetime.combine(day, time(0, 0), CHINA_TZ)
            times: dict[datetime, set[str]] = {}
            for i in range(per_day):
                times.setdefault(midnight + i * (timedelta(days=1) / per_day), set()).add("frequent")
            daily = times.setdefault(datetime.combine(day, self.daily_at, CHINA_TZ), set())
            daily.add("daily")
            if day == end or (day.weekday() == 0 and not self.weekly_on_last_day_only):
                daily.add("weekly")
            yield from sorted(times.items())
            day += timedelta(days=1)


Plan = list[tuple[datetime, set[str]]]


def split_plan(plan: Plan, shards: int) -> list[Plan]:
    """Cut a plan into `shards` runs of whole days with about equal work, for parallel replays."""
    weights = [round_weight(cadences) for _, cadences in plan]
    total = sum(weights)
    parts: list[Plan] = [[] for _ in range(shards)]
    done = 0.0
    for (as_of, cadences), weight in zip(plan, weights):
        index = min(shards - 1, int(done * shards / total)) if total else 0
        if parts[index] == [] and index > 0 and parts[index - 1] and parts[index - 1][-1][0].date() == as_of.date():
            index -= 1  # a day never spans two shards: its observations go to one day file
        parts[index].append((as_of, cadences))
        done += weight
    return [part for part in parts if part]


#: Rough relative cost of a round by cadence, for splitting a replay and estimating the time it has left.
ROUND_WEIGHTS = {"frequent": 1, "daily": 30, "weekly": 300}


def round_weight(cadences: set[str]) -> int:
    """The rough cost of one round (ROUND_WEIGHTS summed over its cadences)."""
    return sum(ROUND_WEIGHTS[c] for c in cadences)


async def replay(registry: Registry, plan: Plan, profile: Profile, fetcher: Fetcher, store: ObservationStore,
                 before_round: Callable[[datetime], Awaitable[None]] | None = None,
                 progress: Progress | None = None, names: set[str] | None = None) -> RoundSummary:
    """Run the planned rounds in order, storing each day's observations as the day ends."""
    summary = RoundSummary()
    bar = progress.task("rounds", len(plan), sum(round_weight(c) for _, c in plan)) if progress else None
    started = wallclock.perf_counter()
    day_buffer: list[Observation] = []
    for as_of, cadences in plan:
        if day_buffer and day_buffer[-1].at.date() != as_of.date():
            store.append(day_buffer)
            day_buffer = []
        if before_round:
            await before_round(as_of)
        observations = await run_round(registry, as_of, profile, fetcher, due_checks(cadences, names))
        day_buffer.extend(observations)
        summary.add(observations)
        if bar:
            bar.advance(f"simulated {as_of:%Y-%m-%d %H:%M}", work=round_weight(cadences))
    store.append(day_buffer)
    if bar:
        bar.close()
    summary.requests = fetcher.requests_sent
    summary.seconds = wallclock.perf_counter() - started
    return summary
