"""Reading list pages as the CMSs Chinese government sites run write them (tests/fixtures/cms).

Every fixture is served by a real loopback server with the Content-Type its CMS sends, and read
through the real fetcher, as a round reads a column; expected.json says what must come out.
"""
from __future__ import annotations

import asyncio
import json
from datetime import date, datetime
from pathlib import Path

import pytest

from checkrun import run_check
from collector.checks.base import CheckContext
from collector.fetch import Fetcher, FetchSettings
from collector.html import list_items, parse
from collector.fetch.charset import decode_html
from collector.listing import PUBDATE_ARTICLES, UNDATED, ListReading, read_list
from collector.periods import CHINA_TZ
from collector.profile import load_profile
from collector.registry import Column, Registry, Website
from loopback import LoopbackSite, Page

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cms"
EXPECTED: dict[str, dict] = {k: v for k, v in json.loads((FIXTURES / "expected.json").read_text("utf-8")).items()
                             if not k.startswith("_")}
AS_OF = datetime(2020, 6, 30, 9, 0, tzinfo=CHINA_TZ)


def serve_case(loopback: LoopbackSite, name: str) -> str:
    """Put one fixture (and the files it links to) on the loopback server; return its URL."""
    case = EXPECTED[name]
    host, path = case["url"].split("/", 3)[2], "/" + case["url"].split("/", 3)[3]
    loopback.add(host, path, Page((FIXTURES / name).read_bytes(), content_type=case["content_type"]))
    for route, (file, content_type) in case.get("routes", {}).items():
        loopback.add(host, route, Page((FIXTURES / file).read_bytes(), content_type=content_type))
    return case["url"]


def read(loopback: LoopbackSite, url: str) -> ListReading:
    async def go() -> ListReading:
        async with Fetcher(FetchSettings(allow_private_addresses=True, resolve=loopback.resolve, retries=0, timeout_seconds=5)) as fetcher:
            ctx = CheckContext(as_of=AS_OF, profile=load_profile(), registry=Registry(office="测试", region="测试"),
                               fetcher=fetcher)
            page = await ctx.fetch(url)
            return await read_list(ctx, url, page.text, page.final_url)
    return asyncio.run(go())


