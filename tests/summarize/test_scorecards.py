"""Scorecard data files: one per entry, deterministic, atomic, escaped, results from findings."""
from __future__ import annotations

from datetime import datetime

import yaml

from collector.observations import Evidence, Finding, Observation
from collector.periods import CHINA_TZ, Period
from collector.registry import Account, DisclosureColumn, Registry, Website
from collector.summarize.scorecards import write_scorecards

PERIOD = Period(2020, 2)
AS_OF = PERIOD.end_time
SITE = Website(site_code="5309000001", name="临沧市人民政府", unit="临沧市人民政府办公室", level="市级",
               site_kind="政府门户网站", url="http://www.lincang.gov.cn/")
COLUMN = DisclosureColumn(id="lctjj", name="临沧市统计局信息公开专栏", unit="临沧市统计局", parent="5309000001",
                          url="http://www.lincang.gov.cn/zfxxgk/tjj/")
ACCOUNT = Account(id="wx-lczrzy", platform="微信公众号", name="临沧市自然资源和规划局", unit="临沧市自然资源和规划局",
                  feed="http://rsshub.world.test/wechat/lczrzy")
REGISTRY = Registry(office="临沧市人民政府办公室", region="临沧市", websites=(SITE,), columns=(COLUMN,), accounts=(ACCOUNT,))


def stale_feed(day: int, title: str = "最新发布") -> Observation:
    return Observation(at=datetime(2020, 6, day, 9, tzinfo=CHINA_TZ), entry="wx-lczrzy", kind="account",
                       check="newmedia_freshness", outcome="finding", figures={"age_days": day - 10},
                       findings=(Finding("account_stale", "内容不更新", "veto", "监测时间前 14 天内无更新", key="stale",
                                         evidence=Evidence(url=ACCOUNT.feed, location="最新发布", snippet=title)),))


def fresh_homepage(day: int) -> Observation:
    return Observation(at=datetime(2020, 6, day, 9, tzinfo=CHINA_TZ), entry="5309000001", kind="website",
                       check="homepage_freshness", outcome="ok", figures={"age_days": 1, "newest_item": "2020-06-01"})


OBSERVATIONS = [fresh_homepage(d) for d in range(10, 13)] + [stale_feed(d) for d in range(25, 31)]


def front_matter(path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def test_every_registry_entry_gets_a_scorecard(tmp_path, profile):
    total, _ = write_scorecards(REGISTRY, OBSERVATIONS, PERIOD, AS_OF, profile, tmp_path)
    assert total == 3
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.md")) == [
        "scorecards/2020Q2/account/wx-lczrzy.md", "scorecards/2020Q2/column/lctjj.md",
        "scorecards/2020Q2/website/5309000001.md"]


def test_results_follow_the_findings(tmp_path, profile):
    write_scorecards(REGISTRY, OBSERVATIONS, PERIOD, AS_OF, profile, tmp_path)
    base = tmp_path / "scorecards" / "2020Q2"
    account = front_matter(base / "account" / "wx-lczrzy.md")
    assert account["result"] == "fail"
    assert account["findings"][0]["first_seen"] == "2020-06-25T09:00:00+08:00"
    assert account["findings"][0]["last_seen"] == "2020-06-30T09:00:00+08:00"
    assert account["findings"][0]["times_seen"] == 6
    assert front_matter(base / "website" / "5309000001.md")["result"] == "pass"
    assert front_matter(base / "column" / "lctjj.md")["result"] == "unchecked"


def test_the_same_observations_give_byte_identical_files(tmp_path, profile):
    write_scorecards(REGISTRY, OBSERVATIONS, PERIOD, AS_OF, profile, tmp_path / "a")
    write_scorecards(REGISTRY, list(reversed(OBSERVATIONS)), PERIOD, AS_OF, profile, tmp_path / "b")
    for path in (tmp_path / "a").rglob("*.md"):
        assert path.read_bytes() == (tmp_path / "b" / path.relative_to(tmp_path / "a")).read_bytes()
    _, changed = write_scorecards(REGISTRY, OBSERVATIONS, PERIOD, AS_OF, profile, tmp_path / "a")
    assert changed == 0


