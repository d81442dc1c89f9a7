"""What the sites look like: real GBK bytes, footer marks everywhere, links that lead somewhere."""
from __future__ import annotations

import io
from urllib.parse import urljoin

import docx
import openpyxl
import pypdf
import pytest
from lxml import html

from collector.demo.testing import shared_world
from collector.demo.world import DEFAULT_NOW

GBK_SITES = {"www.ynzk.gov.cn": "header", "www.gengma.gov.cn": "http-equiv", "www.cangyuan.gov.cn": "meta"}


@pytest.mark.parametrize("host", sorted(GBK_SITES))
def test_gbk_pages_are_really_gbk_bytes(fetch, host) -> None:
    body = fetch(f"http://{host}/").content
    text = body.decode("gbk")
    assert "人民政府" in text
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")


@pytest.mark.parametrize("host", sorted(GBK_SITES))
def test_gbk_pages_need_more_than_strict_gb2312(fetch, host) -> None:
    with pytest.raises(UnicodeDecodeError):
        fetch(f"http://{host}/").content.decode("gb2312")


def test_one_gbk_site_says_so_in_the_header(fetch) -> None:
    assert fetch("http://www.ynzk.gov.cn/").headers["content-type"] == "text/html; charset=gbk"


@pytest.mark.parametrize("host", ["www.gengma.gov.cn", "www.cangyuan.gov.cn"])
def test_other_gbk_sites_declare_gb2312_only_in_the_page(fetch, host) -> None:
    reply = fetch(f"http://{host}/")
    assert reply.headers["content-type"] == "text/html"
    assert b'charset=gb2312"' in reply.content or b'charset="gb2312"' in reply.content


def test_every_portal_shows_correct_footer_marks(world_handle, fetch) -> None:
    for site in world_handle.world.portals:
        page = fetch(site.url)
        tree = html.fromstring(page.content.decode(site.encoding))
        assert tree.xpath('//meta[@name="SiteIDCode"]/@content') == [site.site_code]
        footer = tree.xpath('string(//div[@class="footer"])')
        assert f"网站标识码：{site.site_code}" in footer
        assert site.icp in footer and f"滇公网安备 {site.police_record}号" in footer
        assert tree.xpath('//div[@class="footer"]//a[contains(@href, "bszs.conac.cn")]/img[@alt="党政机关"]')


def test_every_link_on_the_homepages_leads_to_a_page(world_handle, fetch) -> None:
    dead = []
    for site in world_handle.world.portals:
        tree = html.fromstring(fetch(site.url).content.decode(site.encoding))
        for href in set(tree.xpath("//a/@href") + tree.xpath("//img/@src") + tree.xpath("//link/@href")):
            url = urljoin(site.url, href)
            if fetch(url).status_code != 200:
                dead.append(url)
    assert dead == []


def test_every_link_on_an_article_page_leads_to_a_page(world_handle, fetch) -> None:
    planted = world_handle.world.planted
    for page_url in (planted.id_leak_page, planted.reprint_page, *planted.exact_reprint_pages):
        tree = html.fromstring(fetch(page_url).content)
        for href in tree.xpath("//a/@href"):
            assert fetch(urljoin(page_url, href)).status_code == 200, href


@pytest.mark.parametrize(("host", "shape"), [
    ("www.lincang.gov.cn", "2020-06-"), ("www.lclx.gov.cn", "2020/06/"), ("www.ynfq.gov.cn", "2020年6月"),
    ("www.ynyx.gov.cn", "[06-"),
])
def test_sites_write_list_dates_their_own_way(fetch, host, shape) -> None:
    assert f'<span class="date">{shape}' in fetch(f"http://{host}/").text


def test_short_dates_come_with_the_year_elsewhere_on_the_page(fetch) -> None:
    assert "今天是2020年6月30日 星期二" in fetch("http://www.ynyx.gov.cn/").text


def test_articles_carry_a_pubdate_meta(world_handle, fetch) -> None:
    article = world_handle.world.portals[0].channels[1].visible(world_handle.now)[3]
    tree = html.fromstring(fetch(f"http://www.lincang.gov.cn{article.path}").content)
    assert tree.xpath('//meta[@name="PubDate"]/@content') == [article.published.strftime("%Y-%m-%d %H:%M")]


def test_paginated_columns_link_their_next_page(world_handle, fetch) -> None:
    channel = world_handle.world.portals[0].channels[0]
    first = fetch(f"http://www.lincang.gov.cn{channel.path}").text
    assert "index_1.html" in first
    second = fetch(f"http://www.lincang.gov.cn{channel.path}index_1.html")
    assert second.status_code == 200 and channel.articles[0].path not in second.text


def _attachment_of_kind(kind: str) -> str:
    """The URL of an attachment of this kind on a page visible at the default clock."""
    world = shared_world()
    for site in world.portals:
        for channel in [*site.channels, *(ch for c in site.columns for ch in c.channels)]:
            for article in channel.visible(DEFAULT_NOW):
                for attachment in article.attachments:
                    if attachment.kind == kind:
                        return f"http://{site.host}{attachment.path}"
    raise AssertionError(f"no {kind} attachment in the world")


def test_xlsx_attachments_open_with_openpyxl(fetch) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(fetch(_attachment_of_kind("xlsx")).content))
    assert workbook.active.max_row > 1


def test_docx_attachments_open_with_python_docx(fetch) -> None:
    document = docx.Document(io.BytesIO(fetch(_attachment_of_kind("docx")).content))
    assert document.paragraphs[0].text == "附件1"


def test_pdf_attachments_open_with_pypdf(fetch) -> None:
    reader = pypdf.PdfReader(io.BytesIO(fetch(_attachment_of_kind("pdf")).content), strict=True)
    assert "Annex 1" in reader.pages[0].extract_text()


def test_csv_attachments_are_utf8_with_bom(fetch) -> None:
    body = fetch(_attachment_of_kind("csv")).content
    assert body.startswith(b"\xef\xbb\xbf") and "统一社会信用代码" in body.decode("utf-8-sig")
