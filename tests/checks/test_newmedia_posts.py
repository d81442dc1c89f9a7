"""What accounts publish: each post of the last 48 hours has its link opened (dead, soft 404, rate
limited) and its title and text read for personal data and lexicon wording errors; findings are masked."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from checkrun import run_check
from collector.checks.base import get_check
from collector.periods import CHINA_TZ
from collector.profile import load_profile
from collector.registry import Account
from collector.scoring import scoring_rules
from loopback import LoopbackSite, Page

AS_OF = datetime(2020, 6, 30, 9, 0, tzinfo=CHINA_TZ)
ACCOUNT = Account(id="wx-lczrzy", platform="微信公众号", name="临沧市自然资源和规划局",
                  unit="临沧市自然资源和规划局", feed="http://rsshub.world.test/wechat/lczrzy")
ID_NUMBER = "360426199101010071"   # GB 11643 check digit and birth date valid
POST = "http://mp.weixin.qq.com/s/{}"


def rss(*posts: tuple[str, str, str, float]) -> Page:
    """Posts as (title, description HTML, link id, hours before the round)."""
    items = "".join(
        f"<item><title>{title}</title><link>{POST.format(link)}</link><description><![CDATA[{text}]]></description>"
        f"<pubDate>{(AS_OF - timedelta(hours=hours)).strftime('%a, %d %b %Y %H:%M:%S +0800')}</pubDate></item>"
        for title, text, link, hours in posts)
    return Page(f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>{items}</channel></rss>',
                content_type="application/rss+xml")


def post_page(title: str) -> Page:
    return Page(f"<html><head><title>{title}</title></head><body><h1>{title}</h1><p>{'正文。' * 50}</p></body></html>")


@pytest.fixture
def account_feed(loopback: LoopbackSite) -> LoopbackSite:
    """Six posts of the last two days and one older: one fine, one whose page is gone, one whose page
    says 页面不存在, one on a rate-limiting host, one with a serious wording error, one with an ID number."""
    loopback.add("rsshub.world.test", "/wechat/lczrzy", rss(
        ("防汛工作部署会召开", "<p>会议部署今年防汛工作。</p>", "fine", 2),
        ("土地日宣传活动", "<p>开展宣传。</p>", "gone", 5),
        ("国土空间规划公示", "<p>规划草案公示。</p>", "soft", 8),
        ("地质灾害防治", "<p>防治工作。</p>", "busy", 10),
        ("学习会", "<p>深入学习贯彻中国共产党第十九次全国人民代表大会精神。</p>", "wording", 20),
        ("补偿款发放公示", f"<p>领取人张三，身份证号码{ID_NUMBER}，请于7日内领取。</p>", "pii", 30),
        ("上周的旧文", "<p>旧文。</p>", "old-and-gone", 60),
    ))
    for name in ("fine", "wording", "pii"):
        loopback.add("mp.weixin.qq.com", f"/s/{name}", post_page(name))
    loopback.add("mp.weixin.qq.com", "/s/soft", Page("<html><head><title>页面不存在</title></head><body>该内容已被删除</body></html>"))
    loopback.add("mp.weixin.qq.com", "/s/busy", Page("slow down", status=429, headers={"Retry-After": "60"}))
    return loopback


def test_a_post_whose_link_is_gone_or_says_not_found_is_a_deduction_per_post(account_feed):
    observation = run_check("newmedia_posts", ACCOUNT, account_feed.resolve, AS_OF)
    dead = sorted((f for f in observation.findings if f.code == "post_link_dead"), key=lambda f: f.evidence.url)
    assert [f.evidence.url for f in dead] == [POST.format("gone"), POST.format("soft")]
    gone = dead[0]
    assert (gone.severity, gone.indicator, gone.evidence.snippet) == ("deduction", "链接不可用", "4xx: HTTP 404")
    assert gone.evidence.location == "2020-06-30 04:00 发布「土地日宣传活动」"
    assert dead[1].evidence.snippet.startswith("soft404")


def test_a_rate_limited_post_link_and_posts_older_than_48_hours_are_not_dead(account_feed):
    observation = run_check("newmedia_posts", ACCOUNT, account_feed.resolve, AS_OF)
    assert observation.figures["posts_checked"] == 6 and observation.figures["rate_limited"] == 1
    assert observation.figures["dead"] == 2
    assert ("GET", "mp.weixin.qq.com", "/s/old-and-gone") not in account_feed.hits
    assert ("HEAD", "mp.weixin.qq.com", "/s/old-and-gone") not in account_feed.hits


def test_a_serious_wording_error_in_a_post_is_a_veto_with_the_correct_form(account_feed):
    observation = run_check("newmedia_posts", ACCOUNT, account_feed.resolve, AS_OF)
    [finding] = [f for f in observation.findings if f.code == "wording_serious"]
    assert (finding.severity, finding.indicator, finding.evidence.url) == ("veto", "严重表述错误", POST.format("wording"))
    assert "“中国共产党第十九次全国人民代表大会”应为“中国共产党第十九次全国代表大会”" in finding.message
    assert finding.evidence.location == "2020-06-29 13:00 发布「学习会」的正文"


def test_an_id_number_in_a_post_is_a_finding_with_the_number_masked(account_feed):
    observation = run_check("newmedia_posts", ACCOUNT, account_feed.resolve, AS_OF)
    [finding] = [f for f in observation.findings if f.code == "pii_resident_id"]
    assert (finding.severity, finding.indicator, finding.evidence.url) == ("veto", "个人信息泄露", POST.format("pii"))
    assert "3604**********0071" in finding.message and "3604**********0071" in finding.evidence.snippet
    assert ID_NUMBER not in observation.to_json()
    assert observation.figures["matches"] == {"resident_id": 1, "mobile": 0, "bank_card": 0, "serious": 1, "typo": 0}


def test_findings_keep_their_keys_across_rounds(account_feed):
    first = run_check("newmedia_posts", ACCOUNT, account_feed.resolve, AS_OF)
    later = run_check("newmedia_posts", ACCOUNT, account_feed.resolve, AS_OF + timedelta(hours=12))
    # twelve hours on, all four problem posts are still within 48 hours: the same four problems, not new ones
    assert len(first.findings) == 4
    assert {f.merge_key for f in later.findings} == {f.merge_key for f in first.findings}


def test_a_clean_account_has_no_findings(loopback):
    loopback.add("rsshub.world.test", "/wechat/lczrzy", rss(("防汛工作部署会召开", "<p>咨询电话：0883-2123456。</p>", "fine", 2)))
    loopback.add("mp.weixin.qq.com", "/s/fine", post_page("防汛工作部署会召开"))
    observation = run_check("newmedia_posts", ACCOUNT, loopback.resolve, AS_OF)
    assert (observation.outcome, observation.findings, observation.figures["links_checked"]) == ("ok", (), 1)


@pytest.mark.parametrize(("page", "outcome"), [(Page("down", status=502), "unreachable"),
                                               (Page("<html><body>维护中</body></html>"), "error")])
def test_a_feed_that_cannot_be_read_is_could_not_be_checked(loopback, page, outcome):
    loopback.add("rsshub.world.test", "/wechat/lczrzy", page)
    observation = run_check("newmedia_posts", ACCOUNT, loopback.resolve, AS_OF)
    assert (observation.outcome, observation.findings) == (outcome, ())


@pytest.mark.parametrize(("code", "severity_key"), [
    ("post_link_dead", "severity_dead_link"), ("pii_resident_id", "severity_pii"), ("pii_mobile", "severity_pii"),
    ("pii_bank_card", "severity_pii"), ("wording_serious", "severity_serious"), ("wording_typo", "severity_typo"),
])
def test_every_code_the_check_emits_is_scored_as_the_severity_it_records(code, severity_key):
    profile = load_profile()
    item = scoring_rules(profile).for_kind("account").item_for("newmedia_posts", code)
    assert item is not None and item.type == profile.setting("newmedia_posts", severity_key)


def test_the_check_runs_daily_on_accounts():
    check = get_check("newmedia_posts")
    assert (check.cadence, check.applies_to) == ("daily", frozenset({"account"}))
