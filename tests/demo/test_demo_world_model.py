"""The world model: deterministic, and fresh everywhere the circular found no problem."""
from __future__ import annotations

from datetime import timedelta

import pytest

from collector.demo.world import QUARTER_END, QUARTER_START, at, build_world
from collector.demo.worlds import WORLDS

#: The default freshness limits, by column type (indicators.md).
LIMITS = {"要闻动态": 14, "工作动态": 14, "通知公告": 183, "政策文件": 183, "人事信息": 365, "规划计划": 365}


def test_building_twice_gives_the_same_world(world_handle) -> None:
    again = build_world()
    assert again.registry() == world_handle.world.registry()
    assert again.planted == world_handle.world.planted
    first, second = world_handle.world.portals[3].channels[0].articles[:50], again.portals[3].channels[0].articles[:50]
    assert first == second


def test_every_column_is_fresh_on_every_day_of_the_quarter(world_handle) -> None:
    world = world_handle.world
    channels = [ch for s in world.portals for ch in s.channels] + [ch for c in world.columns for ch in c.channels]
    assert len(channels) == 9 * 5 + 34 * 5
    day = QUARTER_START
    while day <= QUARTER_END:
        now = at(day, 0)
        for channel in channels:
            newest = channel.visible(now)[0].published
            assert now - newest < timedelta(days=LIMITS[channel.type]), (channel.path, day)
        day += timedelta(days=1)


def test_homepages_show_an_item_of_the_last_two_weeks_every_day(world_handle) -> None:
    day = QUARTER_START
    while day <= QUARTER_END:
        for site in world_handle.world.portals:
            newest = max(ch.visible(at(day, 0))[0].published for ch in site.channels)
            assert at(day, 0) - newest < timedelta(days=14)
        day += timedelta(days=1)


def test_every_article_path_is_unique_per_host(world_handle) -> None:
    for site in world_handle.world.portals:
        paths = [a.path for ch in [*site.channels, *(x for c in site.columns for x in c.channels)] for a in ch.articles]
        assert len(paths) == len(set(paths)), site.host


@pytest.mark.parametrize("name", sorted(WORLDS))
def test_a_worlds_whois_records_are_the_built_worlds_without_building_it(name):
    """A replay shard asks for the records alone; they must be exactly the model's."""
    spec = WORLDS[name]
    assert spec.whois_records() == spec.world().whois_records
    assert spec.whois_records()  # every world has a decommissioned domain still registered
