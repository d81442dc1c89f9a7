"""Personal-data detectors: resident ID numbers, mobile numbers, bank-card numbers.

Precision matters more than recall here: a false leak accuses a department in a public circular.
So every detector checks what the number itself can prove (GB 11643 checksum and birth date, the
mobile numbering plan, the Luhn digit) and refuses what only looks alike: masked numbers
(5309**********1234), digits inside longer runs, dates (20200612), document numbers, landlines.
Recall comes from the forms numbers really take: IDs grouped 6-8-4 or 4-4-4-4-2, first-generation
15-digit IDs (county and date, no serial word before them), IDs a spreadsheet kept as numbers
(county and birth date survive: reported as partial), cards named by a bank or an account, and a
table cell's column header standing in for the word before the number.

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

from govcensus_data.masking import FULL_WIDTH, mask
from govcensus_data.masking import mask_digits as _mask_digits

PiiKind = Literal["resident_id", "mobile", "bank_card"]
PII_KINDS: tuple[PiiKind, ...] = ("resident_id", "mobile", "bank_card")

_FULL_WIDTH = FULL_WIDTH
#: A number glued to letters, digits or a mask asterisk is part of something else.
_EDGE_BEFORE = r"(?<![0-9A-Za-z*])"
_EDGE_AFTER = r"(?![0-9A-Za-z*])"
_ID_RUN = re.compile(_EDGE_BEFORE + r"([0-9]{17}[0-9Xx]|[0-9]{15})" + _EDGE_AFTER)
#: An 18-digit ID number written in the usual groupings, 6-8-4 or 4-4-4-4-2, with one kind of separator.
_ID_GROUPED = re.compile(_EDGE_BEFORE + r"([0-9]{6}([ -])[0-9]{8}\2[0-9]{3}[0-9Xx]"
                         r"|[0-9]{4}([ -])[0-9]{4}\3[0-9]{4}\3[0-9]{4}\3[0-9][0-9Xx])" + _EDGE_AFTER)
#: An ID number a spreadsheet stored as a number: 15 significant digits survive, the last 3 are zeros
#: ("530902199601279000") or the number is written in scientific notation ("5.30902199601279E+17").
_ID_TRUNCATED = re.compile(_EDGE_BEFORE + r"([0-9]{15}000|[1-9]\.[0-9]{13,14}[Ee]\+?17)" + _EDGE_AFTER)
_MOBILE_RUN = re.compile(_EDGE_BEFORE + r"(?:(?:\+|00)?86[ -]?)?(1[3-9][0-9](?:[ -]?[0-9]{4}){2})" + _EDGE_AFTER)
#: A card number, whole or in groups of four; a grouped run that goes on ("3604 2619 9101 0200 9X",
#: a spaced ID number) is never cut short into a 16-digit card.
_CARD_RUN = re.compile(_EDGE_BEFORE + r"([0-9]{16,19}|[0-9]{4}(?:[ -][0-9]{4}){3}(?:[ -][0-9]{1,3})?(?![ -]?[0-9Xx]))"
                       + _EDGE_AFTER)
#: What every snippet masks: runs of 7+ digits (hyphens allowed), and numbers written in groups
#: of four ("138 1234 5678", "6222 0212 3456 7890 123").
_LONG_RUN = re.compile(r"[0-9]{3,4}(?:[ -][0-9]{4}){2,}(?:[ -][0-9]{1,3})?|[0-9](?:-?[0-9]){6,}[Xx]?")

#: Words that name an ID number (before it, or in the column header of its cell).
_ID_CONTEXT = ("身份证", "身份号码", "证件号", "公民身份")
#: Words before a number that make it some other kind of number: a 15-digit run after them is a
#: serial, a registration or a tax number, however much it looks like a first-generation ID.
_SERIAL_CONTEXT = ("编号", "编码", "单号", "流水", "批次", "代码", "注册号", "税号", "登记号", "识别号",
                   "账号", "帐号", "账户", "订单", "合同", "文号", "序列号", "序号", "条码", "条形码",
                   "ISBN", "发票", "工号", "批准号", "许可证", "证书号", "交易号", "凭证")
#: Words that mark a mobile number as a published contact point (a duty phone), not a leak.
_CONTACT_CONTEXT = ("联系电话", "咨询电话", "举报电话", "投诉电话", "监督电话", "服务电话", "值班电话",
                    "热线", "联系方式", "联系人", "传真", "电话：", "电话:")
#: Words that make a Luhn-valid run a bank card: the card, the account, or a bank's name (any name
#: ending in 银行, the credit cooperatives, and the short names people write).
_CARD_CONTEXT = ("银行卡", "卡号", "账号", "帐号", "账户", "帐户", "储蓄卡", "借记卡", "信用卡", "社保卡",
                 "开户", "银行", "信用社", "农信", "邮储", "工行", "农行", "建行", "中行", "交行", "招行")
#: A bank's name right after a number ("6228 4800 … （农业银行）"), not the word 银行卡.
_BANK_AFTER = re.compile(r"[ \t（(，,、]*[\u4e00-\u9fff]{0,8}?"
                         r"(?:银行|信用社|信用合作社|工行|农行|建行|中行|交行|招行|邮储)(?!卡)")
#: Accounts of organisations are published on purpose (fees, donations) and are not personal data.
_NOT_PERSONAL_ACCOUNT = ("对公", "单位账", "单位帐", "基本户", "财政专户", "汇缴")
_CONTEXT_CHARS = 20
_EARLIEST_BIRTH = date(1900, 1, 1)


@dataclass(frozen=True)
class PiiMatch:
    """One personal number; `partial` marks an ID number that lost its last digits (kept as a number
    by a spreadsheet): what is left still discloses where and when its holder was born."""

    kind: PiiKind
    start: int
    end: int
    masked: str
    confidence: Literal["high", "medium"]
    partial: bool = False


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


def hide(text: str, matches: list[PiiMatch]) -> str:
    """Text of the same length with every matched number masked digit by digit, whatever its
    grouping, so a snippet around a match shows nothing more than the match's masked form."""
    chars = list(text)
    for match in matches:
        masked = iter(_mask_digits("".join(c for c in text[match.start:match.end] if c.isalnum())))
        for i in range(match.start, match.end):
            if chars[i].isalnum():
                chars[i] = next(masked)
    return "".join(chars)


