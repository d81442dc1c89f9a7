"""转载与原文不符: a reprint that names its source is compared with it, ignoring layout."""
from __future__ import annotations

import pytest

from collector.text_compare import compare_texts, main_text, sentences
from collector.registry import Column, DisclosureColumn, Registry, Website
from loopback import LoopbackSite, Page

HOST = "www.testcity.gov.cn"
SITE = Website(site_code="5309000001", name="测试市人民政府", unit="测试市人民政府办公室", level="市级",
               site_kind="政府门户网站", url=f"http://{HOST}/")
COLUMN = DisclosureColumn(id="5309000001-nyncj", name="测试市农业农村局信息公开专栏", unit="测试市农业农村局",
                          parent="5309000001", url=f"http://{HOST}/zfxxgk/nyncj/",
                          columns=(Column("工作动态", "工作动态", f"http://{HOST}/zfxxgk/nyncj/gzdt/"),))
REGISTRY = Registry(office="测试", region="测试", websites=(SITE,), columns=(COLUMN,))

PARAGRAPHS = [
    "2020年5月，全国春播粮食作物已完成意向面积的85.6%，进度同比快1.2个百分点。",
    "农业农村部要求各地抓好夏粮生产，确保颗粒归仓。",
    "各地要加强田间管理，落实防灾减灾措施，做好病虫害统防统治。",
    "同时要做好农资供应，保障农民春耕生产需要，稳定粮食播种面积。",
]
NAV = "<div class='nav'><a href='/'>首页</a> | <a href='/zwgk/'>政务公开</a> | <a href='/hdjl/'>互动交流</a></div>"


