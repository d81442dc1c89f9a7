"""Round schedules: the monitoring week, daily and weekly checks, shards of whole days."""
from __future__ import annotations

from collections import Counter
from datetime import date

from collector.rounds import RoundSummary, Schedule, split_plan


def test_the_monitoring_week_has_twenty_attempts_a_day_and_the_rest_fewer():
    plan = list(Schedule(frequent_per_day=20, background_per_day=4).rounds(date(2020, 6, 1), date(2020, 6, 30)))
    per_day = Counter(at.date() for at, cadences in plan if "frequent" in cadences)
    assert per_day[date(2020, 6, 24)] == 20 and per_day[date(2020, 6, 30)] == 20
    assert per_day[date(2020, 6, 23)] == 4


def test_daily_checks_run_every_day_and_weekly_ones_on_mondays_and_the_last_day():
    plan = list(Schedule().rounds(date(2020, 6, 1), date(2020, 6, 10)))
    assert sum("daily" in c for _, c in plan) == 10
    assert [at.date() for at, c in plan if "weekly" in c] == [date(2020, 6, 1), date(2020, 6, 8), date(2020, 6, 10)]
    only_last = list(Schedule(weekly_on_last_day_only=True).rounds(date(2020, 6, 1), date(2020, 6, 10)))
    assert [at.date() for at, c in only_last if "weekly" in c] == [date(2020, 6, 10)]


def test_shards_hold_whole_days_and_every_round_once():
    plan = list(Schedule(background_per_day=4).rounds(date(2020, 4, 1), date(2020, 6, 30)))
    parts = split_plan(plan, 2)
    assert len(parts) == 2 and sum(len(p) for p in parts) == len(plan)
    assert parts[0][-1][0].date() < parts[1][0][0].date()
    assert [r for part in parts for r in part] == plan


def test_merged_summaries_add_up():
    a, b = RoundSummary(rounds=2, observations=5, requests=7, seconds=3.0), RoundSummary(rounds=1, observations=1,
                                                                                          requests=1, seconds=4.0)
    total = RoundSummary.merged([a, b])
    assert (total.rounds, total.observations, total.requests, total.seconds) == (3, 6, 8, 4.0)
