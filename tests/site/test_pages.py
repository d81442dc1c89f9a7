"""Circulars, rectification, message statistics, domains, scores, methodology and sitemap pages,
built from the fixture quarter and the collector-written extras in tests/fixtures/site/."""
from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import pytest

from collector.profile import load_profile
from collector.scoring import methodology
from govcensus_site import load_message_summaries, load_rectification_statuses, unit_slug

EXTRAS = Path(__file__).resolve().parents[1] / "fixtures" / "site"
CIRCULAR = "circulars/2020q2.html"
DRAFT = "drafts/2020q2-new-draft.html"
ATOM = "{http://www.w3.org/2005/Atom}"


def text(page, xpath: str) -> str:
    return " ".join(" ".join(node.text_content().split()) for node in page.xpath(xpath))


def figure(page, name: str) -> str:
    return page.xpath(f'//*[@data-figure="{name}"]')[0].text_content()


def resolves(site: Path, page: str, href: str) -> bool:
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), urlsplit(href).path))
    return not target.startswith("..") and (site / target).is_file()


# --------------------------------------------------------------------------- circulars

def test_a_circular_reads_like_the_official_document(read_page):
    page = read_page(CIRCULAR)
    doc = page.xpath('//article[contains(@class, "circular")]')[0]
    head = doc.xpath('./header[@class="circular-head"]')[0]
    assert head.xpath("./h1")[0].text_content() == "临沧市人民政府办公室关于2020年二季度全市政府网站和政府系统政务新媒体普查情况的通报"
    assert head.xpath('./p[@class="doc-number"]')[0].text_content() == "临政办函〔2020〕12号"
    assert text(doc, './div[@class="doc-recipients"]') == "各县、自治县、区人民政府，市直各委、办、局："
    assert [h.text_content() for h in doc.xpath('.//div[@class="doc-body"]/h2')] == ["一、总体情况", "二、存在的主要问题", "三、下一步工作要求"]
    assert text(doc, './/div[@class="doc-body"]/h3[1]') == "（一）政府网站普查情况"
    assert text(doc, './footer[@class="doc-signature"]/div[@class="doc-date"]') == "2020年7月13日"
    assert text(doc, './footer/p[@class="doc-issuer"]') == "临沧市人民政府办公室"
    assert text(doc, './div[@class="doc-contact"]').startswith("联系人及电话：")
    cc = doc.xpath("./*")[-1]
    assert cc.get("class") == "doc-cc" and cc.text_content().startswith("抄送：")
    assert not page.xpath('//*[contains(@class, "draft-banner")]')


def test_the_circular_is_centred_and_prints_on_a4_with_official_margins(site):
    css = (site / "theme" / "css" / "site.css").read_text(encoding="utf-8")
    assert ".circular .circular-head { text-align: center;" in css
    assert ".circular .doc-signature { text-align: right;" in css
    print_css = (site / "theme" / "css" / "print.css").read_text(encoding="utf-8")
    assert "@page circular { size: A4; margin: 37mm 26mm 35mm 28mm; }" in print_css
    assert "@font-face" not in css + print_css and "url(" not in css + print_css


def test_every_figure_in_the_circular_links_to_a_page_that_exists(site, read_page):
    for path in (CIRCULAR, DRAFT):
        links = read_page(path).xpath('//div[@class="doc-body"]//a/@href')
        assert any("scorecards/2020Q2/5309000011.html" in h for h in links)
        assert any("messages/2020Q2.html" in h for h in links)
        missing = [h for h in links if not resolves(site, path, h)]
        assert missing == [], (path, missing)


def test_drafts_are_previewed_locally_with_a_banner_and_never_listed(site, read_page):
    draft = read_page(DRAFT)
    assert "草稿" in text(draft, '//*[contains(@class, "draft-banner")]')
    assert draft.xpath("//title")[0].text_content().startswith("【草稿】")
    index = read_page("circulars/index.html")
    assert index.xpath(f'//a[@href="../{CIRCULAR}"]')
    assert not index.xpath('//a[contains(@href, "draft")]')


def test_the_public_build_has_no_drafts(published_site):
    assert not (published_site / "drafts").exists()
    assert (published_site / CIRCULAR).is_file()
    for path in published_site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml"):
            assert "new-draft" not in path.read_text(encoding="utf-8"), path


