"""The masking gate: every string a check stores passes here, so no check can forget to mask.

Observations are committed and published; a resident ID or mobile number in a page title, a link
text or a message export cell must never reach data/, content/ or output/ in full. The gate runs
on every Observation and Finding as it is created (and so also on every line read back from old
JSONL), and on the summaries' third-party text. It is deliberately broader than the PII check's
detectors: that check accuses a department and must be precise, whereas masking a number that
only looks personal in *stored* text costs nothing.

What is masked (ASCII or full-width digits, single spaces or hyphens between digit groups, in
plain text, URL paths and query strings alike):
  - 18-character resident IDs whose birth-date part is a real date (no checksum demanded: a
    mistyped ID is still somebody's ID), and 15-digit first-generation IDs likewise;
  - mainland mobile numbers (1[3-9] + 9 digits, with or without +86 / 0086);
  - 16-19 digit numbers that pass the Luhn check (bank cards).
The masked form keeps the first and last digits (5101**********1234, 138****5678) and drops the
separators, so the same number always masks the same way: keys stay deterministic. The gate is
idempotent: what it leaves next to a run of asterisks is never joined into a new number.
"""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Any

from stdnum import luhn

#: Full-width digits and X, as pasted from Word, become ASCII one for one (offsets stay valid).
FULL_WIDTH = str.maketrans("０１２３４５６７８９ＸｘＯ", "0123456789XxO")


def mask(value: str) -> str:
    """The number with its middle hidden: 5309**********1234, 138****5678, 6222***********0123.

    Long numbers keep the first and last 4 digits; an 11-digit mobile keeps 3 and 4, the way
    Chinese sites themselves display them. Separators are dropped; full-width digits come out ASCII.
    """
    digits = re.sub(r"[^0-9Xx]", "", value.translate(FULL_WIDTH))
    return mask_digits(digits)


def mask_digits(digits: str) -> str:
    """Digits only (separators already dropped) with their middle hidden."""
    n = len(digits)
    head, tail = (4, 4) if n >= 12 else (3, 4) if n == 11 else (2, 2)
    return digits[:head] + "*" * (n - head - tail) + digits[n - tail:]


#: One character for one character (offsets stay valid): full-width digits, X, spaces, hyphens.
_NORMALISE = str.maketrans({**FULL_WIDTH, 0x3000: " ", 0xFF0D: "-", 0x2010: "-", 0x2011: "-"})
#: Cheap first look: no run of 11 digits (separators allowed) means nothing to mask.
_HINT = re.compile(r"[0-9０-９](?:[ \-\u3000\uff0d\u2010\u2011]?[0-9０-９]){10,}")
#: A run of digit groups joined by single separators, on normalised text.
_RUN = re.compile(r"(?<![0-9])[0-9](?:[ -]?[0-9])*")
_GROUP = re.compile(r"[0-9]+")
_ASCII_ALNUM = re.compile(r"[0-9A-Za-z]")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
#: A masked number shows at least four asterisks (escaped in Markdown); digits touching them
#: are its visible ends.
_STARS_BEFORE = re.compile(r"(?:\\?\*){4}$")
_STARS_AFTER = re.compile(r"(?:\\?\*){4}")
_LONGEST = 19
_LENGTHS = frozenset({11, 13, 15, 16, 17, 18, 19})
#: The same titles, URLs and messages recur in every round: short texts are masked once.
_CACHED_CHARS = 2000


def mask_text(text: str) -> str:
    """text with every personal number masked; unchanged (the same object) when there is none."""
    if not text or not _HINT.search(text):
        return text
    return _mask_text(text) if len(text) <= _CACHED_CHARS else _mask(text)


def mask_markdown(text: str) -> str:
    """The gate for Markdown source: a masked number's asterisks are escaped, so they show as
    asterisks instead of turning the text around them into emphasis."""
    if not text or not _HINT.search(text):
        return text
    return _mask_text(text, "\\*") if len(text) <= _CACHED_CHARS else _mask(text, "\\*")


