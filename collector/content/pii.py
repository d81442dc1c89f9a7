"""Personal-data detectors: resident ID numbers, mobile numbers, bank-card numbers.

Precision matters more than recall here: a false leak accuses a department in a public circular.
So every detector checks what the number itself can prove (GB 11643 checksum and birth date, the
mobile numbering plan, the Luhn digit) and refuses what only looks alike: masked numbers
(5309**********1234), digits inside longer runs, dates (20200612), document numbers, landlines.

Nothing here returns a raw number. A match carries its span (so callers can place it) and its
masked form; `snippet` shows a context window with every long digit run masked, so neither an
observation nor a log line can hold personal data.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

import phonenumbers
from stdnum import luhn, numdb
from stdnum.cn import ric
from stdnum.exceptions import ValidationError

PiiKind = Literal["resident_id", "mobile", "bank_card"]
PII_KINDS: tuple[PiiKind, ...] = ("resident_id", "mobile", "bank_card")
LABELS: dict[str, str] = {"resident_id": "身份证号码", "mobile": "手机号码", "bank_card": "银行卡号"}

#: Full-width digits and X, as pasted from Word, become ASCII one for one (offsets stay valid).
FULL_WIDTH = str.maketrans("０１２３４５６７８９ＸｘＯ", "0123456789XxO")
_FULL_WIDTH = FULL_WIDTH
#: A number glued to letters, digits or a mask asterisk is part of something else.
_EDGE_BEFORE = r"(?<![0-9A-Za-z*])"
_EDGE_AFTER = r"(?![0-9A-Za-z*])"
_ID_RUN = re.compile(_EDGE_BEFORE + r"([0-9]{17}[0-9Xx]|[0-9]{15})" + _EDGE_AFTER)
_MOBILE_RUN = re.compile(_EDGE_BEFORE + r"(?:(?:\+|00)?86[ -]?)?(1[3-9][0-9](?:[ -]?[0-9]{4}){2})" + _EDGE_AFTER)
_CARD_RUN = re.compile(_EDGE_BEFORE + r"([0-9]{16,19}|[0-9]{4}(?:[ -][0-9]{4}){3}(?:[ -][0-9]{1,3})?)" + _EDGE_AFTER)
#: What every snippet masks: runs of 7+ digits (hyphens allowed), and numbers written in groups
#: of four ("138 1234 5678", "6222 0212 3456 7890 123").
_LONG_RUN = re.compile(r"[0-9]{3,4}(?:[ -][0-9]{4}){2,}(?:[ -][0-9]{1,3})?|[0-9](?:-?[0-9]){6,}[Xx]?")

#: Words before a 15-digit number that make it an ID number (15 digits alone are too common).
_ID_CONTEXT = ("身份证", "身份号码", "证件号")
#: Words that mark a mobile number as a published contact point (a duty phone), not a leak.
_CONTACT_CONTEXT = ("联系电话", "咨询电话", "举报电话", "投诉电话", "监督电话", "服务电话", "值班电话",
                    "热线", "联系方式", "联系人", "传真", "电话：", "电话:")
#: Words that make a Luhn-valid run a bank card.
_CARD_CONTEXT = ("银行卡", "卡号", "账号", "帐号", "银行账户", "储蓄卡", "借记卡", "信用卡", "社保卡", "开户")
_CONTEXT_CHARS = 20
_EARLIEST_BIRTH = date(1900, 1, 1)


@dataclass(frozen=True)
class PiiMatch:
    kind: PiiKind
    start: int
    end: int
    masked: str
    confidence: Literal["high", "medium"]


def mask(value: str) -> str:
    """The number with its middle hidden: 5309**********1234, 138****5678, 6222***********0123.

    Long numbers keep the first and last 4 digits; an 11-digit mobile keeps 3 and 4, the way
    Chinese sites themselves display them. Separators are dropped; full-width digits come out ASCII.
    """
    digits = re.sub(r"[^0-9Xx]", "", value.translate(_FULL_WIDTH))
    return _mask_digits(digits)


def _mask_digits(digits: str) -> str:
    n = len(digits)
    head, tail = (4, 4) if n >= 12 else (3, 4) if n == 11 else (2, 2)
    return digits[:head] + "*" * (n - head - tail) + digits[n - tail:]


def redact(text: str) -> str:
    """Text of the same length with every run of 7+ digits masked, separators kept in place.

    Full-width digits (５１０１…) are found too, as find_pii finds them; their run comes out ASCII.
    """
    ascii_text = text.translate(_FULL_WIDTH)
    pieces, pos = [], 0
    for match in _LONG_RUN.finditer(ascii_text):
        pieces += [text[pos:match.start()], _redact_run(match)]
        pos = match.end()
    return "".join(pieces) + text[pos:]


def _redact_run(match: re.Match[str]) -> str:
    run = match.group(0)
    masked = iter(_mask_digits(re.sub(r"[ -]", "", run)))
    return "".join(c if c in " -" else next(masked) for c in run)


def snippet(text: str, start: int, end: int, width: int = 16) -> str:
    """A short context window around [start, end), with the number and its neighbours masked."""
    safe = redact(text)
    left = max(0, start - width)
    right = min(len(text), end + width)
    window = " ".join(safe[left:right].split())
    return ("…" if left > 0 else "") + window + ("…" if right < len(text) else "")


def find_pii(text: str, today: date) -> list[PiiMatch]:
    """Every personal number in text, in text order; each span is claimed by one detector only."""
    text = text.translate(_FULL_WIDTH)
    matches: list[PiiMatch] = []
    taken: list[tuple[int, int]] = []
    for detector in (_resident_ids, _mobiles, _bank_cards):
        for match in detector(text, today, matches):
            if not any(match.start < e and s < match.end for s, e in taken):
                matches.append(match)
                taken.append((match.start, match.end))
    return sorted(matches, key=lambda m: m.start)


def region_known(code: str) -> bool:
    """Whether the first six digits name a county in the national code table (stdnum's copy)."""
    info = {k: v for _, props in numdb.get("cn/loc").info(code[:6]) for k, v in props.items()}
    return "county" in info


def is_resident_id(number: str, today: date) -> bool:
    """GB 11643 18-digit number: checksum and a plausible birth date (1900 to today).

    stdnum's validate() also demands that the county existed in the birth year; an unknown or
    renamed county is still a leaked ID, so that is only a confidence signal (see find_pii).
    """
    number = number.upper()
    if len(number) != 18 or not number[:17].isdigit():
        return False
    if ric.calc_check_digit(number) != number[17]:
        return False
    try:
        born = ric.get_birth_date(number)
    except ValidationError:
        return False
    return _EARLIEST_BIRTH <= born <= today


def _first_generation_birth(number: str) -> date | None:
    """Birth date of a 15-digit first-generation number (yymmdd in the 1900s), if valid."""
    try:
        return date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
    except ValueError:
        return None


def _before(text: str, start: int, words: tuple[str, ...], chars: int = _CONTEXT_CHARS) -> bool:
    window = text[max(0, start - chars):start]
    return any(word in window for word in words)


def _resident_ids(text: str, today: date, found: list[PiiMatch]) -> list[PiiMatch]:
    result = []
    for match in _ID_RUN.finditer(text):
        number = match.group(1)
        if len(number) == 18:
            if not is_resident_id(number, today):
                continue
            confidence: Literal["high", "medium"] = "high" if region_known(number) else "medium"
        else:
            # no checksum in the first generation: demand a known county, a date and the word
            if not (region_known(number) and _first_generation_birth(number)
                    and _before(text, match.start(), _ID_CONTEXT)):
                continue
            confidence = "medium"
        result.append(PiiMatch("resident_id", match.start(1), match.end(1), mask(number), confidence))
    return result


def _mobiles(text: str, today: date, found: list[PiiMatch]) -> list[PiiMatch]:
    result = []
    for match in _MOBILE_RUN.finditer(text):
        digits = re.sub(r"[ -]", "", match.group(1))
        try:
            number = phonenumbers.parse(digits, "CN")
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE:
            continue
        if not phonenumbers.is_valid_number(number):
            continue
        near_person = any(m.kind == "resident_id" and abs(m.start - match.start()) < 60 for m in found)
        if _before(text, match.start(), _CONTACT_CONTEXT, 12) and not near_person:
            continue  # a duty or contact phone published on purpose
        result.append(PiiMatch("mobile", match.start(1), match.end(1), mask(digits), "high"))
    return result


def _bank_cards(text: str, today: date, found: list[PiiMatch]) -> list[PiiMatch]:
    result = []
    for match in _CARD_RUN.finditer(text):
        digits = re.sub(r"[ -]", "", match.group(1))
        if not (16 <= len(digits) <= 19) or not luhn.is_valid(digits):
            continue
        if len(digits) == 18 and is_resident_id(digits, today):
            continue
        # UnionPay (62) debit cards have 19 digits and credit cards 16; anything else needs the word
        unionpay = digits.startswith("62") and len(digits) in (16, 19)
        context = _before(text, match.start(), _CARD_CONTEXT) and digits[0] in "34569"
        if not (unionpay or context):
            continue
        confidence: Literal["high", "medium"] = "high" if unionpay and context else "medium"
        result.append(PiiMatch("bank_card", match.start(1), match.end(1), mask(digits), confidence))
    return result