@dataclass(frozen=True)
class _Scan:
    """One text under scan: the text, the header of its table column (context that does not stand
    before it in the text) and whether labelled contact phones are exempt."""

    text: str
    today: date
    header: str
    exempt_contacts: bool
    row: str = ""

    def before(self, start: int, words: tuple[str, ...], chars: int = _CONTEXT_CHARS) -> bool:
        window = self.text[max(0, start - chars):start]
        return any(word in window for word in words) or any(word in self.header for word in words)

    def after(self, end: int, pattern: re.Pattern[str]) -> bool:
        return pattern.match(self.text, end) is not None


def find_pii(text: str, today: date, header: str = "", exempt_contacts: bool = True, row: str = "") -> list[PiiMatch]:
    """Every personal number in text, in text order; each span is claimed by one detector only.

    `header` is the column header of a table cell (身份证号, 银行卡号, 项目编号): it names the kind
    of every number in the cell, as a word before it would. `row` is the text of the cell's whole
    row. `exempt_contacts` spares mobiles labelled as a contact or duty phone, in the text or by the
    column header, unless an ID number stands next to them or in their row (the profile's
    personal_info.exempt_contact_phones).
    """
    scan = _Scan(text.translate(_FULL_WIDTH), today, header.translate(_FULL_WIDTH), exempt_contacts,
                 row.translate(_FULL_WIDTH))
    matches: list[PiiMatch] = []
    taken: list[tuple[int, int]] = []
    for detector in (_resident_ids, _grouped_ids, _truncated_ids, _mobiles, _bank_cards):
        for match in detector(scan, matches):
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


def _born(number: str, today: date, earliest: date = _EARLIEST_BIRTH) -> bool:
    """An 18-digit (or truncated) ID's birth date is a real day between 1900 and today."""
    try:
        born = ric.get_birth_date(number[:14] + "0000")
    except ValidationError:
        return False
    return earliest <= born <= today


def looks_like_resident_id(digits: str, today: date) -> bool:
    """18 characters with a real day in the birth date's place (from 1800, the oldest the examples
    quote), checksum or county right or not: such a number is never reported as a bank card (a
    mistyped ID is still not a card)."""
    return len(digits) == 18 and digits[:17].isdigit() and _born(digits, today, date(1800, 1, 1))


