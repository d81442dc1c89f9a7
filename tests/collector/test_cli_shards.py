"""`collector round --shard K/N` and `collector shard-plan` as the scheduled workflow calls them."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from collector.cli import main
from collector.shards import Manifest, Shard
from collector.store import ObservationStore
from loopback import Page

REGISTRY = """\
office: 测试
region: 测试
websites:
  - site_code: '5300000001'
    name: 甲
    unit: 测试
    level: 市级
    url: http://www.a.gov.cn/
  - site_code: '5300000002'
    name: 乙
    unit: 测试
    level: 市级
    url: http://www.b.gov.cn/
columns:
  - id: col-a
    name: 甲的专栏
    unit: 测试
    parent: '5300000001'
    url: http://www.a.gov.cn/gk/
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    path = tmp_path / "registry.yaml"
    path.write_text(REGISTRY, encoding="utf-8")
    return path


def round_args(registry: Path, loopback, shard: str) -> list[str]:
    return ["round", "--registry", str(registry), "--cadence", "frequent", "--as-of", "2020-06-30T09:00",
            "--allow-private-addresses", "--resolve", f"*=127.0.0.1:{loopback.port}", "--shard", shard]


def test_a_shard_round_checks_its_entries_only_into_its_own_default_store(tmp_path, registry, loopback, monkeypatch):
    for host in ("www.a.gov.cn", "www.b.gov.cn"):
        loopback.add(host, "/", Page("<p>ok</p>"))
        loopback.add(host, "/gk/", Page("<p>ok</p>"))
    monkeypatch.chdir(tmp_path)
    first = run(*round_args(registry, loopback, "1/2"))
    second = run(*round_args(registry, loopback, "2/2"))
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert "shard 1/2 -> data/shards/1-of-2" in first.output
    stores = [tmp_path / "data" / "shards" / name for name in ("1-of-2", "2-of-2")]
    seen = [{o.entry for o in ObservationStore(s).read(date(2020, 6, 30), date(2020, 6, 30))} for s in stores]
    manifests = [Manifest.read(s) for s in stores]
    assert [m.shard for m in manifests] == [Shard(1, 2), Shard(2, 2)]
    assert [set(m.entries) for m in manifests] == [{"5300000001", "col-a"}, {"5300000002"}]
    assert seen == [{"5300000001", "col-a"}, {"5300000002"}]
    assert not (tmp_path / "data" / "observations").exists()  # the main store is the merge's alone


@pytest.mark.parametrize("shard, reason", [("0/2", "K must be from 1 to N"), ("2/1", "K must be from 1 to N"),
                                           ("1/300", "N must be from 1 to 256"), ("half", "is not K/N")])
def test_a_bad_shard_is_a_usage_error_with_exit_2(tmp_path, registry, shard, reason):
    result = run("round", "--registry", str(registry), "--shard", shard, "--data", str(tmp_path / "s"))
    assert result.exit_code == 2
    assert result.output.startswith("error: Invalid value for '--shard'") and reason in result.output
    assert not (tmp_path / "s").exists()


def test_a_shard_round_refuses_the_main_store_and_another_shards_store_before_any_request(tmp_path, registry,
                                                                                          loopback):
    main_store = tmp_path / "observations"
    (main_store / "2020").mkdir(parents=True)
    (main_store / "2020" / "2020-06-29.jsonl").write_text("", encoding="utf-8")
    refused = run(*round_args(registry, loopback, "1/2"), "--data", str(main_store))
    assert refused.exit_code == 2 and "holds observations but no shard.json" in refused.output
    other = tmp_path / "other"
    other.mkdir()
    (other / "shard.json").write_text(Manifest(Shard(2, 2), frozenset({"5300000002"})).to_json(), encoding="utf-8")
    clash = run(*round_args(registry, loopback, "1/2"), "--data", str(other))
    assert clash.exit_code == 2 and "is the store of shard 2/2" in clash.output
    assert loopback.hits == [] and not (main_store / "shard.json").exists()


def test_a_shard_round_never_writes_into_the_main_store_even_when_it_is_still_empty(tmp_path, registry, loopback,
                                                                                     monkeypatch):
    monkeypatch.chdir(tmp_path)
    refused = run(*round_args(registry, loopback, "1/2"), "--data", "data/observations")
    assert refused.exit_code == 2 and "data/observations is the main observation store" in refused.output
    assert loopback.hits == [] and not (tmp_path / "data").exists()


def test_shard_plan_sizes_the_matrix_from_the_registry(registry):
    assert json.loads(run("shard-plan", "--registry", str(registry)).output) == ["1/1"]
    assert json.loads(run("shard-plan", "--registry", str(registry), "--entries-per-shard", "2").output) == ["1/2", "2/2"]
    capped = CliRunner().invoke(main, ["shard-plan", "--registry", str(registry), "--entries-per-shard", "1",
                                       "--max-shards", "2"])
    assert capped.exit_code == 0 and json.loads(capped.stdout) == ["1/2", "2/2"]
    assert "warning: 3 entries need more than 2 shards of 1" in capped.stderr
