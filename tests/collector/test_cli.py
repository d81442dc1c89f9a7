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


def _summarize_over(tmp_path, data_dir):
    import shutil

    shutil.copytree(ROOT / "content" / "circulars" / "templates", tmp_path / "content" / "circulars" / "templates",
                    dirs_exist_ok=True)
    return CliRunner().invoke(main, ["summarize", "--period", "2020Q2",
                                     "--registry", str(ROOT / "registry" / "lincang-demo.yaml"),
                                     "--data", str(data_dir), "--content", str(tmp_path / "content")])


def _day_file_with(data_dir, tail: str):
    from datetime import datetime

    from collector.observations import Observation
    from collector.periods import CHINA_TZ
    from collector.store import ObservationStore

    store = ObservationStore(data_dir)
    obs = Observation(at=datetime(2020, 6, 30, 9, tzinfo=CHINA_TZ), entry="5309000001", kind="website",
                      check="homepage_freshness", outcome="ok", figures={"age_days": 1})
    store.append([obs])
    day = store.day_file(obs.at.date())
    with open(day, "a", encoding="utf-8") as handle:
        handle.write(tail)
    return day


def test_summarize_repairs_a_torn_last_line_and_says_so(tmp_path):
    day = _day_file_with(tmp_path / "obs", '{"v": 1, "at": "2020-06-30T10:0')
    result = _summarize_over(tmp_path, tmp_path / "obs")
    assert result.exit_code == 0, result.output
    assert f"warning: {day}: 1 torn line repaired (kept in {day}.torn)" in result.output
    assert day.with_name(day.name + ".torn").read_text(encoding="utf-8") == '{"v": 1, "at": "2020-06-30T10:0\n'


def test_summarize_over_a_corrupt_line_in_the_middle_is_a_located_error(tmp_path):
    day = _day_file_with(tmp_path / "obs", "garbage\n" + '{"v": 1}' + "\n")
    # the last line is torn too (not an observation): it is repaired, the middle one is reported
    result = _summarize_over(tmp_path, tmp_path / "obs")
    assert result.exit_code == 1
    assert f"error: {day}:2: not an observation" in result.output
    assert "Traceback" not in result.output
