"""The portal's main question — which entries failed this quarter, and why — answered first: the
home page's problem list, failing entries first on every index, filter pages that need no script."""
from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest

from govcensus_site import Census, build_site, load_scorecards
from govcensus_site.census import problems_first
from govcensus_site.views import problem_reason

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scorecards"

LATEST = Census(load_scorecards(FIXTURES)).of_period("2020Q2")
FAILED = [c for c in LATEST if c.result == "fail"]


def target(page: str, href: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), urlsplit(href).path))


def anchor(href: str) -> str:
    return urlsplit(href).fragment


def rows(doc) -> list[str]:
    return [a.get("href") for a in doc.xpath('//table[@data-sortable]//tbody/tr/th/a')]


def test_the_home_page_lists_every_failing_entry_with_its_reason_and_evidence(site, read_page):
    home = read_page("index.html")
    items = home.xpath('//section[@id="problems"]//li[@class="problem"]')
    assert len(FAILED) >= 5 and len(items) == len(FAILED)
    shown = {target("index.html", li.xpath('.//a[@class="problem-name"]/@href')[0]): li for li in items}
    assert set(shown) == {c.url for c in FAILED}
    for card in FAILED:
        li = shown[card.url]
        reason = li.xpath('.//*[@class="problem-reason"]')[0].text_content()
        assert reason == problem_reason(card) and reason  # one line, from the scorecard's own verdict
        evidence = li.xpath('.//a[@class="problem-evidence"]/@href')[0]
        assert target("index.html", evidence) == card.url
        page = lxml.html.fromstring((site / card.url).read_text(encoding="utf-8"))
        assert page.xpath(f'//*[@id="{anchor(evidence)}"]'), "the evidence link lands on the findings"
    # decommissioned domains are among them, marked as such
    offline = [li for li in items if "已下线" in li.text_content()]
    assert len(offline) == sum(not c.entry.running for c in FAILED) >= 1



def test_a_long_problem_list_shows_its_head_and_links_every_failing_entry(content_dir, tmp_path):
    """A national quarter fails thousands of entries: the home page lists the first ones, in the
    index's order, says how many there are and links the paged list of all of them."""
    output = build_site(content_dir, tmp_path / "output", settings={"GOVCENSUS_HOME_PROBLEMS": 2})
    home = lxml.html.fromstring((output / "index.html").read_text(encoding="utf-8"))
    items = home.xpath('//section[@id="problems"]//li[@class="problem"]')
    names = [target("index.html", li.xpath('.//a[@class="problem-name"]/@href')[0]) for li in items]
    assert names == [c.url for c in problems_first(FAILED)][:2]
    note = home.xpath('//p[@id="problems-shown"]')[0]
    assert f"全部 {len(FAILED)} 个" in note.text_content()
    everything = target("index.html", note.xpath(".//a/@href")[0])
    assert everything == "scorecards/result-fail.html" and (output / everything).exists()
    assert f"（{len(FAILED)}）" in home.xpath('//h2[@id="h-problems"]')[0].text_content()


def test_a_short_problem_list_is_shown_whole_without_the_note(read_page):
    assert not read_page("index.html").xpath('//p[@id="problems-shown"]')

def test_a_reason_names_the_veto_and_what_was_seen():
    stale = next(c for c in FAILED if c.id == "wx-10")
    assert problem_reason(stale) == "内容不更新：监测时间前两周内无更新"


def test_the_problem_list_comes_before_the_quarters_tallies(read_page):
    headings = [h.get("id") for h in read_page("index.html").xpath("//main//h2")]
    assert headings.index("h-problems") < headings.index("h-websites")


def test_the_index_lists_failing_entries_first_then_unchecked_then_passing(read_page):
    listed = rows(read_page("scorecards/index.html"))
    results = {c.url: c.result for c in LATEST}
    order = [results[target("scorecards/index.html", href)] for href in listed]
    assert order == sorted(order, key=["fail", "unchecked", "pass"].index)
    assert order[:len(FAILED)] == ["fail"] * len(FAILED)


