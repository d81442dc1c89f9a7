"""Benchmark: the Pagefind search index (issue 10 item 3) — how long `make site`'s indexing step
takes and how big the index is, on the fixture quarter's real data files and on a synthetic
registry of 2,000 scorecards (bench/site_build.py's generator, in a temporary directory).
Reports the index's total size, what a first search downloads at least (entry file, wasm, language
meta) and the number of pages indexed.
Usage: .venv/bin/python bench/search.py [--sizes 2000] [--keep DIR]
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "bench"), str(REPO / "tests" / "site")]

from govcensus_site import build_site  # noqa: E402


def fixture_content(root: Path) -> Path:
    from conftest import make_content  # tests/site/conftest.py: the fixture site's content

    return make_content(root)


def synthetic_content(root: Path, total: int) -> Path:
    from site_build import make_content

    return make_content(root, total)[0]


def index(output: Path) -> tuple[float, int]:
    """Seconds to index `output` as `make site` does, and the pages indexed."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(output)], check=True,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - started
    pages = re.search(r"Indexed (\d+) pages", done.stdout)
    return seconds, int(pages.group(1)) if pages else 0


def sizes(bundle: Path) -> tuple[int, int]:
    """Total bytes of the index, and the bytes every first search loads (entry, wasm, language meta)."""
    total = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    first = (bundle / "pagefind-entry.json").stat().st_size + (bundle / "pagefind.js").stat().st_size
    first += sum(p.stat().st_size for p in bundle.glob("wasm.*.pagefind"))
    for language in entry.get("languages", {}).values():
        first += (bundle / f"pagefind.{language['hash']}.pf_meta").stat().st_size if \
            (bundle / f"pagefind.{language['hash']}.pf_meta").exists() else 0
    return total, first


def run(name: str, content: Path, output: Path) -> None:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        build_site(content, output)
    pages = sum(1 for _ in output.rglob("*.html"))
    seconds, indexed = index(output)
    total, first = sizes(output / "pagefind")
    print(f"\n{name}: {pages} HTML pages, {indexed} indexed")
    print(f"  indexing (python -m pagefind)   {seconds:7.2f} s")
    print(f"  index size                      {total / 1024 / 1024:7.2f} MB")
    print(f"  loaded by a first search        {first / 1024:7.1f} KB (then index chunks and fragments as needed)")
    key = re.sub(r"\W+", "_", name).strip("_").lower()
    print(f"RESULT search_index_seconds_{key} {seconds:.2f} s -")
    print(f"RESULT search_index_mb_{key} {total / 1024 / 1024:.2f} MB -")
    print(f"RESULT search_first_load_kb_{key} {first / 1024:.1f} KB -")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[2000])
    parser.add_argument("--keep", type=Path, default=None, help="keep the built sites in this folder")
    args = parser.parse_args()
    print("Search index (issue 10 item 3): Pagefind extended (Chinese segmentation) over the built site")
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        fixture = root / "fixture"
        shutil.rmtree(fixture, ignore_errors=True)
        run("fixture quarter", fixture_content(fixture), fixture / "output")
        for total in args.sizes:
            folder = root / f"synthetic-{total}"
            shutil.rmtree(folder, ignore_errors=True)
            run(f"synthetic {total}", synthetic_content(folder, total), folder / "output")


if __name__ == "__main__":
    main()
