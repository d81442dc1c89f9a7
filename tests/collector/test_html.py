"""Link and date extraction on government-style pages."""
from __future__ import annotations

from datetime import date

from collector.html import dated_items, extract_links, find_dates, parse

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


def test_list_rows_give_dated_items():
    items = dated_items(parse(PAGE), "http://www.a.gov.cn/", date(2020, 6, 30))
    assert [(i.title, i.published) for i in items] == [("通知一", date(2020, 6, 29)), ("通知二", date(2020, 6, 28))]
