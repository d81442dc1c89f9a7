"""A scorecard shows the registry's optional entry fields: 下线日期, the domains, a column's own type."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import lxml.html

from collector.registry import DisclosureColumn, Registry, Website
from collector.summarize.scorecards import entry_metadata
from govcensus_site import build_site

ARCHIVES = "scorecards/2020Q2/website/5309000011.md"


def details(page: lxml.html.HtmlElement) -> dict[str, str]:
    return {dt.text_content().strip(): dt.getnext().text_content().strip() for dt in page.xpath("//dl/dt")}


def test_the_scorecard_front_matter_carries_the_optional_fields_only_when_given():
    closed = Website(site_code="5309000011", name="临沧市档案局", unit="临沧市档案局", level="市级", site_kind="部门网站",
                     url="http://www.lcda.gov.cn/", status="下线", domains=("lcda.gov.cn", "lcda.cn"),
                     offline_since=date(2020, 3, 31))
    column = DisclosureColumn(id="lctjj", name="临沧市统计局信息公开专栏", unit="临沧市统计局", parent="5309000011",
                              url="http://www.lcda.gov.cn/zfxxgk/", column_type="通知公告")
    registry = Registry(office="o", region="r", websites=(closed,), columns=(column,))
    meta = entry_metadata(closed, registry)
    assert (meta["offline_since"], meta["domains"]) == ("2020-03-31", ["lcda.gov.cn", "lcda.cn"])
    assert entry_metadata(column, registry)["column_type"] == "通知公告"
    plain = Website(site_code="5309000001", name="n", unit="u", level="市级", site_kind="政府门户网站",
                    url="http://www.lincang.gov.cn/")
    assert not {"offline_since", "domains", "column_type"} & set(entry_metadata(plain, registry))


def test_the_scorecard_page_shows_the_offline_date_and_the_domains(tmp_path: Path, content_dir: Path):
    card = content_dir / ARCHIVES
    text = card.read_text(encoding="utf-8")
    card.write_text(text.replace("  status: 下线\n", "  status: 下线\n  offline_since: '2020-03-31'\n"
                                 "  domains: [lcda.gov.cn, lcda.cn]\n", 1), encoding="utf-8")
    site = build_site(content_dir, tmp_path / "output")
    page = lxml.html.fromstring((site / "scorecards/2020Q2/5309000011.html").read_text(encoding="utf-8"))
    shown = details(page)
    assert shown["下线日期"] == "2020-03-31"
    assert shown["登记域名"] == "lcda.gov.cn、lcda.cn"
    running = lxml.html.fromstring((site / "scorecards/2020Q2/5309000001.html").read_text(encoding="utf-8"))
    assert "下线日期" not in details(running)
