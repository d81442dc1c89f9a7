"""Reading a new-media account's feed (RSS, Atom or JSON Feed, as RSSHub-like bridges serve them)
once per round, for every check on the account: its posts, newest first, or why it is not a feed.
"""
from __future__ import annotations

import calendar
import functools
import json
from dataclasses import dataclass
from datetime import datetime

import feedparser

from collector.text.pii import redact
from collector.fetch import FetchResult
from collector.html import parse, visible_text
from collector.periods import CHINA_TZ
from collector.roundcontext import RoundContext

#: Characters of a post title kept in observations: enough to recognise the post, little third-party text.
HISTORY_TITLE_CHARS = 40
#: Characters of a post's text (description, summary or content) read for the content checks.
SUMMARY_CHARS = 2000


@dataclass(frozen=True)
class Post:
    published: datetime
    title: str
    link: str
    summary: str = ""  # plain text of the post's description / summary / content


#: Feeds up to this size are remembered by their bytes (_parsed_feed): an unchanged feed is not parsed again.
REMEMBERED_FEED_BYTES = 512 * 1024


def parse_feed(content: bytes) -> tuple[list[Post], str | None]:
    """Posts with a publication time, newest first, and a parse problem if the feed is not a feed.

    feedparser is most of a new-media round's CPU, and an account's feed is often byte for byte what
    it was last round (a replay runs hundreds of rounds in one process): the same bytes give the
    same posts, so a small feed's reading is remembered by its content (at most 128 feeds of
    ≤ 512 KB, so ≤ 64 MB).
    """
    if len(content) <= REMEMBERED_FEED_BYTES:
        posts, problem = _parsed_feed(content)
        return list(posts), problem
    return _parse_feed(content)


@functools.lru_cache(maxsize=128)
def _parsed_feed(content: bytes) -> tuple[tuple[Post, ...], str | None]:
    posts, problem = _parse_feed(content)
    return tuple(posts), problem


def _parse_feed(content: bytes) -> tuple[list[Post], str | None]:
    if content.lstrip()[:1] == b"{":
        return parse_json_feed(content)
    parsed = feedparser.parse(content, sanitize_html=False, resolve_relative_uris=False)  # we keep plain titles and dates
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        return [], f"not a readable feed: {parsed.get('bozo_exception', 'unknown format')}"
    posts = []
    for item in parsed.entries:
        stamp = item.get("published_parsed") or item.get("updated_parsed")
        if stamp is None:
            continue
        when = datetime.fromtimestamp(calendar.timegm(stamp), CHINA_TZ)
        body = item.get("summary") or next((c.get("value", "") for c in item.get("content") or []), "")
        posts.append(Post(when, str(item.get("title", "")).strip()[:200], str(item.get("link", "")), plain_text(body)))
    return sorted(posts, key=lambda p: p.published, reverse=True), None


def parse_json_feed(content: bytes) -> tuple[list[Post], str | None]:
    """JSON Feed 1.0/1.1 (feedparser reads only XML feeds)."""
    try:
        data = json.loads(content)
        items = data["items"]
    except (ValueError, KeyError, TypeError) as exc:
        return [], f"not a readable JSON feed: {exc}"
    posts = []
    for item in items if isinstance(items, list) else []:
        stamp = item.get("date_published") or item.get("date_modified") if isinstance(item, dict) else None
        if not stamp:
            continue
        try:
            when = datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
        except ValueError:
            continue
        when = when if when.tzinfo else when.replace(tzinfo=CHINA_TZ)
        body = item.get("content_text") or item.get("summary") or item.get("content_html") or ""
        posts.append(Post(when.astimezone(CHINA_TZ), str(item.get("title", "")).strip()[:200], str(item.get("url", "")),
                          plain_text(str(body))))
    return sorted(posts, key=lambda p: p.published, reverse=True), None


def plain_text(body: str) -> str:
    """Feeds carry post text as HTML (RSS description, Atom content); the content checks read text."""
    text = visible_text(parse(body)) if "<" in body else body
    return " ".join(text.split())[:SUMMARY_CHARS]


def posts_until(posts: list[Post], as_of: datetime) -> list[Post]:
    return [p for p in posts if p.published <= as_of]


@dataclass(frozen=True)
class FeedRead:
    """An account's feed as read in one round: what came back, its posts, or why it is not a feed."""

    fetched: FetchResult
    posts: list[Post]
    problem: str | None = None


async def read_feed(url: str, ctx: RoundContext) -> FeedRead:
    """Fetch and parse a feed once per round, for every check on the account."""
    async def read() -> FeedRead:
        fetched = await ctx.fetch(url)
        if not fetched.ok:
            return FeedRead(fetched, [])
        posts, problem = await ctx.run_cpu(parse_feed, fetched.content, size=len(fetched.content))  # feedparser is slow on big feeds
        return FeedRead(fetched, posts, problem)

    return await ctx.once(("feed", url), read)


def short_title(title: str) -> str:
    """A title as observations keep it: digits runs masked (a title may carry a phone or ID number), short."""
    return redact(" ".join(title.split()))[:HISTORY_TITLE_CHARS]
