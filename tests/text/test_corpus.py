"""Every line of the labelled corpus (tests/text/corpus/) is a specification of the detectors.

A label ending in '?' is a known miss: the test asserts it is still missed, so whoever teaches the
detector the case also updates the corpus. bench/detectors_precision.py prints the figures.
"""
from __future__ import annotations

import importlib.util
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from collector.text.extract import read_document
from collector.text.lexicon import load_lexicon
from collector.text.pii import find_pii
from text.corpus_files import CorpusFile, build

CORPUS = Path(__file__).resolve().parent / "corpus"
TODAY = date(2020, 6, 30)


def rows(name: str) -> list[tuple[list[str], str]]:
    result = []
    for line in (CORPUS / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            labels, text = line.split("\t", 1)
            result.append(([] if labels == "-" else labels.split(","), text.replace("\\n", "\n")))
    return result


def expected_found(labels: list[str]) -> Counter[str]:
    return Counter(label for label in labels if not label.endswith("?"))


PII_FILES = ("pii.tsv", "pii_generated.tsv")


def pii_rows() -> list[tuple[list[str], str]]:
    return [row for name in PII_FILES for row in rows(name)]


@pytest.mark.parametrize("labels, text", pii_rows(), ids=lambda v: v if isinstance(v, str) else None)
def test_personal_data_corpus_line(labels: list[str], text: str):
    assert Counter(m.kind for m in find_pii(text, TODAY)) == expected_found(labels)


def test_the_generated_corpus_is_what_its_builder_writes():
    from text.corpus.build_pii_corpus import build
    assert (CORPUS / "pii_generated.tsv").read_text(encoding="utf-8") == "\n".join(build()) + "\n"


FILES = build()


@pytest.mark.parametrize("file", FILES, ids=lambda f: f.name)
def test_personal_data_corpus_file(file: CorpusFile):
    document = read_document(file.name, file.kind, file.content)
    assert document.unread == ""
    found = [(part.location, m) for part in document.parts
             for m in find_pii(part.text, TODAY, header=part.header, row=part.row)]
    assert Counter(m.kind for _, m in found) == file.expected
    assert sum(m.partial for _, m in found) == file.partial
    assert file.where <= {location for location, _ in found}


def test_the_file_corpus_has_at_least_15_files_in_every_format_with_hard_negatives():
    assert len(FILES) >= 15
    assert {f.kind for f in FILES} == {"docx", "xlsx", "xls", "csv", "pdf", "page"}
    assert sum(1 for f in FILES if not f.expected) >= 5
    assert len({f.name for f in FILES}) == len(FILES)


def test_the_bench_reports_the_goals_met_for_published_personal_data_findings(capsys):
    spec = importlib.util.spec_from_file_location("detectors_precision",
                                                  Path(__file__).resolve().parents[2] / "bench" / "detectors_precision.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    precision, recall = bench.overall(bench.score(bench.pii_cases(), ("resident_id", "mobile", "bank_card")))
    assert precision >= bench.PRECISION_GOAL == 0.99
    assert recall >= bench.RECALL_GOAL == 0.98
    bench.main()
    assert "-> goals met" in capsys.readouterr().out


@pytest.mark.parametrize("labels, text", rows("wording.tsv"), ids=lambda v: v if isinstance(v, str) else None)
def test_wording_corpus_line(labels: list[str], text: str):
    assert Counter(m.entry.wrong for m in load_lexicon().find(text)) == expected_found(labels)


def test_the_corpus_has_positives_and_hard_negatives_for_every_detector():
    pii = Counter(label.rstrip("?") for labels, _ in pii_rows() for label in labels)
    assert all(pii[kind] >= 50 for kind in ("resident_id", "mobile", "bank_card"))
    assert len(pii_rows()) >= 300
    assert sum(1 for labels, _ in pii_rows() if not labels) >= 150
    assert sum(1 for labels, _ in rows("wording.tsv") if not labels) >= 30


def test_every_lexicon_entry_has_a_positive_line_in_the_corpus():
    found = {label for labels, _ in rows("wording.tsv") for label in labels if not label.endswith("?")}
    assert [e.wrong for e in load_lexicon().entries if e.wrong not in found] == []


REAL_PAGES = Path(__file__).resolve().parents[2].parent / "shared" / "realdata" / "gne-pages"


@pytest.mark.skipif(not REAL_PAGES.is_dir(), reason="shared/realdata is not present")
def test_saved_real_government_and_news_pages_hold_no_personal_number_and_no_lexicon_error():
    pages = sorted(REAL_PAGES.glob("*.html"))
    assert pages
    for page in pages:
        [part] = read_document(page.name, "page", page.read_bytes(), "text/html").parts
        assert len(part.text) > 200, page.name
        assert find_pii(part.text, TODAY) == [], page.name
        assert load_lexicon().find(part.text) == [], page.name
