"""New-media post history: each daily round keeps the posts of the 48 hours before it, so a period's
rounds together know every post — how many, how many a week, the longest silence — and a silence
longer than a week anywhere in the period is a deduction, even if no round fell on it."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from checkrun import run_check
from collector.checks.base import get_check
from collector.checks.newmedia_freshness import history
from collector.feeds import Post
from collector.observations import Observation
from collector.periods import CHINA_TZ, Period
from collector.profile import load_profile
from collector.registry import Account
from collector.scoring import scoring_rules
from loopback import LoopbackSite, Page, serve

PROFILE = load_profile()
CHECK = get_check("newmedia_freshness")
Q2 = Period(2020, 2)
ACCOUNT = Account(id="wx-lczrzy", platform="微信公众号", name="临沧市自然资源和规划局",
                  unit="临沧市自然资源和规划局", feed="http://rsshub.world.test/wechat/lczrzy")


def t(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2020, month, day, hour, tzinfo=CHINA_TZ)


#: Daily at 10:00 from 20 May to 10 June, then silent for 10 days, then 20, 22 and 25 June.
POSTS = [t(5, 20) + timedelta(days=i) for i in range(22)] + [t(6, 20), t(6, 22), t(6, 25)]


def rss(times: list[datetime], title: str = "工作动态") -> str:
    items = "".join(f"<item><title>{title}{i}</title><link>http://mp.weixin.qq.com/s/{i}</link>"
                    f"<pubDate>{d.strftime('%a, %d %b %Y %H:%M:%S +0800')}</pubDate></item>" for i, d in enumerate(times))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>{items}</channel></rss>'


def rounds(loopback: LoopbackSite, days: list[int], month: int = 6) -> list[Observation]:
    """Daily rounds at 09:00 on the given days; the feed always lists every post (the check ignores later ones)."""
    loopback.add("rsshub.world.test", "/wechat/lczrzy", Page(rss(POSTS), content_type="application/rss+xml"))
    return [run_check("newmedia_freshness", ACCOUNT, loopback.resolve, t(month, d, 9)) for d in days]


@pytest.fixture(scope="module")
def june() -> Iterator[list[Observation]]:
    """Every daily round of June (read once for the module: the observations are not modified)."""
    with serve(LoopbackSite()) as site:
        yield rounds(site, list(range(1, 31)))


def test_a_round_keeps_the_posts_of_the_48_hours_before_it(june):
    june_2 = june[1]
    assert [p["published"] for p in june_2.figures["recent_posts"]] == [t(6, 1).isoformat(), t(5, 31).isoformat()]
    assert june_2.figures["history_from"] == t(5, 31, 9).isoformat()
    assert june_2.figures["recent_posts"][0] == {"published": t(6, 1).isoformat(), "link": "http://mp.weixin.qq.com/s/12",
                                                 "title": "工作动态12"}


def test_in_a_silence_a_round_keeps_the_newest_post_and_is_complete_from_it(june):
    june_15 = june[14]
    assert [p["published"] for p in june_15.figures["recent_posts"]] == [t(6, 10).isoformat()]
    assert june_15.figures["history_from"] == t(6, 10).isoformat()


def test_the_period_figures_count_every_post_the_rounds_kept(june):
    figures = CHECK.period_figures(june, PROFILE)
    assert figures["posts_in_period"] == 12 + 3          # 30 May – 10 June, then 20, 22, 25 June
    assert figures["newest_post"] == t(6, 25).isoformat() and figures["age_days"] == 5
    # whole weeks back from the last round (30 June 09:00) that the history covers: 7, 2, 2 and 1 posts
    assert (figures["weeks_counted"], figures["posts_per_week_min"], figures["posts_per_week_median"]) == (4, 1, 2.0)
    assert (figures["longest_gap_days"], figures["longest_gap_from"], figures["longest_gap_to"]) == (
        10, t(6, 10).isoformat(), t(6, 20).isoformat())


def test_a_missed_round_loses_nothing(loopback, june):
    missed = rounds(loopback, [d for d in range(1, 31) if d not in (12, 21)])
    assert CHECK.period_figures(missed, PROFILE) == CHECK.period_figures(june, PROFILE)
    assert CHECK.judge(ACCOUNT, missed, Q2, PROFILE)[-1].finding == CHECK.judge(ACCOUNT, june, Q2, PROFILE)[-1].finding


def test_a_gap_longer_than_a_week_is_a_deduction_from_when_it_passed_a_week_until_the_next_post(june):
    judged = CHECK.judge(ACCOUNT, june, Q2, PROFILE)
    [gap] = [j for j in judged if j.finding.code == "account_gap"]
    assert (gap.finding.severity, gap.finding.indicator) == ("deduction", "更新频率")
    assert (gap.first_seen, gap.last_seen, gap.times_seen) == (t(6, 18, 0), t(6, 20), 3)
    assert "10 天无更新" in gap.finding.message and "2020-06-20 再次发布" in gap.finding.message
    assert gap.finding.evidence.snippet == "2020-06-10 工作动态21 → 2020-06-20 工作动态22"
    # the rounds of 18–20 June saw the same silence as it happened; both are kept
    assert [j.finding.code for j in judged if j.finding.code != "account_gap"] == ["account_slow"]


def test_a_gap_of_exactly_the_threshold_is_not_a_deduction(loopback):
    loopback.add("rsshub.world.test", "/wechat/lczrzy",
                 Page(rss([t(6, 1), t(6, 8), t(6, 10)]), content_type="application/rss+xml"))
    observations = [run_check("newmedia_freshness", ACCOUNT, loopback.resolve, t(6, d, 9)) for d in range(2, 12)]
    assert CHECK.period_figures(observations, PROFILE)["longest_gap_days"] == 7
    assert [j for j in CHECK.judge(ACCOUNT, observations, Q2, PROFILE) if j.finding.code == "account_gap"] == []


def test_no_gap_is_judged_across_days_no_round_saw(loopback):
    """Rounds two weeks apart see posts on either side but not between: that is a hole, not a silence."""
    daily = [t(5, 20) + timedelta(days=i) for i in range(30)]
    loopback.add("rsshub.world.test", "/wechat/lczrzy", Page(rss(daily), content_type="application/rss+xml"))
    observations = [run_check("newmedia_freshness", ACCOUNT, loopback.resolve, t(6, d, 9)) for d in (1, 15)]
    assert CHECK.period_figures(observations, PROFILE)["longest_gap_days"] == 1
    assert [j for j in CHECK.judge(ACCOUNT, observations, Q2, PROFILE) if j.finding.code == "account_gap"] == []


def test_an_open_silence_runs_to_the_last_round(loopback):
    loopback.add("rsshub.world.test", "/wechat/lczrzy", Page(rss([t(5, 25, 18)]), content_type="application/rss+xml"))
    observations = [run_check("newmedia_freshness", ACCOUNT, loopback.resolve, t(6, d, 9)) for d in range(24, 31)]
    figures = CHECK.period_figures(observations, PROFILE)
    assert (figures["longest_gap_days"], figures["longest_gap_to"], figures["age_days"]) == (36, None, 36)
    gap = next(j for j in CHECK.judge(ACCOUNT, observations, Q2, PROFILE) if j.finding.code == "account_gap")
    assert gap.last_seen == t(6, 30, 9) and "至监测时 2020-06-30 仍未发布" in gap.finding.message


def test_titles_are_kept_short_and_with_numbers_masked(loopback):
    loopback.add("rsshub.world.test", "/wechat/lczrzy", Page(
        rss([t(6, 29)], title="关于张三（身份证号530921198603140522，电话13812345678）申请材料补正的通知"),
        content_type="application/rss+xml"))
    observation = run_check("newmedia_freshness", ACCOUNT, loopback.resolve, t(6, 30, 9))
    [kept] = observation.figures["recent_posts"]
    assert kept["title"] == "关于张三（身份证号5309**********0522，电话138****567"
    assert "530921198603140522" not in observation.to_json() and "13812345678" not in observation.to_json()


def test_a_feed_holding_only_posts_of_the_window_is_complete_only_from_its_oldest_post():
    """A feed lists its newest 20: if all 20 are from the last two days, older ones may be cut off."""
    as_of = t(6, 30, 9)
    posts = [Post(as_of - timedelta(hours=2 * i + 1), f"微博{i}", f"http://weibo.com/1/{i}") for i in range(20)]
    kept, complete_from = history(posts, as_of, 48)
    assert len(kept) == 20 and complete_from == posts[-1].published


def test_an_unreadable_feed_adds_nothing_to_the_history(loopback, june):
    loopback.add("rsshub.world.test", "/wechat/lczrzy", Page("down", status=502))
    down = run_check("newmedia_freshness", ACCOUNT, loopback.resolve, t(6, 30, 12))
    assert CHECK.period_figures([*june, down], PROFILE) == CHECK.period_figures(june, PROFILE)


def test_gaps_deduct_under_the_update_frequency_item():
    item = scoring_rules(PROFILE).for_kind("account").item_for("newmedia_freshness", "account_gap")
    assert item is not None and (item.name, item.type, item.confirm) == ("更新频率", "deduction", True)
