"""Where a message export is opened, a local path must stay inside the registry's repository — even
for a registry built in code that never went through validation. A refused export is "could not
check" with the reason, never zero messages."""
from __future__ import annotations

import asyncio
import os
from datetime import datetime

from checkrun import run_check
from collector.fetch import Fetcher, FetchSettings
from collector.message_exports.exports import REFUSED, UnreachableExport, fetch_exports
from collector.periods import CHINA_TZ
from collector.registry import MessagePlatform, Registry, Website

AS_OF = datetime(2020, 6, 30, 9, tzinfo=CHINA_TZ)
SITE = Website(site_code="5309000001", name="临沧市人民政府", unit="临沧市人民政府办公室", level="市级",
               site_kind="政府门户网站", url="http://www.lincang.gov.cn/")
EXPORT = ("留言编号,留言时间,留言人,联系电话,留言主题,答复时间,答复单位,状态\r\n"
          "L1,2020-06-01 09:00,张三,13812345678,咨询,2020-06-02 10:00,市政府办公室,已办结\r\n").encode("utf-8-sig")


def setup(tmp_path, export: str) -> tuple[Registry, MessagePlatform]:
    """A repository at tmp_path/repo with an export inside it, and one outside it with the same content."""
    repo = tmp_path / "repo"
    (repo / "exports").mkdir(parents=True, exist_ok=True)
    (repo / "exports" / "city.csv").write_bytes(EXPORT)
    (tmp_path / "outside").mkdir(exist_ok=True)
    (tmp_path / "outside" / "city.csv").write_bytes(EXPORT)
    platform = MessagePlatform(id="msg-city", name="留言", unit="办公室", belongs_to="5309000001", export=export,
                               report_label="市级")
    return Registry(office="o", region="r", websites=(SITE,), message_platforms=(platform,), root=repo), platform


def test_an_export_inside_the_repository_is_imported(tmp_path):
    registry, platform = setup(tmp_path, "exports/city.csv")
    obs = run_check("messages", platform, {}, AS_OF, registry=registry)
    assert obs.outcome == "ok" and obs.figures["messages"] == 1


def test_an_export_outside_the_repository_is_refused_and_could_not_be_checked(tmp_path):
    for export in ("../outside/city.csv", str(tmp_path / "outside" / "city.csv")):
        registry, platform = setup(tmp_path, export)
        obs = run_check("messages", platform, {}, AS_OF, registry=registry)
        assert obs.outcome == "error" and obs.findings == ()
        assert obs.figures["error"] == REFUSED and "messages" not in obs.figures  # no server path published


def test_an_export_through_a_symlink_out_of_the_repository_is_refused(tmp_path):
    registry, platform = setup(tmp_path, "linked/city.csv")
    os.symlink(tmp_path / "outside", tmp_path / "repo" / "linked")
    obs = run_check("messages", platform, {}, AS_OF, registry=registry)
    assert obs.outcome == "error" and obs.figures["error"] == REFUSED


def test_fetching_exports_for_the_summary_refuses_them_too(tmp_path):
    registry, _ = setup(tmp_path, "../outside/city.csv")

    async def go():
        async with Fetcher(FetchSettings(retries=0, timeout_seconds=5)) as fetcher:
            return await fetch_exports(registry, fetcher)

    export = asyncio.run(go())["msg-city"]
    assert isinstance(export, UnreachableExport) and export.reason == REFUSED
