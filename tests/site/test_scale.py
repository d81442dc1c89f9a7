"""GOVCENSUS_SCALE = "national" (govcensus_site/scale.py, grouping.py): the levers that keep a national
registry's site for two years under GitHub Pages' 1 GB, and a city's site as it was."""
from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import pytest

from govcensus_site import Census, build_site, load_scorecards, unit_slug
from govcensus_site.grouping import group, is_grouped, pages
from govcensus_site.scale import scale, setting
from tests.site.conftest import make_content
from tests.site.links import broken_links, ids_of

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "scorecards"
CURRENT = "2020Q2"
NATIONAL = {"GOVCENSUS_SCALE": "national", "GOVCENSUS_ACCOUNTS_PER_PAGE": 2}
ATOM = "{http://www.w3.org/2005/Atom}"
PAGE_GOAL = 200 * 1024


@pytest.fixture(scope="module")
def national(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("national")
    output = build_site(make_content(root), root / "output", settings=NATIONAL)
    # The search index, as `make site` builds it after Pelican.
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(output), "--quiet"], check=True,
                   capture_output=True)
    return output


def title(card) -> str:
    """The name a list shows (an account's platform added where the unit's name is its name)."""
    return Census(load_scorecards(FIXTURES)).title_of(card)


def accounts() -> list:
    """The current quarter's entries a national site shows as sections of their unit's page."""
    return [c for c in load_scorecards(FIXTURES) if c.kind in ("account", "column") and c.period == CURRENT]


