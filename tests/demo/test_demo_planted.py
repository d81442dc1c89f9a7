"""The seed circular's problems are really in the content, and the look-alikes around them are not."""
from __future__ import annotations

import io
import re

import openpyxl
from lxml import html
from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from collector.demo.world import LONG_DIGIT_RUN

ID_LIKE = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")


def _valid_ids(text: str) -> list[str]:
    found = []
    for number in ID_LIKE.findall(text):
        try:
            ric.get_birth_date(number)
        except ValidationError:
            continue
        if ric.calc_check_digit(number) == number[17].upper():  # stdnum ignores the 18th character it gets
            found.append(number)
    return found


def _text(fetch, url: str) -> str:
    return html.fromstring(fetch(url).content).text_content()


def test_transport_list_has_one_resident_id_with_a_valid_checksum(world_handle, fetch) -> None:
    planted = world_handle.world.planted
    sheet = openpyxl.load_workbook(io.BytesIO(fetch(planted.id_leak_file).content))["名单"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("序号", "姓名", "身份证号码", "单位")
    numbers = [row[2] for row in rows[1:]]
    full = [n for n in numbers if "*" not in n]
    assert full == [planted.id_number]
    assert _valid_ids(full[0]) == [full[0]] and full[0].startswith("5309")
    assert ric.get_birth_date(full[0]).year == 1986


def test_planted_id_check_digit_is_the_gb11643_one(world_handle) -> None:
    number = world_handle.world.planted.id_number
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    check = (12 - sum(int(d) * w for d, w in zip(number, weights)) % 11) % 11
    assert number[17] == ("X" if check == 10 else str(check))


def test_the_wrong_check_digit_look_alike_has_a_real_birth_date_only(world_handle, fetch) -> None:
    text = _text(fetch, world_handle.world.planted.hard_negative_pages[1])
    number = re.search(r"证书编号：(\d{18})", text).group(1)
    assert ric.get_birth_date(number).year == 1988 and ric.calc_check_digit(number) != number[17]


def test_transport_article_links_the_list(world_handle, fetch) -> None:
    planted = world_handle.world.planted
    assert planted.id_leak_file.rsplit("/", 1)[1] in fetch(planted.id_leak_page).text


def test_hard_negative_pages_hold_no_valid_id_number(world_handle, fetch) -> None:
    for url in world_handle.world.planted.hard_negative_pages:
        text = _text(fetch, url)
        assert re.search(r"\d{16}", text) or "*" in text, url  # there is something ID-like to resist
        assert _valid_ids(text) == [], url


def test_the_long_project_code_hides_no_valid_id_in_any_window() -> None:
    windows = [LONG_DIGIT_RUN[i:i + 18] for i in range(len(LONG_DIGIT_RUN) - 17)]
    assert len(windows) == 8 and _valid_ids(" ".join(windows)) == []


def test_masked_numbers_document_numbers_and_the_office_phone_are_in_the_world(world_handle, fetch) -> None:
    text = " ".join(_text(fetch, url) for url in world_handle.world.planted.hard_negative_pages)
    for look_alike in ("5309**********1234", "临政办发〔2020〕12号", "2020061215304512", "20200612", "0883-2143207"):
        assert look_alike in text


def test_statistics_article_has_the_serious_wording_error(world_handle, fetch) -> None:
    planted = world_handle.world.planted
    assert planted.wording_error in _text(fetch, planted.wording_error_page)
    assert "/zfxxgk/tjj/" in planted.wording_error_page


def test_the_correct_formulation_appears_elsewhere(world_handle, fetch) -> None:
    world = world_handle.world
    correct = "中国共产党第十九次全国代表大会"
    texts = [p for s in world.portals for ch in s.channels for a in ch.articles for p in a.paragraphs]
    assert any(correct in p for p in texts)
    assert not any(world.planted.wording_error in p for p in texts)


def _content(fetch, url: str) -> str:
    tree = html.fromstring(fetch(url).content)
    paragraphs = tree.xpath('//div[@class="content" or @class="TRS_Editor"]//p')
    return "".join("".join(p.text_content().split()) for p in paragraphs)


def test_agriculture_reprint_differs_from_its_source(world_handle, fetch) -> None:
    planted = world_handle.world.planted
    page = fetch(planted.reprint_page).text
    assert "来源：<a href=\"" + planted.reprint_source in page and "农业农村部网站" in page
    reprint, source = _content(fetch, planted.reprint_page), _content(fetch, planted.reprint_source)
    assert "3.5亿亩" in reprint and "3.3亿亩" in source
    missing = "据农情调度，截至6月12日，全国麦收进度过七成，主产区小麦收获已进入尾声。"
    assert missing in source and missing not in reprint


def test_yunnan_reprints_are_exact_apart_from_layout(world_handle, fetch) -> None:
    for url in world_handle.world.planted.exact_reprint_pages:
        source_url = html.fromstring(fetch(url).content).xpath('//div[@class="info"]/a/@href')[0]
        assert source_url.startswith("http://www.yn.gov.cn/")
        assert fetch(url).text.count("\u3000\u3000") >= 2  # laid out differently
        assert _content(fetch, url) == _content(fetch, source_url)


def test_the_decommissioned_domains_are_still_in_whois(world_handle) -> None:
    world = world_handle.world
    for domain in ("lcsd.gov.cn", "lcda.gov.cn"):
        record = world.whois(domain)
        assert f"Domain Name: {domain}" in record and "Registration Time:" in record
        assert "Expiration Time: 202" in record
    assert world.whois("lincang-no-such.gov.cn") == "No matching record."
    assert set(world.whois_records) == {"lcsd.gov.cn", "lcda.gov.cn"}
