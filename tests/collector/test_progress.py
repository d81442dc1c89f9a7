"""Progress in plain mode (CI, piped output): each line says how far, how long, and about how long is left."""
from __future__ import annotations

import multiprocessing
import re
from datetime import date, datetime, time

from collector.demo_run import _QueueProgress
from collector.periods import CHINA_TZ
from collector.progress import Progress
from collector.rounds import ROUND_WEIGHTS, Schedule, round_weight, split_plan


def test_plain_progress_lines_say_how_far_how_long_and_how_long_is_left(capsys):
    with Progress(plain=True, log_every_seconds=0) as progress:
        bar = progress.task("rounds", 4)
        bar.advance("2020-06-29 09:00")
        bar.advance("2020-06-30 09:00")
        bar.close()
    lines = capsys.readouterr().err.splitlines()
    # after one step there is no rate yet to estimate from (start-up is not a step's cost)
    assert re.fullmatch(r"rounds: 1/4 25%, \d+s elapsed 2020-06-29 09:00", lines[0])
    assert re.fullmatch(r"rounds: 2/4 50%, \d+s elapsed, about \d+s left 2020-06-30 09:00", lines[1])
    assert re.fullmatch(r"rounds: 2/4 done in \d+s", lines[2])


def test_the_estimate_is_the_remaining_work_at_the_rate_since_the_first_step():
    with Progress(plain=True) as progress:
        bar = progress.task("rounds", 10)
        assert bar.timing() == "0s elapsed"
        bar.advance()
        bar._started -= 90  # start-up took a minute and a half
        bar._first = (bar._first[0] - 60, bar._first[1])  # the first step was done a minute ago
        for _ in range(3):
            bar.advance()
        assert bar.timing() == "40%, 1m30s elapsed, about 2m00s left"  # 3 steps a minute, 6 to go


def test_percent_and_estimate_follow_the_work_not_the_count_of_steps():
    """One daily round weighs as much as thirty reachability rounds: the bar says so."""
    with Progress(plain=True) as progress:
        bar = progress.task("rounds", 3, work=40)
        bar.advance(work=5)
        bar._first = (bar._first[0] - 10, bar._first[1])  # 10 s ago
        bar.advance(work=30)
        assert bar.timing().startswith("87%, ") and bar.timing().endswith("about 2s left")  # 5 more at 3/s


def test_a_replays_work_is_its_rounds_weighed_by_cadence():
    plan = list(Schedule(frequent_per_day=4, background_per_day=4).rounds(date(2020, 6, 30), date(2020, 7, 2)))
    weights = [round_weight(cadences) for _, cadences in plan]
    assert sorted(set(weights)) == [ROUND_WEIGHTS["frequent"], ROUND_WEIGHTS["daily"],
                                    ROUND_WEIGHTS["daily"] + ROUND_WEIGHTS["weekly"]]


def test_shards_report_each_round_with_its_weight_to_the_parent():
    queue = multiprocessing.get_context("spawn").Queue()
    bar = _QueueProgress(queue, 1).task("rounds", 5, work=50)
    bar.advance("simulated 2020-06-30 09:00", work=30)
    assert queue.get(timeout=5) == ("tick", 1, "simulated 2020-06-30 09:00", 30)


def test_each_shards_days_follow_one_another_so_its_dates_only_move_forward():
    plan = list(Schedule(frequent_per_day=4, background_per_day=4).rounds(date(2020, 6, 1), date(2020, 6, 30)))
    for part in split_plan(plan, 2):
        times = [as_of for as_of, _ in part]
        assert times == sorted(times)
    first, second = split_plan(plan, 2)
    assert first[-1][0] < second[0][0]
    assert datetime.combine(date(2020, 6, 1), time(0), CHINA_TZ) == first[0][0]
