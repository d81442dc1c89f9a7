"""网站基本信息: 网站标识码 (footer and SiteIDCode meta), ICP 备案, 公安机关备案, 党政机关网站标识."""
from __future__ import annotations

from pathlib import Path

import pytest

from collector.checks.footer_marks import inspect_footer
from collector.footer import site_id_metas
from collector.html import parse
from collector.registry import DisclosureColumn, Registry, Website
from loopback import LoopbackSite, Page

REALDATA = Path(__file__).resolve().parents[3] / "shared" / "realdata" / "gne-pages"
HOST = "www.testcity.gov.cn"
SITE = Website(site_code="5309000001", name="测试市人民政府", unit="测试市人民政府办公室", level="市级",
               site_kind="政府门户网站", url=f"http://{HOST}/")
COLUMN = DisclosureColumn(id="5309000001-nyncj", name="测试市农业农村局信息公开专栏", unit="测试市农业农村局",
                          parent="5309000001", url=f"http://{HOST}/zfxxgk/nyncj/")
REGISTRY = Registry(office="测试", region="测试", websites=(SITE,), columns=(COLUMN,))

GOOD_FOOTER = """<div class="footer"><p>主办：测试市人民政府办公室 网站标识码：5309000001</p>
<p><a href="https://beian.miit.gov.cn/">滇ICP备05001234号</a>
<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=53090202000001">
<img src="/images/ga.png">滇公网安备 53090202000001号</a></p>
<a href="http://bszs.conac.cn/sitename?method=show&id=ABC"><img src="/images/dzjg.png" alt="党政机关"></a></div>"""


def page(footer: str = GOOD_FOOTER, meta: str = '<meta name="SiteIDCode" content="5309000001">') -> str:
    return f"<html><head>{meta}<title>测试</title></head><body><div class='main'>正文内容。</div>{footer}</body></html>"


def codes(html: str, expected: str = "5309000001") -> list[str]:
    return [code for code, _, _ in inspect_footer(html, expected)]


def test_a_page_with_every_mark_right_has_no_problem():
    assert codes(page()) == []


def test_a_wrong_site_code_in_the_footer_is_reported_with_the_text_seen():
    problems = inspect_footer(page(GOOD_FOOTER.replace("5309000001", "5309000099")), "5309000001")
    code, message, seen = problems[0]
    assert code == "site_code_mismatch"
    assert "5309000099" in message and "网站标识码：5309000099" in seen


def test_a_missing_site_code_in_the_footer_is_reported():
    assert "site_code_missing" in codes(page(GOOD_FOOTER.replace("网站标识码：5309000001", "")))


def test_an_empty_site_id_meta_is_reported():
    assert codes(page(meta='<meta name="SiteIDCode" content="">')) == ["site_id_meta_empty"]


def test_a_missing_site_id_meta_is_reported():
    assert codes(page(meta="")) == ["site_id_meta_missing"]


def test_a_site_id_meta_repeated_with_the_same_code_is_fine():
    twice = '<meta name="SiteIDCode" content="5309000001">' * 2
    assert codes(page(meta=twice)) == []


def test_a_site_id_meta_with_another_code_is_reported():
    problems = inspect_footer(page(meta='<meta name="siteidcode" content="5309000002">'), "5309000001")
    assert [(code, seen) for code, _, seen in problems] == [
        ("site_id_meta_mismatch", '<meta name="SiteIDCode" content="5309000002">')]


@pytest.mark.parametrize("icp", ["ICP备05001234号", "滇ICP备05001234", "滇ICP证05001234号", "备案号：05001234"])
def test_an_icp_number_not_in_the_official_form_is_reported(icp):
    assert codes(page(GOOD_FOOTER.replace("滇ICP备05001234号", icp))) in (["icp_malformed"], ["icp_missing"])


def test_an_icp_number_with_a_suffix_is_accepted():
    assert codes(page(GOOD_FOOTER.replace("滇ICP备05001234号", "滇ICP备05001234号-1"))) == []


@pytest.mark.parametrize("short", ["黔", "贵", "陇", "秦"])
def test_filings_under_either_short_name_of_a_province_are_accepted(short):
    """Guizhou files as 黔ICP备… / 黔公网安备… (Gansu 陇, Shaanxi 秦): a correct mark, never malformed."""
    footer = GOOD_FOOTER.replace("滇ICP备", f"{short}ICP备").replace("滇公网安备", f"{short}公网安备")
    assert codes(page(footer)) == []


def test_a_public_security_number_must_have_14_digits():
    assert codes(page(GOOD_FOOTER.replace("53090202000001号", "5309020200号"))) == ["psb_malformed"]


def test_a_missing_public_security_mark_is_reported():
    footer = GOOD_FOOTER.replace("滇公网安备 53090202000001号", "")
    assert codes(page(footer)) == ["psb_missing"]


def test_a_missing_party_and_government_mark_is_reported():
    footer = GOOD_FOOTER.replace('http://bszs.conac.cn/sitename?method=show&id=ABC', "/about")
    footer = footer.replace('<img src="/images/dzjg.png" alt="党政机关">', "关于我们")
    assert codes(page(footer)) == ["party_government_mark_missing"]


def test_a_column_shows_its_parent_sites_code(loopback: LoopbackSite, run_check):
    loopback.add(HOST, "/zfxxgk/nyncj/", Page(page(GOOD_FOOTER.replace("5309000001", "5309000077"))))
    observation = run_check("footer_marks", COLUMN, loopback, REGISTRY)
    assert observation.figures["expected_site_code"] == "5309000001"
    [finding] = [f for f in observation.findings if f.code == "site_code_mismatch"]
    assert finding.evidence.url == COLUMN.url and "5309000077" in finding.evidence.snippet
    assert finding.indicator == "网站基本信息" and finding.severity == "deduction"


def test_a_site_with_right_marks_has_no_finding_over_http(loopback: LoopbackSite, run_check):
    loopback.add(HOST, "/", Page(page()))
    observation = run_check("footer_marks", SITE, loopback, REGISTRY)
    assert observation.outcome == "ok" and not observation.findings


def _realdata(name: str) -> str:
    path = REALDATA / name
    if not path.exists():
        pytest.skip(f"{path} not available")
    return path.read_text(encoding="utf-8")


def test_real_page_with_an_empty_site_id_meta_zhejiang():
    html = _realdata("gzggw_1.html")
    problems = dict((code, seen) for code, _, seen in inspect_footer(html, "3300000020"))
    assert site_id_metas(parse(html)) == [""]
    assert "site_id_meta_empty" in problems
    assert "site_code_missing" not in problems and "site_code_mismatch" not in problems
    assert "icp_missing" not in problems and "icp_malformed" not in problems   # 浙ICP备05018911号
    assert "psb_missing" not in problems and "psb_malformed" not in problems   # 浙公网安备 33010602009328号
    assert "party_government_mark_missing" not in problems                    # conac.cn link


def test_real_page_with_the_site_id_meta_twice_shanxi():
    html = _realdata("shanxi_1.html")
    assert site_id_metas(parse(html)) == ["1400000045", "1400000045"]
    assert codes(html, "1400000045") == []
    assert codes(html, "1400000046") == ["site_code_mismatch", "site_id_meta_mismatch"]


def test_demo_world_sites_and_columns_show_correct_marks(run_on_demo):
    observations = run_on_demo("footer_marks")
    assert len(observations) == 9 + 34
    assert [f for o in observations.values() for f in o.findings] == []
    assert all(o.outcome == "ok" for o in observations.values())
