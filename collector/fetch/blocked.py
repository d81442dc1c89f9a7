"""Was this answer the site refusing *us* (rate limit, WAF or anti-bot challenge) rather than the site?

Many Chinese government sites sit behind a web application firewall or CDN that answers a
monitor with a challenge or block page instead of the page asked for. Such an answer says
nothing about whether a citizen can reach the site, nor about its content: a check that meets it
"could not check (blocked)", and reachability leaves it out of the 站点无法访问 windows.

Recognised, from the structure of the real pages (kept small in tests/fixtures/blocked/):
- HTTP 429, and 503 with Retry-After (the server asks us to come back later);
- 安全狗 (SafeDog) 网站防火墙 block page and its `safedog-flow-item` CC challenge;
- 360 / 奇安信网站卫士 (`wzws`) challenge and block pages;
- 知道创宇加速乐: 521 + script setting `__jsl_clearance`;
- 阿里云盾: `acw_sc__v2` JS challenge, and the WAF's 405 block page (errors.aliyun.com);
- 腾讯云 WAF block page;
- Cloudflare "Just a moment…" (cf-mitigated: challenge, _cf_chl_opt, /cdn-cgi/challenge-platform/);
- 创宇盾 block page;
- 瑞数 (Rivers Security) dynamic challenge: 412 (or 202) with the `$_ts` bootstrap script.

Signatures look at markers a real page of the site would not carry; a large 2xx page is never
taken for a challenge (challenge pages are a few kilobytes), so a news item *about* a firewall
does not turn a homepage into a block page.
"""
from __future__ import annotations

import re

from collector.fetch.client import FetchResult

#: The error kind a check context gives a fetch that met a block page (see CheckContext.fetch).
BLOCKED = "blocked"
#: A 2xx answer larger than this is a real page, whatever words it contains.
MAX_CHALLENGE_BYTES = 64 * 1024
#: How much of a body is looked at for markers.
_SCAN_BYTES = 128 * 1024

_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.I | re.S)


def blocked_reason(result: FetchResult) -> str | None:
    """Why this answer is a refusal of the monitor, in words for the scorecard; None if it is not one.

    A fetch error (timeout, connection refused, too large …) is never "blocked": the site did not
    answer with a refusal. Judged once per answer: a round's reachability and its page checks ask
    about the same homepage answer.
    """
    known = result.__dict__.get(_JUDGED, _UNJUDGED)  # a frozen dataclass's dict, as cached_property uses
    if known is _UNJUDGED:
        known = result.__dict__[_JUDGED] = _judge(result)
    return known


_JUDGED = "_blocked_reason"
_UNJUDGED = object()


def _judge(result: FetchResult) -> str | None:
    if result.error is not None or result.status is None:
        return None
    status = result.status
    headers = {k.lower(): v for k, v in result.headers.items()}
    if status == 429:
        return "HTTP 429 请求过于频繁（限流）"
    if status == 503 and "retry-after" in headers:
        return "HTTP 503 要求稍后再试（Retry-After，限流）"
    if 200 <= status < 300 and len(result.content) > MAX_CHALLENGE_BYTES:
        return None
    body = result.content[:_SCAN_BYTES]
    lower = body.lower()
    title_match = _TITLE.search(body)
    title = _text(title_match.group(1)) if title_match else ""
    server = headers.get("server", "").lower()
    cookies = headers.get("set-cookie", "").lower()

    if headers.get("cf-mitigated", "").lower() == "challenge" or (
            (b"_cf_chl_opt" in body or b"/cdn-cgi/challenge-platform/" in body or "just a moment" in title.lower())
            and ("cloudflare" in server or b"cf-chl" in lower or b"_cf_chl_opt" in body)):
        return "Cloudflare 人机验证页（Just a moment）"
    if b"__jsl_clearance" in body or (status == 521 and body.lstrip().lower().startswith(b"<script")
                                      and b"document.cookie" in body):
        return "知道创宇加速乐 JS 验证（__jsl_clearance）"
    if b"acw_sc__v2" in body:
        return "阿里云盾 JS 验证（acw_sc__v2）"
    if b"errors.aliyun.com" in lower and ("访问被阻断" in _text(body) or status == 405):
        return "阿里云盾 WAF 拦截页"
    if b"$_ts" in body and (b"$_ts.nsd" in body or b"$_ts.cd" in body or b"window['$_ts']" in body) \
            and status in (202, 412, 200):
        return f"瑞数动态验证（HTTP {status}）"
    if b"wzwschallenge" in lower or b"wzwstemplate" in lower or (
            "360wzws" in server and status >= 400) or "360网站卫士" in title:
        return "360网站卫士验证或拦截页"
    if (b"safedog" in lower and ("网站防火墙" in title or "拦截" in _text(body))) \
            or ("safedog-flow-item" in cookies and _scripted_redirect_only(body)):
        return "安全狗网站防火墙拦截或验证页"
    text = _text(body)
    if ("waf.tencent-cloud.com" in text or "腾讯云Web应用防火墙" in text or "腾讯云 Web 应用防火墙" in text
            or "T-Sec Web应用防火墙" in text) and ("阻断" in text or "拦截" in text or status >= 400):
        return "腾讯云 WAF 拦截页"
    if "创宇盾" in title or "被创宇盾拦截" in text:
        return "创宇盾拦截页"
    return None


def _text(data: bytes) -> str:
    """Bytes as text for marker matching: UTF-8, else GB18030 (block pages of Chinese WAFs use both)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def _scripted_redirect_only(body: bytes) -> bool:
    """A page that is nothing but a script sending the browser on (SafeDog's CC challenge)."""
    visible = re.sub(rb"<script.*?</script>|<[^>]+>|\s+", b"", body, flags=re.I | re.S)
    return len(visible) < 200 and b"location" in body.lower()
