"""The catalogue file's one serialiser and one reader: what the collector writes is what the site reads."""
from __future__ import annotations

import pytest

from collector.periods import Period
from collector.profile import load_profile
from collector.summarize.catalogue import catalogue_document, write_catalogue
from govcensus_data.catalogue import SCHEMA, catalogue_text, load_catalogue, read_catalogue
from govcensus_data.model import DataFileError


def test_the_collectors_catalogue_reads_back_through_the_data_package_unchanged(tmp_path):
    path = write_catalogue(Period.parse("2020Q2"), load_profile(), tmp_path)
    data = read_catalogue(path)
    assert data["schema"] == SCHEMA and data["period"] == "2020Q2"
    assert catalogue_text(data) == path.read_text(encoding="utf-8") == catalogue_document(Period.parse("2020Q2"), load_profile())


def test_the_serialiser_keeps_the_order_given_and_refuses_a_document_without_the_schema():
    text = catalogue_text({"schema": SCHEMA, "period": "2020Q2", "checks": {"b": {}, "a": {}}})
    assert text.index("b: {}") < text.index("a: {}")
    with pytest.raises(ValueError, match="govcensus.catalogue/1"):
        catalogue_text({"schema": "govcensus.catalogue/0", "checks": {}})


def test_labels_merge_over_periods_with_the_newest_winning(tmp_path):
    folder = tmp_path / "catalogue"
    folder.mkdir()
    (folder / "2019Q4.yaml").write_text(catalogue_text({"schema": SCHEMA, "period": "2019Q4", "checks": {
        "old": {"title": "旧检查", "figures": {"n": "旧数量"}}, "same": {"title": "旧名", "codes": {"c": {"label": "旧码"}}}}}),
        encoding="utf-8")
    (folder / "2020Q2.yaml").write_text(catalogue_text({"schema": SCHEMA, "period": "2020Q2", "checks": {
        "same": {"title": "新名", "codes": {"c": {"label": "新码"}}}}}), encoding="utf-8")
    catalogue = load_catalogue(tmp_path)
    assert catalogue.period == "2020Q2" and list(catalogue.checks()) == ["same"]
    assert catalogue.titles == {"old": "旧检查", "same": "新名"}
    assert catalogue.code_label("same", "c") == "新码" and catalogue.figure_label("old", "n") == "旧数量"
    assert catalogue.files == (folder / "2019Q4.yaml", folder / "2020Q2.yaml")


def test_a_catalogue_that_is_not_a_mapping_is_a_located_error(tmp_path):
    path = tmp_path / "2020Q2.yaml"
    path.write_text("- just a list\n", encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        read_catalogue(path)
    assert error.value.path == path and "must be a mapping" in error.value.reason


def test_the_words_for_coded_values_travel_in_the_catalogue_and_a_bad_table_is_a_located_error(tmp_path):
    path = write_catalogue(Period.parse("2020Q2"), load_profile(), tmp_path)
    catalogue = load_catalogue(tmp_path)
    assert catalogue.value_label("decommissioned_domain", "dns", "nxdomain") == "不存在（已不能解析）"
    assert catalogue.value_label("homepage_freshness", "read_via", "dataproxy") == "大汉数据接口（dataproxy）中的日期"
    assert catalogue.value_label("reachability", "error", "connect") == "无法连接"  # the interface's own figure
    assert catalogue.value_label("decommissioned_domain", "dns", "something_new") is None  # shown as written
    data = read_catalogue(path)
    data["checks"]["decommissioned_domain"]["values"]["dns"] = ["nxdomain"]
    path.write_text(catalogue_text(data), encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        read_catalogue(path)
    assert "checks.decommissioned_domain.values.dns" in error.value.reason


def test_staffs_diagnostic_figures_travel_in_the_catalogue_the_newest_saying_wins(tmp_path):
    write_catalogue(Period.parse("2020Q2"), load_profile(), tmp_path)
    catalogue = load_catalogue(tmp_path)
    assert catalogue.is_diagnostic("decommissioned_domain", "whois_detail")
    assert catalogue.is_diagnostic("decommissioned_domain", "error_details")
    assert not catalogue.is_diagnostic("decommissioned_domain", "errors")  # the reader's words are published
    folder = tmp_path / "catalogue"
    (folder / "2020Q3.yaml").write_text(catalogue_text({"schema": SCHEMA, "period": "2020Q3", "checks": {
        "decommissioned_domain": {"diagnostics": ["error_details"]}}}), encoding="utf-8")
    assert not load_catalogue(tmp_path).is_diagnostic("decommissioned_domain", "whois_detail")


def test_diagnostics_that_are_not_a_list_of_keys_are_a_located_error(tmp_path):
    path = write_catalogue(Period.parse("2020Q2"), load_profile(), tmp_path)
    data = read_catalogue(path)
    data["checks"]["decommissioned_domain"]["diagnostics"] = "whois_detail"
    path.write_text(catalogue_text(data), encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        read_catalogue(path)
    assert error.value.path == path and "checks.decommissioned_domain.diagnostics" in error.value.reason
