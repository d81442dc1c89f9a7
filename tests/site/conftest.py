"""Builds the real site once per session from the fixture data files and the staff examples."""
from __future__ import annotations

import shutil
from pathlib import Path

import lxml.html
import pytest

from collector.periods import Period
from collector.profile import load_profile
from collector.summarize.catalogue import write_catalogue
from govcensus_site import build_site

REPO = Path(__file__).resolve().parents[2]

FIXTURES = REPO / "tests" / "fixtures" / "scorecards"
# Circulars (one published, one draft), message statistics and rectification status, written by the
# collector's own writers (tests/fixtures/make_site_extras.py).
EXTRAS = REPO / "tests" / "fixtures" / "site"


def make_content(root: Path) -> Path:
    """A content dir like the repository's: staff pages, notices and the circular template, plus
    generated scorecards, circulars, message statistics and rectification status, and the catalogue
    `collector summarize` writes beside them (from the checks' declarations as they are now)."""
    content = root / "content"
    shutil.copytree(REPO / "content" / "pages", content / "pages")
    shutil.copytree(REPO / "content" / "notices", content / "notices")
    shutil.copytree(REPO / "content" / "circulars" / "templates", content / "circulars" / "templates")
    shutil.copytree(FIXTURES, content / "scorecards")
    for folder in ("circulars", "messages", "rectification-status"):
        shutil.copytree(EXTRAS / folder, content / folder, dirs_exist_ok=True)
    write_catalogue(Period.parse("2020Q2"), load_profile(), content)
    return content


@pytest.fixture
def content_dir(tmp_path) -> Path:
    return make_content(tmp_path)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("site")
    return build_site(make_content(root), root / "output")


@pytest.fixture(scope="session")
def published_site(tmp_path_factory) -> Path:
    """The same content built with publishconf.py, as the public site is."""
    root = tmp_path_factory.mktemp("published")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GOVCENSUS_SITEURL", "https://census.example.test/lincang/")
        return build_site(make_content(root), root / "output", "publishconf.py")


@pytest.fixture(scope="session")
def read_page(site):
    def read(relative: str) -> lxml.html.HtmlElement:
        return lxml.html.fromstring((site / relative).read_text(encoding="utf-8"))
    return read


# The fixture quarter judges every entry; a scorecard the quarter could not judge (未检查), whose
# visits met a rate limit and a firewall (检查受限), has sections of its own on its page.
UNCHECKED_CARD = "2020Q2/website/5309270001.md"
UNCHECKED_FRONT_MATTER = """
result: unchecked
score: null
unchecked_reasons: ['首页可访问性：7 天内有效访问最多 1 次，不足判定所需的 70 次', '首页更新：未能检查：connect ×1']
blocked:
  - {check: reachability, title: 首页可访问性, count: 3, reasons: {'HTTP 429 请求过于频繁（限流）': 2, 安全狗网站防火墙拦截或验证页: 1}}
"""


def make_unchecked(content: Path) -> None:
    path = content / "scorecards" / UNCHECKED_CARD
    text = path.read_text(encoding="utf-8")
    if "\nresult: pass\n" not in text:
        raise AssertionError(f"{path}: expected a passing scorecard to turn into an unchecked one")
    path.write_text(text.replace("\nresult: pass\n", UNCHECKED_FRONT_MATTER, 1), encoding="utf-8")


@pytest.fixture(scope="session")
def every_page_type_site(tmp_path_factory) -> tuple[Path, Path]:
    """(content, output): the fixture site with lists split into pages of 25 rows and one unchecked
    scorecard, so one build has a page of every type for the browser tests that visit each."""
    root = tmp_path_factory.mktemp("every-page-type")
    content = make_content(root)
    make_unchecked(content)
    return content, build_site(content, root / "output", settings={"GOVCENSUS_PAGE_ROWS": 25})


@pytest.fixture(scope="module")
def browser():
    """Debian chromium through Playwright, one per test module (tests/site/chromium.py)."""
    from tests.site.chromium import launched

    with launched() as instance:
        yield instance
