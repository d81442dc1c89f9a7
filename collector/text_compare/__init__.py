"""Main text of an article page, and how a reprint differs from its source.

`main_text` strips navigation, sidebars and footers (readability-lxml finds the article block) and
returns the article as sentences; `compare_texts` aligns two such texts and names what changed
(numbers, missing or added sentences) with a plain-text diff for the evidence.
"""
from collector.text_compare.compare import Change, Comparison, compare_texts, normalise
from collector.text_compare.extract import main_text, sentences

__all__ = ["Change", "Comparison", "compare_texts", "main_text", "normalise", "sentences"]
