"""`make bench`: run every benchmark, show its own text, and end with one table of every figure next to its goal.

Each benchmark prints, besides its human text, one line per figure (bench/README.md):

    RESULT <name> <value> <unit> <goal>      e.g.  RESULT fetch_cpu_per_url_ms 0.42 ms <=0.5

where the goal is `<=x`, `<x`, `>=x`, `>x` or `-` (a figure with no goal). This runner collects those
lines from the benchmarks' output as they run, and prints the table "figure | measured | goal | met?".
A benchmark that fails, or prints no RESULT line, is a row of the table too, never silently left out.
Usage: .venv/bin/python bench/report.py [bench/x.py ...]   (default: every benchmark, in BENCHES order)
"""
from __future__ import annotations

import operator
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
BENCHES = ("transport.py", "round.py", "demo_replay.py", "detectors_precision.py", "masking.py", "messages_export.py",
           "site_build.py", "site_size.py", "search.py", "summaries.py")
LINE = re.compile(r"^RESULT\s+(?P<name>\S+)\s+(?P<value>-?[0-9][0-9.,]*|nan)\s+(?P<unit>\S+)\s+(?P<goal>\S+)\s*$")
GOAL = re.compile(r"^(?P<op><=|>=|<|>|==)(?P<bound>-?[0-9][0-9.,]*)$")
COMPARE = {"<=": operator.le, "<": operator.lt, ">=": operator.ge, ">": operator.gt, "==": operator.eq}


@dataclass(frozen=True)
class Figure:
    bench: str
    name: str
    value: str
    unit: str
    goal: str

    @property
    def met(self) -> str:
        """yes / NO against the goal; "-" when the figure has none; "?" when the goal cannot be read."""
        if self.goal == "-":
            return "-"
        match = GOAL.match(self.goal)
        if not match:
            return "? (goal not understood)"
        try:
            value = float(self.value.replace(",", ""))
        except ValueError:
            return "? (no value)"
        return "yes" if COMPARE[match["op"]](value, float(match["bound"].replace(",", ""))) else "NO"


def parse(bench: str, text: str) -> list[Figure]:
    """The RESULT lines of one benchmark's output."""
    return [Figure(bench, m["name"], m["value"], m["unit"], m["goal"])
            for m in (LINE.match(line.strip()) for line in text.splitlines()) if m]


def run(script: Path) -> tuple[int, str, float]:
    """Run one benchmark with this interpreter, echoing its output as it comes; (exit code, output, seconds)."""
    print(f"\n===== {script.name} =====", flush=True)
    started = time.perf_counter()
    lines = []
    with subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, bufsize=1) as process:
        assert process.stdout is not None
        for line in process.stdout:
            print(line, end="", flush=True)
            lines.append(line)
    return process.returncode, "".join(lines), time.perf_counter() - started


def table(rows: list[tuple[str, str, str, str]]) -> str:
    head = ("figure", "measured", "goal", "met?")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(4)]
    out = [" | ".join(h.ljust(w) for h, w in zip(head, widths)), "-+-".join("-" * w for w in widths)]
    out += [" | ".join(c.ljust(w) for c, w in zip(r, widths)) for r in rows]
    return "\n".join(out)


def rows_of(results: list[tuple[str, int, list[Figure]]]) -> list[tuple[str, str, str, str]]:
    rows = []
    for bench, code, figures in results:
        for f in figures:
            rows.append((f"{f.name} ({bench})", f"{f.value} {f.unit}", f.goal, f.met))
        if code != 0:
            rows.append((f"{bench} failed", f"exit {code}", "exit 0", "NO"))
        elif not figures:
            rows.append((f"{bench}: no RESULT line", "see its text above", "-", "-"))
    return rows


def main(argv: list[str]) -> int:
    scripts = [Path(a) for a in argv] or [BENCH / name for name in BENCHES]
    results = []
    for script in scripts:
        code, output, seconds = run(script)
        results.append((script.stem, code, parse(script.stem, output)))
        print(f"({script.name}: {seconds:.0f} s)", flush=True)
    rows = rows_of(results)
    print("\n===== issue 12 figures =====")
    print(table(rows))
    missed = sum(r[3] == "NO" for r in rows)
    print(f"{len(rows)} rows, {sum(r[3] == 'yes' for r in rows)} goals met, {missed} not met")
    return 1 if any(code != 0 for _, code, _ in results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
