"""Evidence a citizen can read: accounts named as their platform shows them, decommissioned domains
as text, a repeated sentence once with its count, distinct titles, Chinese-only methodology."""
from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from govcensus_site import Census, Entry, Scorecard, build_site
from govcensus_site.census import distinct_titles
from tests.site.twoquarters import make_two_quarters


@pytest.fixture(scope="module")
def two(tmp_path_factory) -> Path:
    from tests.site.conftest import make_content
    root = tmp_path_factory.mktemp("evidence")
    return build_site(make_two_quarters(make_content(root)), root / "output")


def read(output: Path, relative: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((output / relative).read_text(encoding="utf-8"))


def fact(page, name: str) -> str:
    return page.xpath(f'//*[@data-figure="{name}"]')[0].text_content()


def test_an_account_is_named_by_platform_account_name_and_id_never_by_its_feed(read_page):
    page = read_page("scorecards/2020Q2/wx-10.html")
    assert fact(page, "account-platform") == "微信公众号"
    assert fact(page, "account-id") == "wx-10"
    assert fact(page, "account-name") and fact(page, "account-name") in page.xpath("//h1")[0].text_content()
    html = lxml.html.tostring(page, encoding="unicode")
    assert "rsshub" not in html  # the feed aggregator's address is neither a link nor text
    evidence = page.xpath('//article[contains(@class, "finding")]//dd[@class="url"]')[0].text_content()
    assert "微信公众号账号" in evidence and "wx-10" in evidence


def test_a_decommissioned_sites_addresses_are_text_not_links(read_page):
    page = read_page("scorecards/2020Q2/5309000010.html")
    assert "lcsd.gov.cn" in page.xpath('//*[@data-figure="entry-url-text"]')[0].text_content()
    assert not [a for a in page.xpath("//a[@href]") if "lcsd.gov.cn" in a.get("href")]


def test_a_running_sites_address_stays_a_link(read_page):
    page = read_page("scorecards/2020Q2/5309000001.html")
    assert page.xpath('//dl[@class="facts"]//a[@href="http://www.lincang.gov.cn/"]')


def test_the_same_sentence_on_one_scorecard_is_shown_once_with_its_count_and_every_address(two):
    page = read(two, "scorecards/2020Q2/lc-zfxxgk-col14.html")
    articles = page.xpath('//article[contains(@class, "finding")]')
    assert len(articles) == 1
    assert fact(page, "finding-count") == "（共 3 处）"
    urls = [a.get("href") for a in articles[0].xpath('.//dd[@class="url"]/a')]
    assert urls == ["http://www.lincang.gov.cn/zfxxgk/nyncj/202004/t20200420_88.html",
                    "http://www.lincang.gov.cn/zfxxgk/nyncj/p2.html", "http://www.lincang.gov.cn/zfxxgk/nyncj/p3.html"]
    assert "发现的问题（3）" in page.xpath('//h2[@id="h-findings"]')[0].text_content()


def test_accounts_of_the_same_name_get_titles_that_tell_them_apart(two):
    wechat, weibo = read(two, "scorecards/2020Q2/wx-06.html"), read(two, "scorecards/2020Q2/wb-06.html")
    assert wechat.xpath("//h1")[0].text_content() == "临沧市民政局（微信公众号）"
    assert weibo.xpath("//h1")[0].text_content() == "临沧市民政局（微博）"
    index = read(two, "scorecards/kind-account.html")
    titles = [a.text_content() for a in index.xpath("//tbody/tr/th/a")]
    assert "临沧市民政局（微博）" in titles and "临沧市民政局（微信公众号）" in titles


def test_titles_add_the_id_when_platform_and_name_both_repeat():
    def card(entry_id: str, platform: str) -> Scorecard:
        entry = Entry(id=entry_id, kind="account", name="临沧发布", unit="u", platform=platform)
        return Scorecard(period="2020Q2", period_start="", period_end="", as_of="", entry=entry, result="pass")
    titles = distinct_titles([card("wb-1", "微博"), card("wb-2", "微博"), card("wx-1", "微信公众号"),
                              Scorecard(period="2020Q2", period_start="", period_end="", as_of="", result="pass",
                                        entry=Entry(id="x", kind="account", name="其他", unit="u"))])
    assert titles == {("2020Q2", "wb-1"): "临沧发布（微博 · wb-1）", ("2020Q2", "wb-2"): "临沧发布（微博 · wb-2）",
                      ("2020Q2", "wx-1"): "临沧发布（微信公众号）"}
    assert Census([card("wb-1", "微博")]).title_of(card("wb-1", "微博")) == "临沧发布"


def test_methodology_names_checks_in_chinese_and_explains_unconfirmed_values_once(read_page):
    page = read_page("methodology.html")
    main = page.xpath("//main")[0].text_content()
    assert "profiles/" not in main and "docs/" not in main and ".yaml" not in main
    marks = page.xpath('//a[@class="confirm-mark"]')
    assert marks and all(a.get("href") == "#to-confirm" for a in marks)
    assert main.count("未能逐字核实") <= 2  # one note for the thresholds, one for the scoring items


def test_the_message_pages_speak_to_citizens_not_staff(read_page):
    for path in ("index.html", "messages/2020Q2.html"):
        main = read_page(path).xpath("//main")[0].text_content()
        assert "导出" not in main, path
    data = read_page("messages/2020Q2.html").xpath('//section[@aria-labelledby="h-data"]')[0]
    assert data.xpath(".//h2")[0].text_content() == "留言数据说明"
