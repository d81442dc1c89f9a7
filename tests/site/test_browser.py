"""The built site in a real browser: Debian chromium driven by Playwright, served from loopback.

Chromium is installed by `make test` (scripts/ensure-chromium.sh). Where it cannot be, these tests
skip, except under CI, where a missing browser is a failure.
"""
from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from tests.site.served import serving
from tests.site.chromium import needs_chromium

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def served_site(site) -> Iterator[str]:
    with serving(site) as base:
        yield base


def open_page(browser, url: str, width: int = 1280, javascript: bool = True):
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=javascript)
    page = context.new_page()
    hosts: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: hosts.append(urlsplit(request.url).hostname or ""))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    return page, hosts, errors


def test_the_home_page_renders_chinese_and_loads_nothing_from_other_hosts(browser, served_site, tmp_path):
    page, hosts, errors = open_page(browser, f"{served_site}/index.html")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert "合格率" in page.inner_text("main")
    assert set(hosts) == {"127.0.0.1"} and errors == []
    page.screenshot(path=str(tmp_path / "home.png"), full_page=True)
    assert (tmp_path / "home.png").stat().st_size > 10_000


def test_pages_fit_a_phone_screen_without_sideways_scrolling(browser, served_site):
    for path in ("index.html", "scorecards/index.html", "methodology.html"):
        page, _, _ = open_page(browser, f"{served_site}/{path}", width=390)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, path


def test_the_scorecard_index_reads_without_javascript(browser, served_site):
    page, _, _ = open_page(browser, f"{served_site}/scorecards/index.html", javascript=False)
    assert page.locator("table tbody tr").count() > 100


def test_the_skip_link_is_the_first_stop_of_the_keyboard(browser, served_site):
    page, _, _ = open_page(browser, f"{served_site}/index.html")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused and focused.startswith("#")


@pytest.fixture
def served_paged_site(content_dir, tmp_path) -> Iterator[str]:
    """The fixture site with the scorecard index split into pages of 25 rows."""
    from govcensus_site import build_site

    output = build_site(content_dir, tmp_path / "output", settings={"GOVCENSUS_PAGE_ROWS": 25})
    with serving(output) as base:
        yield base


def test_the_paged_index_is_read_page_by_page_without_javascript(browser, served_paged_site):
    page, hosts, _ = open_page(browser, f"{served_paged_site}/scorecards/index.html", javascript=False)
    names = page.locator("table[data-sortable] tbody th").all_inner_texts()
    page.get_by_role("link", name="下一页").first.click()
    assert page.url.endswith("/scorecards/index-2.html")
    assert page.locator('nav.pager a[aria-current="page"]').inner_text() == "2"
    following = page.locator("table[data-sortable] tbody th").all_inner_texts()
    assert len(names) == len(following) == 25 and not set(names) & set(following)
    page.get_by_role("link", name="上一页").first.click()
    assert page.url.endswith("/scorecards/index.html") and set(hosts) == {"127.0.0.1"}


def test_the_paged_index_fits_a_phone_screen(browser, served_paged_site):
    page, _, _ = open_page(browser, f"{served_paged_site}/scorecards/index.html", width=390)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1


# --------------------------------------------------------------------------- phones, problems first, charts

PHONE = 375
PHONE_HEIGHT = 667

