"""The demo world: a deterministic model of Lincang's government sites, disclosure columns,
new-media accounts and message platforms around 2020 Q2, as the seed circular describes them.

Everything comes from fixed seeds, never from the wall clock, so every demo run and every test
sees the same world. The world's clock (kept by the server) only decides what is visible: an item
is listed once its publication time is <= the clock. The planted problems are ordinary content;
`World.planted` says where they are, for tests of the checks, and is never served.
"""
from __future__ import annotations

import bisect
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

import chinese_calendar
from stdnum.cn import ric

from collector.demo.text import PLACES, Prose
from collector.registry import (
    Account as RegistryAccount, Column, DisclosureColumn, MessagePlatform as RegistryPlatform, Registry, Website,
)

TZ = ZoneInfo("Asia/Shanghai")
CONTENT_START = date(2019, 7, 1)
CONTENT_END = date(2020, 9, 30)
QUARTER_START, QUARTER_END = date(2020, 4, 1), date(2020, 6, 30)
#: The default world clock: the morning of the last day of the quarter.
DEFAULT_NOW = datetime(2020, 6, 30, 9, 0, tzinfo=TZ)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TZ)


# --------------------------------------------------------------------------- model

@dataclass(frozen=True)
class Attachment:
    """A file linked from an article, generated on request (collector/demo/files.py)."""

    name: str
    path: str
    kind: str  # "xlsx" | "docx" | "pdf" | "csv"
    title: str
    paragraphs: tuple[str, ...] = ()
    table: tuple[tuple[str, ...], ...] = ()
    sheet: str = "Sheet1"


@dataclass(frozen=True)
class Article:
    title: str
    published: datetime
    path: str
    paragraphs: tuple[str, ...]
    source: str
    source_url: str = ""
    attachments: tuple[Attachment, ...] = ()


@dataclass
class Channel:
    """A column (栏目): a list page of dated articles, newest first, paginated or on one page."""

    name: str
    type: str
    path: str
    articles: list[Article]
    page_size: int | None = None

    def visible(self, now: datetime) -> list[Article]:
        return [a for a in self.articles if a.published <= now]


@dataclass
class DepartmentColumn:
    """A city department's information-disclosure column (信息公开专栏) on the city portal."""

    id: str
    abbr: str
    unit: str
    channels: list[Channel]

    @property
    def name(self) -> str:
        return f"{self.unit}信息公开专栏"

    @property
    def short(self) -> str:
        return self.unit.replace("临沧市", "市", 1)

    @property
    def path(self) -> str:
        return f"/zfxxgk/{self.abbr}/"


@dataclass
class Message:
    """A citizen message and its reply; the *_style fields plant the export mess (docs/demo-world.md)."""

    number: str
    asked: datetime
    author: str
    phone: str
    subject: str
    replied: datetime
    reply_unit: str
    asked_style: str = "iso"      # iso | unpadded | slash | cell (XLSX datetime cell)
    replied_style: str = "iso"    # as asked_style, or "date" (a date-only cell)
    leading_space: bool = False   # the number cell starts with whitespace
    duplicated: bool = False      # the row appears twice in the export


@dataclass
class MessagePlatform:
    id: str
    name: str
    unit: str
    belongs_to: str
    report_label: str
    host: str
    export_path: str
    messages: list[Message]
    page_path: str = "/hdjl/"

    @property
    def export_url(self) -> str:
        return f"http://{self.host}{self.export_path}"

    @property
    def export_kind(self) -> str:
        return self.export_path.rsplit(".", 1)[-1]

    @property
    def export_encoding(self) -> str:
        """Excel-made CSVs come as UTF-8 with BOM, except one exported as GBK (mess feature)."""
        return "gbk" if self.report_label == "耿马县" else "utf-8-sig"


@dataclass
class Site:
    """A website on its own host: a government portal, a decommissioned department site."""

    site_code: str
    name: str
    unit: str
    level: str
    host: str
    phone: str
    site_kind: str = "政府门户网站"
    status: str = "运行"
    date_style: str = "iso"        # iso 2020-06-29 | slash 2020/06/29 | cn 2020年6月29日 | short [06-29]
    encoding: str = "utf-8"        # utf-8 | gbk
    charset_style: str = "header"  # header: charset in Content-Type | meta | http-equiv (header has none)
    icp: str = ""
    police_record: str = ""
    conac_id: str = ""
    address: str = ""
    channels: list[Channel] = field(default_factory=list)
    columns: list[DepartmentColumn] = field(default_factory=list)
    platform: MessagePlatform | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}/"

    @property
    def domain(self) -> str:
        return self.host.removeprefix("www.")

    @property
    def charset_label(self) -> str:
        if self.encoding == "utf-8":
            return "utf-8"
        return "gbk" if self.charset_style == "header" else "gb2312"


@dataclass
class ExternalSite:
    """A higher-level site whose articles Lincang's sites reprint (农业农村部, 云南省人民政府)."""

    host: str
    name: str
    articles: list[Article]


@dataclass(frozen=True)
class Post:
    id: str
    title: str
    summary: str
    published: datetime
    link: str


