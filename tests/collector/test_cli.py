"""The collector command as staff and CI use it."""
from __future__ import annotations

from pathlib import Path

import openpyxl
from click.testing import CliRunner

from collector.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_validate_accepts_the_demo_registry():
    result = run("validate", str(ROOT / "registry" / "lincang-demo.yaml"))
    assert result.exit_code == 0
    assert "valid — 11 websites, 34 columns, 63 accounts, 11 message platforms" in result.output


def test_validate_lists_every_located_problem_and_exits_non_zero(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text('office: x\nregion: y\nwebsites:\n  - site_code: "12"\n    name: a\n    level: 市级\n'
                   '    url: http://a.gov.cn/\n', encoding="utf-8")
    result = run("validate", str(bad))
    assert result.exit_code == 1
    assert f"{bad}, line 4: site_code: '12' is not a 10-digit 网站标识码" in result.output
    assert f"{bad}, line 4: unit: missing" in result.output
    assert "2 problem(s)" in result.output


def test_import_sheet_writes_a_registry_that_validates(tmp_path):
    sheet = tmp_path / "网站清单.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["网站标识码", "网站名称", "主办单位", "级别", "首页网址"])
    workbook.active.append(["5309000001", "临沧市人民政府", "临沧市人民政府办公室", "市级", "http://www.lincang.gov.cn/"])
    workbook.save(sheet)
    output = tmp_path / "registry.yaml"
    assert run("import-sheet", str(sheet), "-o", str(output)).exit_code == 0
    assert run("validate", str(output)).exit_code == 0


def test_the_demo_world_commands_are_part_of_the_collector():
    result = run("demo", "--help")
    assert result.exit_code == 0 and "serve" in result.output


def test_a_malformed_resolve_is_a_usage_error():
    result = CliRunner().invoke(main, ["round", "--resolve", "*=127.0.0.1:"])
    assert result.exit_code == 2 and "expected HOST_PATTERN=IP:PORT" in result.output


def test_a_broken_profile_is_a_located_error_not_a_traceback(tmp_path):
    profile = tmp_path / "profile.yaml"
    profile.write_text("checks:\n  reachability: [unclosed\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["summarize", "--period", "2020Q2", "--profile", str(profile),
                                       "--registry", str(ROOT / "registry" / "lincang-demo.yaml"),
                                       "--data", str(tmp_path / "obs"), "--content", str(tmp_path / "content")])
    assert result.exit_code == 1
    assert f"error: {profile}, line 3:" in result.output


REGISTRY_ONE_SITE = """\
office: 测试
region: 测试
websites:
  - site_code: '5300000001'
    name: 测试网站
    unit: 测试
    level: 市级
    url: http://www.a.gov.cn/
"""


def test_a_round_refuses_a_world_on_loopback_unless_allowed(tmp_path, loopback):
    from collector.store import ObservationStore
    from loopback import Page

    loopback.add("www.a.gov.cn", "/", Page("<p>ok</p>"))
    registry = tmp_path / "registry.yaml"
    registry.write_text(REGISTRY_ONE_SITE, encoding="utf-8")
    args = ["round", "--registry", str(registry), "--cadence", "frequent", "--as-of", "2020-06-30T09:00",
            "--resolve", f"*=127.0.0.1:{loopback.port}"]
    refused = run(*args, "--data", str(tmp_path / "refused"))
    assert refused.exit_code == 0 and "1 could not be checked" in refused.output and loopback.hits == []
    from datetime import date
    (observation,) = ObservationStore(tmp_path / "refused").read(date(2020, 6, 30), date(2020, 6, 30))
    assert observation.figures == {"error": "refused_address"}
    allowed = run(*args, "--allow-private-addresses", "--data", str(tmp_path / "allowed"))
    assert allowed.exit_code == 0 and "1 ok" in allowed.output and loopback.hits == [("GET", "www.a.gov.cn", "/")]


def test_a_world_clock_that_cannot_be_reached_is_a_clear_error(tmp_path):
    registry = tmp_path / "registry.yaml"
    registry.write_text(REGISTRY_ONE_SITE, encoding="utf-8")
    result = CliRunner().invoke(main, ["replay", "--registry", str(registry), "--from", "2020-06-30", "--to",
                                       "2020-06-30", "--frequent-per-day", "1", "--data", str(tmp_path / "obs"),
                                       "--world-clock", "http://127.0.0.1:9/clock"])
    assert result.exit_code == 1 and "could not be reached" in result.output and "refused" in result.output