@pytest.mark.parametrize("build", ["site", "published_site"])
def test_the_circulars_feed_lists_only_published_circulars(build, request):
    output = request.getfixturevalue(build)
    feed = lxml.etree.parse(str(output / "feeds" / "circulars.atom.xml")).getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "临沧市人民政府办公室关于2020年二季度全市政府网站和政府系统政务新媒体普查情况的通报"]
    assert entries[0].find(f"{ATOM}link").get("href").endswith(CIRCULAR)
    assert "notice" not in lxml.etree.tostring(feed, encoding="unicode")


def test_circulars_and_notices_are_listed_apart(read_page):
    home = read_page("index.html")
    assert home.xpath(f'//section[@aria-labelledby="h-circulars"]//a[@href="./{CIRCULAR}"]')
    assert home.xpath('//section[@aria-labelledby="h-notices"]//a[@href="./notices/2020q2-rectification-notice.html"]')
    notices = read_page("notices/index.html")
    assert notices.xpath('//a[contains(@href, "2020q2-rectification-notice")]')
    assert not notices.xpath('//a[contains(@href, "circulars/2020q2.html")]')
    nav = [a.text_content() for a in home.xpath('//nav[@aria-label="主导航"]//a')]
    assert "通报" in nav and "整改" in nav


# --------------------------------------------------------------------------- rectification

def test_the_rectification_page_counts_and_lists_overdue_items(read_page):
    status = load_rectification_statuses(EXTRAS / "rectification-status")[-1]
    page = read_page("rectification.html")
    for state in ("overdue", "open", "rectified"):
        assert figure(page, f"rect-{state}") == str(len(status.of_status(state)))
    overdue = page.xpath('//section[@id="overdue"]//tbody/tr')
    assert len(overdue) == len(status.of_status("overdue")) > 0
    for row, item in zip(overdue, status.of_status("overdue")):
        assert "逾期未整改" in row.text_content() and "已逾期" in row.text_content()  # not by colour alone
        assert row.xpath(f'.//a[@href="./{item.scorecard}"]')
        assert item.deadline in row.text_content()


def test_scorecard_and_unit_pages_show_their_rectification_items(read_page):
    status = load_rectification_statuses(EXTRAS / "rectification-status")[-1]
    item = status.of_status("overdue")[0]
    card = read_page(item.scorecard)
    assert item.deadline in text(card, '//section[@aria-labelledby="h-rectification"]')
    unit = read_page(f"units/{unit_slug(item.unit)}.html")
    assert item.entry_name in text(unit, '//section[@aria-labelledby="h-rectification"]')


def test_the_home_page_names_problems_past_their_deadline(read_page):
    status = load_rectification_statuses(EXTRAS / "rectification-status")[-1]
    home = read_page("index.html")
    assert figure(home, "rect-overdue") == str(status.counts["overdue"])
    assert len(home.xpath('//ul[@class="overdue-list"]/li')) == status.counts["overdue"]


# --------------------------------------------------------------------------- messages

def test_messages_page_has_an_accessible_svg_chart_and_its_data_table(read_page):
    summary = load_message_summaries(EXTRAS / "messages")[-1]
    page = read_page("messages/2020Q2.html")
    svg = page.xpath("//figure/svg")[0]
    assert svg.get("role") == "img"
    ids = svg.get("aria-labelledby").split()
    assert svg.xpath("./title")[0].get("id") == ids[0] and svg.xpath("./desc")[0].get("id") == ids[1]
    assert "各单位收到网民留言数" in svg.xpath("./title")[0].text_content()
    with_data = [u for u in summary.units if u.has_data]
    assert len(with_data) < len(summary.units)  # a unit without data is not drawn as zero
    assert len(svg.xpath("./g/rect")) == len(with_data)
    assert [t.text_content() for t in svg.xpath('./g/text[@class="bar-value"]')] == [str(u.received) for u in with_data]
    table = page.xpath('//table[@id="table-messages-by-unit"]')[0]
    assert [th.text_content()[:len(u.name)] for th, u in zip(table.xpath("./tbody/tr/th"), summary.units)] == [
        u.name for u in summary.units]
    assert "无数据" in table.xpath("./tbody/tr")[-1].text_content()
    assert "办结率" in text(table, "./thead")


