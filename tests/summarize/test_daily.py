"""Per-day series in a scorecard: what the portal draws as an entry's strip over the quarter."""
from __future__ import annotations

from datetime import datetime

import yaml

from collector.observations import Observation
from collector.periods import CHINA_TZ, Period
from collector.registry import Registry, Website
from collector.summarize.daily import daily_series, freshness_days, reachability_days
from collector.summarize.scorecards import write_scorecards

PERIOD = Period(2020, 2)  # 2020-04-01 .. 2020-06-30: 91 days
SITE = Website(site_code="5309000001", name="临沧市人民政府", unit="临沧市人民政府办公室", level="市级",
               site_kind="政府门户网站", url="http://www.lincang.gov.cn/")


def attempt(month: int, day: int, hour: int, failed: bool | None, blocked: str = "") -> Observation:
    """A reachability attempt; failed None: one of ours that could not be made (not counted)."""
    if blocked:
        return Observation(at=datetime(2020, month, day, hour, tzinfo=CHINA_TZ), entry=SITE.id, kind="website",
                           check="reachability", outcome="error", figures={"blocked": blocked})
    if failed is None:
        return Observation(at=datetime(2020, month, day, hour, tzinfo=CHINA_TZ), entry=SITE.id, kind="website",
                           check="reachability", outcome="error", figures={"not_checked": "refused address"})
    return Observation(at=datetime(2020, month, day, hour, tzinfo=CHINA_TZ), entry=SITE.id, kind="website",
                       check="reachability", outcome="ok", figures={"failed": failed, "elapsed_ms": 80})


def freshness(month: int, day: int, hour: int, age: int) -> Observation:
    return Observation(at=datetime(2020, month, day, hour, tzinfo=CHINA_TZ), entry=SITE.id, kind="website",
                       check="homepage_freshness", outcome="ok", figures={"age_days": age})


def test_reachability_is_one_state_per_day_of_the_quarter():
    series = reachability_days(PERIOD, [
        attempt(4, 1, 9, False), attempt(4, 1, 15, False),       # up
        attempt(4, 2, 9, False), attempt(4, 2, 15, True),        # partly
        attempt(4, 3, 9, True), attempt(4, 3, 15, True),         # down
        attempt(6, 30, 9, False),
    ])
    assert len(series) == 91
    assert series[:4] == "upd." and series[-1] == "u" and set(series[3:-1]) == {"."}


def test_a_day_with_only_blocked_or_uncheckable_attempts_is_unknown_never_up_or_down():
    series = reachability_days(PERIOD, [attempt(4, 1, 9, None), attempt(4, 2, 9, None, blocked="HTTP 429")])
    assert series[:2] == ".."


def test_freshness_keeps_the_days_last_reading_and_leaves_unread_days_empty():
    series = freshness_days(PERIOD, "website", [freshness(4, 1, 9, 3), freshness(4, 1, 21, 0), freshness(4, 3, 9, 2)])
    values = series.split(",")
    assert len(values) == 91 and values[:4] == ["0", "", "2", ""]


def test_series_without_a_single_reading_are_left_out():
    assert daily_series(PERIOD, "website", []) == {}
    assert list(daily_series(PERIOD, "website", [attempt(4, 1, 9, False)])) == ["reachability"]


def test_the_scorecard_carries_its_series_and_stays_small(tmp_path, profile):
    observations = [attempt(4, d, h, d % 7 == 0) for d in range(1, 31) for h in (9, 15)]
    observations += [freshness(4, d, 9, d % 5) for d in range(1, 31)]
    registry = Registry(office="临沧市人民政府办公室", region="临沧市", websites=(SITE,), columns=(), accounts=())
    write_scorecards(registry, observations, PERIOD, PERIOD.end_time, profile, tmp_path)
    path = tmp_path / "scorecards" / "2020Q2" / "website" / "5309000001.md"
    front = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    assert front["daily"]["reachability"][:7] == "uuuuuu" + "d"
    assert front["daily"]["freshness"].split(",")[:6] == ["1", "2", "3", "4", "0", "1"]
    assert len(yaml.safe_dump(front["daily"], allow_unicode=True)) < 600
