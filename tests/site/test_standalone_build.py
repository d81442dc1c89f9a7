"""The site builds from data alone: content/ (with the catalogue `collector summarize` writes), the
theme, the Pelican settings and the plugin, copied to a folder with no collector code beside them."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import lxml.html

REPO = Path(__file__).resolve().parents[2]

# Until the shared data package (atomic writes, the masking gate) leaves the collector, these two
# collector modules are the ONLY ones the site may import; with them come what they import
# themselves (the package, and the masking gate's number patterns), computed below in a clean
# interpreter. Once govcensus_data holds them, this list becomes empty.
ALLOWED_COLLECTOR_MODULES = ("collector.atomic", "collector.masking")

BUILD = """
import importlib.abc, json, sys
allowed = set(json.loads(sys.argv[1]))

class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if (name == "collector" or name.startswith("collector.")) and name not in allowed:
            raise ImportError(f"the site imported {name}, which is collector code")
        return None

sys.meta_path.insert(0, Refuse())
from govcensus_site import build_site
build_site(sys.argv[2], sys.argv[3])
print(json.dumps(sorted(m for m in sys.modules if m == "collector" or m.startswith("collector."))))
"""


def closure_of_allowed() -> list[str]:
    """The collector modules importing exactly the allowed ones brings in, in a fresh interpreter."""
    code = ("import json, sys\n" + "".join(f"import {m}\n" for m in ALLOWED_COLLECTOR_MODULES)
            + "print(json.dumps(sorted(m for m in sys.modules if m == 'collector' or m.startswith('collector.'))))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_the_site_builds_from_a_copied_content_folder_without_importing_the_collector(tmp_path, content_dir):
    allowed = closure_of_allowed()
    assert set(ALLOWED_COLLECTOR_MODULES) <= set(allowed) and "collector.checks" not in allowed
    site = tmp_path / "site"
    shutil.copytree(content_dir, site / "content")
    shutil.copytree(REPO / "theme", site / "theme")
    shutil.copytree(REPO / "govcensus_site", site / "govcensus_site", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pelicanconf.py", site / "pelicanconf.py")
    for module in allowed:  # only the allowed modules' files travel with the site
        parts = module.split(".")
        source = REPO.joinpath(*parts)
        source = source / "__init__.py" if source.is_dir() else source.with_suffix(".py")
        target = site / source.relative_to(REPO)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(site)
    run = subprocess.run([sys.executable, "-c", BUILD, json.dumps(allowed), str(site / "content"),
                          str(site / "output")], cwd=site, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    imported = json.loads(run.stdout.strip().splitlines()[-1])
    assert set(imported) <= set(allowed)

    methodology = lxml.html.fromstring((site / "output" / "methodology.html").read_text(encoding="utf-8"))
    text = methodology.text_content()
    assert "网站基本信息标识" in text and "失败比例上限" in text and "5%" in text
    footer = methodology.xpath('//section[@aria-labelledby="h-m-footer_marks"]//h3')[0].text_content()
    assert footer == "网站基本信息标识"
    assert (site / "output" / "scorecards" / "index.html").is_file()


def test_the_plugin_refuses_collector_imports_in_its_source():
    """The same rule read from the source, so a new import is caught before any build runs."""
    offending = []
    for path in sorted((REPO / "govcensus_site").glob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            words = line.split()
            if len(words) >= 2 and words[0] in ("import", "from") and words[1].split(".")[0] == "collector":
                module = words[1]
                if module not in ALLOWED_COLLECTOR_MODULES:
                    offending.append(f"{path.name}:{number}: {line.strip()}")
    assert offending == []
