"""The readers' words for data-file codes have one home (govcensus_data.words): the collector's
summaries and the site's pages say the same thing in the same words, and a second copy of a table
anywhere in our code is refused here."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from collector.checks import base
from collector.rectification import tracking
from govcensus_data import model, words
from govcensus_site import labels

ROOT = Path(__file__).resolve().parents[2]
HOME = ROOT / "govcensus_data" / "words.py"
PACKAGES = ("collector", "govcensus_data", "govcensus_site")


def copies_in(path: Path) -> list[str]:
    """Dict literals in `path` that repeat two or more (code, word) pairs of a shared table."""
    pairs = {(code, word): name for name, table in words.SHARED_TABLES.items() for code, word in table.items()}
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if not isinstance(node, ast.Dict):
            continue
        literal = [(k.value, v.value) for k, v in zip(node.keys, node.values)
                   if isinstance(k, ast.Constant) and isinstance(v, ast.Constant)]
        repeated = {pairs[p] for p in literal if p in pairs}
        for name in sorted(repeated):
            if sum(1 for p in literal if pairs.get(p) == name) >= 2:
                found.append(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}:{node.lineno}: "
                             f"repeats {name} (use govcensus_data.words)")
    return found


def test_no_module_keeps_its_own_copy_of_a_shared_word_table():
    problems = [line for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))
                if path != HOME for line in copies_in(path)]
    assert problems == []


def test_a_planted_copy_is_reported_with_its_line(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text('X = 1\nSTATUS = {"open": "整改中", "rectified": "已整改", "other": "x"}\n', encoding="utf-8")
    assert copies_in(planted) == [f"{planted}:2: repeats RECTIFICATION_LABELS (use govcensus_data.words)"]
    planted.write_text('ONE = {"open": "整改中"}\nOTHER = {"open": "打开", "rectified": "修好"}\n', encoding="utf-8")
    assert copies_in(planted) == []


def test_the_collector_and_the_site_use_the_same_tables():
    assert base.SEVERITY_LABELS is labels.SEVERITY_LABELS is words.SEVERITY_LABELS
    assert base.KIND_LABELS is labels.KIND_LABELS is words.KIND_LABELS
    assert tracking.RECTIFICATION_LABELS is labels.RECTIFICATION_LABELS
    assert tracking.RECTIFIED_BY_LABELS is labels.RECTIFIED_BY_LABELS


@pytest.mark.parametrize(("table", "codes"), [
    (words.KIND_LABELS, model.KINDS),
    (words.RESULT_LABELS, model.RESULTS),
    (words.RECTIFICATION_LABELS, model.RECTIFICATION_STATUSES),
    (words.RECTIFICATION_LABELS, tracking.COUNTED_STATUSES),
    (words.SEVERITY_LABELS, base.SEVERITIES),
])
def test_every_code_a_data_file_may_carry_has_a_word_and_no_word_names_an_unknown_code(table, codes):
    assert set(table) == set(codes)
    assert all(word and word.strip() == word for word in table.values())
