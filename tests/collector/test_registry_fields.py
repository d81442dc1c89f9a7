"""Registry fields offices need: a site's domains, the day it went offline, a column's own type.

Each is optional, validated with a located error, kept by to_yaml -> load, and read from the
office's spreadsheet under its Chinese header (域名, 下线日期, 栏目类型).
"""
from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from collector.registry import (
    Column, DisclosureColumn, RegistryError, Website, load_registry, normalise_domain, parse_date,
)

HEAD = """\
office: 临沧市人民政府办公室
region: 临沧市
websites:
  - site_code: "5309000001"
    name: 临沧市人民政府
    unit: 临沧市人民政府办公室
    level: 市级
    site_kind: 政府门户网站
    url: http://www.lincang.gov.cn/
"""

WATER = """\
  - site_code: "5309000099"
    name: 临沧市水务局
    unit: 临沧市水务局
    level: 市级
    site_kind: 部门网站
    url: http://www.lcsd.gov.cn/
    status: 下线
"""


def write(tmp_path: Path, text: str, name: str = "registry.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(RegistryError) as caught:
        load_registry(path)
    return [str(p) for p in caught.value.problems]


# --------------------------------------------------------------------------- domains

def test_a_site_without_domains_is_asked_about_the_registrable_domain_of_its_url(tmp_path):
    registry = load_registry(write(tmp_path, HEAD + WATER))
    water = registry.get("5309000099")
    assert isinstance(water, Website)
    assert water.domains == ()
    assert water.whois_domains == ("lcsd.gov.cn",)


def test_listed_domains_are_normalised_and_replace_the_default(tmp_path):
    text = HEAD + WATER + "    domains: [LCSD.gov.cn., lcsd.cn, 临沧水务.中国, lcsd.cn]\n"
    water = load_registry(write(tmp_path, text)).get("5309000099")
    assert water.domains == ("lcsd.gov.cn", "lcsd.cn", "xn--miqt1ifv1aena.xn--fiqs8s")
    assert water.whois_domains == water.domains


def test_one_domain_may_be_given_as_text_with_several_separated_as_staff_write_them(tmp_path):
    text = HEAD + WATER + "    domains: lcsd.gov.cn、lcsd.cn；lcsw.cn lcsd.com.cn\n"
    water = load_registry(write(tmp_path, text)).get("5309000099")
    assert water.domains == ("lcsd.gov.cn", "lcsd.cn", "lcsw.cn", "lcsd.com.cn")


@pytest.mark.parametrize(("value", "reason"), [
    ("http://lcsd.gov.cn/", "'http://lcsd.gov.cn/' is not a bare domain name (no scheme, path, port or user)"),
    ("10.53.9.20", "'10.53.9.20' is an IP address, not a domain name"),
    ("localhost", "'localhost' has a single label; give the registered domain, e.g. lcsd.gov.cn"),
    ("-lcsd.gov.cn", "'-lcsd.gov.cn' is not a valid domain name"),
    ("lcsd..gov.cn", "'lcsd..gov.cn' is not a valid domain name"),
    ("lc_sd.gov.cn", "'lc_sd.gov.cn' is not a valid domain name"),
])
def test_a_value_that_is_not_a_domain_is_a_located_error(tmp_path, value, reason):
    text = HEAD + WATER + f"    domains: ['{value}']\n"
    path = write(tmp_path, text)
    problems = problems_of(path)
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}, line 17: domains: {reason}")


def test_an_empty_domain_list_is_an_error_not_a_silent_default(tmp_path):
    path = write(tmp_path, HEAD + WATER + "    domains: []\n")
    assert problems_of(path) == [f"{path}, line 17: domains: is empty; leave it out to use the registrable "
                                 "domain of the URL"]


def test_normalise_domain_keeps_ascii_names_and_encodes_idn():
    assert normalise_domain("Www.LinCang.Gov.Cn.") == "www.lincang.gov.cn"
    assert normalise_domain("临沧.政务") == "xn--miq355e.xn--zfr164b"
    with pytest.raises(ValueError, match="not a bare domain"):
        normalise_domain("lcsd.gov.cn:43")


