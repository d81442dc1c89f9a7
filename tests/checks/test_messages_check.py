"""The messages check: imports exports into observations without personal data, and a message left
unanswered for more than three months fails the site the platform belongs to (互动回应差)."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import yaml

from checkrun import run_check
from collector.periods import CHINA_TZ, Period
from collector.registry import MessagePlatform, Registry, Website
from collector.summarize.scorecards import write_scorecards
from loopback import Page

AS_OF = datetime(2020, 6, 30, 9, tzinfo=CHINA_TZ)
SITE = Website(site_code="5309000001", name="临沧市人民政府", unit="临沧市人民政府办公室", level="市级",
               site_kind="政府门户网站", url="http://www.lincang.gov.cn/")
PLATFORM = MessagePlatform(id="msg-city", name="临沧市人民政府网民留言", unit="临沧市人民政府办公室",
                           belongs_to="5309000001", export="http://www.lincang.gov.cn/hdjl/export.csv",
                           report_label="市级")
REGISTRY = Registry(office="临沧市人民政府办公室", region="临沧市", websites=(SITE,), message_platforms=(PLATFORM,))


def export(*rows: tuple[str, str, str, str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["留言编号", "留言时间", "留言人", "联系电话", "留言主题", "答复时间", "答复单位", "状态"])
    for number, received, replied, status in rows:
        writer.writerow([number, received, "张三", "13812345678", "咨询", replied, "市政府办公室", status])
    return out.getvalue().encode("utf-8-sig")


def observe(loopback, body: bytes):
    loopback.add("www.lincang.gov.cn", "/hdjl/export.csv", Page(body, content_type="text/csv"))
    return run_check("messages", PLATFORM, loopback.resolve, AS_OF, registry=REGISTRY)


def test_an_export_becomes_an_observation_without_personal_data(loopback):
    obs = observe(loopback, export(("L1", "2020-06-01 09:00", "2020-06-02 10:00", "已办结")))
    assert obs.outcome == "ok" and obs.figures["messages"] == 1
    stored = obs.to_json()
    assert "张三" not in stored and "13812345678" not in stored


def test_a_message_unanswered_for_more_than_three_months_is_a_veto(loopback):
    obs = observe(loopback, export(("L1", "2020-03-01 09:00", "", "办理中"),
                                   ("L2", "2020-04-15 09:00", "", "办理中")))
    assert [(f.code, f.key, f.severity) for f in obs.findings] == [("message_unanswered", "L1", "veto")]


def test_the_veto_fails_the_site_the_platform_belongs_to(loopback, tmp_path, profile):
    obs = observe(loopback, export(("L1", "2020-03-01 09:00", "", "办理中")))
    write_scorecards(REGISTRY, [obs], Period(2020, 2), Period(2020, 2).end_time, profile, tmp_path)
    card = yaml.safe_load((tmp_path / "scorecards" / "2020Q2" / "website" / "5309000001.md").read_text().split("---\n")[1])
    assert card["result"] == "fail"
    assert [v["item"] for v in card["vetoes"]] == ["互动回应差"]
    assert card["checks"]["messages"]["figures"] == {"platforms": 1, "platforms_unread": 0, "messages": 1, "open": 1,
                                                     "errors": 0}
    assert "张三" not in json.dumps(card, ensure_ascii=False)


def test_two_unanswered_messages_whose_numbers_mask_alike_stay_two_findings(profile):
    """Message numbers that are phone numbers are masked when stored; the findings must not merge."""
    from collector.observations import merge_findings
    from collector.checks.message_replies import unanswered_findings
    from collector.message_exports.importer import Message
    from collector.observations import Observation

    messages = tuple(Message(id=number, platform="msg-city", received_at=datetime(2020, 2, day, 9, tzinfo=CHINA_TZ),
                             replied_at=None, unit="市政府办公室", status="办理中", closed=False)
                     for number, day in (("13812345678", 3), ("13800005678", 4), ("L7", 5)))
    findings = unanswered_findings(messages, AS_OF, PLATFORM.export, profile.settings("messages"))
    obs = Observation(at=AS_OF, entry=PLATFORM.id, kind="message_platform", check="messages", outcome="finding",
                      findings=tuple(findings))
    assert [j.finding.key for j in merge_findings("messages", [obs])] == [
        "138****5678|2020-02-03 09:00", "138****5678|2020-02-04 09:00", "L7"]
    assert "13812345678" not in obs.to_json() and "13800005678" not in obs.to_json()


def test_an_unreadable_export_is_an_error_observation_and_could_not_check_in_the_statistics(loopback, tmp_path, profile):
    from collector.summarize.message_stats import write_message_statistics

    body = "留言编号,留言时间,状态\r\nL1,2020-06-01 09:00,已办结\r\n".encode("utf-8-sig")
    obs = observe(loopback, body)
    assert obs.outcome == "error" and "文件缺少必需的列“答复时间”" in obs.figures["error"]
    assert not obs.findings
    path = write_message_statistics(REGISTRY, [obs], Period(2020, 2), AS_OF, profile, tmp_path)
    data = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    [row] = data["platforms"]
    assert row["export"]["status"] == "unreadable" and row["received"] is None
    assert data["totals"]["platforms_without_data"] == 1
    assert data["totals"]["could_not_check"][0]["name"] == PLATFORM.name


def test_the_platform_header_mapping_reaches_the_check(loopback, tmp_path):
    from dataclasses import replace

    from message_exports.message_exports import teddy_row, write_teddy_xlsx

    workbook = write_teddy_xlsx(tmp_path / "附件4.xlsx", [
        teddy_row(2549, "2020/3/1 9:32:09", "", ""),
        teddy_row(2550, "2020/3/2 9:00:00", "网友您好，已转相关部门办理。", ""),
    ]).read_bytes()
    loopback.add("www.lincang.gov.cn", "/hdjl/export.xlsx", Page(workbook, content_type="application/octet-stream"))
    teddy = replace(PLATFORM, export="http://www.lincang.gov.cn/hdjl/export.xlsx",
                    headers=(("reply_text", ("答复意见",)),))
    obs = run_check("messages", teddy, loopback.resolve, AS_OF, registry=REGISTRY)
    assert obs.outcome == "finding" and obs.figures["messages"] == 2
    # 2549 has neither reply time nor reply text: unanswered for more than three months; 2550 was answered
    assert [(f.code, f.key) for f in obs.findings] == [("message_unanswered", "2549")]
    assert "A00045581" not in obs.to_json() and "已转相关部门办理" not in obs.to_json()


def test_a_scorecard_counts_an_unreadable_export_as_unread(loopback, tmp_path, profile):
    obs = observe(loopback, "留言编号,留言时间,状态\r\nL1,2020-06-01 09:00,已办结\r\n".encode("utf-8-sig"))
    write_scorecards(REGISTRY, [obs], Period(2020, 2), Period(2020, 2).end_time, profile, tmp_path)
    card = yaml.safe_load((tmp_path / "scorecards" / "2020Q2" / "website" / "5309000001.md").read_text().split("---\n")[1])
    assert card["checks"]["messages"]["figures"]["platforms_unread"] == 1
    assert card["checks"]["messages"]["figures"]["messages"] == 0
