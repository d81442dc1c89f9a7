"""The commands that name a demo world: write-registry and demo-run's --world."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from collector.cli import main
from collector.demo.cli import demo
from collector.demo.worlds import DEFAULT_WORLD, WORLDS
from collector.demo_run import world_process

ROOT = Path(__file__).resolve().parents[2]


def test_write_registry_for_the_second_world_gives_the_committed_file(tmp_path):
    target = tmp_path / "cenzhou.yaml"
    result = CliRunner().invoke(demo, ["write-registry", "--world", "cenzhou", str(target)])
    assert result.exit_code == 0, result.output
    assert "5 websites, 6 columns, 12 accounts, 3 message platforms" in result.output
    assert target.read_bytes() == (ROOT / "registry" / "cenzhou-demo.yaml").read_bytes()


def test_demo_run_refuses_a_world_it_does_not_know():
    result = CliRunner().invoke(main, ["demo-run", "--world", "atlantis"])
    assert result.exit_code == 2 and "atlantis" in result.output


def test_a_world_process_of_an_unknown_world_is_never_started():
    with pytest.raises(ValueError, match="no demo world 'atlantis'"):
        with world_process("atlantis"):
            pass


def test_demo_run_without_a_world_is_still_lincang_with_its_former_defaults():
    lincang = WORLDS[DEFAULT_WORLD]
    assert (lincang.name, lincang.registry, lincang.period, lincang.circular_date) == \
        ("lincang", "registry/lincang-demo.yaml", "2020Q2", "2020-07-13")
    cenzhou = WORLDS["cenzhou"]
    assert (cenzhou.registry, cenzhou.period) == ("registry/cenzhou-demo.yaml", "2021Q3")
    assert all((ROOT / spec.registry).is_file() for spec in WORLDS.values())