def source_page(paragraphs: list[str]) -> str:
    """The source's layout: a div template with a sidebar and footer."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html><head><title>全国春播进展顺利_农业农村部</title></head><body>{NAV}<div class='main'>"
            f"<h1>全国春播进展顺利</h1><div class='info'>发布时间：2020-05-20 来源：农业农村部</div>"
            f"<div class='TRS_Editor'>{body}</div></div><div class='side'><ul><li><a href='/a'>相关新闻一</a></li>"
            f"</ul></div><div class='footer'>主办：中华人民共和国农业农村部 网站标识码：bm21000001</div></body></html>")


def reprint_page(paragraphs: list[str], source_url: str, marker: str = "来源：") -> str:
    """The reprinting site's layout: an old table template, full-width spaces, <br> between paragraphs
    and a line break in the source HTML inside each paragraph."""
    body = "<br>".join("\u3000\u3000" + p.replace("，", "，\n", 1) for p in paragraphs)
    return (f"<html><head><title>全国春播进展顺利</title></head><body><table><tr><td>{NAV}</td></tr><tr><td>"
            f"<h2>全国春播进展顺利</h2><span>2020年05月21日 {marker}<a href='{source_url}'>农业农村部网站</a></span>"
            f"<div id='zoom'>{body}</div><div>【打印本页】【关闭窗口】</div></td></tr></table>"
            f"<div class='footer'>主办：测试市农业农村局 网站标识码：5309000001</div></body></html>")


def list_page(items: list[tuple[str, str, str]]) -> str:
    rows = "".join(f"<li><a href='{href}'>{title}</a><span>{day}</span></li>" for href, title, day in items)
    return f"<html><head><title>工作动态</title></head><body>{NAV}<ul>{rows}</ul></body></html>"


@pytest.fixture
def site(loopback: LoopbackSite) -> LoopbackSite:
    moa = "http://www.moa.gov.cn/xw/zwdt/202005/t20200520_1.htm"
    loopback.add("www.moa.gov.cn", "/xw/zwdt/202005/t20200520_1.htm", Page(source_page(PARAGRAPHS)))
    loopback.add("www.yn.gov.cn", "/ywdt/1.html", Page(source_page(PARAGRAPHS)))
    changed = [PARAGRAPHS[0].replace("85.6%", "86.5%"), PARAGRAPHS[1], PARAGRAPHS[3]]
    loopback.add(HOST, "/zfxxgk/nyncj/", Page(list_page([("gzdt/1.html", "全国春播进展顺利", "2020-05-21")])))
    loopback.add(HOST, "/zfxxgk/nyncj/gzdt/", Page(list_page([
        ("2.html", "全国春播进展顺利（转载）", "2020-05-22"),
        ("3.html", "云南春耕", "2020-05-23"),
        ("4.html", "本局召开会议", "2020-05-24"),
    ])))
    loopback.add(HOST, "/zfxxgk/nyncj/gzdt/1.html", Page(reprint_page(changed, moa)))
    loopback.add(HOST, "/zfxxgk/nyncj/gzdt/2.html", Page(reprint_page(PARAGRAPHS, "http://www.yn.gov.cn/ywdt/1.html",
                                                                      marker="转载自：")))
    loopback.add(HOST, "/zfxxgk/nyncj/gzdt/3.html", Page(reprint_page(PARAGRAPHS, "http://www.gone.gov.cn/x.html")))
    loopback.add(HOST, "/zfxxgk/nyncj/gzdt/4.html",
                 Page("<html><body><h1>本局召开会议</h1><p>来源：本局</p><p>本局召开了春耕生产工作会议，部署了下一步工作。</p></body></html>"))
    return loopback


@pytest.fixture
def observation(site: LoopbackSite, run_check):
    return run_check("reprint", COLUMN, site, REGISTRY)


def test_a_reprint_that_changes_a_number_and_drops_a_sentence_is_a_finding(observation):
    [finding] = observation.findings
    assert finding.code == "reprint_differs" and finding.indicator == "转载与原文不符"
    assert finding.evidence.url == f"http://{HOST}/zfxxgk/nyncj/gzdt/1.html"
    assert "www.moa.gov.cn" in finding.evidence.location and "来源：农业农村部网站" in finding.evidence.location
    assert "数字改动 1 处" in finding.message and "缺少原文语句 1 句" in finding.message


def test_the_evidence_is_a_readable_diff_of_the_changed_sentences(observation):
    snippet = observation.findings[0].evidence.snippet
    assert "- 2020年5月，全国春播粮食作物已完成意向面积的85.6%" in snippet
    assert "+ 2020年5月，全国春播粮食作物已完成意向面积的86.5%" in snippet
    assert "85.6%→86.5%" in snippet
    assert "- 各地要加强田间管理，落实防灾减灾措施，做好病虫害统防统治。" in snippet
    assert "<" not in snippet  # plain text; the theme escapes it


def test_an_exact_reprint_in_another_layout_is_not_flagged(observation):
    assert not any(f.evidence.url.endswith("/gzdt/2.html") for f in observation.findings)
    assert observation.figures["compared"] == 2


def test_a_source_that_cannot_be_fetched_is_counted_not_flagged(observation):
    assert observation.figures["could_not_check"] == 1
    assert observation.figures["could_not_check_sources"] == ["http://www.gone.gov.cn/x.html"]


def test_an_article_whose_source_has_no_link_is_not_a_reprint(observation):
    assert observation.figures["articles_examined"] == 4
    assert observation.figures["reprints_with_source_link"] == 3


def test_full_width_punctuation_and_spacing_are_layout_not_content():
    source = ["经济增长5.2%,达到1,234亿元。", "这是第二句话:完成任务!"]
    reprint = ["经济增长５．２％，达到１，２３４亿元。", "这是 第二句话：完成任务！"]
    assert compare_texts(source, reprint).identical


def test_an_added_sentence_is_reported():
    comparison = compare_texts(PARAGRAPHS[:2], PARAGRAPHS[:1] + ["本局认真贯彻落实。"] + PARAGRAPHS[1:2])
    assert [change.kind for change in comparison.changes] == ["added"]
    assert "+ 本局认真贯彻落实。" in comparison.diff_snippet()


def test_main_text_leaves_out_navigation_metadata_and_footer():
    text = sentences(main_text(reprint_page(PARAGRAPHS, "http://www.moa.gov.cn/1.htm")))
    assert text == PARAGRAPHS


def test_demo_world_only_the_altered_reprint_of_the_ministry_article_is_flagged(demo_world, run_on_demo):
    planted = demo_world.world.planted
    observations = run_on_demo("reprint")
    findings = [f for o in observations.values() for f in o.findings]
    assert [f.evidence.url for f in findings] == [planted.reprint_page]
    assert planted.reprint_source in findings[0].evidence.location
    assert "数字改动 1 处" in findings[0].message and "缺少原文语句 1 句" in findings[0].message
    compared = sum(o.figures.get("compared", 0) for o in observations.values())
    assert compared >= 1 + len(planted.exact_reprint_pages)   # the exact reprints were compared, not skipped
