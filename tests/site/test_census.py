"""The quarter's figures, computed from scorecards."""
from __future__ import annotations

from pathlib import Path

from govcensus_site import Census, Entry, Scorecard, Tally, format_rate, load_scorecards, unit_slug

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scorecards"


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


# --------------------------------------------------------------------------- indexes built once

def _scan_parent(cards, c):
    """The definition the index must agree with: the first website of the quarter named by the parent."""
    return next((w for w in cards if c.entry.parent and w.period == c.period and w.kind == "website"
                 and (w.entry.site_code or w.id) == c.entry.parent), None)


def _scan_children(cards, c):
    code = c.entry.site_code or c.id
    return tuple(x for x in cards if c.kind == "website" and x.period == c.period and x.kind == "column"
                 and x.entry.parent == code)


def test_the_indexes_agree_with_a_scan_of_every_scorecard_on_the_fixture_quarters():
    census = Census(load_scorecards(FIXTURES))
    cards = census.scorecards
    assert len(census.periods) == 2 and any(census.children_of(c) for c in cards)
    for c in cards:
        assert census.parent_of(c) == _scan_parent(cards, c), c.source
        assert census.children_of(c) == _scan_children(cards, c), c.source
        assert census.history_of(c.id) == sorted((x for x in cards if x.id == c.id), key=lambda x: x.period,
                                                 reverse=True)
    for period in census.periods:
        assert census.of_period(period) == [c for c in cards if c.period == period]
    assert census.of_period("1999Q1") == [] and census.of_period(None) == []


def test_a_column_naming_a_site_code_finds_its_website_by_that_code():
    site = Scorecard(period="2020Q2", period_start="", period_end="", as_of="", result="pass",
                     entry=Entry(id="5309000001", kind="website", name="门户", unit="办", site_code="5309000099"))
    column = Scorecard(period="2020Q2", period_start="", period_end="", as_of="", result="pass",
                       entry=Entry(id="col", kind="column", name="栏目", unit="办", parent="5309000099"))
    older = Scorecard(period="2020Q1", period_start="", period_end="", as_of="", result="pass",
                      entry=Entry(id="col", kind="column", name="栏目", unit="办", parent="5309000099"))
    census = Census([older, column, site])
    assert census.parent_of(column) is site and census.parent_of(older) is None  # no website in Q1
    assert census.children_of(site) == (column,) and census.children_of(column) == ()


def test_figures_and_units_are_counted_once_and_handed_out_unchanged():
    census = Census([card("a"), card("b", result="fail"), card("c", unit="临沧市财政局")])
    assert census.figures("2020Q2") is census.figures("2020Q2")
    first = census.units()
    first.clear()  # a caller changing its list must not change the census
    assert [u.name for u in census.units()] == ["临沧市统计局", "临沧市财政局"]