def page(site: Path, relative: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((site / relative).read_text(encoding="utf-8"))


def resolve(site: Path, url: str) -> tuple[Path, str]:
    """A site-relative or absolute link as (file in the output, fragment)."""
    parts = urlsplit(url)
    return site / parts.path.lstrip("/"), parts.fragment


def test_the_national_site_has_no_broken_internal_link_or_anchor(national):
    broken, checked = broken_links(national)
    assert broken == []
    assert any(p.name.startswith("unit-") for p in checked)  # the accounts' anchors were among them


def test_no_page_of_the_national_site_is_larger_than_200_kb(national):
    sizes = {p.relative_to(national).as_posix(): p.stat().st_size for p in national.rglob("*.html")}
    assert sizes and max(sizes.values()) <= PAGE_GOAL, max(sizes.items(), key=lambda kv: kv[1])


def test_accounts_are_sections_of_their_units_page_and_have_no_page_of_their_own(national):
    cards = accounts()
    assert cards
    folder = national / "scorecards" / CURRENT
    for card in cards:
        assert not (folder / f"{card.id}.html").exists()
    found = {}
    for html in folder.glob("unit-*.html"):
        tree = page(national, html.relative_to(national).as_posix())
        for heading in tree.xpath('//section[contains(@class, "grouped")]/h2'):
            found[heading.get("id")] = (html.name, heading.text_content(), tree)
    assert set(found) == {f"e-{c.id}" for c in cards}
    for card in cards:
        name, heading, tree = found[f"e-{card.id}"]
        assert heading == title(card)
        assert tree.xpath("//h1")[0].text_content().startswith(f"{card.entry.unit}的")
    # Websites and message platforms keep their own pages.
    others = [c for c in load_scorecards(FIXTURES) if c.kind not in ("account", "column") and c.period == CURRENT]
    assert others and all((folder / f"{c.id}.html").is_file() for c in others)


def test_a_units_accounts_are_paged_failing_first_and_each_link_names_the_page_holding_it():
    settings = {"GOVCENSUS_GROUP_ACCOUNTS": True, "GOVCENSUS_GROUP_COLUMNS": True, "GOVCENSUS_ACCOUNTS_PER_PAGE": 2}
    cards = group(load_scorecards(FIXTURES), settings)
    grouped = [c for c in cards if is_grouped(c)]
    assert len(grouped) == len(accounts()) and not any(is_grouped(c) for c in cards
                                                        if c.kind not in ("account", "column"))
    listed = pages(cards, settings)
    for accounts_page in listed:
        assert 1 <= len(accounts_page.cards) <= 2
        for card in accounts_page.cards:
            assert card.url == f"{accounts_page.url}#e-{card.id}"
        ranks = [(c.kind == "account", {"fail": 0, "unchecked": 1}.get(c.result, 2)) for c in accounts_page.cards]
        assert ranks == sorted(ranks)
    paged = [p for p in listed if p.page.count > 1]
    assert paged and paged[0].page.urls[1].endswith("-2.html")  # a unit with more than two


def test_links_to_an_account_lead_to_its_section_from_the_index_and_its_unit_links_its_accounts_page(national):
    card = accounts()[0]
    grouped = [c for c in group(load_scorecards(FIXTURES), NATIONAL) if c.id == card.id and c.period == CURRENT][0]
    target = grouped.url
    assert target.startswith(f"scorecards/{CURRENT}/unit-") and target.endswith(f"#e-{card.id}")
    index_links = [h for p in national.glob("scorecards/index*.html")
                   for h in page(national, p.relative_to(national).as_posix()).xpath("//a/@href")]
    assert f"../{target}" in index_links
    # The unit's page counts its grouped entries by kind and links their page instead of listing each again.
    unit = page(national, f"units/{unit_slug(card.entry.unit)}.html")
    mine = [c for c in accounts() if c.entry.unit == card.entry.unit]
    counted = [int(n.text) for n in unit.xpath('//*[@data-figure="unit-grouped"]')]
    assert sum(counted) == len(mine)
    first_page = "../" + re.sub(r"-\d+\.html$", ".html", target.split("#")[0])
    assert set(unit.xpath('//section[@class="unit-grouped"]//a/@href')) == {first_page}
    assert not any(f"#e-{c.id}" in h for c in mine for h in unit.xpath("//a/@href"))


def test_search_finds_an_account_at_its_section(national):
    """Pagefind indexes every heading with an id: each account's heading is a sub-result of its page."""
    anchors = {}
    for fragment in (national / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        for anchor in data.get("anchors", []):
            anchors[(data["url"].split("/")[-1], anchor["id"])] = anchor["text"]
    for card in accounts():
        matches = [text for (url, anchor), text in anchors.items()
                   if url.startswith("unit-") and anchor == f"e-{card.id}"]
        assert matches == [title(card)], card.id


def test_a_units_feed_leads_to_its_accounts_sections_for_the_newest_quarters_results_needing_attention(national):
    seen = 0
    ids = []
    for feed in (national / "feeds" / "units").glob("*.atom.xml"):
        tree = lxml.etree.parse(str(feed))
        for entry in tree.iter(f"{ATOM}entry"):
            link = entry.find(f"{ATOM}link").get("href")
            ids.append(entry.find(f"{ATOM}id").text)
            assert f"/scorecards/{CURRENT}/" in link  # one quarter: the fixtures' 2020Q1 is left out
            path, fragment = resolve(national, link)
            assert path.is_file(), link
            if path.name.startswith("unit-"):
                assert fragment in ids_of(path), link
                seen += 1
    assert seen == len([c for c in accounts() if c.result in ("fail", "unchecked")]) > 0
    assert len(ids) == len(set(ids))  # two accounts of one page are two entries, not one


def test_the_history_of_a_past_quarter_leads_to_an_accounts_section(national):
    """The accounts' 历次结果 and 与上季度相比 links are checked by the link test; here: they exist."""
    sections = [a for p in (national / "scorecards" / CURRENT).glob("unit-*.html")
                for a in page(national, p.relative_to(national).as_posix()).xpath('//section[contains(@class, "grouped")]')]
    assert len(sections) == len(accounts())


def test_national_open_data_is_gzipped_with_no_latest_copy_and_the_index_keeps_only_the_results_needing_attention(national):
    current = sorted(p.name for p in (national / "data" / CURRENT).iterdir())
    assert "scorecards.csv.gz" in current and [n for n in current if not n.endswith(".gz")] == ["datapackage.json"]
    assert not (national / "data" / "latest").exists()
    rows = gzip.decompress((national / "data" / CURRENT / "entries.csv.gz").read_bytes()).decode("utf-8-sig")
    account = accounts()[0]
    line = next(r for r in rows.splitlines() if r.startswith(account.id + ","))
    assert f"scorecards/{CURRENT}/unit-" in line and f"#e-{account.id}" in line
    filters = sorted(p.name for p in (national / "scorecards").glob("*-*.html") if not p.name.startswith("index"))
    assert filters and all(n.startswith(("result-fail", "result-unchecked")) for n in filters), filters
    index = page(national, "scorecards/index.html")
    assert index.xpath('//nav[@class="filters"]//a[contains(@href, "result-fail")]')
    assert not index.xpath('//nav[@class="filters"]//a[contains(@href, "kind-")]')


def test_a_city_keeps_a_page_per_account_every_filter_and_plain_open_data(site):
    folder = site / "scorecards" / CURRENT
    assert all((folder / f"{c.id}.html").is_file() for c in accounts())
    assert not list(folder.glob("unit-*.html"))
    assert (site / "scorecards" / "kind-account.html").is_file()
    assert (site / "data" / CURRENT / "scorecards.csv").is_file()


def test_an_explicit_setting_wins_over_the_scales_default():
    assert setting({"GOVCENSUS_SCALE": "national"}, "GOVCENSUS_GROUP_ACCOUNTS") is True
    assert setting({"GOVCENSUS_SCALE": "national", "GOVCENSUS_GROUP_ACCOUNTS": False}, "GOVCENSUS_GROUP_ACCOUNTS") is False
    assert setting({}, "GOVCENSUS_GROUP_ACCOUNTS") is False
    assert setting({"GOVCENSUS_OPEN_DATA_GZIP": True}, "GOVCENSUS_OPEN_DATA_GZIP") is True


@pytest.mark.parametrize("value", ["nation", "National", 1])
def test_a_misspelt_scale_is_refused_with_the_setting_named(value):
    with pytest.raises(ValueError, match="GOVCENSUS_SCALE"):
        scale({"GOVCENSUS_SCALE": value})


@pytest.mark.parametrize("name,value", [("GOVCENSUS_ACCOUNTS_PER_PAGE", 0), ("GOVCENSUS_ACCOUNTS_PER_PAGE", "many"),
                                        ("GOVCENSUS_UNIT_FEED_QUARTERS", 0), ("GOVCENSUS_FILTER_FACETS", ("kinds",))])
def test_a_bad_lever_is_refused_with_the_setting_named(tmp_path, name, value):
    from govcensus_site import feeds, grouping, views
    settings = {"GOVCENSUS_SCALE": "national", name: value}
    with pytest.raises(ValueError, match=name):
        if name == "GOVCENSUS_ACCOUNTS_PER_PAGE":
            grouping.per_page(settings)
        elif name == "GOVCENSUS_UNIT_FEED_QUARTERS":
            feeds.feed_quarters(settings)
        else:
            views.filters([], value)


def test_compact_html_drops_only_the_indentation_between_tags():
    from govcensus_site.generator import compact
    html = '<ul>\n  <li><a href="x">甲</a> <span>乙</span></li>\n</ul>\n<pre class="whois">\n  Domain: a.test\n</pre>'
    assert compact(html) == '<ul>\n<li><a href="x">甲</a> <span>乙</span></li>\n</ul>\n<pre class="whois">\n  Domain: a.test\n</pre>'


def test_a_national_page_reads_as_the_city_page_does_without_its_indentation(national, site):
    """The same website's scorecard: the same text, only whitespace between tags differs."""
    website = next(c for c in load_scorecards(FIXTURES) if c.kind == "website" and c.period == CURRENT)
    relative = f"scorecards/{CURRENT}/{website.id}.html"
    city, nation = ((s / relative).read_text(encoding="utf-8") for s in (site, national))
    assert "\n  <" in city and "\n  <" not in nation
    words = lambda tree: " ".join(tree.xpath('//main//h2//text()'))  # noqa: E731
    assert words(lxml.html.fromstring(nation)) == words(lxml.html.fromstring(city))


def test_the_national_search_index_keeps_a_scorecards_name_and_findings_but_not_its_checks(national, site):
    website = next(c for c in load_scorecards(FIXTURES) if c.kind == "website" and c.period == CURRENT and c.findings)
    relative = f"scorecards/{CURRENT}/{website.id}.html"
    ignored = page(national, relative).xpath('//section[@data-pagefind-ignore]/h2/@id')
    assert "h-checks" in ignored and "h-findings" not in ignored
    assert not page(site, relative).xpath('//*[@data-pagefind-ignore]/h2[@id="h-checks"]')  # a city indexes all


def test_a_lean_search_index_leaves_past_quarters_lists_out_and_a_city_keeps_them(national, site):
    """A past quarter's entries are found on their current pages (历次结果 links the old row); its
    compact lists are thousands of pages of a national site's search index."""
    past = sorted(p for p in (national / "scorecards").iterdir() if p.is_dir() and p.name != CURRENT)
    assert past, "the fixture has a past quarter"
    relative = f"scorecards/{past[0].name}/index.html"
    assert page(national, relative).xpath("//table[contains(@class, 'archive-table')]")
    assert not page(national, relative).xpath("//*[@data-pagefind-body]")
    assert page(site, relative).xpath("//main[@data-pagefind-body]")
