"""The profile files against the checks' declarations: every code a check emits is declared, every
declared code is scored; settings are verified when a profile loads (tests/collector/test_profile_verification.py)."""
from __future__ import annotations

import dataclasses
import inspect
import re
from pathlib import Path

import pytest

from collector.checks.base import Check, Settings, all_checks, get_check
from collector.profile import load_profile
from collector.scoring import methodology, scoring_rules

CHECKS_DIR = Path(__file__).resolve().parents[2] / "collector" / "checks"
PROFILES_DIR = Path(__file__).resolve().parents[2] / "collector" / "profiles"
PROFILES = sorted(PROFILES_DIR.glob("*.yaml"))


def literal_codes(check: Check) -> set[str]:
    """Every literal finding code in the module of `check` (code="…" or Finding("…", …))."""
    text = Path(inspect.getfile(type(check))).read_text(encoding="utf-8")
    return set(re.findall(r'code="([a-z_]+)"', text)) | set(re.findall(r'Finding\("([a-z_]+)"', text))


def test_every_literal_finding_code_of_a_check_module_is_declared_by_its_check():
    undeclared = [f"{check.name}/{code}" for check in all_checks() for code in sorted(literal_codes(check))
                  if code not in check.codes and not any(code in other.codes for other in all_checks())]
    assert undeclared == []
    assert "site_unreachable" in literal_codes(get_check("reachability"))  # the scan sees what it should


def test_every_check_declares_a_title_codes_and_typed_settings():
    for check in all_checks():
        assert check.title and check.indicator and check.codes, check.name
        assert issubclass(check.settings, Settings) and dataclasses.is_dataclass(check.settings), check.name
        assert all(code.severity in ("veto", "deduction", "info") and code.label for code in check.codes.values())


@pytest.mark.parametrize("profile_path", PROFILES, ids=lambda p: p.name)
def test_every_scoring_code_a_check_declares_maps_to_an_item_for_the_kinds_its_check_applies_to(profile_path):
    """Codes whose declared default is info are reported, never scored."""
    profile = load_profile(profile_path)
    rules = scoring_rules(profile)
    unmapped = [f"{kind}: {check.name}/{code}" for check in all_checks() if check.enabled(profile)
                for code, declared in sorted(check.codes.items()) if declared.severity != "info"
                for kind in sorted(check.applies_to) if kind in rules.kinds
                and rules.for_kind(kind).item_for(check.name, code) is None]
    assert unmapped == []


def test_personal_information_codes_map_to_an_item():
    from collector.text.pii import PII_KINDS

    rules = scoring_rules(load_profile())
    assert all(rules.for_kind("column").item_for("personal_info", f"pii_{kind}") for kind in PII_KINDS)


@pytest.mark.parametrize(("check", "code", "severity_key"), [
    ("reachability", "site_unreachable", "severity"),
    ("homepage_freshness", "homepage_stale", "severity"),
    ("column_freshness", "columns_not_updated", "severity"),
    ("newmedia_freshness", "account_stale", "severity"),
    ("dead_links", "dead_link_homepage", "severity"),
    ("footer_marks", "icp_missing", "severity"),
    ("reprint", "reprint_differs", "severity"),
    ("personal_info", "pii_resident_id", "severity"),
    ("wording", "wording_serious", "severity_serious"),
    ("wording", "wording_typo", "severity_typo"),
    ("decommissioned_domain", "domain_still_registered", "severity"),
])
def test_the_severity_a_check_records_agrees_with_the_item_that_scores_it(check, code, severity_key):
    profile = load_profile()
    kind = "account" if check == "newmedia_freshness" else "website"
    item = scoring_rules(profile).for_kind(kind).item_for(check, code)
    assert item is not None and item.type == profile.setting(check, severity_key)


@pytest.mark.parametrize(("kind", "item"), [
    ("column", "严重表述错误"), ("column", "个人信息泄露"), ("column", "转载与原文不符"), ("account", "内容不更新"),
    ("website", "站点无法访问"), ("website", "网站不更新"), ("website", "栏目不更新"),
])
def test_the_default_profile_makes_these_single_veto_items(kind, item):
    items = {i.name: i.type for i in scoring_rules(load_profile()).for_kind(kind).items}
    assert items[item] == "veto"


@pytest.mark.parametrize("item", ["首页链接不可用", "其他页面链接不可用", "网站基本信息", "错别字", "栏目未按时更新"])
def test_the_default_profile_makes_these_deduction_items(item):
    items = {i.name: i.type for i in scoring_rules(load_profile()).for_kind("website").items}
    assert items[item] == "deduction"


def test_the_pass_mark_is_60_of_100():
    rules = scoring_rules(load_profile())
    assert (rules.pass_mark, rules.full_marks) == (60, 100)


def test_the_methodology_lists_each_kind_with_every_item_and_its_points():
    kinds = {k["kind"]: k for k in methodology(load_profile())}
    assert set(kinds) == {"website", "column", "account"}
    links = next(i for i in kinds["website"]["items"] if i["item"] == "首页链接不可用")
    assert links == {"item": "首页链接不可用", "type": "deduction", "rule": "首页每个不可用链接",
                     "findings": [{"check": "dead_links", "codes": ["dead_link_homepage"], "labels": ["首页链接不可用"]}],
                     "confirm": True,
                     "points": 1, "allowance": 0, "cap": 10}
    assert kinds["account"]["pass_mark"] == 60


def test_the_methodology_follows_the_profile_it_is_given():
    strict = {k["kind"]: k for k in methodology(load_profile(PROFILES_DIR / "strict-example.yaml"))}
    links = next(i for i in strict["website"]["items"] if i["item"] == "首页链接不可用")
    assert (links["points"], links["cap"]) == (5, 30)
