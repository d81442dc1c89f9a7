"""The staff-maintained lexicon of serious wording errors and common typos, and its matcher.

The lexicon is a plain TSV (collector/lexicon/serious.tsv, documented in docs/lexicon.md) so staff
can add an entry without touching code. Each entry names a wrong form, its correct form, a
severity (serious: a single veto; typo: a deduction), a note and optional exceptions: longer
strings that contain the wrong form but are correct (按装机容量 is not a typo of 安装).

Matching uses one Aho-Corasick automaton over all wrong forms and exceptions, on text with its
whitespace removed (PDF text breaks lines in the middle of a phrase), mapped back to offsets in
the original text so snippets show what the reader sees.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import ahocorasick

Severity = Literal["serious", "typo"]
SEVERITIES: tuple[Severity, ...] = ("serious", "typo")
DEFAULT_LEXICON = Path(__file__).resolve().parent.parent / "lexicon" / "serious.tsv"


@dataclass(frozen=True)
class LexiconEntry:
    wrong: str
    correct: str
    severity: Severity
    note: str
    exceptions: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class WordingMatch:
    entry: LexiconEntry
    start: int   # offsets in the original text
    end: int


class LexiconError(ValueError):
    """Every problem of a lexicon file, each with its line, so staff fix the file in one pass."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class Lexicon:
    def __init__(self, entries: list[LexiconEntry]):
        self.entries = tuple(entries)
        self._automaton = ahocorasick.Automaton()
        keys: dict[str, list[tuple[str, LexiconEntry]]] = {}
        for entry in entries:
            keys.setdefault(entry.wrong, []).append(("wrong", entry))
            for exception in entry.exceptions:
                keys.setdefault(exception, []).append(("exception", entry))
        for key, roles in keys.items():
            self._automaton.add_word(key, (len(key), roles))
        if keys:
            self._automaton.make_automaton()

    def __len__(self) -> int:
        return len(self.entries)

    def find(self, text: str) -> list[WordingMatch]:
        """Every wrong form in text that no exception of its entry covers, in text order."""
        if not self.entries:
            return []
        compact, offsets = _without_whitespace(text)
        hits: list[tuple[int, int, LexiconEntry]] = []
        excepted: dict[int, list[tuple[int, int]]] = {}
        for last, (length, roles) in self._automaton.iter(compact):
            start, end = last - length + 1, last + 1
            for role, entry in roles:
                if role == "wrong":
                    hits.append((start, end, entry))
                else:
                    excepted.setdefault(id(entry), []).append((start, end))
        matches = []
        for start, end, entry in hits:
            if any(s <= start and end <= e for s, e in excepted.get(id(entry), ())):
                continue
            matches.append(WordingMatch(entry, offsets[start], offsets[end - 1] + 1))
        return sorted(matches, key=lambda m: (m.start, m.entry.line))


#: A run of characters str.isspace() keeps (re's Unicode \s is the same test, Py_UNICODE_ISSPACE).
_NON_SPACE = re.compile(r"\S+")


def _without_whitespace(text: str) -> tuple[str, list[int]]:
    """Text without whitespace, and for each kept character its offset in the original.

    Run by run rather than character by character: a long page's text is scanned for every wording
    check, and the per-character loop was most of that scan's CPU."""
    parts: list[str] = []
    offsets: list[int] = []
    for run in _NON_SPACE.finditer(text):
        parts.append(run.group())
        offsets.extend(range(*run.span()))
    return "".join(parts), offsets


def parse_lexicon(text: str, source: str = "lexicon") -> Lexicon:
    """Parse the TSV: wrong, correct, severity, note[, exceptions separated by |]; # comments."""
    problems: list[str] = []
    entries: list[LexiconEntry] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        fields = [f.strip() for f in raw.split("\t")]
        where = f"{source}, line {number}"
        if len(fields) < 4 or len(fields) > 5:
            problems.append(f"{where}: expected 4 or 5 tab-separated fields "
                            f"(wrong, correct, severity, note[, exceptions]), found {len(fields)}")
            continue
        wrong, correct, severity, note = fields[:4]
        exceptions = tuple(e.strip() for e in fields[4].split("|") if e.strip()) if len(fields) == 5 else ()
        if not wrong or not correct:
            problems.append(f"{where}: the wrong and the correct form must both be given")
            continue
        if severity not in SEVERITIES:
            problems.append(f"{where}: severity {severity!r} is not one of {', '.join(SEVERITIES)}")
            continue
        if wrong in seen:
            problems.append(f"{where}: {wrong!r} is already listed on line {seen[wrong]}")
            continue
        for exception in exceptions:
            if wrong not in exception:
                problems.append(f"{where}: exception {exception!r} does not contain the wrong form {wrong!r}")
        seen[wrong] = number
        entries.append(LexiconEntry(wrong, correct, severity, note, exceptions, number))  # type: ignore[arg-type]
    for entry in entries:
        for other in entries:
            # correct text must never be flagged: an exception inside that correct form must cover it
            if entry.wrong in other.correct and not any(e in other.correct for e in entry.exceptions):
                problems.append(f"{source}, line {entry.line}: the wrong form {entry.wrong!r} occurs in the "
                                f"correct form {other.correct!r} of line {other.line}; add an exception")
    if problems:
        raise LexiconError(problems)
    return Lexicon(entries)


def load_lexicon(path: str | Path = DEFAULT_LEXICON) -> Lexicon:
    path = Path(path)
    return _load_cached(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _load_cached(path: str, mtime_ns: int) -> Lexicon:
    """Parsed once per file version: every entry of a round shares the automaton."""
    return parse_lexicon(Path(path).read_text(encoding="utf-8"), source=path)