@dataclass
class Account:
    id: str
    platform: str  # 微信公众号 | 微博 | 今日头条
    name: str
    unit: str
    level: str
    handle: str
    feed_suffix: str  # "" (RSS 2.0) | ".atom" | ".json" (JSON Feed)
    posts: list[Post]  # newest first

    @property
    def route(self) -> str:
        return {"微信公众号": "wechat", "微博": "weibo", "今日头条": "toutiao"}[self.platform]

    @property
    def feed_url(self) -> str:
        return f"http://{RSSHUB_HOST}/{self.route}/{self.handle}{self.feed_suffix}"

    @property
    def profile_url(self) -> str:
        """The account's page on its platform (a feed's channel link)."""
        host = POST_HOSTS[self.platform]
        return {"微信公众号": f"http://{host}/mp/profile_ext?__biz={self.handle}",
                "微博": f"http://{host}/{self.handle}",
                "今日头条": f"http://{host}/c/user/{self.handle}/"}[self.platform]

    def visible(self, now: datetime, limit: int = 20) -> list[Post]:
        return [p for p in self.posts if p.published <= now][:limit]


@dataclass(frozen=True)
class Planted:
    """Where the planted problems and hard negatives are, for tests of the checks. Never served."""

    id_leak_page: str
    id_leak_file: str
    id_number: str
    wording_error_page: str
    wording_error: str
    reprint_page: str
    reprint_source: str
    exact_reprint_pages: tuple[str, ...]
    stale_account: str
    stale_account_last_post: datetime
    registered_decommissioned: tuple[str, ...]
    flaky_host: str
    hard_negative_pages: tuple[str, ...]


RSSHUB_HOST = "rsshub.world.test"
CONTROL_HOST = "control.world.test"
POST_HOSTS = {"微信公众号": "mp.weixin.qq.com", "微博": "weibo.com", "今日头条": "www.toutiao.com"}
MARK_HOSTS = ("bszs.conac.cn", "www.beian.gov.cn", "beian.miit.gov.cn")


@dataclass
class World:
    sites: list[Site]
    external: list[ExternalSite]
    accounts: list[Account]
    platforms: list[MessagePlatform]
    whois_records: dict[str, str]
    planted: Planted
    office: str = "临沧市人民政府办公室"
    region: str = "临沧市"

    def site(self, host: str) -> Site | None:
        return self._sites.get(host)

    @cached_property
    def _sites(self) -> dict[str, Site]:
        return {s.host: s for s in self.sites}

    @property
    def portals(self) -> list[Site]:
        return [s for s in self.sites if s.status == "运行"]

    @property
    def columns(self) -> list[DepartmentColumn]:
        return [c for s in self.sites for c in s.columns]

    @property
    def decommissioned_hosts(self) -> frozenset[str]:
        return frozenset(s.host for s in self.sites if s.status == "下线")

    def hosts(self) -> list[str]:
        """Every host name the world answers for (the decommissioned ones only reset)."""
        return ([s.host for s in self.sites] + [e.host for e in self.external]
                + [RSSHUB_HOST, CONTROL_HOST, *POST_HOSTS.values(), *MARK_HOSTS])

    def whois(self, domain: str) -> str:
        """What CNNIC's WHOIS answers for a domain."""
        return self.whois_records.get(domain.lower().removeprefix("www."), "No matching record.")

    def epoch(self, host: str, now: datetime) -> int:
        """How many of the host's dated events (publications, replies) happened by `now`.

        Pages of a host can only change when this number or the date changes, so the server
        caches on it.
        """
        return bisect.bisect_right(self._events.get(host, ()), now)

    @cached_property
    def _events(self) -> dict[str, list[datetime]]:
        events: dict[str, list[datetime]] = defaultdict(list)
        for site in self.sites:
            for channel in [*site.channels, *(ch for c in site.columns for ch in c.channels)]:
                events[site.host].extend(a.published for a in channel.articles)
        for ext in self.external:
            events[ext.host].extend(a.published for a in ext.articles)
        for platform in self.platforms:
            events[platform.host].extend(t for m in platform.messages for t in (m.asked, m.replied))
        for account in self.accounts:
            times = [p.published for p in account.posts]
            events[RSSHUB_HOST].extend(times)
            events[POST_HOSTS[account.platform]].extend(times)
        return {host: sorted(times) for host, times in events.items()}

    def registry(self) -> Registry:
        """The registry staff would keep for this world (registry/lincang-demo.yaml)."""
        websites = tuple(Website(
            site_code=s.site_code, name=s.name + ("门户网站" if s.site_kind == "政府门户网站" else "网站"),
            unit=s.unit, level=s.level, site_kind=s.site_kind, url=s.url, status=s.status,
            columns=tuple(Column(ch.name, ch.type, f"http://{s.host}{ch.path}") for ch in s.channels),
        ) for s in self.sites)
        columns = tuple(DisclosureColumn(
            id=c.id, name=c.name, unit=c.unit, parent=s.site_code, url=f"http://{s.host}{c.path}", level=s.level,
            columns=tuple(Column(ch.name, ch.type, f"http://{s.host}{ch.path}") for ch in c.channels),
        ) for s in self.sites for c in s.columns)
        accounts = tuple(RegistryAccount(id=a.id, platform=a.platform, name=a.name, unit=a.unit, feed=a.feed_url,
                                         level=a.level) for a in self.accounts)
        platforms = tuple(RegistryPlatform(id=p.id, name=p.name, unit=p.unit, belongs_to=p.belongs_to,
                                           export=p.export_url, report_label=p.report_label) for p in self.platforms)
        return Registry(office=self.office, region=self.region, websites=websites, columns=columns,
                        accounts=accounts, message_platforms=platforms)