def test_every_cms_list_shape_has_a_fixture_with_its_expected_newest_date():
    shapes = {"hanweb_jpage_inline.html", "hanweb_jpage_proxy.html", "trs_wcm_gb2312_label_gbk_bytes.html",
              "trs_wcm_document_write_rows.html",
              "trs_wcm_no_charset_url_dates.html", "easysite_bracket_dates.html", "chinese_year_month_day.html",
              "slash_dates.html", "dot_dates.html", "undated_list.html"}
    assert shapes <= set(EXPECTED)
    assert all(EXPECTED[name]["newest"] for name in shapes)
    assert all((FIXTURES / name).is_file() for name in EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_column_on_each_cms_reads_its_expected_newest_date(loopback, name):
    url = serve_case(loopback, name)
    case = EXPECTED[name]
    column = Column("栏目", "工作动态", url)
    entry = Website(site_code="3300000001", name="示例", unit="示例", level="市级", site_kind="政府门户网站",
                    url=url.split("/", 3)[0] + "//" + url.split("/", 3)[2] + "/", columns=(column,))
    obs = run_check("column_freshness", entry, loopback.resolve, AS_OF)
    state = obs.figures["by_column"][0]
    assert state["state"] == case["state"]
    assert state.get("newest") == case["newest"]
    if case["state"] == "ok":
        assert state["read_via"] == case["read_via"]
        assert state["age_days"] == (AS_OF.date() - date.fromisoformat(case["newest"])).days
    if case["state"] == "blank":
        assert [f.code for f in obs.findings] == ["column_blank"]
    if case["state"] == "undated":
        assert not obs.findings and obs.outcome == "error"
        assert state["error"].startswith(UNDATED)


@pytest.mark.parametrize("name", sorted(n for n, c in EXPECTED.items() if c.get("title_has") and not c.get("routes")))
def test_the_newest_item_is_the_right_row_decoded_right(name):
    """Titles survive the page's charset (GBK bytes labelled gb2312, or no label) and the CMS's markup."""
    case = EXPECTED[name]
    text, _ = decode_html((FIXTURES / name).read_bytes(), case["content_type"])
    items = [i for i in list_items(parse(text), case["url"], AS_OF.date()) if i.published]
    newest = max(items, key=lambda i: i.published)
    assert newest.published.isoformat() == case["newest"]
    assert case["title_has"] in newest.title


def test_a_sticky_item_and_a_date_inside_a_title_do_not_decide_the_date():
    """Hanweb row 3 is titled "关于2020年7月1日起实施…" but was published 2020-06-24; the sticky
    item (置顶) listed first is from May."""
    case = EXPECTED["hanweb_jpage_inline.html"]
    text, _ = decode_html((FIXTURES / "hanweb_jpage_inline.html").read_bytes(), case["content_type"])
    items = {i.title: i.published for i in list_items(parse(text), case["url"], AS_OF.date()) if i.published}
    assert items["关于2020年7月1日起实施城镇燃气管理办法的公告"] == date(2020, 6, 24)
    assert items["【置顶】示例市政务公开工作要点（2020年）"] == date(2020, 5, 10)


def test_the_dataproxy_is_asked_only_when_the_page_carries_no_records(loopback):
    serve_case(loopback, "hanweb_jpage_inline.html")
    read(loopback, EXPECTED["hanweb_jpage_inline.html"]["url"])
    assert not [hit for hit in loopback.hits if "dataproxy" in hit[2]]
    url = serve_case(loopback, "hanweb_jpage_proxy.html")
    reading = read(loopback, url)
    proxied = [hit for hit in loopback.hits if "dataproxy" in hit[2]]
    assert [(method, path.split("?")[0]) for method, _, path in proxied] == [("GET", "/module/web/jpage/dataproxy.jsp")]
    assert "columnid=1228" in proxied[0][2]
    assert [i.url for i in reading.dated][0] == "http://www.hanweb-sample.gov.cn/art/2020/6/23/art_1229_567433.html"


def test_a_dataproxy_that_fails_leaves_the_column_could_not_check_not_blank(loopback):
    url = serve_case(loopback, "hanweb_jpage_proxy.html")
    loopback.add("www.hanweb-sample.gov.cn", "/module/web/jpage/dataproxy.jsp", Page("error", status=500))
    reading = read(loopback, url)
    assert not reading.dated and not reading.empty
    assert any("dataproxy 无法读取" in note for note in reading.notes)


def test_a_dataproxy_on_another_host_is_never_fetched(loopback):
    page = (FIXTURES / "hanweb_jpage_proxy.html").read_text("utf-8").replace(
        'href="/module/web/jpage/dataproxy.jsp', 'href="http://elsewhere.example.cn/module/web/jpage/dataproxy.jsp')
    loopback.add("www.hanweb-sample.gov.cn", "/col/col1229/index.html", Page(page))
    reading = read(loopback, "http://www.hanweb-sample.gov.cn/col/col1229/index.html")
    assert not [hit for hit in loopback.hits if hit[1] == "elsewhere.example.cn"]
    assert not reading.dated and not reading.empty and "dataproxy 地址不在本站" in reading.notes


def test_pubdate_fallback_reads_at_most_a_few_articles(loopback):
    url = serve_case(loopback, "undated_list.html")
    reading = read(loopback, url)
    articles = [hit for hit in loopback.hits if hit[2].startswith("/xxgk/gsgg/") and hit[2] != "/xxgk/gsgg/"]
    assert len(articles) == PUBDATE_ARTICLES == 3
    assert sorted(i.published.isoformat() for i in reading.dated) == ["2020-06-12", "2020-06-20", "2020-06-21"]


def test_pubdate_fallback_never_leaves_the_lists_host(loopback):
    loopback.add("www.sample.gov.cn", "/xxgk/wl/", Page(
        '<div class="list"><ul><li><a href="http://other.example.cn/a/1001.html">外站信息</a></li></ul></div>'))
    reading = read(loopback, "http://www.sample.gov.cn/xxgk/wl/")
    assert not [hit for hit in loopback.hits if hit[1] == "other.example.cn"]
    assert not reading.dated and not reading.empty


def test_articles_without_pubdate_leave_the_list_undated_with_the_reason(loopback):
    url = serve_case(loopback, "footer_dates_only.html")
    reading = read(loopback, url)
    assert not reading.dated and not reading.empty and reading.notes == ["文章页无法读取"]
    for number in (3301, 3288):
        loopback.add("www.sample.gov.cn", f"/xxgk/rsxx/{number}.html",
                     Page("<html><head><title>无元数据</title></head><body><p>正文</p></body></html>"))
    reading = read(loopback, url)
    assert not reading.dated and reading.notes == ["文章页无发布日期元数据"]


@pytest.mark.parametrize("script", ['$.ajax({url: "/api/list", success: render});',
                                    'fetch("/api/list").then(r => r.json()).then(render);',
                                    'new Vue({el: "#list", data: {items: []}});'])
def test_a_list_some_script_loads_is_could_not_read_unless_the_page_says_it_is_empty(loopback, script):
    html = f'<html><body><div id="list"></div><script>{script}</script></body></html>'
    loopback.add("www.sample.gov.cn", "/js/", Page(html))
    reading = read(loopback, "http://www.sample.gov.cn/js/")
    assert not reading.empty and reading.notes == ["列表由脚本加载，页面中没有列表数据"]
    loopback.add("www.sample.gov.cn", "/js/", Page(html.replace('<div id="list"></div>', '<div id="list">暂无数据</div>')))
    assert read(loopback, "http://www.sample.gov.cn/js/").empty


def test_an_entry_page_whose_redirect_target_fails_is_could_not_read_not_blank(loopback):
    loopback.add("www.sample.gov.cn", "/go/", Page('<meta http-equiv="refresh" content="0;url=/portal/">'))
    loopback.add("www.sample.gov.cn", "/portal/", Page("down", status=503))
    reading = read(loopback, "http://www.sample.gov.cn/go/")
    assert not reading.empty and reading.notes == ["跳转目标无法读取：HTTP 503"]


def test_a_list_loaded_only_by_script_is_could_not_read_not_blank(loopback):
    """A Hanweb page that calls jpage() but carries no datastore: its items exist, we cannot see them."""
    html = ('<html><body><div class="nav"><ul><li><a href="/">首页</a></li></ul></div><div id="4007541"></div>'
            '<script>$("#4007541").jpage({proxyUrl:"/module/web/jpage/dataproxy.jsp"});</script></body></html>')
    loopback.add("www.hanweb-sample.gov.cn", "/col/col9/index.html", Page(html))
    reading = read(loopback, "http://www.hanweb-sample.gov.cn/col/col9/index.html")
    assert not reading.empty and not reading.dated


REALDATA = Path(__file__).resolve().parents[3] / "shared" / "realdata" / "gne-pages"


@pytest.mark.skipif(not REALDATA.is_dir(), reason="shared/realdata not present")
def test_a_real_government_article_dates_an_undated_list_by_its_pubdate_meta(loopback):
    """fgw.zj.gov.cn's article page (PubDate 2016-11-22 09:53) behind a list without dates."""
    loopback.add("fgw.zj.gov.cn", "/col/col1/index.html",
                 Page('<div class="list"><ul><li><a href="/art/x/art_1_1.html">一条没有日期的信息</a></li></ul></div>'))
    loopback.add("fgw.zj.gov.cn", "/art/x/art_1_1.html", Page((REALDATA / "gzggw_1.html").read_bytes()))
    reading = read(loopback, "http://fgw.zj.gov.cn/col/col1/index.html")
    assert [i.published for i in reading.dated] == [date(2016, 11, 22)] and reading.via == ("pubdate",)


def test_a_list_page_is_read_once_per_round_whichever_checks_read_it(loopback, monkeypatch):
    """homepage_freshness and column_freshness read the same column pages: parsed once, shared."""
    import collector.listing as listing

    url = serve_case(loopback, "dot_dates.html")
    parses: list[str] = []
    real = listing._parsed_items
    monkeypatch.setattr(listing, "_parsed_items", lambda text, page_url, today: parses.append(page_url)
                        or real(text, page_url, today))

    async def go() -> tuple[ListReading, ListReading]:
        async with Fetcher(FetchSettings(allow_private_addresses=True, resolve=loopback.resolve, retries=0,
                                         timeout_seconds=5)) as fetcher:
            ctx = CheckContext(as_of=AS_OF, profile=load_profile(), registry=Registry(office="测试", region="测试"),
                               fetcher=fetcher)
            page = await ctx.fetch(url)
            return await asyncio.gather(read_list(ctx, url, page.text, page.final_url),
                                        read_list(ctx, url, page.text, page.final_url))
    first, second = asyncio.run(go())
    assert first is second and first.dated and parses == [url]
