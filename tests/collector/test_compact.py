"""Compaction: closed days become zstd Parquet that reads back exactly as the JSONL did, nothing lost."""
from __future__ import annotations

import json
import threading
import time
from datetime import date, datetime, timedelta

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from collector import columnar
from collector.cli import main
from collector.compact import CompactError, closed_days, compact, compact_day, today_in_china
from collector.observations import Evidence, Finding, Observation
from collector.periods import CHINA_TZ
from collector.store import ObservationStore, StoreError

DAY = date(2020, 6, 30)
ID, ID_MASKED = "360426199101010071", "3604**********0071"


def observation(hour: int, entry: str = "5309000001", day: date = DAY, check: str = "homepage_freshness",
                minute: int = 0) -> Observation:
    return Observation(at=datetime(day.year, day.month, day.day, hour, minute, tzinfo=CHINA_TZ), entry=entry,
                       kind="website", check=check, outcome="finding", figures={"age_days": 15, "title": "通知"},
                       findings=(Finding("homepage_stale", "网站不更新", "veto", "已 15 天未更新",
                                         evidence=Evidence(url="http://a.gov.cn/", snippet="“引号” \\ 与换行\n")),))


def day_of_rounds(day: date = DAY) -> list[Observation]:
    """A day of hourly rounds over three entries, appended round by round (entries interleaved)."""
    return [observation(hour, entry, day) for hour in range(24) for entry in ("b-site", "a-site", "c-site")]


def as_lines(observations) -> list[str]:
    return [o.to_json() for o in observations]


def test_a_closed_day_becomes_parquet_that_reads_back_in_the_same_order(tmp_path):
    store = ObservationStore(tmp_path)
    store.append(day_of_rounds())
    before = as_lines(store.read(DAY, DAY))

    [done] = compact(store, before=DAY + timedelta(days=1))

    assert not store.day_file(DAY).exists()
    assert store.compact_file(DAY) == tmp_path / "2020" / "2020-06-30.parquet"
    assert done.rows == 72 and done.parquet_bytes < done.jsonl_bytes
    assert as_lines(ObservationStore(tmp_path).read(DAY, DAY)) == before
    assert pq.ParquetFile(store.compact_file(DAY)).metadata.row_group(0).column(0).compression == "ZSTD"


def test_the_open_day_and_days_not_before_the_limit_stay_jsonl(tmp_path):
    store = ObservationStore(tmp_path)
    today = today_in_china()
    store.append([observation(9, day=today), observation(9, day=DAY), observation(9, day=DAY + timedelta(days=1))])

    compact(store, before=today + timedelta(days=30))  # a later --before never closes today
    assert store.day_file(today).exists() and not store.compact_file(today).exists()

    store2 = ObservationStore(tmp_path / "other")
    store2.append([observation(9, day=DAY), observation(9, day=DAY + timedelta(days=1))])
    compact(store2, before=DAY + timedelta(days=1))
    assert store2.compact_file(DAY).exists() and store2.day_file(DAY + timedelta(days=1)).exists()
    assert closed_days(store2, date(2021, 1, 1)) == [DAY + timedelta(days=1)]


def test_a_torn_last_line_is_repaired_before_compaction_and_kept_aside(tmp_path):
    reported: list[str] = []
    store = ObservationStore(tmp_path, report=reported.append)
    store.append([observation(9), observation(10)])
    torn = observation(11).to_json()[:40]
    with open(store.day_file(DAY), "a", encoding="utf-8") as handle:
        handle.write(torn)

    [done] = compact(store, before=DAY + timedelta(days=1))

    assert done.rows == 2
    assert [o.at.hour for o in store.read(DAY, DAY)] == [9, 10]
    assert (tmp_path / "2020" / "2020-06-30.jsonl.torn").read_text(encoding="utf-8") == torn + "\n"
    assert reported and "torn line repaired" in reported[0]


def test_a_corrupt_line_in_the_middle_stops_compaction_of_that_day_with_its_location(tmp_path):
    store = ObservationStore(tmp_path)
    store.append([observation(9)])
    with open(store.day_file(DAY), "a", encoding="utf-8") as handle:
        handle.write("garbage\n" + observation(10).to_json() + "\n")
    with pytest.raises(StoreError, match=r"2020-06-30\.jsonl:2: not an observation"):
        compact_day(store, DAY)
    assert store.day_file(DAY).exists() and not store.compact_file(DAY).exists()


def test_dedup_holds_across_both_forms_and_a_recompaction_merges_them(tmp_path):
    store = ObservationStore(tmp_path)
    store.append([observation(9), observation(10)])
    compact_day(store, DAY)

    again = ObservationStore(tmp_path)
    assert again.append([observation(9), observation(10)]) == 0
    assert again.append([observation(10), observation(11)]) == 1
    assert again.day_file(DAY).exists()
    assert [o.at.hour for o in ObservationStore(tmp_path).read(DAY, DAY)] == [9, 10, 11]

    [done] = compact(again, before=DAY + timedelta(days=1))
    assert done.rows == 3 and not again.day_file(DAY).exists()
    assert as_lines(ObservationStore(tmp_path).read(DAY, DAY)) == as_lines([observation(h) for h in (9, 10, 11)])


