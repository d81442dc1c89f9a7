"""The profile files: every setting a check reads is there, every finding a check emits is scored."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from collector.profile import load_profile
from collector.scoring import methodology, scoring_rules

CHECKS_DIR = Path(__file__).resolve().parents[2] / "collector" / "checks"
PROFILES_DIR = Path(__file__).resolve().parents[2] / "collector" / "profiles"
PROFILES = sorted(PROFILES_DIR.glob("*.yaml"))


def keys_read_by_checks() -> dict[str, set[str]]:
    """check name -> setting keys its module reads via profile.setting(…, "key") or settings["key"]."""
    found: dict[str, set[str]] = {}
    for path in sorted(CHECKS_DIR.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
            name = next((stmt.value.value for stmt in cls.body if isinstance(stmt, ast.Assign)
                         and any(isinstance(t, ast.Name) and t.id == "name" for t in stmt.targets)
                         and isinstance(stmt.value, ast.Constant)), None)
            if name is None:
                continue
            keys = found.setdefault(name, set())
            for node in ast.walk(cls):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "setting"
                        and len(node.args) == 2 and isinstance(node.args[1], ast.Constant)):
                    keys.add(node.args[1].value)
                if (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "settings"
                        and isinstance(node.slice, ast.Constant)):
                    keys.add(node.slice.value)
    return found


def codes_emitted_by_checks() -> set[tuple[str, str]]:
    """(check, code) for every literal finding code in a check module (code="…" or Finding("…", …))."""
    emitted = set()
    for check, _ in keys_read_by_checks().items():
        emitted |= {(check, code) for code in _literal_codes(check)}
    return emitted


def _literal_codes(check: str) -> set[str]:
    for path in CHECKS_DIR.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        if re.search(rf'name = "{check}"', text):
            return set(re.findall(r'code="([a-z_]+)"', text)) | set(re.findall(r'Finding\("([a-z_]+)"', text))
    return set()


def test_the_check_scan_sees_the_checks_it_should():
    keys = keys_read_by_checks()
    assert {"reachability", "column_freshness", "dead_links", "footer_marks"} <= set(keys)
    assert "timeout_seconds" in keys["reachability"] and "window_days" in keys["reachability"]


@pytest.mark.parametrize("profile_path", PROFILES, ids=lambda p: p.name)
def test_every_setting_a_check_reads_is_in_the_profile(profile_path):
    profile = load_profile(profile_path)
    missing = [f"{check}.{key}" for check, keys in sorted(keys_read_by_checks().items())
               for key in sorted(keys) if key not in profile.raw["checks"].get(check, {})]
    assert missing == []


@pytest.mark.parametrize("profile_path", PROFILES, ids=lambda p: p.name)
def test_every_literal_finding_code_maps_to_an_item_for_the_kinds_its_check_applies_to(profile_path):
    from collector.checks.base import get_check

    rules = scoring_rules(load_profile(profile_path))
    unmapped = [f"{kind}: {check}/{code}" for check, code in sorted(codes_emitted_by_checks())
                for kind in sorted(get_check(check).applies_to) if kind in rules.kinds
                and rules.for_kind(kind).item_for(check, code) is None]
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
                     "findings": [{"check": "dead_links", "codes": ["dead_link_homepage"]}], "confirm": True,
                     "points": 1, "allowance": 0, "cap": 10}
    assert kinds["account"]["pass_mark"] == 60


def test_the_methodology_follows_the_profile_it_is_given():
    strict = {k["kind"]: k for k in methodology(load_profile(PROFILES_DIR / "strict-example.yaml"))}
    links = next(i for i in strict["website"]["items"] if i["item"] == "首页链接不可用")
    assert (links["points"], links["cap"]) == (5, 30)
