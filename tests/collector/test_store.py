"""The observation store is append-only and survives a crash mid-append; writes are atomic."""
from __future__ import annotations

import os
from datetime import date, datetime

import pytest

from collector.observations import Evidence, Finding, Observation
from collector.periods import CHINA_TZ
from collector.store import ObservationStore, StoreError
from govcensus_data.atomic import write_atomic


def observation(hour: int, entry: str = "5309000001") -> Observation:
    return Observation(at=datetime(2020, 6, 30, hour, tzinfo=CHINA_TZ), entry=entry, kind="website",
                       check="homepage_freshness", outcome="finding", figures={"age_days": 15},
                       findings=(Finding("homepage_stale", "网站不更新", "veto", "已 15 天未更新",
                                         evidence=Evidence(url="http://a.gov.cn/")),))


def test_observations_round_trip_through_the_store(tmp_path):
    store = ObservationStore(tmp_path)
    store.append([observation(9), observation(10)])
    assert list(store.read(date(2020, 6, 30), date(2020, 6, 30))) == [observation(9), observation(10)]


def test_appending_keeps_what_was_stored(tmp_path):
    store = ObservationStore(tmp_path)
    store.append([observation(9)])
    store.append([observation(10)])
    assert len(list(store.read(date(2020, 6, 1), date(2020, 6, 30)))) == 2


def tear(store: ObservationStore, text: str) -> None:
    with open(store.day_file(date(2020, 6, 30)), "a", encoding="utf-8") as handle:
        handle.write(text)


def hours(store: ObservationStore) -> list[int]:
    return [o.at.hour for o in store.read(date(2020, 6, 30), date(2020, 6, 30))]


def test_a_torn_last_line_is_moved_aside_and_reported_not_dropped_silently(tmp_path):
    reported: list[str] = []
    store = ObservationStore(tmp_path, report=reported.append)
    store.append([observation(9)])
    torn = observation(10).to_json()[:40]
    tear(store, torn)
    day = store.day_file(date(2020, 6, 30))

    assert hours(store) == [9]
    sidecar = day.with_name("2020-06-30.jsonl.torn")
    assert sidecar.read_text(encoding="utf-8") == torn + "\n"
    assert day.read_text(encoding="utf-8") == observation(9).to_json() + "\n"
    assert reported == [f"{day}: 1 torn line repaired (kept in {sidecar})"]
    assert [r.path for r in store.repairs] == [day]


def test_appending_after_a_crash_repairs_first_so_new_lines_do_not_glue_onto_the_torn_one(tmp_path):
    store = ObservationStore(tmp_path)
    store.append([observation(9)])
    tear(store, observation(10).to_json()[:40])
    ObservationStore(tmp_path).append([observation(11)])
    fresh = ObservationStore(tmp_path)
    assert hours(fresh) == [9, 11]
    assert fresh.repairs == []  # already repaired by the appending store


def test_an_unparseable_last_line_with_its_newline_is_torn_too(tmp_path):
    store = ObservationStore(tmp_path)
    store.append([observation(9)])
    tear(store, '{"v": 1, "at": "2020-06-30T10:00:00+08:00", "entry"\n')
    assert hours(store) == [9]
    assert len(store.repairs) == 1


def test_a_complete_last_line_missing_only_its_newline_is_kept(tmp_path):
    store = ObservationStore(tmp_path)
    store.append([observation(9)])
    tear(store, observation(10).to_json())
    assert hours(store) == [9, 10]
    assert store.repairs == []
    assert store.day_file(date(2020, 6, 30)).read_text(encoding="utf-8").endswith("}\n")
    store.append([observation(11)])
    assert hours(ObservationStore(tmp_path)) == [9, 10, 11]


def test_a_corrupt_line_in_the_middle_is_a_located_error_and_nothing_is_cut(tmp_path):
    store = ObservationStore(tmp_path)
    store.append([observation(9)])
    tear(store, "not json\n")
    tear(store, observation(11).to_json() + "\n")
    day = store.day_file(date(2020, 6, 30))
    before = day.read_bytes()
    with pytest.raises(StoreError) as caught:
        list(ObservationStore(tmp_path).read(date(2020, 6, 30), date(2020, 6, 30)))
    assert str(caught.value).startswith(f"{day}:2: not an observation")
    assert day.read_bytes() == before


def test_a_crash_mid_write_leaves_the_previous_file_intact(tmp_path, monkeypatch):
    target = tmp_path / "scorecard.md"
    write_atomic(target, "old content\n")

    def crash(*args):
        raise OSError("disk full")
    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        write_atomic(target, "new content that never lands\n")
    assert target.read_text() == "old content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["scorecard.md"]


def test_rewriting_identical_content_does_not_touch_the_file(tmp_path):
    target = tmp_path / "a.md"
    assert write_atomic(target, "same") is True
    assert write_atomic(target, "same") is False


