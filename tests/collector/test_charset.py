"""Decoding government pages whose charset is declared wrong, or not at all."""
from __future__ import annotations

from pathlib import Path

import pytest

from collector.fetch.charset import declared_charset, decode_html

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cms"
REALDATA = Path(__file__).resolve().parents[3] / "shared" / "realdata" / "gne-pages"
TRS_GBK = FIXTURES / "trs_wcm_gb2312_label_gbk_bytes.html"
TRS_NO_CHARSET = FIXTURES / "trs_wcm_no_charset_url_dates.html"


@pytest.mark.parametrize("content_type", ["text/html", "text/html; charset=gb2312", "text/html; charset=GBK"])
def test_gbk_bytes_labelled_gb2312_are_read_with_the_gb18030_decoder(content_type):
    """The TRS fixture declares gb2312 in its <meta> but holds 畬, which only GBK has."""
    text, encoding = decode_html(TRS_GBK.read_bytes(), content_type)
    assert encoding == "gb18030" and "示例县畬族乡召开防汛工作部署会" in text


@pytest.mark.parametrize("content_type", ["text/html", "text/html; charset=utf-8"])
def test_gbk_bytes_without_a_charset_or_claiming_utf8_are_recognised(content_type):
    text, _ = decode_html(TRS_NO_CHARSET.read_bytes(), content_type)
    assert "示例县农村人居环境整治实施方案" in text


@pytest.mark.parametrize("header", ["ISO-8859-1", "iso-8859-1", "windows-1252", "US-ASCII"])
def test_a_server_default_latin_charset_does_not_overrule_the_pages_meta(header):
    content = TRS_GBK.read_bytes()
    assert declared_charset(content, f"text/html;charset={header}") == "gb18030"
    text, _ = decode_html(content, f"text/html;charset={header}")
    assert "畬族乡" in text


def test_a_latin_charset_on_a_pure_ascii_page_is_taken_as_said():
    assert declared_charset(b"<html><body>plain</body></html>", "text/html; charset=ISO-8859-1") == "iso8859-1"


def test_a_latin_header_without_a_meta_falls_back_to_the_guess():
    text, _ = decode_html(TRS_NO_CHARSET.read_bytes(), "text/html; charset=ISO-8859-1")
    assert "农村人居环境整治" in text


@pytest.mark.skipif(not REALDATA.is_dir(), reason="shared/realdata not present")
def test_a_real_gbk_page_behind_a_latin_header_keeps_its_chinese():
    text, encoding = decode_html((REALDATA / "people_1.gbk-reencoded.html").read_bytes(), "text/html; charset=ISO-8859-1")
    assert encoding == "gb18030" and "畬" in text
