"""The registry: our YAML format and the spreadsheets staff keep, with located errors."""
from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import openpyxl
import pytest

from collector.registry import RegistryError, export_path, load_registry, safe_id

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
    # the column as the sheet names it, our field name beside it
    assert f"{sheet}, row 3: 网站标识码 (site_code): '530922' is not a 10-digit 网站标识码" in messages
    assert f"{sheet}, row 3: 主办单位 (unit): missing" in messages
    assert any(m.startswith(f"{sheet}, row 3: 首页网址 (url):") for m in messages)


def test_a_sheet_problem_names_the_column_by_the_sheets_own_header_or_the_usual_one(tmp_path):
    """网址 where another office writes 首页网址; a column the sheet lacks by the header it would take."""
    sheet = make_sheet(tmp_path / "网站清单.xlsx", [
        ["网站标识码", "名称", "网址"],
        ["5309000001", "临沧市人民政府", "ftp://www.lincang.gov.cn/"],
    ])
    with pytest.raises(RegistryError) as caught:
        load_registry(sheet)
    messages = [str(p) for p in caught.value.problems]
    assert f"{sheet}, row 2: 网址 (url): 'ftp://www.lincang.gov.cn/' is not an http(s) URL with a host" in messages
    assert f"{sheet}, row 2: 主办单位 (unit): missing" in messages
    assert f"{sheet}, row 2: 级别 (level): missing" in messages


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


def problems_of(path: Path) -> list[str]:
    with pytest.raises(RegistryError) as caught:
        load_registry(path)
    return [str(p) for p in caught.value.problems]


# --------------------------------------------------------------------------- ids name files

DEMO = Path(__file__).resolve().parents[2] / "registry" / "lincang-demo.yaml"


def test_every_demo_registry_id_is_in_the_safe_alphabet():
    ids = [entry.id for entry in load_registry(DEMO).entries()]
    assert len(ids) == 119 and all(safe_id(i) for i in ids)


@pytest.mark.parametrize("bad_id", ["../../../../x", "/etc/cron.d/x", "a..b", "-lead", ".hidden", "a/b", "a b",
                                    "统计局", "x" * 65, "tab\there"])
def test_an_id_outside_the_safe_alphabet_is_a_located_error(tmp_path, bad_id):
    text = VALID.replace("  - id: lctjj\n", f"  - id: {json.dumps(bad_id)}\n")
    messages = problems_of(write(tmp_path, text))
    assert any(m.startswith(f"{tmp_path / 'registry.yaml'}, line 20: id: ") and "must be 1-64 of A-Z a-z 0-9" in m
               for m in messages), messages


@pytest.mark.parametrize("good_id", ["a", "5309001234", "wx-other", "msg_city.2", "A" * 64])
def test_ids_in_the_safe_alphabet_load(tmp_path, good_id):
    text = VALID.replace("  - id: lctjj\n", f"  - id: {json.dumps(good_id)}\n")
    assert load_registry(write(tmp_path, text)).columns[0].id == good_id


# --------------------------------------------------------------------------- unknown and repeated keys

def test_an_unknown_key_names_its_line_and_the_closest_known_key(tmp_path):
    text = VALID.replace("    columns:\n      - {name: 要闻动态", "    colums:\n      - {name: 要闻动态")
    messages = problems_of(write(tmp_path, text))
    assert messages == [f"{tmp_path / 'registry.yaml'}, line 10: colums: unknown field; did you mean 'columns'?"]


def test_unknown_keys_are_caught_at_every_level(tmp_path):
    text = ("ofice: x\n" + VALID.replace("{name: 要闻动态, type: 要闻动态,", "{name: 要闻动态, typ: 要闻动态,")
            .replace("    feed: http://rsshub", "    comment: 备注\n    feed: http://rsshub"))
    messages = problems_of(write(tmp_path, text))
    assert any("line 1: ofice: unknown field; did you mean 'office'?" in m for m in messages)
    assert any("line 12: typ: unknown field; did you mean 'type'?" in m for m in messages)
    assert any("line 31: comment: unknown field; known: id, platform, name" in m for m in messages)


