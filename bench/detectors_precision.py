"""Precision and recall of the content detectors on our labelled corpus (tests/text/corpus/).

Each personal-data detector (resident_id, mobile, bank_card) and each lexicon severity (serious,
typo) is scored per line: matches of a kind up to the expected count are true positives, the rest
false positives; expected ones not found are false negatives. The personal-data corpus is the
snippet files (pii*.tsv) and the real-format files of tests/text/corpus_files.py (Word, Excel,
CSV, PDF, HTML), read the way the personal_info check reads attachments. Saved real government
pages (../shared/realdata/gne-pages, when present) are added as negatives: any match there is
counted as a false positive. The published-findings line adds the three kinds up and is held to
the goals (precision >= 0.99, recall >= 0.98); tests/text/test_corpus.py asserts them too.
Usage: .venv/bin/python bench/detectors_precision.py
"""
from __future__ import annotations

import sys
from collections import Counter
from datetime import date
from pathlib import Path

from collector.text.extract import read_document
from collector.text.lexicon import load_lexicon
from collector.text.pii import PII_KINDS, find_pii

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "text" / "corpus"
PII_SNIPPETS = ("pii.tsv", "pii_generated.tsv")
REAL_PAGES = ROOT.parent / "shared" / "realdata" / "gne-pages"
TODAY = date(2020, 6, 30)
#: Goals for published personal-data findings, all kinds together.
PRECISION_GOAL = 0.99
RECALL_GOAL = 0.98


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


def corpus_files() -> list:
    """The labelled real-format files (built by the tests' fixture module, not stored)."""
    tests = str(ROOT / "tests")
    if tests not in sys.path:
        sys.path.insert(0, tests)
    from text.corpus_files import build
    return build()


def file_predictions(file) -> list[str]:
    document = read_document(file.name, file.kind, file.content)
    if document.unread:
        raise SystemExit(f"corpus file {file.name} could not be read: {document.unread}")
    return [m.kind for part in document.parts
            for m in find_pii(part.text, TODAY, header=part.header, row=part.row)]


def snippet_cases() -> list[tuple[list[str], list[str]]]:
    return [(expected, [m.kind for m in find_pii(text, TODAY)])
            for name in PII_SNIPPETS for expected, text in labelled(CORPUS / name)]


def pii_cases() -> list[tuple[list[str], list[str]]]:
    cases = snippet_cases()
    cases += [(list(file.expected.elements()), file_predictions(file)) for file in corpus_files()]
    cases += [([], [m.kind for m in find_pii(text, TODAY)]) for text in real_page_texts()]
    return cases


def overall(scores: dict[str, tuple[int, int, int]]) -> tuple[float, float]:
    """(precision, recall) of all kinds together: every published finding counts the same."""
    tp, fp, fn = (sum(v[i] for v in scores.values()) for i in range(3))
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)


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
    snippets = sum(len(labelled(CORPUS / name)) for name in PII_SNIPPETS)
    files = corpus_files()
    negatives = sum(1 for expected, _ in snippet_cases() if not expected) + sum(1 for f in files if not f.expected)
    print(f"corpus: {CORPUS}  personal data: {snippets} snippets, {len(files)} files "
          f"({len({f.kind for f in files})} formats), {negatives} hard negatives; "
          f"real pages as negatives: {len(real_page_texts())}")
    print(f"{'detector':<14}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>9}")
    for kind, (tp, fp, fn) in {**pii, **wording}.items():
        precision = tp / (tp + fp) if tp + fp else float("nan")
        recall = tp / (tp + fn) if tp + fn else float("nan")
        print(f"{kind:<14}{tp:>5}{fp:>5}{fn:>5}{precision:>11.3f}{recall:>9.3f}")
    precision, recall = overall(pii)
    met = precision >= PRECISION_GOAL and recall >= RECALL_GOAL
    print(f"published personal-data findings: precision {precision:.3f} (goal >= {PRECISION_GOAL}), "
          f"recall {recall:.3f} (goal >= {RECALL_GOAL}) -> {'goals met' if met else 'GOALS MISSED'}")


if __name__ == "__main__":
    main()