# --------------------------------------------------------------------------- the world's contents

#: (site_code, place, site name, host, phone, date style, page size, encoding, charset style)
PORTALS = (
    ("5309000001", "临沧市", "临沧市人民政府", "www.lincang.gov.cn", "0883-2143207", "iso", 20, "utf-8", "header"),
    ("5309020001", "临翔区", "临沧市临翔区人民政府", "www.lclx.gov.cn", "0883-2122345", "slash", None, "utf-8", "header"),
    ("5309210001", "凤庆县", "凤庆县人民政府", "www.ynfq.gov.cn", "0883-4212110", "cn", 15, "utf-8", "header"),
    ("5309220001", "云县", "云县人民政府", "www.ynyx.gov.cn", "0883-3121203", "short", None, "utf-8", "header"),
    ("5309230001", "永德县", "永德县人民政府", "www.ynyd.gov.cn", "0883-5212006", "iso", 15, "utf-8", "header"),
    ("5309240001", "镇康县", "镇康县人民政府", "www.ynzk.gov.cn", "0883-6212203", "cn", 20, "gbk", "header"),
    ("5309250001", "双江拉祜族佤族布朗族傣族自治县", "双江拉祜族佤族布朗族傣族自治县人民政府", "www.shuangjiang.gov.cn",
     "0883-7621055", "slash", None, "utf-8", "header"),
    ("5309260001", "耿马傣族佤族自治县", "耿马傣族佤族自治县人民政府", "www.gengma.gov.cn", "0883-6121231", "short", 15,
     "gbk", "http-equiv"),
    ("5309270001", "沧源佤族自治县", "沧源佤族自治县人民政府", "www.cangyuan.gov.cn", "0883-7121005", "iso", None,
     "gbk", "meta"),
)
#: Short county names as the circular's messages table writes them.
REPORT_LABELS = {"临沧市": "市级", "临翔区": "临翔区", "凤庆县": "凤庆县", "云县": "云县", "永德县": "永德县",
                 "镇康县": "镇康县", "双江拉祜族佤族布朗族傣族自治县": "双江", "耿马傣族佤族自治县": "耿马县",
                 "沧源佤族自治县": "沧源县"}
Q2_MESSAGES = {"市级": 26, "临翔区": 23, "永德县": 7, "凤庆县": 7, "云县": 2, "双江": 4, "镇康县": 12, "沧源县": 10,
               "耿马县": 2, "市公安局": 2, "市人社局": 0}
FLAKY_HOST = "www.ynyx.gov.cn"

#: Two CMS layouts: where each portal keeps its five columns, and what it calls them.
_PORTAL_CHANNELS = (
    (("要闻动态", "今日要闻", "/xwzx/yw/"), ("通知公告", "通知公告", "/zwgk/tzgg/"), ("政策文件", "政策文件", "/zwgk/zcwj/"),
     ("人事信息", "人事信息", "/zwgk/rsxx/"), ("规划计划", "规划计划", "/zwgk/ghjh/")),
    (("要闻动态", "政务要闻", "/news/zwyw/"), ("通知公告", "公示公告", "/xxgk/gsgg/"), ("政策文件", "政策法规", "/xxgk/zcfg/"),
     ("人事信息", "人事任免", "/xxgk/rsrm/"), ("规划计划", "发展规划", "/xxgk/fzgh/")),
)
_COLUMN_CHANNELS = (("通知公告", "tzgg"), ("政策文件", "zcwj"), ("工作动态", "gzdt"), ("人事信息", "rsxx"),
                    ("规划计划", "ghjh"))
#: Days between two items, by column type: always well inside the freshness limits
#: (news 2 weeks, notices and policy 6 months, personnel and planning 1 year).
_GAPS = {"要闻动态": (1, 4), "工作动态": (1, 5), "通知公告": (4, 30), "政策文件": (7, 45), "人事信息": (15, 90),
         "规划计划": (20, 120)}

DEPARTMENTS = (
    ("fgw", "临沧市发展和改革委员会"), ("gxj", "临沧市工业和信息化局"), ("jytyj", "临沧市教育体育局"),
    ("kjj", "临沧市科学技术局"), ("mzzj", "临沧市民族宗教事务委员会"), ("gaj", "临沧市公安局"), ("mzj", "临沧市民政局"),
    ("sfj", "临沧市司法局"), ("czj", "临沧市财政局"), ("rsj", "临沧市人力资源和社会保障局"),
    ("zrzyj", "临沧市自然资源和规划局"), ("sthjj", "临沧市生态环境局"), ("zjj", "临沧市住房和城乡建设局"),
    ("jtysj", "临沧市交通运输局"), ("slj", "临沧市水务局"), ("nyncj", "临沧市农业农村局"), ("swj", "临沧市商务局"),
    ("whlyj", "临沧市文化和旅游局"), ("wjw", "临沧市卫生健康委员会"), ("tyjrswj", "临沧市退役军人事务局"),
    ("yjglj", "临沧市应急管理局"), ("sjj", "临沧市审计局"), ("wsb", "临沧市人民政府外事办公室"),
    ("gzw", "临沧市人民政府国有资产监督管理委员会"), ("scjgj", "临沧市市场监督管理局"), ("tjj", "临沧市统计局"),
    ("ybj", "临沧市医疗保障局"), ("lcj", "临沧市林业和草原局"), ("fpb", "临沧市人民政府扶贫开发办公室"),
    ("xfj", "临沧市信访局"), ("jrj", "临沧市人民政府地方金融监督管理局"), ("tcj", "临沧市投资促进局"),
    ("nyj", "临沧市能源局"), ("gjj", "临沧市住房公积金管理中心"),
)
DECOMMISSIONED = (
    ("5309000021", "临沧市水务局", "www.lcsd.gov.cn", "20040318s10011s00092741-cn", "lcsswj@126.com", "2004-03-18 10:15:22"),
    ("5309000022", "临沧市档案局", "www.lcda.gov.cn", "20050726s10011s00158236-cn", "lcsdaj@163.com", "2005-07-26 15:42:09"),
)
#: Weibo accounts of departments (the other 9 of the 18 are the city's and the counties' 发布).
_WEIBO_DEPARTMENTS = (("gaj", "平安临沧"), ("rsj", "临沧人社"), ("jytyj", "临沧教育体育"), ("whlyj", "临沧文旅"),
                      ("wjw", "健康临沧"), ("scjgj", "临沧市场监管"), ("yjglj", "临沧应急管理"),
                      ("sthjj", "临沧生态环境"), ("lcj", "临沧林草"))