def test_a_summary_as_of_an_earlier_time_ignores_later_observations(tmp_path, profile):
    write_scorecards(REGISTRY, OBSERVATIONS, PERIOD, datetime(2020, 6, 20, tzinfo=CHINA_TZ), profile, tmp_path)
    assert front_matter(tmp_path / "scorecards" / "2020Q2" / "account" / "wx-lczrzy.md")["result"] == "unchecked"


def test_third_party_text_is_escaped_in_the_markdown_body(tmp_path, profile):
    hostile = [stale_feed(30, title="<script>alert(1)</script> [点我](javascript:x)")]
    write_scorecards(REGISTRY, hostile, PERIOD, AS_OF, profile, tmp_path)
    text = (tmp_path / "scorecards" / "2020Q2" / "account" / "wx-lczrzy.md").read_text()
    body = text.split("---\n", 2)[2]
    assert "<script>" not in body


def test_a_removed_entry_loses_its_generated_file(tmp_path, profile):
    write_scorecards(REGISTRY, OBSERVATIONS, PERIOD, AS_OF, profile, tmp_path)
    smaller = Registry(office="x", region="y", websites=(SITE,))
    write_scorecards(smaller, OBSERVATIONS, PERIOD, AS_OF, profile, tmp_path)
    assert [p.name for p in tmp_path.rglob("*.md")] == ["5309000001.md"]


def test_a_scorecard_carries_the_score_vetoes_and_deductions_of_the_profile(tmp_path, profile):
    write_scorecards(REGISTRY, OBSERVATIONS, PERIOD, AS_OF, profile, tmp_path)
    account = front_matter(tmp_path / "scorecards" / "2020Q2" / "account" / "wx-lczrzy.md")
    assert account["score"] is None  # a veto is the verdict: no score beside 不合格
    assert [v["item"] for v in account["vetoes"]] == ["内容不更新"]
    assert account["deductions"] == []


def test_an_unchecked_scorecard_has_no_score(tmp_path, profile):
    write_scorecards(REGISTRY, OBSERVATIONS, PERIOD, AS_OF, profile, tmp_path)
    column = front_matter(tmp_path / "scorecards" / "2020Q2" / "column" / "lctjj.md")
    assert (column["result"], column["score"], column["vetoes"]) == ("unchecked", None, [])


def test_deduction_findings_lower_the_score_but_the_site_still_passes(tmp_path, profile):
    dead = Observation(at=datetime(2020, 6, 12, 9, tzinfo=CHINA_TZ), entry="5309000001", kind="website",
                       check="dead_links", outcome="finding",
                       findings=tuple(Finding("dead_link_homepage", "链接不可用", "deduction", "首页链接不可用",
                                              key=f"http://x.test/{n}") for n in range(3)))
    write_scorecards(REGISTRY, OBSERVATIONS + [dead], PERIOD, AS_OF, profile, tmp_path)
    site = front_matter(tmp_path / "scorecards" / "2020Q2" / "website" / "5309000001.md")
    assert (site["result"], site["score"]) == ("pass", 97)
    assert site["deductions"][0]["points"] == 3
    assert site["findings"][0]["key"] == "dead_link_homepage|http://x.test/0"


def attempt(when: datetime, entry: str = "5309000001", **figures) -> Observation:
    blocked = "blocked" in figures
    return Observation(at=when, entry=entry, kind="website", check="reachability", outcome="error" if blocked else "ok",
                       figures={"status": 200, "elapsed_ms": 5.0, "failed": False, **figures})


def unreachable(check: str, day: int, entry: str = "5309000001", kind: str = "website") -> Observation:
    return Observation(at=datetime(2020, 6, day, 9, tzinfo=CHINA_TZ), entry=entry, kind=kind, check=check,
                       outcome="unreachable", figures={"error": "connect"})


