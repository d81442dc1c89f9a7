"""Words about a check are declared by the check and nowhere else.

A title, a finding code's label, a figure's label or a setting's label lives in the check's module;
everything else (scoring, summaries, the circular, rectification, the site) reads the declaration or
the catalogue. Two copies drift apart — `footer_marks` was once 网站标识 on scorecards and
网站基本信息标识 on the methodology page — so a copy anywhere else fails here.
"""
from __future__ import annotations

import ast
import asyncio
import textwrap
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from collector.checks import base
from collector.checks.base import COMMON_FIGURES, all_checks, setting_fields
from collector.fetch import Fetcher, FetchSettings
from collector.observations import Evidence, Finding, Observation
from collector.profile import Profile
from collector.registry import Entry, Registry, Website
from loopback import LoopbackSite, Page, serve

REPO = Path(__file__).resolve().parents[2]
CHECKS = REPO / "collector" / "checks"
#: Every Python file that is not a check module, and the site's templates.
SCANNED = sorted(p for p in [*(REPO / "collector").rglob("*.py"), *(REPO / "govcensus_site").rglob("*.py")]
                 if CHECKS not in p.parents and "demo" not in p.relative_to(REPO).parts)
TEMPLATES = sorted((REPO / "theme" / "templates").rglob("*.html"))


def declared_words() -> dict[tuple[str, str], str]:
    """(key, label) -> where it is declared, for every name a check gives a Chinese word to."""
    words: dict[tuple[str, str], str] = {}
    for check in all_checks():
        words[(check.name, check.title)] = f"{check.name}.title"
        for code, declared in check.codes.items():
            words[(code, declared.label)] = f"{check.name}.codes.{code}"
        for key, label in check.figures.items():
            words[(key, label)] = f"{check.name}.figures.{key}"
        for key, field in setting_fields(check.settings).items():
            words[(key, field.metadata["label"])] = f"{check.name}.settings.{key}"
    for key, label in COMMON_FIGURES.items():
        words[(key, label)] = f"base.COMMON_FIGURES.{key}"
    return words


def string_pairs(path: Path) -> list[tuple[int, str, str]]:
    """(line, key, value) of every string-to-string entry of a dict literal or dict(k=v) call."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    pairs = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if isinstance(key, ast.Constant) and isinstance(value, ast.Constant) \
                        and isinstance(key.value, str) and isinstance(value.value, str):
                    pairs.append((key.lineno, key.value, value.value))
    return pairs


def codes_and_titles() -> tuple[dict[str, str], dict[str, str]]:
    codes = {code: check.name for check in all_checks() for code in check.codes}
    titles = {check.title: check.name for check in all_checks()}
    return codes, titles


def test_no_label_table_outside_the_checks_repeats_what_a_check_declares():
    words = declared_words()
    copies = [f"{path.relative_to(REPO)}:{line}: {key!r}: {value!r} (declared as {words[(key, value)]})"
              for path in SCANNED for line, key, value in string_pairs(path) if (key, value) in words]
    assert copies == []


def test_no_table_outside_the_checks_is_keyed_by_finding_codes():
    codes, _ = codes_and_titles()
    keyed = [f"{path.relative_to(REPO)}:{line}: {key!r} (a code of {codes[key]})"
             for path in SCANNED for line, key, _ in string_pairs(path) if key in codes]
    assert keyed == []


def test_no_check_title_is_written_outside_its_check():
    """In a table of labels or in a template (a table heading, a caption) a title is a copy."""
    _, titles = codes_and_titles()
    written = []
    for path in [*SCANNED, *TEMPLATES]:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".py":
            strings = [(line, value) for line, _, value in string_pairs(path)]
        else:
            strings = list(enumerate(text.splitlines(), 1))
        written += [f"{path.relative_to(REPO)}:{line}: {title} ({name})" for line, value in strings
                    for title, name in titles.items() if title in value and _standalone(value, title)]
    assert written == []


def _standalone(text: str, title: str) -> bool:
    """A title as a label of its own, not a word inside a sentence (首页更新 in 首页更新不及时 is prose)."""
    return text.strip() == title or f"“{title}”" in text or f">{title}<" in text


def test_the_scan_finds_a_copied_table(tmp_path):
    """The scan is not blind: a label table like the one the site used to keep is caught."""
    copy = tmp_path / "labels.py"
    copy.write_text('TITLES = {"footer_marks": "网站基本信息标识", "attempts": "访问次数", "site_unreachable": "x"}\n',
                    encoding="utf-8")
    words = declared_words()
    codes, titles = codes_and_titles()
    pairs = string_pairs(copy)
    assert [(k, v) for _, k, v in pairs if (k, v) in words] == [("footer_marks", "网站基本信息标识"),
                                                                 ("attempts", "访问次数")]
    assert [k for _, k, _ in pairs if k in codes] == ["site_unreachable"]
    assert "网站基本信息标识" in titles


def test_the_example_in_the_check_interface_docstring_is_a_working_check():
    """The contract's example is code, not prose: register it, run it against a loopback site, unregister it."""
    doc = base.Check.__doc__ or ""
    example = textwrap.dedent(doc.split("Example —", 1)[1].split("::", 1)[1].split("docs/adding-a-check.md")[0])
    namespace = {**vars(base), "dataclass": dataclass, "Entry": Entry, "Observation": Observation,
                 "Finding": Finding, "Evidence": Evidence}
    exec(compile(example, "Check.__doc__", "exec"), namespace)  # noqa: S102 (our own docstring)
    try:
        observation = run_example(base.get_check("example"))
    finally:
        base._CHECKS.pop("example", None)
    assert "example" not in {c.name for c in all_checks()}
    assert observation.figures == {"bytes": 600}
    assert [(f.code, f.severity) for f in observation.findings] == [("homepage_too_large", "info")]


def run_example(check: base.Check) -> Observation:
    site = LoopbackSite()
    site.add("www.example.gov.cn", "/", Page("x" * 600))
    entry = Website(site_code="5300000001", name="示例", unit="示例", level="市级", site_kind="部门网站",
                    url="http://www.example.gov.cn/")
    profile = Profile("example", "t", {"checks": {"example": {"indicator": "示例", "max_bytes": 500}}})

    async def run() -> Observation:
        async with Fetcher(FetchSettings(allow_private_addresses=True, retries=0,
                                         resolve={"*": f"127.0.0.1:{site.port}"})) as fetcher:
            ctx = base.CheckContext(datetime(2021, 1, 1, tzinfo=timezone(timedelta(hours=8))), profile,
                                    Registry(office="示例", region="示例"), fetcher)
            return await check.observe(entry, ctx)

    with serve(site):
        return asyncio.run(run())