_COUNTY_BRANDS = ("临翔发布", "凤庆发布", "云县发布", "永德发布", "镇康发布", "双江发布", "耿马发布", "沧源发布")
STALE_ACCOUNT_NAME = "临沧市自然资源和规划局"
STALE_LAST_POST = at(date(2020, 5, 25), 18, 5)

_ISSUES = ("道路破损", "噪音扰民", "农村饮水安全", "社保卡办理", "住房公积金提取", "小区物业管理", "农民工工资拖欠",
           "子女入学", "户籍迁移", "医保异地报销", "路灯不亮", "占道经营", "林地确权", "农村危房改造补助", "营业执照办理")
_REPLY_UNITS = ("住房和城乡建设局", "人力资源和社会保障局", "教育体育局", "公安局", "自然资源和规划局", "农业农村局",
                "市场监督管理局", "医疗保障局", "交通运输局", "水务局")


def _times(rng: random.Random, column_type: str, start: date = CONTENT_START, end: date = CONTENT_END) -> list[datetime]:
    """Publication times of a column, oldest first, with gaps drawn from the column type's range."""
    low, high = _GAPS[column_type]
    day, result = start + timedelta(days=rng.randint(0, low)), []
    while day <= end:
        result.append(at(day, rng.randint(8, 17), rng.randint(0, 59)))
        day += timedelta(days=rng.randint(low, high))
    return result


class _Paths:
    """TRS-style article paths, numbered per host."""

    def __init__(self, first: int):
        self.number = first

    def article(self, channel_path: str, published: datetime) -> str:
        self.number += 1
        return f"{channel_path}{published:%Y%m}/t{published:%Y%m%d}_{self.number}.html"


def _attachment_path(article_path: str, kind: str) -> str:
    """TRS names an article's attachment after it: t20200518_5690001.html -> P020200518569000101.xlsx."""
    folder, name = article_path.rsplit("/", 1)
    return f"{folder}/P0{name[1:-5].replace('_', '')}01.{kind}"


def _channel(prose: Prose, paths: _Paths, column_type: str, name: str, path: str, unit: str,
             page_size: int | None) -> Channel:
    articles = []
    for published in _times(prose.rng, column_type):
        article_path = paths.article(path, published)
        attachments = ()
        if column_type in ("通知公告", "政策文件", "规划计划") and prose.rng.random() < 0.15:
            attachments = (_ordinary_attachment(prose, article_path, published.year),)
        articles.append(Article(prose.title(column_type, unit, published.year), published, article_path,
                                prose.paragraphs(unit, published.year), unit, attachments=attachments))
    articles.reverse()
    return Channel(name, column_type, path, articles, page_size)


def _ordinary_attachment(prose: Prose, article_path: str, year: int) -> Attachment:
    """An attachment with look-alikes of personal data only: credit codes, order numbers, landlines."""
    r = prose.rng
    kind = r.choice(("xlsx", "docx", "pdf", "csv"))
    path = _attachment_path(article_path, kind)
    if kind == "pdf":
        lines = (f"Lincang {year} work plan, annex 1", f"Batch {year}0612-{r.randint(100, 999)}",
                 f"Order No. {year}{r.randint(10**11, 10**12 - 1)}", "Contact: 0883-2143207")
        return Attachment("附件1.pdf", path, kind, "Annex 1", paragraphs=lines)
    table = (("序号", "项目名称", "承办单位", "统一社会信用代码", "联系电话"),) + tuple(
        (str(i), f"{r.choice(PLACES)}{prose.title('要闻动态', '', year)[:8]}项目", prose.person() + "（单位联系人）",
         f"11530900MB{r.randint(1000000, 9999999)}X", "0883-2143207") for i in range(1, r.randint(4, 9)))
    name = {"xlsx": "附件1.xlsx", "csv": "附件1.csv", "docx": "附件1.docx"}[kind]
    return Attachment(name, path, kind, "附件1", paragraphs=prose.paragraphs("", year)[:2], table=table)


def _insert(channel: Channel, article: Article) -> None:
    channel.articles.append(article)
    channel.articles.sort(key=lambda a: a.published, reverse=True)


