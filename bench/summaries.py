"""Benchmark: observation history on disk (JSONL vs compacted Parquet) and the memory of a quarter's summary.

Issue 12 goals, each printed next to its measured figure:
  - a city (~120 entries, 24 reachability attempts a day + daily checks) commits <= 50 MB a year;
  - a national day (~61,500 entries, the issue's ≈160 MB of JSONL) stays under GitHub's 100 MB file limit;
  - a national quarter is summarised in <= 2 GB peak RSS.

Everything is generated here (a synthetic registry and observations shaped like the demo world's: the
same checks, figures and finding texts, a few per cent of entries with problems) in a temporary folder
and deleted afterwards; nothing is committed. The national day and quarter are too large for a CI
machine, so they are measured on samples and extrapolated, and the output says which figures are
extrapolated and how:
  - bytes per entry per day are measured on a full city day and on a national sample day; a national
    day's size is that figure times the national entry count;
  - summary memory is measured as peak RSS (ru_maxrss) of a child process summarising a sample
    registry's quarter (every day compacted, as in production) a small batch of entries at a time,
    for 30 days and for the quarter, and once all in one batch for comparison. A pass holds one
    batch's observations, whatever the period or registry size, so the national figure is: RSS before
    summarising + what the sample's pass added x BATCH_ENTRIES / the sample's batch + the registry's
    objects (tracemalloc on the sample) x the national entry count. Linear, so conservative.
  - the git history of a city also holds the open day's JSONL as it grew hour by hour; git packs those
    versions as deltas, so their cost is about the day log compressed (zlib, as in git packs).
Usage: .venv/bin/python bench/summaries.py [--city-entries 120] [--sample-entries 600] [--days 92]
"""
from __future__ import annotations

import argparse
import json
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zlib
from datetime import date, datetime, timedelta
from pathlib import Path

from collector.columnar import write_day
from collector.compact import compact
from collector.observations import Evidence, Finding, Observation
from collector.periods import CHINA_TZ, Period
from collector.registry import Account, DisclosureColumn, Registry, Website
from collector.store import ObservationStore
from collector.summarize.scorecards import BATCH_ENTRIES

NATIONAL_ENTRIES = 61_500  # the national registry: ≈160 MB of JSONL a day at ≈2.6 KB per entry
CITY_YEAR_GOAL_MB = 50
FILE_LIMIT_MB = 100
RSS_GOAL_MB = 2048
QUARTER = Period(2020, 2)


def registry(entries: int, seed: int = 1) -> Registry:
    """Websites, their disclosure columns and new-media accounts in the demo's proportions (1 : 4 : 6)."""
    rng = random.Random(seed)
    sites, columns, accounts = [], [], []
    n_sites = max(1, round(entries / 11))
    for s in range(n_sites):
        code = f"53{s:08d}"
        sites.append(Website(site_code=code, name=f"第{s}县人民政府门户网站", unit=f"第{s}县人民政府办公室",
                             level=rng.choice(["市级", "县级"]), site_kind="政府门户网站",
                             url=f"http://www{s}.example.gov.cn/"))
        for c in range(4):
            columns.append(DisclosureColumn(id=f"col-{s}-{c}", name=f"第{s}县第{c}局信息公开专栏",
                                            unit=f"第{s}县第{c}局", parent=code,
                                            url=f"http://www{s}.example.gov.cn/zfxxgk/{c}/"))
        for a in range(6):
            accounts.append(Account(id=f"wx-{s}-{a}", platform="微信公众号", name=f"第{s}县第{a}号公众号",
                                    unit=f"第{s}县第{a}局", feed=f"http://feeds.example.test/wx/{s}/{a}"))
    return Registry(office="某市人民政府办公室", region="某市", websites=tuple(sites), columns=tuple(columns),
                    accounts=tuple(accounts))


