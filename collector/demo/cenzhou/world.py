"""The 岑州 world: a deterministic model of an invented Guizhou city's sites, accounts and message
platforms around 2021 Q3.

Everything comes from fixed seeds, never from the wall clock. The world's clock (kept by the
server) decides only what is visible: an item is listed once its time is at or before the clock.
`World.planted` says where the planted problems and the look-alikes are, for tests; it is never
served. All names, numbers and people are invented for the demo.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
from stdnum.cn import ric

from collector.demo.cenzhou.text import Prose
from collector.demo.world import Account, Attachment, Post, at, feed_posts
from collector.registry import (
    Account as RegistryAccount, Column, DisclosureColumn, MessagePlatform as RegistryPlatform, Registry, Website,
)

TZ = ZoneInfo("Asia/Shanghai")
CONTENT_START = date(2020, 10, 1)
CONTENT_END = date(2021, 10, 31)
QUARTER_START, QUARTER_END = date(2021, 7, 1), date(2021, 9, 30)
PERIOD = "2021Q3"
#: The default world clock: the morning of the last day of the quarter.
DEFAULT_NOW = datetime(2021, 9, 30, 9, 0, tzinfo=TZ)
#: The circular's date for the demo quarter.
CIRCULAR_DATE = "2021-10-15"
CONTROL_HOST = "control.world.test"
MARK_HOSTS = ("bszs.conac.cn", "www.beian.gov.cn", "beian.miit.gov.cn")
#: Newest items a list page shows (one page; older items are on pages nobody needs here).
LIST_SIZE = 20


# --------------------------------------------------------------------------- model

@dataclass(frozen=True)
class Article:
    title: str
    published: datetime
    path: str
    paragraphs: tuple[str, ...]
    attachments: tuple[Attachment, ...] = ()
    #: whether the article page carries a publication-time <meta> (PubDate / firstpublishedtime)
    pubdate_meta: bool = True


@dataclass
class Listing:
    """One column (栏目): its list page and how the CMS delivers the rows.

    delivery: "inline" (Hanweb records in the page's <datastore>), "proxy" (Hanweb page with an
    empty recordset; rows only from dataproxy.jsp) or "rows" (plain HTML rows).
    """

    name: str
    type: str
    path: str
    articles: list[Article]  # newest first
    delivery: str = "rows"
    row_dates: bool = True
    column_id: int = 0
    date_style: str = ""  # the site's unless set (a CMS may write one column's dates another way)

    def visible(self, now: datetime) -> list[Article]:
        return [a for a in self.articles if a.published <= now][:LIST_SIZE]


@dataclass
class Department:
    """A city department's information-disclosure column (信息公开专栏) on the city portal."""

    id: str
    abbr: str
    unit: str
    column_id: int
    listings: list[Listing]

    @property
    def name(self) -> str:
        return f"{self.unit}信息公开专栏"

    @property
    def path(self) -> str:
        return f"/col/col{self.column_id}/index.html"


@dataclass
class Site:
    site_code: str
    name: str
    unit: str
    level: str
    host: str
    cms: str                  # hanweb | easysite | plain
    date_style: str = "iso"   # iso 2021-09-28 | bracket [2021-09-28] | cn 2021年9月28日 | dot 2021.09.28
    encoding: str = "utf-8"   # utf-8 | gbk (sent as text/html without charset, <meta charset=gb2312>)
    icp: str = ""
    police_record: str = ""
    conac_id: str = ""
    address: str = ""
    phone: str = ""
    site_kind: str = "政府门户网站"
    status: str = "运行"
    listings: list[Listing] = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://{self.host}/"

    @property
    def domain(self) -> str:
        return self.host.removeprefix("www.")


@dataclass(frozen=True)
class Message:
    number: str
    user: str
    phone: str
    subject: str
    detail: str
    asked: datetime
    replied: datetime | None
    reply_text: str


