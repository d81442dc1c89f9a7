"""The quarter's figures, computed from scorecards."""
from __future__ import annotations

from govcensus_site import Census, Entry, Scorecard, Tally, format_rate, unit_slug


def card(entry_id: str, kind: str = "column", result: str = "pass", status: str = "运行", unit: str = "临沧市统计局",
         period: str = "2020Q2", level: str = "市级", platform: str | None = None) -> Scorecard:
    entry = Entry(id=entry_id, kind=kind, name=entry_id, unit=unit, level=level, status=status, platform=platform)
    return Scorecard(period=period, period_start="", period_end="", as_of="", entry=entry, result=result)


def test_pass_rate_has_one_decimal_like_the_circular():
    assert format_rate(31, 34) == "91.2%"
    assert format_rate(62, 63) == "98.4%"


def test_only_an_exact_hundred_is_written_without_decimals():
    assert format_rate(9, 9) == "100%"
    assert format_rate(1, 2) == "50.0%"


def test_a_rate_just_below_a_hundred_is_never_rounded_up_to_it():
    assert format_rate(1999, 2000) == "99.9%"


def test_pass_rate_rounds_half_up():
    assert format_rate(1, 16) == "6.3%"


def test_no_rate_when_nothing_was_checked():
    assert format_rate(0, 0) == "—"


def test_unchecked_entries_count_neither_as_pass_nor_as_fail():
    tally = Tally.of([card("a"), card("b", result="fail"), card("c", result="unchecked")])
    assert (tally.running, tally.passed, tally.failed, tally.unchecked, tally.rate) == (3, 1, 1, 1, "50.0%")


def test_decommissioned_websites_are_registered_but_not_running():
    census = Census([card("1", kind="website"), card("2", kind="website", status="下线", result="fail")])
    figures = census.figures("2020Q2")
    assert figures.websites_registered == 2
    assert figures.websites.total.running == 1
    assert figures.websites.total.rate == "100%"
    assert [c.id for c in figures.websites_offline] == ["2"]


def test_accounts_are_broken_down_by_platform_in_the_circulars_order():
    census = Census([card("wx", kind="account", platform="微信公众号"), card("wb", kind="account", platform="微博", result="fail")])
    parts = census.figures("2020Q2").accounts.parts
    assert [(name, tally.running, tally.failed) for name, tally in parts] == [("微博", 1, 1), ("微信公众号", 1, 0)]


def test_the_latest_period_is_the_newest_quarter():
    assert Census([card("a", period="2019Q4"), card("a", period="2020Q1")]).latest == "2020Q1"


def test_a_unit_page_shows_the_newest_quarter_the_unit_appears_in():
    census = Census([card("a", period="2020Q1", unit="甲"), card("b", period="2020Q2", unit="乙")])
    assert {u.name: u.period for u in census.units()} == {"甲": "2020Q1", "乙": "2020Q2"}


def test_unit_slugs_are_stable_ascii():
    slug = unit_slug("临沧市统计局")
    assert slug == unit_slug("临沧市统计局") and slug.isascii() and slug.isalnum()
    assert slug != unit_slug("临沧市交通运输局")
