"""New-media accounts: feeds in RSSHub's three formats; one account stops posting on 2020-05-25."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import feedparser

from collector.demo.world import QUARTER_END, QUARTER_START, TZ, at


def _newest(fetch, url: str) -> datetime:
    """The newest post's time in UTC, naive (as feedparser gives it); feedparser cannot read JSON Feed."""
    if url.endswith(".json"):
        items = fetch(url).json()["items"]
        newest = max(datetime.fromisoformat(i["date_published"]) for i in items)
        return newest.astimezone(timezone.utc).replace(tzinfo=None)
    parsed = feedparser.parse(fetch(url).content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    stamps = [e.get("published_parsed") or e.get("updated_parsed") for e in parsed.entries]
    return max(datetime(*s[:6]) for s in stamps)


def test_natural_resources_account_posts_nothing_after_may_25(world_handle, fetch) -> None:
    world = world_handle.world
    account = next(a for a in world.accounts if a.id == world.planted.stale_account)
    assert (account.platform, account.name) == ("微信公众号", "临沧市自然资源和规划局")
    newest = _newest(fetch, account.feed_url)
    assert newest < datetime(2020, 6, 16) and newest.date() == date(2020, 5, 25)


def test_every_other_account_posted_within_two_weeks_on_every_day_of_the_quarter(world_handle) -> None:
    world = world_handle.world
    for account in world.accounts:
        if account.id == world.planted.stale_account:
            continue
        day = QUARTER_START
        while day <= QUARTER_END:
            now = at(day, 0)
            newest = account.visible(now, limit=1)
            assert newest and now - newest[0].published < timedelta(days=14), (account.name, day)
            day += timedelta(days=1)


def test_feeds_come_in_rss_atom_and_json_feed(world_handle, fetch) -> None:
    kinds = {}
    for account in world_handle.world.accounts:
        kinds.setdefault(account.feed_suffix, account.feed_url)
    assert set(kinds) == {"", ".atom", ".json"}
    assert b"<rss" in fetch(kinds[""]).content
    assert b"http://www.w3.org/2005/Atom" in fetch(kinds[".atom"]).content
    assert fetch(kinds[".json"]).json()["version"] == "https://jsonfeed.org/version/1.1"


def test_a_feed_lists_only_posts_up_to_the_clock_newest_twenty(world_handle, fetch) -> None:
    account = world_handle.world.accounts[0]
    world_handle.set_clock(datetime(2020, 5, 1, 12, tzinfo=TZ))
    parsed = feedparser.parse(fetch(account.feed_url).content)
    assert len(parsed.entries) == 20
    assert max(datetime(*e.published_parsed[:6]) for e in parsed.entries) <= datetime(2020, 5, 1, 4)


def test_feed_links_lead_to_post_pages(world_handle, fetch) -> None:
    for platform in ("微信公众号", "微博", "今日头条"):
        account = next(a for a in world_handle.world.accounts if a.platform == platform)
        post = account.visible(world_handle.now)[0]
        reply = fetch(post.link)
        assert reply.status_code == 200 and post.title in reply.text