def test_a_compaction_cut_short_after_the_rename_never_counts_twice(tmp_path):
    """The Parquet is in place but the JSONL was not removed yet: readers leave the copies out."""
    store = ObservationStore(tmp_path)
    store.append([observation(9), observation(10)])
    columnar.write_day(store.compact_file(DAY), [observation(9), observation(10)])

    assert [o.at.hour for o in ObservationStore(tmp_path).read(DAY, DAY)] == [9, 10]
    [done] = compact(ObservationStore(tmp_path), before=DAY + timedelta(days=1))
    assert done.rows == 2


def test_a_compacted_file_that_does_not_read_back_the_same_keeps_the_day_file(tmp_path, monkeypatch):
    store = ObservationStore(tmp_path)
    store.append([observation(9), observation(10)])
    original = store.day_file(DAY).read_bytes()
    monkeypatch.setattr("collector.compact.encode_day", lambda obs: columnar.encode_day(list(obs)[:1]))

    with pytest.raises(CompactError, match="differs from the day at row 2"):
        compact_day(store, DAY)

    assert store.day_file(DAY).read_bytes() == original
    assert sorted(p.name for p in (tmp_path / "2020").iterdir()) == ["2020-06-30.jsonl"]  # no temp file left


def test_the_masking_gate_applies_to_rows_read_back_from_parquet(tmp_path):
    """A row stored before the gate (or written by other means) is masked on the way in."""
    path = ObservationStore(tmp_path).compact_file(DAY)
    path.parent.mkdir(parents=True)
    finding = {"code": "footer_missing", "indicator": "网站标识", "severity": "deduction", "message": f"页脚 {ID}",
               "key": ID, "evidence": {"url": f"http://a.gov.cn/?id={ID}", "location": "", "snippet": ""}}
    table = pa.table({"line": [1], "at": [datetime(2020, 6, 30, 9, tzinfo=CHINA_TZ).isoformat()],
                      "entry": ["5309000001"], "kind": ["website"], "check": ["footer_marks"],
                      "outcome": ["finding"], "figures": [json.dumps({"footer": f"身份证 {ID}"})],
                      "findings": [json.dumps([finding])]}, schema=columnar.SCHEMA)
    pq.write_table(table, path, compression="zstd")

    [obs] = ObservationStore(tmp_path).read(DAY, DAY)
    assert ID not in obs.to_json()
    assert obs.findings[0].key == ID_MASKED and obs.figures == {"footer": f"身份证 {ID_MASKED}"}


def test_an_unreadable_compacted_file_is_a_located_error(tmp_path):
    store = ObservationStore(tmp_path)
    store.compact_file(DAY).parent.mkdir(parents=True)
    store.compact_file(DAY).write_bytes(b"PAR1 not really")
    with pytest.raises(StoreError, match=r"2020-06-30\.parquet:0: unreadable Parquet"):
        list(store.read(DAY, DAY))

    other = tmp_path / "2020" / "plain.parquet"
    pq.write_table(pa.table({"x": [1]}), other)
    store.compact_file(DAY).write_bytes(other.read_bytes())
    with pytest.raises(StoreError, match="not a compacted observation day"):
        list(store.read(DAY, DAY))


def test_a_writer_waiting_while_a_day_is_compacted_appends_to_a_fresh_day_file(tmp_path):
    store = ObservationStore(tmp_path)
    store.append([observation(9)])
    writer = ObservationStore(tmp_path)
    writer._keys[DAY] = {(observation(9).at.isoformat(), "5309000001", "homepage_freshness")}
    appended: list[int] = []
    with store.closing_day(DAY) as held:
        thread = threading.Thread(target=lambda: appended.append(writer.append([observation(10)])))
        thread.start()
        time.sleep(0.3)
        assert not appended  # held off by the day file's lock
        columnar.write_day(store.compact_file(DAY), held)
        store.day_file(DAY).unlink()
    thread.join(timeout=30)

    assert appended == [1]
    assert [o.at.hour for o in ObservationStore(tmp_path).read(DAY, DAY)] == [9, 10]
    assert json.loads(store.day_file(DAY).read_text(encoding="utf-8"))["at"].startswith("2020-06-30T10")


def test_collector_compact_command_reports_each_day_and_the_total(tmp_path):
    store = ObservationStore(tmp_path / "obs")
    store.append(day_of_rounds(DAY) + day_of_rounds(DAY + timedelta(days=1)))
    result = CliRunner().invoke(main, ["compact", "--data", str(tmp_path / "obs"), "--before", "2020-07-01"])
    assert result.exit_code == 0, result.output
    assert "2020-06-30: 72 observations" in result.output and "compacted 1 day(s)" in result.output
    assert store.day_file(DAY + timedelta(days=1)).exists() and store.compact_file(DAY).exists()


def test_collector_compact_over_a_corrupt_day_exits_2_with_the_location(tmp_path):
    store = ObservationStore(tmp_path / "obs")
    store.append([observation(9)])
    with open(store.day_file(DAY), "a", encoding="utf-8") as handle:
        handle.write("garbage\n" + observation(10).to_json() + "\n")
    result = CliRunner().invoke(main, ["compact", "--data", str(tmp_path / "obs"), "--before", "2020-07-01"])
    assert result.exit_code == 2
    assert "2020-06-30.jsonl:2: not an observation" in result.output and "Traceback" not in result.output
