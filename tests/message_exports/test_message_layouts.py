"""Any office's export layout: the Teddy Cup 附件4 layout without a status column, per-platform header
mappings, odd cells, and exports that cannot be read at all (which must never look like zero messages)."""
from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from collector.message_exports.importer import HEADERS, ImportResult, header_variants, load_export
from collector.periods import CHINA_TZ
from collector.registry import MESSAGE_FIELDS
from message_exports.message_exports import TEDDY_TEXT, csv_bytes, teddy_row, write_teddy_xlsx

REPLY = "网友您好，您的留言已收悉，经核实，该路段施工已调整至白天进行。感谢您的监督。"


def china(*args: int) -> datetime:
    return datetime(*args, tzinfo=CHINA_TZ)


def teddy_export(tmp_path: Path) -> Path:
    """A Teddy-layout workbook with every kind of odd cell the real 2,816-row export has."""
    rows = [
        teddy_row(2549, datetime(2019, 4, 25, 9, 32, 9), REPLY, datetime(2019, 5, 10, 14, 56, 53)),  # Excel datetimes
        teddy_row(2554, "2019/4/8 8:37:20", REPLY, "2019/5/9 9:49:10", user=1),  # text, no zero padding
        teddy_row(2555, 43580.5, REPLY, 43585.75),  # Excel serials with a time of day
        teddy_row(2557, 43581, REPLY, 43586),  # whole serials: date only
        teddy_row(2558, datetime(2019, 4, 26), REPLY, datetime(2019, 4, 29)),  # date cells shown without time
        teddy_row(2559, "2019/4/3 9:05", "", ""),  # no reply at all
        teddy_row(2560, "2019/4/3 9:5:07", REPLY, ""),  # reply text, no reply time
        teddy_row(2561, "2019/4/3 10:00:00", "", "2019/4/4 16:20:00"),  # reply time, no text
        teddy_row(2562, "2019/4/10 10:00:00", "", "2019/4/9 10:00:00"),  # reply before the message
    ]
    return write_teddy_xlsx(tmp_path / "附件4.xlsx", rows, formats={(4, 3): "yyyy/m/d", (4, 6): "yyyy/m/d"})


@pytest.fixture
def teddy(tmp_path: Path) -> ImportResult:
    return load_export(teddy_export(tmp_path), "附件4.xlsx", platform="teddy")


def by_id(result: ImportResult) -> dict:
    return {m.id: m for m in result.messages}


def rule_rows(result: ImportResult, rule: str) -> list[int]:
    return [a.row for a in result.anomalies if a.rule == rule]


def test_the_teddy_cup_layout_imports_every_row(teddy: ImportResult) -> None:
    assert teddy.readable and not teddy.errors
    assert list(by_id(teddy)) == ["2549", "2554", "2555", "2557", "2558", "2559", "2560", "2561", "2562"]
    assert teddy.format == "xlsx" and {m.platform for m in teddy.messages} == {"teddy"}


def test_without_a_status_column_a_reply_time_or_reply_text_means_answered(teddy: ImportResult) -> None:
    messages = by_id(teddy)
    assert {k for k, m in messages.items() if m.closed} == {"2549", "2554", "2555", "2557", "2558", "2560", "2561"}
    assert messages["2559"].status == "未答复" and messages["2549"].status == "已答复"
    assert messages["2560"].replied_at is None  # answered in words only: closed, never on time
    assert rule_rows(teddy, "closed_without_reply_time") == [8]
    assert [(a.row, a.field) for a in teddy.anomalies if a.rule == "status_from_reply"] == [(1, "(header)")]


def test_a_reply_before_its_message_is_not_believed_and_without_text_means_unanswered(teddy: ImportResult) -> None:
    message = by_id(teddy)["2562"]
    assert message.replied_at is None and not message.closed
    assert rule_rows(teddy, "reply_before_message") == [10]


def test_excel_datetimes_and_unpadded_text_times_are_exact(teddy: ImportResult) -> None:
    messages = by_id(teddy)
    assert (messages["2549"].received_at, messages["2549"].replied_at) == (china(2019, 4, 25, 9, 32, 9),
                                                                          china(2019, 5, 10, 14, 56, 53))
    assert (messages["2554"].received_at, messages["2554"].replied_at) == (china(2019, 4, 8, 8, 37, 20),
                                                                          china(2019, 5, 9, 9, 49, 10))
    assert messages["2560"].received_at == china(2019, 4, 3, 9, 5, 7)