def day_observations(reg: Registry, day: date, rng: random.Random) -> list[Observation]:
    """One day of rounds: 24 reachability attempts per site and column, then the daily checks."""
    out: list[Observation] = []
    base = datetime(day.year, day.month, day.day, tzinfo=CHINA_TZ)
    targets = [(w.id, "website", w.url) for w in reg.websites] + [(c.id, "column", c.url) for c in reg.columns]
    for hour in range(24):
        for entry, kind, url in targets:
            failed = rng.random() < 0.02
            out.append(Observation(at=base + timedelta(hours=hour), entry=entry, kind=kind, check="reachability",
                                   outcome="unreachable" if failed else "ok",
                                   figures={"elapsed_ms": round(rng.uniform(15, 900), 1), "failed": failed,
                                            **({"error": "timeout"} if failed else {"status": 200})}))
    at = base + timedelta(hours=9)
    for w in reg.websites:
        age = rng.randint(0, 20)
        stale = (Finding("homepage_stale", "网站不更新", "veto", f"首页最新信息已 {age} 天未更新", key="homepage",
                         evidence=Evidence(url=w.url, location="首页", snippet="关于做好防汛工作的通知")),) if age > 14 else ()
        out.append(Observation(at=at, entry=w.id, kind="website", check="homepage_freshness",
                               outcome="finding" if stale else "ok", findings=stale,
                               figures={"age_days": age, "dated_items": rng.randint(10, 40), "judged_on": "首页",
                                        "newest_item": (day - timedelta(days=age)).isoformat(), "read_via": ["list"]}))
        out.append(Observation(at=at, entry=w.id, kind="website", check="column_freshness", outcome="ok", figures={
            "blank": 0, "by_column": [{"age_days": rng.randint(0, 30), "items": 20, "name": name, "newest":
                                       (day - timedelta(days=rng.randint(0, 30))).isoformat(), "read_via": ["list"],
                                       "state": "ok", "type": kind, "url": f"{w.url}{path}/"}
                                      for name, kind, path in (("今日要闻", "要闻动态", "xwzx/yw"),
                                                               ("通知公告", "通知公告", "zwgk/tzgg"),
                                                               ("政策文件", "政策文件", "zwgk/zcwj"),
                                                               ("政策解读", "政策解读", "zwgk/zcjd"))]}))
        out.append(Observation(at=at, entry=w.id, kind="website", check="footer_marks", outcome="ok",
                               figures={"icp": "滇ICP备05001234号", "police": "滇公网安备 53090202000123号",
                                        "site_code": w.id}))
    for c in reg.columns:
        age = rng.randint(0, 40)
        out.append(Observation(at=at, entry=c.id, kind="column", check="column_freshness",
                               outcome="finding" if age > 30 else "ok",
                               findings=(Finding("column_stale", "栏目不更新", "deduction", f"栏目已 {age} 天未更新",
                                                 key=c.url, evidence=Evidence(url=c.url)),) if age > 30 else (),
                               figures={"age_days": age, "items": 20, "newest": (day - timedelta(days=age)).isoformat(),
                                        "read_via": ["list"], "state": "ok"}))
        out.append(Observation(at=at, entry=c.id, kind="column", check="footer_marks", outcome="ok",
                               figures={"icp": "滇ICP备05001234号"}))
    for a in reg.accounts:
        age = rng.randint(0, 20)
        out.append(Observation(at=at, entry=a.id, kind="account", check="newmedia_freshness",
                               outcome="finding" if age > 14 else "ok",
                               findings=(Finding("account_stale", "内容不更新", "veto", "监测时间前 14 天内无更新",
                                                 key="stale"),) if age > 14 else (),
                               figures={"age_days": age, "posts_in_feed": 20, "posts_last_7_days": rng.randint(0, 9),
                                        "newest_post": (base - timedelta(days=age)).isoformat(),
                                        "recent_posts": [{"link": f"http://mp.example.test/s/{rng.getrandbits(48):x}",
                                                          "published": (base - timedelta(days=age)).isoformat(),
                                                          "title": "县人民政府召开常务会议研究部署重点工作"}]}))
        out.append(Observation(at=at, entry=a.id, kind="account", check="newmedia_posts", outcome="ok",
                               figures={"posts_checked": rng.randint(0, 5), "typos": 0, "serious": 0}))
    return out


def fill(store: ObservationStore, reg: Registry, days: list[date], seed: int = 7) -> None:
    """Append the days as rounds do (JSONL)."""
    rng = random.Random(seed)
    for day in days:
        store.append(day_observations(reg, day, rng))


def fill_compacted(store: ObservationStore, reg: Registry, days: list[date], seed: int = 7) -> None:
    """Write the days straight into their compacted form (the writer `collector compact` uses), which is
    what a quarter in production looks like by the time it is summarised."""
    rng = random.Random(seed)
    for day in days:
        path = store.compact_file(day)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_day(path, day_observations(reg, day, rng))


def disk_per_entry_day(reg: Registry, folder: Path, days: int) -> tuple[float, float, float]:
    """Bytes per entry per day as JSONL, as compacted Parquet, and as the JSONL zlib-compressed."""
    store = ObservationStore(folder)
    span = [date(2020, 6, 1) + timedelta(days=i) for i in range(days)]
    fill(store, reg, span)
    jsonl = sum(p.stat().st_size for p in folder.glob("*/*.jsonl"))
    packed = sum(len(zlib.compress(p.read_bytes(), 6)) for p in folder.glob("*/*.jsonl"))
    compact(store, before=span[-1] + timedelta(days=1))
    parquet = sum(p.stat().st_size for p in folder.glob("*/*.parquet"))
    n = len(list(reg.entries())) * days
    return jsonl / n, parquet / n, packed / n


