"""The site builds from data alone: content/ (with the catalogue `collector summarize` writes), the
theme, the Pelican settings, the plugin and the data package it reads with (govcensus_data), copied to a
folder with no collector code beside them; importing any collector module fails the build."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import lxml.html

REPO = Path(__file__).resolve().parents[2]

BUILD = """
import importlib.abc, json, sys

class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "collector" or name.startswith("collector."):
            raise ImportError(f"the site imported {name}, which is collector code")
        return None

sys.meta_path.insert(0, Refuse())
from govcensus_site import build_site
build_site(sys.argv[1], sys.argv[2])
print(json.dumps(sorted(m for m in sys.modules if m == "collector" or m.startswith("collector."))))
"""


def test_the_site_builds_from_a_copied_content_folder_without_importing_the_collector(tmp_path, content_dir):
    site = tmp_path / "site"
    shutil.copytree(content_dir, site / "content")
    shutil.copytree(REPO / "theme", site / "theme")
    shutil.copytree(REPO / "govcensus_site", site / "govcensus_site", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pelicanconf.py", site / "pelicanconf.py")
    shutil.copytree(REPO / "govcensus_data", site / "govcensus_data", ignore=shutil.ignore_patterns("__pycache__"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(site)
    run = subprocess.run([sys.executable, "-c", BUILD, str(site / "content"),
                          str(site / "output")], cwd=site, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    imported = json.loads(run.stdout.strip().splitlines()[-1])
    assert imported == []

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
                offending.append(f"{path.name}:{number}: {line.strip()}")
    assert offending == []
