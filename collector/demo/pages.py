"""HTML of the demo world's websites, in the shape of Chinese government CMS output (TRS style):
header, nav, breadcrumb, list pages, article pages with PubDate meta, and the footer marks.

`Pages.render(host, path, now)` answers one request as the site would at world time `now`.
"""
from __future__ import annotations

import base64
import bisect
import math
import re
from datetime import datetime
from functools import lru_cache

from jinja2 import DictLoader, Environment

from collector.demo.files import MEDIA_TYPES, attachment_bytes, export_bytes
from collector.demo.reply import NOT_FOUND, Reply
from collector.demo.world import MARK_HOSTS, Article, Channel, DepartmentColumn, ExternalSite, Site, World

WEEKDAYS = "一二三四五六日"
#: A 1x1 red PNG stands in for the 党政机关 and 公安备案 badges.
_BADGE = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==")
_CSS = (b"body{font:14px/1.6 'Microsoft YaHei',SimSun,sans-serif;margin:0}.header{background:#b40000;color:#fff;"
        b"padding:20px}.nav ul{display:flex;list-style:none;background:#8c0000;margin:0;padding:0}.nav a{color:#fff;"
        b"padding:8px 16px;display:block}.main{width:1000px;margin:0 auto}.date{float:right;color:#888}"
        b".footer{border-top:3px solid #b40000;text-align:center;color:#555;margin-top:30px}")
_PAGE = re.compile(r"^(?P<base>.*/)index_(?P<n>\d+)\.html$")

