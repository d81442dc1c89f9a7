"""Reading scorecard data files (schema govcensus.scorecard/1)."""
from __future__ import annotations

from pathlib import Path

import pytest

from govcensus_site import DataFileError, load_scorecard, load_scorecards

CONTRACT_EXAMPLE = """---
schema: govcensus.scorecard/1
period: 2020Q2
period_start: '2020-04-01'
period_end: '2020-06-30'
as_of: '2020-06-30T23:59:59+08:00'
entry: {id: '5309000001', kind: website, name: 临沧市人民政府, unit: 临沧市人民政府办公室, level: 市级, site_kind: 政府门户网站, url: 'http://www.lincang.gov.cn/', status: 运行, parent: null, platform: null}
result: pass
checks:
  reachability: {indicator: 站点无法访问, title: 首页可访问性, outcome: ok, observations: 1820, figures: {attempts: 1820, failures: 3}}
findings:
  - {check: newmedia_freshness, code: account_stale, indicator: 内容不更新, severity: veto, message: 监测时间前两周内无更新, first_seen: '2020-06-09T09:00:00+08:00', last_seen: '2020-06-30T09:00:00+08:00', evidence: {url: 'http://x.test/', location: 最新发布, snippet: '2020-05-25'}}
---
正文
"""


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_contract_example_reads_into_typed_objects(tmp_path):
    card = load_scorecard(write(tmp_path, "2020Q2/website/5309000001.md", CONTRACT_EXAMPLE))
    assert (card.period, card.entry.name, card.entry.level, card.result) == ("2020Q2", "临沧市人民政府", "市级", "pass")
    assert card.checks[0].name == "reachability" and card.checks[0].figures["attempts"] == 1820
    assert card.findings[0].severity == "veto" and card.findings[0].evidence.location == "最新发布"
    assert card.body == "正文"
    assert card.url == "scorecards/2020Q2/5309000001.html"


def test_a_file_of_another_schema_is_refused_with_its_path(tmp_path):
    path = write(tmp_path, "2020Q2/website/1.md", CONTRACT_EXAMPLE.replace("govcensus.scorecard/1", "other/2"))
    with pytest.raises(DataFileError) as error:
        load_scorecard(path)
    assert str(error.value).startswith(str(path)) and "schema" in str(error.value)


def test_an_unknown_result_is_refused(tmp_path):
    path = write(tmp_path, "2020Q2/website/1.md", CONTRACT_EXAMPLE.replace("result: pass", "result: good"))
    with pytest.raises(DataFileError, match="result"):
        load_scorecard(path)


def test_a_file_under_the_wrong_period_directory_is_refused(tmp_path):
    write(tmp_path, "2020Q3/website/5309000001.md", CONTRACT_EXAMPLE)
    with pytest.raises(DataFileError, match="2020Q3/website"):
        load_scorecards(tmp_path)


def test_fields_added_by_a_later_collector_are_ignored(tmp_path):
    text = CONTRACT_EXAMPLE.replace("platform: null}", "platform: null, belongs_to: '5309000001'}")
    card = load_scorecard(write(tmp_path, "2020Q2/website/5309000001.md", text))
    assert card.entry.id == "5309000001"


def test_only_http_evidence_urls_become_links(tmp_path):
    text = CONTRACT_EXAMPLE.replace("url: 'http://x.test/'", "url: 'javascript:alert(1)'")
    card = load_scorecard(write(tmp_path, "2020Q2/website/5309000001.md", text))
    assert card.findings[0].evidence.href is None
    assert card.entry.href == "http://www.lincang.gov.cn/"


UNCHECKED = CONTRACT_EXAMPLE.replace("result: pass", """result: unchecked
score: null
unchecked_reasons: ['首页可访问性：7 天内有效访问最多 1 次，不足判定所需的 70 次', '首页更新：未能检查：connect ×1']
blocked:
  - {check: reachability, title: 首页可访问性, count: 3, reasons: {'HTTP 429 请求过于频繁（限流）': 2, 安全狗网站防火墙拦截或验证页: 1}}""")


def test_unchecked_reasons_and_blocked_visits_are_read(tmp_path):
    card = load_scorecard(write(tmp_path, "2020Q2/website/5309000001.md", UNCHECKED))
    assert (card.result, card.score) == ("unchecked", None)
    assert card.unchecked_reasons[1] == "首页更新：未能检查：connect ×1"
    assert card.blocked[0].count == 3
    assert card.blocked[0].reasons == (("HTTP 429 请求过于频繁（限流）", 2), ("安全狗网站防火墙拦截或验证页", 1))


def test_a_malformed_blocked_list_is_a_located_error(tmp_path):
    path = write(tmp_path, "2020Q2/website/1.md", UNCHECKED.replace("count: 3", "count: many"))
    with pytest.raises(DataFileError) as error:
        load_scorecard(path)
    assert str(error.value).startswith(str(path)) and "blocked.reachability" in str(error.value)


@pytest.mark.parametrize("field, value", [("id", "../../etc/x"), ("id", ".."), ("period", "2020Q2/..")])
def test_an_id_or_period_that_would_leave_the_site_folder_is_a_located_error(tmp_path, field, value):
    text = CONTRACT_EXAMPLE.replace("id: '5309000001'", f"id: '{value}'" if field == "id" else "id: '5309000001'")
    if field == "period":
        text = text.replace("period: 2020Q2", f"period: '{value}'", 1)
    path = tmp_path / "bad.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        load_scorecard(path)
    assert error.value.path == path and f"{'entry.id' if field == 'id' else 'period'} {value!r}" in error.value.reason
