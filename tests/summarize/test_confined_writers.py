"""Every writer of content/ keeps to its folder, even for a registry built in code (never validated)."""
from __future__ import annotations

import os

import pytest

from collector.periods import Period
from collector.registry import DisclosureColumn, Registry, Website
from collector.summarize.scorecards import write_scorecards
from govcensus_data.atomic import PathEscapeError

Q2 = Period(2020, 2)
SITE = Website(site_code="5309000001", name="临沧市人民政府", unit="临沧市人民政府办公室", level="市级",
               site_kind="政府门户网站", url="http://www.lincang.gov.cn/")


def column(entry_id: str) -> DisclosureColumn:
    return DisclosureColumn(id=entry_id, name="专栏", unit="统计局", parent="5309000001",
                            url="http://www.lincang.gov.cn/zfxxgk/tjj/")


@pytest.mark.parametrize("entry_id", ["../../../../x", "../../outside", "/tmp/absolute"])
def test_a_scorecard_for_an_id_leading_out_of_content_is_refused(tmp_path, profile, entry_id):
    content = tmp_path / "site" / "content"
    registry = Registry(office="o", region="r", websites=(SITE,), columns=(column(entry_id),))
    with pytest.raises(PathEscapeError):
        write_scorecards(registry, [], Q2, Q2.end_time, profile, content)
    written = {p for p in tmp_path.rglob("*") if p.is_file()}
    assert all(content in p.parents for p in written)
    assert not (tmp_path / "x.md").exists() and not (tmp_path / "outside.md").exists()


def test_stale_scorecards_are_only_deleted_inside_content(tmp_path, profile):
    content = tmp_path / "content"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    keep = elsewhere / "precious.md"
    keep.write_text("not ours", encoding="utf-8")
    (content / "scorecards" / "2020Q2").mkdir(parents=True)
    os.symlink(elsewhere, content / "scorecards" / "2020Q2" / "account")
    registry = Registry(office="o", region="r", websites=(SITE,))
    write_scorecards(registry, [], Q2, Q2.end_time, profile, content)
    assert keep.read_text(encoding="utf-8") == "not ours"
    assert (content / "scorecards" / "2020Q2" / "website" / "5309000001.md").is_file()
