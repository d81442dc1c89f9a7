"""A disclosure column's own column_type drives the freshness limit of its page and its untyped sub-columns."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from checkrun import run_check
from collector.checks.base import get_check
from collector.periods import CHINA_TZ
from collector.registry import Column, DisclosureColumn
from loopback import Page

AS_OF = datetime(2020, 6, 30, 9, 0, tzinfo=CHINA_TZ)
URL = "http://www.lincang.gov.cn/zfxxgk/tjj/"


def list_page(*dates: date) -> str:
    rows = "".join(f'<li><a href="/art/{i}.html">通知{i}</a><span>{d:%Y-%m-%d}</span></li>' for i, d in enumerate(dates))
    return f"<html><body><ul>{rows}</ul></body></html>"


def statistics(column_type: str | None, columns: tuple[Column, ...] = ()) -> DisclosureColumn:
    return DisclosureColumn(id="lctjj", name="临沧市统计局信息公开专栏", unit="临沧市统计局", parent="5309000001",
                            url=URL, column_type=column_type, columns=columns)


def test_a_column_with_neither_sub_columns_nor_a_type_is_not_judged_for_freshness():
    assert not get_check("column_freshness").applies(statistics(None))
    assert get_check("column_freshness").applies(statistics("通知公告"))


def test_the_column_page_is_judged_by_its_own_type(loopback):
    """40 days without an item: within 通知公告's 6 months, beyond 工作动态's 2 weeks."""
    loopback.add("www.lincang.gov.cn", "/zfxxgk/tjj/", Page(list_page(AS_OF.date() - timedelta(days=40))))
    as_notices = run_check("column_freshness", statistics("通知公告"), loopback.resolve, AS_OF)
    assert as_notices.outcome == "ok"
    assert as_notices.figures["by_column"][0]["type"] == "通知公告"
    as_news = run_check("column_freshness", statistics("工作动态"), loopback.resolve, AS_OF)
    stale = [f for f in as_news.findings if f.code == "column_stale"]
    assert [f.evidence.location for f in stale] == ["临沧市统计局信息公开专栏（工作动态）"]
    assert as_news.figures["stale"] == 1


def test_listed_sub_columns_are_judged_instead_of_the_column_page(loopback):
    loopback.add("www.lincang.gov.cn", "/zfxxgk/tjj/rsxx/", Page(list_page(AS_OF.date() - timedelta(days=200))))
    entry = statistics("要闻动态", (Column("人事信息", "人事信息", f"{URL}rsxx/"),))
    obs = run_check("column_freshness", entry, loopback.resolve, AS_OF)
    assert [c["url"] for c in obs.figures["by_column"]] == [f"{URL}rsxx/"]
    assert obs.outcome == "ok"
