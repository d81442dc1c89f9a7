"""What the 岑州 world's sites answer, in the shapes of the CMSs they model (none is TRS):

- Hanweb 大汉 (city portal, 岑江区): `/col/colN/index.html` lists whose rows are jpage records in
  `<script type="text/xml"><datastore>`, or an empty recordset whose rows only
  `/module/web/jpage/dataproxy.jsp?…columnid=N` serves; articles `/art/Y/M/D/art_N_M.html` with a
  `firstpublishedtime` meta. 岑江区 sends GBK bytes labelled gb2312, holding GBK-only characters.
- easysite (苗岭县): `<table class="list_table">` rows with `[YYYY-MM-DD]` cells, articles
  `/doc/YYYY/MM/DD/N.shtml` with a `PubDate` meta; a list without dates, whose articles carry no
  date either; an empty column showing 暂无信息.
- a plain CMS (清溪县): `YYYY年M月D日` and `YYYY.MM.DD` rows, a list without dates whose articles
  carry PubDate, and a footer with an old 更新时间 and a copyright year range.

`Pages.render(host, path, now)` answers one request as the site would at world time `now`.
"""
from __future__ import annotations

import csv
import io
from datetime import datetime
from functools import lru_cache
from urllib.parse import parse_qs

import openpyxl
from jinja2 import DictLoader, Environment

from collector.demo.cenzhou.world import MARK_HOSTS, Article, Department, Listing, Platform, Site, World
from collector.demo.files import MEDIA_TYPES, attachment_bytes
from collector.demo.reply import NOT_FOUND, Reply

_GIF = bytes.fromhex("47494638396101000100800000ff000000000021f90401000000002c00000000010001000002024401003b")
_FIXED_CREATED = datetime(2021, 1, 1)
PROXY_PATH = "/module/web/jpage/dataproxy.jsp"

_FOOTER = """<div class="footer">
<p><a href="{{ home }}">首页</a>{% if site.cms == "plain" %}　Copyright © 2008-2021 {{ site.unit }}　更新时间：2019-03-01{% endif %}</p>
<p>主办单位：{{ site.unit }}　地址：{{ site.address }}　联系电话：{{ site.phone }}</p>
<p>网站标识码：{{ site.site_code }}　<a href="http://beian.miit.gov.cn/" target="_blank">{{ site.icp }}</a>　<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode={{ site.police_record }}" target="_blank"><img src="/images/ga.png" alt="公安备案">黔公网安备 {{ site.police_record }}号</a></p>
<p><a href="http://bszs.conac.cn/sitename?method=show&amp;id={{ site.conac_id }}" target="_blank"><img src="/images/dzjg.png" alt="党政机关" /></a></p>
</div>"""

