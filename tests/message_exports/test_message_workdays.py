"""Working days follow the State Council's 2020 holiday arrangement; the day of receipt is not counted."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from collector.message_exports import CalendarRangeError, due_date, is_working_day, reply_working_days, working_days_between
from collector.periods import CHINA_TZ


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=CHINA_TZ)


def test_qingming_2020_holidays_are_not_working_days() -> None:
    assert [is_working_day(date(2020, 4, d)) for d in (3, 4, 5, 6, 7)] == [True, False, False, False, True]


def test_labour_day_2020_holidays_and_make_up_working_days() -> None:
    assert not any(is_working_day(date(2020, 5, d)) for d in range(1, 6))
    assert is_working_day(date(2020, 4, 26))  # Sunday, make-up working day
    assert is_working_day(date(2020, 5, 9))  # Saturday, make-up working day


def test_dragon_boat_2020_holidays_and_make_up_working_day() -> None:
    assert not any(is_working_day(date(2020, 6, d)) for d in (25, 26, 27))
    assert is_working_day(date(2020, 6, 28))  # Sunday, make-up working day


def test_working_days_between_skip_the_start_day_and_count_the_end_day() -> None:
    assert working_days_between(at(2020, 4, 7, 9), at(2020, 4, 7, 17)) == 0
    assert working_days_between(date(2020, 4, 2), date(2020, 4, 8)) == 3  # 4-3, 4-7, 4-8 (清明 4-4..4-6)
    assert working_days_between(date(2020, 4, 30), date(2020, 5, 11)) == 5  # 5-6, 5-7, 5-8, 5-9 (Sat), 5-11


def test_due_date_over_qingming() -> None:
    # Thursday 4-2: 4-3, 4-7, 4-8, 4-9, 4-10
    assert due_date(at(2020, 4, 2, 10), 5) == at(2020, 4, 10, 23, 59, 59)


def test_due_date_over_labour_day_uses_the_make_up_days() -> None:
    # Friday 4-24: 4-26 (Sun), 4-27, 4-28, 4-29, 4-30
    assert due_date(at(2020, 4, 24, 15), 5) == at(2020, 4, 30, 23, 59, 59)
    # Thursday 4-30: 5-6, 5-7, 5-8, 5-9 (Sat), 5-11
    assert due_date(at(2020, 4, 30, 11), 5) == at(2020, 5, 11, 23, 59, 59)


def test_due_date_over_dragon_boat_uses_the_make_up_sunday() -> None:
    # Tuesday 6-23: 6-24, 6-28 (Sun), 6-29, 6-30, 7-1
    assert due_date(at(2020, 6, 23, 9), 5) == at(2020, 7, 1, 23, 59, 59)


def test_a_message_received_on_a_holiday_starts_the_clock_on_the_next_working_day() -> None:
    assert due_date(at(2020, 5, 2, 10), 1) == at(2020, 5, 6, 23, 59, 59)


def test_a_message_received_after_hours_starts_the_clock_on_the_next_working_day() -> None:
    assert due_date(at(2020, 4, 8, 22, 30), 1) == due_date(at(2020, 4, 8, 8, 0), 1) == at(2020, 4, 9, 23, 59, 59)


def test_a_limit_of_zero_ends_with_the_day_of_receipt() -> None:
    assert due_date(at(2020, 4, 4, 10), 0) == at(2020, 4, 4, 23, 59, 59)


def test_times_in_other_zones_are_judged_by_the_china_date() -> None:
    utc_evening = datetime(2020, 4, 2, 17, 0, tzinfo=timezone.utc)  # 4-3 01:00 in China
    assert due_date(utc_evening, 1) == at(2020, 4, 7, 23, 59, 59)


def test_reply_working_days_is_the_smallest_limit_met() -> None:
    received = at(2020, 4, 2, 10)
    assert reply_working_days(received, at(2020, 4, 2, 16)) == 0
    assert reply_working_days(received, at(2020, 4, 3, 16)) == 1
    assert reply_working_days(received, at(2020, 4, 5, 16)) == 2  # given on a holiday: counts as 4-7
    assert reply_working_days(received, at(2020, 4, 10, 23, 59, 59)) == 5
    assert reply_working_days(received, at(2020, 4, 13, 9)) == 6


def test_reply_before_message_is_refused() -> None:
    with pytest.raises(ValueError):
        reply_working_days(at(2020, 4, 2, 10), at(2020, 4, 1, 10))


def test_years_outside_the_calendar_are_a_clear_error() -> None:
    with pytest.raises(CalendarRangeError, match="2099.*upgrade chinese_calendar"):
        due_date(at(2099, 4, 2, 10), 5)


def test_reply_working_days_is_the_smallest_limit_met_even_months_later() -> None:
    """Checked against due_date itself, over replies up to half a year later at three hours of a day."""
    received = datetime(2020, 4, 2, 16, 30, tzinfo=CHINA_TZ)  # the day before the 清明 holiday
    for days in range(0, 190, 7):
        for hour in (0, 9, 23):
            replied = (received + timedelta(days=days)).replace(hour=hour)
            if replied < received:
                continue
            taken = reply_working_days(received, replied)
            assert replied <= due_date(received, taken)
            assert taken == 0 or replied > due_date(received, taken - 1)
