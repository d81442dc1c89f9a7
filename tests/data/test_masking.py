"""The masking gate: what it hides in stored text, what it must leave alone, and that it is stable."""
from __future__ import annotations

import pytest
from stdnum import luhn

from govcensus_data.masking import mask_text, mask_value

ID = "360426199101010071"                      # checksum and birth date valid
ID_MASKED = "3604**********0071"
FULL_WIDTH_ID = "３６０４２６１９９１０１０１００７１"
MOBILE, MOBILE_MASKED = "13812345678", "138****5678"
CARD = "622202123456789012" + luhn.calc_check_digit("622202123456789012")


@pytest.mark.parametrize("text, expected", [
    (f"关于{ID}的公示", f"关于{ID_MASKED}的公示"),
    (FULL_WIDTH_ID, ID_MASKED),
    ("36042619910101007X号", "3604**********007X号"),
    ("３６０４２６１９９１０１０１００７Ｘ", "3604**********007X"),
    ("360426 19910101 0071", ID_MASKED),
    ("360426-19910101-0071", ID_MASKED),
    (f"http://a.gov.cn/files/{ID}.xlsx", f"http://a.gov.cn/files/{ID_MASKED}.xlsx"),
    (f"http://a.gov.cn/q?sfz={ID}&tel={MOBILE}", f"http://a.gov.cn/q?sfz={ID_MASKED}&tel={MOBILE_MASKED}"),
    ("户主 360426910101007 已登记", "户主 3604*******1007 已登记"),
    (f"联系人手机{MOBILE}", f"联系人手机{MOBILE_MASKED}"),
    ("138 1234 5678", MOBILE_MASKED),
    ("138-1234-5678", MOBILE_MASKED),
    ("１３８　１２３４　５６７８", MOBILE_MASKED),
    ("+86 138 1234 5678", "+86138****5678"),
    (f"**{MOBILE}**", f"**{MOBILE_MASKED}**"),
    (f"卡号{CARD}", "卡号6222***********" + CARD[-4:]),
    ("6222 0212 3456 7890 " + CARD[-3:], "6222***********" + CARD[-4:]),
])
def test_personal_numbers_are_masked_wherever_and_however_they_are_written(text, expected):
    assert mask_text(text) == expected


@pytest.mark.parametrize("text", [
    "截至 2020-06-30 的 7 天", "2020-04-01 至 2020-06-30", "2020-06-30T23:59:59+08:00",
    "5309000001", "http://www.lincang.gov.cn/art/2020/6/29/art_1234_5678901.html",
    "联系电话：0883-2123456", "临政办发〔2020〕12号", "共 12345 条", "12345678901",  # 12… is no mobile prefix
    "3604**********0071", "138****5678", "", "网站不更新",
])
def test_text_without_personal_numbers_is_left_exactly_as_it_was(text):
    assert mask_text(text) == text


def test_an_18_digit_run_without_a_real_birth_date_is_not_an_id():
    assert mask_text("编号 360426199113450071") == "编号 360426199113450071"


def test_masking_twice_changes_nothing_even_where_masked_ends_touch_other_digits():
    for text in (f"{ID} 1381234", f"{ID}-13812345678", f"{MOBILE} {MOBILE}", "１３８１２３４５６７８ 138 1234 5678",
                 f"a{ID}b{CARD}c{MOBILE}"):
        once = mask_text(text)
        assert mask_text(once) == once
        for raw in (ID, MOBILE, CARD):
            assert raw not in once


def test_the_same_number_always_masks_the_same_way_however_it_was_written():
    forms = [MOBILE, "138 1234 5678", "138-1234-5678", "１３８１２３４５６７８"]
    assert {mask_text(f) for f in forms} == {MOBILE_MASKED}


def test_figures_are_masked_recursively_including_dict_keys_lists_and_long_integers():
    figures = {"title": f"张三{MOBILE}", "items": [{"id": ID, "n": 3}, (int(MOBILE), 2.5, True, None)],
               ID: {"age_days": 15}, "rate": 0.5}
    masked = mask_value(figures)
    assert masked == {"title": f"张三{MOBILE_MASKED}", "items": [{"id": ID_MASKED, "n": 3}, (MOBILE_MASKED, 2.5, True, None)],
                      ID_MASKED: {"age_days": 15}, "rate": 0.5}


def test_two_keys_that_mask_alike_stay_two_entries():
    other = "360426199101020071"
    masked = mask_value({ID: 1, other: 2})
    assert masked == {ID_MASKED: 1, ID_MASKED + "#2": 2}


def test_long_adversarial_text_is_masked_in_linear_time_and_does_not_hang():
    import time

    started = time.perf_counter()
    for text in ("1 " * 200_000, "1" * 1_000_000, f"{MOBILE} " * 50_000, "１-" * 200_000):
        masked = mask_text(text)
        assert MOBILE not in masked
    assert time.perf_counter() - started < 120  # about 4 s on a busy 2-core machine


def test_the_markdown_form_escapes_the_asterisks_and_is_idempotent_too():
    from govcensus_data.masking import mask_markdown

    once = mask_markdown(f"留言 {ID}-13812345678")
    assert once == r"留言 3604\*\*\*\*\*\*\*\*\*\*0071-138\*\*\*\*5678"
    assert mask_markdown(once) == once
