"""Search, large text and print in a real browser (Debian chromium through Playwright, the site served
from loopback): Pagefind finds a unit by its Chinese name; without JavaScript the search page points
to the lists; 大字版 enlarges a page without JavaScript; a circular prints on A4 without the site's
navigation. The Pagefind index is built once, on the session's fixture site."""
from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.site.served import serving
from pypdf import PdfReader

from govcensus_site import load_rectification_statuses, unit_slug
from tests.site.chromium import needs_chromium

pytestmark = [pytest.mark.browser, needs_chromium]
UNIT = "临沧市水务局"
EXTRAS = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "site"


@pytest.fixture(scope="module")
def indexed_site(site):
    """The fixture site with its search index, built as `make site` builds it."""
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--quiet"], check=True, timeout=300)
    return site


@pytest.fixture(scope="module")
def served(indexed_site) -> Iterator[str]:
    with serving(indexed_site) as base:
        yield base


def open_page(browser, url: str, javascript: bool = True):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=javascript)
    page = context.new_page()
    hosts: list[str] = []
    page.on("request", lambda request: hosts.append(request.url.split("/")[2].split(":")[0]))
    page.goto(url)
    return page, hosts


def font_px(page, selector: str) -> float:
    return page.eval_on_selector(selector, "e => parseFloat(getComputedStyle(e).fontSize)")


# --------------------------------------------------------------------------- search

def test_the_index_covers_content_pages_but_not_lists_drafts_or_the_home_page(indexed_site):
    def indexed(path: str) -> bool:
        return "data-pagefind-body" in (indexed_site / path).read_text(encoding="utf-8")
    assert indexed(f"units/{unit_slug(UNIT)}.html") and indexed("scorecards/2020Q2/5309000010.html")
    assert indexed("circulars/2020q2.html") and indexed("rectification.html")
    assert not any(indexed(p) for p in ("index.html", "units/index.html", "scorecards/index.html", "404.html",
                                        "drafts/2020q2-new-draft.html", "search.html"))
    assert (indexed_site / "pagefind" / "pagefind-ui.js").is_file()


def test_typing_a_unit_s_chinese_name_finds_its_pages(browser, served):
    page, hosts = open_page(browser, f"{served}/search.html")
    page.fill(".pagefind-ui__search-input", "水务局")
    page.wait_for_selector(f'.pagefind-ui__result-link[href*="{unit_slug(UNIT)}"]', timeout=20_000)
    page.wait_for_selector('.pagefind-ui__result-link[href*="5309000010"]', timeout=20_000)
    assert set(hosts) == {"127.0.0.1"}


def test_the_header_search_box_carries_the_words_to_the_search_page(browser, served):
    page, _ = open_page(browser, f"{served}/methodology.html")
    page.fill("#site-search", "水务局")
    page.press("#site-search", "Enter")
    page.wait_for_selector(f'.pagefind-ui__result-link[href*="{unit_slug(UNIT)}"]', timeout=20_000)
    assert "search.html?q=" in page.url
    assert page.input_value(".pagefind-ui__search-input") == "水务局"


def test_without_javascript_the_search_page_says_so_and_points_to_the_lists(browser, served):
    page, _ = open_page(browser, f"{served}/search.html?q=水务局", javascript=False)
    text = page.inner_text("main")
    assert "需要浏览器启用 JavaScript" in text
    assert page.locator('main a[href$="units/index.html"]').count() == 1


# --------------------------------------------------------------------------- large text and print

def test_the_large_text_link_enlarges_the_page_without_javascript_and_the_standard_link_restores_it(browser, served):
    page, _ = open_page(browser, f"{served}/methodology.html", javascript=False)
    before = font_px(page, "main p")
    page.click("a.large-on")
    assert page.url.endswith("#large-text")
    assert font_px(page, "main p") >= before * 1.3
    assert page.locator("a.large-off").is_visible() and not page.locator("a.large-on").is_visible()
    page.click("a.large-off")
    assert font_px(page, "main p") == before


def test_a_circular_prints_on_a4_without_navigation(browser, served):
    page, _ = open_page(browser, f"{served}/circulars/2020q2.html")
    page.emulate_media(media="print")
    assert not page.locator(".site-header nav").is_visible() and not page.locator(".search-box").is_visible()
    assert not page.locator(".doc-links").is_visible()
    assert font_px(page, ".doc-title") == pytest.approx(22 * 96 / 72, abs=0.5)   # 22 pt
    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    box = pdf.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)
    text = "".join(p.extract_text() for p in pdf.pages)
    assert "抄送" in text and "站内搜索" not in text and "大字版" not in text


# --------------------------------------------------------------------------- rectification

def test_the_rectification_page_has_one_row_per_problem_and_says_how_and_when_one_closed(browser, served):
    status = load_rectification_statuses(EXTRAS / "rectification-status")[-1]
    page, _ = open_page(browser, f"{served}/rectification.html", javascript=False)
    rows = page.locator("table.rectification-table tbody tr")
    assert rows.count() == status.counts["total"] == len({i.id for i in status.items})
    [closed] = [i for i in status.items if i.status == "rectified"]
    row = page.locator("tr.rect-rectified")
    assert row.count() == 1
    assert f"工作人员核实，{closed.rectified_on}" in row.inner_text()
    assert "不重复计数" in page.inner_text("main .lead")