def _check_digit(first17: str) -> str:
    """GB 11643 check digit of 17 digits. stdnum's calc_check_digit wants all 18 characters and
    drops the last itself, so a placeholder goes in its place."""
    return ric.calc_check_digit(first17 + "X")


def planted_id_number() -> str:
    """A synthetic resident ID with a valid check digit, born 1986-03-14, region 530921 (凤庆县).

    stdnum's validate() refuses it because 5309xx codes only exist since 2004; a leak check must
    not rely on that (people keep the number they were given).
    """
    body = "53092119860314052"
    return body + _check_digit(body)


def _wrong_check_id() -> str:
    """18 digits with a real birth date but a wrong check digit: not an ID number."""
    body = "53090219880715003"
    return body + ("1" if _check_digit(body) != "1" else "2")


#: A 25-digit project code: 18-digit windows inside it, none of them a valid ID (a test checks).
LONG_DIGIT_RUN = "5309002020061219860314521"


def build_world() -> World:
    """Build the whole world from fixed seeds (about a second; callers may keep the result)."""
    sites = []
    for i, (code, place, name, host, phone, style, page_size, encoding, charset) in enumerate(PORTALS):
        prose = Prose(f"portal/{code}")
        paths = _Paths(4_000_000 + i * 100_000)
        unit = f"{place}人民政府办公室"
        layout = _PORTAL_CHANNELS[i % 2]
        site = Site(
            site_code=code, name=name, unit=unit, level="市级" if place == "临沧市" else "县级", host=host,
            phone=phone, date_style=style, encoding=encoding, charset_style=charset,
            icp=f"滇ICP备0500{1234 + i * 7}号", police_record=f"{code[:6] if i else '530902'}02{i + 1:06d}",
            conac_id=f"{int(code):X}A{i:02d}",
            # GBK sites carry characters outside GB2312 (喆, 堃), as real pages do: strict gb2312 decoding fails.
            address=f"{place}喆园路{i}号（堃和大厦）" if encoding == "gbk" else f"{place}南屏街{i + 1}号",
            channels=[_channel(prose, paths, t, n, p, unit, page_size) for t, n, p in layout],
        )
        sites.append(site)
    city = sites[0]
    for abbr, unit in DEPARTMENTS:
        prose = Prose(f"column/{abbr}")
        paths = _Paths(5_000_000 + len(city.columns) * 50_000)
        city.columns.append(DepartmentColumn(
            id=f"zfxxgk-{abbr}", abbr=abbr, unit=unit,
            channels=[_channel(prose, paths, t, t, f"/zfxxgk/{abbr}/{slug}/", unit, 20) for t, slug in _COLUMN_CHANNELS],
        ))
    for code, unit, host, *_ in DECOMMISSIONED:
        sites.append(Site(site_code=code, name=unit, unit=unit, level="市级", host=host, phone="", site_kind="部门网站",
                          status="下线"))
    external = _external_sites()
    planted = _plant(city, external)
    platforms = _platforms(sites)
    accounts = _accounts()
    return World(sites=sites, external=external, accounts=accounts, platforms=platforms,
                 whois_records=_whois(sites), planted=planted)


# --------------------------------------------------------------------------- reprint sources and planted problems

_MOA_SOURCE = (
    "记者从农业农村部获悉，今年夏粮生产形势总体向好，冬小麦播种面积3.3亿亩，长势为近年来较好的一年。",
    "据农情调度，截至6月12日，全国麦收进度过七成，主产区小麦收获已进入尾声。",
    "农业农村部要求各地抓好夏收夏种，确保颗粒归仓，为全年粮食丰收打下坚实基础。",
    "同时，各地要加强病虫害统防统治，落实好农机跨区作业服务保障措施。",
)
_YN_SOURCES = (
    ("全省政务公开工作推进会在昆明召开", at(date(2020, 6, 9), 19, 0), (
        "6月9日，全省政务公开工作推进会在昆明召开，会议总结了2019年全省政务公开工作，安排部署2020年重点任务。",
        "会议指出，要以公开促落实、促规范、促服务，全面提升政务公开质量和实效。",
        "会议要求，各地各部门要加强政府网站和政务新媒体建设管理，确保信息发布准确、及时、权威。",
    )),
    ("云南省持续推进“一部手机办事通”迭代升级", at(date(2020, 5, 31), 19, 0), (
        "截至5月底，“一部手机办事通”注册用户已超过1500万，可办事项不断增加。",
        "省政府办公厅要求，各州（市）要加快推动高频事项“掌上办”“指尖办”，让群众少跑腿。",
    )),
)


def _external_sites() -> list[ExternalSite]:
    prose = Prose("external")
    moa = ExternalSite("www.moa.gov.cn", "中华人民共和国农业农村部", [
        Article("全国夏粮生产形势总体向好", at(date(2020, 6, 14), 16, 20), "/xw/zwdt/202006/t20200614_6346651.htm",
                _MOA_SOURCE, "农业农村部"),
    ])
    yn = ExternalSite("www.yn.gov.cn", "云南省人民政府", [
        Article(title, published, f"/ywdt/ynyw/{published:%Y%m}/t{published:%Y%m%d}_{2_061_000 + i}.html", paragraphs,
                "云南省人民政府办公厅")
        for i, (title, published, paragraphs) in enumerate(_YN_SOURCES)
    ])
    for ext, base in ((moa, "/xw/zwdt/"), (yn, "/ywdt/ynyw/")):
        for n, published in enumerate(_times(prose.rng, "要闻动态", date(2020, 1, 1), CONTENT_END)):
            ext.articles.append(Article(prose.title("要闻动态", ext.name, 2020), published,
                                        f"{base}{published:%Y%m}/t{published:%Y%m%d}_{7_000_000 + n}.html",
                                        prose.paragraphs(ext.name, 2020), ext.name))
        ext.articles.sort(key=lambda a: a.published, reverse=True)
    return [moa, yn]


