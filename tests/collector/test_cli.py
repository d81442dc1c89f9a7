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


def test_validate_lists_every_located_problem_and_exits_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text('office: x\nregion: y\nwebsites:\n  - site_code: "12"\n    name: a\n    level: 市级\n'
                   '    url: http://a.gov.cn/\n', encoding="utf-8")
    result = run("validate", str(bad))
    assert result.exit_code == 2
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
    assert result.exit_code == 2
    assert f"error: {profile}, line 3:" in result.output
