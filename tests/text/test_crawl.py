"""The crawl a content check reads: homepage, column pages, newest articles, their attachments."""
from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

from collector.checks.base import CheckContext
from collector.crawl import entry_documents, scan_figures
from collector.fetch import Fetcher, FetchSettings
from collector.profile import load_profile
from collector.registry import Column, Registry, Website
from text.content_fixtures import MIME, make_docx, make_pdf, make_xls, make_xlsx
from loopback import LoopbackSite, Page

HOST = "www.test.gov.cn"
AS_OF = datetime(2020, 6, 30, 9, 0, tzinfo=timezone(timedelta(hours=8)))
ENTRY = Website(site_code="5309000099", name="测试市人民政府", unit="测试市人民政府办公室", level="市级",
                site_kind="政府门户网站", url=f"http://{HOST}/",
                columns=(Column("通知公告", "通知公告", f"http://{HOST}/tzgg/"),))


def build_site(site: LoopbackSite) -> None:
    site.add(HOST, "/", Page("""<html><body><a href="/tzgg/">通知公告</a> <a href="/about.html">关于我们</a>
        <ul><li><a href="/tzgg/202006/t20200620_3.html">六月通知</a> 2020-06-20</li>
            <li><a href="http://other.gov.cn/x.html">外站文章</a> 2020-06-29</li></ul></body></html>"""))
    site.add(HOST, "/tzgg/", Page("""<html><body><ul>
        <li><a href="202004/t20200410_1.html">四月通知</a><span>2020-04-10</span></li>
        <li><a href="202005/t20200518_2.html">五月公示</a><span>2020-05-18</span></li>
        <li><a href="202006/t20200620_3.html">六月通知</a><span>2020-06-20</span></li>
        </ul><a href="old.html">往期</a> <a href="/about.html">关于我们</a></body></html>"""))
    site.add(HOST, "/about.html", Page("<p>关于我们</p>"))
    site.add(HOST, "/tzgg/202004/t20200410_1.html", Page("<p>四月通知正文</p>"))
    site.add(HOST, "/tzgg/old.html", Page("<p>往期正文</p>"))
    site.add(HOST, "/tzgg/202006/t20200620_3.html", Page("<p>六月通知正文</p>"))
    site.add(HOST, "/tzgg/202005/t20200518_2.html", Page("""<html><body><p>现将名单公示如下。</p>
        <a href="/files/list.xlsx">名单.xlsx</a> <a href="/files/scan.pdf">扫描件</a>
        <a href="/download?id=3">附件3.docx</a> <a href="/files/old.xls">旧表</a>
        <a href="/files/legacy.doc">旧文档</a> <a href="/files/missing.pdf">缺失</a>
        <a href="/files/broken.xlsx">损坏</a> <img src="/logo.png"></body></html>"""))
    site.add(HOST, "/files/list.xlsx", Page(make_xlsx({"名单": [["姓名", "身份证号"], ["张三", "360426199101010071"]]}),
                                            content_type=MIME["xlsx"]))
    site.add(HOST, "/files/scan.pdf", Page(make_pdf([["第一页"], ["第二页"]]), content_type=MIME["pdf"]))
    site.add(HOST, "/download?id=3", Page(make_docx(["附件正文"]), content_type=MIME["bin"]))
    site.add(HOST, "/files/old.xls", Page(make_xls({"表": [["旧表内容"]]}), content_type=MIME["xls"]))
    site.add(HOST, "/files/legacy.doc", Page(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), content_type=MIME["doc"]))
    site.add(HOST, "/files/broken.xlsx", Page(b"PK\x03\x04broken", content_type=MIME["xlsx"]))


def crawl(site: LoopbackSite, max_articles: int = 60, times: int = 1) -> list[list]:
    async def go() -> list[list]:
        async with Fetcher(FetchSettings(allow_private_addresses=True, resolve=site.resolve, retries=0, timeout_seconds=5)) as fetcher:
            ctx = CheckContext(as_of=AS_OF, profile=load_profile(), fetcher=fetcher,
                               registry=Registry(office="测试", region="测试", websites=(ENTRY,)))
            return list(await asyncio.gather(*(entry_documents(ENTRY, ctx, max_articles) for _ in range(times))))

    return asyncio.run(go())