#: every element's box against the viewport: what sticks out to the right, is wider than the screen, or holds
#: text that runs past the screen where nothing scrolls it
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    // or text that runs out of its own box (an address that will not wrap), where nothing scrolls it
    const spills = el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0
                   && getComputedStyle(el).overflowX === 'visible' && box.right + el.scrollWidth - el.clientWidth > width + 1;
    if (box.right > width + 1 || box.width > width + 1 || spills) {
      out.push(el.tagName.toLowerCase() + (el.className && el.className.baseVal === undefined ? '.' + el.className : '')
               + ' ' + Math.round(box.right));
    }
  }
  return out;
}"""

#: the size SVG text is drawn at on screen: its font size times the SVG's scale
SVG_TEXT_SIZES = """() => Array.from(document.querySelectorAll('svg text')).map(t => {
  const scale = t.ownerSVGElement.getScreenCTM().a;
  return parseFloat(getComputedStyle(t).fontSize) * scale;
})"""


@pytest.fixture(scope="module")
def served_two_quarters(tmp_path_factory) -> Iterator[str]:
    """The fixture site with a quarter before it, a per-day series and look-alike accounts."""
    from govcensus_site import build_site
    from tests.site.conftest import make_content
    from tests.site.twoquarters import make_two_quarters

    root = tmp_path_factory.mktemp("phone")
    output = build_site(make_two_quarters(make_content(root)), root / "output")
    with serving(output) as base:
        yield base


def phone(browser, url: str, javascript: bool = True):
    context = browser.new_context(viewport={"width": PHONE, "height": PHONE_HEIGHT}, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(url)
    return page


@pytest.mark.browser
@pytest.mark.parametrize("path", ["index.html", "scorecards/index.html", "scorecards/result-fail.html",
                                  "scorecards/kind-account.html", "units/index.html", "scorecards/2020Q2/5309000001.html",
                                  "scorecards/2020Q2/lc-zfxxgk-col14.html", "scorecards/2020Q2/5309000010.html",
                                  "messages/2020Q2.html", "rectification.html", "methodology.html"])
def test_at_375_px_no_element_is_wider_than_the_screen(browser, served_two_quarters, path):
    page = phone(browser, f"{served_two_quarters}/{path}")
    assert page.evaluate(OVERFLOWING) == []
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 1


@pytest.mark.browser
def test_at_375_px_the_home_page_answers_which_entries_failed_within_two_screens(browser, served_two_quarters):
    page = phone(browser, f"{served_two_quarters}/index.html")
    problems = page.locator("#problems ol.problem-list")
    box = problems.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 2 * PHONE_HEIGHT
    items = page.locator("#problems li.problem")
    assert items.count() >= 5
    for n in range(items.count()):  # each with its reason, readable without sideways scrolling
        reason = items.nth(n).locator(".problem-reason").bounding_box()
        assert reason["x"] >= 0 and reason["x"] + reason["width"] <= PHONE


@pytest.mark.browser
def test_at_375_px_index_rows_are_cards_with_their_result_in_view(browser, served_two_quarters):
    page = phone(browser, f"{served_two_quarters}/scorecards/index.html", javascript=False)
    first = page.locator("table[data-sortable] tbody tr").first
    result = first.locator('td[data-label="结果"]')
    assert result.inner_text().strip() == "不合格"
    box, row = result.bounding_box(), first.bounding_box()
    assert box["x"] + box["width"] <= PHONE and row["width"] <= PHONE
    # each cell says which column it is, since the header row is out of sight
    assert page.evaluate("getComputedStyle(document.querySelector('table[data-sortable] td[data-label]'), '::before').content") == '"结果："'
    assert page.locator("table[data-sortable] thead").bounding_box()["height"] <= 1
    name = first.locator("th").bounding_box()
    assert name["width"] > 0.8 * PHONE  # the name has the card's whole width, not a column two characters wide


@pytest.mark.browser
def test_on_a_desktop_the_index_stays_a_table(browser, served_two_quarters):
    page, _, _ = open_page(browser, f"{served_two_quarters}/scorecards/index.html")
    assert page.evaluate("getComputedStyle(document.querySelector('table.stack tr')).display") == "table-row"


@pytest.mark.browser
@pytest.mark.parametrize("path", ["messages/2020Q2.html", "scorecards/2020Q2/5309000001.html"])
def test_chart_text_stays_at_least_12_px_on_a_phone(browser, served_two_quarters, path):
    page = phone(browser, f"{served_two_quarters}/{path}")
    sizes = page.evaluate(SVG_TEXT_SIZES)
    assert sizes and min(sizes) >= 12, sizes


@pytest.mark.browser
def test_filters_work_without_javascript(browser, served_two_quarters):
    page = phone(browser, f"{served_two_quarters}/scorecards/index.html", javascript=False)
    page.locator("nav.filters").get_by_role("link", name="不合格", exact=False).first.click()
    assert page.url.endswith("/scorecards/result-fail.html")
    results = page.locator('table[data-sortable] td[data-label="结果"]').all_inner_texts()
    assert results and {r.strip() for r in results} == {"不合格"}


@pytest.mark.browser
def test_with_javascript_the_index_can_be_narrowed_by_typing(browser, served_two_quarters):
    page, _, errors = open_page(browser, f"{served_two_quarters}/scorecards/index.html")
    total = page.locator("table[data-sortable] tbody tr").count()
    page.fill("#table-filter-0", "临沧市民政局 微博")
    visible = page.locator("table[data-sortable] tbody tr:visible")
    assert visible.count() == 1 < total and errors == []
    assert visible.first.locator("th").inner_text() == "临沧市民政局（微博）"


@pytest.fixture
def served_long_figures(content_dir, tmp_path) -> Iterator[str]:
    """A website's scorecard with figures as the checks write them today: a column table whose rows
    carry long addresses, and a figure whose label is a long sentence (限流或拦截：HTTP 429 …)."""
    import yaml

    from govcensus_data.model import yaml_dumper, yaml_loader
    from govcensus_site import build_site

    path = content_dir / "scorecards" / "2020Q2" / "website" / "5309000001.md"
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    meta = yaml.load(front, Loader=yaml_loader())
    meta["checks"]["column_freshness"]["figures"] = {"columns": 2, "by_column": [
        {"name": name, "type": name, "state": "ok", "read_via": ["list"], "items": 20, "newest": "2020-06-29",
         "age_days": 1, "url": f"http://www.lincang.gov.cn/zwgk/xxgkml/{name_path}/index_zfxxgk_lcsrmzf.html"}
        for name, name_path in (("通知公告", "tongzhigonggao20200630"), ("政策文件", "zhengcewenjian20200630"))]}
    meta["checks"]["reachability"]["figures"]["blocked"] = {"HTTP 429 请求过于频繁（限流）": 3}
    path.write_text(f"---\n{yaml.dump(meta, Dumper=yaml_dumper(), allow_unicode=True, sort_keys=False)}---\n{body}",
                    encoding="utf-8")
    output = build_site(content_dir, tmp_path / "output")
    with serving(output) as base:
        yield base


@pytest.mark.browser
def test_at_375_px_long_addresses_and_long_figure_labels_wrap_inside_the_screen(browser, served_long_figures):
    page = phone(browser, f"{served_long_figures}/scorecards/2020Q2/5309000001.html")
    assert "index_zfxxgk_lcsrmzf.html" in page.inner_text("#check-column_freshness")
    assert page.evaluate(OVERFLOWING) == []
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 1


@pytest.mark.browser
def test_at_375_px_every_scorecard_of_the_demo_world_fits_the_screen(browser, demo):
    """Scorecards as the collector writes them today (the fixture files keep older shapes too)."""
    pages = sorted((demo / "output" / "scorecards").glob("20*/*.html"))
    assert len(pages) > 50
    context = browser.new_context(viewport={"width": PHONE, "height": PHONE_HEIGHT})
    page = context.new_page()
    wide = {}
    with serving(demo / "output") as base:
        for path in pages:
            page.goto(f"{base}/{path.relative_to(demo / 'output').as_posix()}")
            # text wider than its box (an address that will not wrap) shows only in the page's width
            sideways = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            found = page.evaluate(OVERFLOWING)
            if found or sideways > 1:
                wide[path.name] = (sideways, found[:3])
    context.close()
    assert wide == {}