def test_excel_serials_count_days_from_1899_12_30(teddy: ImportResult) -> None:
    messages = by_id(teddy)
    assert (messages["2555"].received_at, messages["2555"].replied_at) == (china(2019, 4, 25, 12, 0),
                                                                          china(2019, 4, 30, 18, 0))
    # a whole serial is a date: a message at the start of its day, a reply at the end of its day
    assert (messages["2557"].received_at, messages["2557"].replied_at) == (china(2019, 4, 26, 0, 0),
                                                                          china(2019, 5, 1, 23, 59, 59))
    assert rule_rows(teddy, "excel_serial") == [4, 4, 5, 5]


def test_date_cells_without_a_time_format_are_dates(teddy: ImportResult) -> None:
    message = by_id(teddy)["2558"]
    assert (message.received_at, message.replied_at) == (china(2019, 4, 26, 0, 0), china(2019, 4, 29, 23, 59, 59))
    assert 6 in rule_rows(teddy, "date_only_received") and 6 in rule_rows(teddy, "date_only_reply")


def test_no_user_id_title_message_or_reply_text_leaves_the_importer(teddy: ImportResult) -> None:
    stored = repr(teddy) + json.dumps(teddy.to_dict(), ensure_ascii=False)
    for secret in TEDDY_TEXT + (REPLY, "噪音"):
        assert secret not in stored
    assert ImportResult.from_dict(json.loads(json.dumps(teddy.to_dict()))) == teddy


# ----------------------------------------------------------------- header mappings

OFFICE_HEADER = ["序号", "诉求人", "提问时间", "回复日期", "回复部门", "处理状态"]
OFFICE_ROWS = [["Q-7", "李四", "2020-04-03 09:05", "2020-04-07 10:00", "市水务局", "已办结"],
               ["Q-8", "王五", "2020-04-08 09:05", "", "市水务局", "处理中"]]
OFFICE_MAPPING = {"id": ["序号"], "received_at": ["提问时间"], "replied_at": ["回复日期"], "unit": ["回复部门"],
                  "status": ["处理状态"]}


def test_an_unknown_layout_is_unreadable_without_a_mapping() -> None:
    result = load_export(csv_bytes(OFFICE_ROWS, OFFICE_HEADER), "office.csv")
    assert not result.messages and not result.readable
    # published in Chinese; the located problem is staff's
    assert "没有写明留言编号和留言时间的表头行" in result.unreadable
    assert [(e.row, e.field) for e in result.errors] == [(1, "(header)")] and "no header row" in str(result.errors[0])


def test_a_platform_mapping_reads_its_own_header_names() -> None:
    result = load_export(csv_bytes(OFFICE_ROWS, OFFICE_HEADER), "office.csv", headers=OFFICE_MAPPING)
    assert result.readable and not result.errors
    assert [(m.id, m.unit, m.status, m.closed) for m in result.messages] == [
        ("Q-7", "市水务局", "已办结", True), ("Q-8", "市水务局", "处理中", False)]
    assert result.messages[0].replied_at == china(2020, 4, 7, 10, 0)


def test_a_mapped_field_uses_only_the_names_given() -> None:
    header = ["留言编号", "留言时间", "答复时间", "办结时间", "状态"]
    rows = [["1", "2020-04-03 09:05", "2020-04-04 10:00", "2020-04-20 10:00", "已办结"]]
    default = load_export(csv_bytes(rows, header), "a.csv")
    mapped = load_export(csv_bytes(rows, header), "a.csv", headers={"replied_at": ["办结时间"]})
    assert default.messages[0].replied_at == china(2020, 4, 4, 10, 0)
    assert mapped.messages[0].replied_at == china(2020, 4, 20, 10, 0)


def test_mapped_names_are_compared_like_headers() -> None:
    header = ["留言编号", "留言时间", "回 复 日 期"]
    result = load_export(csv_bytes([["1", "2020-04-03 09:05", "2020-04-04 10:00"]], header), "a.csv",
                         headers={"replied_at": ["回复日期"]})
    assert result.messages[0].replied_at == china(2020, 4, 4, 10, 0)


