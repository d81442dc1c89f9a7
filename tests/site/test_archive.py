"""Past quarters as compact lists (govcensus_site/archive.py): what a national site for two years keeps."""
from __future__ import annotations

import gzip
import re
import shutil
from pathlib import Path

import lxml.html
import pytest

from govcensus_site import build_site, load_scorecards
from govcensus_site.archive import SETTING, archive, full_quarters, is_archived
from tests.site.links import broken_links

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "scorecards"
PAST, CURRENT = "2020Q1", "2020Q2"


def page(site: Path, relative: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((site / relative).read_text(encoding="utf-8"))


def test_a_past_quarter_is_one_compact_list_with_a_row_per_entry_and_no_scorecard_pages(site):
    past = [c for c in load_scorecards(FIXTURES) if c.period == PAST]
    assert past
    assert sorted(p.name for p in (site / "scorecards" / PAST).iterdir()) == ["index.html"]
    listing = page(site, f"scorecards/{PAST}/index.html")
    for card in past:
        row = listing.get_element_by_id(f"e-{card.id}")
        cells = [c.text_content() for c in row.xpath("th|td")]
        assert cells[0] == card.entry.name and cells[3] == {"pass": "合格", "fail": "不合格"}[card.result]
        assert cells[2] == card.entry.unit
        assert cells[5] == str(len(card.findings))
    # The detail of a past quarter is its open data, which the list links.
    assert listing.xpath(f'//a[@href="../../opendata.html#files-{PAST}"]')
    assert (site / "data" / PAST / "findings.csv.gz").is_file()


def test_a_past_quarters_open_data_is_gzipped_and_the_current_quarters_is_plain(site):
    past = sorted(p.name for p in (site / "data" / PAST).iterdir())
    assert "findings.csv.gz" in past and "scorecards.json.gz" in past and "datapackage.json" in past
    assert [n for n in past if not n.endswith(".gz")] == ["datapackage.json"]
    current = sorted(p.name for p in (site / "data" / CURRENT).iterdir())
    assert "findings.csv" in current and not any(n.endswith(".gz") for n in current)
    packed = (site / "data" / PAST / "scorecards.csv.gz").read_bytes()
    assert gzip.decompress(packed).decode("utf-8-sig").splitlines()[0].startswith("entry_id,period,")
    assert packed[4:8] == b"\0\0\0\0"  # no timestamp: the same rows give the same bytes


def test_the_current_scorecards_history_leads_to_the_past_quarters_row(site):
    card = page(site, f"scorecards/{CURRENT}/5309210001.html")
    history = card.get_element_by_id("h-history").getparent()
    assert history.xpath('.//a/@href') == [f"../../scorecards/{PAST}/index.html#e-5309210001"]


def test_the_scorecard_index_lists_the_past_quarters(site):
    index = page(site, "scorecards/index.html")
    assert index.xpath('//nav[@aria-label="往期评分卡"]//a/@href') == [f"../scorecards/{PAST}/index.html"]


def test_no_internal_link_is_broken_and_every_anchor_exists(site):
    """Every relative href and src of every page names a file in the output, and its #fragment an id there."""
    broken, ids = broken_links(site)
    assert broken == []
    assert any(f"{PAST}/index.html" in str(p) for p in ids)  # the rows were among the anchors checked


def test_the_current_quarter_is_what_it_was_before_past_quarters_were_compacted(site, content_dir, tmp_path):
    """With every quarter kept full, the current quarter's pages differ only in where 历次结果 points."""
    full = build_site(content_dir, tmp_path / "output", settings={SETTING: 2})
    current = sorted(p.name for p in (site / "scorecards" / CURRENT).glob("*.html"))
    assert current == sorted(p.name for p in (full / "scorecards" / CURRENT).glob("*.html")) and current
    moved = re.compile(rf'scorecards/{PAST}/(index\.html#e-)?(?P<id>[^".]+)(\.html)?"')
    differ = []
    for name in current:
        compact = (site / "scorecards" / CURRENT / name).read_text(encoding="utf-8")
        whole = (full / "scorecards" / CURRENT / name).read_text(encoding="utf-8")
        if compact != whole:
            differ.append(name)
            assert moved.sub(r"\g<id>", compact) == moved.sub(r"\g<id>", whole), name
    assert differ  # the websites with a 2020Q1 history
    # Kept full, the earlier quarter has its pages and no compact list.
    assert (full / "scorecards" / PAST / "5309210001.html").is_file()
    assert not (full / "scorecards" / PAST / "index.html").exists()


def test_rows_are_paged_and_each_scorecard_points_at_the_page_holding_its_row():
    cards = archive(load_scorecards(FIXTURES), {"GOVCENSUS_PAGE_ROWS": 4})
    past = [c for c in cards if c.period == PAST]
    assert all(is_archived(c) for c in past) and not any(is_archived(c) for c in cards if c.period == CURRENT)
    pages = [c.url.split("#")[0] for c in sorted(past, key=lambda c: c.id)]
    assert pages == [f"scorecards/{PAST}/index.html"] * 4 + [f"scorecards/{PAST}/index-2.html"] * 4 + \
        [f"scorecards/{PAST}/index-3.html"]
    assert {c.url.split("#")[1] for c in past} == {f"e-{c.id}" for c in past}


@pytest.mark.parametrize("value", [0, -1, "two", None])
def test_a_bad_number_of_full_quarters_is_refused_with_the_setting_named(value):
    with pytest.raises(ValueError, match=SETTING):
        full_quarters({SETTING: value})


def test_when_a_new_quarter_arrives_the_previous_ones_pages_give_way_to_its_compact_list(content_dir, tmp_path):
    content = content_dir
    shutil.move(content / "scorecards" / CURRENT, tmp_path / "later")
    output = build_site(content, tmp_path / "output")
    assert (output / "scorecards" / PAST / "5309210001.html").is_file()
    shutil.move(tmp_path / "later", content / "scorecards" / CURRENT)
    build_site(content, output)
    assert sorted(p.name for p in (output / "scorecards" / PAST).iterdir()) == ["index.html"]
    assert (output / "scorecards" / CURRENT / "5309210001.html").is_file()
    # Its open data went from plain files to gzipped ones, none left twice.
    assert not (output / "data" / PAST / "findings.csv").exists() and (output / "data" / PAST / "findings.csv.gz").is_file()


def test_a_national_site_can_leave_out_the_copy_of_the_newest_quarters_open_data(content_dir, tmp_path):
    output = build_site(content_dir, tmp_path / "output", settings={"GOVCENSUS_OPEN_DATA_LATEST": False})
    assert not (output / "data" / "latest").exists() and (output / "data" / CURRENT / "findings.csv").is_file()
    assert '"latest": "2020Q2"' in (output / "data" / "index.json").read_text(encoding="utf-8")
    opendata = (output / "opendata.html").read_text(encoding="utf-8")
    assert "data/latest" not in opendata and "files-2020Q1" in opendata
