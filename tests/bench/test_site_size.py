"""bench/site_size.py and bench/synthetic.py: a synthetic registry over quarters, measured by part of the site."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))

from site_size import FIXED, part_of, tar_bytes  # noqa: E402
from synthetic import NATIONAL_ENTRIES, counts, quarters, write_registry  # noqa: E402

from govcensus_site import load_scorecards  # noqa: E402


def test_quarters_run_consecutively_to_the_last_one():
    assert [q.period for q in quarters(5, "2021Q1")] == ["2020Q1", "2020Q2", "2020Q3", "2020Q4", "2021Q1"]
    q4 = quarters(1, "2020Q4")[0]
    assert (str(q4.start), str(q4.end)) == ("2020-10-01", "2020-12-31")


def test_the_synthetic_registry_is_a_fraction_of_the_nation_in_every_quarter(tmp_path):
    kinds = counts(0.001)
    assert NATIONAL_ENTRIES == 130_500 and kinds == {"website": 14, "column": 14, "account": 100, "message_platform": 2}
    assert write_registry(tmp_path, 0.001, 2) == 2 * 130
    cards = load_scorecards(tmp_path)  # the site's own loader reads every file
    assert {c.period for c in cards} == {"2021Q3", "2021Q4"} and len({c.id for c in cards}) == 130
    columns = [c for c in cards if c.kind == "column"]
    assert {c.entry.parent for c in columns} <= {c.id for c in cards if c.kind == "website"}


def test_files_are_counted_in_the_part_of_the_site_they_belong_to():
    latest = "2021Q4"
    assert part_of("scorecards/2021Q4/S000000001.html", latest) == "current quarter's scorecard pages"
    assert part_of("scorecards/2021Q3/index-2.html", latest) == "past quarters' compact lists"
    assert part_of("scorecards/index-3.html", latest) == part_of("units/u1.html", latest)
    assert part_of("data/latest/entries.csv", latest) == part_of("data/2021Q4/entries.json", latest)
    assert part_of("data/2020Q1/entries.csv.gz", latest) == "open data, past quarters"
    assert part_of("theme/css/site.css", latest) == part_of("methodology.html", latest) == FIXED
    assert (tar_bytes(0), tar_bytes(1), tar_bytes(512), tar_bytes(513)) == (512, 1024, 1024, 1536)


def test_the_benchmark_builds_and_reports_every_figure_with_its_goal():
    done = subprocess.run([sys.executable, str(REPO / "bench" / "site_size.py"), "--fraction", "0.0003",
                           "--quarters", "3", "--workers", "1"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    results = {line.split()[1]: line.split()[2:] for line in done.stdout.splitlines() if line.startswith("RESULT ")}
    assert set(results) >= {"site_full_page_kb", "site_past_quarter_kb_per_entry", "site_national_quarter_mb",
                            "site_national_two_years_mb", "site_largest_page_kb"}
    assert results["site_national_two_years_mb"][1:] == ["MB", "<=1000"]
    assert float(results["site_past_quarter_kb_per_entry"][0]) < float(results["site_full_page_kb"][0])
    assert "past quarters' compact lists" in done.stdout
