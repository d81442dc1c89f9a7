"""The shared fetch of a round: a WAF challenge or rate limit is "could not check: blocked" for every
check, never content to judge (a challenge page has no dates: it would look years stale)."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from checkrun import run_check
from collector.periods import CHINA_TZ
from collector.registry import Website
from loopback import Page

AS_OF = datetime(2020, 6, 30, 9, 0, tzinfo=CHINA_TZ)
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "blocked"


def site() -> Website:
    return Website(site_code="5309000001", name="临沧市人民政府", unit="临沧市人民政府办公室", level="市级",
                   site_kind="政府门户网站", url="http://www.lincang.gov.cn/")


@pytest.mark.parametrize("page, reason", [
    (Page((FIXTURES / "aliyun_acw_sc.html").read_bytes()), "阿里云盾 JS 验证（acw_sc__v2）"),
    (Page((FIXTURES / "wzws_challenge.html").read_bytes()), "360网站卫士验证或拦截页"),
    (Page("slow down", status=429), "HTTP 429 请求过于频繁（限流）"),
])
@pytest.mark.parametrize("check", ["homepage_freshness", "footer_marks"])
def test_a_blocked_homepage_is_could_not_check_with_its_reason(loopback, check, page, reason):
    loopback.add("www.lincang.gov.cn", "/", page)
    obs = run_check(check, site(), loopback.resolve, AS_OF)
    assert obs.outcome == "unreachable" and obs.findings == ()
    assert obs.figures == {"error": "blocked", "blocked": reason}


def test_the_could_not_check_reason_counts_each_cause_most_frequent_first():
    from collector.checks.base import could_not_check_reason
    from collector.observations import Observation

    def obs(outcome: str, **figures) -> Observation:
        return Observation(at=AS_OF, entry="e", kind="website", check="c", outcome=outcome, figures=figures)  # type: ignore[arg-type]
    observations = [obs("unreachable", error="blocked", blocked="HTTP 429 请求过于频繁（限流）"),
                    obs("unreachable", error="connect"), obs("unreachable", error="connect"),
                    obs("unreachable", unreachable=5), obs("unreachable", error="HTTP 503"),
                    obs("unreachable", error="refused_address")]
    assert could_not_check_reason(observations) == \
        ("未能检查：无法连接 ×2；HTTP 429 请求过于频繁（限流） ×1；HTTP 503 ×1；"
         "地址指向内网或保留地址，不予访问 ×1；无法访问 ×1")
    assert could_not_check_reason([]) == "本期无观测记录"


def test_every_fetch_error_kind_is_put_in_words_and_its_transport_detail_is_dropped():
    """A scorecard says why a check could not look in Chinese, never in the fetcher's codes."""
    from typing import get_args

    from collector.checks.base import ERROR_WORDS, reason_in_words
    from collector.fetch.client import ErrorKind

    assert set(get_args(ErrorKind)) <= set(ERROR_WORDS)
    assert reason_in_words("timeout: Operation timed out after 20001 milliseconds") == "超时"
    assert reason_in_words("HTTP 404") == "HTTP 404"
    assert reason_in_words("HTTP 429 请求过于频繁（限流）") == "HTTP 429 请求过于频繁（限流）"
    assert reason_in_words("文件缺少必需的列：答复时间") == "文件缺少必需的列：答复时间"


def test_every_coded_figure_value_a_check_writes_has_words_and_belongs_to_a_declared_figure():
    """A reader sees 不存在（已不能解析）, 仍在注册, 列表中的日期 — never nxdomain, registered, list."""
    from typing import get_args

    from collector.checks.base import all_checks, get_check
    from collector.checks.common import LINK_CLASS_LABELS
    from collector.domains.dns import DNS_OUTCOME_WORDS, DnsOutcome
    from collector.domains.whois import WHOIS_OUTCOME_WORDS, WhoisOutcome
    from collector.listing import READ_VIA_WORDS

    assert set(DNS_OUTCOME_WORDS) == set(get_args(DnsOutcome))
    assert set(WHOIS_OUTCOME_WORDS) == set(get_args(WhoisOutcome))
    assert set(READ_VIA_WORDS) == {"list", "dataproxy", "pubdate"}
    assert {"ok", "4xx", "5xx", "soft404", "timeout", "connect"} <= set(LINK_CLASS_LABELS)
    from collector.checks.common import CRAWL_FIGURES
    from collector.text import extract
    unread = {v for k, v in vars(extract).items() if k.startswith("UNREAD_")}
    assert unread and unread | set(extract.KINDS) - {"page"} <= set(CRAWL_FIGURES)  # unread_reasons' and attachments' keys
    assert "refused_address" in LINK_CLASS_LABELS  # a link to a private address, refused before any connection
    assert get_check("reachability").figure_value_labels()["error"]["blocked"] == "被限流或拦截"
    footer = get_check("footer_marks")
    assert set(footer.figure_value_labels()["marks_missing_or_wrong"]) == set(footer.codes)
    column = get_check("column_freshness").figure_value_labels()
    assert set(column["state"]) == {"ok", "blank", "undated", "unreachable"}
    for check in all_checks():
        for key, words in check.figure_value_labels().items():
            assert key in check.figure_labels(), f"{check.name}: words for {key}, which is no declared figure"
            assert all(isinstance(w, str) and w and not w.isascii() for w in words.values()), (check.name, key)
