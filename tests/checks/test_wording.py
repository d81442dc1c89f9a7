"""严重表述错误 (veto) and 错别字 (deduction): the staff lexicon matched over pages and attachments."""
from __future__ import annotations

from collector.registry import Column, DisclosureColumn, Registry, Website
from text.content_fixtures import MIME, make_docx, make_pdf
from loopback import LoopbackSite, Page

HOST = "www.testcity.gov.cn"
SITE = Website(site_code="5309000001", name="测试市人民政府", unit="测试市人民政府办公室", level="市级",
               site_kind="政府门户网站", url=f"http://{HOST}/")
COLUMN = DisclosureColumn(id="5309000001-tjj", name="测试市统计局信息公开专栏", unit="测试市统计局",
                          parent="5309000001", url=f"http://{HOST}/zfxxgk/tjj/",
                          columns=(Column("工作动态", "工作动态", f"http://{HOST}/zfxxgk/tjj/gzdt/"),))
REGISTRY = Registry(office="测试", region="测试", websites=(SITE,), columns=(COLUMN,))


def add_column(site: LoopbackSite, article_text: str, attachment: tuple[str, Page] | None = None) -> None:
    link = f"<a href='{attachment[0]}'>附件</a>" if attachment else ""
    site.add(HOST, "/zfxxgk/tjj/", Page("<p>统计局信息公开</p>"))
    site.add(HOST, "/zfxxgk/tjj/gzdt/", Page("<ul><li><a href='1.html'>统计工作会议</a> 2020-05-06</li></ul>"))
    site.add(HOST, "/zfxxgk/tjj/gzdt/1.html", Page(f"<h1>统计工作会议</h1><p>{article_text}</p>{link}"))
    if attachment:
        site.add(HOST, *attachment)


def test_a_serious_error_is_a_veto_with_the_correct_form_and_where_it_is(run_check, loopback):
    add_column(loopback, "会议强调，要深入学习贯彻中国共产党第十九次全国人民代表大会精神。")
    observation = run_check("wording", COLUMN, loopback, REGISTRY)
    [finding] = observation.findings
    assert (finding.code, finding.indicator, finding.severity) == ("wording_serious", "严重表述错误", "veto")
    assert "中国共产党第十九次全国代表大会" in finding.message
    assert finding.evidence.url == f"http://{HOST}/zfxxgk/tjj/gzdt/1.html"
    assert finding.evidence.location == "正文"
    assert "第十九次全国人民代表大会" in finding.evidence.snippet
    assert observation.figures["matches"] == {"serious": 1, "typo": 0}


def test_a_typo_is_a_deduction_under_its_own_indicator(run_check, loopback):
    add_column(loopback, "为全村农户按装太阳能热水器，按装机容量计算共 30 千瓦。")
    [finding] = run_check("wording", COLUMN, loopback, REGISTRY).findings
    assert (finding.code, finding.indicator, finding.severity) == ("wording_typo", "错别字", "deduction")
    assert "“按装”应为“安装”" in finding.message


def test_errors_in_attachments_are_found_with_page_or_paragraph(run_check, loopback):
    add_column(loopback, "详见附件。", ("/f/report.pdf", Page(make_pdf([["封面"], ["贯彻中国共产党第十九次全国人",
                                                                              "民代表大会精神"]]),
                                                       content_type=MIME["pdf"])))
    loopback.add(HOST, "/zfxxgk/tjj/", Page("<a href='/f/plan.docx'>工作计划.docx</a>"))
    loopback.add(HOST, "/f/plan.docx", Page(make_docx(["工作计划", "根据中华人民共和国国务院办公室通知"]),
                                            content_type=MIME["docx"]))
    found = {(f.evidence.url.removeprefix(f"http://{HOST}"), f.evidence.location)
             for f in run_check("wording", COLUMN, loopback, REGISTRY).findings}
    assert found == {("/f/report.pdf", "第2页"), ("/f/plan.docx", "第2段")}


def test_correct_forms_abbreviations_and_near_misses_are_not_flagged(run_check, loopback):
    add_column(loopback, "全国人民代表大会常委会、全国人大常委会委员长、国务院新闻办公室、过渡假设、"
                         "发布署名文章、既使企业减负又使群众受益、中国共产党第十九次全国代表大会。")
    observation = run_check("wording", COLUMN, loopback, REGISTRY)
    assert (observation.outcome, observation.findings) == ("ok", ())
    assert observation.figures["lexicon_entries"] > 40


def test_the_same_error_keeps_its_key_and_repeats_are_counted_in_one_finding(run_check, loopback):
    add_column(loopback, "再接再励，再接再励。")
    first = run_check("wording", COLUMN, loopback, REGISTRY).findings
    second = run_check("wording", COLUMN, loopback, REGISTRY).findings
    assert [f.key for f in first] == [f.key for f in second] and len(first) == 1
    assert "共 2 处" in first[0].message


def test_snippets_never_show_a_personal_number_next_to_a_wording_error(run_check, loopback):
    add_column(loopback, "按装人员张三360426199101010071")
    observation = run_check("wording", COLUMN, loopback, REGISTRY)
    assert "360426199101010071" not in observation.to_json()


def test_on_the_demo_world_only_the_statistics_bureaus_article_has_a_serious_error(run_on_demo, demo_world):
    planted = demo_world.world.planted
    observations = run_on_demo("wording", ["5309000001", "zfxxgk-tjj", "zfxxgk-jtysj"])
    assert set(observations) == {"5309000001", "zfxxgk-tjj", "zfxxgk-jtysj"}
    found = {(entry, f.code, f.evidence.url) for entry, o in observations.items() for f in o.findings}
    assert found == {("zfxxgk-tjj", "wording_serious", planted.wording_error_page)}
