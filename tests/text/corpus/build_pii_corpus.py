"""Builds pii_generated.tsv: labelled snippets in the forms government pages leak numbers in, and
the numbers they must not be confused with. Run from the repository root:

    .venv/bin/python tests/text/corpus/build_pii_corpus.py

The labels are what a reviewer would say of each snippet, written next to the template that makes
it; the numbers are synthetic (tests/text/synthetic.py). tests/text/test_corpus.py checks the
committed file is what this script writes, so the corpus cannot drift from its templates.
"""
from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from text.synthetic import (BANKS, NAMES, OTHER_CARDS, PLACES, birth, card, credit_code, digits,  # noqa: E402
                               first_generation_id, grouped, isbn13, luhn_invalid_card, luhn_valid_serial,
                               mobile, resident_id, truncated, wrong_check_id)

OUTPUT = HERE / "pii_generated.tsv"
SEED = 20200630
Template = Callable[[random.Random], tuple[str, str]]


def _person(r: random.Random) -> str:
    return r.choice(NAMES)


# --------------------------------------------------------------------------- positives
POSITIVES: list[Template] = [
    lambda r: ("resident_id", f"{_person(r)}，{r.choice('男女')}，身份证号码：{resident_id(r)}，住{r.choice(PLACES)}。"),
    lambda r: ("resident_id", f"申请人：{_person(r)}  公民身份号码 {resident_id(r)}"),
    lambda r: ("resident_id", f"{_person(r)}（{resident_id(r)}）已通过资格审查。"),
    lambda r: ("resident_id", f"{r.randrange(1, 60)}\t{_person(r)}\t{resident_id(r)}\t{r.choice(PLACES)}"),
    lambda r: ("resident_id", f"经审核，{_person(r)} {resident_id(r)} 符合补助条件。"),
    lambda r: ("resident_id", f"证件号码：{resident_id(r).lower()}"),
    lambda r: ("resident_id", "身份证：" + resident_id(r).translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))),
    # grouped the usual ways (6-8-4, 4-4-4-4-2), with spaces or hyphens
    lambda r: ("resident_id", f"身份证号 {grouped(resident_id(r), (6, 8, 4), ' ')}"),
    lambda r: ("resident_id", f"{_person(r)} 身份证 {grouped(resident_id(r), (6, 8, 4), '-')} 已登记"),
    lambda r: ("resident_id", f"{_person(r)}：{grouped(resident_id(r), (4, 4, 4, 4, 2), ' ')}"),
    lambda r: ("resident_id", f"公民身份号码 {grouped(resident_id(r), (4, 4, 4, 4, 2), '-')}（复印件）"),
    # first generation, with and without the word
    lambda r: ("resident_id", f"身份证号码{first_generation_id(r)}（第一代身份证）"),
    lambda r: ("resident_id", f"{_person(r)}  {first_generation_id(r)}  {r.choice(PLACES)}某某村"),
    lambda r: ("resident_id", f"户主{_person(r)}，{first_generation_id(r)}，家庭人口 {r.randrange(2, 7)} 人"),
    # IDs a spreadsheet kept as numbers: region and birth date leak
    lambda r: ("resident_id", f"身份证号 {truncated(resident_id(r))[1]}"),
    lambda r: ("resident_id", f"{_person(r)} {truncated(resident_id(r, born=birth(r, 1950, 1999)))[0]:.14E}".replace("E+", "E+")),
    # mobiles
    lambda r: ("mobile", f"{_person(r)}，手机号码{mobile(r)}，住址某某村。"),
    lambda r: ("mobile", f"{_person(r)} 手机 {grouped(mobile(r), (3, 4, 4), ' ')}"),
    lambda r: ("mobile", f"{_person(r)} 手机 {grouped(mobile(r), (3, 4, 4), '-')}"),
    lambda r: ("mobile", f"本人电话 +86 {mobile(r)}"),
    lambda r: ("mobile", f"{r.randrange(1, 60)}\t{_person(r)}\t{mobile(r)}\t{r.choice(PLACES)}"),
    lambda r: ("resident_id,mobile", f"{_person(r)}，身份证号{resident_id(r)}，联系电话{mobile(r)}。"),
    lambda r: ("resident_id,mobile", f"{_person(r)} {resident_id(r)} {mobile(r)} {r.choice(PLACES)}"),
    # bank cards: UnionPay alone, others next to the word, the account or a bank's name
    lambda r: ("bank_card", f"{_person(r)}，补贴发放银行卡号{card(r)}。"),
    lambda r: ("bank_card", f"收款人{_person(r)} {card(r)}"),
    lambda r: ("bank_card", f"开户行：{r.choice(BANKS)}临沧分行  账号：{card(r, OTHER_CARDS)}"),
    lambda r: ("bank_card", f"{_person(r)} 收款账户 {card(r, OTHER_CARDS)}（{r.choice(BANKS)}）"),
    lambda r: ("bank_card", f"{r.choice(BANKS)} {card(r, OTHER_CARDS)} {_person(r)}"),
    lambda r: ("bank_card", f"信用卡卡号：{card(r, OTHER_CARDS)}"),
    lambda r: ("bank_card", f"银行卡号 {grouped(card(r), (4, 4, 4, 4, 3), ' ')}"),
    lambda r: ("bank_card", f"社保卡账号 {card(r)}"),
    lambda r: ("resident_id,bank_card", f"{_person(r)}，身份证{resident_id(r)}，银行卡号{card(r)}"),
    lambda r: ("resident_id,mobile,bank_card",
               f"{_person(r)} {resident_id(r)} 手机{mobile(r)} 开户行{r.choice(BANKS)} 卡号{card(r, OTHER_CARDS)}"),
]


