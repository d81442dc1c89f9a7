"""An entry's verdict: vetoes fail it, deductions are capped per item, below 60 fails."""
from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from collector.observations import JudgedFinding
from collector.observations import Finding
from collector.profile import Profile, load_profile
from collector.scoring import evaluate

STRICT = Path(__file__).resolve().parents[2] / "collector" / "profiles" / "strict-example.yaml"


def finding(check: str, code: str, severity: str = "deduction", indicator: str = "") -> dict:
    return {"check": check, "code": code, "severity": severity, "indicator": indicator, "message": code}


def dead_homepage_links(n: int) -> list[dict]:
    return [finding("dead_links", "dead_link_homepage") for _ in range(n)]


def with_deduction(profile: Profile, item: str, **values) -> Profile:
    """The default profile with one website deduction item changed (to put a score at a threshold)."""
    raw = copy.deepcopy(profile.raw)
    site = raw["scoring"]["kinds"]["website"] = copy.deepcopy(raw["scoring"]["kinds"]["website"])
    for entry in site["deductions"]:
        if entry["item"] == item:
            entry.update(values)
    return Profile(name="test", source="test", raw=raw)


def test_no_findings_pass_with_full_marks(profile):
    verdict = evaluate("website", [], profile)
    assert (verdict.result, verdict.score, verdict.vetoes, verdict.deductions) == ("pass", 100, [], [])


def test_each_finding_of_an_item_deducts_its_points(profile):
    verdict = evaluate("website", dead_homepage_links(3), profile)
    assert verdict.score == 97
    assert verdict.deductions == [{"item": "首页链接不可用", "findings": 3, "points_each": 1, "allowance": 0, "cap": 10,
                                   "points": 3}]


def test_deductions_under_one_item_stop_at_its_cap(profile):
    verdict = evaluate("website", dead_homepage_links(25), profile)
    assert verdict.deductions[0]["points"] == 10
    assert verdict.score == 90


def test_findings_within_the_allowance_deduct_nothing(profile):
    lenient = with_deduction(profile, "首页链接不可用", allowance=2)
    assert evaluate("website", dead_homepage_links(2), lenient).score == 100
    assert evaluate("website", dead_homepage_links(3), lenient).score == 99


def test_a_score_of_exactly_60_passes(profile):
    heavy = with_deduction(profile, "首页链接不可用", points=40, cap=40)
    verdict = evaluate("website", dead_homepage_links(1), heavy)
    assert (verdict.score, verdict.result) == (60, "pass")


def test_a_score_of_59_5_fails(profile):
    heavy = with_deduction(profile, "首页链接不可用", points=40.5, cap=40.5)
    verdict = evaluate("website", dead_homepage_links(1), heavy)
    assert (verdict.score, verdict.result) == (59.5, "fail")


def test_fractional_points_add_up_exactly(profile):
    tenths = with_deduction(profile, "首页链接不可用", points=0.1, cap=10)
    assert evaluate("website", dead_homepage_links(3), tenths).score == 99.7


def test_a_veto_fails_the_entry_whatever_its_score(profile):
    verdict = evaluate("column", [finding("wording", "wording_serious", "veto", "严重表述错误")], profile)
    assert (verdict.result, verdict.score) == ("fail", None)  # the veto is the verdict, never "得分 100"
    assert verdict.vetoes == [{"item": "严重表述错误", "check": "wording", "code": "wording_serious",
                               "message": "wording_serious"}]


def test_the_profile_item_decides_not_the_stored_severity(profile):
    stored_as_deduction = finding("personal_info", "pii_resident_id", "deduction", "个人信息泄露")
    assert evaluate("column", [stored_as_deduction], profile).result == "fail"


def test_an_unlisted_veto_finding_still_fails_the_entry(profile):
    verdict = evaluate("website", [finding("new_check", "something_bad", "veto", "新指标")], profile)
    assert verdict.result == "fail"
    assert verdict.vetoes[0]["item"] == "新指标"


def test_an_unlisted_deduction_finding_is_listed_without_points(profile):
    verdict = evaluate("website", [finding("new_check", "minor", "deduction", "新扣分项")], profile)
    assert verdict.score == 100
    assert verdict.deductions == [{"item": "新扣分项", "findings": 1, "points_each": 0, "allowance": 0, "cap": 0,
                                   "points": 0}]


def test_info_findings_do_not_count(profile):
    assert evaluate("website", [finding("new_check", "note", "info", "提示")], profile).deductions == []


def test_an_entry_no_check_could_look_at_is_unchecked_without_a_score(profile):
    verdict = evaluate("website", [], profile, checked=False)
    assert (verdict.result, verdict.score) == ("unchecked", None)


def test_a_veto_fails_an_entry_even_when_the_rest_could_not_be_checked(profile):
    verdict = evaluate("column", [finding("wording", "wording_serious", "veto")], profile, checked=False)
    assert (verdict.result, verdict.score, len(verdict.vetoes)) == ("fail", None, 1)


def test_a_vetoed_entry_keeps_its_deductions_listed(profile):
    verdict = evaluate("website", [finding("wording", "wording_serious", "veto")] + dead_homepage_links(3), profile)
    assert (verdict.result, verdict.score) == ("fail", None)
    assert verdict.deductions[0]["points"] == 3


def test_a_new_media_account_that_stopped_posting_fails(profile):
    assert evaluate("account", [finding("newmedia_freshness", "account_stale", "veto")], profile).result == "fail"


def test_judged_findings_are_accepted_as_well_as_scorecard_dicts(profile):
    at = datetime(2020, 6, 30, tzinfo=timezone(timedelta(hours=8)))
    judged = JudgedFinding("newmedia_freshness", Finding("account_stale", "内容不更新", "veto", "x"), at, at, 1)
    assert evaluate("account", [judged], profile).result == "fail"


def test_a_kind_the_profile_does_not_score_is_an_error(profile):
    with pytest.raises(ValueError, match="message_platform"):
        evaluate("message_platform", [], profile)


def test_the_same_findings_pass_under_the_default_profile_and_fail_under_a_strict_one(profile):
    findings = dead_homepage_links(6) + [finding("footer_marks", "icp_missing"), finding("footer_marks", "psb_missing"),
                                         finding("wording", "wording_typo")]
    default = evaluate("website", findings, profile)
    strict = evaluate("website", findings, load_profile(STRICT))
    assert (default.result, default.score) == ("pass", 91)
    assert (strict.result, strict.score) == ("fail", 55)


def test_deductions_are_listed_in_the_profile_order_whatever_the_finding_order(profile):
    findings = [finding("wording", "wording_typo"), finding("dead_links", "dead_link_homepage")]
    assert [d["item"] for d in evaluate("website", findings, profile).deductions] == ["首页链接不可用", "错别字"]
    assert evaluate("website", findings, profile) == evaluate("website", list(reversed(findings)), profile)
