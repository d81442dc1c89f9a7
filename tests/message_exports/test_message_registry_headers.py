"""A message platform's header mapping in the registry: YAML and sheet forms, located errors, round trip."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from collector.registry import RegistryError, load_registry

YAML = """\
office: 临沧市人民政府办公室
region: 临沧市
websites:
  - site_code: "5309000001"
    name: 临沧市人民政府
    unit: 临沧市人民政府办公室
    level: 市级
    url: http://www.lincang.gov.cn/
message_platforms:
  - id: msg-city
    name: 临沧市人民政府门户网站
    unit: 临沧市人民政府办公室
    belongs_to: "5309000001"
    export: http://www.lincang.gov.cn/hdjl/export.csv
    report_label: 市级
  - id: msg-teddy
    name: 市长信箱
    unit: 临沧市人民政府办公室
    belongs_to: "5309000001"
    export: exports/附件4.xlsx
    report_label: 市级
    headers:
      reply_text: 答复意见
      replied_at: [答复时间, 回复日期]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "registry.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_headers_are_optional_and_map_fields_to_names(tmp_path: Path) -> None:
    registry = load_registry(write(tmp_path, YAML))
    city, teddy = registry.message_platforms
    assert city.headers == () and city.header_mapping == {}
    assert teddy.header_mapping == {"reply_text": ("答复意见",), "replied_at": ("答复时间", "回复日期")}


def test_a_registry_with_headers_round_trips(tmp_path: Path) -> None:
    registry = load_registry(write(tmp_path, YAML))
    again = load_registry(write(tmp_path, registry.to_yaml()))
    assert again == registry
    assert "headers" not in registry.to_yaml().split("msg-teddy")[0]  # nothing written for a platform without


@pytest.mark.parametrize(("headers", "field", "reason"), [
    ("      title: 留言主题\n", "headers", "'title' is not one of id, received_at"),
    ("      replied_at: ''\n", "headers.replied_at", "must be a header name"),
    ("      replied_at: [答复时间, {a: b}]\n", "headers.replied_at", "must be a header name"),
])
def test_a_bad_mapping_is_a_located_error(tmp_path: Path, headers: str, field: str, reason: str) -> None:
    text = YAML.replace("      reply_text: 答复意见\n      replied_at: [答复时间, 回复日期]\n", headers)
    with pytest.raises(RegistryError) as caught:
        load_registry(write(tmp_path, text))
    [problem] = caught.value.problems
    assert problem.field == field and reason in problem.reason
    assert str(problem.location) == f"{tmp_path / 'registry.yaml'}, line 16"


def test_a_mapping_that_is_not_a_mapping_is_a_located_error(tmp_path: Path) -> None:
    text = YAML.replace("    headers:\n      reply_text: 答复意见\n      replied_at: [答复时间, 回复日期]\n",
                        "    headers: [答复意见]\n")
    with pytest.raises(RegistryError, match="line 16: headers: must be a mapping"):
        load_registry(write(tmp_path, text))


def test_the_sheet_column_holds_the_mapping_as_text(tmp_path: Path) -> None:
    path = tmp_path / "清单.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["类型", "网站标识码", "标识", "名称", "主办单位", "级别", "首页网址", "所属网站或专栏", "导出地址",
                         "通报名称", "留言表头"])
        writer.writerow(["网站", "5309000001", "", "临沧市人民政府", "临沧市人民政府办公室", "市级",
                         "http://www.lincang.gov.cn/", "", "", "", ""])
        writer.writerow(["留言平台", "", "msg-teddy", "市长信箱", "临沧市人民政府办公室", "", "", "5309000001",
                         "exports/附件4.xlsx", "市级", "reply_text=答复意见； replied_at=答复时间/回复日期"])
        writer.writerow(["留言平台", "", "msg-bad", "信箱", "临沧市人民政府办公室", "", "", "5309000001",
                         "exports/b.xlsx", "市级", "答复意见"])
    with pytest.raises(RegistryError) as caught:
        load_registry(path)
    [problem] = caught.value.problems
    assert (str(problem.location), problem.field) == (f"{path}, row 4", "留言表头 (headers)")
    assert "'答复意见' is not field=header name" in problem.reason
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    path.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    [platform] = load_registry(path).message_platforms
    assert platform.header_mapping == {"reply_text": ("答复意见",), "replied_at": ("答复时间", "回复日期")}
