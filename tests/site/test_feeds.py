"""Atom feeds: published circulars and one per responsible unit, with absolute addresses, tag ids
and the publishing office as author, valid for a feed reader (feedparser, bozo 0)."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import lxml.html

from govcensus_site import load_scorecards, unit_slug
from govcensus_site.feeds import tag_uri

REPO = Path(__file__).resolve().parents[2]
PUBLIC = "https://census.example.test/lincang"
OFFICE = "临沧市人民政府办公室"


def parse(site: Path, path: str) -> feedparser.FeedParserDict:
    feed = feedparser.parse((site / path).read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    return feed


def page_of(site: Path, url: str, base: str) -> Path:
    """The output file a feed's absolute link points at."""
    assert url.startswith(base + "/"), url
    return site / url[len(base) + 1:]


def test_the_circulars_feed_has_the_published_circular_only_with_absolute_links_an_id_and_an_author(published_site):
    feed = parse(published_site, "feeds/circulars.atom.xml")
    assert [e.link for e in feed.entries] == [f"{PUBLIC}/circulars/2020q2.html"]
    [entry] = feed.entries
    assert entry.id == "tag:census.example.test,2020-07-13:/lincang/circulars/2020q2.html"
    assert entry.author == OFFICE and feed.feed.author == OFFICE
    assert "临政办函〔2020〕12号" in entry.summary
    assert feed.feed.id.startswith("tag:census.example.test,") and feed.feed.link == f"{PUBLIC}/circulars/index.html"
    assert page_of(published_site, entry.link, PUBLIC).is_file()


def test_links_inside_a_circular_s_feed_entry_are_absolute(published_site):
    [entry] = parse(published_site, "feeds/circulars.atom.xml").entries
    hrefs = lxml.html.fragment_fromstring(entry.content[0].value, create_parent="div").xpath("//a/@href")
    assert hrefs and all(h.startswith(f"{PUBLIC}/") for h in hrefs)
    assert f"{PUBLIC}/scorecards/2020Q2/5309000010.html" in hrefs
    assert all(page_of(published_site, h, PUBLIC).is_file() for h in hrefs)


def test_each_unit_has_a_feed_with_every_scorecard_of_its_entries(published_site):
    cards = load_scorecards(REPO / "tests" / "fixtures" / "scorecards")
    units = {c.entry.unit for c in cards}
    assert len(list((published_site / "feeds" / "units").glob("*.atom.xml"))) == len(units)
    unit = "临沧市水务局"
    feed = parse(published_site, f"feeds/units/{unit_slug(unit)}.atom.xml")
    mine = [c for c in cards if c.entry.unit == unit]
    assert sorted(e.link for e in feed.entries) == sorted(f"{PUBLIC}/{c.url}" for c in mine)
    assert feed.feed.title == f"{unit} - 普查结果" and feed.feed.author == OFFICE
    for entry in feed.entries:
        assert page_of(published_site, entry.link, PUBLIC).is_file()
        assert entry.id.startswith("tag:census.example.test,2020-04-01:/lincang/scorecards/2020Q2/")
        assert "不合格" in entry.title or "合格" in entry.title or "未检查" in entry.title
    assert len({e.id for e in feed.entries}) == len(feed.entries)


def test_ids_depend_on_the_page_and_its_date_not_on_the_build(published_site, site):
    """The local build (another host) gives the same path and date in every id: nothing of the build time."""
    public = {urlsplit(e.link).path.removeprefix("/lincang"): e.id for e in
              parse(published_site, "feeds/circulars.atom.xml").entries}
    local = {urlsplit(e.link).path: e.id for e in parse(site, "feeds/circulars.atom.xml").entries}
    assert public.keys() == local.keys()
    for path in public:
        assert public[path].split(",", 1)[1].replace("/lincang", "") == local[path].split(",", 1)[1]
    assert tag_uri("https://a.test/x/y.html", datetime(2020, 7, 13)) == "tag:a.test,2020-07-13:/x/y.html"


def test_local_feeds_point_at_the_make_serve_address(site):
    feed = parse(site, "feeds/circulars.atom.xml")
    assert all(e.link.startswith("http://127.0.0.1:8000/") for e in feed.entries)


def test_a_unit_page_announces_its_feed_and_drafts_are_in_no_feed(site, read_page):
    unit = "临沧市水务局"
    page = read_page(f"units/{unit_slug(unit)}.html")
    [link] = page.xpath('//link[@rel="alternate"][contains(@href, "feeds/units/")]')
    assert link.get("href").endswith(f"feeds/units/{unit_slug(unit)}.atom.xml")
    assert (site / "feeds" / "units" / f"{unit_slug(unit)}.atom.xml").is_file()
    every_feed = "".join(p.read_text(encoding="utf-8") for p in (site / "feeds").rglob("*.xml"))
    assert "new-draft" not in every_feed and "drafts/" not in every_feed


# --- the unit feeds' direct writer is feedgenerator's output, byte for byte ----------------------

import dataclasses  # noqa: E402

import pytest  # noqa: E402
from feedgenerator.django.utils.xmlutils import UnserializableContentError  # noqa: E402

from govcensus_site.census import Census  # noqa: E402
from govcensus_site.feeds import unit_feed_sources  # noqa: E402


def renamed(card, name: str, unit: str):
    return dataclasses.replace(card, entry=dataclasses.replace(card.entry, name=name, unit=unit))


@pytest.mark.parametrize("settings", [
    {"FEED_DOMAIN": PUBLIC, "GOVCENSUS_OFFICE": OFFICE},
    {"SITEURL": "http://127.0.0.1:8000", "SITENAME": "站点 & <名>"},
    {"FEED_DOMAIN": "https://例子.中国/路径 一", "GOVCENSUS_UNIT_FEED_RESULTS": ["fail"]},  # some feeds with no entry
])
def test_every_unit_feed_written_directly_is_what_feedgenerator_writes(settings):
    cards = load_scorecards(REPO / "tests" / "fixtures" / "scorecards")
    # names as a registry may hold them: markup characters, both quotes, a tab, a newline
    odd = [renamed(card, f"{card.entry.name}<b>&\"它's\"\t\n", f"单位 & <{n % 3}>") for n, card in enumerate(cards[:9])]
    sources = unit_feed_sources(Census(cards + odd), settings, [])
    assert len(sources) > 10
    for source in sources.values():
        assert source.xml() == source.feed().writeString("utf-8")


def test_a_control_character_is_refused_by_the_direct_writer_as_by_feedgenerator():
    card = load_scorecards(REPO / "tests" / "fixtures" / "scorecards")[0]
    source = next(iter(unit_feed_sources(Census([renamed(card, "名\x07称", "单位")]), {}, []).values()))
    with pytest.raises(UnserializableContentError):
        source.feed().writeString("utf-8")
    with pytest.raises(UnserializableContentError):
        source.xml()
