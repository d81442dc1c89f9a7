"""Reporting periods (quarters) and the time zone every date is judged in."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")
#: Quarters outside these years are typing mistakes (and year 0 or 9999Q4 would overflow the date type).
MIN_YEAR, MAX_YEAR = 1990, 2999


@dataclass(frozen=True, order=True)
class Period:
    year: int
    quarter: int

    @classmethod
    def parse(cls, text: str) -> "Period":
        match = re.fullmatch(r"(\d{4})\s*-?Q([1-4])", text.strip(), re.IGNORECASE)
        if not match or not MIN_YEAR <= int(match.group(1)) <= MAX_YEAR:
            raise ValueError(f"{text!r} is not a quarter like 2020Q2 (a year {MIN_YEAR}-{MAX_YEAR}, then Q1 to Q4)")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: date) -> "Period":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.quarter - 2, 1)

    @property
    def end(self) -> date:
        next_start = date(self.year + 1, 1, 1) if self.quarter == 4 else date(self.year, 3 * self.quarter + 1, 1)
        return next_start - timedelta(days=1)

    @property
    def end_time(self) -> datetime:
        return datetime.combine(self.end, time(23, 59, 59), CHINA_TZ)

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter}"

    @property
    def label(self) -> str:
        return f"{self.year}年第{'一二三四'[self.quarter - 1]}季度"


def parse_time(text: str) -> datetime:
    """ISO date or datetime; naive values are China time. A bad value is a ValueError saying so."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO date or time like 2020-06-30 or 2020-06-30T09:00") from None
    return value if value.tzinfo else value.replace(tzinfo=CHINA_TZ)


def parse_day(text: str) -> date:
    """An ISO date (2020-06-30); a bad value is a ValueError saying so, not the bare library one."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO date like 2020-06-30") from None
