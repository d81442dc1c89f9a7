"""The collector command as staff and CI use it."""
from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from collector.cli import main
from collector.observations import Observation
from collector.periods import CHINA_TZ
from collector.store import ObservationStore

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
    assert result.exit_code == 2
    assert f"error: {day}:2: not an observation" in result.output
    assert "Traceback" not in result.output


DEMO_REGISTRY = str(ROOT / "registry" / "lincang-demo.yaml")



@pytest.mark.parametrize("period", ["2020Q5", "2020Q0", "garbage", "20Q2", "0000Q1", "9999Q4", ""])
@pytest.mark.parametrize("command", [["summarize"], ["replay"], ["demo-run"]])
def test_an_invalid_period_is_one_located_line_and_exit_2(tmp_path, command, period):
    result = CliRunner().invoke(main, [*command, "--period", period, "--registry", DEMO_REGISTRY,
                                       "--data", str(tmp_path / "obs"), "--content", str(tmp_path / "content")]
                                if command != ["replay"] else [*command, "--period", period, "--data", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and result.output.startswith("error: Invalid value for '--period': ")
    assert "is not a quarter like 2020Q2" in result.output
    assert not (tmp_path / "content").exists()


@pytest.mark.parametrize("args, option", [
    (["summarize", "--period", "2020Q2", "--as-of", "2020-13-45"], "--as-of"),
    (["summarize", "--period", "2020Q2", "--circular-date", "yesterday"], "--circular-date"),
    (["replay", "--from", "2020-02-30", "--to", "2020-03-01"], "--from"),
    (["replay", "--from", "2020-06-02", "--to", "2020-06-01"], "--from"),
    (["round", "--as-of", "2020-06-30T25:00"], "--as-of"),
    (["demo-run", "--shards", "0"], "--shards"),
    (["round", "--check", "homepage_fresh"], "--check"),
])
def test_invalid_dates_and_numbers_are_usage_errors(tmp_path, args, option):
    result = CliRunner().invoke(main, [*args, "--data", str(tmp_path / "obs")])
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert result.output.startswith(f"error: Invalid value for '{option}'")


def test_a_missing_registry_file_is_exit_2(tmp_path):
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2 and "does not exist" in result.output and "Traceback" not in result.output


def test_summarize_refuses_a_period_without_observations_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a demo store in the working folder would change the hint (next test)
    content = tmp_path / "content"
    card = content / "scorecards" / "2020Q2" / "website" / "5309000001.md"
    card.parent.mkdir(parents=True)
    card.write_text("---\nresult: pass\n---\n", encoding="utf-8")
    before = sorted(p for p in tmp_path.rglob("*"))
    result = CliRunner().invoke(main, ["summarize", "--period", "2020Q2", "--registry", DEMO_REGISTRY,
                                       "--data", str(tmp_path / "empty"), "--content", str(content)])
    assert result.exit_code == 2
    assert result.output == (f"error: no observations of 2020Q2 up to 2020-06-30T23:59:59+08:00 in {tmp_path / 'empty'}; "
                             "nothing was written (run a round first, or give --data the folder that holds them)\n")
    assert card.read_text(encoding="utf-8") == "---\nresult: pass\n---\n"
    assert sorted(p for p in tmp_path.rglob("*")) == before


def test_summarize_points_at_the_demo_data_when_only_the_demo_has_observations(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ObservationStore("data/demo/observations").append([Observation(
        at=datetime(2020, 6, 30, 9, tzinfo=CHINA_TZ), entry="5309000001", kind="website", check="reachability",
        outcome="ok", figures={}, findings=())])
    result = CliRunner().invoke(main, ["summarize", "--period", "2020Q2", "--registry", DEMO_REGISTRY])
    assert result.exit_code == 2
    assert "in data/observations" in result.output and "add --data data/demo/observations" in result.output
    assert not (tmp_path / "content").exists()


def test_a_registry_id_leading_out_of_the_project_stops_every_command(tmp_path):
    text = (ROOT / "registry" / "lincang-demo.yaml").read_text(encoding="utf-8").replace(
        "id: wx-lczrzyj\n", "id: ../../../../pwned\n", 1)
    registry = tmp_path / "registry.yaml"
    registry.write_text(text, encoding="utf-8")
    for args in (["validate", str(registry)],
                 ["summarize", "--period", "2020Q2", "--registry", str(registry), "--data", str(tmp_path / "obs"),
                  "--content", str(tmp_path / "a" / "b" / "content")]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2, result.output
        assert "id: '../../../../pwned' must be 1-64 of A-Z a-z 0-9" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["registry.yaml"]


def test_an_unexpected_failure_is_one_line_and_exit_1(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("collector.cli.summarize_period", broken)
    monkeypatch.delenv("GOVCENSUS_TRACEBACK", raising=False)
    result = CliRunner().invoke(main, ["summarize", "--period", "2020Q2", "--registry", DEMO_REGISTRY,
                                       "--data", str(tmp_path), "--content", str(tmp_path / "content")])
    assert result.exit_code == 1
    assert result.output == "error: unexpected RuntimeError: disk on fire (set GOVCENSUS_TRACEBACK=1 to see where)\n"


def test_a_damaged_observation_file_is_a_located_error(tmp_path):
    day = tmp_path / "obs" / "2020" / "2020-06-30.jsonl"
    day.parent.mkdir(parents=True)
    good = Observation(at=datetime(2020, 6, 30, 9, tzinfo=CHINA_TZ), entry="5309000001", kind="website",
                       check="reachability", outcome="ok", figures={}, findings=()).to_json()
    day.write_text("{not json\n" + good + "\n", encoding="utf-8")   # a bad line before a good one is not torn
    result = CliRunner().invoke(main, ["summarize", "--period", "2020Q2", "--registry", DEMO_REGISTRY,
                                       "--data", str(tmp_path / "obs"), "--content", str(tmp_path / "content")])
    assert result.exit_code == 2
    assert result.output.startswith(f"error: {day}:1: not an observation (JSONDecodeError")
    assert result.output.count("\n") == 1 and not (tmp_path / "content").exists()


def one_observation(data: Path) -> None:
    ObservationStore(data).append([Observation(
        at=datetime(2020, 6, 30, 9, tzinfo=CHINA_TZ), entry="5309000001", kind="website", check="homepage_freshness",
        outcome="ok", figures={"newest_item": "2020-06-29", "age_days": 1}, findings=())])


@pytest.mark.parametrize("relative, text, expected", [
    ("rectification/marks.yaml", "schema: x\nmarks: [\x01]\n", "marks.yaml, line 2: control character U+0001"),
    ("rectification/marks.yaml", "schema: x\nmarks:\n  - date: 2020-13-45\n", "marks.yaml: ValueError: month must be"),
    ("circulars/templates/requirements.md", "---\nschema: x\nname: \x1b\n---\nbody\n",
     "requirements.md, line 3: control character U+001B"),
])
def test_broken_staff_files_under_content_are_located_errors(tmp_path, relative, text, expected):
    one_observation(tmp_path / "obs")
    shutil.copytree(ROOT / "content" / "circulars" / "templates", tmp_path / "content" / "circulars" / "templates")
    target = tmp_path / "content" / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["summarize", "--period", "2020Q2", "--registry", DEMO_REGISTRY,
                                       "--data", str(tmp_path / "obs"), "--content", str(tmp_path / "content")])
    assert result.exit_code == 2, result.output
    assert result.output.count("\n") == 1 and result.output.startswith("error: ") and expected in result.output


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
    assert observation.outcome == "error" and observation.figures["error"] == "refused_address"
    assert "failed" not in observation.figures or observation.figures["failed"] is False
    allowed = run(*args, "--allow-private-addresses", "--data", str(tmp_path / "allowed"))
    assert allowed.exit_code == 0 and "1 ok" in allowed.output and loopback.hits == [("GET", "www.a.gov.cn", "/")]


def test_a_world_clock_that_cannot_be_reached_is_a_clear_error(tmp_path):
    registry = tmp_path / "registry.yaml"
    registry.write_text(REGISTRY_ONE_SITE, encoding="utf-8")
    result = CliRunner().invoke(main, ["replay", "--registry", str(registry), "--from", "2020-06-30", "--to",
                                       "2020-06-30", "--frequent-per-day", "1", "--data", str(tmp_path / "obs"),
                                       "--world-clock", "http://127.0.0.1:9/clock"])
    assert result.exit_code == 1 and "could not be reached" in result.output and "refused" in result.output


def test_a_round_over_a_damaged_observation_file_is_a_located_error_and_exit_2(tmp_path):
    """Round, replay and summarize answer a damaged store alike: the group's one rule for bad input."""
    registry = tmp_path / "registry.yaml"
    registry.write_text(REGISTRY_ONE_SITE, encoding="utf-8")
    day = tmp_path / "obs" / "2020" / "2020-06-30.jsonl"
    day.parent.mkdir(parents=True)
    good = Observation(at=datetime(2020, 6, 30, 8, tzinfo=CHINA_TZ), entry="5300000001", kind="website",
                       check="reachability", outcome="ok", figures={}, findings=()).to_json()
    day.write_text("{not json\n" + good + "\n", encoding="utf-8")
    before = day.read_bytes()
    result = CliRunner().invoke(main, ["round", "--registry", str(registry), "--cadence", "frequent",
                                       "--as-of", "2020-06-30T09:00", "--resolve", "*=127.0.0.1:9",
                                       "--allow-private-addresses", "--data", str(tmp_path / "obs")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"error: {day}:1: not an observation" in result.output
    assert day.read_bytes() == before


def test_summarizing_again_later_on_the_same_data_leaves_an_edited_circular_alone_and_no_new_draft(tmp_path):
    """The hourly workflow re-runs summarize with a later --as-of; the draft is dated by its data
    (the latest observation), so an edited circular gets no spurious <period>-new-draft.md."""
    shutil.copytree(ROOT / "content" / "circulars" / "templates", tmp_path / "content" / "circulars" / "templates")
    ObservationStore(tmp_path / "obs").append([Observation(
        at=datetime(2020, 6, 28, 9, tzinfo=CHINA_TZ), entry="5309000001", kind="website",
        check="homepage_freshness", outcome="ok", figures={"age_days": 1})])

    def summarize(as_of: str):
        return run("summarize", "--period", "2020Q2", "--registry", str(ROOT / "registry" / "lincang-demo.yaml"),
                   "--data", str(tmp_path / "obs"), "--content", str(tmp_path / "content"), "--as-of", as_of)

    assert summarize("2020-07-02T10:00:00+08:00").exit_code == 0
    circular = tmp_path / "content" / "circulars" / "2020Q2.md"
    assert "\n2020年6月28日\n" in circular.read_text(encoding="utf-8")
    circular.write_text(circular.read_text(encoding="utf-8").replace("Status: draft", "Status: published"),
                        encoding="utf-8")
    result = summarize("2020-07-09T15:00:00+08:00")
    assert result.exit_code == 0 and "new-draft" not in result.output
    assert not (tmp_path / "content" / "circulars" / "2020Q2-new-draft.md").exists()
    # an explicit date is a different draft: that one does wait beside the published circular
    result = run("summarize", "--period", "2020Q2", "--registry", str(ROOT / "registry" / "lincang-demo.yaml"),
                 "--data", str(tmp_path / "obs"), "--content", str(tmp_path / "content"),
                 "--circular-date", "2020-07-09T15:00:00+08:00")
    assert (tmp_path / "content" / "circulars" / "2020Q2-new-draft.md").exists() and "new-draft" in result.output
