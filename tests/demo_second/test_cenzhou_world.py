"""The 岑州 model: its planted problems are where World.planted says, its look-alikes are only
look-alikes, its registry is in step, and none of the Lincang world's words are in it."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from stdnum.cn import ric

from collector.text.lexicon import load_lexicon
from collector.text.pii import find_pii
from collector.demo.cenzhou.world import (
    DEFAULT_NOW, PERIOD, QUARTER_END, QUARTER_START, TZ, World, at, build_world, workdays_after,
)
from collector.circular.office import load_office_settings
from collector.profile import load_profile
from collector.registry import load_registry

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = ROOT / "registry" / "cenzhou-demo.yaml"
LINCANG_WORDS = ("临沧", "0883", "云南", "滇", "lcsxxgk", "驻临", "临翔", "lincang")


@pytest.fixture(scope="module")
def world() -> World:
    return build_world()


def _all_text(world: World) -> str:
    parts = [world.office, world.region]
    for site in world.sites:
        parts += [site.name, site.unit, site.address, site.phone, site.icp]
        for listing in [*site.listings, *(li for d in site.departments for li in d.listings)]:
            for article in listing.articles:
                parts += [article.title, *article.paragraphs]
                parts += [c for f in article.attachments for row in f.table for c in row]
    parts += [p.title + p.summary for a in world.accounts for p in a.posts]
    parts += [m.subject + m.detail + m.reply_text for p in world.platforms for m in p.messages]
    return "\n".join(parts)


def test_the_registry_file_is_the_model_s_registry(world):
    assert load_registry(REGISTRY) == world.registry()


def test_the_world_is_a_small_office_in_another_province_and_quarter(world):
    registry = world.registry()
    assert PERIOD == "2021Q3" and world.region == "岑州市"
    assert len([w for w in registry.websites if w.status == "运行"]) == 4
    assert len(registry.columns) == 6 and len(registry.accounts) == 12 and len(registry.message_platforms) == 3
    assert {s.cms for s in world.portals} == {"hanweb", "easysite", "plain"}
    assert any(s.encoding == "gbk" for s in world.portals)


def test_none_of_the_lincang_world_s_words_are_in_it(world):
    text = _all_text(world) + REGISTRY.read_text(encoding="utf-8") + \
        (ROOT / "registry" / "cenzhou-demo.office.yaml").read_text(encoding="utf-8")
    assert [w for w in LINCANG_WORDS if w in text] == []


def test_the_office_file_is_its_own(world):
    office = load_office_settings(REGISTRY, world.registry())
    assert office.source and office.values["province"] == "贵州省"
    assert "贵州省政务新媒体管理办法" in office.values["newmedia_rules"]


def test_every_column_is_fresh_on_every_day_of_the_quarter_except_the_planted_stale_one(world):
    limits = load_profile(None).check("column_freshness")["max_age_days"]
    stale = world.planted.stale_column_url
    late: dict[str, date] = {}
    for site in world.portals:
        for listing in [*site.listings, *(li for d in site.departments for li in d.listings)]:
            url = f"http://{site.host}{listing.path}"
            day = QUARTER_START
            while day <= QUARTER_END:
                seen = listing.visible(at(day, 9))
                if seen and (day - seen[0].published.date()).days > limits[listing.type]:
                    late.setdefault(url, day)
                day += timedelta(days=1)
    assert late == {stale: world.planted.stale_column_last + timedelta(days=15)}


def test_the_blank_column_lists_nothing(world):
    site = world.site("www.mlx.gov.cn")
    assert [li.articles for li in site.listings if li.path == "/xxgk/ghjh/index.html"] == [[]]


def test_the_planted_resident_id_is_valid_and_in_the_attachment_only_once(world):
    number = world.planted.id_number
    assert len(number) == 18 and ric.calc_check_digit(number) == number[-1]
    assert find_pii(number, DEFAULT_NOW.date())[0].masked == "5209**********3124"
    article = next(a for li in world.site("www.mlx.gov.cn").listings for a in li.articles
                   if a.path == world.planted.pii_page.split("mlx.gov.cn")[1])
    cells = [c for row in article.attachments[0].table for c in row]
    assert "身份证号" in cells and cells.count(number) == 1
    assert sum(1 for c in cells if c.startswith("5209**********")) == 7


def test_no_look_alike_is_personal_data(world):
    """Landlines, credit codes, document numbers, long serials and masked numbers: nothing a leak check may flag."""
    text = _all_text(world).replace(world.planted.id_number, "")
    found = [(m.kind, m.masked) for line in text.splitlines() for m in find_pii(line, DEFAULT_NOW.date())]
    assert found == []


def test_the_serious_wording_error_is_in_the_lexicon_and_only_on_the_planted_page(world):
    lexicon = load_lexicon()
    assert world.planted.wording_error in {entry.wrong for entry in lexicon.entries}
    pages = [f"http://{s.host}{a.path}" for s in world.portals for li in s.listings for a in li.articles
             if any(world.planted.wording_error in p for p in a.paragraphs)]
    assert pages == [world.planted.wording_page]
    assert "习近平新时代中国特色社会主义思想" in _all_text(world)  # the right form, everywhere else


def test_the_stale_account_stops_posting_and_the_others_post_every_few_days(world):
    for account in world.accounts:
        times = [p.published for p in account.visible(DEFAULT_NOW, limit=10_000)]
        if account.id == world.planted.stale_account:
            assert times[0] == world.planted.stale_account_last_post
            assert (DEFAULT_NOW - times[0]).days > 14
        else:
            gaps = [(a - b).days for a, b in zip(times, times[1:]) if b.date() >= QUARTER_START]
            assert max(gaps) <= 4, account.id


def test_q3_messages_are_answered_within_five_working_days_and_one_may_message_never(world):
    for platform in world.platforms:
        for message in platform.messages:
            if message.number == world.planted.unanswered_message and platform.id == world.planted.unanswered_platform:
                assert message.replied is None and message.asked.date() < QUARTER_START
                assert (DEFAULT_NOW - message.asked).days > 92
            else:
                assert message.replied is not None
                assert message.replied.date() <= workdays_after(message.asked.date(), 5)


def test_the_world_is_the_same_every_time(world):
    again = build_world()
    assert again.planted == world.planted and _all_text(again) == _all_text(world)
    assert at(date(2021, 9, 30), 9).tzinfo == TZ