TEMPLATES = {
    "base.html": """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={{ 'gb2312' if site.encoding == 'gbk' else 'utf-8' }}" />
<meta name="SiteName" content="{{ site.name }}" />
<meta name="SiteDomain" content="{{ site.host }}" />
<meta name="SiteIDCode" content="{{ site.site_code }}" />
{% block meta %}{% endblock %}<title>{% block title %}{% endblock %}</title>
<link href="/images/style.css" rel="stylesheet" type="text/css" />
</head>
<body>
<div class="header"><img src="/images/logo.png" alt="{{ site.name }}" /></div>
<div class="nav"><ul><li><a href="/">首页</a></li>{% for li in site.listings %}<li><a href="{{ li.path }}">{{ li.name }}</a></li>{% endfor %}</ul></div>
<div class="main">
{% block main %}{% endblock %}
</div>
""" + _FOOTER + """
</body>
</html>
""",
    "home.html": """{% extends "base.html" %}{% block title %}{{ site.name }}{% endblock %}{% block main %}
{% for li, items in blocks %}<div class="box"><div class="box_title"><a href="{{ li.path }}">{{ li.name }}</a></div>
<ul class="list">{% for a in items %}<li><a href="{{ a.path }}" target="_blank" title="{{ a.title }}">{{ a.title }}</a>{% if li.row_dates %}<span class="date">{{ fmt(a.published, li) }}</span>{% endif %}</li>
{% endfor %}</ul></div>
{% endfor %}{% if site.departments %}<div class="box"><div class="box_title">部门信息公开</div><ul class="bmxxgk">
{% for d in site.departments %}<li><a href="{{ d.path }}">{{ d.unit }}</a></li>{% endfor %}</ul></div>{% endif %}
{% endblock %}""",
    "hanweb_list.html": """{% extends "base.html" %}{% block meta %}<meta name="ColumnName" content="{{ li.name }}" />
<meta name="ColumnType" content="{{ li.type }}" />
{% endblock %}{% block title %}{{ li.name }} - {{ site.name }}{% endblock %}{% block main %}
<div class="position">当前位置：<a href="/">首页</a> &gt; {% if dept %}<a href="{{ dept.path }}">{{ dept.unit }}</a> &gt; {% endif %}<a href="{{ li.path }}">{{ li.name }}</a></div>
<div class="list_con">
<div id="{{ unit_id }}"><script type="text/xml"><datastore>
<column>{{ li.column_id }}</column><totalrecord>{{ total }}</totalrecord><totalpage>{{ (total + 14) // 15 }}</totalpage>
<nextgroup><![CDATA[<a href="{{ proxy|safe }}"></a>]]></nextgroup>
<recordset>
{% if li.delivery == "inline" %}{% for a in items %}<record><![CDATA[
<li><a href="{{ a.path }}" target="_blank" title="{{ a.title }}">{{ a.title }}</a><span class="bt_time">{{ a.published.strftime('%Y-%m-%d') }}</span></li>]]></record>
{% endfor %}{% endif %}</recordset>
</datastore></script></div>
<script type="text/javascript">$(document).ready(function(){ $('#{{ unit_id }}').jpage({ dataStore : dataStore, perPage : 15, totalRecord : {{ total }}, proxyUrl : "{{ proxy_path }}", groupSize : 3, barPosition : 'bottom', ajaxParam : { col : 1, appid : 1, webid : 3, path : '/', columnid : {{ li.column_id }}, sourceContentType : 1, unitid : {{ unit_id }}, permissiontype : 0 } }); });</script>
</div>{% endblock %}""",
    "dataproxy.xml": """<?xml version="1.0" encoding="{{ 'GBK' if site.encoding == 'gbk' else 'UTF-8' }}"?>
<datastore>
<recordset>
{% for a in items %}<record><![CDATA[<table width="100%" border="0" cellspacing="0" cellpadding="0"><tr><td class="bt_link"><a href='{{ a.path }}' title='{{ a.title }}' target='_blank'>{{ a.title }}</a></td><td width="90" class="bt_time">[{{ a.published.strftime('%Y-%m-%d') }}]</td></tr></table>]]></record>
{% endfor %}</recordset>
</datastore>
""",
    "department.html": """{% extends "base.html" %}{% block title %}{{ dept.name }} - {{ site.name }}{% endblock %}{% block main %}
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="{{ dept.path }}">{{ dept.name }}</a></div>
<div class="xxgk_lm"><h2>{{ dept.name }}</h2><ul class="sub_lm">{% for li in dept.listings %}<li><a href="{{ li.path }}">{{ li.name }}</a></li>{% endfor %}</ul>
<p>{{ dept.unit }}依法主动公开政府信息。</p></div>{% endblock %}""",
    "table_list.html": """{% extends "base.html" %}{% block title %}{{ li.name }} {{ site.name }}{% endblock %}{% block main %}
<div class="location">您现在的位置： <a href="/">首页</a> &gt;&gt; {{ li.name }}</div>
<div class="column_list">{% if items %}
<table width="100%" border="0" cellspacing="0" cellpadding="0" class="list_table">
{% for a in items %}<tr><td width="20" class="dot"><img src="/images/dot.gif" /></td><td class="bt"><a href="{{ a.path }}" target="_blank" title="{{ a.title }}">{{ a.title }}</a></td>{% if li.row_dates %}<td width="90" class="date">{{ fmt(a.published, li) }}</td>{% endif %}</tr>
{% endfor %}</table>{% else %}<p class="empty">暂无信息</p>{% endif %}
</div>{% endblock %}""",
    "plain_list.html": """{% extends "base.html" %}{% block title %}{{ li.name }}_{{ site.name }}{% endblock %}{% block main %}
<div class="crumb">当前位置：<a href="/">首页</a> &gt; {{ li.name }}</div>
<div class="news-list"><ul>
{% for a in items %}<li><a href="{{ a.path }}" title="{{ a.title }}">{{ a.title }}</a>{% if li.row_dates %}<span>{{ fmt(a.published, li) }}</span>{% endif %}</li>
{% endfor %}</ul></div>{% endblock %}""",
    "article.html": """{% extends "base.html" %}{% block meta %}{% if a.pubdate_meta %}{% if site.cms == "hanweb" %}<meta name="firstpublishedtime" content="{{ a.published.strftime('%Y-%m-%d %H:%M:%S') }}" />
{% else %}<meta name="PubDate" content="{{ a.published.strftime('%Y-%m-%d %H:%M') }}" />
{% endif %}{% endif %}<meta name="ArticleTitle" content="{{ a.title }}" />
{% endblock %}{% block title %}{{ a.title }}{% endblock %}{% block main %}
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="{{ li.path }}">{{ li.name }}</a></div>
<div class="article"><h1>{{ a.title }}</h1>
{% if a.pubdate_meta %}<div class="info">发布时间：{{ a.published.strftime('%Y-%m-%d %H:%M') }}　来源：{{ site.unit }}</div>{% else %}<div class="info">来源：{{ site.unit }}</div>{% endif %}
<div class="content">{% for p in a.paragraphs %}<p>　　{{ p }}</p>
{% endfor %}</div>
{% if a.attachments %}<div class="attach">附件：{% for f in a.attachments %}<a href="{{ f.path }}">{{ f.name }}</a> {% endfor %}</div>{% endif %}
</div>{% endblock %}""",
    "mark.html": """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><h1>{{ title }}</h1>{% if site %}<p>网站名称：{{ site.name }}</p><p>主办单位：{{ site.unit }}</p>{% endif %}</body></html>""",
}


