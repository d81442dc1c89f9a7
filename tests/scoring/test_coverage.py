"""When is there enough to judge an entry: one decided key check per kind, else 未检查 with reasons."""
from __future__ import annotations

from collector.scoring.coverage import key_checks, unchecked_reasons

TITLES = {"reachability": "首页可访问性", "homepage_freshness": "首页更新", "newmedia_freshness": "新媒体更新",
          "decommissioned_domain": "已下线网站域名注销"}


def test_key_checks_per_kind():
    assert key_checks("website", True) == ("reachability", "homepage_freshness")
    assert key_checks("column", True) == ("reachability", "column_freshness")
    assert key_checks("account", True) == ("newmedia_freshness",)
    assert key_checks("website", False) == ("decommissioned_domain",)


def test_one_decided_key_check_is_enough():
    results = {"reachability": {"outcome": "unchecked", "reason": "不足"}, "homepage_freshness": {"outcome": "ok"}}
    assert unchecked_reasons("website", True, results, TITLES) == []


def test_undecided_and_missing_key_checks_give_one_reason_each():
    results = {"reachability": {"outcome": "unchecked", "reason": "7 天内有效访问最多 3 次"},
               "footer_marks": {"outcome": "ok"}}  # not a key check: a footer alone judges nothing
    assert unchecked_reasons("website", True, results, TITLES) == [
        "首页可访问性：7 天内有效访问最多 3 次", "首页更新：本期无观测记录"]


def test_an_entry_with_no_observations_at_all_is_unchecked():
    assert unchecked_reasons("account", True, {}, TITLES) == ["新媒体更新：本期无观测记录"]
    assert unchecked_reasons("website", False, {}, TITLES) == ["已下线网站域名注销：本期无观测记录"]


def test_a_finding_or_veto_outcome_is_a_decision():
    assert unchecked_reasons("account", True, {"newmedia_freshness": {"outcome": "veto"}}, TITLES) == []
    assert unchecked_reasons("account", True, {"newmedia_freshness": {"outcome": "finding"}}, TITLES) == []
