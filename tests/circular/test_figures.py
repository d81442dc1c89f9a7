"""The circular's figures from the quarter's data files: exactly the seed circular's numbers."""
from __future__ import annotations

import shutil

from collector.circular import quarter_figures
from collector.circular.figures import pass_rate
from circular.seed_quarter import PERIOD


def test_websites_registered_and_running_by_level(content, registry):
    sites = quarter_figures(PERIOD, content, registry)["websites"]
    assert sites["running"] == 9
    assert sites["by_level"] == [{"level": "市级", "site_kind": "政府门户网站", "count": 1},
                                 {"level": "县级", "site_kind": "政府门户网站", "count": 8}]
    assert sites["decommissioned"] == 2


def test_no_problem_websites_and_a_pass_rate_of_100_percent(content, registry):
    sites = quarter_figures(PERIOD, content, registry)["websites"]
    assert (sites["failed"], sites["pass_rate_text"]) == (0, "100%")


def test_34_columns_3_problem_columns_and_a_pass_rate_of_91_2_percent(content, registry):
    columns = quarter_figures(PERIOD, content, registry)["columns"]
    assert (columns["running"], columns["failed"], columns["pass_rate_text"]) == (34, 3, "91.2%")


def test_63_accounts_by_platform_1_failed_and_a_pass_rate_of_98_4_percent(content, registry):
    accounts = quarter_figures(PERIOD, content, registry)["accounts"]
    assert accounts["running"] == 63
    assert accounts["by_platform"] == [{"platform": "微博", "count": 18}, {"platform": "微信公众号", "count": 44},
                                       {"platform": "今日头条", "count": 1}]
    assert (accounts["failed"], accounts["failed_by_veto"], accounts["pass_rate_text"]) == (1, 1, "98.4%")


def test_11_message_platforms_95_messages_per_unit_and_a_completion_rate_of_100_percent(content, registry):
    messages = quarter_figures(PERIOD, content, registry)["messages"]
    assert (messages["platforms"], messages["received"], messages["completion_rate_text"]) == (11, 95, "100%")
    assert [(u["report_label"], u["received"]) for u in messages["units"]] == [
        ("市级", 26), ("临翔区", 23), ("永德县", 7), ("凤庆县", 7), ("云县", 2), ("双江", 4), ("镇康县", 12),
        ("沧源县", 10), ("耿马县", 2), ("市公安局", 2)]


def test_message_platforms_are_named_by_what_they_belong_to(content, registry):
    messages = quarter_figures(PERIOD, content, registry)["messages"]
    assert messages["owner_sites"] == [{"level": "市级", "site_kind": "政府门户网站", "count": 1},
                                       {"level": "县级", "site_kind": "政府门户网站", "count": 8}]
    assert messages["owner_columns"] == ["临沧市公安局信息公开专栏", "临沧市人力资源和社会保障局信息公开专栏"]


def test_a_quarter_without_a_message_summary_has_no_message_figures(content, registry):
    (content / "messages" / f"{PERIOD}.md").unlink()
    assert quarter_figures(PERIOD, content, registry)["messages"] is None


def test_the_figures_of_a_past_quarter_regenerate_identically_from_its_files(content, registry, tmp_path_factory):
    copy = tmp_path_factory.mktemp("copy")
    shutil.copytree(content, copy, dirs_exist_ok=True)
    assert quarter_figures(PERIOD, copy, registry) == quarter_figures(PERIOD, content, registry)


def test_pass_rates_have_one_decimal_and_exactly_100_shows_as_100():
    assert pass_rate(31, 34) == (91.2, "91.2%")
    assert pass_rate(62, 63) == (98.4, "98.4%")
    assert pass_rate(9, 9) == (100.0, "100%")
    assert pass_rate(1999, 2000) == (99.9, "99.9%")
    assert pass_rate(0, 0) == (None, "—")


def test_unchecked_entries_are_left_out_of_the_pass_rate(content, registry):
    card = next((content / "scorecards" / "2020Q2" / "column").glob("zfxxgk-d00.md"))
    card.write_text(card.read_text(encoding="utf-8").replace("result: pass", "result: unchecked"), encoding="utf-8")
    columns = quarter_figures(PERIOD, content, registry)["columns"]
    assert (columns["running"], columns["checked"], columns["unchecked"], columns["pass_rate_text"]) == (34, 33, 1, "90.9%")
