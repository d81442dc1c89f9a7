"""The fixture site with a quarter before it that matters: entries that failed then and now, one
fixed since, a per-day series, a repeated finding sentence and two accounts of the same name."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import yaml

REACHABILITY = "u" * 30 + "p" * 2 + "d" + "." * 3 + "u" * 55          # 91 days of 2020 Q2
FRESHNESS = ",".join([str(n % 9) for n in range(60)] + [""] * 31)


def edit(path: Path, change: Callable[[dict[str, Any]], None], to: Path | None = None) -> Path:
    """Rewrite a scorecard's front matter (keeping its body), in place or to another file."""
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    meta = yaml.safe_load(front)
    change(meta)
    target = to or path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body,
                      encoding="utf-8")
    return target


def make_two_quarters(content: Path) -> Path:
    cards = content / "scorecards"
    q1, q2 = cards / "2020Q1", cards / "2020Q2"

    def to_q1(meta: dict[str, Any]) -> None:
        meta.update(period="2020Q1", period_start="2020-01-01", period_end="2020-03-31",
                    as_of="2020-03-31T23:59:59+08:00")
    # col22 failed in both quarters: a repeat offender
    edit(q2 / "column" / "lc-zfxxgk-col22.md", to_q1, q1 / "column" / "lc-zfxxgk-col22.md")

    # the city portal failed in Q1 (site unreachable) and passes in Q2: fixed
    def failed_q1(meta: dict[str, Any]) -> None:
        meta["result"] = "fail"
        meta["vetoes"] = [{"item": "站点无法访问", "check": "reachability", "code": "site_unreachable",
                           "message": "7 天内首页访问失败 40/84 次"}]
        meta["findings"] = [{"check": "reachability", "code": "site_unreachable", "indicator": "站点无法访问",
                             "severity": "veto", "message": "7 天内首页访问失败 40/84 次",
                             "first_seen": "2020-02-01T09:00:00+08:00", "last_seen": "2020-02-07T09:00:00+08:00",
                             "evidence": {"url": "http://www.lincang.gov.cn/", "location": "首页", "snippet": ""},
                             "times_seen": 40}]
    edit(q1 / "website" / "5309000001.md", failed_q1)
    edit(q2 / "website" / "5309000001.md",
         lambda meta: meta.update(daily={"reachability": REACHABILITY, "freshness": FRESHNESS}))

    # the same sentence found on three pages of one column: shown once, with its count
    def repeated(meta: dict[str, Any]) -> None:
        first = meta["findings"][0]
        meta["findings"] += [{**first, "key": f"page-{n}",
                              "evidence": {**first["evidence"], "url": f"http://www.lincang.gov.cn/zfxxgk/nyncj/p{n}.html"}}
                             for n in (2, 3)]
    edit(q2 / "column" / "lc-zfxxgk-col14.md", repeated)

    # a second account named like wx-06 (临沧市民政局, 微信公众号), on 微博
    def weibo(meta: dict[str, Any]) -> None:
        meta["entry"].update(id="wb-06", platform="微博", url="http://rsshub.world.test/weibo/06")
    edit(q2 / "account" / "wx-06.md", weibo, q2 / "account" / "wb-06.md")
    return content
