"""New-media accounts as RSSHub serves them (RSS 2.0, Atom or JSON Feed by route suffix), and the
post and profile pages on the platforms' own hosts that the feeds link to.
"""
from __future__ import annotations

import json
from datetime import datetime
from urllib.parse import urlsplit

import feedgenerator
from jinja2 import Environment

from collector.demo.reply import NOT_FOUND, Reply
from collector.demo.world import POST_HOSTS, RSSHUB_HOST, Account, Post, World

_POST_PAGE = Environment(autoescape=True).from_string("""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ post.title if post else account.name }}</title></head>
<body><div class="profile"><a href="{{ account.profile_url }}">{{ account.name }}</a>（{{ account.platform }}）</div>
{% if post %}<h1>{{ post.title }}</h1><p class="time">{{ post.published.strftime('%Y-%m-%d %H:%M') }}</p><div class="text"><p>{{ post.summary }}</p></div>
{% else %}<ul>{% for p in posts %}<li><a href="{{ p.link }}">{{ p.title }}</a> {{ p.published.strftime('%Y-%m-%d') }}</li>{% endfor %}</ul>{% endif %}
</body></html>
""")


def _target(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.hostname or "", parts.path + (f"?{parts.query}" if parts.query else "")


class Feeds:
    """Answers for rsshub.world.test and the platforms' hosts (mp.weixin.qq.com, weibo.com, www.toutiao.com)."""

    def __init__(self, world: World):
        self.by_route = {(a.route, a.handle): a for a in world.accounts}
        self.pages: dict[tuple[str, str], tuple[Account, Post | None]] = {}
        for account in world.accounts:
            self.pages[_target(account.profile_url)] = (account, None)
            for post in account.posts:
                self.pages[_target(post.link)] = (account, post)

    def render(self, host: str, path: str, now: datetime) -> Reply | None:
        """The answer for one request; None for a host not ours."""
        if host == RSSHUB_HOST:
            return self._feed(path.partition("?")[0], now)
        if host in POST_HOSTS.values():
            account, post = self.pages.get((host, path), (None, None))
            if account is None or (post is not None and post.published > now):
                return NOT_FOUND
            body = _POST_PAGE.render(account=account, post=post, posts=account.visible(now))
            return Reply(200, body.encode(), "text/html; charset=utf-8")
        return None

    def _feed(self, path: str, now: datetime) -> Reply:
        route, _, name = path.strip("/").partition("/")
        handle, dot, suffix = name.partition(".")
        account = self.by_route.get((route, handle))
        if account is None or (dot and suffix not in ("rss", "atom", "json")):
            return NOT_FOUND
        posts = account.visible(now)
        if suffix == "json":
            return Reply(200, _json_feed(account, posts).encode(), "application/feed+json; charset=utf-8")
        kind = feedgenerator.Atom1Feed if suffix == "atom" else feedgenerator.Rss201rev2Feed
        feed = kind(title=_feed_title(account), link=account.profile_url, feed_url=account.feed_url,
                    description=f"{account.name}的{account.platform} - Made with love by RSSHub", language="zh-cn",
                    ttl="5")
        for post in posts:
            feed.add_item(title=post.title, link=post.link, description=f"<p>{post.summary}</p>",
                          pubdate=post.published, updateddate=post.published, unique_id=post.link, author_name=account.name)
        content_type = "application/atom+xml" if suffix == "atom" else "application/rss+xml"
        return Reply(200, feed.writeString("utf-8").encode(), content_type + "; charset=utf-8")


def _feed_title(account: Account) -> str:
    return {"微博": f"{account.name}的微博", "微信公众号": f"{account.name} - 微信公众号",
            "今日头条": f"{account.name} - 今日头条"}[account.platform]


def _json_feed(account: Account, posts: list[Post]) -> str:
    return json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": _feed_title(account),
        "home_page_url": account.profile_url, "feed_url": account.feed_url,
        "items": [{"id": post.link, "url": post.link, "title": post.title, "content_html": f"<p>{post.summary}</p>",
                   "date_published": post.published.isoformat()} for post in posts],
    }, ensure_ascii=False, indent=1)
