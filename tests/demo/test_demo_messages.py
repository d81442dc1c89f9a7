"""Message platforms: the seed's Q2 counts, replies within 5 working days, and planted export mess."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

import chinese_calendar
import openpyxl
import pytest

from collector.demo.world import QUARTER_END, QUARTER_START, Q2_MESSAGES

AFTER_QUARTER = datetime.fromisoformat("2020-07-15T12:00:00+08:00")


def _rows(platform, body: bytes) -> list[list]:
    if platform.export_kind == "xlsx":
        return [list(r) for r in openpyxl.load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True)]
    text = body.decode("utf-8-sig") if body.startswith(b"\xef\xbb\xbf") else body.decode("gbk")
    return [row for row in csv.reader(io.StringIO(text))]


def _when(cell) -> date:
    if isinstance(cell, datetime):
        return cell.date()
    day = cell.strip().split()[0].replace("/", "-")
    return date(*map(int, day.split("-")))


def _working_days_between(start: date, end: date) -> int:
    return sum(chinese_calendar.is_workday(start + timedelta(days=n)) for n in range(1, (end - start).days + 1))


@pytest.fixture
def exports(world_handle, fetch) -> dict:
    world_handle.set_clock(AFTER_QUARTER)
    return {p.report_label: (p, _rows(p, fetch(p.export_url).content)) for p in world_handle.world.platforms}


def test_second_quarter_counts_are_the_seeds(exports) -> None:
    counts = {}
    for label, (_, rows) in exports.items():
        assert rows[0] == ["留言编号", "留言时间", "留言人", "联系电话", "留言主题", "答复时间", "答复单位", "状态"]
        numbers = {row[0].strip() for row in rows[1:] if QUARTER_START <= _when(row[1]) <= QUARTER_END}
        counts[label] = len(numbers)
    assert counts == Q2_MESSAGES and sum(counts.values()) == 95


def test_exports_hold_messages_of_other_quarters_too(exports) -> None:
    for label, (_, rows) in exports.items():
        days = [_when(row[1]) for row in rows[1:]]
        assert any(d < QUARTER_START for d in days) and any(d > QUARTER_END for d in days), label


def test_every_second_quarter_message_was_answered_within_five_working_days(exports) -> None:
    for label, (_, rows) in exports.items():
        for row in rows[1:]:
            asked = _when(row[1])
            if QUARTER_START <= asked <= QUARTER_END:
                assert row[7].strip() == "已办结" and _working_days_between(asked, _when(row[5])) <= 5, row


def test_a_may_day_reply_is_on_time_only_with_the_make_up_saturday(exports) -> None:
    rows = exports["市级"][1]
    row = next(r for r in rows[1:] if _when(r[1]) == date(2020, 4, 30))
    assert _when(row[5]) == date(2020, 5, 9)
    assert _working_days_between(date(2020, 4, 30), date(2020, 5, 9)) == 4
    assert sum(date(2020, 5, d).weekday() < 5 for d in range(1, 10)) == 6  # a plain weekday count says late


def test_each_export_with_second_quarter_messages_has_a_duplicate_and_a_date_only_reply(exports) -> None:
    for label, (_, rows) in exports.items():
        if Q2_MESSAGES[label] == 0:
            continue
        data = [tuple(r) for r in rows[1:]]
        assert len(set(data)) == len(data) - 1, label
        assert any(isinstance(r[5], str) and len(r[5].strip()) == 10 for r in data), label


def test_exports_write_times_in_several_ways(exports) -> None:
    cells = [row[1] for _, rows in exports.values() for row in rows[1:]]
    assert any(isinstance(c, datetime) for c in cells)
    assert any(isinstance(c, str) and "/" in c for c in cells)
    assert any(isinstance(c, str) and len(c.strip()) < 16 for c in cells)  # 2020-4-3 9:05
    assert any(isinstance(r[0], str) and r[0] != r[0].lstrip() for _, rows in exports.values() for r in rows[1:])


def test_csv_exports_are_utf8_with_bom_except_one_in_gbk(world_handle, fetch) -> None:
    encodings = {}
    for platform in world_handle.world.platforms:
        if platform.export_kind == "csv":
            body = fetch(platform.export_url).content
            encodings[platform.report_label] = "utf-8-sig" if body.startswith(b"\xef\xbb\xbf") else "gbk"
    assert list(encodings.values()).count("gbk") == 1 and encodings["耿马县"] == "gbk"


def test_personal_data_of_messages_stays_out_of_the_public_pages(world_handle, fetch) -> None:
    for platform in world_handle.world.platforms:
        page = fetch(f"http://{platform.host}{platform.page_path}")
        text = page.content.decode(world_handle.world.site(platform.host).encoding)
        assert all(m.phone not in text and m.author not in text for m in platform.messages)
