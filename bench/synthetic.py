"""A synthetic national registry's scorecard files, for the site benchmarks (generated, never committed).

The shapes are the fixture quarter's real scorecards (tests/fixtures/scorecards/2020Q2), copied
under new ids, names, units and parents: each shape is dumped to YAML once and the copies are
made by replacing its id, name, unit, parent and quarter, so a fraction of the nation over eight
quarters (tens of thousands of files) is written in seconds.

The national registry (issue 12: ≈9 KB an entry makes a national quarter ≈1 GB, so ≈115,000
entries) is taken as 14,500 government websites, one 政府信息公开 column each, 100,000 new-media
accounts and 1,500 message platforms: 130,500 entries, a little above the issue's count.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "scorecards"

NATIONAL = (("website", 14_500), ("column", 14_500), ("account", 100_000), ("message_platform", 1_500))
NATIONAL_ENTRIES = sum(n for _, n in NATIONAL)
ENTRIES_PER_UNIT = 6
PROVINCES = ("北京市", "河北省", "山西省", "辽宁省", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省",
             "河南省", "湖北省", "湖南省", "广东省", "四川省", "贵州省", "云南省", "陕西省", "甘肃省", "青海省")
DEPARTMENTS = ("人民政府办公厅", "发展和改革委员会", "教育厅", "科学技术厅", "公安厅", "民政厅", "司法厅", "财政厅",
               "人力资源和社会保障厅", "自然资源厅", "生态环境厅", "住房和城乡建设厅", "交通运输厅", "水利厅",
               "农业农村厅", "商务厅", "文化和旅游厅", "卫生健康委员会", "审计厅", "统计局")
SHAPE_PERIOD = "2020Q2"
ID, NAME, UNIT, PARENT = "ZZIDZZ", "ZZNAMEZZ", "ZZUNITZZ", "ZZPARENTZZ"


@dataclass(frozen=True)
class Quarter:
    period: str
    start: date
    end: date


def quarters(count: int, last: str = "2021Q4") -> list[Quarter]:
    """`count` consecutive quarters ending with `last`, oldest first."""
    year, q = int(last[:4]), int(last[-1])
    result = []
    for _ in range(count):
        start = date(year, 3 * q - 2, 1)
        end = (date(year + (q == 4), (3 * q) % 12 + 1, 1)) - timedelta(days=1)
        result.append(Quarter(f"{year}Q{q}", start, end))
        year, q = (year, q - 1) if q > 1 else (year - 1, 4)
    return result[::-1]


def counts(fraction: float) -> dict[str, int]:
    """Entries of each kind in `fraction` of the national registry (at least one of each)."""
    return {kind: max(1, round(n * fraction)) for kind, n in NATIONAL}


def unit_name(n: int) -> str:
    province = PROVINCES[n % len(PROVINCES)]
    department = DEPARTMENTS[(n // len(PROVINCES)) % len(DEPARTMENTS)]
    return f"{province}{department}" + (f"第{n // 400 + 1}分局" if n >= 400 else "")


def shapes() -> dict[str, list[str]]:
    """Each fixture scorecard of the shape quarter as its file text, with placeholders to fill."""
    from govcensus_data.model import yaml_dumper, yaml_loader
    by_kind: dict[str, list[str]] = {}
    for path in sorted((FIXTURES / SHAPE_PERIOD).glob("*/*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.load(front, Loader=yaml_loader())
        entry = meta["entry"]
        entry.update(id=ID, name=NAME, unit=UNIT)
        if entry["kind"] == "website":
            entry["site_code"] = ID
        if entry["kind"] == "column":
            entry["parent"] = PARENT
        text = yaml.dump(meta, Dumper=yaml_dumper(), allow_unicode=True, sort_keys=False)
        by_kind.setdefault(entry["kind"], []).append(f"---\n{text}---\n{body}")
    return by_kind


def write_registry(root: Path, fraction: float, quarter_count: int, seed: int = 12) -> int:
    """Scorecard files for `fraction` of the nation over `quarter_count` quarters under `root`
    (content/scorecards layout); returns the number of files. Each entry is in every quarter,
    with a shape drawn per quarter, so results change between quarters as they do in life."""
    rng = random.Random(seed)
    by_kind = shapes()
    fixture = quarters(1, SHAPE_PERIOD)[0]
    kinds = counts(fraction)
    entries = sum(kinds.values())
    units = max(1, entries // ENTRIES_PER_UNIT)
    sites = [f"S{n:09d}" for n in range(kinds["website"])]
    written = 0
    for quarter in quarters(quarter_count):
        swaps = ((f"period: {fixture.period}\n", f"period: {quarter.period}\n"),
                 (f"period_start: '{fixture.start}'", f"period_start: '{quarter.start}'"),
                 (f"period_end: '{fixture.end}'", f"period_end: '{quarter.end}'"),
                 (f"as_of: '{fixture.end}T", f"as_of: '{quarter.end}T"))
        for kind, count in kinds.items():
            folder = root / quarter.period / kind
            folder.mkdir(parents=True, exist_ok=True)
            for n in range(count):
                entry_id = sites[n] if kind == "website" else f"{kind[:3]}-{n:07d}"
                unit = unit_name((n if kind == "website" else n // ENTRIES_PER_UNIT) % units)
                text = rng.choice(by_kind[kind])
                for old, new in swaps:
                    text = text.replace(old, new, 1)
                text = (text.replace(ID, entry_id).replace(NAME, f"{unit}{kind}{n}").replace(UNIT, unit)
                        .replace(PARENT, sites[n % len(sites)]))
                (folder / f"{entry_id}.md").write_text(text, encoding="utf-8")
                written += 1
    return written
