"""Layers point one way: govcensus_data <- foundation <- checks <- scoring and rounds <- summaries
(summarize, circular, rectification) <- the command line and the demo tools; the site reads only
govcensus_data, and only the summaries write content/'s data files (through govcensus_data's writers). Every import of every module is read with `ast` (those inside functions and under
TYPE_CHECKING too), so an upward import fails here before it becomes a cycle or a hidden coupling.
"""
from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("collector", "govcensus_data", "govcensus_site")

#: Layers of the collector, lowest first; a module may import its own layer and those below.
#: A module not named here belongs to the foundation (fetching, the registry, text, observations,
#: the store and the shared helpers checks use: links, feeds, footer, freshness, document findings).
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("data", ("govcensus_data",)),
    ("foundation", ("collector",)),
    ("checks", ("collector.checks", "collector.profile")),  # a profile is verified against the checks' declarations
    ("scoring", ("collector.scoring", "collector.rounds")),
    ("summaries", ("collector.summarize", "collector.circular", "collector.rectification")),
    ("tools", ("collector.cli", "collector.demo", "collector.demo_run")),
)

#: Beside the order: scoring judges findings, whatever check made them (the shared types are in
#: collector.observations), so it imports no check module and not the round runner; it reads what
#: checks declare (codes, titles) only through the registry in collector.checks.base.
APART: dict[str, tuple[str, ...]] = {"collector.scoring": ("collector.checks.", "collector.rounds")}



def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(path): path for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))}


@cache
def imports_of(module: str, path: Path) -> frozenset[str]:
    """Every module of ours that `module` (read from `path`) imports, absolute or relative, wherever
    the import stands."""
    found: set[str] = set()
    package = module.split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[:len(package) - node.level + 1] + ([node.module] if node.module else [])) \
                if node.level else node.module or ""
            # `from collector import domains` imports the module collector.domains
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules() else base for alias in node.names]
        else:
            continue
        found.update(name for name in names if name.split(".")[0] in PACKAGES)
    return frozenset(found)


def layer_of(module: str) -> int:
    """Index in LAYERS of the most specific prefix naming the module."""
    best, best_len = -1, -1
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best_len:
                best, best_len = index, len(prefix)
    return best


def _under(module: str, prefix: str) -> bool:
    """`prefix` names a package and everything in it; `prefix.` (trailing dot) the modules of a package
    other than those NOT_CHECKS names (the checks' interface and shared declarations)."""
    if prefix.endswith("."):
        return module.startswith(prefix) and module not in NOT_CHECKS
    return module == prefix or module.startswith(prefix + ".")


#: Modules of the checks package that are not checks: the interface, and declarations several checks share.
NOT_CHECKS = frozenset({"collector.checks.base", "collector.checks.common"})


def is_check(module: str) -> bool:
    return module.startswith("collector.checks.") and module not in NOT_CHECKS


def collector_violations(found: dict[str, Path] | None = None) -> list[str]:
    problems = []
    for module, path in (found or modules()).items():
        if not module.startswith(("collector", "govcensus_data")):
            continue
        for imported in sorted(imports_of(module, path)):
            if imported.startswith("govcensus_site"):
                problems.append(f"{module} imports {imported}: nothing below the site may import it")
            elif layer_of(imported) > layer_of(module):
                problems.append(f"{module} ({LAYERS[layer_of(module)][0]}) imports {imported} "
                                f"({LAYERS[layer_of(imported)][0]})")
            elif any(_under(module, owner) and any(_under(imported, other) for other in others)
                     for owner, others in APART.items()):
                problems.append(f"{module} imports {imported}: kept apart (see APART)")
            elif is_check(module) and is_check(imported):
                problems.append(f"{module} imports another check, {imported}: move what both need to a shared module")
    return problems


def site_violations(found: dict[str, Path] | None = None) -> list[str]:
    return [f"{module} imports {imported}"
            for module, path in (found or modules()).items() if module.startswith("govcensus_site")
            for imported in sorted(imports_of(module, path))
            if imported.startswith("collector")]