def test_a_key_given_twice_in_one_entry_is_an_error_not_a_silent_override(tmp_path):
    text = VALID.replace("    unit: 临沧市统计局\n", "    unit: 临沧市统计局\n    unit: 临沧市财政局\n")
    assert any("line 23: unit: given twice in one entry" in m for m in problems_of(write(tmp_path, text)))


# --------------------------------------------------------------------------- exports stay in the repository

@pytest.mark.parametrize("export", ["/etc/passwd", "/proc/self/environ", "../../../../etc/passwd", "exports/../../x.csv",
                                    "file:///etc/passwd", "ftp://www.lincang.gov.cn/export.csv", "http:///nohost.csv",
                                    "C:/Windows/x.csv"])
def test_an_export_outside_the_repository_or_not_http_is_a_located_error(tmp_path, export):
    text = VALID.replace("export: http://www.lincang.gov.cn/hdjl/export.csv", f"export: {json.dumps(export)}")
    messages = problems_of(write(tmp_path, text))
    assert len(messages) == 1 and messages[0].startswith(f"{tmp_path / 'registry.yaml'}, line 32: export: "), messages


def test_a_relative_export_is_read_from_the_repository_root(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "registry").mkdir()
    text = VALID.replace("export: http://www.lincang.gov.cn/hdjl/export.csv", "export: exports/city.csv")
    registry = load_registry(write(tmp_path / "registry", text))
    assert registry.root == tmp_path.resolve()
    assert export_path(registry.message_platforms[0].export, registry.root) == tmp_path.resolve() / "exports" / "city.csv"


def test_an_export_through_a_symlink_out_of_the_repository_is_refused(tmp_path):
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "secret").mkdir()
    os.symlink(tmp_path / "secret", tmp_path / "repo" / "exports")
    text = VALID.replace("export: http://www.lincang.gov.cn/hdjl/export.csv", "export: exports/city.csv")
    messages = problems_of(write(tmp_path / "repo", text))
    assert any("export: 'exports/city.csv' resolves outside the repository" in m for m in messages)
    with pytest.raises(ValueError, match="outside the repository"):
        export_path("exports/city.csv", (tmp_path / "repo").resolve())


# --------------------------------------------------------------------------- malformed files

def test_a_control_character_is_located_not_a_crash(tmp_path):
    path = tmp_path / "registry.yaml"
    path.write_bytes(VALID.replace("临沧市统计局信息公开专栏", "临沧\x07统计局").encode("utf-8"))
    assert problems_of(path) == [f"{path}, line 21: (syntax): control character U+0007 is not allowed"]


def test_an_impossible_date_is_plain_text(tmp_path):
    registry = load_registry(write(tmp_path, VALID.replace("name: 临沧市统计局信息公开专栏", "name: 2020-13-45")))
    assert registry.columns[0].name == "2020-13-45"


def test_a_date_where_a_list_belongs_is_a_located_error(tmp_path):
    messages = problems_of(write(tmp_path, VALID.replace("accounts:\n", "accounts: 2020-13-45\nx_accounts:\n")))
    assert any("accounts: must be a list" in m for m in messages)


@pytest.mark.parametrize("nested", ["[" * 5000 + "]" * 5000, "{a: " * 3000 + "1" + "}" * 3000])
def test_deeply_nested_brackets_are_a_located_error(tmp_path, nested):
    assert problems_of(write(tmp_path, f"office: x\nregion: {nested}\n")) == \
        [f"{tmp_path / 'registry.yaml'}, line 2: (syntax): nested more than 50 levels deep"]


def test_deep_block_nesting_is_a_located_error(tmp_path):
    text = "office: x\nregion:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 1500))
    messages = problems_of(write(tmp_path, text))
    assert len(messages) == 1 and "(syntax)" in messages[0]


def test_a_file_that_is_not_a_workbook_is_a_located_error(tmp_path):
    path = tmp_path / "网站清单.xlsx"
    path.write_text("网站标识码,网站名称\n", encoding="utf-8")
    assert problems_of(path) == [f"{path}: (file): not an XLSX workbook (not a zip file)"]


