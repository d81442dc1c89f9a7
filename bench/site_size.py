"""Benchmark: the published site's size for a national registry over two years, against Pages' 1 GB cap.

Writes a fraction of a synthetic national registry (bench/synthetic.py: 130,500 entries a quarter)
over eight quarters into a temporary folder, builds it with Pelican and our plugin as `make site`
does, and measures the output by what it is: the current quarter's full scorecard pages, each past
quarter's compact list (govcensus_site/archive.py), the lists and unit pages, the open data per
quarter, the units' Atom feeds, the search index (Pagefind, as `make site` builds it) and the rest
(theme, staff pages). Everything but the rest grows with the number of entries, so the national
figure is each of those divided by the fraction, plus the rest as measured: an extrapolation, linear
by construction, and said so.

The site is built with `GOVCENSUS_SCALE = "national"` (govcensus_site/scale.py) unless `--scale city`
asks for a city's defaults (every filter page, feeds of every quarter, plain open data): the "before"
of docs/scale.md.

Two sizes: the files' bytes, and what a tar of the site takes (GitHub Pages is deployed as a tar
artifact: 512 bytes of header per file and every file padded to 512 bytes). The goal is judged on
the larger, the tar.
Usage: .venv/bin/python bench/site_size.py [--fraction 0.025] [--quarters 8] [--scale city|national]
       [--no-search] [--keep DIR]
"""
from __future__ import annotations

import argparse
import contextlib
import io
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from govcensus_site import build_site  # noqa: E402
from govcensus_site.parallel import default_workers  # noqa: E402
from synthetic import NATIONAL_ENTRIES, counts, quarters, write_registry  # noqa: E402

CAP_MB = 1000          # GitHub Pages: "published sites may be no larger than 1 GB" (taken as 10^9 bytes)
PAGE_GOAL_KB = 200     # govcensus_site/pagination.py: no page of a national site past ≈200 KB
BLOCK = 512
FIXED = "rest (theme, staff pages, methodology, circulars feed)"


