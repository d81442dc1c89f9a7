"""Honest verdicts end to end — collector rounds against real loopback servers, summaries, drafted
circular, real Pelican build:

- a round in which every site is down (a closed port) leaves every entry 未检查, never 合格 100 分,
  and the pass rates leave them out and say so;
- a site that throttles the monitor across a monitoring week (429, 503 + Retry-After, a WAF page)
  is not vetoed as 站点无法访问, and its scorecard shows 检查受限 with the count and reasons.
"""
from __future__ import annotations

import asyncio
import shutil
import socket
from datetime import datetime, timedelta
from pathlib import Path

import lxml.html
import pytest
import yaml
from click.testing import CliRunner

from collector.checks.base import get_check
from collector.circular.figures import quarter_figures
from collector.cli import main
from collector.fetch import Fetcher, FetchSettings
from collector.periods import CHINA_TZ, Period
from collector.profile import load_profile
from collector.registry import Registry, Website, load_registry
from collector.rounds import run_round
from collector.summarize.scorecards import write_scorecards
from govcensus_site import build_site, unit_slug
from loopback import Page

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = ROOT / "registry" / "lincang-demo.yaml"
PERIOD = Period(2020, 2)
FIXTURES = ROOT / "tests" / "fixtures" / "blocked"


def staff_content(root: Path) -> Path:
    content = root / "content"
    for folder in ("pages", "notices", "circulars/templates"):
        shutil.copytree(ROOT / "content" / folder, content / folder)
    return content


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def page(output: Path, relative: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((output / relative).read_text(encoding="utf-8"))


def figure(doc, name: str) -> str:
    return " ".join(doc.xpath(f'//*[@data-figure="{name}"]')[0].text_content().split())


# --------------------------------------------------------------------------- every site down

@pytest.fixture(scope="module")
def all_down(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("all-down")
    content = staff_content(work)
    port = closed_port()
    checks = ["reachability", "homepage_freshness", "column_freshness", "footer_marks", "newmedia_freshness"]
    run = CliRunner().invoke(main, ["round", "--registry", str(REGISTRY), "--data", str(work / "obs"),
                                    "--resolve", f"*=127.0.0.1:{port}", "--allow-private-addresses", "--as-of", "2020-06-30T09:00:00+08:00",
                                    *[arg for name in checks for arg in ("--check", name)]],
                             catch_exceptions=False)
    assert run.exit_code == 0, run.output
    summary = CliRunner().invoke(main, ["summarize", "--period", "2020Q2", "--registry", str(REGISTRY),
                                        "--data", str(work / "obs"), "--content", str(content),
                                        "--circular-date", "2020-07-13"], catch_exceptions=False)
    assert summary.exit_code == 0, summary.output
    build_site(content, work / "output")
    return work


def test_after_a_round_where_nothing_answered_every_running_entry_is_unchecked(all_down):
    registry = load_registry(REGISTRY)
    cards = {p.stem: front(p) for p in (all_down / "content" / "scorecards" / "2020Q2").glob("*/*.md")}
    running = [e for e in registry.entries() if e.kind != "message_platform" and e.status == "运行"]
    assert len(running) == 9 + 34 + 63
    for entry in running:
        card = cards[entry.id]
        assert (card["result"], card["score"]) == ("unchecked", None), entry.id
        assert card["unchecked_reasons"], entry.id
    portal = cards["5309000001"]
    assert portal["unchecked_reasons"][0] == "首页可访问性：7 天内有效访问最多 1 次，不足判定所需的 70 次"
    assert portal["unchecked_reasons"][1].startswith("首页更新：未能检查：无法连接")


def test_pass_rates_leave_unchecked_entries_out_and_say_so(all_down):
    figures = quarter_figures(PERIOD, all_down / "content", load_registry(REGISTRY))
    for population, running in (("websites", 9), ("columns", 34), ("accounts", 63)):
        assert (figures[population]["checked"], figures[population]["unchecked"]) == (0, running)
        assert figures[population]["pass_rate_text"] != "100%"
    draft = (all_down / "content" / "circulars" / "2020Q2.md").read_text(encoding="utf-8")
    assert "另有 9 个网站、34 个专栏本季度未能完成监测，不计入合格率" in draft
    assert "另有 63 个本季度未能完成监测，不计入合格率" in draft
    home = page(all_down / "output", "index.html")
    assert figure(home, "websites-rate") == "—" and figure(home, "websites-unchecked") == "9"
    assert figure(home, "columns-unchecked") == "34" and figure(home, "accounts-unchecked") == "63"
    assert "100%" not in home.xpath('//ul[@class="stats"]')[0].text_content()
    index = page(all_down / "output", "scorecards/index.html")
    assert figure(index, "unchecked") == str(9 + 34 + 63 + 2)  # the 2 decommissioned sites: no domain check ran


def test_an_unchecked_scorecard_page_says_未检查_with_reasons_never_合格_or_a_score(all_down):
    doc = page(all_down / "output", "scorecards/2020Q2/5309000001.html")
    result = " ".join(doc.xpath('//p[@class="result"]')[0].text_content().split())
    assert result.endswith("结果：未检查")
    assert "合格" not in result and "得分" not in result and not doc.xpath('//*[@data-figure="score"]')
    reasons = [li.text_content() for li in doc.xpath('//ul[@data-figure="unchecked-reasons"]/li')]
    assert reasons[0] == "首页可访问性：7 天内有效访问最多 1 次，不足判定所需的 70 次"
    check = " ".join(doc.xpath('//section[@id="check-reachability"]/p')[0].text_content().split())
    assert "未能检查（7 天内有效访问最多 1 次，不足判定所需的 70 次）" in check
    unit = page(all_down / "output", f"units/{unit_slug('临沧市人民政府办公室')}.html")
    assert int(figure(unit, "unit-unchecked")) >= 1


# --------------------------------------------------------------------------- a throttling site

THROTTLED = Website(site_code="5309000001", name="临沧市人民政府", unit="临沧市人民政府办公室", level="市级",
                    site_kind="政府门户网站", url="http://www.lincang.gov.cn/")
WEEK_START = datetime(2020, 6, 24, 0, 0, tzinfo=CHINA_TZ)


@pytest.fixture(scope="module")
def throttled(tmp_path_factory) -> Path:
    """A monitoring week (20 attempts a day) against a site that throttles a quarter of our visits."""
    from loopback import LoopbackSite, serve

    work = tmp_path_factory.mktemp("throttled")
    safedog = (FIXTURES / "safedog_block.html").read_bytes()
    visits = {"n": 0}

    def homepage(request) -> Page:
        i, visits["n"] = visits["n"], visits["n"] + 1
        if i % 10 == 0:
            return Page("Too Many Requests", status=429)
        if i % 10 == 5:
            return Page("busy", status=503, headers={"Retry-After": "60"})
        if i % 20 == 3:
            return Page(safedog)
        return Page("<html><body><ul><li><a href='/a.html'>通知</a><span>2020-06-29</span></li></ul></body></html>")

    registry = Registry(office="临沧市人民政府办公室", region="临沧市", websites=(THROTTLED,))
    profile = load_profile()
    reachability = get_check("reachability")
    observations = []
    with serve(LoopbackSite()) as site:
        site.add("www.lincang.gov.cn", "/", homepage)

        async def week() -> None:
            async with Fetcher(FetchSettings(allow_private_addresses=True, resolve=site.resolve, retries=0)) as fetcher:
                for i in range(140):
                    observations.extend(await run_round(registry, WEEK_START + timedelta(minutes=72 * i), profile,
                                                        fetcher, [reachability]))
        asyncio.run(week())
    content = staff_content(work)
    write_scorecards(registry, observations, PERIOD, PERIOD.end_time, profile, content)
    build_site(content, work / "output")
    return work


def test_a_throttling_site_is_not_vetoed_for_being_unreachable(throttled):
    card = front(throttled / "content" / "scorecards" / "2020Q2" / "website" / "5309000001.md")
    assert card["vetoes"] == [] and card["result"] == "pass"
    figures = card["checks"]["reachability"]["figures"]
    assert (figures["attempts"], figures["failures"], figures["blocked"]) == (105, 0, 35)
    assert card["blocked"] == [{"check": "reachability", "title": "首页可访问性", "count": 35, "reasons": {
        "HTTP 429 请求过于频繁（限流）": 14, "HTTP 503 要求稍后再试（Retry-After，限流）": 14,
        "安全狗网站防火墙拦截或验证页": 7}}]


def test_the_scorecard_page_shows_检查受限_with_count_and_reasons(throttled):
    doc = page(throttled / "output", "scorecards/2020Q2/5309000001.html")
    section = doc.xpath('//section[@aria-labelledby="h-limited"]')[0]
    assert section.xpath("./h2")[0].text_content() == "检查受限"
    assert figure(section, "blocked") == "35"
    assert [" ".join(li.text_content().split()) for li in section.xpath(".//li")] == [
        "首页可访问性：35 次（HTTP 429 请求过于频繁（限流） 14 次；HTTP 503 要求稍后再试（Retry-After，限流） 14 次；"
        "安全狗网站防火墙拦截或验证页 7 次）"]
