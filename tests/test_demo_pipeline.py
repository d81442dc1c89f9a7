"""End to end on the demo world: rounds really run against it, summaries, drafted circular, real
Pelican build. The last week of 2020 Q2 is replayed (the monitoring week of the reachability rule,
and every planted problem is live in it); `make demo` replays the whole quarter the same way."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from collector.cli import main
from collector.registry import load_registry

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = ROOT / "registry" / "lincang-demo.yaml"


pytestmark = pytest.mark.slow  # the demo quarter's last week, replayed once per session (tests/conftest.py)


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def test_every_registry_entry_has_a_scorecard_in_the_built_site(demo):
    registry = load_registry(REGISTRY)
    entries = [e for e in registry.entries() if e.kind != "message_platform"]
    assert len(entries) == 9 + 2 + 34 + 63
    for entry in entries:
        assert (demo / "output" / "scorecards" / "2020Q2" / f"{entry.id}.html").exists(), entry.id


def test_the_natural_resources_wechat_account_fails_freshness_and_portals_pass(demo):
    cards = demo / "content" / "scorecards" / "2020Q2"
    account = front(cards / "account" / "wx-lczrzyj.md")
    assert account["result"] == "fail"
    assert [f["code"] for f in account["findings"] if f["severity"] == "veto"] == ["account_stale"]
    portals = [front(p) for p in (cards / "website").glob("*.md")]
    running = [p for p in portals if p["entry"]["status"] == "运行"]
    assert len(running) == 9 and all(p["result"] == "pass" for p in running)
    assert all(p["checks"]["reachability"]["observations"] >= 140 for p in running)


def test_only_the_planted_problems_fail(demo):
    cards = demo / "content" / "scorecards" / "2020Q2"
    failing = sorted(p.stem for p in cards.glob("*/*.md") if front(p)["result"] == "fail")
    assert failing == ["5309000021", "5309000022", "wx-lczrzyj", "zfxxgk-jtysj", "zfxxgk-nyncj", "zfxxgk-tjj"]


def test_evidence_of_the_leaked_id_number_is_masked_everywhere(demo):
    card = (demo / "content" / "scorecards" / "2020Q2" / "column" / "zfxxgk-jtysj.md").read_text(encoding="utf-8")
    assert "5309**********0522" in card
    for path in list((demo / "observations").rglob("*.jsonl")) + list((demo / "output").rglob("*.html")):
        assert "530921198603140522" not in path.read_text(encoding="utf-8"), path


def test_the_drafted_circular_carries_the_seed_figures(demo):
    text = (demo / "content" / "circulars" / "2020Q2.md").read_text(encoding="utf-8")
    for figure in ("政府网站 [9 个]", "1 个市级政府门户网站、8 个县级政府门户网站", "信息公开专栏 [34 个]",
                   "问题网站 [0 个]", "网站合格率 100%", "问题专栏 [3 个]", "专栏合格率 91.2%",
                   "政务新媒体 [63 个]", "政务微博 18 个，政务微信公众号 44 个，政务今日头条号 1 个",
                   "总体合格率 98.4%", "共 [11 个]", "网民留言 [95 条]", "市级 26 条", "临翔区 23 条",
                   "永德县 7 条", "凤庆县 7 条", "云县 2 条", "双江 4 条", "镇康县 12 条", "沧源县 10 条",
                   "耿马县 2 条", "市公安局 2 条", "办结率 [100%]", "lcsd.gov.cn", "lcda.gov.cn",
                   "市统计局信息公开专栏", "市交通运输局信息公开专栏", "市农业农村局信息公开专栏",
                   "微信公众号“临沧市自然资源和规划局”", "7 月 24 日", "2020 年 7 月 20 日"):
        assert figure in text, figure
    assert "Status: draft" in text


def test_the_circular_names_the_whois_server_that_still_lists_the_decommissioned_domains(demo):
    """The demo's WHOIS answers as CNNIC (whois.cnnic.cn on loopback): the seed circular's own sentence."""
    text = (demo / "content" / "circulars" / "2020Q2.md").read_text(encoding="utf-8")
    assert ("[市水务局已下线网站（域名：lcsd.gov.cn）](../scorecards/2020Q2/5309000021.html)和"
            "[市档案局已下线网站（域名：lcda.gov.cn）](../scorecards/2020Q2/5309000022.html)"
            "未在第三方注册公司进行注销，在“中国互联网络信息中心”还能查找到域名相关信息。") in text
    card = (demo / "content" / "scorecards" / "2020Q2" / "website" / "5309000021.md").read_text(encoding="utf-8")
    assert "location: 中国互联网络信息中心（CNNIC）WHOIS（whois.cnnic.cn）" in card


def test_staff_written_files_are_never_touched_by_the_collector(demo):
    for folder in ("pages", "notices", "circulars/templates", "rectification"):
        for original in (ROOT / "content" / folder).rglob("*"):
            if original.is_file():
                copy = demo / "content" / folder / original.relative_to(ROOT / "content" / folder)
                assert copy.read_bytes() == original.read_bytes(), copy


def test_a_circular_edited_by_staff_survives_a_rerun(demo, tmp_path):
    content = tmp_path / "content"  # the session's demo stays as the run left it
    shutil.copytree(demo / "content", content)
    circular = content / "circulars" / "2020Q2.md"
    edited = circular.read_text(encoding="utf-8").replace("Status: draft", "Status: published")
    circular.write_text(edited, encoding="utf-8")
    result = CliRunner().invoke(main, ["summarize", "--period", "2020Q2", "--registry", str(REGISTRY),
                                       "--data", str(demo / "observations"), "--content", str(content),
                                       "--as-of", "2020-06-29T23:00:00+08:00", "--circular-date", "2020-07-13"])
    assert result.exit_code == 0, result.output
    assert circular.read_text(encoding="utf-8") == edited
    assert "notice:" in result.output and (content / "circulars" / "2020Q2-new-draft.md").exists()


def test_summaries_over_compacted_demo_days_match_the_whole_quarter_read_at_once(demo, tmp_path, profile):
    """The demo's real observations: closed days compacted by `collector compact`, then summarised a
    batch of entries at a time, give the same scorecards and message statistics, byte for byte."""
    from collector.periods import Period
    from collector.store import ObservationStore
    from summarize.all_at_once import summarise_all_at_once, summary_files

    shutil.copytree(demo / "observations", tmp_path / "observations")
    result = CliRunner().invoke(main, ["compact", "--data", str(tmp_path / "observations"), "--before", "2020-06-30"])
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "observations").glob("*/*.parquet"))) == 6
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content" / "circulars" / "templates", content / "circulars" / "templates")
    result = CliRunner().invoke(main, ["summarize", "--period", "2020Q2", "--registry", str(REGISTRY),
                                       "--data", str(tmp_path / "observations"), "--content", str(content)])
    assert result.exit_code == 0, result.output

    expected = summary_files(summarise_all_at_once(load_registry(REGISTRY), ObservationStore(demo / "observations"),
                                                   Period(2020, 2), Period(2020, 2).end_time, profile,
                                                   tmp_path / "reference"))
    written = summary_files(content)
    assert len(expected) > 100 and written.keys() == expected.keys()
    assert [name for name in expected if written[name] != expected[name]] == []


def test_no_scorecard_shows_a_figure_as_a_code_or_as_python_writes_it(demo):
    """nxdomain, registered, ok, ['list']: what a check writes is shown in its declared words."""
    import lxml.html

    shown = []
    for path in sorted((demo / "output" / "scorecards").glob("20*/*.html")):
        page = lxml.html.parse(str(path)).getroot()
        for cell in page.xpath('//dl[@class="figures"]/dd | //section[@class="check"]//td'):
            text = cell.text_content().strip()
            if re.fullmatch(r"[a-z_]+", text) or text.startswith(("[", "{")):
                shown.append((path.name, text))
    assert shown == []
