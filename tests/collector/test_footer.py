"""Footer marks as a visitor reads them: one set of patterns for the footer and decommissioned checks."""
from __future__ import annotations

from collector.footer import ICP_VALID, SITE_CODE_SHOWN, SITE_CODE_TEXT, marks_shown


def test_a_retired_page_shows_its_filing_and_site_code_however_spaced():
    html = "<html><body><p>主办：某县人民政府</p><p>滇ICP备 05001234 号 - 1 网站标识码：5309000021</p></body></html>"
    assert marks_shown(html) == {"icp": "滇ICP备05001234号-1", "site_code": "5309000021"}


def test_an_icp_licence_counts_as_shown_but_only_a_filing_is_well_formed():
    assert marks_shown("<p>京ICP证030173号</p>") == {"icp": "京ICP证030173号"}
    assert not ICP_VALID.match("京ICP证030173号")
    assert ICP_VALID.match("滇ICP备05001234号-1")


def test_nothing_shown_is_no_marks():
    assert marks_shown("<p>版权所有 某县人民政府</p>") == {}


def test_a_site_code_label_followed_by_something_else_is_seen_but_is_not_a_site_code():
    text = "网站标识码：53090000XX"
    assert SITE_CODE_TEXT.search(text).group(1) == "53090000XX"
    assert SITE_CODE_SHOWN.search(text) is None
    assert SITE_CODE_SHOWN.search("网站标识码 5309000001").group(1) == "5309000001"
