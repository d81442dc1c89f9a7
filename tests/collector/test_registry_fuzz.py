"""Malformed registries never crash `collector validate`: every one of several hundred deterministic
mutations (YAML, XLSX, CSV) ends in "valid" (exit 0) or located `error:` lines (exit 2), never a
traceback, never an unexpected failure, never a hang.

The cases are seeded mutations of the demo registry and of the office spreadsheet: truncations,
control characters, wrong types, deep nesting, impossible dates, unicode junk, typos in keys,
broken workbooks and CSV files in the encodings office software writes (and some it should not).
"""
from __future__ import annotations

import csv
import io
import random
import subprocess
import sys
import time
import zipfile
from collections import Counter
from datetime import datetime
from pathlib import Path

import openpyxl
import yaml
from click.testing import CliRunner

from collector.cli import main

ROOT = Path(__file__).resolve().parents[2]


def demo_excerpt() -> str:
    """The demo registry cut to a few entries of every kind (with what they refer to), so that the
    hundreds of runs stay fast; every kind of field and nesting is still there."""
    demo = yaml.safe_load((ROOT / "registry" / "lincang-demo.yaml").read_text(encoding="utf-8"))
    websites = demo["websites"][:2]
    sites = {w["site_code"] for w in websites}
    columns = [c for c in demo["columns"] if c["parent"] in sites][:3]
    owners = sites | {c["id"] for c in columns}
    excerpt = {"office": demo["office"], "region": demo["region"], "websites": websites, "columns": columns,
               "accounts": demo["accounts"][:3],
               "message_platforms": [p for p in demo["message_platforms"] if p["belongs_to"] in owners][:2]}
    return yaml.safe_dump(excerpt, allow_unicode=True, sort_keys=False, width=120)


DEMO = demo_excerpt()
HEADER = ["类型", "网站标识码", "标识", "名称", "主办单位", "级别", "网站类型", "首页网址", "所属网站", "平台", "订阅地址",
          "所属网站或专栏", "导出地址", "通报名称"]
ROWS = [
    ["网站", "5309000001", "", "临沧市人民政府", "临沧市人民政府办公室", "市级", "政府门户网站", "http://www.lincang.gov.cn/",
     "", "", "", "", "", ""],
    ["信息公开专栏", "", "lctjj", "统计局专栏", "临沧市统计局", "市级", "", "http://www.lincang.gov.cn/zfxxgk/tjj/",
     "5309000001", "", "", "", "", ""],
    ["政务新媒体", "", "wx-a", "临沧发布", "临沧市委宣传部", "市级", "", "", "", "微信公众号", "http://rsshub.world.test/wechat/a",
     "", "", ""],
    ["留言平台", "", "msg-city", "市长信箱", "临沧市人民政府办公室", "", "", "", "", "", "", "5309000001",
     "http://www.lincang.gov.cn/hdjl/export.csv", "市级"],
]
#: Values that are the wrong type, impossible or hostile wherever a registry value belongs.
BAD_VALUES = ["[1, 2]", "{a: b}", "123", "1.5e308", "null", "~", "true", "2020-13-45", "2020-02-30 25:61:00", "''",
              "!!binary aGVsbG8=", "*undefined_alias", "!!python/object/apply:os.system ['echo pwned']",
              "../../../../etc/passwd", "/proc/self/environ", "file:///etc/passwd", "'a\\x00b'", "\"\\uD800\"",
              "&x [*x]", "- a\n- b", "|\n  多行\n  文本", "'" + "长" * 5000 + "'", "\"\\u202e\\u200b\"", "!!int 'x'",
              "0x1F", "0o777", ".inf", "!!timestamp 2020-13-45"]
JUNK = ["\x00", "\x01", "\x07", "\x1b", "\x7f", "\x85", "\ufeff", "\u2028", "\u202e", "\ufffe", "\U0001F600", "　",
        "\t", "\r", "\\", "'", '"', ":", "- ", "? ", "{", "[", "&", "*", "!", "%", "@", "`", "#", "|", ">"]
SEED = 20200630


