"""Observations and findings: every string a check hands over is masked as the record is made."""
from __future__ import annotations

import json
from datetime import date, datetime

from collector.observations import merge_findings
from collector.observations import Evidence, Finding, Observation
from collector.periods import CHINA_TZ
from collector.store import ObservationStore

ID, ID_MASKED = "360426199101010071", "3604**********0071"
FULL_WIDTH_ID = "３６０４２６１９９１０１０１００７１"
MOBILE, MOBILE_MASKED = "13812345678", "138****5678"
AT = datetime(2020, 6, 30, 9, tzinfo=CHINA_TZ)


def leaking_observation(hour: int = 9, url: str = f"http://a.gov.cn/files/{ID}.xlsx") -> Observation:
    finding = Finding(code="homepage_stale", indicator="网站不更新", severity="veto",
                      message=f"最新信息《{ID}号公示》已 20 天未更新", key=url,
                      evidence=Evidence(url=url, location=f"首页 · {FULL_WIDTH_ID}", snippet=f"联系 {MOBILE}"))
    return Observation(at=AT.replace(hour=hour), entry="5309000001", kind="website", check="homepage_freshness",
                       outcome="finding", figures={"newest_title": f"关于{MOBILE}的通知", "links": [{ID: "申请表"}]},
                       findings=(finding,))


def test_every_string_of_a_finding_and_of_the_figures_is_masked_when_the_observation_is_made():
    obs = leaking_observation()
    line = obs.to_json()
    for raw in (ID, FULL_WIDTH_ID, MOBILE):
        assert raw not in line
    [finding] = obs.findings
    assert finding.message == f"最新信息《{ID_MASKED}号公示》已 20 天未更新"
    assert finding.key == finding.evidence.url == f"http://a.gov.cn/files/{ID_MASKED}.xlsx"
    assert finding.evidence.location == f"首页 · {ID_MASKED}"
    assert finding.evidence.snippet == f"联系 {MOBILE_MASKED}"
    assert obs.figures == {"newest_title": f"关于{MOBILE_MASKED}的通知", "links": [{ID_MASKED: "申请表"}]}
    assert obs.entry == "5309000001"


def test_a_line_written_before_the_gate_is_masked_when_it_is_read_back(tmp_path):
    raw = {"v": 1, "at": AT.isoformat(), "entry": "5309000001", "kind": "website", "check": "footer_marks",
           "outcome": "finding", "figures": {"footer": f"电话 {MOBILE}"},
           "findings": [{"code": "footer_missing", "indicator": "网站标识", "severity": "deduction",
                         "message": f"页脚 {ID}", "key": ID, "evidence": {"url": f"http://a.gov.cn/?id={ID}"}}]}
    day = ObservationStore(tmp_path).day_file(date(2020, 6, 30))
    day.parent.mkdir(parents=True)
    day.write_text(json.dumps(raw, ensure_ascii=False) + "\n", encoding="utf-8")
    [obs] = ObservationStore(tmp_path).read(date(2020, 6, 30), date(2020, 6, 30))
    assert ID not in obs.to_json() and MOBILE not in obs.to_json()
    assert obs.findings[0].key == ID_MASKED


def test_masking_is_idempotent_so_a_stored_observation_reads_back_equal():
    obs = leaking_observation()
    assert Observation.from_json(obs.to_json()) == obs
    assert Observation.from_json(obs.to_json()).to_json() == obs.to_json()


def test_the_same_problem_merges_across_rounds_and_distinct_documents_stay_distinct():
    rounds = [leaking_observation(9), leaking_observation(10, url=f"http://a.gov.cn/files/{FULL_WIDTH_ID}.xlsx"),
              leaking_observation(11, url=f"http://a.gov.cn/other/{ID}.xlsx")]
    merged = merge_findings("homepage_freshness", rounds)
    assert [(j.finding.key, j.times_seen) for j in merged] == [
        (f"http://a.gov.cn/files/{ID_MASKED}.xlsx", 2), (f"http://a.gov.cn/other/{ID_MASKED}.xlsx", 1)]


def test_a_day_file_line_holds_every_field_as_dataclasses_asdict_gives_it():
    """to_json builds its dict directly: a field added to an observation, finding or evidence and
    not written would be lost from the store, and this fails."""
    from dataclasses import asdict
    observation = Observation(
        at=datetime(2020, 6, 30, 9, tzinfo=CHINA_TZ), entry="5309000001", kind="website", check="dead_links",
        outcome="finding", figures={"checked": 12, "by_status": {"404": 2}, "urls": ("a", "b"), "ratio": 0.5, "none": None},
        findings=(Finding("dead_link", "链接不可用", "deduction", "死链 2 个", key="k",
                          evidence=Evidence("http://www.lincang.gov.cn/a.html", "正文", "“放管服”")),
                  Finding("stale", "网站不更新", "veto", "超过两周未更新")))
    expected = json.dumps({"v": 1, **asdict(observation), "at": observation.at.isoformat()},
                          ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert observation.to_json() == expected
