"""The shared rules: one rounding for every rate, one site code per entry."""
from __future__ import annotations

import pytest

from govcensus_data.rules import format_rate, rate, rate_text, site_code


@pytest.mark.parametrize(("part", "whole", "value", "text"), [
    (31, 34, 91.2, "91.2%"),        # 91.176… -> 91.2
    (1, 8, 12.5, "12.5%"),          # exactly 12.5
    (1, 16, 6.3, "6.3%"),           # 6.25 rounds half up, not to even
    (2999, 3000, 99.9, "99.9%"),    # 99.966… is never shown as 100
    (34, 34, 100.0, "100%"),
    (0, 5, 0.0, "0.0%"),
])
def test_a_rate_has_one_decimal_rounded_half_up_and_only_an_exact_100_is_100(part, whole, value, text):
    assert rate(part, whole) == value
    assert rate_text(rate(part, whole)) == format_rate(part, whole) == text


def test_nothing_to_divide_by_is_no_rate_shown_as_a_dash():
    assert rate(0, 0) is None
    assert format_rate(0, 0) == rate_text(None) == "—"


def test_a_website_answers_to_its_own_code_a_column_to_its_sites_and_others_to_none():
    assert site_code("website", "5309000001", None) == "5309000001"
    assert site_code("column", "zfxxgk-tjj", "5309000001") == "5309000001"
    assert site_code("column", "orphan", None) is None
    assert site_code("account", "wx-lczrzyj", None) is None
    assert site_code("message_platform", "hdjl-1", "5309000001") is None
