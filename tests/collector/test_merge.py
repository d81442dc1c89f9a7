"""Merging shard stores: the unsharded round's lines and order, idempotent, and refusals that change nothing."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from collector.cli import main
from collector.merge import MergeError, merge_shards
from collector.observations import Observation
from collector.periods import CHINA_TZ
from collector.shards import Manifest, Shard
from collector.store import ObservationStore

NINE = datetime(2020, 6, 30, 9, 0, tzinfo=CHINA_TZ)
TEN = datetime(2020, 6, 30, 10, 0, tzinfo=CHINA_TZ)


def obs(entry: str, check: str, at: datetime = NINE, status: int = 200) -> Observation:
    return Observation(at=at, entry=entry, kind="website", check=check, outcome="ok", figures={"status": status})


def shard_store(folder: Path, shard: str, entries: set[str], observations: list[Observation]) -> Path:
    folder.mkdir(parents=True)
    (folder / "shard.json").write_text(Manifest(Shard.parse(shard), frozenset(entries)).to_json(), encoding="utf-8")
    ObservationStore(folder).append(observations)
    return folder


def day(store: Path, name: str = "2020-06-30") -> bytes:
    return (store / "2020" / f"{name}.jsonl").read_bytes()


def two_shards(tmp_path: Path) -> list[Path]:
    return [shard_store(tmp_path / "s1", "1/2", {"a", "c"}, [obs("a", "reachability"), obs("c", "footer_marks"),
                                                            obs("a", "footer_marks"), obs("c", "reachability", TEN)]),
            shard_store(tmp_path / "s2", "2/2", {"b"}, [obs("b", "reachability"), obs("b", "footer_marks"),
                                                       obs("b", "reachability", TEN)])]


def test_the_merged_day_file_is_what_one_unsharded_round_appends(tmp_path):
    """An unsharded round stores each round sorted by (check, entry), rounds in time order."""
    result = merge_shards(tmp_path / "main", two_shards(tmp_path))
    whole = tmp_path / "whole"
    ObservationStore(whole).append(sorted([obs("a", "reachability"), obs("b", "reachability"), obs("a", "footer_marks"),
                                           obs("b", "footer_marks"), obs("c", "footer_marks")],
                                          key=lambda o: (o.check, o.entry)))
    ObservationStore(whole).append([obs("b", "reachability", TEN), obs("c", "reachability", TEN)])
    assert day(tmp_path / "main") == day(whole)
    assert (result.added, result.already_stored, len(result.days), result.missing) == (7, 0, 1, [])


def test_merging_appends_after_what_the_store_already_holds_and_again_adds_nothing(tmp_path):
    main = tmp_path / "main"
    ObservationStore(main).append([obs("a", "reachability", datetime(2020, 6, 30, 8, 0, tzinfo=CHINA_TZ))])
    before = day(main)
    shards = two_shards(tmp_path)
    merge_shards(main, shards)
    merged = day(main)
    assert merged.startswith(before) and merged.count(b"\n") == 8
    again = merge_shards(main, shards)
    assert (again.added, again.already_stored, again.days) == (0, 7, [])
    assert day(main) == merged


def test_a_missing_shard_is_reported_and_the_others_are_merged(tmp_path):
    shards = two_shards(tmp_path)
    result = merge_shards(tmp_path / "main", shards[1:])
    assert result.missing == [1] and result.added == 3


def refused(tmp_path: Path, shards: list[Path], message: str) -> None:
    main = tmp_path / "main"
    ObservationStore(main).append([obs("z", "reachability", datetime(2020, 6, 30, 8, 0, tzinfo=CHINA_TZ))])
    before = day(main)
    with pytest.raises(MergeError, match=message):
        merge_shards(main, shards)
    assert day(main) == before  # nothing written


def test_overlapping_shards_are_refused(tmp_path):
    shards = two_shards(tmp_path)
    overlap = shard_store(tmp_path / "s2b", "2/2", {"b", "a"}, [obs("b", "wording")])
    refused(tmp_path, [shards[0], overlap], r"s2b/shard\.json: entry 'a' is also in shard store .*s1 "
                                            r"\(overlapping shards\)")


def test_the_same_shard_twice_and_different_splits_are_refused(tmp_path):
    shards = two_shards(tmp_path)
    again = shard_store(tmp_path / "again", "1/2", {"d"}, [])
    refused(tmp_path, [shards[0], again], r"again: shard 1/2 is also .*s1")
    other = shard_store(tmp_path / "other", "1/3", {"d"}, [])
    refused(tmp_path, [shards[0], other], r"different splits cannot be merged: .*s1 is 1/2, .*other is 1/3")


def test_an_observation_of_an_entry_outside_its_shard_is_refused_with_its_line(tmp_path):
    stray = shard_store(tmp_path / "stray", "1/2", {"a"}, [obs("a", "reachability"), obs("b", "reachability")])
    refused(tmp_path, [stray], r"stray/2020/2020-06-30\.jsonl:2: entry 'b' is not in shard 1/2")


def test_an_observation_that_differs_from_the_stored_one_is_a_conflict(tmp_path):
    shard = shard_store(tmp_path / "s", "1/1", {"z"}, [obs("z", "reachability", datetime(2020, 6, 30, 8, 0,
                                                                                         tzinfo=CHINA_TZ), 500)])
    refused(tmp_path, [shard], r"s/2020/2020-06-30\.jsonl:1: the observation reachability of z at "
                               r"2020-06-30T08:00:00\+08:00 differs from the stored one at .*main/2020/2020-06-30\.jsonl:1")


def test_a_damaged_shard_is_a_located_error(tmp_path):
    broken = shard_store(tmp_path / "b", "1/1", {"a"}, [obs("a", "reachability")])
    with open(broken / "2020" / "2020-06-30.jsonl", "ab") as handle:
        handle.write(b'{"v":1,"at":"2020-06-30T')
    refused(tmp_path, [broken], r"b/2020/2020-06-30\.jsonl:2: the last line is incomplete")
    (broken / "2020" / "2020-06-30.jsonl").write_bytes(b"not json\n")
    refused(tmp_path, [broken], r"b/2020/2020-06-30\.jsonl:1: not an observation")
    (broken / "2020" / "2020-06-29.jsonl").write_bytes(obs("a", "wording").to_json().encode() + b"\n")
    (broken / "2020" / "2020-06-30.jsonl").unlink()
    refused(tmp_path, [broken], r"2020-06-29\.jsonl:1: an observation of 2020-06-30 in the day file 2020-06-29")
    refused(tmp_path, [tmp_path / "nowhere"], r"nowhere: no such shard store folder")
    (tmp_path / "plain").mkdir()
    refused(tmp_path, [tmp_path / "plain"], r"plain: not a shard store \(shard\.json is missing")


def test_the_merge_command_says_what_it_did_and_refuses_with_exit_2(tmp_path):
    shards = two_shards(tmp_path)
    ok = CliRunner().invoke(main, ["merge", "--data", str(tmp_path / "main"), str(shards[1])])
    assert ok.exit_code == 0, ok.output
    assert "merged 1 of 2 shard(s): 3 observation(s) added, 0 already stored, 1 day file(s) written" in ok.output
    assert "warning: shard(s) 1/2 missing" in ok.output
    bad = CliRunner().invoke(main, ["merge", "--data", str(tmp_path / "main"), str(shards[1]), str(shards[1])])
    assert bad.exit_code == 2 and bad.output.startswith("error: ") and "Traceback" not in bad.output


def test_the_target_must_be_a_store_not_a_shard(tmp_path):
    shards = two_shards(tmp_path)
    with pytest.raises(MergeError, match=r"s1: this is a shard store \(it has shard\.json\), not the store"):
        merge_shards(shards[0], shards[1:])
    assert not (shards[0] / "2020" / "2020-06-30.jsonl").read_bytes().count(b'"b"')
