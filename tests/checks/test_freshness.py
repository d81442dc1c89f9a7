"""Freshness checks at their thresholds: homepage (14 days), columns by type, new-media feeds (14 days)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from checkrun import run_check
from collector.checks.base import get_check
from collector.periods import CHINA_TZ, Period
from collector.registry import Account, Column, Website
from loopback import Page

AS_OF = datetime(2020, 6, 30, 9, 0, tzinfo=CHINA_TZ)


def list_page(*dates: date, fmt: str = "{:%Y-%m-%d}") -> str:
    rows = "".join(f'<li><a href="/art/{i}.html">通知{i}</a><span>{fmt.format(d)}</span></li>' for i, d in enumerate(dates))
    return f"<html><body><ul>{rows}</ul></body></html>"


def site(columns=()) -> Website:
    return Website(site_code="5309000001", name="临沧市人民政府", unit="临沧市人民政府办公室", level="市级",
                   site_kind="政府门户网站", url="http://www.lincang.gov.cn/", columns=tuple(columns))


@pytest.mark.parametrize("age, stale", [(13, False), (14, False), (15, True)])
def test_homepage_is_stale_only_after_fourteen_days(loopback, age, stale):
    loopback.add("www.lincang.gov.cn", "/", Page(list_page(AS_OF.date() - timedelta(days=age))))
    obs = run_check("homepage_freshness", site(), loopback.resolve, AS_OF)
    assert obs.figures["age_days"] == age
    assert [f.code for f in obs.findings] == (["homepage_stale"] if stale else [])
    if stale:
        assert obs.findings[0].severity == "veto"


@pytest.mark.parametrize("fmt", ["{:%Y/%m/%d}", "{:%Y年%-m月%-d日}", "[{:%m-%d}]"])
def test_homepage_dates_in_chinese_site_formats_are_read(loopback, fmt):
    loopback.add("www.lincang.gov.cn", "/", Page(list_page(date(2020, 6, 29), fmt=fmt)))
    assert run_check("homepage_freshness", site(), loopback.resolve, AS_OF).figures["newest_item"] == "2020-06-29"


def test_items_dated_after_the_monitoring_time_do_not_count(loopback):
    loopback.add("www.lincang.gov.cn", "/", Page(list_page(date(2020, 7, 5), date(2020, 6, 1))))
    obs = run_check("homepage_freshness", site(), loopback.resolve, AS_OF)
    assert obs.figures["newest_item"] == "2020-06-01" and obs.findings


def test_a_homepage_without_any_dated_item_counts_as_not_updated(loopback):
    loopback.add("www.lincang.gov.cn", "/", Page('<ul><li><a href="/a">无日期的信息</a></li></ul>'))
    obs = run_check("homepage_freshness", site(), loopback.resolve, AS_OF)
    assert [f.code for f in obs.findings] == ["homepage_stale"]


def test_a_navigation_homepage_is_judged_by_its_second_level_pages(loopback):
    loopback.add("www.lincang.gov.cn", "/", Page('<nav><a href="/ywdt/">要闻动态</a></nav>'))
    loopback.add("www.lincang.gov.cn", "/ywdt/", Page(list_page(date(2020, 6, 28))))
    entry = site([Column("要闻动态", "要闻动态", "http://www.lincang.gov.cn/ywdt/")])
    obs = run_check("homepage_freshness", entry, loopback.resolve, AS_OF)
    assert obs.figures["judged_on"] == "二级页面" and not obs.findings


def test_an_unreachable_homepage_is_not_judged_stale(loopback):
    loopback.add("www.lincang.gov.cn", "/", Page("error", status=500))
    obs = run_check("homepage_freshness", site(), loopback.resolve, AS_OF)
    assert obs.outcome == "unreachable" and not obs.findings


def columns_site(loopback, ages: dict[str, tuple[str, int | None]]) -> Website:
    columns = []
    for name, (column_type, age) in ages.items():
        path = f"/{len(columns)}/"
        body = list_page(AS_OF.date() - timedelta(days=age)) if age is not None else "<html><body></body></html>"
        loopback.add("www.lincang.gov.cn", path, Page(body))
        columns.append(Column(name, column_type, f"http://www.lincang.gov.cn{path}"))
    return site(columns)


@pytest.mark.parametrize("column_type, limit", [("工作动态", 14), ("通知公告", 183), ("人事信息", 365)])
def test_each_column_type_has_its_own_age_limit(loopback, column_type, limit):
    entry = columns_site(loopback, {"在限": (column_type, limit), "超限": (column_type, limit + 1)})
    obs = run_check("column_freshness", entry, loopback.resolve, AS_OF)
    assert [f.evidence.location for f in obs.findings if f.code == "column_stale"] == [f"超限（{column_type}）"]
    assert obs.figures["stale"] + obs.figures["long_term_stale"] == 1


def test_four_stale_news_columns_are_deductions_five_are_a_veto(loopback):
    four = columns_site(loopback, {f"动态{i}": ("工作动态", 30) for i in range(4)})
    assert not [f for f in run_check("column_freshness", four, loopback.resolve, AS_OF).findings if f.severity == "veto"]
    five = columns_site(loopback, {f"动态{i}": ("工作动态", 30) for i in range(5)})
    vetoes = [f for f in run_check("column_freshness", five, loopback.resolve, AS_OF).findings if f.severity == "veto"]
    assert [f.code for f in vetoes] == ["columns_not_updated"]


def test_five_blank_columns_are_a_veto(loopback):
    entry = columns_site(loopback, {f"空白{i}": ("其他", None) for i in range(5)})
    obs = run_check("column_freshness", entry, loopback.resolve, AS_OF)
    assert obs.figures["blank"] == 5
    assert any(f.code == "columns_not_updated" and f.severity == "veto" for f in obs.findings)


UNDATED_LIST = ('<div class="list"><ul><li><a href="/xxgk/1001.html">没有日期的信息一</a></li>'
                '<li><a href="/xxgk/1000.html">没有日期的信息二</a></li></ul></div>')


def test_a_column_we_cannot_date_is_could_not_check_never_not_updated(loopback):
    loopback.add("www.lincang.gov.cn", "/undated/", Page(UNDATED_LIST))
    entry = site([Column("通知公告", "通知公告", "http://www.lincang.gov.cn/undated/")])
    obs = run_check("column_freshness", entry, loopback.resolve, AS_OF)
    assert obs.outcome == "error" and obs.findings == ()
    state = obs.figures["by_column"][0]
    assert state["state"] == "undated" and state["error"].startswith("无法识别栏目列表的发布日期")
    assert obs.figures["undated"] == 1 and obs.figures["stale"] == 0


def test_five_undated_columns_are_no_veto_and_do_not_hide_a_judged_one(loopback):
    columns = []
    for i in range(5):
        loopback.add("www.lincang.gov.cn", f"/u{i}/", Page(UNDATED_LIST))
        columns.append(Column(f"动态{i}", "工作动态", f"http://www.lincang.gov.cn/u{i}/"))
    loopback.add("www.lincang.gov.cn", "/old/", Page(list_page(AS_OF.date() - timedelta(days=40))))
    columns.append(Column("旧动态", "工作动态", "http://www.lincang.gov.cn/old/"))
    obs = run_check("column_freshness", site(columns), loopback.resolve, AS_OF)
    assert [f.code for f in obs.findings] == ["column_stale"] and obs.outcome == "finding"
    assert obs.figures["undated"] == 5


@pytest.mark.parametrize("column_type", ["工作动态", "人事信息", "其他"])
def test_a_column_with_no_items_is_blank_whatever_its_type(loopback, column_type):
    loopback.add("www.lincang.gov.cn", "/empty/", Page(
        '<div class="nav"><ul><li><a href="/">首页</a></li></ul></div><div class="list"><ul><li>暂无信息</li></ul></div>'))
    entry = site([Column("空栏目", column_type, "http://www.lincang.gov.cn/empty/")])
    obs = run_check("column_freshness", entry, loopback.resolve, AS_OF)
    assert [(f.code, f.indicator) for f in obs.findings] == [("column_blank", "空白栏目")]


def test_a_hanweb_homepage_is_read_from_its_datastore(loopback):
    records = "".join(f'<record><![CDATA[<li><a href="/art/2020/6/{d}/art_1_{d}.html">信息{d}</a><span>2020-06-{d:02d}</span></li>]]></record>'
                      for d in (20, 27))
    loopback.add("www.lincang.gov.cn", "/", Page(f'<div id="1"><script type="text/xml"><datastore><recordset>{records}'
                                                 '</recordset></datastore></script></div>'))
    obs = run_check("homepage_freshness", site(), loopback.resolve, AS_OF)
    assert obs.figures["newest_item"] == "2020-06-27" and not obs.findings


def test_a_homepage_that_only_redirects_is_judged_where_it_sends_the_browser(loopback):
    loopback.add("www.lincang.gov.cn", "/", Page('<html><head><meta http-equiv="refresh" content="0; url=/col/col1/index.html">'
                                                 '</head><body></body></html>'))
    loopback.add("www.lincang.gov.cn", "/col/col1/index.html", Page(list_page(date(2020, 6, 29))))
    obs = run_check("homepage_freshness", site(), loopback.resolve, AS_OF)
    assert obs.figures["newest_item"] == "2020-06-29" and obs.figures["judged_on"] == "首页" and not obs.findings


def test_a_homepage_listing_nothing_anywhere_is_could_not_check(loopback):
    loopback.add("www.lincang.gov.cn", "/", Page("<html><body><script>document.write('…')</script></body></html>"))
    obs = run_check("homepage_freshness", site(), loopback.resolve, AS_OF)
    assert obs.outcome == "error" and not obs.findings and obs.figures["error"]


def rss(*dates: datetime) -> str:
    items = "".join(f"<item><title>发布{i}</title><link>http://mp.example/{i}</link>"
                    f"<pubDate>{d.strftime('%a, %d %b %Y %H:%M:%S +0800')}</pubDate></item>" for i, d in enumerate(dates))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>{items}</channel></rss>'


def account() -> Account:
    return Account(id="wx-lczrzy", platform="微信公众号", name="临沧市自然资源和规划局",
                   unit="临沧市自然资源和规划局", feed="http://rsshub.world.test/wechat/lczrzy")


@pytest.mark.parametrize("age, codes", [(7, []), (8, ["account_slow"]), (14, ["account_slow"]), (15, ["account_stale"])])
def test_new_media_posts_are_judged_at_one_and_two_weeks(loopback, age, codes):
    loopback.add("rsshub.world.test", "/wechat/lczrzy", Page(rss(AS_OF - timedelta(days=age)), content_type="application/rss+xml"))
    obs = run_check("newmedia_freshness", account(), loopback.resolve, AS_OF)
    assert [f.code for f in obs.findings] == codes


def test_atom_and_json_feeds_are_read(loopback):
    atom = ('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>'
            '<entry><title>a</title><link href="http://x/1"/><id>1</id><updated>2020-06-29T10:00:00+08:00</updated></entry></feed>')
    loopback.add("rsshub.world.test", "/wechat/lczrzy", Page(atom, content_type="application/atom+xml"))
    assert run_check("newmedia_freshness", account(), loopback.resolve, AS_OF).figures["newest_post"].startswith("2020-06-29")
    json_feed = ('{"version": "https://jsonfeed.org/version/1.1", "title": "x", "items": '
                 '[{"id": "1", "title": "a", "url": "http://x/1", "date_published": "2020-06-28T10:00:00+08:00"}]}')
    loopback.add("rsshub.world.test", "/wechat/lczrzy", Page(json_feed, content_type="application/feed+json"))
    assert run_check("newmedia_freshness", account(), loopback.resolve, AS_OF).figures["newest_post"].startswith("2020-06-28")


def test_an_unreachable_feed_is_could_not_check_never_not_updated(loopback):
    loopback.add("rsshub.world.test", "/wechat/lczrzy", Page("down", status=502))
    obs = run_check("newmedia_freshness", account(), loopback.resolve, AS_OF)
    assert obs.outcome == "unreachable" and not obs.findings


def test_reachability_vetoes_at_five_percent_failures_in_a_week(profile):
    from collector.observations import Observation
    check = get_check("reachability")

    def week_of_attempts(failures: int) -> list[Observation]:
        """A week at 20 attempts a day (140), the last `failures` of them failed."""
        start = datetime(2020, 6, 1, tzinfo=CHINA_TZ)
        return [Observation(at=start + timedelta(minutes=72 * i), entry="s", kind="website", check="reachability",
                            outcome="ok", figures={"failed": i >= 140 - failures, "elapsed_ms": 10})
                for i in range(140)]
    period = Period(2020, 2)
    assert check.judge(site(), week_of_attempts(6), period, profile) == []       # 6/140 = 4.3%
    judged = check.judge(site(), week_of_attempts(7), period, profile)           # 7/140 = 5.0%
    assert [j.finding.code for j in judged] == ["site_unreachable"] and judged[0].finding.severity == "veto"