def test_a_rerun_round_is_not_stored_twice(tmp_path):
    ObservationStore(tmp_path).append([observation(9)])
    assert ObservationStore(tmp_path).append([observation(9), observation(10)]) == 1
    assert len(list(ObservationStore(tmp_path).read(date(2020, 6, 30), date(2020, 6, 30)))) == 2


def test_a_store_that_cannot_be_written_reads_the_complete_lines_and_says_the_torn_one_was_left_out(
        tmp_path, monkeypatch):
    store = ObservationStore(tmp_path)
    store.append([observation(9)])
    tear(store, observation(10).to_json()[:40])
    day = store.day_file(date(2020, 6, 30))

    def read_only(self, path):  # as on a read-only checkout (root, as CI runs, may write anything)
        raise PermissionError(13, "Permission denied", str(path))
    monkeypatch.setattr(ObservationStore, "repair", read_only)
    reported: list[str] = []
    assert hours(ObservationStore(tmp_path, report=reported.append)) == [9]
    assert reported == [f"{day}: torn last line left out, not repaired (Permission denied)"]


def test_a_read_only_store_says_once_that_a_torn_line_was_left_out_however_often_it_is_read(tmp_path, monkeypatch):
    store = ObservationStore(tmp_path)
    store.append([observation(9)])
    tear(store, observation(10).to_json()[:40])

    def read_only(self, path):
        raise PermissionError(13, "Permission denied", str(path))
    monkeypatch.setattr(ObservationStore, "repair", read_only)
    reported: list[str] = []
    reader = ObservationStore(tmp_path, report=reported.append)
    assert hours(reader) == [9] and hours(reader) == [9]
    assert len(reported) == 1


def test_a_corrupt_line_left_after_a_repair_is_located_on_every_read_not_cut_off_as_torn(tmp_path):
    """Summaries read a day once per batch of entries: a second read must not eat history line by line."""
    store = ObservationStore(tmp_path)
    store.append([observation(9)])
    tear(store, "garbage\n" + '{"v": 1}\n')
    reader = ObservationStore(tmp_path)
    for _ in range(2):
        with pytest.raises(StoreError, match=":2: not an observation"):
            list(reader.read(date(2020, 6, 30), date(2020, 6, 30)))
    assert len(reader.repairs) == 1


def mixed_day() -> list[Observation]:
    """Three entries and two checks; one figure holds text that looks like another entry's key."""
    decoy = Observation(at=datetime(2020, 6, 30, 12, tzinfo=CHINA_TZ), entry="b", kind="website",
                        check="footer_marks", outcome="ok", figures={"entry": "a", "note": '"entry":"a",'})
    return [observation(h, entry) for h in range(9, 12) for entry in ("c", "a", "b")] + [decoy]


@pytest.mark.parametrize("compacted", [False, True], ids=["jsonl", "parquet"])
def test_a_narrowed_read_gives_exactly_the_matching_observations_in_stored_order(tmp_path, compacted):
    from collector.compact import compact_day

    store = ObservationStore(tmp_path)
    store.append(mixed_day())
    if compacted:
        compact_day(store, date(2020, 6, 30))
    every = list(store.read(date(2020, 6, 30), date(2020, 6, 30)))
    assert every == mixed_day()
    for entries, checks in (({"a"}, None), ({"a", "c"}, None), (None, {"footer_marks"}), ({"b"}, {"footer_marks"}),
                            (set(), None), ({"zz"}, None)):
        narrowed = list(store.read(date(2020, 6, 30), date(2020, 6, 30), entries=entries, checks=checks))
        assert narrowed == [o for o in every if (entries is None or o.entry in entries)
                            and (checks is None or o.check in checks)]


def test_whether_a_period_has_observations_up_to_a_time(tmp_path):
    store = ObservationStore(tmp_path)
    assert not store.exists_until(date(2020, 6, 1), date(2020, 6, 30), datetime(2020, 6, 30, 23, tzinfo=CHINA_TZ))
    store.append([observation(9)])
    assert store.exists_until(date(2020, 6, 1), date(2020, 6, 30), datetime(2020, 6, 30, 9, tzinfo=CHINA_TZ))
    assert not store.exists_until(date(2020, 6, 1), date(2020, 6, 30), datetime(2020, 6, 30, 8, tzinfo=CHINA_TZ))
    assert not store.exists_until(date(2020, 6, 1), date(2020, 6, 29), datetime(2020, 7, 1, tzinfo=CHINA_TZ))
    from collector.compact import compact_day
    compact_day(store, date(2020, 6, 30))
    assert store.exists_until(date(2020, 6, 1), date(2020, 6, 30), datetime(2020, 7, 1, tzinfo=CHINA_TZ))
