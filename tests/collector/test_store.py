"""The observation store is append-only and survives a crash mid-append; writes are atomic."""
from __future__ import annotations

import os
from datetime import date, datetime

import pytest

from collector.atomic import write_atomic
from collector.observations import Evidence, Finding, Observation
from collector.periods import CHINA_TZ
from collector.store import ObservationStore


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


def test_a_partial_last_line_from_a_crash_is_ignored_then_cut(tmp_path):
    store = ObservationStore(tmp_path)
    store.append([observation(9)])
    with open(store.day_file(date(2020, 6, 30)), "a", encoding="utf-8") as handle:
        handle.write(observation(10).to_json()[:40])
    assert len(list(store.read(date(2020, 6, 30), date(2020, 6, 30)))) == 1
    store.append([observation(11)])
    assert [o.at.hour for o in store.read(date(2020, 6, 30), date(2020, 6, 30))] == [9, 11]


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


def test_a_line_that_is_not_an_observation_is_a_located_error(tmp_path):
    from collector.store import StoreError

    store = ObservationStore(tmp_path)
    store.append([observation(9)])
    path = store.day_file(date(2020, 6, 30))
    with open(path, "a", encoding="utf-8") as handle:
        handle.write('{"v": 1, "at": "not a time"}\n')
    with pytest.raises(StoreError, match=rf"^{path}, line 2: not an observation"):
        list(store.read(date(2020, 6, 30), date(2020, 6, 30)))