def _spaced_id_that_passes_luhn(r: random.Random) -> str:
    """A valid ID number that also passes Luhn, written in groups of four like a card."""
    while True:
        number = resident_id(r)
        if number[-1] != "X" and luhn_ok(number):
            return grouped(number, (4, 4, 4, 4, 2), " ")


def _bad_id_that_passes_luhn(r: random.Random) -> str:
    while True:
        number = wrong_check_id(r)
        if number[-1] != "X" and luhn_ok(number):
            return grouped(number, (4, 4, 4, 4, 2), " ")


def luhn_ok(number: str) -> bool:
    from stdnum import luhn
    return luhn.is_valid(number)


POSITIVES += [
    # an ID number in spaced form is an ID number, never a bank card, even next to 卡号
    lambda r: ("resident_id", f"银行卡号 {_spaced_id_that_passes_luhn(r)}"),
    lambda r: ("resident_id", f"{_person(r)} 账号 {_spaced_id_that_passes_luhn(r)}"),
]


# --------------------------------------------------------------------------- hard negatives
def _masked_id(r: random.Random) -> str:
    number = resident_id(r)
    return r.choice((number[:4] + "*" * 10 + number[-4:], number[:6] + "*" * 8 + number[-4:],
                     number[:10] + "****" + number[-4:], number[:3] + "*" * 11 + number[-4:]))


def _serial_15(r: random.Random) -> str:
    """15 digits that look like a first-generation ID (county + yymmdd + 3 digits)."""
    return first_generation_id(r)


