"""Scoring by the official indicators: profile items -> an entry's verdict, and the methodology."""
from collector.scoring.rules import Item, KindRules, ScoringRules, methodology, scoring_rules
from collector.scoring.verdict import Verdict, evaluate

__all__ = ["Item", "KindRules", "ScoringRules", "Verdict", "evaluate", "methodology", "scoring_rules"]