def _date_formatter(site_style: str):
    def fmt(moment: datetime, listing: Listing | None = None) -> str:
        style = (listing.date_style if listing else "") or site_style
        d = moment.date()
        if style == "bracket":
            return f"[{d:%Y-%m-%d}]"
        if style == "cn":
            return f"{d.year}年{d.month}月{d.day}日"
        if style == "dot":
            return f"{d:%Y.%m.%d}"
        return f"{d:%Y-%m-%d}"
    return fmt


class Pages:
    """Answers for the world's sites and the footer marks' hosts."""

    def __init__(self, world: World):
        self.world = world
        self.env = Environment(loader=DictLoader(TEMPLATES), autoescape=True)
        self.lists: dict[tuple[str, str], tuple[Listing, Department | None]] = {}
        self.articles: dict[tuple[str, str], tuple[Article, Listing]] = {}
        self.files: dict[tuple[str, str], object] = {}
        self.departments: dict[tuple[str, str], Department] = {}
        self.proxies: dict[tuple[str, int], Listing] = {}
        self.exports: dict[tuple[str, str], Platform] = {(p.host, p.export_path): p for p in world.platforms}
        self.conac = {s.conac_id: s for s in world.portals}
        for site in world.portals:
            for listing, dept in [(li, None) for li in site.listings] + \
                    [(li, d) for d in site.departments for li in d.listings]:
                self.lists[(site.host, listing.path)] = (listing, dept)
                self.proxies[(site.host, listing.column_id)] = listing
                for article in listing.articles:
                    self.articles[(site.host, article.path)] = (article, listing)
                    for attachment in article.attachments:
                        self.files[(site.host, attachment.path)] = (attachment, article)
            for dept in site.departments:
                self.departments[(site.host, dept.path)] = dept

    def render(self, host: str, path: str, now: datetime) -> Reply | None:
        """The answer to GET `path` on `host` at world time `now`; None for a host not ours."""
        if host in MARK_HOSTS:
            site = self.conac.get(path.rpartition("id=")[2]) if host == "bszs.conac.cn" else None
            title = {"bszs.conac.cn": "党政机关网站标识信息", "www.beian.gov.cn": "全国互联网安全管理服务平台"}.get(
                host, "ICP/IP地址/域名信息备案管理系统")
            return Reply(200, self.env.get_template("mark.html").render(title=title, site=site).encode(),
                         "text/html; charset=utf-8")
        site = self.world.site(host)
        if site is None or site.status != "运行":
            return None
        route, _, query = path.partition("?")
        if route.startswith("/images/") or route.endswith((".js", ".css")):
            return self._static(route)
        if (host, route) in self.exports:
            return self._export(self.exports[(host, route)], now)
        if route == PROXY_PATH:
            return self._proxy(site, query, now)
        if route in ("/", "/index.html"):
            blocks = [(li, li.visible(now)[:8]) for li in site.listings if li.articles][:3]
            return self._page(site, "home.html", blocks=blocks)
        if (host, route) in self.departments:
            return self._page(site, "department.html", dept=self.departments[(host, route)])
        if (host, route) in self.lists:
            listing, dept = self.lists[(host, route)]
            return self._list(site, listing, dept, now)
        if (host, route) in self.articles:
            article, listing = self.articles[(host, route)]
            if article.published > now:
                return NOT_FOUND
            return self._page(site, "article.html", a=article, li=listing)
        if (host, route) in self.files:
            attachment, article = self.files[(host, route)]  # type: ignore[misc]
            if article.published > now:
                return NOT_FOUND
            return Reply(200, _attachment(attachment), MEDIA_TYPES[attachment.kind])
        return NOT_FOUND

    def _page(self, site: Site, template: str, **context) -> Reply:
        body = self.env.get_template(template).render(site=site, home="/", fmt=_date_formatter(site.date_style),
                                                      **context)
        if site.encoding == "gbk":
            # what a GBK CMS sends: no charset in the header, a gb2312 label in the page, GBK bytes
            return Reply(200, body.encode("gbk"), "text/html")
        return Reply(200, body.encode(), "text/html; charset=utf-8")

    def _list(self, site: Site, listing: Listing, dept: Department | None, now: datetime) -> Reply:
        items = listing.visible(now)
        if site.cms == "hanweb":
            unit_id = 4000000 + listing.column_id
            proxy = f"{PROXY_PATH}?page=1&appid=1&webid=3&path=/&columnid={listing.column_id}&unitid={unit_id}" \
                    "&permissiontype=0"
            total = sum(1 for a in listing.articles if a.published <= now)
            return self._page(site, "hanweb_list.html", li=listing, dept=dept, items=items, unit_id=unit_id,
                              proxy=proxy, proxy_path=PROXY_PATH, total=total)
        template = "table_list.html" if site.cms == "easysite" else "plain_list.html"
        return self._page(site, template, li=listing, items=items)

    def _proxy(self, site: Site, query: str, now: datetime) -> Reply:
        """Hanweb's dataproxy.jsp: the records of column `columnid` (GET, the page's query string)."""
        try:
            column_id = int(parse_qs(query).get("columnid", [""])[0])
        except ValueError:
            return NOT_FOUND
        listing = self.proxies.get((site.host, column_id))
        if listing is None:
            return NOT_FOUND
        body = self.env.get_template("dataproxy.xml").render(site=site, items=listing.visible(now))
        if site.encoding == "gbk":
            return Reply(200, body.encode("gbk"), "text/xml;charset=GBK")
        return Reply(200, body.encode(), "text/xml;charset=UTF-8")

    def _export(self, platform: Platform, now: datetime) -> Reply:
        rows = export_rows(platform, now)
        if platform.export_path.endswith(".csv"):
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\r\n").writerows(rows)
            return Reply(200, buffer.getvalue().encode("utf-8-sig"), "text/csv")
        return Reply(200, _workbook("留言列表", rows), MEDIA_TYPES["xlsx"])

    @staticmethod
    def _static(route: str) -> Reply:
        if route.endswith(".css"):
            return Reply(200, b"body{font:14px/1.6 sans-serif}.footer{text-align:center}", "text/css")
        if route.endswith(".js"):
            return Reply(200, b"/* jpage */", "application/javascript")
        return Reply(200, _GIF, "image/gif")


