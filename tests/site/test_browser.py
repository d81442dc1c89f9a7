"""The built site in a real browser: Debian chromium driven by Playwright, served from loopback.

Chromium is installed by `make test` (scripts/ensure-chromium.sh). Where it cannot be, these tests
skip, except under CI, where a missing browser is a failure.
"""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

CHROMIUM = shutil.which("chromium")
if CHROMIUM is None and os.environ.get("CI"):
    pytest.fail("chromium is missing under CI: make test installs it with apt-get", pytrace=False)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed")

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def served_site(site) -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.RequestHandlerClass.log_message = lambda *args: None  # type: ignore[method-assign]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


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
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.RequestHandlerClass.log_message = lambda *args: None  # type: ignore[method-assign]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


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
