"""The 岑州 world over HTTP: the CMS shapes its sites are served in, its GBK district, the rate
limit in front of 清溪县, the closed forestry site, and the message exports in their layouts."""
from __future__ import annotations

import asyncio
import json
import re
from datetime import date, datetime, timedelta

import httpx
import pytest

from checkrun import run_check
from collector.demo.cenzhou.server import THROTTLED_HOURS
from collector.demo.cenzhou.world import DEFAULT_NOW, at
from collector.fetch import Fetcher, FetchSettings
from collector.message_exports import load_export


def test_every_registry_url_answers_200_at_the_end_of_the_quarter(cenzhou, get):
    registry = cenzhou.world.registry()
    urls = [e.url for e in registry.entries() if getattr(e, "status", "运行") == "运行"]
    urls += [c.url for e in (*registry.websites, *registry.columns) if e.status == "运行" for c in e.columns]
    failed = {url: status for url in urls if (status := get(url).status_code) != 200}
    assert len(urls) > 40 and failed == {}


def test_a_hanweb_list_carries_its_rows_as_jpage_records_inline(get):
    page = get("http://www.cenzhou.gov.cn/col/col1201/index.html").text
    assert '<script type="text/xml"><datastore>' in page
    records = re.findall(r"<record><!\[CDATA\[(.*?)\]\]></record>", page, re.S)
    assert len(records) == 20 and all('class="bt_time">2021-' in r for r in records)


def test_a_proxy_only_hanweb_list_has_an_empty_recordset_and_its_dataproxy_serves_the_rows(cenzhou, get):
    url = cenzhou.world.planted.proxy_fresh_columns[0]
    page = get(url).text
    assert re.search(r"<recordset>\s*</recordset>", page)
    proxy = re.search(r'<nextgroup><!\[CDATA\[<a href="([^"]+)">', page).group(1)
    assert "&amp;" not in proxy and "columnid=" in proxy  # CDATA: the href is used as written
    answer = get(f"http://www.cenzhou.gov.cn{proxy}")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/xml")
    assert answer.text.count("<record>") == 20 and "[2021-09-" in answer.text


def test_the_gbk_district_sends_gbk_bytes_labelled_gb2312_with_gbk_only_characters(cenzhou, get):
    reply = get("http://www.cjq.gov.cn/col/col2101/index.html")
    assert reply.headers["content-type"] == "text/html"  # no charset in the header
    assert b'charset=gb2312' in reply.content
    with pytest.raises(UnicodeDecodeError):
        reply.content.decode("gb2312")
    assert cenzhou.world.planted.gbk_only_text[0] in reply.content.decode("gbk")


def test_the_collector_decodes_the_lying_gb2312_label_as_gbk(cenzhou):
    async def go() -> str:
        async with Fetcher(FetchSettings(allow_private_addresses=True, resolve={"*": f"127.0.0.1:{cenzhou.port}"},
                                         retries=0)) as fetcher:
            return (await fetcher.get("http://www.cjq.gov.cn/col/col2101/index.html")).text
    text = asyncio.run(go())
    assert "镕城街道" in text and "昇平路" in text and "\ufffd" not in text


def test_the_throttled_homepage_answers_429_with_retry_after_only_in_its_hours(cenzhou, get):
    for hour in range(24):
        cenzhou.set_clock(at(date(2021, 9, 28), hour, 24))
        reply = get("http://www.qxx.gov.cn/")
        if hour in THROTTLED_HOURS:
            assert reply.status_code == 429 and reply.headers["retry-after"] == "120"
        else:
            assert reply.status_code == 200
        assert get("http://www.qxx.gov.cn/zwgk/gsgg/").status_code == 200  # only the homepage is limited
    cenzhou.set_clock(at(date(2021, 9, 28), 9, 0))
    assert get("http://www.qxx.gov.cn/").status_code == 200  # the daily checks' visit


def test_the_decommissioned_site_drops_the_connection(get):
    with pytest.raises(httpx.RemoteProtocolError):
        get("http://www.czly.gov.cn/")


def test_an_article_is_not_there_before_its_time(cenzhou, get):
    url = cenzhou.world.planted.pii_page
    cenzhou.set_clock(datetime(2021, 9, 15, 9, tzinfo=DEFAULT_NOW.tzinfo))
    assert get(url).status_code == 404 and get(cenzhou.world.planted.pii_file).status_code == 404
    cenzhou.set_clock(DEFAULT_NOW)
    assert get(url).status_code == 200 and get(cenzhou.world.planted.pii_file).status_code == 200


