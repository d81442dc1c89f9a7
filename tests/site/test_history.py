"""History and change: 与上季度相比 on the home page and each scorecard, pass rates beside the
quarter before, and an entry's days over the quarter as a server-drawn SVG with a text alternative."""
from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from govcensus_site import Census, build_site, load_scorecards
from govcensus_data.model import DataFileError
from tests.site.twoquarters import FRESHNESS, REACHABILITY, edit, make_two_quarters


@pytest.fixture(scope="module")
def two(tmp_path_factory) -> tuple[Path, Path]:
    from tests.site.conftest import make_content
    root = tmp_path_factory.mktemp("two")
    content = make_two_quarters(make_content(root))
    return content, build_site(content, root / "output")


def read(output: Path, relative: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((output / relative).read_text(encoding="utf-8"))


def names(section) -> list[str]:
    return [a.text_content() for a in section.xpath(".//a")]


def test_the_census_sorts_entries_into_new_fixed_and_repeat_problems(two):
    census = Census(load_scorecards(two[0] / "scorecards"))
    change = census.change("2020Q2")
    assert change.previous == "2020Q1"
    assert [c.id for c in change.repeat] == ["lc-zfxxgk-col22"]
    assert [c.id for c in change.fixed] == ["5309000001"]
    failed_now = {c.id for c in census.of_period("2020Q2") if c.result == "fail"}
    assert {c.id for c in change.new} == failed_now - {"lc-zfxxgk-col22"}
    assert census.change("2020Q1") is None  # nothing before the first quarter


def test_the_home_page_compares_with_the_quarter_before(two):
    home = read(two[1], "index.html")
    section = home.xpath('//section[@id="change"]')[0]
    assert "与2020年第一季度相比" in section.text_content()
    assert section.xpath('.//*[@data-figure="change-repeat"]')[0].text_content() == "1"
    census = Census(load_scorecards(two[0] / "scorecards"))
    col22 = next(c for c in census.of_period("2020Q2") if c.id == "lc-zfxxgk-col22")
    assert names(section.xpath('.//ul[contains(@class, "change-repeat")]')[0]) == [col22.entry.name]
    assert names(section.xpath('.//ul[contains(@class, "change-fixed")]')[0]) == ["临沧市人民政府"]
    # each quarter's pass rate beside the one before
    assert home.xpath('//*[@data-figure="rate-websites-before"]')[0].text_content() == "上季度 88.9%"



def test_a_long_change_list_on_the_home_page_shows_its_head_and_says_how_many_more(two, tmp_path):
    content, _ = two
    output = build_site(content, tmp_path / "output", settings={"GOVCENSUS_HOME_PROBLEMS": 1})
    section = read(output, "index.html").xpath('//section[@id="change"]')[0]
    census = Census(load_scorecards(content / "scorecards"))
    new = census.change("2020Q2").new
    assert len(new) > 1
    assert len(section.xpath('.//ul[contains(@class, "change-new")]/li')) == 1
    assert section.xpath('.//*[@data-figure="change-new"]')[0].text_content() == str(len(new))
    assert f"另有 {len(new) - 1} 个未在此列出" in section.text_content()

def test_a_site_with_one_quarter_has_no_comparison(content_dir, tmp_path):
    for path in (content_dir / "scorecards" / "2020Q1").rglob("*.md"):
        path.unlink()
    output = build_site(content_dir, tmp_path / "output")
    home = read(output, "index.html")
    assert home.xpath('//section[@id="problems"]') and not home.xpath('//section[@id="change"]')
    assert not home.xpath('//*[@data-figure="rate-websites-before"]')
    assert not read(output, "scorecards/2020Q2/5309000001.html").xpath('//section[@class="entry-change"]')


def test_a_scorecard_shows_what_is_new_gone_and_repeated_since_the_quarter_before(two):
    fixed = read(two[1], "scorecards/2020Q2/5309000001.html").xpath('//section[@class="entry-change"]')[0]
    assert "2020年第一季度结果：不合格" in " ".join(fixed.text_content().split())
    assert [li.text_content() for li in fixed.xpath('.//ul[contains(@class, "change-fixed")]/li')] == [
        "站点无法访问：7 天内首页访问失败 40/84 次"]
    repeat = read(two[1], "scorecards/2020Q2/lc-zfxxgk-col22.html").xpath('//section[@class="entry-change"]')[0]
    assert repeat.xpath('.//ul[contains(@class, "change-repeated")]/li')
    assert not repeat.xpath('.//ul[contains(@class, "change-new")]')


def test_an_entrys_days_are_drawn_as_svg_with_a_title_a_description_and_words(two):
    page = read(two[1], "scorecards/2020Q2/5309000001.html")
    figures = page.xpath('//section[@class="daily"]//figure')
    assert len(figures) == 2
    reach, age = figures
    svg = reach.xpath(".//*[local-name()='svg']")[0]
    assert svg.get("role") == "img" and svg.xpath("./*[local-name()='title']") and svg.xpath("./*[local-name()='desc']")
    marks = svg.xpath("./*[local-name()='rect']")
    assert len(marks) == len(REACHABILITY) == 91
    assert [m.get("class") for m in marks].count("day-down") == REACHABILITY.count("d") == 1
    caption = reach.xpath(".//figcaption")[0].text_content()
    assert "均可访问 85 天，部分访问失败 2 天，全部访问失败 1 天，未能检查 3 天" in caption
    assert "2020-05-01、2020-05-02、2020-05-03" in caption  # the days with failures, as text
    ages = [int(v) for v in FRESHNESS.split(",") if v]
    assert f"最多 {max(ages)} 天" in age.xpath(".//figcaption")[0].text_content()
    assert "31 天未能检查" in age.xpath(".//figcaption")[0].text_content()


def test_a_scorecard_without_a_series_draws_no_empty_chart(two):
    assert not read(two[1], "scorecards/2020Q2/lc-zfxxgk-col22.html").xpath('//section[@class="daily"]')


def test_a_malformed_series_is_a_located_error(content_dir):
    path = content_dir / "scorecards" / "2020Q2" / "website" / "5309000001.md"
    edit(path, lambda meta: meta.update(daily={"reachability": "uu<script>"}))
    with pytest.raises(DataFileError, match=r"5309000001\.md.*daily\.reachability"):
        load_scorecards(content_dir / "scorecards")
