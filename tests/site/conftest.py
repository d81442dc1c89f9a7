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