def yaml_cases(rng: random.Random) -> list[tuple[str, str, bytes]]:
    lines = DEMO.splitlines(keepends=True)
    cases: list[tuple[str, str, bytes]] = []

    def add(name: str, text: str | bytes) -> None:
        data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
        cases.append((f"yaml-{len(cases):03d}-{name}", ".yaml", data))

    encoded = DEMO.encode("utf-8")
    for _ in range(20):
        add("truncated", encoded[: rng.randrange(1, len(encoded))])
    for _ in range(25):
        at = rng.randrange(len(DEMO))
        add("junk", DEMO[:at] + rng.choice(JUNK) * rng.randint(1, 3) + DEMO[at:])
    value_lines = [i for i, line in enumerate(lines) if ": " in line]
    for value in BAD_VALUES:
        for _ in range(2):
            i = rng.choice(value_lines)
            key = lines[i].split(": ", 1)[0]
            add("value", "".join(lines[:i] + [f"{key}: {value}\n"] + lines[i + 1:]))
    for depth in (60, 500, 5000, 50000):
        at = rng.choice(value_lines)
        key = lines[at].split(": ", 1)[0]
        add("flow-deep", "".join(lines[:at] + [f"{key}: {'[' * depth}{']' * depth}\n"] + lines[at + 1:]))
        add("flow-open", "".join(lines[:at] + [f"{key}: {'{a: ' * depth}\n"] + lines[at + 1:]))
    for depth in (100, 400, 1200):
        add("block-deep", "office: x\nregion:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, depth)))
        add("list-deep", "office: x\nwebsites:\n" + "".join(" " * i + "-\n" for i in range(1, depth)))
    for _ in range(15):
        i = rng.choice(value_lines)
        key = lines[i].split(":", 1)[0]
        name = key.strip(" -")
        if len(name) > 2:
            cut = rng.randrange(len(name))
            add("typo", "".join(lines[:i] + [lines[i].replace(name, name[:cut] + name[cut + 1:], 1)] + lines[i + 1:]))
    for _ in range(10):
        i = rng.randrange(len(lines))
        add("indent", "".join(lines[:i] + [lines[i].lstrip(" ") if rng.random() < 0.5 else "\t" + lines[i]]
                              + lines[i + 1:]))
    for _ in range(10):
        data = bytearray(encoded)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        add("bytes", bytes(data))
    start = DEMO.index("accounts:\n") + len("accounts:\n")
    block = DEMO[start: DEMO.index("- id: ", start + 5)]
    add("duplicate-entry", DEMO.replace(block, block + block, 1))
    add("surrogate", DEMO.replace("临沧市人民政府门户网站", "\ud800", 1))
    for text in ["", "---\n", "...\n", "just a string\n", "- a\n- b\n", "office: x\n---\noffice: y\n", "%YAML 9.9\n---\na: 1\n",
                 "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
                 "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\nwebsites: [*d, *d, *d]\n",
                 "websites: &w [*w]\n", "? [a, b]\n: c\n", "office: !!set {a, b}\n", "{" * 10 + "\n",
                 "\ufeffoffice: x\nregion: y\n", "office: x\nregion: y\nwebsites:\n  - 5309000001\n",
                 "office: x\nregion: y\ncolumns: {id: a}\n", "office: x\nregion: y\nwebsites: [{columns: 5}]\n",
                 "office: x\nregion: y\nwebsites: [{columns: [[1]]}]\n", "\x00" * 64, "\xff\xfe"]:
        add("shape", text)
    return cases


def workbook_bytes(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_cases(rng: random.Random) -> list[tuple[str, str, bytes]]:
    cases: list[tuple[str, str, bytes]] = []

    def add(name: str, data: bytes) -> None:
        cases.append((f"xlsx-{len(cases):03d}-{name}", ".xlsx", data))

    cell_junk = [None, 5309000001, 5309000001.0, 1.5, -1, True, datetime(2020, 13 - 1, 28), "=1/0", "=A1", "#REF!",
                 "长" * 3000, "\u202e", " ", "网站", "其他", "../../x", "/etc/passwd", "5309000001\n", "\U0001F600"]
    for _ in range(25):
        rows = [list(HEADER)] + [list(r) for r in ROWS]
        for _ in range(rng.randint(1, 4)):
            r = rng.randrange(len(rows))
            rows[r][rng.randrange(len(HEADER))] = rng.choice(cell_junk)
        add("cells", workbook_bytes(rows))
    add("no-rows", workbook_bytes([]))
    add("header-only", workbook_bytes([HEADER]))
    add("duplicate-header", workbook_bytes([HEADER + ["名称"], *ROWS]))
    add("extra-cells", workbook_bytes([HEADER, ROWS[0] + ["多余", "多余"]]))
    add("none-header", workbook_bytes([[None, None, "名称"], ["a", "b", "c"]]))
    add("typo-header", workbook_bytes([["网站标示码", "网站名称"], ["5309000001", "a"]]))
    good = workbook_bytes([HEADER, *ROWS])
    for _ in range(6):
        add("truncated", good[: rng.randrange(1, len(good))])
    for _ in range(4):
        data = bytearray(good)
        for _ in range(rng.randint(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        add("bytes", bytes(data))
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    add("zip-without-workbook", other.getvalue())
    add("empty", b"")
    add("csv-named-xlsx", "网站标识码,网站名称\n".encode("utf-8"))
    return cases


def csv_bytes(rows: list[list], encoding: str) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding, "replace")


def csv_cases(rng: random.Random) -> list[tuple[str, str, bytes]]:
    cases: list[tuple[str, str, bytes]] = []

    def add(name: str, data: bytes) -> None:
        cases.append((f"csv-{len(cases):03d}-{name}", ".csv", data))

    rows = [HEADER, *ROWS]
    for encoding in ("utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be", "big5", "shift_jis",
                     "latin-1", "utf-32", "cp1252"):
        add(f"enc-{encoding}", csv_bytes(rows, encoding))
    good = csv_bytes(rows, "utf-8")
    for _ in range(10):
        add("truncated", good[: rng.randrange(1, len(good))])
    for _ in range(10):
        data = bytearray(good)
        for _ in range(rng.randint(1, 10)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        add("bytes", bytes(data))
    for _ in range(8):
        at = rng.randrange(len(good))
        add("junk", good[:at] + rng.choice(JUNK).encode("utf-8") * 3 + good[at:])
    add("nul", good.replace(b",", b"\x00", 3))
    add("unclosed-quote", good + b'"never closed,\n')
    add("huge-field", ("名称\n" + "长" * 200_000 + "\n").encode("utf-8"))
    add("mixed-encodings", good + csv_bytes(rows[1:], "gbk"))
    add("header-only", csv_bytes([HEADER], "utf-8"))
    add("empty", b"")
    add("cr-only", good.replace(b"\n", b"\r"))
    add("gbk-with-utf8-bom", b"\xef\xbb\xbf" + csv_bytes(rows, "gbk"))
    add("utf16-without-bom", csv_bytes(rows, "utf-16-le"))
    return cases


def all_cases() -> list[tuple[str, str, bytes]]:
    rng = random.Random(SEED)
    return yaml_cases(rng) + xlsx_cases(rng) + csv_cases(rng)


def check_output(name: str, exit_code: int, output: str) -> str | None:
    """Why a run is unacceptable, or None."""
    if exit_code not in (0, 2):
        return f"{name}: exit code {exit_code}: {output[-300:]!r}"
    if "Traceback" in output or "error: unexpected " in output:
        return f"{name}: {output[-300:]!r}"
    lines = output.splitlines()
    if exit_code == 2 and not (lines and all(l.startswith("error: ") for l in lines[:-1])
                               and lines[-1].split(" problem(s) in ")[0].isdigit()):
        return f"{name}: not located error lines: {output[-300:]!r}"
    if exit_code == 0 and not (len(lines) == 1 and ": valid — " in lines[0]):
        return f"{name}: exit 0 without the valid line: {output[-300:]!r}"
    return None


def test_the_cases_are_many_deterministic_and_of_every_kind(tmp_path):
    base = tmp_path / "excerpt.yaml"
    base.write_text(DEMO, encoding="utf-8")
    assert CliRunner().invoke(main, ["validate", str(base)]).exit_code == 0  # the base itself is valid
    cases = all_cases()
    again = all_cases()
    assert [c[:2] for c in cases] == [c[:2] for c in again]  # workbooks carry their save time; the rest is equal
    assert [c for c in cases if c[1] != ".xlsx"] == [c for c in again if c[1] != ".xlsx"]
    kinds = Counter(suffix for _, suffix, _ in cases)
    assert len(cases) >= 200 and kinds[".yaml"] >= 120 and kinds[".xlsx"] >= 30 and kinds[".csv"] >= 30


def test_no_malformed_registry_crashes_or_hangs_validate(tmp_path):
    runner = CliRunner()
    failures: list[str] = []
    outcomes: Counter[int] = Counter()
    started = time.monotonic()
    for name, suffix, data in all_cases():
        path = tmp_path / f"{name}{suffix}"
        path.write_bytes(data)
        one = time.monotonic()
        result = runner.invoke(main, ["validate", str(path)])
        if time.monotonic() - one > 10:  # each run takes milliseconds; ten seconds means it hangs
            failures.append(f"{name}: took {time.monotonic() - one:.1f} s")
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            failures.append(f"{name}: raised {result.exception!r}")
        problem = check_output(name, result.exit_code, result.output)
        if problem:
            failures.append(problem)
        outcomes[result.exit_code] += 1
    assert not failures, "\n".join(failures)
    assert outcomes[2] >= 180, outcomes  # the mutations really are malformed: most must be refused
    assert time.monotonic() - started < 120


def test_validate_in_a_real_process_answers_malformed_files_without_a_traceback(tmp_path):
    """A handful through the installed entry point's module, side by side (each process pays the imports)."""
    wanted = ("block-deep", "zip-without-workbook", "nul")
    picks = {case[0].split("-", 2)[2]: case for case in all_cases() if case[0].split("-", 2)[2] in wanted}
    assert sorted(picks) == sorted(wanted)
    running = []
    for name, suffix, data in picks.values():
        path = tmp_path / f"{name}{suffix}"
        path.write_bytes(data)
        running.append((name, subprocess.Popen([sys.executable, "-m", "collector.cli", "validate", str(path)], cwd=ROOT,
                                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)))
    for name, process in running:
        output, _ = process.communicate(timeout=120)
        assert process.returncode == 2, output
        problem = check_output(name, process.returncode, output)
        assert problem is None, problem
