"""Personal-data detectors: what counts as a leaked number, what must never be flagged, and masking."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from collector.text.pii import find_pii, is_resident_id, mask, redact, snippet

TODAY = date(2020, 6, 30)
VECTORS = next((p for p in (Path("/work/shared/realdata/cn_ric_vectors.json"),
                            Path(__file__).resolve().parents[3] / "shared" / "realdata" / "cn_ric_vectors.json")
                if p.is_file()), None)


def kinds(text: str) -> list[str]:
    return [m.kind for m in find_pii(text, TODAY)]


def test_an_id_number_with_a_valid_checksum_and_birth_date_is_found_with_its_masked_form():
    [match] = find_pii("申请人身份证号码360426199101010071，现予公示。", TODAY)
    assert (match.kind, match.masked, match.confidence) == ("resident_id", "3604**********0071", "high")


def test_an_id_number_of_an_unknown_county_is_still_a_leak_but_with_medium_confidence():
    [match] = find_pii("身份证 990426199112010074", TODAY)
    assert (match.kind, match.confidence) == ("resident_id", "medium")


def test_the_check_character_x_may_be_lower_case_and_digits_full_width():
    assert kinds("44011320141005001x") == ["resident_id"]
    assert kinds("３６０４２６１９９１０１０１００７１") == ["resident_id"]


def test_a_wrong_checksum_is_not_an_id_number():
    assert kinds("身份证号码36042619910102009X") == []
    assert kinds("身份证号码110105194912310021") == []


def test_a_birth_date_that_does_not_exist_or_lies_in_the_future_or_before_1900_is_not_an_id_number():
    assert not is_resident_id("360426199113010079", TODAY)     # month 13 (checksum is right)
    assert not is_resident_id("440524188001010014", TODAY)     # born 1880: no living holder
    assert is_resident_id("44011320141005001X", TODAY)
    assert not is_resident_id("44011320141005001X", date(2014, 10, 4))


def test_first_generation_15_digit_numbers_need_a_known_county_a_valid_date_and_the_word_id():
    assert kinds("身份证号码130503670401001") == ["resident_id"]
    assert kinds("编号130503670401001") == []
    assert kinds("身份证号码130503671301001") == []


def test_masked_numbers_are_not_flagged():
    for text in ("5309**********1234", "身份证号码：530902**********12", "手机 138****5678",
                 "银行卡号6222***********0123", "5309021990****1234"):
        assert kinds(text) == [], text


def test_numbers_inside_longer_digit_runs_are_not_flagged():
    assert kinds("订单编号1360426199101010071") == []
    assert kinds("流水号3604261991010100710071") == []
    assert kinds("批次 9913812345678") == []
    assert kinds("编码ABC360426199101010071") == []


def test_dates_document_numbers_and_office_landlines_are_not_flagged():
    for text in ("20200612", "2020-06-12", "临政办发〔2020〕12号", "0883-2143207", "(0883)2143207",
                 "08832143207", "统一社会信用代码11530900015189352J", "网站标识码5309000001"):
        assert kinds(text) == [], text


def test_a_mobile_number_is_found_plain_grouped_or_with_the_country_code():
    for text in ("手机13812345678", "手机 138 1234 5678", "手机 138-1234-5678", "+86 13812345678"):
        [match] = find_pii(text, TODAY)
        assert (match.kind, match.masked) == ("mobile", "138****5678"), text


def test_numbers_outside_the_mobile_numbering_plan_are_not_mobiles():
    assert kinds("号码 12012345678") == []
    assert kinds("号段 15412345678") == []


def test_a_duty_or_contact_phone_is_published_on_purpose_unless_it_sits_next_to_an_id_number():
    assert kinds("联系电话：13887654321") == []
    assert kinds("举报电话 13988776655") == []
    assert kinds("张三，身份证号360426199101010071，联系电话13887654321") == ["resident_id", "mobile"]


def test_a_bank_card_needs_the_luhn_digit_and_either_a_unionpay_prefix_or_the_word_card():
    assert kinds("6222021234567890128") == ["bank_card"]              # 19-digit UnionPay
    assert kinds("信用卡卡号：4367152019460383") == ["bank_card"]
    assert kinds("单号 4367152019460383") == []                         # Luhn-valid, no card context
    assert kinds("银行卡号 6222021234567890127") == []                  # Luhn digit wrong
    assert kinds("银行卡号 6222 0212 3456 7890 128") == ["bank_card"]


def test_an_18_digit_id_number_is_never_also_reported_as_a_bank_card():
    # a 甘肃 (62…) ID number that also passes Luhn, next to the word 卡号
    assert kinds("卡号 620102199001010257") == ["resident_id"]


def test_mask_keeps_the_first_four_and_last_four_and_a_mobile_the_first_three():
    assert mask("530902199601279323") == "5309**********9323"
    assert mask("138 1234 5678") == "138****5678"
    assert mask("6222021234567890128") == "6222***********0128"


def test_snippets_mask_every_long_number_even_ones_no_detector_claimed():
    text = "张三 360426199101010071 李四 36042619910102009X 电话 138 1234 5678 日期 20200612"
    [first, _] = find_pii(text, TODAY)
    shown = snippet(text, first.start, first.end, width=200)
    for raw in ("360426199101010071", "36042619910102009X", "1234 5678", "20200612"):
        assert raw not in shown
    assert "3604**********0071" in shown
    assert len(redact(text)) == len(text)


def test_full_width_numbers_are_masked_in_snippets_as_the_detector_finds_them():
    text = "公示：张三 ３６０４２６１９９１０１０１００７１，电话 １３８１２３４５６７８。"
    [first, second] = find_pii(text, TODAY)
    shown = snippet(text, first.start, first.end, width=200)
    assert "３６０４２６１９９１０１０１００７１" not in shown and "１３８１２３４５６７８" not in shown
    assert "3604**********0071" in shown and "138****5678" in shown
    assert mask("３６０４２６１９９１０１０１００７１") == "3604**********0071"
    assert len(redact(text)) == len(text) and redact(text).startswith("公示：张三 3604")


@pytest.mark.skipif(VECTORS is None, reason="shared/realdata is not present")
def test_the_public_gb11643_vectors_are_judged_by_checksum_and_birth_date_not_by_county():
    vectors = json.loads(VECTORS.read_text(encoding="utf-8"))["vectors"]
    checked = 0
    for vector in vectors:
        number = vector["number"]
        if len(number) != 18:
            continue
        expected = bool(vector.get("gb11643_checksum_ok") and vector.get("birth_date_ok")) \
            and number[6:10] >= "1900"
        assert (kinds(f"身份证号码{number}") == ["resident_id"]) == expected, vector["source"]
        checked += 1
    assert checked >= 14


# --------------------------------------------------------------------------- recall: written forms

ID = "360426199101010071"


def test_an_id_number_written_in_the_usual_groupings_is_found_with_one_kind_of_separator():
    for text in ("身份证 360426 19910101 0071", "身份证 360426-19910101-0071",
                 "3604 2619 9101 0100 71", "3604-2619-9101-0100-71", "５３０９ ０２１９ ９６０１ ２７９３ ２３"):
        [match] = find_pii(text, TODAY)
        assert (match.kind, match.start, match.end) == ("resident_id", 0 if text[0] != "身" else 4, len(text)), text
    assert kinds("身份证 360426-19910101 0071") == []          # mixed separators: not one number
    assert kinds("身份证 36042 619910101 0071") == []          # not a usual grouping
    assert kinds("身份证 360426 19910101 0072") == []          # grouped, but the check digit is wrong


def test_an_id_number_in_groups_of_four_is_never_a_bank_card():
    # a 甘肃 (62…) ID number that also passes Luhn; in groups of four, after 卡号, it is still an ID
    from stdnum import luhn
    assert luhn.is_valid("620102199001010257")
    assert kinds("银行卡号 6201 0219 9001 0102 57") == ["resident_id"]
    assert kinds("卡号 6201-0219-9001-0102-57") == ["resident_id"]
    # a mistyped ID (wrong check digit) that passes Luhn is neither
    assert luhn.is_valid("620102199001010208") and not is_resident_id("620102199001010208", TODAY)
    assert kinds("银行卡号 6201 0219 9001 0102 08") == []
    # its first 16 digits pass Luhn, but a grouped run is never cut short into a card
    assert luhn.is_valid("3604261991010200")
    assert kinds("银行卡号 3604 2619 9101 0200 9X") == []
    assert kinds("银行卡号 4405 2418 8001 0100 14") == []      # born 1880: no ID we report, and no card
    assert kinds("银行卡号 620102199001010208") == []


def test_a_first_generation_id_needs_a_known_county_and_a_date_but_not_the_word():
    assert kinds("户主张三 130503670401001 家庭人口3人") == ["resident_id"]
    assert kinds("张三 990503670401001") == []                 # unknown county
    assert kinds("张三 130503671301001") == []                 # month 13
    for word in ("编号", "税务登记号", "工商注册号", "订单", "流水号", "组织机构代码"):
        assert kinds(f"{word} 130503670401001") == [], word


def test_an_id_number_a_spreadsheet_kept_as_a_number_is_a_leak_of_county_and_birth_date():
    for text in ("530902199601279000", "5.30902199601279E+17", "5.3090219960127E+17"):
        [match] = find_pii(text, TODAY)
        assert (match.kind, match.partial, match.confidence) == ("resident_id", True, "medium"), text
        assert match.masked.startswith("5309") and "1996" not in match.masked
    assert kinds("5.30902E+17") == []                          # six digits left: no birth date
    assert kinds("530902199613279000") == []                   # no such month
    assert kinds("订单编号 530902199601279000") == []
    [full] = find_pii("530902199601279323", TODAY)
    assert not full.partial


def test_a_bank_card_is_found_next_to_a_bank_name_or_an_account_word():
    visa = "4367152019460383"                                  # Luhn-valid, not UnionPay
    assert kinds(f"开户行：中国农业银行临沧分行 账号：{visa}") == ["bank_card"]
    assert kinds(f"收款账户 {visa}") == ["bank_card"]
    assert kinds(f"{visa}（临沧农村商业银行）") == ["bank_card"]
    assert kinds(f"云南省农村信用社 {visa}") == ["bank_card"]
    assert kinds(f"单号 {visa}（银行卡语境之外）") == []          # 银行卡 after the number is not a bank's name
    assert kinds(f"对公账户：{visa}（中国银行）") == []           # an organisation's account


def test_a_unionpay_looking_order_number_is_not_a_card():
    assert kinds("订单号：6222021234567890128") == []
    assert kinds("6222021234567890128") == ["bank_card"]


# --------------------------------------------------------------------------- table cells

def test_a_column_header_names_the_kind_of_number_in_its_cells():
    assert kinds("4367152019460383") == []
    assert [m.kind for m in find_pii("4367152019460383", TODAY, header="银行卡号")] == ["bank_card"]
    assert [m.kind for m in find_pii("130503670401001", TODAY, header="项目编号")] == []
    assert [m.kind for m in find_pii("130503670401001", TODAY, header="身份证号")] == ["resident_id"]


def test_a_mobile_in_a_contact_column_is_exempt_unless_its_row_holds_an_id_number():
    office = "市林业局\t联系电话：13887654321"
    roster = f"张三\t身份证号：{ID}\t联系电话：13887654321"
    assert find_pii("13887654321", TODAY, header="联系电话", row=office) == []
    assert [m.kind for m in find_pii("13887654321", TODAY, header="联系电话", row=roster)] == ["mobile"]
    assert [m.kind for m in find_pii("13887654321", TODAY, header="手机", row=office)] == ["mobile"]


def test_the_contact_phone_exemption_can_be_switched_off():
    assert kinds("联系电话：13887654321") == []
    assert [m.kind for m in find_pii("联系电话：13887654321", TODAY, exempt_contacts=False)] == ["mobile"]
    assert [m.kind for m in find_pii("13887654321", TODAY, header="联系电话", exempt_contacts=False)] == ["mobile"]


def test_hide_masks_every_match_whatever_its_grouping_and_keeps_the_length():
    from collector.text.pii import hide
    text = "张三 身份证 360426 19910101 0071 手机 138 1234 5678"
    shown = hide(text, find_pii(text, TODAY))
    assert len(shown) == len(text)
    assert "360426 19910101 0071" not in shown and "1234 5678" not in shown
    assert "3604** ******** 0071" in shown and "138 **** 5678" in shown


@pytest.mark.skipif(VECTORS is None, reason="shared/realdata is not present")
def test_the_public_vectors_in_spaced_form_are_judged_as_written_whole_and_never_as_bank_cards():
    vectors = json.loads(VECTORS.read_text(encoding="utf-8"))["vectors"]
    checked = 0
    for vector in (v for v in vectors if len(v["number"]) == 18):
        number = vector["number"]
        whole = kinds(f"身份证号码{number}")
        for pattern, sep in (((6, 8, 4), " "), ((6, 8, 4), "-"), ((4, 4, 4, 4, 2), " "), ((4, 4, 4, 4, 2), "-")):
            at, groups = 0, []
            for size in pattern:
                groups.append(number[at:at + size])
                at += size
            spaced = kinds(f"银行卡号 {sep.join(groups)}")
            assert spaced == whole and "bank_card" not in spaced, (vector["source"], pattern, sep)
            checked += 1
    assert checked >= 14 * 4