@dataclass
class Platform:
    """A message platform and its export. layout "wenzheng" (问政编号 …, with a status column) or
    "teddy" (the Teddy Cup 附件4 layout: 留言编号, 留言用户, 留言主题, 留言时间, 留言详情, 答复意见, 答复时间)."""

    id: str
    name: str
    unit: str
    belongs_to: str
    report_label: str
    host: str
    export_path: str
    layout: str
    messages: list[Message]

    @property
    def export_url(self) -> str:
        return f"http://{self.host}{self.export_path}"

    @property
    def headers(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The registry's header mapping for this layout (docs/messages.md)."""
        if self.layout == "wenzheng":
            return (("id", ("问政编号",)), ("received_at", ("提问时间",)), ("replied_at", ("回复时间",)),
                    ("reply_text", ("回复内容",)), ("status", ("办理状态",)))
        return (("id", ("留言编号",)), ("received_at", ("留言时间",)), ("replied_at", ("答复时间",)),
                ("reply_text", ("答复意见",)))


@dataclass(frozen=True)
class Planted:
    """Where the planted problems and look-alikes are, for tests. Never served."""

    stale_column_entry: str
    stale_column_url: str
    stale_column_last: date
    blank_column_entry: str
    blank_column_url: str
    pii_entry: str
    pii_page: str
    pii_file: str
    id_number: str
    wording_entry: str
    wording_page: str
    wording_error: str
    stale_account: str
    stale_account_last_post: datetime
    decommissioned_entry: str
    registered_decommissioned: tuple[str, ...]
    unanswered_platform: str
    unanswered_entry: str
    unanswered_message: str
    # look-alikes
    throttled_host: str
    proxy_fresh_columns: tuple[str, ...]
    undated_column_url: str
    footer_dates_column_url: str
    gbk_host: str
    gbk_only_text: str
    lookalike_pages: tuple[str, ...]


@dataclass
class World:
    sites: list[Site]
    accounts: list[Account]
    platforms: list[Platform]
    whois_records: dict[str, str]
    planted: Planted
    office: str = "岑州市人民政府办公室"
    region: str = "岑州市"

    def site(self, host: str) -> Site | None:
        return next((s for s in self.sites if s.host == host), None)

    @property
    def portals(self) -> list[Site]:
        return [s for s in self.sites if s.status == "运行"]

    @property
    def decommissioned_hosts(self) -> frozenset[str]:
        return frozenset(s.host for s in self.sites if s.status == "下线")

    def whois(self, domain: str) -> str:
        return self.whois_records.get(domain.lower().removeprefix("www."), "No matching record.")

    def registry(self) -> Registry:
        """The registry staff would keep for this world (registry/cenzhou-demo.yaml)."""
        websites = tuple(Website(
            site_code=s.site_code, name=s.name, unit=s.unit, level=s.level, site_kind=s.site_kind, url=s.url,
            status=s.status, columns=tuple(Column(li.name, li.type, f"http://{s.host}{li.path}") for li in s.listings),
        ) for s in self.sites)
        columns = tuple(DisclosureColumn(
            id=d.id, name=d.name, unit=d.unit, parent=s.site_code, url=f"http://{s.host}{d.path}", level=s.level,
            columns=tuple(Column(li.name, li.type, f"http://{s.host}{li.path}") for li in d.listings),
        ) for s in self.sites for d in s.departments)
        accounts = tuple(RegistryAccount(id=a.id, platform=a.platform, name=a.name, unit=a.unit, feed=a.feed_url,
                                         level=a.level) for a in self.accounts)
        platforms = tuple(RegistryPlatform(id=p.id, name=p.name, unit=p.unit, belongs_to=p.belongs_to,
                                           export=p.export_url, report_label=p.report_label, headers=p.headers)
                          for p in self.platforms)
        return Registry(office=self.office, region=self.region, websites=websites, columns=columns,
                        accounts=accounts, message_platforms=platforms)


# --------------------------------------------------------------------------- contents

_GAPS = {"要闻动态": (1, 3), "工作动态": (1, 4), "通知公告": (3, 20), "政策文件": (5, 30), "人事信息": (10, 40),
         "规划计划": (20, 60)}
#: GBK-only characters (not in GB2312) in the GBK district's pages: a strict gb2312 decoder fails on them.
GBK_ONLY_TEXT = "镕昇"
OFFICE_PHONE = "0856-3221708"
WORDING_ERROR = "习近平新时代特色社会主义思想"
STALE_ACCOUNT_NAME = "岑州市生态环境局"
STALE_LAST_POST = at(date(2021, 9, 5), 17, 40)
STALE_COLUMN_LAST = date(2021, 8, 23)
DEPARTMENTS = (("fgw", "岑州市发展和改革委员会", 1301), ("jyj", "岑州市教育局", 1302), ("czj", "岑州市财政局", 1303),
               ("rsj", "岑州市人力资源和社会保障局", 1304), ("sthjj", "岑州市生态环境局", 1305),
               ("jtysj", "岑州市交通运输局", 1306))


class _Serial:
    """Article numbers, unique per site."""

    def __init__(self, first: int):
        self.next = first

    def __call__(self) -> int:
        self.next += 1
        return self.next


def _times(rng: random.Random, column_type: str, last: date = CONTENT_END) -> list[datetime]:
    low, high = _GAPS[column_type]
    times, day = [], last
    while day >= CONTENT_START:
        times.append(at(day, rng.randint(8, 18), rng.randint(0, 59)))
        day -= timedelta(days=rng.randint(low, high))
    return times  # newest first


def _article_path(site: Site, listing_path: str, column_id: int, number: int, published: datetime,
                  dated_url: bool) -> str:
    """Each CMS names its articles its own way; an undated list's articles carry no date in the path."""
    if not dated_url:
        return f"{listing_path.rsplit('/', 1)[0]}/{number}.shtml" if site.cms == "easysite" else \
            f"{listing_path.rsplit('/', 1)[0]}/content_{number}.html"
    d = published.date()
    if site.cms == "hanweb":
        return f"/art/{d.year}/{d.month}/{d.day}/art_{column_id}_{number}.html"
    if site.cms == "easysite":
        return f"/doc/{d:%Y/%m/%d}/{number}.shtml"
    return f"{listing_path.rsplit('/', 1)[0]}/content_{number}.html"


def _listing(site: Site, serial: _Serial, unit: str, name: str, column_type: str, path: str, column_id: int = 0,
             delivery: str = "rows", row_dates: bool = True, pubdate_meta: bool = True,
             last: date = CONTENT_END) -> Listing:
    prose = Prose(f"{site.host}{path}")
    articles = []
    for published in _times(prose.rng, column_type, last):
        number = serial()
        articles.append(Article(
            title=prose.title(column_type, unit, published.year), published=published,
            path=_article_path(site, path, column_id, number, published, row_dates),
            paragraphs=tuple(prose.paragraphs(unit, published.year)), pubdate_meta=pubdate_meta))
    return Listing(name, column_type, path, articles, delivery, row_dates, column_id)


def _insert(listing: Listing, article: Article) -> None:
    listing.articles.append(article)
    listing.articles.sort(key=lambda a: a.published, reverse=True)


def _id_number(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


def planted_id_number() -> str:
    """An invented resident ID: region 520921 (no such county), born 1988-09-15, valid check digit."""
    return _id_number("52092119880915312")


def build_world() -> World:
    sites = _sites()
    planted = _plant(sites[0], sites[2])  # the city portal and 苗岭县
    accounts = _accounts()
    platforms = _platforms()
    return World(sites=sites, accounts=accounts, platforms=platforms, whois_records=_whois(sites), planted=planted)


def _sites() -> list[Site]:
    city = Site("5209000001", "岑州市人民政府门户网站", "岑州市人民政府办公室", "市级", "www.cenzhou.gov.cn", "hanweb",
                icp="黔ICP备05003107号", police_record="52090002000101", conac_id="5209C0A1B2C3",
                address="岑州市岑江区龙泉大道1号", phone=OFFICE_PHONE)
    district = Site("5209020001", "岑州市岑江区人民政府门户网站", "岑江区人民政府办公室", "县级", "www.cjq.gov.cn", "hanweb",
                    encoding="gbk", icp="黔ICP备05003208号-1", police_record="52090202000112",
                    conac_id="5209C0D4E5F6", address="岑江区昇平路18号（镕城街道）", phone="0856-3816025")
    miaoling = Site("5209210001", "苗岭县人民政府门户网站", "苗岭县人民政府办公室", "县级", "www.mlx.gov.cn", "easysite",
                    date_style="bracket", icp="黔ICP备06001922号", police_record="52092102000017",
                    conac_id="5209C1A2B3C4", address="苗岭县古榕街66号", phone="0856-7521130")
    qingxi = Site("5209220001", "清溪县人民政府门户网站", "清溪县人民政府办公室", "县级", "www.qxx.gov.cn", "plain",
                  date_style="cn", icp="黔ICP备06002415号", police_record="52092202000031",
                  conac_id="5209C1D5E6F7", address="清溪县滨河路9号", phone="0856-6623401")
    forestry = Site("5209000021", "岑州市林业局网站", "岑州市林业局", "市级", "www.czly.gov.cn", "hanweb",
                    site_kind="部门网站", status="下线")

    serial = _Serial(561000)
    city.listings = [
        _listing(city, serial, city.unit, "岑州要闻", "要闻动态", "/col/col1201/index.html", 1201, "inline"),
        _listing(city, serial, city.unit, "通知公告", "通知公告", "/col/col1202/index.html", 1202, "inline"),
        _listing(city, serial, city.unit, "政策文件", "政策文件", "/col/col1203/index.html", 1203, "proxy"),
        _listing(city, serial, city.unit, "人事信息", "人事信息", "/col/col1204/index.html", 1204, "inline"),
    ]
    for abbr, unit, column_id in DEPARTMENTS:
        work = dict(delivery="proxy", last=STALE_COLUMN_LAST) if abbr == "jtysj" else \
            dict(delivery="proxy") if abbr == "fgw" else dict(delivery="inline")
        city.departments.append(Department(f"xxgk-{abbr}", abbr, unit, column_id, [
            _listing(city, serial, unit, "通知公告", "通知公告", f"/col/col{column_id}1/index.html", column_id * 10 + 1,
                     "inline"),
            _listing(city, serial, unit, "工作动态", "工作动态", f"/col/col{column_id}2/index.html", column_id * 10 + 2,
                     **work),  # type: ignore[arg-type]
            _listing(city, serial, unit, "政策文件", "政策文件", f"/col/col{column_id}3/index.html", column_id * 10 + 3,
                     "inline"),
        ]))

    serial = _Serial(37000)
    district.listings = [
        _listing(district, serial, district.unit, "岑江要闻", "要闻动态", "/col/col2101/index.html", 2101, "inline"),
        _listing(district, serial, district.unit, "通知公告", "通知公告", "/col/col2102/index.html", 2102, "proxy"),
        _listing(district, serial, district.unit, "政策文件", "政策文件", "/col/col2103/index.html", 2103, "inline"),
        _listing(district, serial, district.unit, "规划计划", "规划计划", "/col/col2104/index.html", 2104, "inline"),
    ]
    news = district.listings[0]
    _insert(news, Article(f"{GBK_ONLY_TEXT[1]}平路{GBK_ONLY_TEXT[0]}城街道开展防汛应急演练", at(date(2021, 9, 27), 16, 12),
                          "/art/2021/9/27/art_2101_37991.html",
                          ("9月27日，岑江区镕城街道在昇平路组织开展防汛应急演练，街道干部群众参加演练。",)))

    serial = _Serial(913000)
    miaoling.listings = [
        _listing(miaoling, serial, miaoling.unit, "工作动态", "工作动态", "/xxgk/gzdt/index.html"),
        _listing(miaoling, serial, miaoling.unit, "通知公告", "通知公告", "/xxgk/tzgg/index.html"),
        _listing(miaoling, serial, miaoling.unit, "人事信息", "人事信息", "/xxgk/rsxx/index.html", row_dates=False,
                 pubdate_meta=False),
        Listing("规划计划", "规划计划", "/xxgk/ghjh/index.html", []),
    ]

    serial = _Serial(4400)
    qingxi.listings = [
        _listing(qingxi, serial, qingxi.unit, "清溪要闻", "要闻动态", "/xwzx/qxyw/"),
        _listing(qingxi, serial, qingxi.unit, "公示公告", "通知公告", "/zwgk/gsgg/"),
        _listing(qingxi, serial, qingxi.unit, "政策文件", "政策文件", "/zwgk/zcwj/", row_dates=False),
    ]
    qingxi.listings[1].date_style = "dot"
    return [city, district, miaoling, qingxi, forestry]


def _plant(city: Site, miaoling: Site) -> Planted:
    # 严重表述错误 on the city portal's news
    wording = Article("市政府党组召开理论学习中心组（扩大）学习会", at(date(2021, 9, 22), 10, 30),
                      "/art/2021/9/22/art_1201_569901.html",
                      ("9月22日，市政府党组召开理论学习中心组（扩大）学习会。",
                       f"会议强调，要深入学习贯彻{WORDING_ERROR}，切实把思想和行动统一到党中央决策部署上来。",
                       "会议要求，各级各部门要把学习成果转化为推动高质量发展的实际成效。"))
    _insert(city.listings[0], wording)

    # 个人信息泄露: an XLSX with a 身份证号 column on the easysite county portal
    number = planted_id_number()
    masked = [f"5209**********{n:04d}" for n in (1023, 2211, 3350, 1408, 5127, 6632, 2745)]
    rows = [("序号", "姓名", "身份证号", "村组", "保障人数")]
    for i, (name, id_number) in enumerate(zip(("杨**", "吴**", "龙**", "石**", "潘**", "张**", "王**", "欧**"),
                                             masked[:3] + [number] + masked[3:]), start=1):
        rows.append((str(i), name, id_number, f"古榕村{i}组", str(1 + i % 4)))
    attachment = Attachment("2021年第三季度农村低保对象名单.xlsx", "/doc/2021/09/16/P020210916913901.xlsx", "xlsx",
                            "2021年第三季度农村低保对象名单", table=tuple(rows), sheet="公示名单")
    pii = Article("苗岭县2021年第三季度农村最低生活保障对象公示", at(date(2021, 9, 16), 9, 40),
                  "/doc/2021/09/16/913901.shtml",
                  ("根据《贵州省最低生活保障实施办法》，现将我县2021年第三季度新增农村最低生活保障对象予以公示。",
                   f"公示期为7天。如有异议，请向县民政局反映，联系电话：{OFFICE_PHONE}。"),
                  attachments=(attachment,))
    _insert(miaoling.listings[1], pii)

    # look-alikes on the same site: a landline, a unified social credit code, document numbers, long ids
    lookalike = Article("关于公布2021年度政府采购项目中标结果的公告", at(date(2021, 9, 23), 15, 5),
                        "/doc/2021/09/23/913902.shtml",
                        ("项目编号：MLCG-2021-0917，文号：苗府办发〔2021〕23号，依据岑府办发〔2021〕7号执行。",
                         "中标单位：苗岭县古榕建设工程有限公司，统一社会信用代码：91522921MA6H2K3L4P。",
                         "采购流水号：2021092315304512000019，合同编号：520921202109230047。",
                         f"采购人联系电话：{OFFICE_PHONE}；监督电话：0856-7521131；值班电话：13985210736。"),
                        attachments=(Attachment("中标结果明细.xlsx", "/doc/2021/09/23/P020210923913902.xlsx", "xlsx",
                                                "中标结果明细", sheet="明细", table=(
                                                    ("序号", "单位名称", "统一社会信用代码", "联系人", "联系电话"),
                                                    ("1", "苗岭县古榕建设工程有限公司", "91522921MA6H2K3L4P", "杨**",
                                                     OFFICE_PHONE),
                                                    ("2", "清溪县滨河建材有限公司", "91522922MA7B8C9D0E", "吴**",
                                                     "0856-6623401"))),))
    _insert(miaoling.listings[1], lookalike)

    stale_department = next(d for d in city.departments if d.abbr == "jtysj")
    fresh_proxy = [next(d for d in city.departments if d.abbr == "fgw").listings[1], city.listings[2]]
    miaoling_id = miaoling.site_code
    return Planted(
        stale_column_entry=stale_department.id,
        stale_column_url=f"http://{city.host}{stale_department.listings[1].path}",
        stale_column_last=STALE_COLUMN_LAST,
        blank_column_entry=miaoling_id, blank_column_url=f"http://{miaoling.host}/xxgk/ghjh/index.html",
        pii_entry=miaoling_id, pii_page=f"http://{miaoling.host}{pii.path}",
        pii_file=f"http://{miaoling.host}{attachment.path}", id_number=number,
        wording_entry=city.site_code, wording_page=f"http://{city.host}{wording.path}", wording_error=WORDING_ERROR,
        stale_account="wx-czsthjj", stale_account_last_post=STALE_LAST_POST,
        decommissioned_entry="5209000021", registered_decommissioned=("czly.gov.cn",),
        unanswered_platform="hdjl-5209020001", unanswered_entry="5209020001", unanswered_message="36025",
        throttled_host="www.qxx.gov.cn",
        proxy_fresh_columns=tuple(f"http://{city.host}{li.path}" for li in fresh_proxy),
        undated_column_url=f"http://{miaoling.host}/xxgk/rsxx/index.html",
        footer_dates_column_url="http://www.qxx.gov.cn/zwgk/zcwj/",
        gbk_host="www.cjq.gov.cn", gbk_only_text=GBK_ONLY_TEXT,
        lookalike_pages=(f"http://{miaoling.host}{lookalike.path}",),
    )


# --------------------------------------------------------------------------- message platforms

def workdays_after(day: date, count: int) -> date:
    while count:
        day += timedelta(days=1)
        if chinese_calendar.is_workday(day):
            count -= 1
    return day


def _platforms() -> list[Platform]:
    specs = (("hdjl-5209000001", "岑州市人民政府“市长信箱”", "岑州市人民政府办公室", "5209000001", "市级",
              "www.cenzhou.gov.cn", "/module/hdjl/export.xlsx", "wenzheng", 14, 52000),
             ("hdjl-5209020001", "岑江区人民政府网民留言", "岑江区人民政府办公室", "5209020001", "岑江区",
              "www.cjq.gov.cn", "/hdjl/liuyan_export.xlsx", "teddy", 9, 36000),
             ("hdjl-5209210001", "苗岭县人民政府网民留言", "苗岭县人民政府办公室", "5209210001", "苗岭县",
              "www.mlx.gov.cn", "/hdjl/export.csv", "teddy", 5, 8100))
    platforms = []
    for pid, name, unit, belongs, label, host, path, layout, in_quarter, first in specs:
        prose = Prose(f"messages/{pid}")
        rng = prose.rng
        times = sorted([_random_time(rng, QUARTER_START, QUARTER_END - timedelta(days=2)) for _ in range(in_quarter)]
                       + [_random_time(rng, date(2021, 6, 1), date(2021, 6, 28)) for _ in range(3)]
                       + [_random_time(rng, date(2021, 10, 8), date(2021, 10, 20)) for _ in range(2)])
        messages = []
        for i, asked in enumerate(times, start=1):
            replied_day = workdays_after(asked.date(), rng.randint(1, 4))
            replied = at(replied_day, rng.randint(9, 17), rng.randint(0, 59))
            messages.append(_message(prose, str(first + i), asked, replied))
        if pid == "hdjl-5209020001":  # 互动回应差: asked in May, never answered
            messages.insert(0, _message(prose, "36025", at(date(2021, 5, 18), 10, 20), None))
        platforms.append(Platform(pid, name, unit, belongs, label, host, path, layout, messages))
    return platforms


def _random_time(rng: random.Random, first: date, last: date) -> datetime:
    day = first + timedelta(days=rng.randint(0, (last - first).days))
    return at(day, rng.randint(7, 22), rng.randint(0, 59))


def _message(prose: Prose, number: str, asked: datetime, replied: datetime | None) -> Message:
    rng = prose.rng
    issue = rng.choice(("小区停车难", "道路积水", "农村客运班线", "学校划片", "养老保险缴费", "医保报销", "噪音扰民",
                        "自来水水压低", "路灯不亮", "农民工工资拖欠"))
    user = f"A{rng.randint(100000, 999999):06d}"
    phone = f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(0, 99999999):08d}"
    return Message(number=number, user=user, phone=phone, subject=f"关于{issue}的问题",
                   detail=f"我是附近居民，反映{issue}问题已有一段时间，希望有关部门尽快处理。联系电话{phone}。",
                   asked=asked, replied=replied,
                   reply_text=f"您好，您反映的{issue}问题已转相关部门办理，现答复如下：已安排专人核实处理。" if replied else "")


# --------------------------------------------------------------------------- new-media accounts

def _accounts() -> list[Account]:
    specs = (("微博", "岑州发布", "岑州市人民政府新闻办公室", "市级"), ("微博", "岑江发布", "岑江区人民政府办公室", "县级"),
             ("微博", "苗岭发布", "苗岭县人民政府办公室", "县级"), ("微博", "清溪发布", "清溪县人民政府办公室", "县级"),
             ("微博", "岑州交警", "岑州市公安局交通警察支队", "市级"),
             ("微信公众号", "岑州发布", "岑州市人民政府新闻办公室", "市级"), ("微信公众号", "岑州教育", "岑州市教育局", "市级"),
             ("微信公众号", "岑州人社", "岑州市人力资源和社会保障局", "市级"),
             ("微信公众号", STALE_ACCOUNT_NAME, STALE_ACCOUNT_NAME, "市级"),
             ("微信公众号", "苗岭发布", "苗岭县人民政府办公室", "县级"), ("微信公众号", "清溪发布", "清溪县人民政府办公室", "县级"),
             ("今日头条", "岑州发布", "岑州市人民政府新闻办公室", "市级"))
    suffixes = ("", ".atom", ".json")
    accounts = []
    for i, (platform, name, unit, level) in enumerate(specs):
        prose = Prose(f"account/{platform}/{name}")
        r = prose.rng
        if platform == "微信公众号":
            handle = "czsthjj" if name == STALE_ACCOUNT_NAME else f"gh_{r.getrandbits(48):012x}"
            account_id = f"wx-{handle}"
        elif platform == "微博":
            handle = str(r.randint(1_000_000_000, 7_999_999_999))
            account_id = f"wb-{handle}"
        else:
            handle = str(r.randint(50_000_000_000, 99_999_999_999))
            account_id = f"tt-{handle}"
        account = Account(id=account_id, platform=platform, name=name, unit=unit, level=level, handle=handle,
                          feed_suffix=suffixes[i % 3], posts=[])
        account.posts = _posts(prose, account, STALE_LAST_POST if name == STALE_ACCOUNT_NAME else None)
        accounts.append(account)
    return accounts


def _posts(prose: Prose, account: Account, last: datetime | None) -> list[Post]:
    return feed_posts(prose, account, last, date(2021, 3, 1), CONTENT_END, "岑州市开展“世界环境日”主题宣传活动")


# --------------------------------------------------------------------------- WHOIS

def _whois(sites: list[Site]) -> dict[str, str]:
    """The decommissioned forestry bureau's domain was never cancelled: CNNIC still shows it."""
    records = {}
    for site in sites:
        if site.status != "下线":
            continue
        records[site.domain] = "\n".join((
            f"Domain Name: {site.domain}", "ROID: 20060412g10008000000041739-cn", "Domain Status: ok",
            f"Registrant: {site.unit}", f"Registrant Contact Email: czlyxxzx@{site.domain}",
            "Sponsoring Registrar: 政务和公益机构域名注册管理中心", f"Name Server: dns1.{site.domain}",
            f"Name Server: dns2.{site.domain}", "Registration Time: 2006-04-12 10:21:37",
            "Expiration Time: 2026-04-12 10:21:37", "DNSSEC: unsigned",
        )) + "\n"
    return records
