"""Benchmark: what the masking gate costs on the hot path (making and reading observations).

Every Observation and Finding passes govcensus_data.masking as it is made and as it is read back from
JSONL, so the summaries pay it once per stored line. This builds a day of realistic lines (mostly
number-free text, a few with IDs and mobiles), then times reading them back with the gate and with
the gate replaced by the identity, cold (empty cache) and warm.
Usage: .venv/bin/python bench/masking.py [--lines 20000]
"""
from __future__ import annotations

import argparse
import time
from datetime import datetime, timedelta

import collector.observations as observations
from collector.observations import Evidence, Finding, Observation
from collector.periods import CHINA_TZ
from govcensus_data import masking


def sample_lines(n: int) -> list[str]:
    start = datetime(2020, 6, 30, tzinfo=CHINA_TZ)
    lines = []
    for i in range(n):
        at = start + timedelta(seconds=i)
        if i % 10 == 0:  # a crawl check: many figures, a few findings, some with personal numbers
            findings = tuple(Finding("dead_link", "链接不可用", "deduction", f"首页链接不可用（HTTP 404）{j}",
                                     key=f"http://www.lincang.gov.cn/art/2020/6/{j}/art_{i}_{j}.html",
                                     evidence=Evidence(url=f"http://www.lincang.gov.cn/art/2020/6/{j}/art_{i}_{j}.html",
                                                       location=f"首页，链接文字「关于张三 1381234{j:04d} 的公示」",
                                                       snippet="4xx: HTTP 404"))
                             for j in range(5))
            figures = {"by_class": {"4xx": 5, "ok": 300}, "pages": [f"http://www.lincang.gov.cn/p/{k}.html" for k in range(30)],
                       "newest_title": "临沧市2020年第二季度政府网站检查情况", "age_days": 3}
        else:  # reachability and freshness: small, number-free
            findings = ()
            figures = {"status": 200, "elapsed_ms": 12.5, "newest_item": "2020-06-29", "judged_on": "首页"}
        lines.append(Observation(at=at, entry=f"53090{i % 100:05d}", kind="website", check="reachability",
                                 outcome="ok", figures=figures, findings=findings).to_json())
    return lines


def read_all(lines: list[str]) -> float:
    started = time.process_time()
    for line in lines:
        Observation.from_json(line)
    return time.process_time() - started


def best(runs: int, measure) -> float:
    """Least CPU time of several runs: the machine is shared, the minimum is the least disturbed."""
    return min(measure() for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    lines = sample_lines(args.lines)

    def cold() -> float:
        masking._mask_text.cache_clear()
        return read_all(lines)

    cold_s = best(args.runs, cold)
    warm_s = best(args.runs, lambda: read_all(lines))
    gate = (observations.mask_text, observations.mask_value)
    observations.mask_text, observations.mask_value = (lambda s: s), (lambda v: v)
    try:
        bare_s = best(args.runs, lambda: read_all(lines))
    finally:
        observations.mask_text, observations.mask_value = gate
    per = 1e6 / len(lines)
    print(f"{len(lines)} lines read back (best of {args.runs}, CPU time): gate cold {cold_s * per:.1f} µs/line, "
          f"warm {warm_s * per:.1f} µs/line, no gate {bare_s * per:.1f} µs/line; the gate adds "
          f"{(cold_s - bare_s) * per:.1f} µs/line cold, {(warm_s - bare_s) * per:.1f} µs/line warm")


if __name__ == "__main__":
    main()