def _mask(text: str, star: str = "*") -> str:
    norm = text.translate(_NORMALISE)
    out: list[str] = []
    pos = 0
    for run in _RUN.finditer(norm):
        for start, end, masked in _personal_numbers(norm, run):
            out.append(text[pos:start])
            out.append(masked if star == "*" else masked.replace("*", star))
            pos = end
    out.append(text[pos:])
    return "".join(out)


_mask_text = lru_cache(maxsize=65536)(_mask)


def _personal_numbers(norm: str, run: re.Match[str]) -> list[tuple[int, int, str]]:
    """Spans of whole digit groups inside one run that form a personal number, leftmost-longest."""
    groups = [(run.start() + g.start(), run.start() + g.end()) for g in _GROUP.finditer(run.group(0))]
    end = groups[-1][1]
    if norm[end:end + 1] in ("X", "x") and not _ASCII_ALNUM.match(norm, end + 1):
        groups[-1] = (groups[-1][0], end + 1)  # the check character of an ID
    usable = [not _masked_remnant(norm, s, e) for s, e in groups]
    found: list[tuple[int, int, str]] = []
    i = 0
    while i < len(groups):
        hit = None
        if usable[i]:
            number = ""
            for j in range(i, len(groups)):
                if not usable[j]:
                    break
                number += norm[groups[j][0]:groups[j][1]]
                if len(number) > _LONGEST:
                    break
                masked = _classify(number) if len(number) in _LENGTHS else None
                if masked:
                    hit = (groups[i][0], groups[j][1], masked, j)  # keep looking for a longer one
        if hit:
            found.append(hit[:3])
            i = hit[3] + 1
        else:
            i += 1
    return found


def _masked_remnant(norm: str, start: int, end: int) -> bool:
    """Digits touching a run of asterisks are the visible ends of a number masked before."""
    return bool(_STARS_BEFORE.search(norm[max(0, start - 8):start]) or _STARS_AFTER.match(norm, end))


def _classify(number: str) -> str | None:
    """The masked form if `number` (digits, maybe a final X) could be personal, else None."""
    n = len(number)
    if not number[:-1].isdigit():
        return None
    if n == 18 and _birth_date(number[6:10], number[10:12], number[12:14]):
        return mask(number.upper())
    if not number.isdigit():
        return None
    if n == 15 and number[0] in "12345678" and _birth_date("19" + number[6:8], number[8:10], number[10:12]):
        return mask(number)
    if n == 11 and _MOBILE.fullmatch(number):
        return mask(number)
    if n in (13, 15) and number.startswith(("86", "0086")) and _MOBILE.fullmatch(number[-11:]):
        return number[:-11] + mask(number[-11:])
    if 16 <= n <= _LONGEST and luhn.is_valid(number):
        return mask(number)
    return None


def _birth_date(year: str, month: str, day: str) -> bool:
    """A real calendar date from 1900 on; fixed bounds, so masking never changes with the clock."""
    try:
        born = date(int(year), int(month), int(day))
    except ValueError:
        return False
    return 1900 <= born.year <= 2099


def mask_value(value: Any) -> Any:
    """Any JSON-like value with every string (dict keys too) and every long integer masked.

    Returns the very same object when nothing needed masking (the common case: no copy). Two keys
    that mask alike stay apart ("key", "key#2"), so masking never merges figures.
    """
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return value
    if isinstance(value, int):
        if -10**10 < value < 10**10:
            return value
        masked = mask_text(str(value))
        return value if masked == str(value) else masked
    if isinstance(value, dict):
        # Read through first, stopping at the first change: most values (every one read back from
        # the store, masked when written) need none, and then nothing is built.
        for key, item in value.items():
            if mask_value(key) is not key or mask_value(item) is not item:
                return _masked_dict(value)
        return value
    if isinstance(value, (list, tuple)):
        for item in value:
            if mask_value(item) is not item:
                return type(value)([mask_value(each) for each in value])
        return value
    return value


def _masked_dict(value: dict[Any, Any]) -> dict[Any, Any]:
    result: dict[Any, Any] = {}
    for key, item in value.items():
        new_key = mask_value(key)
        if new_key != key:
            base, n = new_key, 2
            while new_key in result or (new_key in value and new_key != key):
                new_key, n = f"{base}#{n}", n + 1
        result[new_key] = mask_value(item)
    return result