def _column(city: Site, abbr: str) -> DepartmentColumn:
    return next(c for c in city.columns if c.abbr == abbr)


def _channel_of(column: DepartmentColumn | Site, column_type: str) -> Channel:
    return next(ch for ch in column.channels if ch.type == column_type)


def _plant(city: Site, external: list[ExternalSite]) -> Planted:
    """Put the circular's problems, and look-alikes that must not be flagged, into the content."""
    base = f"http://{city.host}"
    moa, yn = external
    negatives = []

    # a. a resident ID with a valid checksum in an XLSX attachment of 市交通运输局.
    transport = _channel_of(_column(city, "jtysj"), "通知公告")
    published = at(date(2020, 5, 18), 10, 30)
    path = f"{transport.path}202005/t20200518_5690001.html"
    prose = Prose("planted/id")
    rows = [("序号", "姓名", "身份证号码", "单位")]
    for n in range(1, 13):
        number = f"5309{prose.rng.randint(10, 27):02d}**********{prose.rng.randint(1000, 9999)}"
        rows.append((str(n), prose.person(), number, f"{prose.rng.choice(PLACES)}运输有限公司"))
    rows[7] = (rows[7][0], rows[7][1], planted_id_number(), rows[7][3])
    leak_file = Attachment("2020年第二季度道路运输从业人员资格考试合格人员名单.xlsx", _attachment_path(path, "xlsx"), "xlsx",
                           "合格人员名单", table=tuple(rows), sheet="名单")
    _insert(transport, Article(
        "关于2020年第二季度道路运输从业人员从业资格考试合格人员名单的公示", published, path,
        ("根据《道路运输从业人员管理规定》，现将2020年第二季度道路运输从业人员从业资格考试合格人员名单予以公示。",
         "公示期为5个工作日。如有异议，请于公示期内向临沧市交通运输局反映，联系电话：0883-2143207。"),
        "临沧市交通运输局", attachments=(leak_file,)))

    # b. a serious wording error in 市统计局's column.
    wrong = "中国共产党第十九次全国人民代表大会"
    stats = _channel_of(_column(city, "tjj"), "工作动态")
    wording_path = f"{stats.path}202005/t20200506_5710001.html"
    _insert(stats, Article("市统计局召开2020年统计工作会议", at(date(2020, 5, 6), 15, 12), wording_path, (
        "5月6日，市统计局召开2020年统计工作会议，总结2019年全市统计工作，安排部署2020年重点任务。",
        f"会议强调，要深入学习贯彻{wrong}精神，坚持依法统计、依法治统，确保统计数据真实准确。",
        "会议要求，全市统计系统要全力做好第七次全国人口普查各项准备工作。",
    ), "临沧市统计局"))

    # c. a reprint of 农业农村部's article that differs from it: one number changed, one sentence missing.
    source = next(a for a in moa.articles if a.source == "农业农村部")
    farm = _channel_of(_column(city, "nyncj"), "工作动态")
    reprint_path = f"{farm.path}202006/t20200615_5720001.html"
    altered = (source.paragraphs[0].replace("3.3亿亩", "3.5亿亩"),) + source.paragraphs[2:]
    _insert(farm, Article(source.title, at(date(2020, 6, 15), 9, 40), reprint_path, altered, "农业农村部网站",
                          source_url=f"http://{moa.host}{source.path}"))

    # Exact reprints of 云南省人民政府 articles, laid out differently: must not be flagged.
    exact = []
    sources = [a for a in yn.articles if a.source == "云南省人民政府办公厅"]
    targets = ((_channel_of(city, "要闻动态"), 5730001), (_channel_of(_column(city, "fgw"), "工作动态"), 5730002))
    for article, (target, number) in zip(sources, targets):
        day = article.published + timedelta(hours=15)
        reprint = Article(article.title, day, f"{target.path}{day:%Y%m}/t{day:%Y%m%d}_{number}.html",
                          tuple("\u3000\u3000" + p.replace("，", "，\n", 1) for p in article.paragraphs),
                          "云南省人民政府网站", source_url=f"http://{yn.host}{article.path}")
        _insert(target, reprint)
        exact.append(base + reprint.path)

    # Hard negatives for the personal-information check, spread over other columns.
    for abbr, column_type, day, number, paragraphs in (
        ("rsj", "人事信息", date(2020, 5, 20), 5740001, (
            "经考试、考察和体检，现将拟聘用人员予以公示：王**，女，身份证号5309**********1234，拟聘岗位：综合管理。",
            "公示时间：2020年5月20日至5月26日，监督电话：0883-2143207。")),
        ("czj", "通知公告", date(2020, 6, 3), 5740002, (
            f"项目编码：{LONG_DIGIT_RUN}，资金文号：临财预〔2020〕35号。",
            f"证书编号：{_wrong_check_id()}，请各单位于20200612前完成资金拨付。")),
        ("swj", "工作动态", date(2020, 6, 8), 5740003, (
            "“6·18”消费季活动期间，全市线上订单号2020061215304512等订单均已按时配送。",
            "根据《临沧市人民政府办公室关于促进消费扩容提质的实施意见》（临政办发〔2020〕12号）要求开展活动。")),
    ):
        column = _column(city, abbr)
        channel = _channel_of(column, column_type)
        published = at(day, 11, 0)
        article = Article(f"{column.unit}{'拟聘用人员公示' if abbr == 'rsj' else '工作信息'}", published,
                          f"{channel.path}{published:%Y%m}/t{published:%Y%m%d}_{number}.html", paragraphs, column.unit)
        _insert(channel, article)
        negatives.append(base + article.path)

    return Planted(
        id_leak_page=base + path, id_leak_file=base + leak_file.path, id_number=planted_id_number(),
        wording_error_page=base + wording_path, wording_error=wrong,
        reprint_page=base + reprint_path, reprint_source=f"http://{moa.host}{source.path}",
        exact_reprint_pages=tuple(exact), stale_account="wx-lczrzyj", stale_account_last_post=STALE_LAST_POST,
        registered_decommissioned=tuple(host.removeprefix("www.") for _, _, host, *_ in DECOMMISSIONED),
        flaky_host=FLAKY_HOST, hard_negative_pages=tuple(negatives),
    )