def test_a_utf16_csv_from_excel_imports(tmp_path):
    path = tmp_path / "网站清单.csv"
    path.write_bytes("网站标识码,网站名称,主办单位,级别,首页网址\r\n5309000001,临沧市人民政府,临沧市人民政府办公室,市级,"
                     "http://www.lincang.gov.cn/\r\n".encode("utf-16"))
    assert load_registry(path).websites[0].name == "临沧市人民政府"


def test_a_csv_that_is_no_known_encoding_is_a_located_error(tmp_path):
    path = tmp_path / "网站清单.csv"
    path.write_bytes(b"\x00\x81\xff\xfe\x00" * 20)
    assert problems_of(path) == [f"{path}: (encoding): the file is not UTF-8, UTF-16 (with BOM) or GBK text"]


def test_a_numeric_site_code_cell_is_the_code(tmp_path):
    sheet = make_sheet(tmp_path / "x.xlsx", [["网站标识码", "网站名称", "主办单位", "级别", "首页网址"],
                                             [5309000001, "a", "b", "市级", "http://a.gov.cn/"]])
    assert load_registry(sheet).websites[0].site_code == "5309000001"


def test_an_unknown_header_suggests_the_closest_known_one(tmp_path):
    sheet = make_sheet(tmp_path / "x.xlsx", [["网站标识码", "网站名", "主办单位", "级别", "首页网址"],
                                             ["5309000001", "a", "b", "市级", "http://a.gov.cn/"]])
    assert f"{sheet}, row 1: 网站名: unknown column header; did you mean '网站名称'?" in problems_of(sheet)


def test_a_missing_file_is_a_located_error(tmp_path):
    assert problems_of(tmp_path / "nope.yaml") == [f"{tmp_path / 'nope.yaml'}: (file): cannot read: No such file or directory"]


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\u202e", "\n"])
def test_invisible_control_characters_in_a_value_are_a_located_error(tmp_path, char):
    text = VALID.replace("name: 临沧市统计局信息公开专栏", f"name: {json.dumps('临沧' + char + '统计局')}")
    assert problems_of(write(tmp_path, text)) == [
        f"{tmp_path / 'registry.yaml'}, line 20: name: contains the invisible control character U+{ord(char):04X}"]


def test_the_fast_and_the_pure_python_loaders_read_a_registry_alike(tmp_path, monkeypatch):
    """libyaml reads the file; the pure-Python parser must give the same registry and the same located
    problems (lines and fields), since it is only kept to word syntax errors."""
    import collector.registry as module

    bad = VALID.replace('site_code: "5309000001"', 'site_code: "53090"').replace("    unit: 临沧市统计局\n", "")
    fast_ok = load_registry(write(tmp_path, VALID))
    with pytest.raises(RegistryError) as fast_bad:
        load_registry(write(tmp_path, bad, "bad.yaml"))
    monkeypatch.setattr(module, "_FastLineLoader", module._LineLoader)
    assert load_registry(write(tmp_path, VALID)) == fast_ok
    with pytest.raises(RegistryError) as slow_bad:
        load_registry(write(tmp_path, bad, "bad.yaml"))
    assert [str(p) for p in fast_bad.value.problems] == [str(p) for p in slow_bad.value.problems]
    assert any("line 20: unit: missing" in str(p) for p in fast_bad.value.problems)


def test_a_syntax_error_is_worded_by_the_pure_python_parser(tmp_path):
    with pytest.raises(RegistryError) as caught:
        load_registry(write(tmp_path, "office: x\nwebsites:\n- name: [a\n  url: b\n"))
    problem = caught.value.problems[0]  # libyaml would say "did not find expected ',' or ']'"
    assert problem.location.line == 4 and problem.reason == "expected ',' or ']', but got ':'"


def test_a_control_character_is_refused_on_either_loaders_path(tmp_path):
    """A raw control character in the file is PyYAML's reader's refusal (libyaml would let it through)."""
    with pytest.raises(RegistryError) as caught:
        load_registry(write(tmp_path, VALID.replace("office: ", "office: \x07", 1)))
    assert "control character U+0007" in str(caught.value)
