"""The importer reads real exports and applies one documented rule per anomaly (docs/messages.md)."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from collector.message_exports import load_export
from collector.periods import CHINA_TZ
from message_exports.message_exports import HEADER, NAMES, PHONES, csv_bytes, row, write_xls, write_xlsx


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=CHINA_TZ)


def rules(result, number: int) -> set[str]:
    return {a.rule for a in result.anomalies if a.row == number}


# ----------------------------------------------------------------- formats and encodings

def test_csv_with_bom_is_read() -> None:
    result = load_export(csv_bytes([row("1", "2020-04-03 09:05", "2020-04-07 10:00")]), "a.csv")
    assert result.format == "csv" and not result.errors
    assert result.messages[0].received_at == at(2020, 4, 3, 9, 5)
    assert result.messages[0].replied_at == at(2020, 4, 7, 10, 0)
    assert result.messages[0].closed


def test_csv_without_bom_and_gb18030_csv_are_read() -> None:
    plain = load_export(csv_bytes([row("1", "2020-04-03 09:05")], encoding="utf-8"), "a.csv")
    legacy = load_export(csv_bytes([row("1", "2020-04-03 09:05")], encoding="gb18030"), "a.csv")
    assert plain.messages[0].unit == legacy.messages[0].unit == "临沧市人民政府办公室"
    assert not plain.errors and not legacy.errors


def test_xlsx_datetime_cells_are_read(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "e.xlsx", [row("1", datetime(2020, 4, 3, 9, 5), datetime(2020, 4, 7, 10, 0))])
    result = load_export(path, "e.xlsx")
    assert result.format == "xlsx" and not result.errors and not result.anomalies
    assert (result.messages[0].received_at, result.messages[0].replied_at) == (at(2020, 4, 3, 9, 5), at(2020, 4, 7, 10))


def test_legacy_xls_is_read(tmp_path: Path) -> None:
    path = write_xls(tmp_path / "e.xls", [row("1", datetime(2020, 4, 3, 9, 5), datetime(2020, 4, 7, 10, 0))])
    result = load_export(path.read_bytes(), "e.xls")
    assert result.format == "xls" and not result.errors
    assert result.messages[0].received_at == at(2020, 4, 3, 9, 5)


def test_format_comes_from_the_content_not_the_name(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "e.xlsx", [row("1", datetime(2020, 4, 3, 9, 5))])
    assert load_export(path.read_bytes(), "export.do").format == "xlsx"


def test_platform_defaults_to_the_file_stem_and_can_be_given() -> None:
    data = csv_bytes([row("1", "2020-04-03 09:05")])
    assert load_export(data, "lincang-portal.csv").messages[0].platform == "lincang-portal"
    assert load_export(data, "x.csv", platform="p1").messages[0].platform == "p1"


# ----------------------------------------------------------------- headers

def test_header_variants_are_recognised_and_extra_columns_ignored() -> None:
    header = ["信件编号", "来信时间", "信件标题", "办结时间", "办理单位", "办理状态", "满意度"]
    data = csv_bytes([["7", "2020-04-03 09:05", "标题", "2020-04-05 10:00", "临翔区政府办", "已办结", "满意"]], header)
    result = load_export(data, "a.csv")
    assert not result.errors
    assert result.messages[0].id == "7" and result.messages[0].unit == "临翔区政府办"


def test_missing_required_column_is_a_located_error() -> None:
    header = ["留言编号", "留言时间", "答复单位", "状态"]
    result = load_export(csv_bytes([["1", "2020-04-03 09:05", "x", "已办结"]], header), "a.csv")
    assert not result.messages
    [problem] = result.errors
    assert (problem.file, problem.row, problem.field) == ("a.csv", 1, "答复时间")
    assert "missing required column" in problem.reason


def test_title_rows_above_the_header_are_skipped(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "e.xlsx", [row("1", datetime(2020, 4, 3, 9, 5))], title_rows=2)
    result = load_export(path, "e.xlsx")
    assert [m.id for m in result.messages] == ["1"]
    assert rules(result, 3) == {"title_rows_skipped"}


def test_a_file_without_a_header_row_is_a_located_error() -> None:
    result = load_export("just some text\nmore text\n".encode(), "a.csv")
    assert not result.messages and result.errors[0].field == "(header)"


def test_an_unreadable_workbook_is_a_located_error() -> None:
    result = load_export(b"PK\x03\x04 not really a zip", "a.xlsx")
    assert not result.messages and result.errors[0].field == "(file)"


# ----------------------------------------------------------------- times

@pytest.mark.parametrize("text", ["2020-4-3 9:05", "2020/04/03 09:05:00", "2020-04-03 09:05", "2020.4.3 9:05:00",
                                  "2020年4月3日 9时05分", "2020年4月3日9时5分0秒", "2020-04-03T09:05:00", "2020-04-03 09:05:00.000"])
def test_time_text_with_or_without_padding_and_seconds(text: str) -> None:
    result = load_export(csv_bytes([row("1", text)]), "a.csv")
    assert result.messages[0].received_at == at(2020, 4, 3, 9, 5)
    assert not result.errors


def test_leading_and_trailing_whitespace_is_trimmed_and_recorded() -> None:
    result = load_export(csv_bytes([row(" 1", "\u3000 2020-04-03 09:05 ", "2020-04-07 10:00", status="已办结 ")]), "a.csv")
    message = result.messages[0]
    assert (message.id, message.received_at, message.status) == ("1", at(2020, 4, 3, 9, 5), "已办结")
    assert {(a.field, a.rule) for a in result.anomalies} == {
        ("留言编号", "whitespace_trimmed"), ("留言时间", "whitespace_trimmed"), ("状态", "whitespace_trimmed")}


def test_full_width_digits_and_colons_are_normalised_and_recorded() -> None:
    result = load_export(csv_bytes([row("１２", "２０２０－０４－０３ ０９：０５")]), "a.csv")
    assert (result.messages[0].id, result.messages[0].received_at) == ("12", at(2020, 4, 3, 9, 5))
    assert rules(result, 2) == {"fullwidth_normalised"}


def test_excel_serial_numbers_are_days_since_1899_12_30(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "e.xlsx", [row("1", 43924.378472222, "")], formats={(0, 1): "General"})
    result = load_export(path, "e.xlsx")
    assert result.messages[0].received_at == at(2020, 4, 3, 9, 5)
    assert "excel_serial" in rules(result, 2)


def test_excel_serial_number_written_as_text_in_a_csv() -> None:
    result = load_export(csv_bytes([row("1", "43924.5")]), "a.csv")
    assert result.messages[0].received_at == at(2020, 4, 3, 12, 0)
    assert "excel_serial" in rules(result, 2)


def test_a_whole_serial_number_is_a_date_only_value() -> None:
    result = load_export(csv_bytes([row("1", "2020-04-03 09:05", "43928")]), "a.csv")
    assert result.messages[0].replied_at == at(2020, 4, 7, 23, 59, 59)
    assert rules(result, 2) == {"excel_serial", "date_only_reply"}


def test_a_date_only_reply_counts_at_the_end_of_its_day() -> None:
    result = load_export(csv_bytes([row("1", "2020-04-03 09:05", "2020-04-03")]), "a.csv")
    assert result.messages[0].replied_at == at(2020, 4, 3, 23, 59, 59)
    assert rules(result, 2) == {"date_only_reply"}


def test_a_date_only_message_time_counts_from_the_start_of_its_day() -> None:
    result = load_export(csv_bytes([row("1", "2020-04-03", "2020-04-03 10:00")]), "a.csv")
    assert result.messages[0].received_at == at(2020, 4, 3, 0, 0)
    assert rules(result, 2) == {"date_only_received"}


def test_a_date_formatted_xlsx_cell_is_date_only(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "e.xlsx", [row("1", datetime(2020, 4, 3, 9, 5), datetime(2020, 4, 3))],
                      formats={(0, 5): "yyyy-mm-dd"})
    result = load_export(path, "e.xlsx")
    assert result.messages[0].replied_at == at(2020, 4, 3, 23, 59, 59)
    assert rules(result, 2) == {"date_only_reply"}


def test_a_date_formatted_xls_cell_is_date_only(tmp_path: Path) -> None:
    path = write_xls(tmp_path / "e.xls", [row("1", datetime(2020, 4, 3, 9, 5), datetime(2020, 4, 3))],
                     formats={(0, 5): "yyyy-mm-dd"})
    result = load_export(path, "e.xls")
    assert result.messages[0].replied_at == at(2020, 4, 3, 23, 59, 59)


def test_an_unreadable_message_time_is_a_located_error_and_the_row_is_not_counted() -> None:
    result = load_export(csv_bytes([row("1", "上周三"), row("2", "2020-04-03 09:05")]), "a.csv")
    assert [m.id for m in result.messages] == ["2"]
    [problem] = result.errors
    assert (problem.row, problem.field) == (2, "留言时间") and "not counted" in problem.reason


@pytest.mark.parametrize("text", ["2020-04-03 09:051", "2020-04-03 9", "04/03/2020 09:05", "2020-04-03 25:00"])
def test_ambiguous_or_impossible_time_text_is_a_located_error(text: str) -> None:
    result = load_export(csv_bytes([row("1", text)]), "a.csv")
    assert not result.messages and result.errors[0].field == "留言时间"


def test_an_impossible_date_is_a_located_error() -> None:
    result = load_export(csv_bytes([row("1", "2020-02-30 09:05")]), "a.csv")
    assert not result.messages and result.errors[0].row == 2


def test_an_unreadable_reply_time_keeps_the_message_as_not_replied() -> None:
    result = load_export(csv_bytes([row("1", "2020-04-03 09:05", "尽快", status="办理中")]), "a.csv")
    assert result.messages[0].replied_at is None
    assert result.errors[0].field == "答复时间" and "not replied" in result.errors[0].reason


def test_a_reply_before_its_message_loses_its_reply_time() -> None:
    result = load_export(csv_bytes([row("1", "2020-04-03 09:05", "2020-04-02 16:00")]), "a.csv")
    assert result.messages[0].replied_at is None and result.messages[0].closed
    assert rules(result, 2) == {"reply_before_message", "closed_without_reply_time"}


def test_an_open_message_with_an_empty_reply_is_normal() -> None:
    result = load_export(csv_bytes([row("1", "2020-04-03 09:05", "", status="办理中")]), "a.csv")
    assert result.messages[0].replied_at is None and not result.messages[0].closed
    assert not result.anomalies and not result.errors


# ----------------------------------------------------------------- rows and statuses

def test_an_exact_duplicate_row_is_counted_once() -> None:
    first = row("1", "2020-04-03 09:05", "2020-04-07 10:00")
    result = load_export(csv_bytes([first, first, row("2", "2020-04-03 10:00")]), "a.csv")
    assert [m.id for m in result.messages] == ["1", "2"]
    assert [(a.row, a.rule) for a in result.anomalies] == [(3, "duplicate_row")]


def test_a_duplicate_number_with_other_values_is_a_located_error() -> None:
    result = load_export(csv_bytes([row("1", "2020-04-03 09:05"), row("1", "2020-04-09 09:05")]), "a.csv")
    assert len(result.messages) == 1 and result.messages[0].received_at == at(2020, 4, 3, 9, 5)
    assert (result.errors[0].row, result.errors[0].field) == (3, "留言编号")


def test_an_unknown_status_word_counts_as_not_closed() -> None:
    result = load_export(csv_bytes([row("1", "2020-04-03 09:05", "2020-04-05 10:00", status="已阅")]), "a.csv")
    assert not result.messages[0].closed
    [anomaly] = result.anomalies
    assert (anomaly.field, anomaly.rule) == ("状态", "unknown_status") and "已阅" in anomaly.detail


def test_a_closed_message_without_a_reply_time_is_recorded() -> None:
    result = load_export(csv_bytes([row("1", "2020-04-03 09:05", "", status="已办结")]), "a.csv")
    assert result.messages[0].closed and result.messages[0].replied_at is None
    assert rules(result, 2) == {"closed_without_reply_time"}


def test_a_row_without_a_number_is_a_located_error() -> None:
    result = load_export(csv_bytes([row("", "2020-04-03 09:05")]), "a.csv")
    assert not result.messages and result.errors[0].field == "留言编号"


def test_blank_rows_are_skipped(tmp_path: Path) -> None:
    result = load_export(csv_bytes([row("1", "2020-04-03 09:05"), [""] * len(HEADER), row("2", "2020-04-03 10:00")]),
                         "a.csv")
    assert [m.id for m in result.messages] == ["1", "2"] and not result.errors and not result.anomalies


# ----------------------------------------------------------------- personal data

def test_no_name_phone_or_title_survives_the_import(tmp_path: Path) -> None:
    rows = [row(str(n), "2020-04-03 09:05", "2020-04-07 10:00", person=n) for n in range(3)]
    rows.append(row("9", PHONES[0], person=0))  # a phone number in the time column: misaligned export
    for result in (load_export(csv_bytes(rows), "a.csv"), load_export(write_xlsx(tmp_path / "e.xlsx", rows), "e.xlsx")):
        dumped = repr(result) + json.dumps(result.to_dict(), ensure_ascii=False)
        for secret in NAMES + PHONES + ("反映道路维修",):
            assert secret not in dumped
        assert result.errors  # the misaligned row is reported, its value masked


# ----------------------------------------------------------------- documentation

def test_every_anomaly_rule_is_documented() -> None:
    from collector.message_exports.importer import RULES

    doc = (Path(__file__).parents[2] / "docs" / "messages.md").read_text(encoding="utf-8")
    for rule in RULES:
        assert f"| `{rule}` |" in doc
