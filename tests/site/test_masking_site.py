"""The portal never publishes a personal number and never links a document that leaks one.

A data file written before the masking gate (raw numbers in findings, figures and body) is masked
on the way in by the site, by the rectification tracker and by the circular's reader; a finding
of the personal-information check shows its address as text with the reason instead of a link."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import lxml.html
import pytest

from collector.circular.figures import load_scorecards as circular_scorecards
from collector.periods import CHINA_TZ, Period
from collector.rectification.tracking import write_rectification_status
from govcensus_data.model import Evidence, Finding
from govcensus_site import build_site
from govcensus_site.views import evidence_link

ID, ID_MASKED = "360426199101010071", "3604**********0071"
WIDE_ID = "３６０４２６１９９１０１０１００７１"
MOBILE, MOBILE_MASKED = "13812345678", "138****5678"

OLD_SCORECARD = f"""---
schema: govcensus.scorecard/1
period: 2020Q2
period_start: '2020-04-01'
period_end: '2020-06-30'
as_of: '2020-06-30T23:59:59+08:00'
entry: {{id: '5309990001', kind: website, name: 测试县人民政府门户网站, unit: 测试县人民政府办公室, level: 县级, site_kind: 政府门户网站, url: 'http://www.leak.gov.cn/', status: 运行, parent: null, platform: null}}
result: fail
score: null
vetoes: [{{item: 个人信息泄露, check: personal_info, code: pii_resident_id, message: '附件公开了身份证号码 {ID}'}}]
checks:
  homepage_freshness: {{indicator: 网站不更新, title: 首页更新, outcome: ok, observations: 1, figures: {{newest_title: '关于{MOBILE}的通知'}}}}
findings:
  - {{check: personal_info, code: pii_resident_id, indicator: 个人信息泄露, severity: veto, message: '附件公开了身份证号码 1 处，首处 {ID}', key: 'http://www.leak.gov.cn/files/{ID}.xlsx', first_seen: '2020-06-30T09:00:00+08:00', last_seen: '2020-06-30T09:00:00+08:00', times_seen: 1, evidence: {{url: 'http://www.leak.gov.cn/files/{ID}.xlsx', location: 工作表 Sheet B2, snippet: '{WIDE_ID}'}}}}
  - {{check: dead_links, code: dead_link_homepage, indicator: 链接不可用, severity: deduction, message: 首页链接不可用, key: 'http://www.leak.gov.cn/gone.html', first_seen: '2020-06-30T09:00:00+08:00', last_seen: '2020-06-30T09:00:00+08:00', times_seen: 1, evidence: {{url: 'http://www.leak.gov.cn/gone.html', location: '链接文字「请联系 {MOBILE}」'}}}}
---
- 附件公开了身份证号码 {ID}，联系 {MOBILE}。
"""


@pytest.fixture
def old_content(content_dir: Path) -> Path:
    """The fixture content plus one scorecard written before the masking gate."""
    content = content_dir
    card = content / "scorecards" / "2020Q2" / "website" / "5309990001.md"
    card.write_text(OLD_SCORECARD, encoding="utf-8")
    return content


def test_a_site_built_from_a_data_file_written_before_the_gate_publishes_only_masked_numbers(old_content, tmp_path):
    output = build_site(old_content, tmp_path / "output")
    page = (output / "scorecards" / "2020Q2" / "5309990001.html").read_text(encoding="utf-8")
    assert ID_MASKED in page and MOBILE_MASKED in page
    for path in output.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert ID not in text and WIDE_ID not in text and MOBILE not in text, path
    tree = lxml.html.fromstring(page)
    assert not [a for a in tree.iter("a") if "/files/" in (a.get("href") or "")]
    # the body's masked number is shown as asterisks, not turned into emphasis
    assert not tree.xpath("//main//em[contains(., '0071')] | //main//strong[contains(., '0071')]")


def test_rectification_status_and_the_circular_read_old_scorecards_masked(old_content):
    period = Period(2020, 2)
    path = write_rectification_status(period, old_content, datetime(2020, 7, 13, tzinfo=CHINA_TZ),
                                      old_content / "circulars" / "templates" / "requirements.md",
                                      old_content / "rectification" / "marks.yaml")
    text = path.read_text(encoding="utf-8")
    assert ID not in text and MOBILE not in text and ID_MASKED in text
    [card] = [c for c in circular_scorecards(old_content, period) if c.id == "5309990001"]
    assert card.findings[0].evidence == Evidence(url=f"http://www.leak.gov.cn/files/{ID_MASKED}.xlsx",
                                                 location="工作表 Sheet B2", snippet=ID_MASKED)


def finding(check: str, code: str, url: str) -> Finding:
    return Finding(check=check, code=code, indicator="指标", severity="veto", message="…",
                   evidence=Evidence(url=url))


@pytest.mark.parametrize("url, reason", [
    (f"http://www.leak.gov.cn/files/{ID_MASKED}.xlsx", "该文件含个人信息，不提供链接"),
    ("http://www.leak.gov.cn/files/mingdan.PDF?v=2", "该文件含个人信息，不提供链接"),
    ("http://www.leak.gov.cn/gsgg/t20200601_1.html", "该页面含个人信息，不提供链接"),
])
def test_a_document_that_leaks_personal_data_is_never_linked_and_says_why(url, reason):
    assert evidence_link(finding("personal_info", "pii_resident_id", url)) == (None, reason)


def test_a_new_media_post_that_leaks_personal_data_is_not_linked_either():
    post = "https://weibo.example.test/123/abc"
    assert evidence_link(finding("newmedia_posts", "pii_mobile", post)) == (None, "该页面含个人信息，不提供链接")
    assert evidence_link(finding("newmedia_posts", "post_link_dead", post)) == (post, "")


def test_an_address_with_masked_digits_is_text_and_an_ordinary_one_stays_a_link():
    masked = f"http://www.leak.gov.cn/q?tel={MOBILE_MASKED}"
    assert evidence_link(finding("dead_links", "dead_link_homepage", masked)) == (None, "网址中疑似个人信息的数字已隐去，不提供链接")
    plain = "http://www.leak.gov.cn/gone.html"
    assert evidence_link(finding("dead_links", "dead_link_homepage", plain)) == (plain, "")
    assert evidence_link(finding("dead_links", "dead_link_homepage", "javascript:alert(1)")) == (None, "")