def tar_bytes(size: int) -> int:
    return BLOCK + -(-size // BLOCK) * BLOCK


def part_of(relative: str, latest: str) -> str:
    """Which part of the site a file belongs to."""
    parts = relative.split("/")
    if parts[0] == "scorecards" and len(parts) > 2:
        return "current quarter's scorecard pages" if parts[1] == latest else "past quarters' compact lists"
    if parts[0] == "scorecards" or parts[0] == "units":
        return "scorecard index and unit pages"
    if parts[0] == "data" and len(parts) > 2:
        return "open data, current quarter" if parts[1] in (latest, "latest") else "open data, past quarters"
    if parts[0] == "pagefind":
        return "search index"
    if parts[:2] == ["feeds", "units"]:
        return "units' Atom feeds"
    if relative == "sitemap.xml":
        return "scorecard index and unit pages"
    return FIXED


def measure(output: Path, latest: str) -> tuple[dict[str, list[int]], tuple[int, str]]:
    """Per part: [files, bytes, tar bytes]; and the largest HTML page."""
    sizes: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    largest = (0, "")
    for path in output.rglob("*"):
        if not path.is_file():
            continue
        relative = path.relative_to(output).as_posix()
        size = path.stat().st_size
        part = sizes[part_of(relative, latest)]
        part[0] += 1
        part[1] += size
        part[2] += tar_bytes(size)
        if path.suffix == ".html" and size > largest[0]:
            largest = (size, relative)
    return sizes, largest


def result(name: str, value: float, unit: str, goal: str) -> None:
    print(f"RESULT {name} {value:.2f} {unit} {goal}" if value < 10 else f"RESULT {name} {value:.1f} {unit} {goal}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fraction", type=float, default=0.025, help="share of the national registry to build")
    parser.add_argument("--quarters", type=int, default=8, help="quarters of history (two years: 8)")
    parser.add_argument("--workers", type=int, default=default_workers(), help="build worker processes")
    parser.add_argument("--keep", type=Path, help="copy the generated content and output here")
    parser.add_argument("--latest-copy", action="store_true",
                        help="keep data/latest/ (a city's default; a national site sets GOVCENSUS_OPEN_DATA_LATEST off)")
    parser.add_argument("--scale", choices=("city", "national"), default="national",
                        help="GOVCENSUS_SCALE of the build (city: the levers of scale.py off, the 'before')")
    parser.add_argument("--no-search", action="store_true", help="leave out the Pagefind index (faster)")
    args = parser.parse_args()
    settings = {"GOVCENSUS_BUILD_WORKERS": args.workers, "GOVCENSUS_FULL_QUARTERS": 1,
                "GOVCENSUS_OPEN_DATA_LATEST": args.latest_copy, "GOVCENSUS_SCALE": args.scale}
    logging.disable(logging.WARNING)
    root = Path(tempfile.mkdtemp(prefix="site-size-"))
    try:
        content = root / "content"
        shutil.copytree(REPO / "content" / "pages", content / "pages")
        shutil.copytree(REPO / "content" / "notices", content / "notices")
        started = time.perf_counter()
        files = write_registry(content / "scorecards", args.fraction, args.quarters)
        written = time.perf_counter() - started
        entries = sum(counts(args.fraction).values())
        started = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            output = build_site(content, root / "output", settings=settings)
        built = time.perf_counter() - started
        indexed = 0.0
        if not args.no_search:  # as `make site` does after Pelican
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "pagefind", "--site", str(output), "--quiet"], check=True)
            indexed = time.perf_counter() - started
        latest = quarters(args.quarters)[-1].period
        sizes, (largest, largest_page) = measure(output, latest)
        scale = NATIONAL_ENTRIES / entries
        print(f"Site size (issue 12 item 5): {entries:,} entries a quarter ({entries / NATIONAL_ENTRIES:.1%} of "
              f"{NATIONAL_ENTRIES:,}) x {args.quarters} quarters = {files:,} scorecard files (written in "
              f"{written:.0f} s), built in {built:.0f} s with {args.workers} worker(s), search index in "
              f"{indexed:.0f} s; load average {os.getloadavg()[0]:.1f}. Settings: GOVCENSUS_SCALE={args.scale}, "
              f"GOVCENSUS_FULL_QUARTERS=1, GOVCENSUS_OPEN_DATA_LATEST={args.latest_copy}.")
        print(f"  {'part':48} {'files':>8} {'MB':>9} {'tar MB':>9} {'B/entry':>9} {'national MB':>12}")
        national = national_tar = 0.0
        for part in sorted(sizes):
            count, size, tarred = sizes[part]
            factor = 1 if part == FIXED else scale
            national += size * factor
            national_tar += tarred * factor
            per_entry = "-" if part == FIXED else f"{size / entries:,.0f}"
            print(f"  {part:48} {count:8,} {size / 1e6:9.2f} {tarred / 1e6:9.2f} {per_entry:>9} "
                  f"{tarred * factor / 1e6:12,.0f}")
        current = sizes["current quarter's scorecard pages"]
        past = sizes["past quarters' compact lists"]
        past_data = sizes["open data, past quarters"]
        past_quarters = max(1, args.quarters - 1)
        full_page = current[1] / max(1, current[0])
        # A quarter kept whole: its pages and one copy of its open data, as the current quarter has them.
        full_quarter_tar = current[2] + sizes["open data, current quarter"][2] / (2 if args.latest_copy else 1)
        feeds = sizes.get("units' Atom feeds", [0, 0, 0])
        print(f"  national, {args.quarters} quarters: {national / 1e6:,.0f} MB of files, {national_tar / 1e6:,.0f} MB "
              f"as a tar (extrapolated: every part but the rest x {scale:.1f}); goal <= {CAP_MB} MB: "
              f"{'MET' if national_tar / 1e6 <= CAP_MB else 'NOT MET'}")
        print(f"  a full scorecard page: {full_page / 1e3:.1f} KB on average; a past quarter costs "
              f"{(past[2] + past_data[2]) / past_quarters / entries / 1e3:.2f} KB an entry "
              f"(compact list + open data, tar); every quarter kept full would be ≈"
              f"{full_quarter_tar * scale * args.quarters / 1e9:.1f} GB (pages and open data x {args.quarters})")
        print(f"  largest page {largest / 1024:.1f} KB ({largest_page}); goal <= {PAGE_GOAL_KB} KB")
        search = sizes.get("search index")
        if search is None:
            print("  search index: none in this build (--no-search); not counted above")
        result("site_full_page_kb", full_page / 1e3, "KB", "-")
        result("site_past_quarter_kb_per_entry", (past[2] + past_data[2]) / past_quarters / entries / 1e3, "KB", "-")
        result("site_national_quarter_mb", (national_tar - (past[2] + past_data[2]) * scale) / 1e6, "MB", "-")
        result("site_national_two_years_mb", national_tar / 1e6, "MB", f"<={CAP_MB}")
        result("site_largest_page_kb", largest / 1024, "KB", f"<={PAGE_GOAL_KB}")
        if search is not None:
            result("site_search_index_national_mb", search[2] * scale / 1e6, "MB", "-")
        result("site_unit_feeds_national_mb", feeds[2] * scale / 1e6, "MB", "-")
    finally:
        if args.keep:
            shutil.copytree(root, args.keep / root.name)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