# --------------------------------------------------------------------------- message platforms

def _workdays_after(day: date, count: int) -> date:
    """The `count`-th working day after `day`, with official holidays and make-up workdays."""
    while count:
        day += timedelta(days=1)
        count -= chinese_calendar.is_workday(day)
    return day


def _message(prose: Prose, number: str, asked: datetime, reply_units: list[str], latest_reply: date) -> Message:
    r = prose.rng
    reply_day = min(_workdays_after(asked.date(), r.randint(0, 5)), latest_reply)
    replied = at(reply_day, r.randint(8, 17), r.randint(0, 59))
    if replied <= asked:
        replied = asked + timedelta(hours=2, minutes=r.randint(0, 59))
    return Message(number=number, asked=asked, author=prose.person(), phone=prose.mobile(),
                   subject=f"关于{r.choice(PLACES)}{r.choice(_ISSUES)}的{r.choice(('咨询', '投诉', '建议', '求助'))}",
                   replied=replied, reply_unit=r.choice(reply_units))


def _random_time(rng: random.Random, first: date, last: date) -> datetime:
    day = first + timedelta(days=rng.randint(0, (last - first).days))
    return at(day, rng.randint(0, 23), rng.randint(0, 59))


#: Replies whose timeliness only a holiday-aware count gets right (city platform, 2020 holidays).
HOLIDAY_CASES = {
    at(date(2020, 4, 3), 15, 0): at(date(2020, 4, 10), 9, 30),    # 清明 4-4..4-6: 4th working day
    at(date(2020, 4, 30), 16, 20): at(date(2020, 5, 9), 10, 0),   # 劳动节 5-1..5-5, 5-9 a make-up Saturday
    at(date(2020, 6, 24), 10, 5): at(date(2020, 6, 28), 11, 15),  # 端午 6-25..6-27, 6-28 a make-up Sunday
}


def _platforms(sites: list[Site]) -> list[MessagePlatform]:
    city = sites[0]
    owners = [(s, s.site_code, s.name, s.unit, REPORT_LABELS[place], "/hdjl/", "")
              for s, (_, place, *_) in zip(sites, PORTALS)]
    for abbr, label, prefix in (("gaj", "市公安局", "GA"), ("rsj", "市人社局", "RS")):
        column = _column(city, abbr)
        owners.append((city, column.id, column.name, column.unit, label, f"{column.path}hdjl/", prefix))
    platforms = []
    for n, (site, owner_id, owner_name, unit, label, page, prefix) in enumerate(owners):
        prose = Prose(f"messages/{owner_id}")
        r = prose.rng
        if prefix:
            units = [unit]
        else:
            county = label if label != "市级" else "临沧市"
            units = [f"{county}{u}" for u in _REPLY_UNITS]
        in_quarter = [_random_time(r, QUARTER_START, date(2020, 6, 28)) for _ in range(Q2_MESSAGES[label])]
        if label == "市级":
            in_quarter[:len(HOLIDAY_CASES)] = HOLIDAY_CASES
        asked = ([_random_time(r, date(2020, 3, 1), date(2020, 3, 31)) for _ in range(r.randint(2, 4))] + in_quarter
                 + [_random_time(r, date(2020, 7, 1), date(2020, 7, 10)) for _ in range(r.randint(1, 3))])
        messages = []
        for k, t in enumerate(sorted(asked)):
            latest = date(2020, 6, 29) if t.date() <= QUARTER_END else CONTENT_END
            message = _message(prose, f"{prefix}LC{t:%Y%m%d}{n:02d}{k:03d}", t, units, latest)
            message.replied = HOLIDAY_CASES.get(t, message.replied) if label == "市级" else message.replied
            messages.append(message)
        _plant_mess(messages, r)
        kind = "xlsx" if n % 2 == 0 else "csv"
        platform = MessagePlatform(id=f"hdjl-{owner_id}", name=f"{owner_name}网民留言", unit=unit, belongs_to=owner_id,
                                   report_label=label, host=site.host, export_path=f"{page}export.{kind}",
                                   messages=messages, page_path=page)
        platforms.append(platform)
        if site.platform is None:
            site.platform = platform
    return platforms