def test_a_round_where_nothing_could_be_checked_leaves_every_entry_unchecked_with_reasons(tmp_path, profile):
    down = [attempt(datetime(2020, 6, 30, 9, tzinfo=CHINA_TZ), failed=True, status=None, error="connect"),
            attempt(datetime(2020, 6, 30, 9, tzinfo=CHINA_TZ), entry="lctjj", failed=True, status=None, error="connect"),
            unreachable("homepage_freshness", 30), unreachable("footer_marks", 30),
            unreachable("column_freshness", 30, entry="lctjj", kind="column"),
            unreachable("newmedia_freshness", 30, entry="wx-lczrzy", kind="account")]
    write_scorecards(REGISTRY, down, PERIOD, AS_OF, profile, tmp_path)
    base = tmp_path / "scorecards" / "2020Q2"
    site = front_matter(base / "website" / "5309000001.md")
    assert (site["result"], site["score"]) == ("unchecked", None)
    assert site["unchecked_reasons"] == ["首页可访问性：7 天内有效访问最多 1 次，不足判定所需的 70 次",
                                         "首页更新：未能检查：无法连接 ×1"]
    assert site["checks"]["reachability"]["outcome"] == "unchecked"
    assert "**未检查**：首页更新：未能检查：无法连接 ×1" in (base / "website" / "5309000001.md").read_text()
    assert front_matter(base / "column" / "lctjj.md")["result"] == "unchecked"
    account = front_matter(base / "account" / "wx-lczrzy.md")
    assert account["unchecked_reasons"] == ["新媒体内容更新：未能检查：无法连接 ×1"]


def test_one_key_check_that_decided_is_enough_to_judge(tmp_path, profile):
    write_scorecards(REGISTRY, [fresh_homepage(30), unreachable("footer_marks", 30)], PERIOD, AS_OF, profile, tmp_path)
    site = front_matter(tmp_path / "scorecards" / "2020Q2" / "website" / "5309000001.md")
    assert (site["result"], site["score"]) == ("pass", 100)
    assert "unchecked_reasons" not in site


def test_a_veto_decides_even_when_the_key_checks_could_not(tmp_path, profile):
    typo = Observation(at=datetime(2020, 6, 30, 9, tzinfo=CHINA_TZ), entry="5309000001", kind="website",
                       check="wording", outcome="finding",
                       findings=(Finding("wording_serious", "严重表述错误", "veto", "严重表述错误", key="k"),))
    write_scorecards(REGISTRY, [typo, unreachable("homepage_freshness", 30)], PERIOD, AS_OF, profile, tmp_path)
    site = front_matter(tmp_path / "scorecards" / "2020Q2" / "website" / "5309000001.md")
    assert (site["result"], site["score"], [v["item"] for v in site["vetoes"]]) == ("fail", None, ["严重表述错误"])


def test_blocked_visits_are_listed_per_check_with_their_reasons(tmp_path, profile):
    start = datetime(2020, 6, 24, tzinfo=CHINA_TZ)
    from datetime import timedelta
    attempts = [attempt(start + timedelta(minutes=72 * i), **({"blocked": "HTTP 429 请求过于频繁（限流）", "status": 429}
                                                           if i % 10 == 0 else {})) for i in range(140)]
    blocked_home = Observation(at=datetime(2020, 6, 30, 9, tzinfo=CHINA_TZ), entry="5309000001", kind="website",
                               check="homepage_freshness", outcome="unreachable",
                               figures={"error": "blocked", "blocked": "安全狗网站防火墙拦截或验证页"})
    write_scorecards(REGISTRY, attempts + [blocked_home], PERIOD, AS_OF, profile, tmp_path)
    site = front_matter(tmp_path / "scorecards" / "2020Q2" / "website" / "5309000001.md")
    assert site["result"] == "pass"
    assert site["blocked"] == [
        {"check": "homepage_freshness", "title": "首页更新", "count": 1, "reasons": {"安全狗网站防火墙拦截或验证页": 1}},
        {"check": "reachability", "title": "首页可访问性", "count": 14, "reasons": {"HTTP 429 请求过于频繁（限流）": 14}}]
    figures = site["checks"]["reachability"]["figures"]
    assert (figures["attempts"], figures["blocked"]) == (126, 14)