# --------------------------------------------------------------------------- offline_since

@pytest.mark.parametrize("value", ["2020-03-31", "'2020-03-31'", "2020/3/31", "2020年3月31日"])
def test_the_day_a_site_went_offline_is_read_from_the_ways_offices_write_it(tmp_path, value):
    water = load_registry(write(tmp_path, HEAD + WATER + f"    offline_since: {value}\n")).get("5309000099")
    assert water.offline_since == date(2020, 3, 31)


@pytest.mark.parametrize("value", ["2020-13-45", "2020-02-30", "下线了", "20200331"])
def test_a_bad_offline_date_is_a_located_error(tmp_path, value):
    path = write(tmp_path, HEAD + WATER + f"    offline_since: {value}\n")
    problems = problems_of(path)
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}, line 17: offline_since: '{value}' is not a")
    assert "YYYY-MM-DD" in problems[0]


def test_an_offline_date_on_a_running_site_is_a_contradiction_staff_must_resolve(tmp_path):
    text = HEAD + "    offline_since: 2020-03-31\n" + WATER
    path = write(tmp_path, text)
    assert problems_of(path) == [f"{path}, line 10: offline_since: given for a site whose status is 运行; "
                                 "set status: 下线 or leave the date out"]


def test_parse_date_takes_date_cells_as_openpyxl_gives_them():
    assert parse_date(datetime(2020, 3, 31)) == date(2020, 3, 31)
    assert parse_date("2020-03-31 00:00:00") == date(2020, 3, 31)
    with pytest.raises(ValueError, match="not a date of the calendar"):
        parse_date("2020-13-45")


# --------------------------------------------------------------------------- column_type

COLUMNS = """\
columns:
  - id: lctjj
    name: 临沧市统计局信息公开专栏
    unit: 临沧市统计局
    parent: "5309000001"
    url: http://www.lincang.gov.cn/zfxxgk/tjj/
    column_type: 通知公告
  - id: lcfgw
    name: 临沧市发展和改革委员会信息公开专栏
    unit: 临沧市发展和改革委员会
    parent: "5309000001"
    url: http://www.lincang.gov.cn/zfxxgk/fgw/
    column_type: 政策文件
    columns:
      - {name: 规范性文件, url: "http://www.lincang.gov.cn/zfxxgk/fgw/gfxwj/"}
      - {name: 人事任免, type: 人事信息, url: "http://www.lincang.gov.cn/zfxxgk/fgw/rsrm/"}
"""


def test_a_disclosure_column_has_its_own_type_which_its_untyped_sub_columns_take(tmp_path):
    registry = load_registry(write(tmp_path, HEAD + COLUMNS))
    statistics, planning = registry.get("lctjj"), registry.get("lcfgw")
    assert isinstance(statistics, DisclosureColumn) and isinstance(planning, DisclosureColumn)
    assert statistics.column_type == "通知公告"
    assert statistics.freshness_columns == (
        Column("临沧市统计局信息公开专栏", "通知公告", "http://www.lincang.gov.cn/zfxxgk/tjj/"),)
    assert [(c.name, c.type) for c in planning.freshness_columns] == [("规范性文件", "政策文件"), ("人事任免", "人事信息")]


def test_a_column_without_a_type_of_its_own_or_of_its_column_is_still_an_error(tmp_path):
    text = HEAD + COLUMNS.replace("    column_type: 政策文件\n", "")
    path = write(tmp_path, text)
    assert problems_of(path) == [f"{path}, line 23: type: missing"]


def test_an_unknown_column_type_is_a_located_error_listing_the_types(tmp_path):
    path = write(tmp_path, HEAD + COLUMNS.replace("column_type: 通知公告", "column_type: 政务公开"))
    problems = problems_of(path)
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}, line 11: column_type: '政务公开' is not one of 要闻动态, 工作动态, 通知公告")