@lru_cache(maxsize=None)
def _attachment(attachment) -> bytes:
    """Attachments never change with the clock: build each once per process."""
    return attachment_bytes(attachment)


def export_rows(platform: Platform, now: datetime) -> list[tuple]:
    """The export at `now`: messages asked by then; a reply after `now` is not there yet."""
    if platform.layout == "wenzheng":
        rows: list[tuple] = [("问政编号", "提问人", "联系电话", "提问时间", "问政标题", "回复内容", "回复时间", "办理状态")]
    else:
        rows = [("留言编号", "留言用户", "留言主题", "留言时间", "留言详情", "答复意见", "答复时间")]
    for m in platform.messages:
        if m.asked > now:
            continue
        replied = m.replied is not None and m.replied <= now
        reply_text = m.reply_text if replied else ""
        reply_time = m.replied.strftime("%Y-%m-%d %H:%M:%S") if replied and m.replied else ""
        asked = m.asked.strftime("%Y/%m/%d %H:%M:%S")
        if platform.layout == "wenzheng":
            rows.append((m.number, m.user, m.phone, asked, m.subject, reply_text, reply_time,
                         "已办结" if replied else "办理中"))
        else:
            rows.append((m.number, m.user, m.subject, asked, m.detail, reply_text, reply_time))
    return rows


def _workbook(sheet_name: str, rows: list[tuple]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.properties.created = workbook.properties.modified = _FIXED_CREATED
    sheet = workbook.active
    sheet.title = sheet_name
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
