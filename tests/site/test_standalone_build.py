"""The site builds from data alone, on a machine that has only Pelican and the plugin's declared
dependencies (govcensus_site/requirements.txt): content/ (with the catalogue `collector summarize`
writes), the theme, the Pelican settings, the plugin and the data package it reads with
(govcensus_data) are copied to a folder with no collector code beside them, the declared
distributions and what they require are laid out in a private site-packages (their installed files,
resolved with importlib.metadata from this environment; nothing is downloaded), and Python runs with
no site-packages of its own (`-S -E`). A dependency the plugin uses but does not declare, or any
collector import, fails the build."""
from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from importlib import metadata
from pathlib import Path

import lxml.html
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[2]
DECLARED = REPO / "govcensus_site" / "requirements.txt"

BUILD = """
import importlib.abc, json, sys

sys.path[:0] = sys.argv[3:]

class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "collector" or name.startswith("collector."):
            raise ImportError(f"the site imported {name}, which is collector code")
        return None

sys.meta_path.insert(0, Refuse())
from govcensus_site import build_site
build_site(sys.argv[1], sys.argv[2])
print(json.dumps({"collector": sorted(m for m in sys.modules if m == "collector" or m.startswith("collector.")),
                  "files": sorted({getattr(m, "__file__", None) or "" for m in list(sys.modules.values())} - {""}),
                  "path": sys.path}))
"""


def declared() -> list[Requirement]:
    lines = (line.split("#", 1)[0].strip() for line in DECLARED.read_text(encoding="utf-8").splitlines())
    return [Requirement(line) for line in lines if line]


def pinned_versions(path: Path) -> dict[str, str]:
    return {canonicalize_name(r.name): str(r.specifier).removeprefix("==")
            for r in (Requirement(line.split("#", 1)[0].strip()) for line in path.read_text(encoding="utf-8").splitlines()
                      if line.split("#", 1)[0].strip())}


def closure(requirements: list[Requirement]) -> dict[str, metadata.Distribution]:
    """The declared distributions and, recursively, what each requires (markers evaluated for this
    machine and the extras asked for), as installed here. A requirement not installed is an error."""
    found: dict[str, metadata.Distribution] = {}
    pending = [(r, frozenset(r.extras)) for r in requirements]
    while pending:
        requirement, extras = pending.pop()
        name = canonicalize_name(requirement.name)
        try:
            dist = metadata.distribution(requirement.name)
        except metadata.PackageNotFoundError:
            raise AssertionError(f"{requirement} is required but not installed here") from None
        assert requirement.specifier.contains(dist.version, prereleases=True), f"{requirement}: {dist.version} installed"
        if name in found and not extras:
            continue
        found[name] = dist
        for text in dist.requires or []:
            needed = Requirement(text)
            wanted = [""] + sorted(extras)
            if needed.marker is None or any(needed.marker.evaluate({**default_environment(), "extra": e}) for e in wanted):
                pending.append((needed, frozenset(needed.extras)))
    return found


def lay_out(dists: dict[str, metadata.Distribution], target: Path) -> int:
    """Link every installed file of each distribution into `target` (a site-packages of its own)."""
    count = 0
    for dist in dists.values():
        assert dist.files, f"{dist.metadata['Name']} lists no files (RECORD missing)"
        for entry in dist.files:
            if entry.parts[0] == "..":  # console scripts outside site-packages
                continue
            source = Path(dist.locate_file(entry))
            if not source.is_file():
                continue
            destination = target / entry
            destination.parent.mkdir(parents=True, exist_ok=True)
            if not destination.exists():
                destination.symlink_to(source.resolve())
                count += 1
    return count


def test_the_declared_pins_are_the_repositorys_pins():
    everything = pinned_versions(REPO / "requirements.txt")
    mine = pinned_versions(DECLARED)
    assert mine and {name: everything.get(name) for name in mine} == mine


def test_every_third_party_module_the_site_imports_comes_from_a_declared_distribution():
    """The same rule read from the source: a new import is caught before any build runs."""
    provided = {name for dist in closure(declared()).values() for name in _top_level_names(dist)}
    sources = [*(REPO / "govcensus_site").rglob("*.py"), *(REPO / "govcensus_data").rglob("*.py"), REPO / "pelicanconf.py"]
    used: dict[str, str] = {}
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else []
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in ("govcensus_site", "govcensus_data"):
                    used.setdefault(top, str(path.relative_to(REPO)))
    assert used and {top: where for top, where in used.items() if top not in provided} == {}


def _top_level_names(dist: metadata.Distribution) -> set[str]:
    names = set()
    for entry in dist.files or []:
        if entry.parts[0] != ".." and not entry.parts[0].endswith((".dist-info", ".egg-info", ".data")):
            names.add(re.split(r"[.]", entry.parts[0], maxsplit=1)[0])
    return names


def test_the_site_builds_from_a_copied_content_folder_with_only_the_declared_dependencies(tmp_path, content_dir):
    site = tmp_path / "site"
    shutil.copytree(content_dir, site / "content")
    shutil.copytree(REPO / "theme", site / "theme")
    for package in ("govcensus_site", "govcensus_data"):
        shutil.copytree(REPO / package, site / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pelicanconf.py", site / "pelicanconf.py")
    packages = tmp_path / "site-packages"
    dists = closure(declared())
    assert {"pelican", "markdown", "jinja2", "pyyaml"} <= set(dists) and "httpx" not in dists
    assert lay_out(dists, packages) > 0

    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    run = subprocess.run([sys.executable, "-S", "-E", "-c", BUILD, str(site / "content"), str(site / "output"),
                          str(site), str(packages)],
                         cwd=site, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["collector"] == []
    stdlib = {Path(sysconfig.get_paths()[key]).resolve() for key in ("stdlib", "platstdlib")}
    allowed = (tmp_path.resolve(), *stdlib)
    outside = [f for f in report["files"] if not any(Path(f).resolve().is_relative_to(a) for a in allowed)
               and not Path(f).absolute().is_relative_to(tmp_path)]
    assert outside == []  # nothing came from this environment's own site-packages
    assert not any("site-packages" in p and not p.startswith(str(tmp_path)) for p in report["path"])

    methodology = lxml.html.fromstring((site / "output" / "methodology.html").read_text(encoding="utf-8"))
    text = methodology.text_content()
    assert "网站基本信息标识" in text and "失败比例上限" in text and "5%" in text
    footer = methodology.xpath('//section[@aria-labelledby="h-m-footer_marks"]//h3')[0].text_content()
    assert footer == "网站基本信息标识"
    assert (site / "output" / "scorecards" / "index.html").is_file()
    assert (site / "output" / "data").is_dir()  # the open data (pandas) was written too


def test_the_plugin_refuses_collector_imports_in_its_source():
    """The same rule read from the source, so a new import is caught before any build runs."""
    offending = []
    for path in sorted((REPO / "govcensus_site").glob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            words = line.split()
            if len(words) >= 2 and words[0] in ("import", "from") and words[1].split(".")[0] == "collector":
                offending.append(f"{path.name}:{number}: {line.strip()}")
    assert offending == []
