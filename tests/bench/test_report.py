"""bench/report.py: every benchmark's RESULT lines become one table of figures next to their goals."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))

from report import parse, rows_of  # noqa: E402


def test_result_lines_are_read_and_judged_against_their_goals():
    text = ("human text\nRESULT fetch_cpu_per_url_ms 0.42 ms <=0.5\nRESULT site_mb 1,474.3 MB <1000\n"
            "RESULT wall_h 1.7 h -\nRESULT odd 3 s about-two\n  RESULT indented 5 x >=5\nRESULTS not 1 a -\n")
    figures = {f.name: f for f in parse("b", text)}
    assert list(figures) == ["fetch_cpu_per_url_ms", "site_mb", "wall_h", "odd", "indented"]
    assert [f.met for f in figures.values()] == ["yes", "NO", "-", "? (goal not understood)", "yes"]
    assert figures["site_mb"].value == "1,474.3" and figures["site_mb"].unit == "MB"


def test_a_failed_benchmark_and_one_without_figures_are_rows_not_silence():
    rows = rows_of([("good", 0, parse("good", "RESULT a 1 s <=2")), ("crashed", 1, []), ("quiet", 0, [])])
    assert rows == [("a (good)", "1 s", "<=2", "yes"), ("crashed failed", "exit 1", "exit 0", "NO"),
                    ("quiet: no RESULT line", "see its text above", "-", "-")]


def test_the_runner_shows_each_benchmarks_text_and_ends_with_the_table(tmp_path):
    ok = tmp_path / "ok.py"
    ok.write_text('print("measuring")\nprint("RESULT speed_ms 0.7 ms <=0.5")\n', encoding="utf-8")
    broken = tmp_path / "broken.py"
    broken.write_text('raise SystemExit("no data")\n', encoding="utf-8")
    done = subprocess.run([sys.executable, str(REPO / "bench" / "report.py"), str(ok), str(broken)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1  # a benchmark failed
    before, table = done.stdout.split("===== issue 12 figures =====")
    assert "measuring" in before and "no data" in before
    lines = table.strip().splitlines()
    assert lines[0].split(" | ")[0].strip() == "figure" and "met?" in lines[0]
    assert any(line.startswith("speed_ms (ok)") and line.rstrip().endswith("NO") for line in lines)
    assert any(line.startswith("broken failed") for line in lines)
