"""Compare a reprint with its source, sentence by sentence, ignoring layout.

Both texts are normalised first (NFKC folds full-width letters, digits and most punctuation; the
rest of the CJK punctuation is mapped by hand; whitespace is layout and goes), so an exact reprint
set in another template compares equal. difflib aligns the sentences; within a replaced block a
sentence is paired with its most similar counterpart, which tells a changed number from a
sentence that was dropped or added.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

ChangeKind = Literal["number_changed", "wording_changed", "missing", "added"]

_PUNCTUATION = str.maketrans({"。": ".", "、": ",", "“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"',
                              "『": '"', "』": '"', "【": "[", "】": "]", "〔": "[", "〕": "]", "《": "<", "》": ">",
                              "〈": "<", "〉": ">", "—": "-", "－": "-", "…": "...", "·": ".", "・": "."})
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*%?")
#: Two sentences at least this similar are one sentence edited, not one dropped and one added.
PAIR_SIMILARITY = 0.6


def normalise(text: str) -> str:
    """The comparable form of a text: width-folded, punctuation unified, no whitespace."""
    folded = unicodedata.normalize("NFKC", text).translate(_PUNCTUATION)
    return "".join(folded.split())


def numbers(text: str) -> list[str]:
    return _NUMBER.findall(normalise(text))


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    source: str = ""       # the source's sentence ("" for an added sentence)
    reprint: str = ""      # the reprint's sentence ("" for a missing sentence)
    position: int = 0      # index of the sentence in the source (where an addition goes)

    def describe(self) -> str:
        if self.kind == "number_changed":
            before, after = numbers(self.source), numbers(self.reprint)
            changed = [f"{a}→{b}" for a, b in zip(before, after) if a != b]
            changed += [f"{a}→（无）" for a in before[len(after):]] + [f"（无）→{b}" for b in after[len(before):]]
            return "数字改动 " + "、".join(changed)
        return {"wording_changed": "文字改动", "missing": "缺少原文语句", "added": "增加原文没有的语句"}[self.kind]


@dataclass(frozen=True)
class Comparison:
    source_sentences: tuple[str, ...]
    reprint_sentences: tuple[str, ...]
    changes: tuple[Change, ...]

    @property
    def identical(self) -> bool:
        return not self.changes

    def count(self, kind: ChangeKind) -> int:
        return sum(1 for change in self.changes if change.kind == kind)

    def summary(self) -> str:
        """「数字改动 2 处，缺少原文语句 1 句」: what a reader of the scorecard needs first."""
        labels = (("number_changed", "数字改动 {} 处"), ("wording_changed", "文字改动 {} 处"),
                  ("missing", "缺少原文语句 {} 句"), ("added", "增加原文没有的语句 {} 句"))
        return "，".join(label.format(self.count(kind)) for kind, label in labels if self.count(kind))  # type: ignore[arg-type]

    def diff_snippet(self, max_chars: int = 1500) -> str:
        """A plain-text unified diff of the changed sentences (- 原文, + 转载), one context sentence."""
        lines: list[str] = []
        for change in self.changes:
            lines.append(f"@@ 原文第 {change.position + 1} 句：{change.describe()} @@")
            if change.position > 0:
                lines.append("  " + self.source_sentences[change.position - 1])
            if change.source:
                lines.append("- " + change.source)
            if change.reprint:
                lines.append("+ " + change.reprint)
        text = "\n".join(lines)
        return text if len(text) <= max_chars else text[: max_chars - 1] + "…"


def compare_texts(source: list[str], reprint: list[str]) -> Comparison:
    """Align source and reprint sentences and list every difference that survives normalisation."""
    source_keys = [normalise(s) for s in source]
    reprint_keys = [normalise(s) for s in reprint]
    matcher = difflib.SequenceMatcher(None, source_keys, reprint_keys, autojunk=False)
    changes: list[Change] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "delete":
            changes += [Change("missing", source=source[i], position=i) for i in range(i1, i2)]
        elif tag == "insert":
            changes += [Change("added", reprint=reprint[j], position=i1) for j in range(j1, j2)]
        else:
            changes += _pair_block(source, reprint, source_keys, reprint_keys, range(i1, i2), range(j1, j2))
    return Comparison(tuple(source), tuple(reprint), tuple(changes))


def _pair_block(source: list[str], reprint: list[str], source_keys: list[str], reprint_keys: list[str],
                source_range: range, reprint_range: range) -> list[Change]:
    """Within a replaced block, pair each source sentence with its most similar unused reprint sentence."""
    unused = list(reprint_range)
    pairs: dict[int, int] = {}
    for i in source_range:
        best, best_ratio = None, PAIR_SIMILARITY
        for j in unused:
            ratio = difflib.SequenceMatcher(None, source_keys[i], reprint_keys[j], autojunk=False).ratio()
            if ratio >= best_ratio:
                best, best_ratio = j, ratio
        if best is not None:
            pairs[i] = best
            unused.remove(best)
    changes: list[Change] = []
    for i in source_range:
        if i not in pairs:
            changes.append(Change("missing", source=source[i], position=i))
            continue
        j = pairs[i]
        kind: ChangeKind = "number_changed" if numbers(source[i]) != numbers(reprint[j]) else "wording_changed"
        changes.append(Change(kind, source=source[i], reprint=reprint[j], position=i))
    changes += [Change("added", reprint=reprint[j], position=source_range.stop) for j in unused]
    return changes
