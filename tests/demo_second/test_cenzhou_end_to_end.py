"""End to end on the second demo office (岑州市, 2021 Q3, other CMS shapes than Lincang's): the real
`collector demo-run --world cenzhou` over the last week of the quarter, then the real Pelican build.

Every planted problem is found on its entry, no look-alike is flagged, the drafted circular has the
second office's words and none of Lincang's, and personal data appears only masked."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from collector.cli import main
from collector.demo.cenzhou.world import build_world
from collector.registry import load_registry

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = ROOT / "registry" / "cenzhou-demo.yaml"
LINCANG_WORDS = ("临沧", "0883", "云南", "滇", "lcsxxgk", "驻临", "临翔", "凤庆", "lincang")
WORLD = build_world()
PLANTED = WORLD.planted

#: entry -> (check, finding code) of every finding the quarter must show; every other entry has none.
EXPECTED_FINDINGS = {
    PLANTED.wording_entry: {("wording", "wording_serious")},
    PLANTED.pii_entry: {("personal_info", "pii_resident_id"), ("column_freshness", "column_blank")},
    PLANTED.unanswered_entry: {("messages", "message_unanswered")},
    PLANTED.decommissioned_entry: {("decommissioned_domain", "domain_still_registered")},
    PLANTED.stale_column_entry: {("column_freshness", "column_stale")},
    PLANTED.stale_account: {("newmedia_freshness", "account_stale"), ("newmedia_freshness", "account_gap")},
}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("cenzhou")
    content = work / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("scorecards", "messages",
                                                                             "rectification-status", "20*Q*.md"))
    result = CliRunner().invoke(main, ["demo-run", "--world", "cenzhou", "--from", "2021-09-24",
                                       "--data", str(work / "observations"), "--content", str(content)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "collect 2021Q3" in result.output and "notice:" not in result.output
    build = subprocess.run([sys.executable, "-m", "pelican", str(content), "-s", str(ROOT / "pelicanconf.py"),
                            "-o", str(work / "output")], cwd=ROOT, capture_output=True, text=True)
    assert build.returncode == 0, build.stdout + build.stderr
    return work


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def cards(run: Path) -> dict[str, dict]:
    return {p.stem: front(p) for p in (run / "content" / "scorecards" / "2021Q3").glob("*/*.md")}


def last_observations(run: Path, check: str) -> dict[str, dict]:
    """Each entry's last observation of `check` in the store (the quarter's last day)."""
    found: dict[str, dict] = {}
    for path in sorted((run / "observations").rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if record["check"] == check:
                found[record["entry"]] = record
    return found


def test_every_entry_has_a_scorecard_page_in_the_built_site(run):
    entries = [e for e in load_registry(REGISTRY).entries() if e.kind != "message_platform"]
    assert len(entries) == 5 + 6 + 12
    for entry in entries:
        assert (run / "output" / "scorecards" / "2021Q3" / f"{entry.id}.html").exists(), entry.id


def test_every_planted_problem_is_found_on_its_entry_and_nothing_else_is(run):
    found: dict[str, set] = defaultdict(set)
    for entry, card in cards(run).items():
        for finding in card["findings"]:
            found[entry].add((finding["check"], finding["code"]))
    assert dict(found) == EXPECTED_FINDINGS


def test_the_entries_that_fail_are_exactly_those_with_a_planted_veto(run):
    failing = sorted(entry for entry, card in cards(run).items() if card["result"] == "fail")
    assert failing == sorted([PLANTED.wording_entry, PLANTED.pii_entry, PLANTED.unanswered_entry,
                              PLANTED.decommissioned_entry, PLANTED.stale_account])
    assert not [entry for entry, card in cards(run).items() if card["result"] == "unchecked"]


def test_the_evidence_points_at_the_planted_places(run):
    evidence = {(e, f["code"]): f["evidence"] for e, c in cards(run).items() for f in c["findings"]}
    assert evidence[(PLANTED.wording_entry, "wording_serious")]["url"] == PLANTED.wording_page
    assert PLANTED.wording_error in evidence[(PLANTED.wording_entry, "wording_serious")]["snippet"]
    assert evidence[(PLANTED.pii_entry, "pii_resident_id")]["url"] == PLANTED.pii_file
    assert evidence[(PLANTED.pii_entry, "column_blank")]["url"] == PLANTED.blank_column_url
    assert evidence[(PLANTED.stale_column_entry, "column_stale")]["url"] == PLANTED.stale_column_url
    assert "2021-08-23" in evidence[(PLANTED.stale_column_entry, "column_stale")]["snippet"]
    assert PLANTED.unanswered_message in evidence[(PLANTED.unanswered_entry, "message_unanswered")]["location"]
    assert "czly.gov.cn" in evidence[(PLANTED.decommissioned_entry, "domain_still_registered")]["url"]


def test_the_rate_limited_site_is_reachable_with_its_429s_reported_as_blocked(run):
    card = cards(run)["5209220001"]
    assert card["result"] == "pass" and card["checks"]["reachability"]["outcome"] == "ok"
    blocked = {b["check"]: b for b in card["blocked"]}
    assert blocked["reachability"]["count"] == 7 * 4  # 4 throttled rounds a day over the week
    assert list(blocked["reachability"]["reasons"]) == ["HTTP 429 请求过于频繁（限流）"]


def test_lists_read_through_dataproxy_pubdate_or_not_at_all_are_judged_as_they_are(run):
    states = {c["url"]: c for obs in last_observations(run, "column_freshness").values()
              for c in obs["figures"]["by_column"]}
    for url in PLANTED.proxy_fresh_columns:
        assert states[url]["state"] == "ok" and states[url]["read_via"] == ["dataproxy"], url
        assert states[url]["age_days"] <= 30, url
    assert states[PLANTED.stale_column_url]["read_via"] == ["dataproxy"]
    assert states[PLANTED.undated_column_url]["state"] == "undated"  # could not check, never stale
    assert states[PLANTED.footer_dates_column_url]["state"] == "ok"
    assert states[PLANTED.footer_dates_column_url]["read_via"] == ["pubdate"]
    gbk = [c for url, c in states.items() if url.startswith(f"http://{PLANTED.gbk_host}/")]
    assert len(gbk) == 4 and all(c["state"] == "ok" for c in gbk)


def test_the_drafted_circular_is_the_second_office_s_and_has_none_of_lincang_s_words(run):
    text = (run / "content" / "circulars" / "2021Q3.md").read_text(encoding="utf-8")
    for figure in ("Issuer: 岑州市人民政府办公室", "0856-3221708", "贵州省政务新媒体管理办法", "贵州省政务新媒体备案管理系统",
                   "在运行政府网站 [4 个]", "1 个市级政府门户网站、3 个县级政府门户网站", "市级部门信息公开专栏 [6 个]",
                   "问题网站 [3 个]", "政府系统政务新媒体 [12 个]", "政务微博 5 个，政务微信公众号 6 个，政务今日头条号 1 个",
                   "总体合格率 91.7%", "网民留言 [28 条]", "市级 14 条、岑江区 9 条、苗岭县 5 条", "czly.gov.cn",
                   "微信公众号“岑州市生态环境局”", "[苗岭县人民政府门户网站]", "[岑江区人民政府门户网站]",
                   "[市人民政府门户网站]", "2021年10月15日", "Status: draft"):
        assert figure in text, figure
    assert [word for word in LINCANG_WORDS if word in text] == []


def test_personal_data_appears_only_masked(run):
    number = PLANTED.id_number
    card = (run / "content" / "scorecards" / "2021Q3" / "website" / f"{PLANTED.pii_entry}.md").read_text("utf-8")
    assert "5209**********3124" in card
    secrets = [number] + [m.phone for p in WORLD.platforms for m in p.messages]
    for path in [*(run / "observations").rglob("*.jsonl"), *(run / "content").rglob("*.md"),
                 *(run / "output").rglob("*.html")]:
        text = path.read_text(encoding="utf-8")
        assert not [s for s in secrets if s in text], path
    page = (run / "output" / "scorecards" / "2021Q3" / f"{PLANTED.pii_entry}.html").read_text("utf-8")
    assert "5209**********3124" in page