def _plant_mess(messages: list[Message], rng: random.Random) -> None:
    """Vary how times are written, and plant one duplicate row and one date-only reply per export."""
    styles = ("iso", "unpadded", "slash", "cell", "cell", "cell")
    for m in messages:
        m.asked_style = rng.choice(styles)
        m.replied_style = rng.choice(styles)
        m.leading_space = rng.random() < 0.15
    in_quarter = [m for m in messages if QUARTER_START <= m.asked.date() <= QUARTER_END]
    if in_quarter:
        in_quarter[len(in_quarter) // 2].duplicated = True
        in_quarter[-1].replied_style = "date"


# --------------------------------------------------------------------------- new-media accounts

def _accounts() -> list[Account]:
    counties = [(brand, f"{place}人民政府办公室") for brand, (_, place, *_) in zip(_COUNTY_BRANDS, PORTALS[1:])]
    specs = [("微博", "临沧发布", "临沧市人民政府新闻办公室", "市级")]
    specs += [("微博", brand, unit, "县级") for brand, unit in counties]
    units = dict(DEPARTMENTS)
    specs += [("微博", brand, units[abbr], "市级") for abbr, brand in _WEIBO_DEPARTMENTS]
    specs += [("微信公众号", unit, unit, "市级") for _, unit in DEPARTMENTS]
    specs += [("微信公众号", brand, unit, "县级") for brand, unit in counties]
    specs += [("微信公众号", "临沧发布", "临沧市人民政府新闻办公室", "市级"),
              ("微信公众号", "临沧政务服务", "临沧市人民政府政务服务管理局", "市级"),
              ("今日头条", "临沧发布", "临沧市人民政府新闻办公室", "市级")]
    abbrs = {unit: abbr for abbr, unit in DEPARTMENTS}
    accounts = []
    for i, (platform, name, unit, level) in enumerate(specs):
        prose = Prose(f"account/{platform}/{name}")
        r = prose.rng
        if platform == "微信公众号":
            handle = "lc" + abbrs[name] if name in abbrs else f"gh_{r.getrandbits(48):012x}"
            account_id = f"wx-{handle}"
        elif platform == "微博":
            handle = str(r.randint(1_000_000_000, 7_999_999_999))
            account_id = f"wb-{handle}"
        else:
            handle = str(r.randint(50_000_000_000, 99_999_999_999))
            account_id = f"tt-{handle}"
        end = STALE_LAST_POST if (platform, name) == ("微信公众号", STALE_ACCOUNT_NAME) else None
        account = Account(id=account_id, platform=platform, name=name, unit=unit, level=level, handle=handle,
                          feed_suffix=("", "", "", "", "", "", ".atom", ".atom", ".json", "")[i % 10], posts=[])
        account.posts = _posts(prose, account, end)
        accounts.append(account)
    return accounts


def _posts(prose: Prose, account: Account, last: datetime | None) -> list[Post]:
    return feed_posts(prose, account, last, date(2019, 12, 1), CONTENT_END, "自然资源部门开展“5·25”土地日宣传活动")


def feed_posts(prose: Any, account: Account, last: datetime | None, first_day: date, content_end: date,
               last_title: str) -> list[Post]:
    """An account's posts every 1-4 days from about `first_day`, newest first; a stale account's
    stop at `last`, whose post gets `last_title`. Shared by the demo worlds (prose: their Prose)."""
    r = prose.rng
    posts, day = [], first_day + timedelta(days=r.randint(0, 3))
    while day <= content_end:
        published = at(day, r.randint(7, 21), r.randint(0, 59))
        if last is not None and published > last:
            break
        post_id = f"{r.getrandbits(64):016x}"
        link = {"微信公众号": f"http://mp.weixin.qq.com/s/{post_id}",
                "微博": f"http://weibo.com/{account.handle}/{post_id}",
                "今日头条": f"http://www.toutiao.com/a{int(post_id, 16) % 10**19}/"}[account.platform]
        posts.append(Post(post_id, prose.title("要闻动态", account.unit, day.year), prose.paragraphs(account.unit, day.year)[0],
                          published, link))
        day += timedelta(days=r.randint(1, 4))
    if last is not None:
        posts[-1] = Post(posts[-1].id, last_title, posts[-1].summary, last, posts[-1].link)
    posts.reverse()
    return posts


# --------------------------------------------------------------------------- WHOIS

def whois_records() -> dict[str, str]:
    """The world's WHOIS records without building the world (a replay shard needs only these)."""
    return _whois([])


def _whois(sites: list[Site]) -> dict[str, str]:
    """CNNIC-style records: the two decommissioned domains were never cancelled, so both still show."""
    records = {}
    for code, unit, host, roid, email, registered in DECOMMISSIONED:
        domain = host.removeprefix("www.")
        expires = f"{int(registered[:4]) + 17}{registered[4:]}"
        records[domain] = "\n".join((
            f"Domain Name: {domain}", f"ROID: {roid}", "Domain Status: ok", f"Registrant: {unit}",
            f"Registrant Contact Email: {email}", "Sponsoring Registrar: 政务和公益机构域名注册管理中心",
            f"Name Server: dns1.{domain}", f"Name Server: dns2.{domain}",
            f"Registration Time: {registered}", f"Expiration Time: {expires}", "DNSSEC: unsigned",
        )) + "\n"
    return records