def test_the_teddy_cup_export_has_its_layout_and_the_may_message_has_no_reply(cenzhou, get):
    platform = next(p for p in cenzhou.world.platforms if p.id == cenzhou.world.planted.unanswered_platform)
    reply = get(platform.export_url)
    result = load_export(reply.content, "export.xlsx", platform=platform.id, headers=dict(platform.headers))
    assert result.readable and not result.errors
    assert [a.rule for a in result.anomalies] == ["status_from_reply"]  # no status column: read from the reply
    unanswered = [m for m in result.messages if m.id == cenzhou.world.planted.unanswered_message]
    assert len(unanswered) == 1 and unanswered[0].replied_at is None and not unanswered[0].closed
    dump = json.dumps(result.to_dict(), ensure_ascii=False)
    assert not any(m.phone in dump or m.user in dump or m.subject in dump for m in platform.messages)


def test_every_export_reads_with_the_registry_s_header_mapping_and_grows_with_the_clock(cenzhou, get):
    registry = cenzhou.world.registry()
    for platform in registry.message_platforms:
        cenzhou.set_clock(DEFAULT_NOW)
        now = load_export(get(platform.export).content, platform.export.rsplit("/", 1)[1], platform=platform.id,
                          headers=platform.header_mapping)
        cenzhou.set_clock(DEFAULT_NOW - timedelta(days=30))
        before = load_export(get(platform.export).content, platform.export.rsplit("/", 1)[1], platform=platform.id,
                             headers=platform.header_mapping)
        assert now.readable and not now.errors and len(before.messages) < len(now.messages), platform.id
        assert all(m.received_at <= DEFAULT_NOW for m in now.messages)


def _column_states(cenzhou, entry_id: str) -> dict[str, dict]:
    registry = cenzhou.world.registry()
    entry = registry.get(entry_id)
    obs = run_check("column_freshness", entry, {"*": f"127.0.0.1:{cenzhou.port}"}, DEFAULT_NOW, registry=registry)
    return {c["url"]: c for c in obs.figures["by_column"]}


def test_column_freshness_reads_every_cms_shape_of_the_city_portal(cenzhou):
    states = _column_states(cenzhou, "5209000001")
    proxied = cenzhou.world.planted.proxy_fresh_columns[1]
    assert states[proxied]["state"] == "ok" and states[proxied]["read_via"] == ["dataproxy"]
    assert states[proxied]["age_days"] <= 30
    assert all(s["state"] == "ok" for s in states.values())


def test_the_stale_column_is_read_through_its_dataproxy_and_is_stale(cenzhou):
    states = _column_states(cenzhou, cenzhou.world.planted.stale_column_entry)
    stale = states[cenzhou.world.planted.stale_column_url]
    assert stale["read_via"] == ["dataproxy"] and stale["newest"] == "2021-08-23" and stale["age_days"] == 38


def test_easysite_lists_blank_undated_and_bracketed(cenzhou):
    states = _column_states(cenzhou, "5209210001")
    planted = cenzhou.world.planted
    assert states[planted.blank_column_url]["state"] == "blank"
    assert states[planted.undated_column_url]["state"] == "undated"
    assert "文章页无发布日期元数据" in states[planted.undated_column_url]["error"]
    assert states["http://www.mlx.gov.cn/xxgk/tzgg/index.html"]["newest"] == "2021-09-30"  # [2021-09-30] cells


def test_a_list_dated_only_by_its_articles_is_not_judged_by_its_old_footer(cenzhou, get):
    url = cenzhou.world.planted.footer_dates_column_url
    page = get(url).text
    assert "更新时间：2019-03-01" in page and "2008-2021" in page
    state = _column_states(cenzhou, "5209220001")[url]
    assert state["state"] == "ok" and state["read_via"] == ["pubdate"] and state["age_days"] <= 30


def test_the_footer_marks_of_every_running_site_are_right(cenzhou):
    registry = cenzhou.world.registry()
    for entry in [*registry.websites, *registry.columns]:
        if entry.status != "运行":
            continue
        obs = run_check("footer_marks", entry, {"*": f"127.0.0.1:{cenzhou.port}"}, DEFAULT_NOW, registry=registry)
        assert obs.outcome == "ok" and not obs.findings, (entry.id, [f.code for f in obs.findings])
        assert obs.figures["site_id_metas"] == [obs.figures["expected_site_code"]]