def test_a_column_without_column_type_is_judged_by_its_sub_columns_only(tmp_path):
    text = HEAD + COLUMNS.replace("    column_type: 通知公告\n", "")
    statistics = load_registry(write(tmp_path, text)).get("lctjj")
    assert statistics.column_type is None
    assert statistics.freshness_columns == ()


# --------------------------------------------------------------------------- round trip

def test_the_new_fields_survive_to_yaml_and_load(tmp_path):
    text = HEAD + WATER + "    domains: [lcsd.gov.cn, 临沧水务.中国]\n    offline_since: 2020-03-31\n" + COLUMNS
    registry = load_registry(write(tmp_path, text))
    dumped = registry.to_yaml()
    assert "offline_since: '2020-03-31'" in dumped
    assert "- xn--miqt1ifv1aena.xn--fiqs8s" in dumped
    assert "column_type: 通知公告" in dumped
    again = load_registry(write(tmp_path, dumped, "again.yaml"))
    assert again == registry
    assert again.get("5309000099").offline_since == date(2020, 3, 31)


def test_a_registry_without_the_new_fields_is_dumped_without_them(tmp_path):
    dumped = load_registry(write(tmp_path, HEAD + WATER)).to_yaml()
    assert "domains" not in dumped and "offline_since" not in dumped and "column_type" not in dumped


# --------------------------------------------------------------------------- spreadsheets

SHEET_HEADER = ["类型", "网站标识码", "标识", "名称", "主办单位", "级别", "首页网址", "运行状态", "所属网站", "域名", "下线日期",
                "栏目类型"]


def make_sheet(path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def test_the_office_sheet_gives_domains_offline_dates_and_column_types(tmp_path):
    sheet = make_sheet(tmp_path / "网站清单.xlsx", [
        SHEET_HEADER,
        ["网站", "5309000001", None, "临沧市人民政府", "临沧市人民政府办公室", "市级", "http://www.lincang.gov.cn/", "运行",
         None, None, None, None],
        ["网站", "5309000099", None, "临沧市水务局", "临沧市水务局", "市级", "http://www.lcsd.gov.cn/", "下线", None,
         "lcsd.gov.cn、lcsd.cn", datetime(2020, 3, 31), None],
        ["网站", "5309000098", None, "临沧市档案局", "临沧市档案局", "市级", "http://www.lcda.gov.cn/", "下线", None,
         None, "2020年4月1日", None],
        ["信息公开专栏", None, "lctjj", "临沧市统计局信息公开专栏", "临沧市统计局", "市级",
         "http://www.lincang.gov.cn/zfxxgk/tjj/", "运行", "5309000001", None, None, "通知公告"],
    ])
    registry = load_registry(sheet)
    water, archives = registry.get("5309000099"), registry.get("5309000098")
    assert water.domains == ("lcsd.gov.cn", "lcsd.cn") and water.offline_since == date(2020, 3, 31)
    assert archives.whois_domains == ("lcda.gov.cn",) and archives.offline_since == date(2020, 4, 1)
    assert registry.get("lctjj").column_type == "通知公告"
    again = load_registry(write(tmp_path, registry.to_yaml()))
    assert again.websites == registry.websites and again.columns == registry.columns


def test_bad_new_fields_in_a_csv_sheet_name_their_row(tmp_path):
    path = tmp_path / "网站清单.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["网站标识码", "网站名称", "主办单位", "级别", "首页网址", "运行状态", "域名", "下线日期"])
        writer.writerow(["5309000099", "临沧市水务局", "临沧市水务局", "市级", "http://www.lcsd.gov.cn/", "下线",
                         "lcsd.gov.cn；http://lcsd.cn", "2020-13-45"])
    assert problems_of(path) == [
        f"{path}, row 2: 域名 (domains): 'http://lcsd.cn' is not a bare domain name (no scheme, path, port or user)",
        f"{path}, row 2: 下线日期 (offline_since): '2020-13-45' is not a date of the calendar; write it as YYYY-MM-DD, "
        "e.g. 2020-03-31",
    ]