def test_the_registry_and_the_importer_know_the_same_fields() -> None:
    assert set(MESSAGE_FIELDS) == set(HEADERS)
    with pytest.raises(ValueError, match="unknown message field 'title'"):
        header_variants({"title": ["标题"]})


# ----------------------------------------------------------------- unreadable exports

@pytest.mark.parametrize(("data", "reason"), [
    (b"", "文件是空的"),
    (b"PK\x03\x04 not really a workbook", "无法按 XLSX 格式读取文件"),
    (csv_bytes([["1", "2020-04-03 09:05", "已办结"]], ["留言编号", "留言时间", "状态"]),
     "文件缺少必需的列“答复时间”"),
])
def test_an_export_with_nothing_to_count_is_unreadable_with_its_reason(data: bytes, reason: str) -> None:
    result = load_export(data, "x.csv")
    assert not result.messages and not result.readable
    assert reason in result.unreadable
    assert ImportResult.from_dict(result.to_dict()).unreadable == result.unreadable


def test_a_required_column_missing_after_the_mapping_is_unreadable() -> None:
    result = load_export(csv_bytes(OFFICE_ROWS, OFFICE_HEADER), "office.csv",
                         headers={"id": ["序号"], "received_at": ["提问时间"]})
    assert not result.readable and "缺少必需的列“答复时间”" in result.unreadable and "回复时间" in result.unreadable
    assert [(e.row, e.field) for e in result.errors] == [(1, "答复时间")]  # located for staff


def test_row_problems_do_not_make_an_export_unreadable() -> None:
    result = load_export(csv_bytes([["1", "上周三", "", "x", "已办结"], ["2", "2020-04-03 09:05", "", "x", "办理中"]],
                                   ["留言编号", "留言时间", "答复时间", "答复单位", "状态"]), "a.csv")
    assert result.readable and len(result.errors) == 1 and [m.id for m in result.messages] == ["2"]


# ----------------------------------------------------------------- personal data in kept cells

def test_phone_numbers_in_the_kept_cells_are_masked() -> None:
    header = ["留言编号", "留言时间", "答复时间", "答复单位", "状态"]
    result = load_export(csv_bytes([["13987654321", "2020-04-03 09:05", "", "张三 15912345678", "待回复13812345678"]],
                                   header), "a.csv")
    [message] = result.messages
    assert (message.id, message.unit, message.status) == ("139****4321", "张三 159****5678", "待回复138****5678")
    stored = json.dumps(result.to_dict(), ensure_ascii=False)
    for phone in ("13987654321", "15912345678", "13812345678"):
        assert phone not in stored


def test_date_only_cells_read_through_the_number_format(tmp_path: Path) -> None:
    """A real midnight (time shown) stays midnight; a date cell (no time shown) is a date-only value."""
    path = write_teddy_xlsx(tmp_path / "m.xlsx", [teddy_row(1, datetime(2019, 4, 26), REPLY, datetime(2019, 4, 27)),
                                                  teddy_row(2, datetime(2019, 4, 26), REPLY, datetime(2019, 4, 27))],
                            formats={(1, 6): "yyyy-mm-dd"})
    messages = by_id(load_export(path, "m.xlsx"))
    assert messages["1"].replied_at == china(2019, 4, 27, 0, 0)
    assert messages["2"].replied_at == china(2019, 4, 27, 23, 59, 59)
    assert messages["1"].received_at.date() == date(2019, 4, 26)


def test_an_import_stored_before_unreadable_existed_is_judged_by_its_errors() -> None:
    missing = load_export(csv_bytes([["1", "2020-04-03 09:05", "已办结"]], ["留言编号", "留言时间", "状态"]), "x.csv")
    old = {k: v for k, v in missing.to_dict().items() if k != "unreadable"}
    assert "missing required column" in ImportResult.from_dict(old).unreadable
    rows_only = load_export(csv_bytes([["1", "上周三", "", "x", "已办结"]],
                                      ["留言编号", "留言时间", "答复时间", "答复单位", "状态"]), "y.csv")
    old = {k: v for k, v in rows_only.to_dict().items() if k != "unreadable"}
    assert ImportResult.from_dict(old).readable  # a row problem: the file itself was read
