"""Shards of a round: K/N parsing, which entries go together, balance, and the plan's shard count."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from collector.registry import Account, DisclosureColumn, MessagePlatform, Registry, Website, load_registry
from collector.shards import ACTIONS_MATRIX_LIMIT, Manifest, Shard, assign, entries_of, group_key, shard_count

ROOT = Path(__file__).resolve().parents[2]
DEMO = load_registry(ROOT / "registry" / "lincang-demo.yaml")


def site(code: str) -> Website:
    return Website(site_code=code, name=code, unit="u", level="市级", site_kind="政府门户网站",
                   url=f"http://s{code}.gov.cn/")


def registry() -> Registry:
    return Registry(
        office="测试", region="测试",
        websites=(site("5300000001"), site("5300000002"), site("5300000003")),
        columns=(DisclosureColumn(id="col-a", name="a", unit="u", parent="5300000001", url="http://s5300000001.gov.cn/a/"),
                 DisclosureColumn(id="col-b", name="b", unit="u", parent="5300000001", url="http://s5300000001.gov.cn/b/")),
        accounts=tuple(Account(id=f"wx-{i}", platform="微信", name=str(i), unit="u", feed=f"http://f.test/{i}")
                       for i in range(5)),
        message_platforms=(MessagePlatform(id="msg-col", name="m", unit="u", belongs_to="col-a", export="x.xlsx",
                                           report_label="市级"),
                           MessagePlatform(id="msg-site", name="m", unit="u", belongs_to="5300000002",
                                           export="y.xlsx", report_label="市级")))


@pytest.mark.parametrize("text, shard", [("1/1", Shard(1, 1)), ("2/8", Shard(2, 8)), (" 3 / 4 ", Shard(3, 4)),
                                         ("256/256", Shard(256, 256))])
def test_a_shard_is_written_k_slash_n(text, shard):
    assert Shard.parse(text) == shard
    assert str(shard) == f"{shard.index}/{shard.count}" and shard.folder_name == f"{shard.index}-of-{shard.count}"


@pytest.mark.parametrize("text, reason", [("0/2", "K must be from 1 to N"), ("3/2", "K must be from 1 to N"),
                                          ("1/0", "N must be from 1 to 256"), ("1/257", "N must be from 1 to 256"),
                                          ("2", "is not K/N"), ("a/b", "is not K/N"), ("-1/2", "is not K/N")])
def test_a_bad_shard_says_what_is_wrong(text, reason):
    with pytest.raises(ValueError, match=reason):
        Shard.parse(text)


def test_a_website_its_columns_and_their_message_platforms_share_a_group():
    reg = registry()
    assert group_key(reg.get("col-a"), reg) == group_key(reg.get("col-b"), reg) == "5300000001"
    assert group_key(reg.get("msg-col"), reg) == "5300000001"  # through its column to the site
    assert group_key(reg.get("msg-site"), reg) == "5300000002"
    assert group_key(reg.get("wx-3"), reg) == "wx-3"


@pytest.mark.parametrize("count", [1, 2, 3, 7, 20])
def test_every_entry_is_in_exactly_one_shard_and_groups_stay_whole(count):
    reg = registry()
    shards = [entries_of(reg, Shard(k, count)) for k in range(1, count + 1)]
    assert sum(len(s) for s in shards) == len(list(reg.entries()))
    assert set().union(*shards) == {e.id for e in reg.entries()}
    home = next(s for s in shards if "5300000001" in s)
    assert {"col-a", "col-b", "msg-col"} <= home


def test_the_split_is_deterministic_and_does_not_depend_on_entry_order():
    reg = registry()
    shuffled = Registry(office=reg.office, region=reg.region, websites=reg.websites[::-1], columns=reg.columns[::-1],
                        accounts=reg.accounts[::-1], message_platforms=reg.message_platforms[::-1])
    assert assign(reg, 3) == assign(reg, 3) == assign(shuffled, 3)


def test_the_demo_registry_splits_evenly_within_one_group():
    """The largest group (the city portal, its 34 columns and their message platforms) bounds the imbalance."""
    groups = Counter(group_key(e, DEMO) for e in DEMO.entries())
    largest = max(groups.values())
    for count in (2, 3, 4, 8):
        sizes = Counter(assign(DEMO, count).values())
        assert sum(sizes.values()) == len(list(DEMO.entries()))
        assert max(sizes.values()) - min(sizes.values()) <= largest
    sizes = Counter(assign(DEMO, 4).values())
    assert max(sizes.values()) == largest  # the city portal's group alone, the rest spread around it


def test_more_shards_than_groups_leaves_some_empty_but_loses_nothing():
    reg = registry()
    shards = [entries_of(reg, Shard(k, 50)) for k in range(1, 51)]
    assert sum(1 for s in shards if s) == len({group_key(e, reg) for e in reg.entries()})


@pytest.mark.parametrize("entries, per_shard, expected", [(0, 200, 1), (1, 200, 1), (200, 200, 1), (201, 200, 2),
                                                         (119, 60, 2), (1_000_000, 200, ACTIONS_MATRIX_LIMIT)])
def test_the_shard_count_follows_the_registry_up_to_the_matrix_limit(entries, per_shard, expected):
    assert shard_count(entries, per_shard) == expected


def test_a_manifest_round_trips_and_a_broken_one_is_a_located_error(tmp_path):
    manifest = Manifest(Shard(2, 3), frozenset({"b", "a"}))
    (tmp_path / "shard.json").write_text(manifest.to_json(), encoding="utf-8")
    assert Manifest.read(tmp_path) == manifest
    (tmp_path / "shard.json").write_text('{"schema": "govcensus.shard/1", "shard": "4/3", "entries": []}')
    with pytest.raises(ValueError, match=r"shard\.json: shard: '4/3': K must be from 1 to N"):
        Manifest.read(tmp_path)
    (tmp_path / "shard.json").write_text("{not json")
    with pytest.raises(ValueError, match=r"shard\.json: not JSON"):
        Manifest.read(tmp_path)
    with pytest.raises(ValueError, match="not a shard store"):
        Manifest.read(tmp_path / "elsewhere")
