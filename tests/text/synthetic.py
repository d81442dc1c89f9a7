"""Synthetic personal numbers for the corpus and the tests: real formats, no real people.

ID numbers are made from real county codes, valid birth dates and the GB 11643 check digit (stdnum);
card numbers from real issuer prefixes and the Luhn digit; mobiles from allocated prefixes. Each
maker takes a random.Random so a corpus built from a seed is the same on every machine.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

from stdnum import ean, luhn
from stdnum.cn import ric, uscc

#: County-level codes of the national table (Lincang's counties first).
COUNTIES = ("530902", "530921", "530922", "530923", "530924", "530925", "530926", "530927", "110101",
            "110105", "440106", "440113", "360426", "412723", "510104", "320102", "330106", "420102",
            "610113", "230102", "370102", "210102", "130503", "350203", "450102", "520102", "640104")
#: Issuer prefixes: (prefix, length, needs context) — UnionPay 62… debit (19) and credit (16) cards
#: are recognised alone; Visa, Mastercard and the old 9… domestic cards need a word or a bank.
CARD_ISSUERS = (("622202", 19), ("622848", 19), ("621700", 19), ("622150", 19), ("621799", 19),
                ("622588", 16), ("625965", 16), ("622700", 19))
OTHER_CARDS = (("436742", 16), ("404117", 16), ("518710", 16), ("955880", 19), ("356833", 16))
MOBILE_PREFIXES = ("130", "131", "135", "136", "138", "139", "150", "151", "157", "158", "159", "177",
                   "180", "182", "183", "186", "187", "188", "189", "199")
NAMES = ("张三", "李四", "王五", "赵六", "刘芳", "陈静", "杨洋", "黄磊", "周敏", "吴刚", "徐丽", "孙强",
         "马丽", "朱峰", "胡军", "郭婷", "何平", "高翔", "林娜", "罗斌")
PLACES = ("临翔区", "凤庆县", "云县", "永德县", "镇康县", "双江县", "耿马县", "沧源县")
BANKS = ("中国农业银行", "中国工商银行", "中国建设银行", "中国银行", "中国邮政储蓄银行", "临沧农村商业银行",
         "云南省农村信用社", "交通银行", "招商银行")


def birth(rng: random.Random, first: int = 1930, last: int = 2015) -> date:
    return date(first, 1, 1) + timedelta(days=rng.randrange((date(last, 12, 31) - date(first, 1, 1)).days))


def resident_id(rng: random.Random, county: str | None = None, born: date | None = None) -> str:
    """An 18-character ID number with a valid check digit."""
    body = (county or rng.choice(COUNTIES)) + (born or birth(rng)).strftime("%Y%m%d") + f"{rng.randrange(1000):03d}"
    return body + ric.calc_check_digit(body + "0")


def wrong_check_id(rng: random.Random) -> str:
    """Like resident_id but with a check digit that does not match."""
    number = resident_id(rng)
    return number[:17] + rng.choice([c for c in "0123456789X" if c != number[17]])


def first_generation_id(rng: random.Random) -> str:
    """A 15-digit first-generation ID: county, yymmdd (1900s), 3-digit sequence."""
    return rng.choice(COUNTIES) + birth(rng, 1920, 1983).strftime("%y%m%d") + f"{rng.randrange(1000):03d}"


def truncated(number: str) -> tuple[float, str]:
    """An ID as a spreadsheet stores it when typed as a number: (the float, its 15-digit text)."""
    kept = number[:15] + "000"
    return float(kept), kept


def grouped(number: str, pattern: tuple[int, ...], sep: str) -> str:
    parts, at = [], 0
    for size in pattern:
        parts.append(number[at:at + size])
        at += size
    return sep.join(parts)


def card(rng: random.Random, issuers: tuple[tuple[str, int], ...] = CARD_ISSUERS) -> str:
    prefix, length = rng.choice(issuers)
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    return body + luhn.calc_check_digit(body)


def luhn_invalid_card(rng: random.Random) -> str:
    number = card(rng)
    return number[:-1] + str((int(number[-1]) + rng.randrange(1, 10)) % 10)


def luhn_valid_serial(rng: random.Random, prefix: str, length: int) -> str:
    """A Luhn-valid number of any prefix (order and transaction numbers pass Luhn one time in ten)."""
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    return body + luhn.calc_check_digit(body)


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10 ** 8):08d}"


def credit_code(rng: random.Random) -> str:
    """统一社会信用代码: registration department, kind, county, organisation code, check character."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = rng.choice(("91", "11", "12", "52")) + rng.choice(COUNTIES) + "".join(rng.choice(alphabet) for _ in range(9))
    return body + uscc.calc_check_digit(body)


def isbn13(rng: random.Random) -> str:
    body = "9787" + "".join(rng.choice("0123456789") for _ in range(8))
    return body + ean.calc_check_digit(body)


def digits(rng: random.Random, n: int) -> str:
    return str(rng.randrange(1, 10)) + "".join(rng.choice("0123456789") for _ in range(n - 1))
