"""Builds the real site once per session from the fixture data files and the staff examples."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import lxml.html
import pytest

REPO = Path(__file__).resolve().parents[2]
# The venv's editable install was made before govcensus_site had an __init__.py and maps it as a
# namespace package; until it is reinstalled (or pytest gets pythonpath = ["."]), import from the tree.
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from govcensus_site import build_site  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures" / "scorecards"


def make_content(root: Path) -> Path:
    """A content dir like the repository's: staff pages and notices plus generated scorecards."""
    content = root / "content"
    shutil.copytree(REPO / "content" / "pages", content / "pages")
    shutil.copytree(REPO / "content" / "notices", content / "notices")
    shutil.copytree(FIXTURES, content / "scorecards")
    return content


@pytest.fixture
def content_dir(tmp_path) -> Path:
    return make_content(tmp_path)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("site")
    return build_site(make_content(root), root / "output")


@pytest.fixture(scope="session")
def read_page(site):
    def read(relative: str) -> lxml.html.HtmlElement:
        return lxml.html.fromstring((site / relative).read_text(encoding="utf-8"))
    return read