def test_homepage_then_column_pages_then_articles_newest_first_then_undated_ones_under_the_column(loopback):
    build_site(loopback)
    [documents] = crawl(loopback)
    pages = [d.url for d in documents if d.kind == "page"]
    assert pages == [f"http://{HOST}/", f"http://{HOST}/tzgg/",
                     f"http://{HOST}/tzgg/202006/t20200620_3.html", f"http://{HOST}/tzgg/202005/t20200518_2.html",
                     f"http://{HOST}/tzgg/202004/t20200410_1.html", f"http://{HOST}/tzgg/old.html"]


def test_other_hosts_and_navigation_pages_outside_the_column_are_not_crawled(loopback):
    build_site(loopback)
    crawl(loopback)
    fetched = {(host, path) for _, host, path in loopback.hits}
    assert (HOST, "/about.html") not in fetched
    assert not any(host == "other.gov.cn" for host, _ in fetched)
    assert (HOST, "/logo.png") not in fetched


def test_articles_are_bounded_newest_first(loopback):
    build_site(loopback)
    [documents] = crawl(loopback, max_articles=1)
    assert [d.url for d in documents if d.kind == "page"][2:] == [f"http://{HOST}/tzgg/202006/t20200620_3.html"]


def test_attachments_are_read_by_extension_or_content_and_unreadable_ones_are_kept_with_a_reason(loopback):
    build_site(loopback)
    [documents] = crawl(loopback)
    by_url = {d.url.removeprefix(f"http://{HOST}"): d for d in documents if d.is_attachment}
    assert by_url["/files/list.xlsx"].parts[-1].location == "工作表 名单 B2"
    assert [p.location for p in by_url["/files/scan.pdf"].parts] == ["第1页", "第2页"]
    assert by_url["/download?id=3"].kind == "docx"
    assert by_url["/files/old.xls"].parts[0].text == "旧表内容"
    assert (by_url["/files/legacy.doc"].unread, by_url["/files/missing.pdf"].unread,
            by_url["/files/broken.xlsx"].unread) == ("unsupported", "fetch_failed", "broken")
    assert scan_figures(documents) == {
        "pages": 6, "pages_unread": 0, "attachments": {"docx": 1, "pdf": 1, "xls": 1, "xlsx": 1},
        "attachments_unread": 3, "unread_reasons": {"broken": 1, "fetch_failed": 1, "unsupported": 1},
        "truncated": 0,
    }


def test_checks_asking_in_the_same_round_share_one_crawl_and_every_url_is_fetched_once(loopback):
    build_site(loopback)
    first, second = crawl(loopback, times=2)
    assert first is second
    paths = [path for _, _, path in loopback.hits]
    assert len(paths) == len(set(paths))


def test_an_unreachable_homepage_is_the_first_document_marked_unread(loopback):
    [documents] = crawl(loopback)
    assert documents[0].url == f"http://{HOST}/" and documents[0].unread == "fetch_failed"


def test_a_malformed_href_on_a_column_page_costs_only_itself(loopback):
    """`http://localhost]` made urllib raise and the page lose every link: articles, attachments, all."""
    build_site(loopback)
    loopback.add(HOST, "/tzgg/", Page("""<html><body><ul>
        <li><a href="http://localhost]">坏链接</a><span>2020-06-29</span></li>
        <li><a href="202005/t20200518_2.html">五月公示</a><span>2020-05-18</span></li>
        </ul></body></html>"""))
    [documents] = crawl(loopback)
    urls = [d.url for d in documents]
    assert f"http://{HOST}/tzgg/202005/t20200518_2.html" in urls
    assert f"http://{HOST}/files/list.xlsx" in urls


def test_articles_listed_in_a_hanweb_datastore_are_crawled(loopback):
    build_site(loopback)
    loopback.add(HOST, "/tzgg/", Page("""<html><body><div id="4007541"><script type="text/xml"><datastore>
        <recordset><record><![CDATA[<li><a href="/tzgg/202005/t20200518_2.html" title="五月公示">五月公示</a>
        <span>2020-05-18</span></li>]]></record></recordset></datastore></script></div></body></html>"""))
    [documents] = crawl(loopback)
    assert f"http://{HOST}/tzgg/202005/t20200518_2.html" in [d.url for d in documents]
