"""A round run as two shards and merged gives the store and the summaries of one unsharded round.

Both runs really go against the demo world on loopback, with the world's clock fixed at the
round's time, so every page answers the same to both. Two rounds are compared:

* the daily checks at 09:00 (freshness, footer marks, messages, decommissioned domains, new
  media): nothing in them is a measurement of time, so the day file and every summary file must be
  byte-identical, with no normalisation at all;
* the reachability attempts at 10:00: an attempt's `elapsed_ms` is a stopwatch reading that
  differs between any two runs, sharded or not. Only that figure (and the median the scorecard
  derives from it, `median_response_ms`) is blanked before comparing; everything else — which
  observations, their order, outcomes, status codes, findings — must match byte for byte.
"""
from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from collector import domains
from collector.cli import main
from collector.demo.dns_server import dns_server
from collector.demo.testing import running_world, shared_world
from collector.demo.whois_server import whois_server
from collector.periods import CHINA_TZ
from collector.registry import load_registry
from collector.shards import Manifest

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = ROOT / "registry" / "lincang-demo.yaml"
DAILY_AT = datetime(2020, 6, 30, 9, 0, tzinfo=CHINA_TZ)
FREQUENT_AT = datetime(2020, 6, 30, 10, 0, tzinfo=CHINA_TZ)
DAY_FILE = Path("2020") / "2020-06-30.jsonl"


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def stores(tmp_path_factory) -> Iterator[dict[str, Path]]:
    """Both rounds, unsharded into `whole` and as shards 1/2 and 2/2 merged into `merged`."""
    work = tmp_path_factory.mktemp("sharded")
    paths = {"whole": work / "whole", "merged": work / "merged", "work": work}
    with running_world(DAILY_AT) as world, whois_server(shared_world().whois_records) as whois_port, \
            dns_server({}) as dns_port:
        loopback = ["--registry", str(REGISTRY), "--allow-private-addresses", "--resolve", world.resolve,
                    "--whois-at", f"127.0.0.1:{whois_port}", "--dns-at", f"127.0.0.1:{dns_port}"]
        try:
            for at, cadence in ((DAILY_AT, "daily"), (FREQUENT_AT, "frequent")):
                world.set_clock(at)
                timing = ["--as-of", at.isoformat(), "--cadence", cadence]
                run("round", *loopback, *timing, "--data", str(paths["whole"]))
                shards = [work / f"{at:%H}-shard-{k}" for k in (1, 2)]
                for k, folder in enumerate(shards, start=1):
                    run("round", *loopback, *timing, "--shard", f"{k}/2", "--data", str(folder))
                paths[f"shards-{cadence}"] = shards[0]
                run("merge", "--data", str(paths["merged"]), *map(str, shards))
        finally:
            domains.reset()
    yield paths


def summarize(store: Path, content: Path) -> None:
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns(
        "scorecards", "messages", "rectification-status", "2020Q2*.md"))
    run("summarize", "--registry", str(REGISTRY), "--data", str(store), "--period", "2020Q2",
        "--as-of", FREQUENT_AT.isoformat(), "--circular-date", "2020-07-13", "--content", str(content))


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


TIMINGS = re.compile(rb'("elapsed_ms":|median_response_ms: )[0-9.]+')


def without_timings(data: bytes) -> bytes:
    return TIMINGS.sub(rb"\1<timing>", data)


def test_each_shard_checked_only_its_own_entries_and_together_all(stores):
    registry = load_registry(REGISTRY)
    first = Manifest.read(stores["shards-daily"])
    second = Manifest.read(stores["shards-daily"].with_name("09-shard-2"))
    assert first.entries and second.entries and not first.entries & second.entries
    assert first.entries | second.entries == {e.id for e in registry.entries()}
    seen = {json.loads(line)["entry"] for line in (stores["shards-daily"] / DAY_FILE).read_bytes().splitlines()}
    assert seen and seen <= first.entries


def test_the_merged_day_file_is_the_unsharded_one_byte_for_byte_but_for_stopwatch_readings(stores):
    whole = (stores["whole"] / DAY_FILE).read_bytes().splitlines(keepends=True)
    merged = (stores["merged"] / DAY_FILE).read_bytes().splitlines(keepends=True)
    daily = [line for line in whole if b'"at":"2020-06-30T09:00:00+08:00"' in line]
    assert len(daily) > 200 and merged[:len(daily)] == daily  # the daily round: no normalisation at all
    assert len(merged) == len(whole) > len(daily)
    assert [without_timings(line) for line in merged] == [without_timings(line) for line in whole]
    assert any(b'"elapsed_ms":' in line for line in whole[len(daily):])


def test_summaries_after_the_merge_are_byte_identical_to_one_unsharded_run(stores):
    work = stores["work"]
    summarize(stores["whole"], work / "content-whole")
    summarize(stores["merged"], work / "content-merged")
    whole, merged = files(work / "content-whole"), files(work / "content-merged")
    assert sorted(whole) == sorted(merged)
    assert len([name for name in whole if name.startswith("scorecards/")]) >= 100
    differing = [name for name in whole if whole[name] != merged[name]]
    # Only the reachability figure measured by a stopwatch may differ, and nothing else in those files.
    assert all(without_timings(whole[name]) == without_timings(merged[name]) for name in differing), differing
    assert all(b"median_response_ms" in whole[name] for name in differing)


def test_the_daily_round_alone_summarises_byte_identically_with_nothing_normalised(stores, tmp_path):
    """Cut both stores back to the 09:00 round: then not even a stopwatch reading differs."""
    for name in ("whole", "merged"):
        lines = (stores[name] / DAY_FILE).read_bytes().splitlines(keepends=True)
        target = tmp_path / name / DAY_FILE
        target.parent.mkdir(parents=True)
        target.write_bytes(b"".join(line for line in lines if b'"at":"2020-06-30T09:00:00+08:00"' in line))
        summarize(tmp_path / name, tmp_path / f"content-{name}")
    whole, merged = files(tmp_path / "content-whole"), files(tmp_path / "content-merged")
    assert len(whole) > 100 and whole == merged


def test_merging_the_same_shards_again_adds_nothing(stores):
    before = (stores["merged"] / DAY_FILE).read_bytes()
    shards = [stores["shards-daily"], stores["shards-daily"].with_name("09-shard-2")]
    output = run("merge", "--data", str(stores["merged"]), *map(str, shards))
    assert "0 observation(s) added" in output
    assert (stores["merged"] / DAY_FILE).read_bytes() == before