CHILD = """
import gc, json, resource, sys, time
from pathlib import Path
sys.path.insert(0, {bench!r})
from summaries import registry
from collector.periods import Period, CHINA_TZ
from collector.profile import load_profile
from collector.store import ObservationStore
from collector.summarize.period import summarize_period
from datetime import datetime
reg = registry({entries})
profile = load_profile()
gc.collect()
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
until = datetime.fromisoformat({until!r})
start = time.perf_counter()
summarize_period(reg, ObservationStore({data!r}), Period(2020, 2), until, profile, Path({content!r}), until,
                 batch_entries={batch})
print(json.dumps({{"seconds": time.perf_counter() - start, "baseline_mb": baseline,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def summarise_in_child(entries: int, data: Path, content: Path, until: datetime, batch: int) -> dict:
    """Peak RSS (ru_maxrss) of a fresh process summarising the period up to `until`, and its RSS before."""
    shutil.rmtree(content, ignore_errors=True)
    shutil.copytree(Path(__file__).resolve().parents[1] / "content" / "circulars" / "templates",
                    content / "circulars" / "templates")
    code = CHILD.format(bench=str(Path(__file__).resolve().parent), entries=entries, until=until.isoformat(),
                        data=str(data), content=str(content), batch=batch)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def registry_bytes(entries: int) -> int:
    tracemalloc.start()
    kept = registry(entries)
    size = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del kept
    return size


def row(what: str, measured: str, goal: str, verdict: bool | None, note: str = "") -> None:
    mark = "n/a" if verdict is None else ("meets" if verdict else "MISSES")
    print(f"{what:<52} {measured:>18}   {goal:<21} {mark:<7} {note}")
    # The same figure as one line for bench/report.py (bench/README.md): name, number, unit, goal.
    number = re.match(r"[≈~]?(?P<value>[0-9][0-9,.]*)\s*(?P<unit>\S+)", measured)
    bound = re.match(r"(?P<op><=|<|>=|>)\s*(?P<value>[0-9][0-9,.]*)", goal)
    if number:
        name = re.sub(r"[^a-z0-9]+", "_", what.lower()).strip("_")
        print(f"RESULT {name} {number['value'].replace(',', '')} {number['unit']} "
              f"{bound['op'] + bound['value'].replace(',', '') if bound else '-'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--city-entries", type=int, default=120)
    parser.add_argument("--sample-entries", type=int, default=220, help="registry size of the summary sample")
    parser.add_argument("--days", type=int, default=91, help="days of the summarised quarter (<= 91)")
    parser.add_argument("--batch", type=int, default=40, help="entries a pass in the sample's summary")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="govcensus-bench-"))
    try:
        city = registry(args.city_entries)
        start = time.perf_counter()
        jsonl_city, parquet_city, packed_city = disk_per_entry_day(city, work / "city", 7)
        sample = registry(args.sample_entries, seed=2)
        jsonl_nat, parquet_nat, _ = disk_per_entry_day(sample, work / "national-day", 1)
        disk_seconds = time.perf_counter() - start
        n_city = len(list(city.entries()))
        print(f"Synthetic registries: city {n_city} entries; sample {len(list(sample.entries()))} entries "
              f"(national extrapolated to {NATIONAL_ENTRIES:,}). Generated in {work}, deleted afterwards.")
        print(f"{'figure':<52} {'measured':>18}   {'goal':<21} {'':<7} note")
        row("JSONL bytes per entry per day (city, 7 days)", f"{jsonl_city:,.0f} B", "(issue: ≈2.6 KB)", None)
        row("Parquet bytes per entry per day (city, 7 days)", f"{parquet_city:,.0f} B", "-", None,
            f"{jsonl_city / parquet_city:.1f}x smaller")
        # The append log's form, had days stayed JSONL (what the issue measured): for comparison, no goal;
        # the committed form, compacted, is the next row.
        row("city history per year if kept as JSONL", f"{jsonl_city * n_city * 365 / 1e6:,.1f} MB",
            "(before compaction)", None, f"goal {CITY_YEAR_GOAL_MB} MB applies to what is committed")
        city_year = parquet_city * n_city * 365 / 1e6
        row("city history committed per year, Parquet", f"{city_year:,.1f} MB", f"<= {CITY_YEAR_GOAL_MB} MB",
            city_year <= CITY_YEAR_GOAL_MB, "closed days compacted; the open day's JSONL is replaced daily")
        history = (parquet_city + packed_city) * n_city * 365 / 1e6
        row("city git history per year, Parquet + day logs", f"{history:,.1f} MB", f"<= {CITY_YEAR_GOAL_MB} MB",
            history <= CITY_YEAR_GOAL_MB, "the open day's JSONL versions, packed as deltas (≈ zlib)")
        row("national day as JSONL (one file)", f"{jsonl_nat * NATIONAL_ENTRIES / 1e6:,.0f} MB",
            "(the open day's log)", None, "extrapolated; compacted to Parquet when the day closes (next row)")
        nat_day = parquet_nat * NATIONAL_ENTRIES / 1e6
        row("national day, Parquet (one file)", f"{nat_day:,.1f} MB", f"< {FILE_LIMIT_MB} MB/file",
            nat_day < FILE_LIMIT_MB, "extrapolated; off the main branch (docs/scale.md)")
        row("national year, Parquet", f"{nat_day * 365 / 1e3:,.1f} GB", "off main branch", None,
            "release assets per day (docs/scale.md)")

        days = min(args.days, 91)
        span = [QUARTER.start + timedelta(days=i) for i in range(days)]
        store = ObservationStore(work / "quarter")
        start = time.perf_counter()
        fill_compacted(store, sample, span)
        fill_seconds = time.perf_counter() - start
        n_sample = len(list(sample.entries()))
        batch = args.batch
        month = summarise_in_child(args.sample_entries, store.root, work / "content-month",
                                   datetime.combine(span[min(29, days - 1)], datetime.max.time(), CHINA_TZ), batch)
        quarter = summarise_in_child(args.sample_entries, store.root, work / "content-quarter",
                                     datetime.combine(span[-1], datetime.max.time(), CHINA_TZ), batch)
        whole = summarise_in_child(args.sample_entries, store.root, work / "content-whole",
                                   datetime.combine(span[-1], datetime.max.time(), CHINA_TZ), 0)
        per_entry_reg = registry_bytes(args.sample_entries) / n_sample / 2**20
        held = max(quarter["peak_rss_mb"] - quarter["baseline_mb"], 0.0)
        # production holds BATCH_ENTRIES entries a pass; the sample held `batch`: scale what the batch added
        national_rss = (quarter["baseline_mb"] + held * BATCH_ENTRIES / batch
                        + per_entry_reg * (NATIONAL_ENTRIES - n_sample))
        obs_quarter = sum(1 for _ in store.read(span[-1], span[-1])) * days
        print(f"Summary sample: {n_sample} entries x {days} compacted days (≈{obs_quarter:,} observations; "
              f"written in {fill_seconds:.0f} s), {batch} entries a pass")
        row("peak RSS, summarising 30 days of the sample", f"{month['peak_rss_mb']:,.0f} MB", f"<= {RSS_GOAL_MB} MB",
            month["peak_rss_mb"] <= RSS_GOAL_MB, f"{month['seconds']:.0f} s; {month['baseline_mb']:.0f} MB before")
        row("peak RSS, summarising the sample's quarter", f"{quarter['peak_rss_mb']:,.0f} MB",
            f"<= {RSS_GOAL_MB} MB", quarter["peak_rss_mb"] <= RSS_GOAL_MB,
            f"{quarter['seconds']:.0f} s; {quarter['baseline_mb']:.0f} MB before")
        row("peak RSS, the sample's quarter all in one batch", f"{whole['peak_rss_mb']:,.0f} MB", "(for scale)", None,
            f"{whole['seconds']:.0f} s: what holding every entry at once costs")
        row("peak RSS, national quarter", f"{national_rss:,.0f} MB", f"<= {RSS_GOAL_MB} MB",
            national_rss <= RSS_GOAL_MB,
            f"extrapolated: before + {held:.0f} MB x {BATCH_ENTRIES}/{batch} entries a pass + registry objects")
        per_entry_s = quarter["seconds"] / n_sample * 91 / days
        row("wall time, national quarter summary", f"{per_entry_s * NATIONAL_ENTRIES / 3600:,.1f} h", "-", None,
            f"extrapolated: {per_entry_s * 1000:.0f} ms per entry-quarter on this machine, one process")
        print(f"(disk figures measured in {disk_seconds:.0f} s. Before streaming, summaries held ≈1.1 KB per "
              f"observation: {obs_quarter * 91 / days * NATIONAL_ENTRIES / n_sample * 1.1e3 / 2**30:,.0f} GB "
              f"for a national quarter of these observations)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
