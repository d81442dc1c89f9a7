"""The catalogue `collector summarize` writes, and how the site reads it."""
from __future__ import annotations

import pytest
import yaml

from collector.checks.base import get_check
from collector.periods import Period
from collector.profile import load_profile
from collector.summarize.catalogue import catalogue_document, write_catalogue
from govcensus_site.catalogue import load_catalogue
from govcensus_data.model import DataFileError


def test_the_catalogue_carries_each_checks_declarations_and_the_profiles_values(tmp_path):
    path = write_catalogue(Period.parse("2020Q2"), load_profile(), tmp_path)
    assert path == tmp_path / "catalogue" / "2020Q2.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["schema"] == "govcensus.catalogue/1" and data["period"] == "2020Q2"
    footer = data["checks"]["footer_marks"]
    assert footer["title"] == get_check("footer_marks").title == "网站基本信息标识"
    assert footer["codes"]["icp_missing"] == {"label": "页脚未显示 ICP 备案编号", "severity": "deduction"}
    reach = {row["key"]: row for row in data["checks"]["reachability"]["settings"]}
    assert reach["max_failure_share"]["label"] == "失败比例上限" and reach["max_failure_share"]["value"] == 0.05
    phones = {row["key"]: row for row in data["checks"]["personal_info"]["settings"]}["exempt_contact_phones"]
    assert phones["value"] is True and phones["note"].startswith("联系电话豁免：")
    assert {"check": "column_freshness", "title": "栏目更新", "flag": "confirm_long_term"} in data["confirmations_pending"]
    assert data["messages"]["limit_working_days"] == 5 and data["messages"]["definitions"][0][0] == "收到"
    website = next(k for k in data["scoring"] if k["kind"] == "website")
    home = next(i for i in website["items"] if i["item"] == "网站不更新")
    assert home["findings"] == [{"check": "homepage_freshness", "codes": ["homepage_stale"],
                                 "labels": ["首页超过规定时间未更新"]}]


def test_the_catalogue_is_byte_identical_for_the_same_profile_and_the_file_is_not_rewritten(tmp_path):
    period = Period.parse("2020Q2")
    assert catalogue_document(period, load_profile()) == catalogue_document(period, load_profile())
    path = write_catalogue(period, load_profile(), tmp_path)
    before = path.stat().st_mtime_ns
    write_catalogue(period, load_profile(), tmp_path)
    assert path.stat().st_mtime_ns == before


def test_the_site_looks_a_figure_up_under_its_own_check_first(tmp_path):
    write_catalogue(Period.parse("2020Q2"), load_profile(), tmp_path)
    catalogue = load_catalogue(tmp_path)
    assert catalogue.period == "2020Q2"
    assert catalogue.figure_label("dead_links", "dns") == "域名无法解析"
    assert catalogue.figure_label("decommissioned_domain", "dns") == "域名解析"
    assert catalogue.figure_label("reachability", "attempts") == "访问次数"
    assert catalogue.figure_label("a_retired_check", "attempts") == "访问次数"  # any check's word for it
    assert catalogue.figure_label("reachability", "no_such_figure") == "no_such_figure"
    assert catalogue.code_label("reprint", "reprint_differs") == "转载文章与原文内容不符"


def test_the_newest_period_describes_the_methodology_and_older_files_still_name_retired_checks(tmp_path):
    write_catalogue(Period.parse("2020Q2"), load_profile(), tmp_path)
    older = tmp_path / "catalogue" / "2019Q4.yaml"
    older.write_text(yaml.safe_dump({"schema": "govcensus.catalogue/1", "period": "2019Q4", "checks": {
        "old_check": {"title": "旧检查", "figures": {"things": "旧数量"}, "codes": {}}}}, allow_unicode=True),
        encoding="utf-8")
    catalogue = load_catalogue(tmp_path)
    assert catalogue.period == "2020Q2" and "old_check" not in catalogue.checks()
    assert catalogue.titles["old_check"] == "旧检查" and catalogue.figure_label("old_check", "things") == "旧数量"


def test_content_without_a_catalogue_builds_with_names_shown_as_themselves(tmp_path):
    catalogue = load_catalogue(tmp_path)
    assert catalogue.current == {} and catalogue.figure_label("reachability", "attempts") == "attempts"


@pytest.mark.parametrize(("text", "reason"), [
    ("schema: govcensus.catalogue/9\nchecks: {}\n", "schema is 'govcensus.catalogue/9'"),
    ("schema: govcensus.catalogue/1\nchecks: [1]\n", "checks: a mapping"),
    ("schema: govcensus.catalogue/1\nchecks: {x: {figures: [1]}}\n", "checks.x.figures: a mapping is needed"),
    ("schema: [unclosed\n", "not valid YAML"),
])
def test_a_damaged_catalogue_is_a_located_error(tmp_path, text, reason):
    (tmp_path / "catalogue").mkdir()
    path = tmp_path / "catalogue" / "2020Q2.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        load_catalogue(tmp_path)
    assert str(path) in str(error.value) and reason in str(error.value)


def test_a_changed_catalogue_rerenders_the_scorecard_pages_that_show_its_labels(content_dir, tmp_path):
    from govcensus_site import build_site

    output = tmp_path / "output"
    page = output / "scorecards" / "2020Q2" / "5309000001.html"
    build_site(content_dir, output)
    assert "访问次数" in page.read_text(encoding="utf-8")
    catalogue = content_dir / "catalogue" / "2020Q2.yaml"
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace("attempts: 访问次数", "attempts: 访问总次数"),
                         encoding="utf-8")
    build_site(content_dir, output)
    assert "访问总次数" in page.read_text(encoding="utf-8")
