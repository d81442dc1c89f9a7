"""Loading a profile verifies it against what the checks declare, with located errors."""
from __future__ import annotations

from pathlib import Path

import pytest

from collector.checks.column_freshness import ColumnFreshnessSettings
from collector.checks.reachability import ReachabilitySettings
from collector.profile import Profile, ProfileError, load_profile

DEFAULT = Path(__file__).resolve().parents[2] / "collector" / "profiles" / "default.yaml"


def variant(tmp_path: Path, old: str, new: str) -> Path:
    """The default profile with one piece of text replaced (so every other line stays valid)."""
    text = DEFAULT.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "profile.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_the_shipped_profiles_load_and_give_typed_settings():
    profile = load_profile()
    settings = profile.settings("reachability")
    assert isinstance(settings, ReachabilitySettings)
    assert (settings.max_failure_share, settings.window_days, settings.severity) == (0.05, 7, "veto")
    columns = profile.settings("column_freshness")
    assert isinstance(columns, ColumnFreshnessSettings) and columns.max_age_days["通知公告"] == 183
    assert columns.confirmations == ("confirm_long_term",)
    strict = load_profile(DEFAULT.parent / "strict-example.yaml")
    assert strict.settings("reachability").max_failure_share == 0.03  # type: ignore[attr-defined]


def test_a_misspelt_setting_is_refused_with_file_line_key_and_the_closest_name(tmp_path):
    path = variant(tmp_path, "    max_failure_share: 0.05", "    max_failure_shares: 0.05")
    with pytest.raises(ProfileError) as error:
        load_profile(path)
    message = str(error.value)
    assert message.startswith(f"{path}, line {line_of(path, 'max_failure_shares')}: ")
    assert "checks.reachability.max_failure_shares" in message and "did you mean 'max_failure_share'?" in message


def test_an_unknown_check_section_is_refused_with_the_closest_check(tmp_path):
    path = variant(tmp_path, "  homepage_freshness:\n", "  homepage_freshnes:\n")
    with pytest.raises(ProfileError, match=r"line \d+: checks\.homepage_freshnes: no such check "
                                           r"\(did you mean 'homepage_freshness'\?\)"):
        load_profile(path)


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("    window_days: 7", "    window_days: seven", "checks.reachability.window_days: a whole number, not 'seven'"),
    ("    exempt_contact_phones: true", "    exempt_contact_phones: 1",
     "checks.personal_info.exempt_contact_phones: true or false, not 1"),
    ("    severity_typo: deduction       # 错别字 (lexicon)", "    severity_typo: minor",
     "checks.newmedia_posts.severity_typo: one of deduction, info, veto, not 'minor'"),
    ("    confirm_limit: true", "    confirm_limit: maybe", "checks.messages.confirm_limit: true or false"),
])
def test_a_value_of_the_wrong_kind_is_refused(tmp_path, old, new, expected):
    path = variant(tmp_path, old, new)
    with pytest.raises(ProfileError) as error:
        load_profile(path)
    assert expected in str(error.value) and f"{path}, line " in str(error.value)


def test_a_scoring_item_naming_an_undeclared_code_is_refused_where_it_is(tmp_path):
    path = variant(tmp_path, "findings: {homepage_freshness: [homepage_stale]}",
                   "findings: {homepage_freshness: [homepage_stal]}")
    with pytest.raises(ProfileError) as error:
        load_profile(path)
    message = str(error.value)
    assert f"line {line_of(path, 'homepage_stal]')}" in message
    assert "scoring.kinds.website.vetoes[4] (网站不更新)" in message
    assert "no finding code 'homepage_stal' (did you mean 'homepage_stale'?)" in message


def test_a_scoring_item_naming_an_unknown_check_is_refused(tmp_path):
    path = variant(tmp_path, "findings: {reachability: [site_unreachable]}", "findings: {reachabilty: [site_unreachable]}")
    with pytest.raises(ProfileError, match=r"no such check 'reachabilty' \(did you mean 'reachability'\?\)"):
        load_profile(path)


def test_a_setting_the_profile_leaves_out_takes_the_declared_default(tmp_path):
    path = variant(tmp_path, "    attempts_per_day: 20\n", "")
    assert load_profile(path).settings("reachability").attempts_per_day == 20  # type: ignore[attr-defined]


def test_a_profile_made_in_code_is_verified_when_a_check_asks_for_its_settings():
    profile = Profile("made", "made.yaml", {"checks": {"reachability": {"window_day": 3}}})
    with pytest.raises(ProfileError, match=r"made\.yaml: checks\.reachability\.window_day: .*'window_days'"):
        profile.settings("reachability")
