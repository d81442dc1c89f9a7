"""Working days (工作日) as China's State Council calendar defines them, for message time limits.

Rules (docs/messages.md, "Working days"):
- A working day is a day chinese_calendar marks as one: Monday to Friday that are not official
  holidays, plus make-up working days (调休上班), e.g. Sunday 2020-04-26 and Saturday 2020-05-09.
- The day of receipt is never counted (as with 期间 in Chinese law: 开始的当日不计入). The clock
  starts on the first working day after the day of receipt, so a message received on a holiday,
  at a weekend or after office hours is simply counted from the next working day.
- A limit of N working days ends at 23:59:59 (China time) of the N-th working day after the day
  of receipt; a limit of 0 ends at the end of the day of receipt.
- Naive datetimes are China time; aware ones are converted to China time before taking the date.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import chinese_calendar

from collector.periods import CHINA_TZ


class CalendarRangeError(ValueError):
    """The holiday calendar has no data for this year; results would be wrong, so we stop."""


@lru_cache(maxsize=4096)
def is_working_day(day: date) -> bool:
    """True on official working days, including make-up working days on weekends."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError as exc:
        raise CalendarRangeError(
            f"{day.isoformat()}: the holiday calendar (chinese_calendar {_calendar_version()}) has no data for "
            f"{day.year} ({exc}); upgrade chinese_calendar in requirements.txt once the State Council has "
            "published that year's holiday arrangement") from None


def _calendar_version() -> str:
    return getattr(chinese_calendar, "__version__", "unknown version")


def china_date(moment: datetime) -> date:
    """The calendar date of a moment in China."""
    return (moment.astimezone(CHINA_TZ) if moment.tzinfo else moment).date()


def working_days_between(start: datetime | date, end: datetime | date) -> int:
    """Working days d with date(start) < d <= date(end): the day of start not counted, the day of end counted."""
    first = china_date(start) if isinstance(start, datetime) else start
    last = china_date(end) if isinstance(end, datetime) else end
    count = 0
    day = first + timedelta(days=1)
    while day <= last:
        count += is_working_day(day)
        day += timedelta(days=1)
    return count


def due_date(received_at: datetime, limit_days: int) -> datetime:
    """End (23:59:59 China time) of the limit_days-th working day after the day of receipt."""
    if limit_days < 0:
        raise ValueError(f"limit_days must be 0 or more, not {limit_days}")
    day = china_date(received_at)
    remaining = limit_days
    while remaining:
        day += timedelta(days=1)
        remaining -= is_working_day(day)
    return datetime.combine(day, time(23, 59, 59), CHINA_TZ)


def reply_working_days(received_at: datetime, replied_at: datetime) -> int:
    """The smallest limit (in working days) under which this reply would have been on time.

    So `reply_working_days(r, a) <= limit` exactly when `a <= due_date(r, limit)`: a reply on the
    day of receipt takes 0, a reply on the first working day after it takes 1, and a reply given on
    a weekend or holiday counts as given on the next working day.
    """
    if _aware(replied_at) < _aware(received_at):
        raise ValueError("the reply is earlier than the message")
    received_day, reply_day = china_date(received_at), china_date(replied_at)
    if reply_day == received_day:
        return 0
    # One pass over the days between (a reply months later must not cost a due_date per day).
    days = working_days_between(received_day, reply_day)
    return days if is_working_day(reply_day) else days + 1


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=CHINA_TZ)