@pytest.mark.parametrize("facet, text, wanted", [
    ("类别", "政务新媒体", lambda c: c.kind == "account"),
    ("类别", "信息公开专栏", lambda c: c.kind == "column"),
    ("结果", "不合格", lambda c: c.result == "fail"),
    ("结果", "合格", lambda c: c.result == "pass"),
    ("级别", "县级", lambda c: c.entry.level == "县级"),
])
def test_each_filter_is_a_static_page_linked_from_the_index(site, read_page, facet, text, wanted):
    index = read_page("scorecards/index.html")
    links = {a.text_content(): a.get("href") for a in index.xpath('//nav[@class="filters"]//li[span[starts-with(., $f)]]/a',
                                                                   f=facet)}
    expected = problems_first(c for c in LATEST if wanted(c))
    href = links[f"{text}（{len(expected)}）"]
    page = target("scorecards/index.html", href)
    doc = lxml.html.fromstring((site / page).read_text(encoding="utf-8"))
    assert [target(page, h) for h in rows(doc)] == [c.url for c in expected]
    assert doc.xpath("//h1")[0].text_content() == f"评分卡：{facet}为{text}"
    assert doc.xpath('//nav[@class="filters"]//a[@aria-current="page"]')[0].text_content().startswith(text)


def test_the_index_links_to_the_unit_pages_for_a_unit_filter(read_page):
    index = read_page("scorecards/index.html")
    assert index.xpath('//nav[@class="filters"]//a[@href="../units/index.html"]')


def test_a_unit_page_lists_its_failing_entries_first(read_page):
    census = Census(load_scorecards(FIXTURES))
    unit = next(u for u in census.units() if any(c.result == "fail" for c in u.scorecards)
                and any(c.result == "pass" and c.kind == "column" for c in u.scorecards))
    doc = read_page(unit.url)
    first_table = doc.xpath('//table[@data-sortable]')[0]
    results = [r.get("class") for r in first_table.xpath(".//tbody/tr")]
    assert results == sorted(results, key=lambda r: ["row-fail", "row-unchecked", "row-pass"].index(r))


def test_filter_pages_are_rebuilt_and_removed_with_the_data(content_dir, tmp_path):
    output = build_site(content_dir, tmp_path / "output")
    assert (output / "scorecards" / "kind-account.html").exists()
    for path in (content_dir / "scorecards" / "2020Q2" / "account").glob("*.md"):
        path.unlink()
    build_site(content_dir, output)
    assert not (output / "scorecards" / "kind-account.html").exists()
    assert "kind-account" not in (output / "sitemap.xml").read_text(encoding="utf-8")
    assert (output / "scorecards" / "kind-column.html").exists()


def test_a_reason_for_a_fail_by_deductions_names_the_points_lost_and_the_items():
    from govcensus_data.model import Deduction, Entry, Finding, Scorecard
    entry = Entry(id="s", kind="website", name="某网站", unit="某单位")
    findings = tuple(Finding(check="dead_links", code="dead_link_homepage", indicator="首页链接不可用", severity="deduction",
                             message=f"首页链接不可用：{n}") for n in range(3))
    card = Scorecard(period="2020Q2", period_start="", period_end="", as_of="", entry=entry, result="fail",
                     score=58.0, findings=findings,
                     deductions=(Deduction(item="首页链接不可用", findings=3, points=40.0),
                                 Deduction(item="其他页面链接不可用", findings=0, points=0.0)))
    assert problem_reason(card) == "扣分 40 分（首页链接不可用），得分 58 分，低于合格分（另有 2 项问题）"


def test_only_the_problems_the_home_page_shows_are_made_into_views(content_dir, tmp_path, monkeypatch):
    """The home page is rendered every build; a national quarter's thousands of failing entries are
    counted, and only the shown ones get their reason written."""
    from govcensus_site import views
    reasons = []
    real = views.problem_reason
    monkeypatch.setattr(views, "problem_reason", lambda card: reasons.append(card.url) or real(card))
    build_site(content_dir, tmp_path / "output", settings={"GOVCENSUS_HOME_PROBLEMS": 2})
    assert reasons == [c.url for c in problems_first(FAILED)][:2] and len(FAILED) > 2