def test_every_collector_module_imports_only_its_layer_and_those_below():
    assert collector_violations() == []


def test_the_data_package_imports_neither_the_collector_nor_the_site():
    data = {m: imports_of(m, p) for m, p in modules().items() if m.startswith("govcensus_data")}
    assert data and all(i.startswith("govcensus_data") for imported in data.values() for i in imported), data


def test_the_site_imports_only_the_data_package_never_the_collector():
    assert site_violations() == []


@pytest.mark.parametrize(("module", "source", "problem"), [
    ("collector.scoring.verdict", "from collector.checks.wording import Wording\n", "imports collector.checks.wording: kept apart"),
    ("collector.scoring.rules", "from collector.rounds import run_round\n", "imports collector.rounds: kept apart"),
    ("collector.checks.wording", "from collector.scoring import evaluate\n", "(checks) imports collector.scoring (scoring)"),
    ("collector.checks.reprint", "from collector.checks.dead_links import probe\n", "imports another check"),
    ("collector.links", "from collector.checks import base\n", "(foundation) imports collector.checks.base (checks)"),
    ("collector.text.pii", "def f():\n    from collector.summarize.scorecards import SCHEMA\n", "(summaries)"),
    ("govcensus_data.model", "from collector.registry import Entry\n", "(data) imports collector.registry (foundation)"),
    ("collector.registry", "from govcensus_site.census import Census\n", "nothing below the site may import it"),
])
def test_an_upward_import_is_reported(tmp_path, module, source, problem):
    """The checker itself: a planted upward import (even one inside a function) is caught."""
    path = tmp_path / "planted.py"
    path.write_text(source, encoding="utf-8")
    planted = dict(modules())
    planted[module] = path
    assert collector_violations(modules()) == []
    assert any(problem in line and line.startswith(module) for line in collector_violations(planted))


def test_a_site_import_of_an_unlisted_collector_module_is_reported(tmp_path):
    path = tmp_path / "planted.py"
    path.write_text("from collector.registry import load_registry\n", encoding="utf-8")
    planted = dict(modules())
    planted["govcensus_site.planted"] = path
    assert "govcensus_site.planted imports collector.registry" in site_violations(planted)



#: govcensus_data's serialisers of content/'s data files: whoever calls one writes a data file.
DATA_FILE_WRITERS = frozenset({"data_file_text", "catalogue_text"})
#: The only collector packages that may write a data file under content/: the summaries layer
#: (the circular writes its draft article there too, rendered from the data files).
WRITERS_OF_CONTENT = dict(LAYERS)["summaries"]


def writer_violations(found: dict[str, Path] | None = None) -> list[str]:
    """Modules outside WRITERS_OF_CONTENT that import or name one of the data-file serialisers."""
    problems = []
    for module, path in (found or modules()).items():
        if module.startswith("govcensus_data") or any(_under(module, w) for w in WRITERS_OF_CONTENT):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        named = {alias.name.rsplit(".", 1)[-1] for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
                 for alias in node.names}
        named |= {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
        problems += [f"{module} uses {name}: only {', '.join(WRITERS_OF_CONTENT)} write content/'s data files"
                     for name in sorted(named & DATA_FILE_WRITERS)]
    return problems


def test_only_the_summaries_write_contents_data_files():
    assert writer_violations() == []
    writers = {m for m, p in modules().items() if any(name in p.read_text(encoding="utf-8") for name in DATA_FILE_WRITERS)
               and not m.startswith("govcensus_data")}
    assert writers and all(any(_under(m, w) for w in WRITERS_OF_CONTENT) for m in writers), writers


@pytest.mark.parametrize("source", [
    "from govcensus_data.model import data_file_text\n",
    "def f():\n    from govcensus_data import catalogue\n    return catalogue.catalogue_text({})\n",
])
def test_a_data_file_written_from_below_the_summaries_is_reported(tmp_path, source):
    path = tmp_path / "planted.py"
    path.write_text(source, encoding="utf-8")
    planted = dict(modules())
    planted["collector.message_exports.planted"] = path
    assert any(line.startswith("collector.message_exports.planted uses") for line in writer_violations(planted))
