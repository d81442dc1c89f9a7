"""The built site, from the fixture quarter (2020 Q2 modelled on the Lincang circular)."""
from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from collector.profile import load_profile
from govcensus_site import build_site, load_scorecards, unit_slug

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scorecards"


def figure(page, name: str) -> str:
    return page.xpath(f'//*[@data-figure="{name}"]')[0].text_content()


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_fixture_entry_has_a_scorecard_page(site):
    cards = load_scorecards(FIXTURES)
    assert cards
    newest = max(c.period for c in cards)
    missing = [c.source for c in cards if c.period == newest and not (site / c.url).is_file()]
    assert missing == [] and {c.period for c in cards} == {newest, "2020Q1"}
    # An earlier quarter's entry is a row of that quarter's compact list (archive.py), not a page.
    past = [c for c in cards if c.period != newest]
    rows = lxml.html.parse(str(site / "scorecards" / "2020Q1" / "index.html")).getroot()
    assert past and all(len(rows.xpath(f'//tr[@id="e-{c.id}"]')) == 1 for c in past)
    assert not (site / "scorecards" / "2020Q1" / f"{past[0].id}.html").exists()


def test_home_page_reports_columns_like_the_circular(read_page):
    home = read_page("index.html")
    assert (figure(home, "columns-running"), figure(home, "columns-failed")) == ("34", "3")
    assert home.get_element_by_id("rate-columns").text_content() == "91.2%"


def test_home_page_counts_running_websites_apart_from_decommissioned_ones(read_page):
    home = read_page("index.html")
    assert figure(home, "websites-registered") == "11"
    assert figure(home, "websites-running") == "9"
    assert figure(home, "websites-offline") == "2"
    assert figure(home, "websites-failed") == "0"
    assert home.get_element_by_id("rate-websites").text_content() == "100%"
    assert "市级 1 个、县级 8 个" in home.get_element_by_id("summary-websites").text_content()


def test_home_page_reports_accounts_by_platform(read_page):
    home = read_page("index.html")
    summary = home.get_element_by_id("summary-accounts").text_content()
    assert "微博 18 个，微信公众号 44 个，今日头条 1 个" in summary
    assert (figure(home, "accounts-running"), figure(home, "accounts-failed")) == ("63", "1")
    assert home.get_element_by_id("rate-accounts").text_content() == "98.4%"


def test_home_page_lists_the_newest_notice(read_page):
    home = read_page("index.html")
    assert home.xpath('//a[@href="./notices/2020q2-rectification-notice.html"]')


def test_third_party_script_is_shown_as_text_never_run(site, read_page):
    page = read_page("scorecards/2020Q2/lc-zfxxgk-col22.html")
    assert page.xpath("//script") == []
    assert '<script>alert("xss")</script>' in page.xpath('//blockquote[@class="snippet"]')[0].text_content()
    assert "<script>alert(1)</script>" in page.xpath('//section[@class="prose"]')[0].text_content()
    for path in html_pages(site):
        assert "<script>alert" not in path.read_text(encoding="utf-8"), path


def test_a_javascript_evidence_url_is_not_a_link(read_page):
    page = read_page("scorecards/2020Q2/lc-zfxxgk-col13.html")
    assert not page.xpath('//a[starts-with(@href, "javascript:")]')
    assert "javascript:alert(1)" in page.xpath('//dd[@class="url"]')[0].text_content()


def test_finding_shows_indicator_severity_evidence_and_when_seen(read_page):
    finding = read_page("scorecards/2020Q2/wx-10.html").xpath('//article[contains(@class, "finding")]')[0]
    text = finding.text_content()
    for expected in ("内容不更新", "单项否决", "最新发布", "2020-05-25", "2020-06-09 09:00", "2020-06-30 09:00"):
        assert expected in text


def test_check_figures_are_shown_with_chinese_labels(read_page):
    text = read_page("scorecards/2020Q2/5309000001.html").text_content()
    assert "访问次数" in text and "1820" in text
    assert "最差一周失败比例" in text and "1.1%" in text


def test_scorecard_links_to_its_unit_and_the_unit_links_back(read_page):
    unit_url = f"units/{unit_slug('临沧市统计局')}.html"
    card = read_page("scorecards/2020Q2/lc-zfxxgk-col22.html")
    assert card.xpath(f'//a[@href="../../{unit_url}"]')
    unit = read_page(unit_url)
    assert unit.xpath('//a[@href="../scorecards/2020Q2/lc-zfxxgk-col22.html"]')


def test_a_column_links_to_its_parent_website(read_page):
    card = read_page("scorecards/2020Q2/lc-zfxxgk-col22.html")
    assert card.xpath('//a[@href="../../scorecards/2020Q2/5309000001.html"]')


def test_scorecard_index_lists_every_entry_of_the_latest_quarter(read_page):
    rows = read_page("scorecards/index.html").xpath('//table[@data-sortable]//tbody/tr')
    assert len(rows) == len([c for c in load_scorecards(FIXTURES) if c.period == "2020Q2"])


def test_methodology_shows_the_profiles_thresholds(read_page):
    profile = load_profile()
    text = read_page("methodology.html").text_content()
    share = profile.setting("reachability", "max_failure_share")
    assert f"{share * 100:g}%" in text
    assert str(profile.setting("homepage_freshness", "max_age_days")) in text
    assert profile.name in text


@pytest.mark.parametrize("check", ["lang", "skip link", "one h1", "main", "header scope"])
def test_every_page_meets_the_accessibility_basics(site, check):
    for path in html_pages(site):
        page = lxml.html.fromstring(path.read_text(encoding="utf-8"))
        if check == "lang":
            assert page.get("lang") == "zh-CN", path
        elif check == "skip link":
            assert page.xpath('//body/a[1][@href="#main"]') and page.xpath('//main[@id="main"]'), path
        elif check == "one h1":
            assert len(page.xpath("//h1")) == 1, path
        elif check == "main":
            assert len(page.xpath("//main")) == 1 and page.xpath('//nav[@aria-label="主导航"]'), path
        elif check == "header scope":
            assert all(th.get("scope") in ("col", "row") for th in page.xpath("//th")), path


def test_headings_never_skip_a_level(site):
    for path in html_pages(site):
        levels = [int(h.tag[1]) for h in lxml.html.fromstring(path.read_text(encoding="utf-8")).xpath("//h1|//h2|//h3|//h4|//h5|//h6")]
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), (path, levels)


def test_no_page_loads_anything_from_another_host(site):
    for path in html_pages(site):
        page = lxml.html.fromstring(path.read_text(encoding="utf-8"))
        for url in page.xpath("//link/@href | //script/@src | //img/@src"):
            assert "//" not in url, (path, url)


def test_publishconf_builds_with_absolute_urls_and_a_feed(published_site):
    output = published_site
    home = (output / "index.html").read_text(encoding="utf-8")
    assert 'href="https://census.example.test/lincang/scorecards/index.html"' in home
    feed = (output / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    assert "2020q2-rectification-notice.html" in feed


def test_publishconf_refuses_to_build_without_a_site_url(content_dir, tmp_path, monkeypatch):
    monkeypatch.delenv("GOVCENSUS_SITEURL", raising=False)
    with pytest.raises(SystemExit, match="GOVCENSUS_SITEURL"):
        build_site(content_dir, tmp_path / "output", "publishconf.py")


def test_a_site_without_data_files_still_builds(tmp_path):
    content = tmp_path / "content"
    (content / "pages").mkdir(parents=True)
    output = build_site(content, tmp_path / "output")
    assert "尚无监测数据" in (output / "index.html").read_text(encoding="utf-8")
