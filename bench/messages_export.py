"""Benchmark: importing a message export the size of the 2020 Teddy Cup 附件4 (2,816 rows, no status
column, replies up to months later) and computing its statistics with pandas.

The rows are generated (no third-party data): Excel date-times, unpadded text times and serials,
about one in ten without a reply. Reports import and statistics time.
Usage: .venv/bin/python bench/messages_export.py
"""
from __future__ import annotations

import random
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl

from collector.message_exports import load_export, message_stats
from collector.periods import CHINA_TZ, Period
from collector.registry import MessagePlatform

ROWS = 2816
HEADER = ["留言编号", "留言用户", "留言主题", "留言时间", "留言详情", "答复意见", "答复时间"]


def write_export(path: Path) -> None:
    rng = random.Random(2020)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for n in range(ROWS):
        received = datetime(2019, 1, 1, 8) + timedelta(minutes=rng.randrange(0, 365 * 24 * 60))
        replied = received + timedelta(hours=rng.randrange(1, 24 * 200))
        answered = rng.random() > 0.1
        when = [received, f"{received.year}/{received.month}/{received.day} {received.hour}:{received.minute:02d}:00",
                (received - datetime(1899, 12, 30)).total_seconds() / 86400][n % 3]
        sheet.append([2000 + n, f"A00{rng.randrange(10**6):06d}", "关于道路维修的问题", when, "留言正文",
                      "网友您好，已转相关部门办理。" if answered else "", replied if answered else None])
        if n % 3 == 0:
            sheet.cell(row=n + 2, column=4).number_format = "yyyy/m/d h:mm:ss"
        if answered:
            sheet.cell(row=n + 2, column=7).number_format = "yyyy/m/d h:mm:ss"
    workbook.save(path)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "附件4.xlsx"
        write_export(path)
        started = time.perf_counter()
        result = load_export(path, path.name, platform="teddy")
        imported = time.perf_counter() - started
    platform = MessagePlatform(id="teddy", name="留言平台", unit="单位", belongs_to="s", export=str(path),
                               report_label="市级")
    started = time.perf_counter()
    stats = message_stats([platform], {"teddy": result.messages}, Period(2019, 2),
                          datetime(2020, 1, 31, tzinfo=CHINA_TZ))
    computed = time.perf_counter() - started
    totals = stats["totals"]
    print(f"import: {ROWS} rows in {imported:.2f} s ({ROWS / imported:,.0f} rows/s), {len(result.errors)} errors; "
          f"statistics of {totals['received']} messages in Q2 in {computed:.2f} s "
          f"(replied {totals['replied']}, median {totals['median_days']} working days, max {totals['max_calendar_days']} "
          "calendar days)")


if __name__ == "__main__":
    main()
