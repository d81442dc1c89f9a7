"""Precision and recall of the content detectors on our labelled corpus (tests/content/corpus/).

Each personal-data detector (resident_id, mobile, bank_card) and each lexicon severity (serious,
typo) is scored per line: matches of a kind up to the expected count are true positives, the rest
false positives; expected ones not found are false negatives. Saved real government pages
(../shared/realdata/gne-pages, when present) are added as negatives: any match there is counted as
a false positive. Usage: .venv/bin/python bench/detectors_precision.py
"""
from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from collector.content.extract import read_document
from collector.content.lexicon import load_lexicon
from collector.content.pii import PII_KINDS, find_pii

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "content" / "corpus"
REAL_PAGES = ROOT.parent / "shared" / "realdata" / "gne-pages"
TODAY = date(2020, 6, 30)


def labelled(path: Path) -> list[tuple[list[str], str]]:
    """(expected labels, text) per line; '-' means none; a literal \\n in the text is a line break.

    A label ending in '?' is a known miss, expected all the same (it is a false negative here)."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        labels, text = line.split("\t", 1)
        expected = [] if labels == "-" else [label.rstrip("?") for label in labels.split(",")]
        rows.append((expected, text.replace("\\n", "\n")))
    return rows


def real_page_texts() -> list[str]:
    if not REAL_PAGES.is_dir():
        return []
    texts = []
    for page in sorted(REAL_PAGES.glob("*.html")):
        document = read_document(page.name, "page", page.read_bytes(), "text/html")
        texts.extend(part.text for part in document.parts)
    return texts


def score(cases: list[tuple[list[str], list[str]]], kinds: tuple[str, ...]) -> dict[str, tuple[int, int, int]]:
    """kind -> (true positives, false positives, false negatives) over (expected, predicted) pairs."""
    totals = {kind: [0, 0, 0] for kind in kinds}
    for expected, predicted in cases:
        want, got = Counter(expected), Counter(predicted)
        for kind in kinds:
            hit = min(want[kind], got[kind])
            totals[kind][0] += hit
            totals[kind][1] += got[kind] - hit
            totals[kind][2] += want[kind] - hit
    return {kind: (tp, fp, fn) for kind, (tp, fp, fn) in totals.items()}


def pii_cases() -> list[tuple[list[str], list[str]]]:
    cases = [(expected, [m.kind for m in find_pii(text, TODAY)]) for expected, text in labelled(CORPUS / "pii.tsv")]
    cases += [([], [m.kind for m in find_pii(text, TODAY)]) for text in real_page_texts()]
    return cases


def wording_cases() -> tuple[list[tuple[list[str], list[str]]], dict[str, str]]:
    """Cases labelled by severity, derived from the expected wrong forms via the lexicon."""
    lexicon = load_lexicon()
    severity = {entry.wrong: entry.severity for entry in lexicon.entries}
    cases = []
    for expected, text in labelled(CORPUS / "wording.tsv"):
        cases.append(([severity[w] for w in expected], [m.entry.severity for m in lexicon.find(text)]))
    cases += [([], [m.entry.severity for m in lexicon.find(text)]) for text in real_page_texts()]
    return cases, severity


def main() -> None:
    pii = score(pii_cases(), PII_KINDS)
    wording_case_list, _ = wording_cases()
    wording = score(wording_case_list, ("serious", "typo"))
    print(f"corpus: {CORPUS}  real pages as negatives: {len(real_page_texts())}")
    print(f"{'detector':<14}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>9}")
    for kind, (tp, fp, fn) in {**pii, **wording}.items():
        precision = tp / (tp + fp) if tp + fp else float("nan")
        recall = tp / (tp + fn) if tp + fn else float("nan")
        print(f"{kind:<14}{tp:>5}{fp:>5}{fn:>5}{precision:>11.3f}{recall:>9.3f}")


if __name__ == "__main__":
    main()