def test_messages_page_has_per_platform_figures_and_data_problems(read_page):
    summary = load_message_summaries(EXTRAS / "messages")[-1]
    page = read_page("messages/2020Q2.html")
    rows = page.xpath('//table[@id="table-messages-by-platform"]/tbody/tr')
    assert len(rows) == len(summary.platforms)
    late = next(p for p in summary.platforms if p.overdue)
    row = next(r for r in rows if r.xpath("./th")[0].text_content() == late.name)
    cells = [td.text_content() for td in row.xpath("./td")]
    assert cells[1:6] == [str(late.received), str(late.replied), str(late.on_time), str(late.overdue), str(late.open)]
    assert cells[-1] == late.completion_rate_text
    assert "未能取得留言记录（HTTP 404）" in text(page, '//section[@aria-labelledby="h-data"]')
    assert figure(page, "messages-rate") == summary.totals["completion_rate_text"]


def test_home_page_shows_message_count_and_completion_rate_from_the_file(read_page):
    summary = load_message_summaries(EXTRAS / "messages")[-1]
    home = read_page("index.html")
    assert figure(home, "messages-received") == str(summary.totals["received"])
    assert figure(home, "messages-rate") == summary.totals["completion_rate_text"]


# --------------------------------------------------------------------------- new media, domains, scores

def test_scorecard_index_has_accounts_by_platform(read_page):
    page = read_page("scorecards/index.html")
    rows = {r.xpath("./th")[0].text_content(): [td.text_content() for td in r.xpath("./td")]
            for r in page.xpath('//table[caption[contains(., "按平台")]]//tr[th[@scope="row"]]')}
    assert rows["微博"][0] == "18" and rows["微信公众号"][0] == "44" and rows["今日头条"][0] == "1"
    assert rows["合计"] == ["63", "62", "1", "0", "98.4%"]


def test_a_decommissioned_site_shows_how_its_domain_stands(read_page):
    page = read_page("scorecards/2020Q2/5309000011.html")
    section = page.xpath('//section[@aria-labelledby="h-domain"]')[0]
    assert section.xpath("./h2")[0].text_content() == "域名注销情况"
    for name in ("domain-registered", "domain-resolves", "domain-online"):
        assert figure(section, name).strip("✗ ").startswith("是")
    assert "HTTP 200" in section.text_content()
    whois = section.xpath('.//pre[@class="whois"]')[0].text_content()
    assert "Domain Name: lcda.gov.cn" in whois and '<script>alert("whois")</script>' in whois
    assert len(section.xpath(".//ul/li")) == 3
    assert not read_page("scorecards/2020Q2/5309000001.html").xpath('//section[@aria-labelledby="h-domain"]')


def test_scorecards_show_score_vetoes_and_deductions(read_page):
    site = read_page("scorecards/2020Q2/5309000001.html")
    assert figure(site, "score") == "97.5 分"
    rows = [[c.text_content() for c in r.xpath("./th|./td")] for r in site.xpath('//table[contains(@class, "score-table")]/tbody/tr')]
    assert rows == [["首页链接不可用", "2", "1", "0", "10", "2"], ["其他页面链接不可用", "1", "0.5", "0", "5", "0.5"]]
    account = read_page("scorecards/2020Q2/wx-10.html")
    assert "内容不更新" in text(account, '//table[contains(@class, "score-table")]/tbody')


def test_a_vetoed_entry_shows_the_veto_never_a_score(read_page):
    account = read_page("scorecards/2020Q2/wx-10.html")  # its data file still carries "score: 100"
    assert figure(account, "veto") == "单项否决：内容不更新"
    assert not account.xpath('//*[@data-figure="score"]')
    assert "得分" not in text(account, '//p[@class="result"]')


# --------------------------------------------------------------------------- methodology, sitemap, escaping

def test_methodology_lists_every_scoring_item_of_the_profile(read_page):
    page = read_page("methodology.html")
    for kind in methodology(load_profile()):
        section = page.xpath(f'//section[@aria-labelledby="h-s-{kind["kind"]}"]')[0]
        vetoes = [th.text_content() for th in section.xpath('.//table[contains(@class, "veto-items")]/tbody/tr/th')]
        veto_items = [i for i in kind["items"] if i["type"] == "veto"]
        assert vetoes == [i["item"] + ("＊" if i["confirm"] else "") for i in veto_items]
        deductions = section.xpath('.//table[contains(@class, "deduction-items")]/tbody/tr')
        expected = [i for i in kind["items"] if i["type"] == "deduction"]
        # an unconfirmed value is marked on its row and explained once, above the tables
        assert [r.xpath("./th")[0].text_content() for r in deductions] == [i["item"] + ("＊" if i["confirm"] else "")
                                                                             for i in expected]
        for row, item in zip(deductions, expected):
            cells = [td.text_content() for td in row.xpath("./td")]
            assert cells[2:5] == [f"{item['points']:g}", str(item["allowance"]), f"{item['cap']:g}"]
            assert "待核实" not in "".join(cells)
            assert not any(c.isascii() and c.isalpha() for c in cells[1]), cells[1]  # check titles, not codes
        assert figure(section, f"pass-mark-{kind['kind']}") == f"{kind['pass_mark']:g}"
    assert len(page.xpath('//*[@id="to-confirm"]')) == 1 and "＊" in page.xpath('//*[@id="to-confirm"]')[0].text_content()
    assert "待核实：" not in page.text_content()


