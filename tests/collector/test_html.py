"""Link and date extraction on government-style pages."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from collector.fetch.charset import decode_html
from collector.html import (dated_items, extract_links, find_dates, list_items, looks_like_article, meta_pubdate,
                            parse, read_datastore, redirect_target, scan_links, url_date, visible_text)

REALDATA = Path(__file__).resolve().parents[3] / "shared" / "realdata" / "gne-pages"
TODAY = date(2020, 6, 30)

PAGE = """<html><head><base href="http://www.a.gov.cn/xxgk/">
<link rel="stylesheet" href="/css/a.css"><link rel="dns-prefetch" href="//cdn.example.cn">
<link rel="preconnect" href="https://fonts.example.cn"></head><body>
<ul><li><a href="tzgg/1.html#top">通知一</a><span>2020-06-29</span></li>
<li><a href="tzgg/a%20b.html">通知二</a> [06-28]</li>
<li><a href="tzgg/a b.html">通知二（同一地址）</a></li></ul>
<a href="mailto:x@a.gov.cn">信箱</a><a href="javascript:void(0)">打印</a><a href="#main">跳转</a>
<img src="../images/dzjg.png" alt="党政机关"><iframe src="https://map.example.cn/x"></iframe></body></html>"""


def test_links_resolve_against_base_href_without_fragments_or_duplicates():
    urls = [link.url for link in extract_links(parse(PAGE), "http://www.a.gov.cn/")]
    assert "http://www.a.gov.cn/xxgk/tzgg/1.html" in urls
    assert urls.count("http://www.a.gov.cn/xxgk/tzgg/a%20b.html") == 1
    assert "http://www.a.gov.cn/images/dzjg.png" in urls and "https://map.example.cn/x" in urls


def test_non_http_links_and_connection_hints_are_not_links():
    urls = [link.url for link in extract_links(parse(PAGE), "http://www.a.gov.cn/")]
    assert not [u for u in urls if "cdn.example.cn" in u or "fonts.example.cn" in u]
    assert not [u for u in urls if u.startswith(("mailto:", "javascript:"))]
    assert "http://www.a.gov.cn/css/a.css" in urls


def test_month_day_dates_take_the_year_of_the_monitoring_time():
    assert find_dates("[12-30]", date(2021, 1, 5)) == [date(2020, 12, 30)]
    assert find_dates("2020年6月9日", None) == [date(2020, 6, 9)]


def test_a_short_date_text_read_again_gives_the_same_dates_for_its_day():
    """Short texts are remembered (html._remembered_dates): by text and day, and a caller changing
    the list it got changes nothing for the next caller."""
    first = find_dates("[12-30]", date(2021, 1, 5))
    first.append(date(1999, 1, 1))
    assert find_dates("[12-30]", date(2021, 1, 5)) == [date(2020, 12, 30)]
    assert find_dates("[12-30]", date(2021, 12, 31)) == [date(2021, 12, 30)]  # another day, another year
    assert find_dates("2020-06-23 2020-06-24", None) == [date(2020, 6, 23), date(2020, 6, 24)]


def test_list_rows_give_dated_items():
    items = dated_items(parse(PAGE), "http://www.a.gov.cn/", date(2020, 6, 30))
    assert [(i.title, i.published) for i in items] == [("通知一", date(2020, 6, 29)), ("通知二", date(2020, 6, 28))]


def test_one_malformed_href_is_skipped_and_counted_and_the_other_links_survive():
    page = parse('<a href="http://localhost]">坏链接</a><a href="/ok/1.html">好链接</a>'
                 '<a href="http://a.gov.cn:99999/">端口</a><a href="https://[::1/x">括号</a>'
                 '<img src="/img/1.png">')
    scan = scan_links(page, "http://www.a.gov.cn/")
    assert [link.url for link in scan.links] == ["http://www.a.gov.cn/ok/1.html", "http://www.a.gov.cn/img/1.png"]
    assert scan.malformed == ["http://localhost]", "http://a.gov.cn:99999/", "https://[::1/x"]
    assert extract_links(page, "http://www.a.gov.cn/") == scan.links


def test_a_malformed_base_href_falls_back_to_the_page_url():
    page = parse('<head><base href="http://[broken/"></head><body><a href="x/1.html">一</a></body>')
    assert [link.url for link in extract_links(page, "http://www.a.gov.cn/d/")] == ["http://www.a.gov.cn/d/x/1.html"]


def test_meta_refresh_targets_and_media_sources_are_links_a_browser_follows():
    page = parse("""<head><meta http-equiv="Refresh" content="0; URL='/new/index.html'"></head><body>
    <video src="/media/a.mp4" poster="/p.jpg"><track src="/media/a.vtt" kind="subtitles"></video>
    <audio src="/media/b.mp3"></audio><video><source src="/media/c.webm" type="video/webm"></video></body>""")
    links = {(link.tag, link.url) for link in extract_links(page, "http://www.a.gov.cn/")}
    assert links == {("meta", "http://www.a.gov.cn/new/index.html"), ("video", "http://www.a.gov.cn/media/a.mp4"),
                     ("track", "http://www.a.gov.cn/media/a.vtt"), ("audio", "http://www.a.gov.cn/media/b.mp3"),
                     ("source", "http://www.a.gov.cn/media/c.webm")}


@pytest.mark.parametrize("content, url", [("5;url=http://www.b.gov.cn/", "http://www.b.gov.cn/"),
                                          ("3; URL=../x.html", "http://www.a.gov.cn/x.html"),
                                          ("30", None)])
def test_meta_refresh_content_forms(content, url):
    page = parse(f'<head><meta http-equiv="refresh" content="{content}"></head>')
    assert [link.url for link in extract_links(page, "http://www.a.gov.cn/d/") if link.tag == "meta"] == (
        [url] if url else [])


@pytest.mark.parametrize("url, expected", [
    ("http://www.a.gov.cn/art/2020/6/28/art_1234_567890.html", date(2020, 6, 28)),     # Hanweb
    ("http://www.a.gov.cn/zwgk/202006/t20200628_4512345.html", date(2020, 6, 28)),    # TRS WCM
    ("http://www.a.gov.cn/doc/2020/06/26/913513.shtml", date(2020, 6, 26)),           # easysite
    ("http://www.gov.cn/zhengce/content/2020-06/25/content_5521234.htm", date(2020, 6, 25)),
    ("http://www.a.gov.cn/news/20200624/123.html", date(2020, 6, 24)),
    ("http://www.a.gov.cn/art/2020/13/40/art_1.html", None),
    ("http://www.a.gov.cn/zwgk/tzgg/4512345.html", None),
    ("http://www.a.gov.cn/list.html?date=2020-06-28", None),
])
def test_dates_cms_write_into_article_urls(url, expected):
    assert url_date(url) == expected


def test_dates_after_the_monitoring_day_beyond_one_day_and_implausible_years_do_not_count():
    page = parse("""<ul><li><a href="/a/1.html">明天</a><span>2020-07-01</span></li>
    <li><a href="/a/2.html">后天</a><span>2020-07-02</span></li>
    <li><a href="/a/3.html">旧系统</a><span>1970-01-01</span></li>
    <li><a href="/a/4.html">上周</a><span>2020-06-23</span></li></ul>""")
    assert {i.title: i.published for i in list_items(page, "http://www.a.gov.cn/", TODAY)} == {
        "明天": date(2020, 7, 1), "后天": None, "旧系统": None, "上周": date(2020, 6, 23)}


def test_a_page_dated_only_in_its_chrome_is_not_dated():
    page = parse("""<body><div class="topbar"><p><a href="/">首页</a> 今天是2020年6月30日</p></div>
    <nav><ul><li><a href="/x/1.html">导航</a> 2020-06-30</li></ul></nav>
    <div class="list"><ul><li><a href="/xxgk/1.html">一条信息</a></li></ul></div>
    <div id="footer"><p><a href="/map.html">网站地图</a> Copyright ©2020 更新时间：2020-06-30</p></div>
    <footer><p><a href="/about.html">关于</a> 2020-06-29</p></footer></body>""")
    assert dated_items(page, "http://www.a.gov.cn/", TODAY) == []
    assert [i.title for i in list_items(page, "http://www.a.gov.cn/", TODAY)] == ["一条信息"]


def test_the_date_beside_a_title_beats_a_date_inside_it_and_the_url_is_the_last_resort():
    page = parse("""<ul><li><a href="/art/2020/6/1/art_1_1.html">关于2020年6月29日停电的通知</a><span>2020-06-20</span></li>
    <li><a href="/art/2020/6/2/art_1_2.html">标题 <em>2020-06-21</em></a></li>
    <li><a href="/art/2020/6/3/art_1_3.html">只有地址带日期</a></li></ul>""")
    assert [i.published for i in list_items(page, "http://www.a.gov.cn/", TODAY)] == [
        date(2020, 6, 20), date(2020, 6, 21), date(2020, 6, 3)]


def test_pager_links_are_not_items_and_index_pages_are_not_articles():
    page = parse("""<div class="list"><ul><li><a href="/xxgk/tzgg/index_1.html">下一页</a></li>
    <li><a href="/col/col12/index.html">政府文件</a></li><li><a href="/xxgk/tzgg/">通知公告</a></li></ul></div>""")
    items = list_items(page, "http://www.a.gov.cn/xxgk/tzgg/", TODAY)
    assert [(i.title, i.article_like) for i in items] == [("政府文件", False), ("通知公告", False)]
    assert looks_like_article("http://www.a.gov.cn/module/show.jsp?id=123", "http://www.a.gov.cn/")


def test_a_number_in_any_script_makes_an_article_and_the_list_page_itself_never_is():
    page = "http://www.a.gov.cn/xxgk/"
    assert looks_like_article("http://www.a.gov.cn/xxgk/%E2%91%A0.html", page)  # ①.html, quoted
    assert looks_like_article("http://www.a.gov.cn/xxgk/tz①.html", page)
    assert not looks_like_article("http://www.a.gov.cn/xxgk/about.html", page)
    assert not looks_like_article("http://www.a.gov.cn/xxgk/", "http://www.a.gov.cn/xxgk/#top")
    rows = parse('<ul><li><a href="#top">本页</a></li><li><a href="tz①.html">通知</a></li></ul>')
    assert [i.article_like for i in list_items(rows, page, TODAY)] == [False, True]


def test_hanweb_datastore_records_in_cdata_or_escaped_and_the_dataproxy_link():
    xml = """<datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&columnid=9"></a>]]></nextgroup>
    <recordset><record><![CDATA[<li><a href="/art/2020/6/28/art_9_1.html">甲</a><span>2020-06-28</span></li>]]></record>
    <record>&lt;li&gt;&lt;a href="/art/2020/6/27/art_9_2.html"&gt;乙&lt;/a&gt;&lt;/li&gt;</record></recordset></datastore>"""
    store = read_datastore(xml)
    assert store is not None and store.proxy_urls == ["/module/web/jpage/dataproxy.jsp?page=1&columnid=9"]
    page = parse(f'<div id="1"><script type="text/xml">{xml}</script></div>')
    assert [(i.title, i.published) for i in list_items(page, "http://www.a.gov.cn/col/col9/index.html", TODAY)] == [
        ("甲", date(2020, 6, 28)), ("乙", date(2020, 6, 27))]
    assert read_datastore("<html><body>no list</body></html>") is None


@pytest.mark.parametrize("meta, expected", [
    ('<meta name="PubDate" content="2020-06-21 09:30">', date(2020, 6, 21)),
    ('<meta name="firstpublishedtime" content="2020-06-20-10:08:30">', date(2020, 6, 20)),
    ('<meta name="ArticlePubDate" content="2020/06/19 16:00">', date(2020, 6, 19)),
    ('<meta property="article:published_time" content="2020-06-18T08:00:00+08:00">', date(2020, 6, 18)),
    ('<meta name="publishdate" content="20200617093000">', date(2020, 6, 17)),
    ('<meta name="PubDate" content="2020-08-01 09:30">', None),
    ('<meta name="PubDate" content="">', None),
    ('<meta name="keywords" content="2020-06-21">', None),
])
def test_article_publication_date_metas(meta, expected):
    assert meta_pubdate(parse(f"<html><head>{meta}</head><body></body></html>"), TODAY) == expected


@pytest.mark.skipif(not REALDATA.is_dir(), reason="shared/realdata not present")
@pytest.mark.parametrize("name, expected", [("gzggw_1.html", date(2016, 11, 22)), ("shanxi_1.html", date(2019, 9, 18)),
                                            ("people_1.gbk-reencoded.html", date(2019, 6, 15))])
def test_publication_date_metas_of_real_pages(name, expected):
    text, _ = decode_html((REALDATA / name).read_bytes(), "text/html")
    assert meta_pubdate(parse(text), TODAY) == expected


@pytest.mark.parametrize("head, body, target", [
    ('<meta http-equiv="refresh" content="0;url=/col/col1/index.html">', "", "http://www.a.gov.cn/col/col1/index.html"),
    ("", '<script>window.location.href = "/portal/";</script>', "http://www.a.gov.cn/portal/"),
    ("", "<script type='text/javascript'>location.replace('http://www.a.gov.cn/web/index.shtml')</script>",
     "http://www.a.gov.cn/web/index.shtml"),
    ('<meta http-equiv="refresh" content="300">', "<p>每五分钟刷新</p>", None),
    ('<meta http-equiv="refresh" content="0;url=/">', "", None),
])
def test_where_an_entry_page_sends_the_browser(head, body, target):
    assert redirect_target(parse(f"<html><head>{head}</head><body>{body}</body></html>"), "http://www.a.gov.cn/") == target


# --- joining a list's hrefs without urllib gives urllib's answer --------------------------------------

from itertools import product  # noqa: E402

from collector.html import _joined_plainly, _resolved_by_urllib  # noqa: E402

BASES = ["http://www.a.gov.cn/", "http://WWW.A.gov.cn:8080/col/col1/index.html", "https://a.gov.cn",
         "http://a.gov.cn/x/y", "http://a.gov.cn/a b/", "http://a.gov.cn/%E4%B8%AD/", "http://a.gov.cn/col/?x=1",
         "http://a.gov.cn:99999/", "http://a.gov.cn/./b/", "http://user@a.gov.cn/", "HTTP://A.GOV.CN/Col/"]
HEADS = ["", "./", "../", "/", "//", "x/", "a:b/", "中文/", "%20", " ", "\t", "?", "#"]
TAILS = ["art/2020/6/28/art_1_2.html", "202006/t20200628_1.html", "t1.html?id=3&b=/../c", "", ".", "..",
         "a/./b.html", "a/../b", "x?a=b c", "x#frag", "x.html?a=%20", "a;b=c", "Index.HTML", "a//b", "x?\"y"]


def urllib_answer(base: str, raw: str) -> str | None | type:
    try:
        return _resolved_by_urllib(base, raw)
    except ValueError:
        return ValueError


@pytest.mark.parametrize("base", BASES)
def test_hrefs_joined_plainly_are_exactly_what_urllib_makes(base):
    joined = 0
    for head, tail in product(HEADS, TAILS):
        raw = head + tail
        plain = _joined_plainly(base, raw)
        if plain is not None:
            joined += 1
            assert plain == urllib_answer(base, raw), (base, raw)
    if base in ("http://www.a.gov.cn/", "https://a.gov.cn", "HTTP://A.GOV.CN/Col/"):
        assert joined >= 20  # the common shapes take the plain way


def test_the_hrefs_of_real_pages_join_as_urllib_joins_them():
    pages = sorted(REALDATA.glob("*.html")) if REALDATA.exists() else []
    if not pages:
        pytest.skip("shared/realdata not present")
    compared = 0
    for path in pages:
        tree = parse(decode_html(path.read_bytes(), None)[0])
        for base in ("http://www.a.gov.cn/news/2020/index.html", "https://a.gov.cn"):
            for raw in tree.xpath("//a/@href"):
                plain = _joined_plainly(base, raw.strip())
                if plain is not None:
                    compared += 1
                    assert plain == urllib_answer(base, raw.strip()), (path.name, raw)
    assert compared > 50


@pytest.mark.parametrize("base", BASES)
def test_a_rows_file_name_and_query_are_read_as_urlsplit_reads_them(base):
    from urllib.parse import urlsplit

    from collector.html import _name_and_query
    for head, tail in product(HEADS, TAILS):
        for url in (base + head + tail, head + tail):
            parts = urlsplit(url)
            assert _name_and_query(url) == (parts.path.rsplit("/", 1)[-1], parts.query), url


def test_a_page_s_visible_text_leaves_out_scripts_styles_templates_and_comments_but_not_the_text_around_them():
    tree = parse("<html><head><style>p{}</style><title>标题</title></head><body><p>甲<script>var x='乙';</script>丙"
                 "<!-- 丁 -->戊</p><noscript>请开启脚本</noscript><template><p>模板</p></template>"
                 "<div>己<b>庚</b>辛</div></body></html>")
    assert visible_text(tree) == "标题甲丙戊己庚辛"


def test_part_of_a_page_is_read_alone_without_the_text_after_it_or_what_it_sits_in():
    tree = parse("<html><body><noscript><div id='foot'>网站标识码<script>x()</script>5309000001</div></noscript>"
                 "之后的文字</body></html>")
    footer = tree.get_element_by_id("foot")
    assert visible_text(footer) == "网站标识码5309000001"
    assert visible_text(tree) == "之后的文字"
