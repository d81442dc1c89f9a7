"""Rectification: one problem is one row (an entry's findings of one check and indicator), stable ids,
deadlines from the circular template, and the four ways a status is decided — open, overdue,
rectified by a later round that could check the entry and no longer saw the problem, rectified by a
staff mark — each closed row saying how and when."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import yaml

from collector.observations import Evidence, Finding, Observation
from collector.periods import CHINA_TZ, Period
from collector.rectification import MarksError, load_marks, write_rectification_status
from collector.registry import Account, DisclosureColumn, Registry, Website
from collector.store import ObservationStore
from collector.summarize.scorecards import write_scorecards

Q2, Q3 = Period(2020, 2), Period(2020, 3)
TEMPLATE = Path(__file__).resolve().parents[2] / "content" / "circulars" / "templates" / "requirements.md"
PORTAL = Website(site_code="5309000001", name="临沧市人民政府门户网站", unit="临沧市人民政府办公室", level="市级",
                 site_kind="政府门户网站", url="http://www.lincang.gov.cn/")
CLOSED = Website(site_code="5309000010", name="临沧市水务局网站", unit="临沧市水务局", level="市级", site_kind="部门网站",
                 url="http://www.lcsd.gov.cn/", status="下线")
LEAK = DisclosureColumn(id="jtj", name="临沧市交通运输局信息公开专栏", unit="临沧市交通运输局", parent="5309000001",
                        url="http://www.lincang.gov.cn/zfxxgk/jtj/")
WORDING = DisclosureColumn(id="tjj", name="临沧市统计局信息公开专栏", unit="临沧市统计局", parent="5309000001",
                           url="http://www.lincang.gov.cn/zfxxgk/tjj/")
ACCOUNT = Account(id="wb-lcjt", platform="微博", name="临沧交通", unit="临沧市交通运输局",
                  feed="http://rsshub.world.test/weibo/1")
REGISTRY = Registry(office="临沧市人民政府办公室", region="临沧市", websites=(PORTAL, CLOSED), columns=(LEAK, WORDING),
                    accounts=(ACCOUNT,))


def at(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2020, month, day, hour, tzinfo=CHINA_TZ)


def seen(entry, check: str, code: str, when: datetime, found: bool = True, *, indicator: str = "指标",
         key: str = "k", severity: str = "veto") -> Observation:
    finding = Finding(code, indicator, severity, "问题", key=key, evidence=Evidence(url=entry.url))
    return Observation(at=when, entry=entry.id, kind=entry.kind, check=check, outcome="finding" if found else "ok",
                       findings=(finding,) if found else ())


def unreachable(entry, check: str, when: datetime) -> Observation:
    return Observation(at=when, entry=entry.id, kind=entry.kind, check=check, outcome="unreachable",
                       figures={"error": "timeout"})


Q2_OBSERVATIONS = [
    seen(LEAK, "personal_info", "pii_resident_id", at(6, 20)), seen(LEAK, "personal_info", "pii_resident_id", at(6, 30)),
    seen(WORDING, "wording", "wording_serious", at(6, 20)), seen(WORDING, "wording", "wording_serious", at(6, 30), False),
    seen(CLOSED, "decommissioned_domain", "domain_still_registered", at(6, 30)),
]


@pytest.fixture
def store(tmp_path: Path) -> ObservationStore:
    return ObservationStore(tmp_path / "observations")


@pytest.fixture
def content(tmp_path: Path, profile, store) -> Path:
    store.append(Q2_OBSERVATIONS)
    write_scorecards(REGISTRY, Q2_OBSERVATIONS, Q2, Q2.end_time, profile, tmp_path)
    return tmp_path


def later(content: Path, store: ObservationStore, profile, observations: list[Observation]) -> None:
    """Rounds of the next quarter: stored, and summarised into its scorecards."""
    store.append(observations)
    write_scorecards(REGISTRY, observations, Q3, Q3.end_time, profile, content)


def status(content: Path, as_of: datetime, marks: Path | None = None) -> dict:
    path = write_rectification_status(Q2, content, as_of, TEMPLATE, marks or content / "no-marks.yaml",
                                      ObservationStore(content / "observations"))
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def item(front: dict, entry_id: str) -> dict:
    return next(i for i in front["items"] if i["entry"]["id"] == entry_id)


def write_marks(folder: Path, marks: list[dict]) -> Path:
    path = folder / "marks.yaml"
    path.write_text(yaml.safe_dump({"schema": "govcensus.rectification-marks/1", "marks": marks}), encoding="utf-8")
    return path


def test_every_problem_of_the_quarter_is_an_item_with_its_unit_entry_and_indicator(content):
    leak = item(status(content, at(7, 13)), "jtj")
    assert (leak["unit"], leak["entry"]["name"], leak["check"], leak["code"]) == (
        "临沧市交通运输局", "临沧市交通运输局信息公开专栏", "personal_info", "pii_resident_id")
    assert leak["first_seen"] == "2020-06-20T09:00:00+08:00"
    assert leak["scorecard"] == "scorecards/2020Q2/jtj.html"


def test_a_problem_still_seen_in_the_latest_round_before_its_deadline_is_open(content):
    assert item(status(content, at(7, 13)), "jtj")["status"] == "open"


def test_an_open_problem_past_its_deadline_is_overdue(content):
    assert item(status(content, at(7, 21)), "jtj")["status"] == "overdue"


def test_domain_items_get_the_domain_deadline_and_others_the_report_deadline(content):
    front = status(content, at(7, 21))
    assert front["deadlines"] == {"report": "2020-07-20", "domain": "2020-07-24"}
    assert (item(front, "5309000010")["deadline"], item(front, "5309000010")["status"]) == ("2020-07-24", "open")
    assert item(front, "jtj")["deadline"] == "2020-07-20"


def test_a_problem_a_later_round_no_longer_sees_is_rectified_and_says_how_and_when(content):
    wording = item(status(content, at(7, 21)), "tjj")
    assert wording["status"] == "rectified"
    assert wording["rectified"] == {"by": "later_round", "date": "2020-06-30", "checked_at": "2020-06-30T09:00:00+08:00"}


def test_a_round_of_the_next_quarter_that_no_longer_sees_it_rectifies_it(content, store, profile):
    later(content, store, profile, [seen(LEAK, "personal_info", "pii_resident_id", at(7, 10), False)])
    assert item(status(content, at(7, 21)), "jtj")["rectified"] == {
        "by": "later_round", "date": "2020-07-10", "checked_at": "2020-07-10T09:00:00+08:00"}
    assert item(status(content, at(7, 5)), "jtj")["status"] == "open"


def test_the_first_clean_round_after_the_last_sighting_dates_the_closure(content, store, profile):
    later(content, store, profile, [seen(LEAK, "personal_info", "pii_resident_id", at(7, 3), False),
                                    seen(LEAK, "personal_info", "pii_resident_id", at(7, 6)),
                                    seen(LEAK, "personal_info", "pii_resident_id", at(7, 8), False),
                                    seen(LEAK, "personal_info", "pii_resident_id", at(7, 12), False)])
    leak = item(status(content, at(7, 21)), "jtj")
    assert (leak["last_seen"], leak["rectified"]["date"]) == ("2020-07-06T09:00:00+08:00", "2020-07-08")


def test_a_round_that_could_not_check_the_entry_closes_nothing(content, store, profile):
    later(content, store, profile, [unreachable(LEAK, "personal_info", at(7, 10)),
                                    unreachable(LEAK, "personal_info", at(7, 12))])
    leak = item(status(content, at(7, 21)), "jtj")
    assert (leak["status"], leak["rectified"]) == ("overdue", None)


def test_without_the_observations_only_staff_marks_close_a_problem(content):
    path = write_rectification_status(Q2, content, at(7, 21), TEMPLATE, content / "no-marks.yaml")
    front = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    assert item(front, "tjj")["status"] == "overdue"


def test_findings_of_one_problem_are_one_row_and_a_changed_code_does_not_close_it(tmp_path, store, profile):
    """An account's 7-day gap that becomes a 2-week gap is one problem still there, not one fixed and
    one new: the row lists both codes, keeps the first sighting and is still open."""
    rounds = [seen(ACCOUNT, "newmedia_freshness", "account_slow", at(6, 10), indicator="更新频率", key="slow",
                   severity="deduction"),
              seen(ACCOUNT, "newmedia_freshness", "account_slow", at(6, 17), indicator="更新频率", key="slow",
                   severity="deduction"),
              seen(ACCOUNT, "newmedia_freshness", "account_gap", at(6, 24), indicator="更新频率", key="gap",
                   severity="deduction"),
              seen(ACCOUNT, "newmedia_freshness", "account_gap", at(6, 30), indicator="更新频率", key="gap",
                   severity="deduction")]
    store.append(rounds)
    write_scorecards(REGISTRY, rounds, Q2, Q2.end_time, profile, tmp_path)
    front = status(tmp_path, at(7, 13))
    rows = [i for i in front["items"] if i["entry"]["id"] == "wb-lcjt"]
    assert len(rows) == 1 and front["counts"]["total"] == 1
    [row] = rows
    assert (row["status"], row["rectified"], row["codes"], row["code"], row["findings"]) == (
        "open", None, ["account_slow", "account_gap"], "account_gap", 2)
    assert (row["first_seen"], row["last_seen"]) == ("2020-06-10T09:00:00+08:00", "2020-06-30T09:00:00+08:00")


def test_a_domain_still_registered_and_still_resolving_is_one_problem(tmp_path, store, profile):
    rounds = [seen(CLOSED, "decommissioned_domain", "domain_still_registered", at(6, 30), key="lcsd.gov.cn"),
              seen(CLOSED, "decommissioned_domain", "domain_still_resolves", at(6, 30, 10), key="lcsd.gov.cn")]
    store.append(rounds)
    write_scorecards(REGISTRY, rounds, Q2, Q2.end_time, profile, tmp_path)
    [row] = status(tmp_path, at(7, 21))["items"]
    assert row["codes"] == ["domain_still_registered", "domain_still_resolves"]
    assert row["deadline"] == "2020-07-24"


def test_the_status_file_s_table_says_how_and_when_a_problem_was_closed(content):
    path = write_rectification_status(Q2, content, at(7, 21), TEMPLATE, content / "none.yaml",
                                      ObservationStore(content / "observations"))
    assert "| 已整改（复查未再发现，2020-06-30） |" in path.read_text(encoding="utf-8")


def test_a_staff_mark_rectifies_a_problem_from_its_date(content):
    leak_id = item(status(content, at(7, 13)), "jtj")["id"]
    marks = write_marks(content, [{"id": leak_id, "date": "2020-07-15", "note": "已删除附件"}])
    after = item(status(content, at(7, 21), marks), "jtj")
    assert (after["status"], after["rectified"]) == (
        "rectified", {"by": "staff", "date": "2020-07-15", "note": "已删除附件", "seen_after_mark": False})
    assert item(status(content, at(7, 14), marks), "jtj")["status"] == "open"


def test_item_ids_are_stable_across_runs_and_times(content):
    assert item(status(content, at(7, 13)), "jtj")["id"] == item(status(content, at(8, 1)), "jtj")["id"]


def test_the_status_file_is_byte_identical_for_the_same_inputs(content):
    store = ObservationStore(content / "observations")
    path = write_rectification_status(Q2, content, at(7, 21), TEMPLATE, content / "none.yaml", store)
    first = path.read_bytes()
    write_rectification_status(Q2, content, at(7, 21), TEMPLATE, content / "none.yaml", store)
    assert path.read_bytes() == first


def test_counts_add_up_by_status(content):
    assert status(content, at(7, 21))["counts"] == {"total": 3, "open": 1, "rectified": 1, "overdue": 1}


def test_marks_without_id_or_date_are_reported_together(tmp_path):
    marks = write_marks(tmp_path, [{"id": "abc"}, {"date": "2020-07-01"}, {"id": "x", "date": "7月1日"}])
    with pytest.raises(MarksError) as error:
        load_marks(marks)
    assert [line.split(": ", 1)[1] for line in str(error.value).splitlines()] == [
        "mark 1: needs id and date", "mark 2: needs id and date", "mark 3: date '7月1日' is not YYYY-MM-DD"]


def test_the_shipped_marks_file_is_valid_and_empty():
    assert load_marks(Path(__file__).resolve().parents[2] / "content" / "rectification" / "marks.yaml") == {}