def test_methodology_explains_the_contact_phone_exemption_of_the_personal_information_check(read_page):
    section = read_page("methodology.html").xpath('//section[@aria-labelledby="h-m-personal_info"]')[0]
    rows = {r.xpath("./th")[0].text_content(): r.xpath("./td")[0].text_content() for r in section.xpath(".//tbody/tr")}
    assert rows["联系电话豁免"] == "是"
    [note] = [p.text_content() for p in section.xpath('.//p[@class="setting-note"]')]
    assert note.startswith("联系电话豁免：") and "与身份证号码相邻" in note and "为“否”时" in note


def test_sitemap_lists_public_pages_only(site, published_site):
    local = lxml.etree.parse(str(site / "sitemap.xml")).getroot()
    locs = [e.text for e in local.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "index.html" in locs and CIRCULAR in locs and "rectification.html" in locs
    assert not [loc for loc in locs if loc.startswith("drafts/") or loc == "404.html"]
    public = (published_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://census.example.test/lincang/scorecards/2020Q2/5309000011.html</loc>" in public
    assert (site / "404.html").is_file()


def test_third_party_text_is_escaped_in_every_output_file(site, read_page):
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".svg"):
            assert "<script>alert" not in path.read_text(encoding="utf-8"), path
    for page, where in (("rectification.html", "//table"), ("messages/2020Q2.html", "//table"),
                        ("messages/2020Q2.html", "//svg//title"), ("scorecards/2020Q2/5309000011.html", "//pre")):
        assert "<script>" in text(read_page(page), where), (page, where)
        assert not read_page(page).xpath("//script[not(@src)]")


def test_the_build_says_when_a_fresh_draft_waits_beside_an_edited_circular(content_dir, tmp_path, caplog):
    from govcensus_site import build_site
    circulars = content_dir / "circulars"
    # a name no other build of this session logs (Pelican's log filter drops repeated messages)
    (circulars / "2020Q2-new-draft.md").rename(circulars / "2019Q4-new-draft.md")
    (circulars / "2020Q2.md").rename(circulars / "2019Q4.md")
    with caplog.at_level("WARNING", logger="govcensus_site"):
        build_site(content_dir, tmp_path / "out")
    assert any("2019Q4-new-draft.md" in record.getMessage() for record in caplog.records)


def test_a_decommissioned_site_that_does_not_answer_says_why_in_words(content_dir):
    """The fetcher's error kind (connect, timeout …) is shown as the link check's declared words."""
    from govcensus_data.model import load_scorecard
    from govcensus_site import catalogue
    from govcensus_site.views import domain_view

    path = content_dir / "scorecards" / "2020Q2" / "website" / "5309000011.md"
    path.write_text(path.read_text(encoding="utf-8").replace("http_status: 200", "http_error: connect"),
                    encoding="utf-8")
    catalogue.use(catalogue.load_catalogue(content_dir))
    view = domain_view(load_scorecard(path))
    assert view is not None and view.http == "无应答（无法连接）"
    # a catalogue written before checks declared their values' words: the link check's label for it
    catalogue.use(catalogue.Catalogue(figures={"dead_links": {"connect": "无法连接"}}))
    assert domain_view(load_scorecard(path)).http == "无应答（无法连接）"
    catalogue.use(catalogue.load_catalogue(content_dir))


def test_a_checks_figures_say_coded_values_in_the_checks_words(read_page):
    """The figures list under a check shows DNS answers, WHOIS outcomes and domain statuses in words."""
    page = read_page("scorecards/2020Q2/5309000011.html")
    shown = {dt.text_content(): dd.text_content() for dt, dd in zip(
        page.xpath('//section[@id="check-decommissioned_domain"]//dl[@class="figures"]/dt'),
        page.xpath('//section[@id="check-decommissioned_domain"]//dl[@class="figures"]/dd'))}
    assert shown["域名解析：lcda.gov.cn"] == "不存在（已不能解析）"
    assert shown["域名解析：www.lcda.gov.cn"] == "仍可解析"
    assert shown["WHOIS 查询结果"] == "仍在注册"
    assert shown["域名状态"] == "正常（ok）"
    assert shown["注册时间"] == "2005-05-09 08:00"
    section = page.xpath('//section[@aria-labelledby="h-domain"]')[0].text_content()
    assert "不存在（已不能解析）" in section and "nxdomain" not in section


def test_a_column_table_and_nested_records_are_shown_in_words_never_as_python_writes_them(content_dir):
    """A row's list of ways ("list", "pubdate") is words joined, never a Python list."""
    from govcensus_data.model import CheckResult
    from govcensus_site import catalogue
    from govcensus_site.views import check_view

    catalogue.use(catalogue.load_catalogue(content_dir))
    result = CheckResult(name="column_freshness", title="栏目更新", indicator="栏目不更新", outcome="ok",
                         observations=1, figures={"by_column": [
                             {"name": "通知公告", "state": "ok", "read_via": ["list", "pubdate"], "items": 20},
                             {"name": "人事信息", "state": "unreachable", "error": "timeout"}]})
    table = check_view(result).tables[0]
    assert table.headers == ("名称", "状态", "读取方式", "信息条数", "未能检查的原因")
    assert table.rows == (("通知公告", "已读出更新日期", "列表中的日期、文章页的发布时间", "20", "—"),
                          ("人事信息", "无法访问", "—", "—", "超时"))
    records = check_view(CheckResult(name="decommissioned_domain", indicator="应注销未注销已下线网站域名", outcome="veto",
                                     figures={"dns_records": {"www.lcda.gov.cn": {"A": ["203.0.113.7"], "NS": []}}}))
    assert records.figures == (("解析记录：www.lcda.gov.cn", "A：203.0.113.7；NS：—"),)
    shares = check_view(CheckResult(name="reachability", indicator="站点无法访问", outcome="ok",
                                    figures={"by_day": {"failure_share": 0.25}, "failure_share": 0.5}))
    assert [value for _, value in shares.figures] == ["25.0%", "50.0%"]  # a share as a share, nested or not


def test_a_moment_among_the_figures_is_shown_to_the_minute_as_written():
    from govcensus_site.labels import show_value

    assert show_value("longest_gap_from", "2020-05-24T18:26:00+08:00") == "2020-05-24 18:26"
    assert show_value("registration_time", "2005-07-26T15:42:09") == "2005-07-26 15:42"
    assert show_value("name", "2020-05-24T18:26 之后的发布") == "2020-05-24T18:26 之后的发布"  # not a moment alone


def test_staffs_diagnostics_are_shown_in_the_local_preview_and_never_on_the_public_site(content_dir, tmp_path,
                                                                                        monkeypatch):
    """A WHOIS server's own reply line and the transport's English (the check's diagnostic figures)
    help staff find why a question went unanswered; a reader sees the reason in words only."""
    from govcensus_site import build_site

    path = content_dir / "scorecards" / "2020Q2" / "website" / "5309000011.md"
    text = path.read_text(encoding="utf-8")
    assert "      whois: registered\n" in text
    path.write_text(text.replace("      whois: registered\n", "      whois: registered\n"
                                 "      whois_detail: Queried interval is too short.\n"
                                 "      error_details:\n"
                                 "      - 'dns www.lcda.gov.cn: timeout: no answer from 127.0.0.53:53 within 2 s'\n"),
                    encoding="utf-8")

    def decommissioned_section(output: Path) -> str:
        page = lxml.html.parse(str(output / "scorecards" / "2020Q2" / "5309000011.html")).getroot()
        return page.xpath('//section[@id="check-decommissioned_domain"]')[0].text_content()

    preview = decommissioned_section(build_site(content_dir, tmp_path / "preview"))
    assert "诊断信息" in preview and "Queried interval is too short." in preview
    assert "no answer from 127.0.0.53:53" in preview
    monkeypatch.setenv("GOVCENSUS_SITEURL", "https://census.example.test/lincang/")
    public = decommissioned_section(build_site(content_dir, tmp_path / "public", "publishconf.py"))
    assert "诊断信息" not in public and "Queried interval" not in public and "127.0.0.53" not in public
    assert "WHOIS 查询结果" in public  # the reader's figures are all there
