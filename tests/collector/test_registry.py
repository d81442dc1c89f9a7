"""The registry: our YAML format and the spreadsheets staff keep, with located errors."""
from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from collector.registry import RegistryError, load_registry

VALID = """\
office: 临沧市人民政府办公室
region: 临沧市
websites:
  - site_code: "5309000001"
    name: 临沧市人民政府
    unit: 临沧市人民政府办公室
    level: 市级
    site_kind: 政府门户网站
    url: http://www.lincang.gov.cn/
    columns:
      - {name: 要闻动态, type: 要闻动态, url: "http://www.lincang.gov.cn/ywdt/"}
  - site_code: "5309000099"
    name: 临沧市水务局
    unit: 临沧市水务局
    level: 市级
    site_kind: 部门网站
    url: http://www.lcsd.gov.cn/
    status: 下线
columns:
  - id: lctjj
    name: 临沧市统计局信息公开专栏
    unit: 临沧市统计局
    parent: "5309000001"
    url: http://www.lincang.gov.cn/zfxxgk/tjj/
accounts:
  - id: wx-lczrzy
    platform: 微信公众号
    name: 临沧市自然资源和规划局
    unit: 临沧市自然资源和规划局
    feed: http://rsshub.world.test/wechat/lczrzy
message_platforms:
  - id: msg-city
    name: 临沧市人民政府门户网站
    unit: 临沧市人民政府办公室
    belongs_to: "5309000001"
    export: http://www.lincang.gov.cn/hdjl/export.csv
    report_label: 市级
"""


def write(tmp_path: Path, text: str, name: str = "registry.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_registry_loads_every_kind_of_entry(tmp_path):
    registry = load_registry(write(tmp_path, VALID))
    assert [e.kind for e in registry.entries()] == ["website", "website", "column", "account", "message_platform"]
    assert registry.get("lctjj").parent == "5309000001"
    assert registry.websites[1].status == "下线"


def test_a_valid_registry_round_trips_through_yaml(tmp_path):
    registry = load_registry(write(tmp_path, VALID))
    again = load_registry(write(tmp_path, registry.to_yaml(), "again.yaml"))
    assert again == registry


def test_every_problem_is_reported_with_line_and_field(tmp_path):
    bad = VALID.replace('site_code: "5309000001"', 'site_code: "53090"').replace("level: 市级\n    site_kind: 政府门户网站",
                                                                                  "level: 国家级\n    site_kind: 政府门户网站")
    with pytest.raises(RegistryError) as caught:
        load_registry(write(tmp_path, bad))
    messages = [str(p) for p in caught.value.problems]
    assert any("line 4: site_code: '53090' is not a 10-digit" in m for m in messages)
    assert any("line 4: level: '国家级' is not one of" in m for m in messages)
    assert any("parent: no website with site_code '5309000001'" in m for m in messages)


def test_a_missing_field_and_a_bad_url_are_located(tmp_path):
    bad = VALID.replace("    unit: 临沧市统计局\n", "").replace("feed: http://rsshub", "feed: rsshub")
    with pytest.raises(RegistryError) as caught:
        load_registry(write(tmp_path, bad))
    text = str(caught.value)
    assert "line 20: unit: missing" in text
    assert "feed: 'rsshub.world.test/wechat/lczrzy' is not an http(s) URL" in text


def test_duplicate_ids_name_the_first_use(tmp_path):
    bad = VALID.replace("id: msg-city", "id: lctjj")
    with pytest.raises(RegistryError) as caught:
        load_registry(write(tmp_path, bad))
    assert "id: 'lctjj' is already used at" in str(caught.value)


def test_a_yaml_syntax_error_gives_its_line(tmp_path):
    with pytest.raises(RegistryError) as caught:
        load_registry(write(tmp_path, "office: [unclosed\nregion: x\n"))
    assert "line" in str(caught.value.problems[0].location)


def make_sheet(path: Path, rows: list[list[str]]) -> Path:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def test_the_office_spreadsheet_imports_with_chinese_headers(tmp_path):
    sheet = make_sheet(tmp_path / "网站清单.xlsx", [
        ["网站标识码", "网站名称", "主办单位", "级别", "首页网址"],
        ["5309000001", "临沧市人民政府", "临沧市人民政府办公室", "市级", "http://www.lincang.gov.cn/"],
        ["5309220001", "凤庆县人民政府", "凤庆县人民政府办公室", "县级", "http://www.ynfq.gov.cn/"],
    ])
    registry = load_registry(sheet)
    assert [w.site_code for w in registry.websites] == ["5309000001", "5309220001"]
    assert registry.websites[1].level == "县级"


def test_spreadsheet_errors_name_the_row_and_the_field(tmp_path):
    sheet = make_sheet(tmp_path / "网站清单.xlsx", [
        ["网站标识码", "网站名称", "主办单位", "级别", "首页网址"],
        ["5309000001", "临沧市人民政府", "临沧市人民政府办公室", "市级", "http://www.lincang.gov.cn/"],
        ["530922", "凤庆县人民政府", "", "县级", "www.ynfq.gov.cn"],
    ])
    with pytest.raises(RegistryError) as caught:
        load_registry(sheet)
    messages = [str(p) for p in caught.value.problems]
    assert f"{sheet}, row 3: site_code: '530922' is not a 10-digit 网站标识码" in messages
    assert f"{sheet}, row 3: unit: missing" in messages
    assert any(m.startswith(f"{sheet}, row 3: url:") for m in messages)


def test_a_gbk_csv_sheet_imports(tmp_path):
    path = tmp_path / "网站清单.csv"
    with open(path, "w", encoding="gb18030", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["网站标识码", "网站名称", "主办单位", "级别", "首页网址"])
        writer.writerow(["5309000001", "临沧市人民政府", "临沧市人民政府办公室", "市级", "http://www.lincang.gov.cn/"])
    assert load_registry(path).websites[0].name == "临沧市人民政府"


def test_an_unknown_header_is_an_error_not_ignored(tmp_path):
    sheet = make_sheet(tmp_path / "x.xlsx", [["网站标识码", "网站名称", "主办单位", "级别", "首页网址", "备注栏"],
                                             ["5309000001", "a", "b", "市级", "http://a.gov.cn/", "x"]])
    with pytest.raises(RegistryError) as caught:
        load_registry(sheet)
    assert "row 1: 备注栏: unknown column header" in str(caught.value)
