"""Probing a link as a visitor would use it, shared by the checks that judge links (dead links on a
site, links in new-media posts, a reprint's source link being internal or not).

A link is classified once per round across entries: HEAD first (cheap), GET when HEAD is refused
or not conclusive, and GET for pages a visitor reads so that a "soft 404" (a 200 page saying
页面不存在) is seen. A 429, or a 503 that carries Retry-After, is "rate limited", never dead.
"""
from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList

from collector.fetch import FetchResult
from collector.html import parse, visible_text
from collector.roundcontext import RoundContext

#: Link classes that mean "a visitor cannot use this link".
DEAD_CLASSES = ("4xx", "5xx", "timeout", "dns", "tls", "connect", "too_many_redirects", "protocol",
                "truncated", "invalid_url", "soft404")
SOFT_404_PHRASES = re.compile(r"页面不存在|您访问的页面不存在|找不到(?:该|此|您要访问的)?页面|页面未找到|页面已删除|"
                              r"page not found|404 not found", re.I)
_BARE_404 = re.compile(r"(?<!\d)404(?!\d)")
_PSL = PublicSuffixList()


@lru_cache(maxsize=4096)
def registrable_host(host: str) -> str:
    """lincang.gov.cn for www.lincang.gov.cn (public suffix list); an IP address stands for itself."""
    host = host.lower().rstrip(".")
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        return _PSL.privatesuffix(host) or host


def is_internal(url: str, site_url: str) -> bool:
    return registrable_host(urlsplit(url).hostname or "") == registrable_host(urlsplit(site_url).hostname or "")


def is_soft_404(result: FetchResult, max_body_chars: int) -> bool:
    """A 200 HTML page whose title, or whose short body, says the page does not exist."""
    if "html" not in result.content_type.lower() and not result.content.lstrip()[:1] == b"<":
        return False
    tree = parse(result.text)
    title = " ".join(tree.xpath("//title//text()")).strip()
    if SOFT_404_PHRASES.search(title) or _BARE_404.search(title):
        return True
    body = visible_text(tree)
    return len(body) <= max_body_chars and bool(SOFT_404_PHRASES.search(body) or _BARE_404.search(body))


def classify(result: FetchResult, soft_404_max_body_chars: int = 2000, read_body: bool = False) -> str:
    """ok | rate_limited | 4xx | 5xx | soft404 | a fetch error kind (timeout, dns, tls, …)."""
    if result.error == "too_large":
        return "ok"  # the server answered; the body is merely bigger than we read
    if result.error == "blocked":
        return "rate_limited"  # a rate limit or WAF challenge met through the round's shared fetch
    if result.error:
        return result.error
    status = result.status or 0
    if status == 429 or (status == 503 and "retry-after" in result.headers):
        return "rate_limited"
    if 400 <= status < 500:
        return "4xx"
    if status >= 500:
        return "5xx"
    if read_body and 200 <= status < 300 and is_soft_404(result, soft_404_max_body_chars):
        return "soft404"
    return "ok"


async def probe(url: str, read_body: bool, ctx: RoundContext, soft_404_max_body_chars: int) -> tuple[str, FetchResult]:
    """Classify one link: HEAD, then GET (shared with other checks) when HEAD is not conclusive.

    One probe per URL per round, across entries: a shared footer link is probed once."""
    return await ctx.once(("probe", read_body, url), lambda: _probe(url, read_body, ctx, soft_404_max_body_chars))


async def _probe(url: str, read_body: bool, ctx: RoundContext, soft_404_max_body_chars: int) -> tuple[str, FetchResult]:
    head = await ctx.fetcher.get(url, method="HEAD")
    head_class = classify(head)
    if head_class in ("rate_limited", "dns", "tls", "timeout", "connect", "invalid_url", "too_many_redirects",
                      "refused_address"):
        return head_class, head  # a GET would meet the same refusal; do not ask twice
    html = "html" in head.headers.get("content-type", "").lower()
    if head_class == "ok" and not (read_body and html):
        return head_class, head
    result = await ctx.fetch(url)
    return classify(result, soft_404_max_body_chars, read_body=read_body), result