def _resident_ids(scan: _Scan, found: list[PiiMatch]) -> list[PiiMatch]:
    result = []
    for match in _ID_RUN.finditer(scan.text):
        number = match.group(1)
        if len(number) == 18:
            if not is_resident_id(number, scan.today):
                continue
            confidence: Literal["high", "medium"] = "high" if region_known(number) else "medium"
        else:
            # no checksum in the first generation: demand a known county and a date, and either the
            # word or no word that makes the run a serial, tax or registration number
            if not (region_known(number) and _first_generation_birth(number)):
                continue
            named = scan.before(match.start(), _ID_CONTEXT)
            if not named and scan.before(match.start(), _SERIAL_CONTEXT):
                continue
            confidence = "high" if named else "medium"
        result.append(PiiMatch("resident_id", match.start(1), match.end(1), mask(number), confidence))
    return result


def _grouped_ids(scan: _Scan, found: list[PiiMatch]) -> list[PiiMatch]:
    result = []
    for match in _ID_GROUPED.finditer(scan.text):
        number = re.sub(r"[ -]", "", match.group(1)).upper()
        if is_resident_id(number, scan.today):
            confidence: Literal["high", "medium"] = "high" if region_known(number) else "medium"
            result.append(PiiMatch("resident_id", match.start(1), match.end(1), mask(number), confidence))
    return result


def _truncated_ids(scan: _Scan, found: list[PiiMatch]) -> list[PiiMatch]:
    """ID numbers a spreadsheet kept as numbers: the check digit is gone, so only a known county,
    a valid birth date and an ID-like place (no serial word before it) tell them apart."""
    result = []
    for match in _ID_TRUNCATED.finditer(scan.text):
        run = match.group(1)
        if "." in run:
            mantissa = run.split("E")[0].split("e")[0].replace(".", "")
            digits = mantissa.ljust(18, "0")
        else:
            digits = run
        if not (region_known(digits) and _born(digits, scan.today)):
            continue
        if not scan.before(match.start(), _ID_CONTEXT) and scan.before(match.start(), _SERIAL_CONTEXT):
            continue
        result.append(PiiMatch("resident_id", match.start(1), match.end(1), mask(digits), "medium", partial=True))
    return result


def _mobiles(scan: _Scan, found: list[PiiMatch]) -> list[PiiMatch]:
    result = []
    for match in _MOBILE_RUN.finditer(scan.text):
        digits = re.sub(r"[ -]", "", match.group(1))
        try:
            number = phonenumbers.parse(digits, "CN")
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE:
            continue
        if not phonenumbers.is_valid_number(number):
            continue
        if scan.exempt_contacts and _published_contact(scan, match.start(), found):
            continue  # a duty or contact phone published on purpose
        result.append(PiiMatch("mobile", match.start(1), match.end(1), mask(digits), "high"))
    return result


def _published_contact(scan: _Scan, start: int, found: list[PiiMatch]) -> bool:
    """A mobile labelled as a contact point (before it, or by its column's header) and not beside
    an ID number: in a roster of people the 联系电话 column is each person's own phone."""
    window = scan.text[max(0, start - 12):start]
    if any(word in window for word in _CONTACT_CONTEXT):
        return not any(m.kind == "resident_id" and abs(m.start - start) < 60 for m in found)
    header = scan.header.strip()
    if any(word in header for word in _CONTACT_CONTEXT) or header in ("电话", "联系电话", "办公电话"):
        return not (scan.row and any(m.kind == "resident_id" for m in find_pii(scan.row, scan.today)))
    return False


def _bank_cards(scan: _Scan, found: list[PiiMatch]) -> list[PiiMatch]:
    result = []
    for match in _CARD_RUN.finditer(scan.text):
        digits = re.sub(r"[ -]", "", match.group(1))
        if not (16 <= len(digits) <= 19) or not luhn.is_valid(digits):
            continue
        if looks_like_resident_id(digits, scan.today):
            continue  # an ID number, even mistyped or in groups of four, is never a card
        if scan.before(match.start(), _NOT_PERSONAL_ACCOUNT):
            continue
        # UnionPay (62) debit cards have 19 digits and credit cards 16; anything else needs the word
        unionpay = digits.startswith("62") and len(digits) in (16, 19)
        named_before = scan.before(match.start(), _CARD_CONTEXT)
        named = named_before or scan.after(match.end(), _BANK_AFTER)
        context = named and digits[0] in "34569"
        if not named_before and scan.before(match.start(), _SERIAL_CONTEXT):
            continue  # an order or transaction number that happens to pass Luhn
        if not (unionpay or context):
            continue
        confidence: Literal["high", "medium"] = "high" if unionpay and context else "medium"
        result.append(PiiMatch("bank_card", match.start(1), match.end(1), mask(digits), confidence))
    return result
