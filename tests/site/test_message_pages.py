"""The message statistics page and the methodology page's message definitions, in the real Pelican build."""
from __future__ import annotations

from pathlib import Path

from collector.message_exports.stats import DEFINITIONS, OVER_DAYS
from govcensus_site import load_message_summaries

EXTRAS = Path(__file__).resolve().parents[1] / "fixtures" / "site"


def text(node, xpath: str) -> str:
    return " ".join(" ".join(n.text_content().split()) for n in node.xpath(xpath))


def summary():
    return load_message_summaries(EXTRAS / "messages")[-1]


def test_platforms_that_could_not_be_checked_are_named_with_their_reason(read_page):
    page = read_page("messages/2020Q2.html")
    unread = [p for p in summary().platforms if p.export_status == "unreadable"]
    assert unread, "the fixture has an unreadable export"
    note = text(page, '//*[@id="messages-could-not-check"]')
    assert note.startswith("以下留言平台数据无法读取") and all(p.name in note for p in unread)
    rows = page.xpath('//table[@id="table-messages-by-platform"]/tbody/tr')
    row = next(r for r in rows if r.xpath("./th")[0].text_content() == unread[0].name)
    assert "无法检查（留言记录无法读取：文件缺少必需的列“答复时间”" in row.text_content()
    assert "留言记录无法读取" in text(page, '//section[@aria-labelledby="h-data"]')


def test_reply_time_spread_and_counts_over_n_days_per_unit_and_platform(read_page):
    data = summary()
    page = read_page("messages/2020Q2.html")
    table = page.xpath('//table[@id="table-messages-timing"]')[0]
    assert [th.text_content() for th in table.xpath("./thead/tr[2]/th")][-len(OVER_DAYS):] == [
        f"超过 {n} 天" for n in OVER_DAYS]
    rows = table.xpath("./tbody/tr")
    assert len(rows) == len(data.units) + len(data.platforms)
    late = next(p for p in data.platforms if p.overdue)
    row = next(r for r in rows[len(data.units):] if r.xpath("./th")[0].text_content() == late.name)
    cells = [td.text_content() for td in row.xpath("./td")]
    assert cells == [str(v) for v in (late.median_days, late.p90_days, late.mean_days, late.max_days,
                                      late.median_calendar_days, late.p90_calendar_days, late.mean_calendar_days,
                                      late.max_calendar_days)] + [str(late.over_days[n]) for n in OVER_DAYS]


def test_the_methodology_page_publishes_every_message_definition(read_page):
    page = read_page("methodology.html")
    terms = page.xpath('//dl[@id="message-definitions"]/dt')
    assert [t.text_content() for t in terms] == [term for term, _ in DEFINITIONS]
    definitions = " ".join(dd.text_content() for dd in page.xpath('//dl[@id="message-definitions"]/dd'))
    assert "⌈0.9×n⌉" in definitions and "收到当日不计" in definitions and "无法检查" in definitions
    assert "答复时限为 5 个工作日" in text(page, '//section[@id="message-statistics"]')


def test_the_messages_page_links_to_the_definitions(read_page):
    page = read_page("messages/2020Q2.html")
    assert any(h.endswith("methodology.html#message-statistics") for h in page.xpath("//a/@href"))
