"""Per-day states of an entry over its quarter, kept small enough to ride in the scorecard's front matter.

The portal draws them as a strip per entry (was it up, how old was its newest item, day by day), so a
reader sees *when* a site failed, not only the quarter's verdict. One character or one number per
day keeps a scorecard file a few hundred bytes larger at most.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from collector.observations import Observation
from collector.periods import Period

#: reachability, per day: every counted attempt answered, some failed, all failed, none counted.
#: Letters, not digits: a run of digits could pass the masking gate for a card number.
UP, PARTLY, DOWN, UNKNOWN = "u", "p", "d", "."
#: the check that says how old an entry's newest item is, by entry kind
FRESHNESS_CHECKS = {"website": "homepage_freshness", "column": "column_freshness", "account": "newmedia_freshness"}


def _days(period: Period) -> list[date]:
    return [period.start + timedelta(days=n) for n in range((period.end - period.start).days + 1)]


def reachability_days(period: Period, observations: list[Observation]) -> str:
    """One character per day of the period. Blocked and could-not-check attempts are not counted,
    as in the 站点无法访问 windows: a day with only those is UNKNOWN, never up or down."""
    failed: dict[date, list[bool]] = defaultdict(list)
    for obs in observations:
        if obs.check == "reachability" and obs.outcome == "ok":
            failed[obs.at.date()].append(bool(obs.figures.get("failed")))
    states = []
    for day in _days(period):
        seen = failed.get(day)
        states.append(UNKNOWN if not seen else DOWN if all(seen) else PARTLY if any(seen) else UP)
    return "".join(states)


def freshness_days(period: Period, kind: str, observations: list[Observation]) -> str:
    """The newest item's age in days at the day's last reading, comma-separated; empty where the day
    had no reading (could not check)."""
    check = FRESHNESS_CHECKS.get(kind)
    latest: dict[date, Observation] = {}
    for obs in observations:
        if obs.check == check and isinstance(obs.figures.get("age_days"), int) and not isinstance(obs.figures.get("age_days"), bool):
            day = obs.at.date()
            if day not in latest or obs.at >= latest[day].at:
                latest[day] = obs
    return ",".join(str(latest[d].figures["age_days"]) if d in latest else "" for d in _days(period))


def daily_series(period: Period, kind: str, observations: list[Observation]) -> dict[str, str]:
    """The series that have at least one reading, by name ('reachability', 'freshness')."""
    series = {"reachability": reachability_days(period, observations),
              "freshness": freshness_days(period, kind, observations)}
    return {name: value for name, value in series.items()
            if value.strip(UNKNOWN + ",")}