NEGATIVES: list[Template] = [
    lambda r: ("-", f"{_person(r)[0]}**，身份证号码：{_masked_id(r)}，拟聘岗位：综合管理。"),
    lambda r: ("-", f"手机：{mobile(r)[:3]}****{mobile(r)[-4:]}；银行卡号{card(r)[:4]}***********{card(r)[-4:]}"),
    lambda r: ("-", f"身份证号码{wrong_check_id(r)}（校验位错误）"),
    lambda r: ("-", f"身份证号 {grouped(wrong_check_id(r), (6, 8, 4), ' ')}（校验位错误，分组书写）"),
    lambda r: ("-", f"银行卡号 {_bad_id_that_passes_luhn(r)}（校验位错误的身份证号，不是银行卡）"),
    lambda r: ("-", f"订单编号{digits(r, 20)}"),
    lambda r: ("-", f"订单号：{luhn_valid_serial(r, '62', 19)}"),
    lambda r: ("-", f"交易流水号 {luhn_valid_serial(r, r.choice(('4', '5', '62')), 16)}"),
    lambda r: ("-", f"流水号{digits(r, 22)}"),
    lambda r: ("-", f"统一社会信用代码：{credit_code(r)}"),
    lambda r: ("-", f"{r.choice(PLACES)}某某有限公司（统一社会信用代码 {credit_code(r)}）"),
    lambda r: ("-", f"组织机构代码：{digits(r, 8)}-{r.choice('0123456789X')}"),
    lambda r: ("-", f"纳税人识别号 {r.choice(('530902', '530922', '110101'))}{digits(r, 9)}"),
    lambda r: ("-", f"税务登记号：{_serial_15(r)}"),
    lambda r: ("-", f"工商注册号 {_serial_15(r)}"),
    lambda r: ("-", f"项目编号 {_serial_15(r)}"),
    lambda r: ("-", f"招标编号：LCZC{2020}-G{r.randrange(1, 9)}-{r.randrange(100, 999):05d}-{r.randrange(1, 4)}"),
    lambda r: ("-", f"招标编号 5309{r.randrange(2018, 2021)}{digits(r, 8)}"),
    lambda r: ("-", f"临政办发〔2020〕{r.randrange(1, 200)}号"),
    lambda r: ("-", f"{r.choice(('临政发', '临交发', '耿政办发', '云政办函'))}〔{r.randrange(2015, 2021)}〕"
                    f"{r.randrange(1, 300)}号 2020年{r.randrange(1, 13)}月{r.randrange(1, 29)}日"),
    lambda r: ("-", f"办公电话：0883-{r.randrange(2000000, 8999999)}"),
    lambda r: ("-", f"传真 0883{r.randrange(2000000, 8999999)}，邮编{r.choice(('677000', '675800', '677500'))}"),
    lambda r: ("-", f"咨询电话：(0871){r.randrange(60000000, 69999999)}"),
    lambda r: ("-", f"联系电话：{mobile(r)}（工作日 9:00-17:00）"),
    lambda r: ("-", f"{r.choice(('举报电话', '投诉电话', '监督电话', '值班电话', '服务热线'))}：{mobile(r)}"),
    lambda r: ("-", f"联系人：{_person(r)}，联系电话：{mobile(r)}"),
    lambda r: ("-", f"服务热线 12345，客服 400-{r.randrange(100, 999)}-{r.randrange(1000, 9999)}"),
    lambda r: ("-", f"发布时间：{r.randrange(2018, 2021)}{r.randrange(1, 13):02d}{r.randrange(1, 29):02d}"
                    f"{r.randrange(0, 24):02d}{r.randrange(0, 60):02d}{r.randrange(0, 60):02d} "
                    f"浏览次数：{r.randrange(10, 9999)}"),
    lambda r: ("-", f"更新时间 2020-0{r.randrange(1, 7)}-{r.randrange(10, 29)} {r.randrange(10, 24)}:{r.randrange(10, 60)}:{r.randrange(10, 60)}"),
    lambda r: ("-", f"时间戳 {r.randrange(1577808000000, 1593532800000)}"),
    lambda r: ("-", f"ISBN {isbn13(r)}"),
    lambda r: ("-", f"书号 ISBN {isbn13(r)[:3]}-{isbn13(r)[3]}-{r.randrange(1000, 9999)}-{r.randrange(1000, 9999)}-{r.randrange(10)}"),
    lambda r: ("-", f"发票代码 {digits(r, 12)} 发票号码 {digits(r, 8)}"),
    lambda r: ("-", f"对公账户：{card(r, OTHER_CARDS)}（{r.choice(BANKS)}）"),
    lambda r: ("-", f"单位账号 {digits(r, 17)}，开户行{r.choice(BANKS)}"),
    lambda r: ("-", f"银行卡号 {luhn_invalid_card(r)}（Luhn 错误）"),
    lambda r: ("-", f"资金 {r.randrange(1, 9)}{'0' * r.randrange(6, 9)} 元，面积 {r.randrange(10000, 99999)}平方米"),
    lambda r: ("-", f"网站标识码{r.choice(('5309000001', '5309220001', '5309260002'))}，滇ICP备{r.randrange(10000000, 99999999)}号"),
    lambda r: ("-", f"滇公网安备 {r.choice(('53090202', '53092202'))}{r.randrange(100000, 999999)}号"),
    lambda r: ("-", f"批次号 99{digits(r, 13)}"),
    lambda r: ("-", f"证书编号 {r.choice(('530902', '530926'))}{r.randrange(2018, 2021)}{digits(r, 8)}"),
    lambda r: ("-", f"坐标 23.{r.randrange(1000, 9999)},100.{r.randrange(1000, 9999)}；海拔 {r.randrange(500, 3000)}米"),
    lambda r: ("-", f"号码 120{digits(r, 8)}，号段 154{digits(r, 8)}"),
    lambda r: ("-", f"快递单号 SF{digits(r, 12)}"),
    lambda r: ("-", f"车牌 云S{r.choice('ABCDE')}{r.randrange(1000, 9999)}，发动机号 {digits(r, 9)}"),
    lambda r: ("-", f"卡号 {_bad_id_whose_first_16_digits_pass_luhn(r)}（身份证号写错了校验位，也不是银行卡）"),
]


def _bad_id_whose_first_16_digits_pass_luhn(r: random.Random) -> str:
    """A mistyped ID ending in X, in groups of four, whose first four groups alone would pass for a
    card (3/4/5/6… and Luhn-valid): the X stops a digits-only reading from taking all 18."""
    while True:
        number = wrong_check_id(r)
        if number[-1] == "X" and number[0] in "3456" and luhn_ok(number[:16]):
            return grouped(number, (4, 4, 4, 4, 2), " ")


def build(per_template: int = 5) -> list[str]:
    rng = random.Random(SEED)
    lines = ["# Generated by build_pii_corpus.py (do not edit by hand): labels TAB text, as in pii.tsv."]
    for heading, templates in (("positives", POSITIVES), ("hard negatives", NEGATIVES)):
        lines.append(f"# --- {heading}")
        for template in templates:
            for _ in range(per_template):
                labels, text = template(rng)
                lines.append(f"{labels}\t{text}")
    return lines


def main() -> None:
    OUTPUT.write_text("\n".join(build()) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
