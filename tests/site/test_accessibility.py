"""Every type of page of the built site meets WCAG 2.1 A and AA as axe-core judges it in a real browser.

axe-core (axe-playwright-python) runs in Debian chromium over one page of each type, at a phone width
(375 px) and a desktop width (1280 px). Page types are found in the built output, not listed by hand,
so a new kind of page is checked as soon as the site writes one; the types the portal must have are
listed, and a build that lacks a sample of one fails.

At 375 px wide tables scroll sideways inside their figure, and axe leaves the contrast of cells
scrolled out of view undecided ("incomplete"); the same cells, with the same styles, are decided at
1280 px.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import pytest

from govcensus_site.loading import load_scorecards
from tests.site.served import serving
from tests.site.chromium import needs_chromium

pytestmark = [pytest.mark.browser, needs_chromium]

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = (375, 1280)
HEIGHT = 800

PERIOD = re.compile(r"\d{4}Q[1-4]")
NOT_PAGES = ("theme",)  # the theme's static files are not pages of the site

# The page types of the portal, as page_type names them; a build without a sample of one fails.
REQUIRED = {
    "index.html": "首页",
    "scorecards/index.html": "评分卡总表",
    "scorecards/index-N.html": "评分卡总表的后续页",
    "scorecard website": "网站评分卡",
    "scorecard column": "栏目评分卡",
    "scorecard account": "新媒体账号评分卡",
    "scorecard message_platform": "留言平台评分卡",
    "scorecard fail": "不合格的评分卡",
    "scorecard veto": "单项否决的评分卡",
    "scorecard unchecked": "未检查的评分卡",
    "units/index.html": "责任单位总表",
    "units/<item>.html": "责任单位",
    "circulars/index.html": "通报列表",
    "circulars/<item>.html": "已发布的通报",
    "drafts/<item>.html": "通报草稿预览",
    "notices/index.html": "公告（归档）",
    "notices/<item>.html": "公告",
    "messages/<period>.html": "留言办理",
    "rectification.html": "整改",
    "methodology.html": "方法说明",
    "opendata.html": "开放数据",
    "about.html": "关于",
    "404.html": "404",
}


def page_type(relative: PurePosixPath, output: Path) -> str:
    """A page's type from its address: top-level pages are each a type; below, a folder's list
    (index.html), the list's later pages (index-N.html), a page per item, and an item's later pages.
    Quarters in the path are one type (`<period>`)."""
    if len(relative.parts) == 1:
        return relative.name
    folder = "/".join("<period>" if PERIOD.fullmatch(part) else part for part in relative.parts[:-1])
    stem = relative.stem
    paged = re.fullmatch(r"(.+)-(\d+)", stem)
    if stem == "index":
        name = "index.html"
    elif paged and paged[1] == "index":
        name = "index-N.html"
    elif paged and (output / relative.parent / f"{paged[1]}.html").is_file():
        name = "<item>-N.html"
    elif PERIOD.fullmatch(stem):
        name = "<period>.html"
    else:
        name = "<item>.html"
    return f"{folder}/{name}"


def scorecard_types(content: Path, output: Path) -> dict[str, str]:
    """Scorecard pages share one address pattern; their sections differ by kind and result, so a
    scorecard page is sampled per kind and per result (failing, vetoed, unchecked). A past quarter's
    scorecards have no page of their own (a row of its compact list, a page type of its own)."""
    samples: dict[str, str] = {}
    for card in load_scorecards(content / "scorecards"):
        if not (output / card.url).is_file():
            continue  # a past quarter's scorecard is a row of its compact list (archive.py), sampled as that list
        kinds = [f"scorecard {card.kind}"]
        if card.result in ("fail", "unchecked"):
            kinds.append(f"scorecard {card.result}")
        if card.vetoes or card.veto_items:
            kinds.append("scorecard veto")
        if card.blocked:
            kinds.append("scorecard blocked")
        for kind in kinds:
            samples.setdefault(kind, card.url)
    return samples


def samples_of_every_type(content: Path, output: Path) -> dict[str, str]:
    """One page (site-relative) per page type, the first in path order."""
    samples: dict[str, str] = {}
    for path in sorted(output.rglob("*.html")):
        relative = PurePosixPath(path.relative_to(output).as_posix())
        if relative.parts[0] in NOT_PAGES:
            continue
        samples.setdefault(page_type(relative, output), relative.as_posix())
    scorecards = samples.pop("scorecards/<period>/<item>.html", None)
    by_kind = scorecard_types(content, output)
    if scorecards is not None and not by_kind:
        by_kind["scorecard"] = scorecards
    return samples | by_kind


@pytest.fixture(scope="module")
def served(every_page_type_site) -> Iterator[str]:
    with serving(every_page_type_site[1]) as base:
        yield base


def violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A+AA violations on the page as loaded."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA},
                                       "resultTypes": ["violations"]})
    return results.response["violations"]


def report(found: dict[str, list[dict]]) -> str:
    """Every violation as `page: rule (impact): selectors - what axe found`, one target per line."""
    lines = []
    for where, items in found.items():
        for violation in items:
            for node in violation["nodes"]:
                target = " ".join(str(t) for t in node["target"])
                checks = node.get("any", []) + node.get("all", []) + node.get("none", [])
                why = checks[0]["message"] if checks else violation["help"]
                lines.append(f"{where}: {violation['id']} ({violation.get('impact')}): {target} - {why}")
    return "\n".join(lines)


def test_page_types_are_read_from_addresses(tmp_path):
    (tmp_path / "units").mkdir()
    (tmp_path / "units" / "u1.html").touch()
    assert page_type(PurePosixPath("index.html"), tmp_path) == "index.html"
    assert page_type(PurePosixPath("scorecards/index-3.html"), tmp_path) == "scorecards/index-N.html"
    assert page_type(PurePosixPath("scorecards/2020Q2/wb-01.html"), tmp_path) == "scorecards/<period>/<item>.html"
    assert page_type(PurePosixPath("units/u1-2.html"), tmp_path) == "units/<item>-N.html"
    assert page_type(PurePosixPath("circulars/2020q2-new-draft.html"), tmp_path) == "circulars/<item>.html"
    assert page_type(PurePosixPath("messages/2020Q2.html"), tmp_path) == "messages/<period>.html"


def test_the_build_has_a_page_of_every_type(every_page_type_site):
    content, output = every_page_type_site
    samples = samples_of_every_type(content, output)
    missing = {key: what for key, what in REQUIRED.items() if key not in samples}
    assert not missing, f"no page of these types in the build: {missing}"
    assert all((output / relative).is_file() for relative in samples.values())


def test_axe_reports_what_breaks_wcag_on_a_page_made_to_break_it(browser, tmp_path):
    """The check can fail: a page without a language, with an image without text and grey on grey."""
    (tmp_path / "index.html").write_text(
        '<!DOCTYPE html><html><head><title>x</title></head><body><main><img src="a.png">'
        '<p style="color:#bbb;background:#fff">浅灰色的字</p></main></body></html>', encoding="utf-8")
    with serving(tmp_path) as base:
        context = browser.new_context(viewport={"width": 1280, "height": HEIGHT})
        page = context.new_page()
        page.goto(f"{base}/index.html")
        found = {"index.html": violations(page)}
        context.close()
    assert {"html-has-lang", "image-alt", "color-contrast"} <= {v["id"] for v in found["index.html"]}
    assert "index.html: image-alt (critical): img - " in report(found)
    assert "insufficient color contrast" in report(found)


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_type_has_no_wcag_21_aa_violations(browser, served, every_page_type_site, width):
    content, output = every_page_type_site
    pages: dict[str, list[str]] = {}
    for kind, relative in sorted(samples_of_every_type(content, output).items()):
        pages.setdefault(relative, []).append(kind)
    context = browser.new_context(viewport={"width": width, "height": HEIGHT})
    page = context.new_page()
    found: dict[str, list[dict]] = {}
    try:
        for relative, kinds in pages.items():
            response = page.goto(f"{served}/{relative}")
            assert response is not None and response.ok, relative
            if items := violations(page):
                found[f"{relative} [{', '.join(kinds)}] @{width}px"] = items
    finally:
        context.close()
    assert not found, f"WCAG 2.1 AA violations at {width} px:\n{report(found)}"
