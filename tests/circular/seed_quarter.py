"""Fixture data: a quarter shaped like the seed circular (临沧 2020Q2), written through the real scorecard writer:
9 running portals (1 city, 8 county) and 2 decommissioned sites, 34 disclosure columns of which 3
fail, 63 accounts (18 微博, 44 微信公众号, 1 今日头条) of which 1 fails, 11 message platforms."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import yaml

from collector.observations import Evidence, Finding, Observation
from collector.periods import CHINA_TZ, Period
from collector.registry import Account, DisclosureColumn, MessagePlatform, Registry, Website

PERIOD = Period(2020, 2)
ROUND = datetime(2020, 6, 30, 9, tzinfo=CHINA_TZ)
EARLIER = datetime(2020, 6, 20, 9, tzinfo=CHINA_TZ)
COUNTIES = [("5309020001", "临翔区", "临翔区", 23), ("5309250001", "永德县", "永德县", 7),
            ("5309210001", "凤庆县", "凤庆县", 7), ("5309220001", "云县", "云县", 2),
            ("5309250002", "双江拉祜族佤族布朗族傣族自治县", "双江", 4), ("5309240001", "镇康县", "镇康县", 12),
            ("5309270001", "沧源佤族自治县", "沧源县", 10), ("5309260001", "耿马傣族佤族自治县", "耿马县", 2)]
PROBLEM_COLUMNS = {"tjj": ("临沧市统计局", "wording", "wording_serious", "严重表述错误"),
                   "jtj": ("临沧市交通运输局", "personal_info", "pii_resident_id", "个人信息泄露"),
                   "nyj": ("临沧市农业农村局", "reprint", "reprint_differs", "转载与原文不符")}
OTHER_DEPARTMENTS = [f"临沧市第{n}局" for n in range(1, 30)] + ["临沧市公安局", "临沧市人力资源和社会保障局"]
STALE_ACCOUNT = "wx-lczrzy"


def seed_registry() -> Registry:
    city = Website(site_code="5309000001", name="临沧市人民政府门户网站", unit="临沧市人民政府办公室", level="市级",
                   site_kind="政府门户网站", url="http://www.lincang.gov.cn/")
    counties = [Website(site_code=code, name=f"{place}人民政府门户网站", unit=f"{place}人民政府办公室", level="县级",
                        site_kind="政府门户网站", url=f"http://www.{code}.gov.cn/") for code, place, _, _ in COUNTIES]
    closed = [Website(site_code="5309000010", name="临沧市水务局网站", unit="临沧市水务局", level="市级",
                      site_kind="部门网站", url="http://www.lcsd.gov.cn/", status="下线"),
              Website(site_code="5309000011", name="临沧市档案局网站", unit="临沧市档案局", level="市级",
                      site_kind="部门网站", url="http://www.lcda.gov.cn/", status="下线")]
    units = [(abbr, unit) for abbr, (unit, *_) in PROBLEM_COLUMNS.items()]
    units += [(f"d{n:02d}", unit) for n, unit in enumerate(OTHER_DEPARTMENTS)]
    columns = [DisclosureColumn(id=f"zfxxgk-{abbr}", name=f"{unit}信息公开专栏", unit=unit, parent="5309000001",
                                url=f"http://www.lincang.gov.cn/zfxxgk/{abbr}/") for abbr, unit in units]
    accounts = [Account(id=f"wb-{n:02d}", platform="微博", name=f"微博{n}", unit="临沧市人民政府新闻办公室",
                        feed=f"http://rsshub.world.test/weibo/{n}") for n in range(18)]
    accounts += [Account(id=f"wx-{n:02d}", platform="微信公众号", name=f"微信{n}", unit="临沧市人民政府新闻办公室",
                         feed=f"http://rsshub.world.test/wechat/{n}") for n in range(43)]
    accounts += [Account(id=STALE_ACCOUNT, platform="微信公众号", name="临沧市自然资源和规划局", unit="临沧市自然资源和规划局",
                         feed="http://rsshub.world.test/wechat/lczrzy"),
                 Account(id="tt-01", platform="今日头条", name="临沧发布", unit="临沧市人民政府新闻办公室",
                         feed="http://rsshub.world.test/toutiao/1")]
    platforms = [MessagePlatform(id=f"hdjl-{site.site_code}", name=f"{site.name}网民留言", unit=site.unit,
                                 belongs_to=site.site_code, export="x.csv", report_label=label)
                 for site, label in zip([city, *counties], ["市级", *(c[2] for c in COUNTIES)])]
    platforms += [MessagePlatform(id=f"hdjl-{c.id}", name=f"{c.name}网民留言", unit=c.unit, belongs_to=c.id,
                                  export="x.csv", report_label=label)
                  for c, label in ((columns[-2], "市公安局"), (columns[-1], "市人社局"))]
    return Registry(office="临沧市人民政府办公室", region="临沧市", websites=(city, *counties, *closed),
                    columns=tuple(columns), accounts=tuple(accounts), message_platforms=tuple(platforms))


def observation(entry: str, kind: str, check: str, findings: tuple[Finding, ...] = (), at: datetime = ROUND,
                figures: dict | None = None) -> Observation:
    return Observation(at=at, entry=entry, kind=kind, check=check, outcome="finding" if findings else "ok",
                       figures=figures or {}, findings=findings)


def seed_observations(registry: Registry) -> list[Observation]:
    obs = []
    for site in registry.websites:
        if site.status == "运行":
            obs.append(observation(site.id, "website", "homepage_freshness"))
            obs.append(observation(site.id, "website", "dead_links", (
                Finding("dead_link_homepage", "链接不可用", "deduction", "首页链接不可用", key=f"{site.url}old"),)))
        else:
            domain = site.url.split("www.")[1].rstrip("/")
            obs.append(observation(site.id, "website", "decommissioned_domain", (
                Finding("domain_still_registered", "应注销未注销已下线网站域名", "veto", f"{domain} 仍可查", key=domain),),
                figures={"domain": domain}))
    for column in registry.columns:
        obs.append(observation(column.id, "column", "column_freshness"))
        abbr = column.id.removeprefix("zfxxgk-")
        if abbr in PROBLEM_COLUMNS:
            _, check, code, indicator = PROBLEM_COLUMNS[abbr]
            finding = Finding(code, indicator, "veto", f"{indicator}（测试）", key=f"{column.url}a.html",
                              evidence=Evidence(url=f"{column.url}a.html"))
            obs.append(observation(column.id, "column", check, (finding,), at=EARLIER))
            obs.append(observation(column.id, "column", check, (finding,)))
    for account in registry.accounts:
        stale = (Finding("account_stale", "内容不更新", "veto", "14 天内无更新", key="stale"),)
        obs.append(observation(account.id, "account", "newmedia_freshness", stale if account.id == STALE_ACCOUNT else ()))
    return obs


def write_messages(content_dir: Path, registry: Registry) -> None:
    counts = {"市级": 26, **{label: n for _, _, label, n in COUNTIES}, "市公安局": 2, "市人社局": 0}
    units = [{"report_label": p.report_label, "platforms": 1, "platforms_without_data": 0,
              "received": counts[p.report_label], "on_time": counts[p.report_label], "overdue": 0, "open": 0,
              "completion_rate": 100.0 if counts[p.report_label] else None,
              "completion_rate_text": "100%" if counts[p.report_label] else "—"} for p in registry.message_platforms]
    total = sum(counts.values())
    front = {"schema": "govcensus.messages/1", "period": str(PERIOD), "units": units,
             "totals": {"platforms": len(units), "platforms_without_data": 0, "received": total, "on_time": total,
                        "overdue": 0, "open": 0, "completion_rate": 100.0, "completion_rate_text": "100%"}}
    path = content_dir / "messages" / f"{PERIOD}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n", encoding="utf-8")
