"""Rules the collector and the site must apply alike, stated once.

A pass rate (合格率) and the message completion rate (办结率) are rounded the way the circular
writes them; an entry's site code (网站标识码) is what its footer must show and how the site
finds a column's website. Were each layer to derive them itself, a published figure and the
circular could disagree by a tenth of a percent, or a column lose its parent site.
"""
from __future__ import annotations

import math
from fractions import Fraction


def rate(part: int, whole: int) -> float | None:
    """Percent with one decimal, rounded half up; only an exact 100 is 100 (99.95..99.99 -> 99.9).

    None when there is nothing to divide by (no entry checked, no message received)."""
    if whole == 0:
        return None
    exact = Fraction(part * 100, whole)
    tenths = math.floor(exact * 10 + Fraction(1, 2))
    if tenths == 1000 and exact != 100:
        tenths = 999
    return tenths / 10


def rate_text(value: float | None) -> str:
    """As the circular writes it: "100%" for exactly 100, else one decimal ("91.2%"); "—" for None."""
    if value is None:
        return "—"
    return "100%" if value == 100 else f"{value:.1f}%"


def format_rate(part: int, whole: int) -> str:
    """rate_text(rate(part, whole)): 31 of 34 -> "91.2%", 0 of 0 -> "—"."""
    return rate_text(rate(part, whole))


def site_code(kind: str, entry_id: str, parent: str | None) -> str | None:
    """The 网站标识码 an entry answers to: a website's own (its registry id is its site code), a
    disclosure column's parent site's; accounts and message platforms have none."""
    if kind == "website":
        return entry_id
    if kind == "column":
        return parent or None
    return None