TEMPLATES = {
    "base.html": """<!DOCTYPE html>
<html lang="zh-CN">
<head>
{% if site.charset_style == "http-equiv" %}<meta http-equiv="Content-Type" content="text/html; charset={{ site.charset_label }}">
{% else %}<meta charset="{{ site.charset_label }}">
{% endif %}<meta name="SiteName" content="{{ site.name }}">
<meta name="SiteDomain" content="{{ site.host }}">
<meta name="SiteIDCode" content="{{ site.site_code }}">
{% block meta %}{% endblock %}<title>{% block title %}{% endblock %}</title>
<link rel="stylesheet" href="/css/style.css">
</head>
<body>
<div class="topbar">{% if today %}<span>今天是{{ today }}</span> {% endif %}<a href="/sitemap.html">网站地图</a></div>
<div class="header"><div class="logo"><a href="/">{{ site.name }}</a></div></div>
<div class="nav"><ul><li><a href="/">首页</a></li>{% for ch in site.channels %}<li><a href="{{ ch.path }}">{{ ch.name }}</a></li>{% endfor %}
{% if site.columns %}<li><a href="/zfxxgk/">信息公开</a></li>{% endif %}{% if site.platform %}<li><a href="{{ site.platform.page_path }}">互动交流</a></li>{% endif %}</ul></div>
{% if crumbs %}<div class="crumb">当前位置：<a href="/">首页</a>{% for name, href in crumbs %} &gt; {% if href %}<a href="{{ href }}">{{ name }}</a>{% else %}<span>{{ name }}</span>{% endif %}{% endfor %}</div>
{% endif %}<div class="main">
{% block main %}{% endblock %}
</div>
<div class="footer">
<p><a href="/sitemap.html">网站地图</a></p>
<p>主办单位：{{ site.unit }}　地址：{{ site.address }}　联系电话：{{ site.phone }}</p>
<p>网站标识码：{{ site.site_code }}　<a href="http://beian.miit.gov.cn/" target="_blank">{{ site.icp }}</a>　<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode={{ site.police_record }}" target="_blank"><img src="/images/gaba.png" alt="公安备案图标">滇公网安备 {{ site.police_record }}号</a></p>
<p><a href="http://bszs.conac.cn/sitename?method=show&amp;id={{ site.conac_id }}" target="_blank"><img src="/images/dzjg.png" alt="党政机关" width="46" height="56"></a></p>
</div>
</body>
</html>
""",
    "blocks.html": """{% for ch, items in blocks %}<div class="block">
<h2><a href="{{ ch.path }}">{{ ch.name }}</a> <a class="more" href="{{ ch.path }}">更多&gt;&gt;</a></h2>
<ul>
{% for a in items %}<li><a href="{{ a.path }}" title="{{ a.title }}">{{ a.title }}</a><span class="date">{{ fmt(a.published) }}</span></li>
{% else %}<li>暂无信息</li>
{% endfor %}</ul>
</div>
{% endfor %}""",
    "home.html": """{% extends "base.html" %}{% block title %}{{ site.name }}{% endblock %}{% block main %}
{% include "blocks.html" %}
{% if site.columns %}<div class="block"><h2><a href="/zfxxgk/">部门信息公开专栏</a></h2>
<ul class="grid">{% for c in site.columns %}<li><a href="{{ c.path }}">{{ c.short }}</a></li>{% endfor %}</ul></div>{% endif %}
{% endblock %}""",
    "column.html": """{% extends "base.html" %}{% block title %}{{ column.name }}_{{ site.name }}{% endblock %}{% block main %}
<h1>{{ column.name }}</h1>
{% include "blocks.html" %}
{% if platform %}<p><a href="{{ platform.page_path }}">网民留言</a></p>{% endif %}
{% endblock %}""",
    "columns.html": """{% extends "base.html" %}{% block title %}部门信息公开专栏_{{ site.name }}{% endblock %}{% block main %}
<h1>部门信息公开专栏</h1>
<ul>{% for c in site.columns %}<li><a href="{{ c.path }}">{{ c.name }}</a></li>{% endfor %}</ul>
{% endblock %}""",
    "list.html": """{% extends "base.html" %}{% block title %}{{ channel.name }}_{{ site.name }}{% endblock %}{% block main %}
<div class="list"><h2>{{ channel.name }}</h2>
<ul>
{% for a in items %}<li><a href="{{ a.path }}" title="{{ a.title }}">{{ a.title }}</a><span class="date">{{ fmt(a.published) }}</span></li>
{% else %}<li>暂无信息</li>
{% endfor %}</ul>
{% if pages > 1 %}<div class="pager">共{{ pages }}页　{% if page > 0 %}<a href="{{ page_url(0) }}">首页</a> <a href="{{ page_url(page - 1) }}">上一页</a> {% endif %}第{{ page + 1 }}页{% if page + 1 < pages %} <a href="{{ page_url(page + 1) }}">下一页</a> <a href="{{ page_url(pages - 1) }}">尾页</a>{% endif %}</div>{% endif %}
</div>
{% endblock %}""",
    "article.html": """{% extends "base.html" %}{% block meta %}<meta name="ArticleTitle" content="{{ a.title }}">
<meta name="PubDate" content="{{ a.published.strftime('%Y-%m-%d %H:%M') }}">
<meta name="ContentSource" content="{{ a.source }}">
<meta name="ColumnName" content="{{ channel.name }}">
{% endblock %}{% block title %}{{ a.title }}_{{ site.name }}{% endblock %}{% block main %}
<div class="article">
<h1>{{ a.title }}</h1>
<div class="info">发布时间：{{ published }}　来源：{% if a.source_url %}<a href="{{ a.source_url }}" target="_blank">{{ a.source }}</a>{% else %}{{ a.source }}{% endif %}</div>
<div class="content">
{% for p in a.paragraphs %}<p>{{ p }}</p>
{% endfor %}</div>
{% if a.attachments %}<div class="attachments">附件：
{% for f in a.attachments %}<p><a href="{{ f.path }}">{{ f.name }}</a></p>
{% endfor %}</div>{% endif %}
</div>
{% endblock %}""",
    "messages.html": """{% extends "base.html" %}{% block title %}网民留言_{{ site.name }}{% endblock %}{% block main %}
<h1>{{ platform.name }}</h1>
<table><tr><th>留言主题</th><th>留言时间</th><th>状态</th></tr>
{% for m in messages %}<tr><td>{{ m.subject }}</td><td>{{ fmt(m.asked) }}</td><td>{{ "已办结" if m.replied <= now else "办理中" }}</td></tr>
{% endfor %}</table>
<p><a href="{{ platform.export_path }}">导出留言列表</a></p>
{% endblock %}""",
    "sitemap.html": """{% extends "base.html" %}{% block title %}网站地图_{{ site.name }}{% endblock %}{% block main %}
<h1>网站地图</h1>
<ul>{% for ch in site.channels %}<li><a href="{{ ch.path }}">{{ ch.name }}</a></li>{% endfor %}
{% for c in site.columns %}<li><a href="{{ c.path }}">{{ c.name }}</a></li>{% endfor %}</ul>
{% endblock %}""",
    "external.html": """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{% if a %}{{ a.title }}_{% endif %}{{ ext.name }}</title>
{% if a %}<meta name="PubDate" content="{{ a.published.strftime('%Y-%m-%d %H:%M') }}">{% endif %}</head>
<body><div class="header"><a href="/">{{ ext.name }}</a></div>
{% if a %}<div class="article"><h1>{{ a.title }}</h1><div class="info">{{ a.published.strftime('%Y-%m-%d %H:%M') }}　来源：{{ a.source }}</div>
<div class="TRS_Editor">{% for p in a.paragraphs %}<p style="text-indent:2em">{{ p }}</p>{% endfor %}</div></div>
{% else %}<ul>{% for item in items %}<li><a href="{{ item.path }}">{{ item.title }}</a> <span>{{ item.published.strftime('%Y-%m-%d') }}</span></li>{% endfor %}</ul>{% endif %}
</body></html>
""",
    "mark.html": """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><h1>{{ title }}</h1>{% if site %}<p>网站名称：{{ site.name }}</p><p>开办单位：{{ site.unit }}</p>
<p>网站标识码：{{ site.site_code }}</p><p>备案编号：{{ site.icp }}</p>{% endif %}</body></html>
""",
}


