"""Long lists are split into pages of N rows with plain links between them (no JavaScript needed)."""
from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from govcensus_site import Census, build_site, load_scorecards
from govcensus_site.census import problems_first
from govcensus_site.incremental import last_build_stats
from govcensus_site.pagination import page_url, paginate

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scorecards"
ROWS = 25


def page(output: Path, relative: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((output / relative).read_text(encoding="utf-8"))


def follow(output: Path, first: str) -> list[str]:
    """Page addresses in the order the pager's 下一页 links lead through them, from the first."""
    seen = [first]
    while True:
        doc = page(output, seen[-1])
        nxt = doc.xpath('//nav[@class="pager"]//a[@rel="next"]/@href')
        if not nxt:
            return seen
        target = (output / Path(seen[-1]).parent / nxt[0]).resolve().relative_to(output.resolve()).as_posix()
        assert target not in seen
        seen.append(target)




def test_pages_hold_at_most_n_items_each_in_order():
    pages = paginate(list(range(53)), 25, "units/index.html")
    assert [p.url for p in pages] == ["units/index.html", "units/index-2.html", "units/index-3.html"]
    assert [list(p.items) for p in pages] == [list(range(25)), list(range(25, 50)), [50, 51, 52]]
    assert (pages[2].first, pages[2].last, pages[2].total) == (51, 53, 53)
    assert pages[0].previous_url is None and pages[0].next_url == "units/index-2.html" and pages[2].next_url is None


def test_an_empty_list_still_has_its_one_page_and_rows_must_be_positive():
    assert [(p.url, p.items) for p in paginate([], 10, "scorecards/index.html")] == [("scorecards/index.html", ())]
    assert page_url("units/u1.html", 3) == "units/u1-3.html"
    with pytest.raises(ValueError, match="at least 1"):
        paginate([1], 0, "x.html")


@pytest.fixture
def paged(content_dir, tmp_path) -> Path:
    return build_site(content_dir, tmp_path / "output", settings={"GOVCENSUS_PAGE_ROWS": ROWS})


def test_the_scorecard_index_pages_list_every_entry_of_the_latest_quarter_once_failing_first(paged):
    latest = problems_first(Census(load_scorecards(FIXTURES)).of_period("2020Q2"))
    urls = follow(paged, "scorecards/index.html")
    assert len(urls) == -(-len(latest) // ROWS) > 1
    rows = [a.get("href").removeprefix("../") for u in urls
            for a in page(paged, u).xpath('//table[@data-sortable]//tbody/tr/th/a')]
    assert rows == [c.url for c in latest]
    for u in urls:  # every page says how many there are in all, and where it is
        doc = page(paged, u)
        assert f"全部检查对象共 {len(latest)} 个" in doc.text_content()
        assert doc.xpath('//nav[@class="pager"]//a[@aria-current="page"]')[0].text_content() == str(urls.index(u) + 1)


def test_the_first_index_page_keeps_the_figures_and_every_filter_page_is_paged_like_the_index(paged):
    first, second = page(paged, "scorecards/index.html"), page(paged, "scorecards/index-2.html")
    assert first.xpath('//table[caption[contains(., "按平台")]]') and not second.xpath('//table[caption[contains(., "按平台")]]')
    links = {a.text_content(): a.get("href").removeprefix("../") for a in first.xpath('//nav[@class="filters"]//a')}
    accounts = next(href for text, href in links.items() if text.startswith("政务新媒体"))
    latest = problems_first(Census(load_scorecards(FIXTURES)).of_period("2020Q2"))
    wanted = [c.url for c in latest if c.kind == "account"]
    assert len(wanted) > ROWS and links[f"政务新媒体（{len(wanted)}）"] == accounts
    urls = follow(paged, accounts)
    assert len(urls) == -(-len(wanted) // ROWS)
    assert [a.get("href").removeprefix("../") for u in urls
            for a in page(paged, u).xpath('//table[@data-sortable]//tbody/tr/th/a')] == wanted


def test_the_units_index_and_a_big_unit_are_paged_too(content_dir, tmp_path):
    output = build_site(content_dir, tmp_path / "output", settings={"GOVCENSUS_PAGE_ROWS": 3})
    census = Census(load_scorecards(FIXTURES))
    units = census.units()
    assert len(follow(output, "units/index.html")) == -(-len(units) // 3)
    big = max(units, key=lambda u: len(u.scorecards))
    assert len(big.scorecards) > 3
    urls = follow(output, big.url)
    rows = [a.get("href").removeprefix("../") for u in urls for a in page(output, u).xpath("//tbody/tr/th/a")
            if a.get("href").startswith("../scorecards/")]
    assert sorted(rows) == sorted(c.url for c in big.scorecards)


def test_paged_lists_meet_the_accessibility_basics(paged):
    for path in sorted(paged.glob("scorecards/index*.html")) + sorted(paged.glob("units/index*.html")):
        doc = lxml.html.fromstring(path.read_text(encoding="utf-8"))
        assert len(doc.xpath("//h1")) == 1 and doc.get("lang") == "zh-CN", path
        assert all(th.get("scope") in ("col", "row") for th in doc.xpath("//th")), path
        for nav in doc.xpath('//nav[@class="pager"]'):
            assert nav.get("aria-label"), path
            assert len(nav.xpath('.//a[@aria-current="page"]')) == 1, path


def test_fewer_pages_after_a_change_leave_no_orphan_pages_behind(content_dir, tmp_path):
    output = build_site(content_dir, tmp_path / "output", settings={"GOVCENSUS_PAGE_ROWS": ROWS})
    assert (output / "scorecards" / "index-3.html").exists()
    build_site(content_dir, output, settings={"GOVCENSUS_PAGE_ROWS": 1000})
    assert sorted(p.name for p in (output / "scorecards").glob("index*.html")) == ["index.html"]
    assert last_build_stats(output)["removed"] >= 2
    assert "index-2.html" not in (output / "sitemap.xml").read_text(encoding="utf-8")