def _date_formatter(style: str):
    """How a site writes dates in lists: a few real CMS habits, so date parsing must be robust."""
    if style == "slash":
        return lambda d: d.strftime("%Y/%m/%d")
    if style == "cn":
        return lambda d: f"{d.year}年{d.month}月{d.day}日"
    if style == "short":
        return lambda d: d.strftime("[%m-%d]")
    return lambda d: d.strftime("%Y-%m-%d")


def _full_date(d: datetime, style: str) -> str:
    if style == "slash":
        return d.strftime("%Y/%m/%d %H:%M")
    if style == "cn":
        return f"{d.year}年{d.month}月{d.day}日 {d:%H:%M}"
    return d.strftime("%Y-%m-%d %H:%M")


class Pages:
    """Routes a (host, path) of the world to what the site would answer at a given world time."""

    def __init__(self, world: World):
        self.world = world
        self.env = Environment(loader=DictLoader(TEMPLATES), autoescape=True)
        self.routes: dict[str, dict[str, tuple]] = {}
        for site in world.portals:
            self.routes[site.host] = self._site_routes(site)
        self.external = {e.host: e for e in world.external}
        self.external_routes = {e.host: {a.path: a for a in e.articles} for e in world.external}
        self.conac = {s.conac_id: s for s in world.portals}
        self._publication_times: dict[int, list[datetime]] = {}

    def _site_routes(self, site: Site) -> dict[str, tuple]:
        routes: dict[str, tuple] = {"/": ("home",), "/index.html": ("home",), "/sitemap.html": ("sitemap",),
                                    "/css/style.css": ("static", _CSS, "text/css"),
                                    "/images/dzjg.png": ("static", _BADGE, "image/png"),
                                    "/images/gaba.png": ("static", _BADGE, "image/png")}
        owners: list[tuple[Channel, DepartmentColumn | None]] = [(ch, None) for ch in site.channels]
        for column in site.columns:
            routes[column.path] = routes[column.path + "index.html"] = ("column", column)
            owners += [(ch, column) for ch in column.channels]
        if site.columns:
            routes["/zfxxgk/"] = ("columns",)
        for channel, column in owners:
            routes[channel.path] = routes[channel.path + "index.html"] = ("list", channel, column)
            for article in channel.articles:
                routes[article.path] = ("article", article, channel, column)
                for attachment in article.attachments:
                    routes[attachment.path] = ("file", attachment, article)
        for platform in self.world.platforms:
            if platform.host == site.host:
                routes[platform.page_path] = ("messages", platform)
                routes[platform.export_path] = ("export", platform)
        return routes

    def render(self, host: str, path: str, now: datetime) -> Reply | None:
        """The answer for one request (path with its query string); None for a host not ours."""
        if host in self.routes:
            return self._site(self.world.site(host), path, now)
        if host in self.external:
            return self._external(self.external[host], path, now)
        if host in MARK_HOSTS:
            return self._mark(host, path)
        return None

    def version(self, host: str, path: str, now: datetime) -> tuple:
        """What the answer to (host, path) depends on at `now`, for the server's cache: two times with
        the same version get the same answer.

        A page shows the world date only on a portal whose pages carry 今天是… in their top bar; an
        article or its attachment changes only when it appears; a list, a column's page or a homepage
        when an article of the channels it shows appears; a page without dates never; any other page
        of a host when one of the host's dated events (publications, replies) happens.
        """
        site = self.world.site(host)
        day = now.date() if site is not None and site.date_style == "short" else None
        route, _ = self._route(host, path)
        kind = route[0] if route else None
        if kind in ("article", "file"):
            article = route[1] if kind == "article" else route[2]
            return day, article.published <= now
        if kind == "list":
            return day, self._shown(route[1], now)
        if kind == "column":
            return day, *(self._shown(channel, now) for channel in route[1].channels)
        if kind == "home" and site is not None:
            return day, *(self._shown(channel, now) for channel in site.channels)
        if kind in ("static", "sitemap", "columns"):
            return (day,)
        return day, self.world.epoch(host, now)

    def _shown(self, channel: Channel, now: datetime) -> int:
        """How many of the channel's articles are out by `now` (what channel.visible(now) shows)."""
        times = self._publication_times.get(id(channel))
        if times is None:
            times = self._publication_times[id(channel)] = sorted(a.published for a in channel.articles)
        return bisect.bisect_right(times, now)

    # ------------------------------------------------------------------ government sites

    def _route(self, host: str, path: str) -> tuple[tuple | None, int | None]:
        """The route of a portal's path (its query aside), and the page number when the path is a
        paged list's index_N.html (None otherwise)."""
        route_path = path.partition("?")[0]
        routes = self.routes.get(host, {})
        route = routes.get(route_path)
        if route is None and (match := _PAGE.match(route_path)):
            return routes.get(match["base"]), int(match["n"])
        return route, None

    def _site(self, site: Site, path: str, now: datetime) -> Reply:
        route, paged = self._route(site.host, path)
        if route is None or (paged is not None and route[0] != "list"):
            return NOT_FOUND
        page = paged or 0
        kind = route[0]
        if kind == "static":
            return Reply(200, route[1], route[2])
        if kind == "file":
            attachment, article = route[1], route[2]
            if article.published > now:
                return NOT_FOUND
            return Reply(200, _cached_attachment(attachment), MEDIA_TYPES[attachment.kind])
        if kind == "export":
            platform = route[1]
            content_type = MEDIA_TYPES[platform.export_kind]
            if platform.export_kind == "csv":
                content_type += "; charset=" + ("gbk" if platform.export_encoding == "gbk" else "utf-8")
            return Reply(200, export_bytes(platform, now), content_type)
        context = {"site": site, "now": now, "fmt": _date_formatter(site.date_style),
                   "today": f"{now.year}年{now.month}月{now.day}日 星期{WEEKDAYS[now.weekday()]}"
                   if site.date_style == "short" else ""}
        if kind == "home":
            context["blocks"] = [(ch, ch.visible(now)[:7]) for ch in site.channels]
            return self._html(site, "home.html", context)
        if kind == "sitemap":
            return self._html(site, "sitemap.html", {**context, "crumbs": [("网站地图", "")]})
        if kind == "columns":
            return self._html(site, "columns.html", {**context, "crumbs": [("信息公开", "")]})
        if kind == "column":
            column = route[1]
            platform = next((p for p in self.world.platforms if p.belongs_to == column.id), None)
            return self._html(site, "column.html", {
                **context, "column": column, "platform": platform, "crumbs": [("信息公开", "/zfxxgk/"), (column.short, "")],
                "blocks": [(ch, ch.visible(now)[:5]) for ch in column.channels]})
        if kind == "list":
            channel, column = route[1], route[2]
            return self._list(site, channel, column, page, context)
        if kind == "article":
            article, channel, column = route[1], route[2], route[3]
            if article.published > now:
                return NOT_FOUND
            crumbs = self._crumbs(channel, column)
            return self._html(site, "article.html", {
                **context, "a": article, "channel": channel, "crumbs": crumbs + [("正文", "")],
                "published": _full_date(article.published, site.date_style)})
        platform = route[1]
        messages = [m for m in reversed(platform.messages) if m.asked <= now]
        return self._html(site, "messages.html", {**context, "platform": platform, "messages": messages,
                                                  "crumbs": [("互动交流", "")]})

    def _list(self, site: Site, channel: Channel, column: DepartmentColumn | None, page: int, context: dict) -> Reply:
        items = channel.visible(context["now"])
        size = channel.page_size or max(len(items), 1)
        pages = max(1, math.ceil(len(items) / size))
        if page >= pages:
            return NOT_FOUND

        def page_url(n: int) -> str:
            return channel.path + ("index.html" if n == 0 else f"index_{n}.html")

        return self._html(site, "list.html", {
            **context, "channel": channel, "items": items[page * size:(page + 1) * size], "page": page, "pages": pages,
            "page_url": page_url, "crumbs": self._crumbs(channel, column)})

    @staticmethod
    def _crumbs(channel: Channel, column: DepartmentColumn | None) -> list[tuple[str, str]]:
        if column is None:
            return [(channel.name, channel.path)]
        return [("信息公开", "/zfxxgk/"), (column.short, column.path), (channel.name, channel.path)]

    def _html(self, site: Site, template: str, context: dict) -> Reply:
        text = self.env.get_template(template).render(context)
        content_type = "text/html; charset=" + site.charset_label if site.charset_style == "header" else "text/html"
        return Reply(200, text.encode(site.encoding), content_type)

    # ------------------------------------------------------------------ other hosts

    def _external(self, ext: ExternalSite, path: str, now: datetime) -> Reply:
        route_path = path.partition("?")[0]
        template = self.env.get_template("external.html")
        if route_path in ("/", "/index.html"):
            items = [a for a in ext.articles if a.published <= now][:30]
            return Reply(200, template.render(ext=ext, a=None, items=items).encode(), "text/html; charset=utf-8")
        article: Article | None = self.external_routes[ext.host].get(route_path)
        if article is None or article.published > now:
            return NOT_FOUND
        return Reply(200, template.render(ext=ext, a=article).encode(), "text/html; charset=utf-8")

    def _mark(self, host: str, path: str) -> Reply:
        """The registries behind the footer marks: 党政机关网站标识, 公安备案, ICP 备案."""
        site = None
        if host == "bszs.conac.cn":
            site = self.conac.get(path.rpartition("id=")[2]) if "id=" in path else None
            title = "党政机关网站标识信息" if site else "党政机关网站标识"
        else:
            title = "全国互联网安全管理服务平台" if host == "www.beian.gov.cn" else "ICP/IP地址/域名信息备案管理系统"
        body = self.env.get_template("mark.html").render(title=title, site=site)
        return Reply(200, body.encode(), "text/html; charset=utf-8")


#: Attachments never change with the clock: build each once per process.
_cached_attachment = lru_cache(maxsize=None)(attachment_bytes)
