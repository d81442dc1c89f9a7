"""content/messages/<period>.md: fetched exports -> figures in YAML front matter and a Chinese table."""
from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path

import yaml

from collector.fetch import Fetcher, FetchSettings
from collector.message_exports.exports import UnreachableExport, fetch_exports
from collector.summarize.messages import write_message_summary
from collector.periods import CHINA_TZ, Period
from collector.registry import MessagePlatform, Registry
from loopback import LoopbackSite, Page
from message_exports.message_exports import NAMES, PHONES, csv_bytes, row, write_xlsx

Q2 = Period(2020, 2)
AS_OF = datetime(2020, 7, 15, 12, 0, tzinfo=CHINA_TZ)
SEED_COUNTS = {"市级": 26, "临翔区": 23, "永德县": 7, "凤庆县": 7, "云县": 2, "双江": 4, "镇康县": 12, "沧源县": 10,
               "耿马县": 2, "市公安局": 2, "市人社局": 0}


def registry() -> Registry:
    platforms = tuple(MessagePlatform(id=f"hdjl-{n:02d}", name=f"{label}网民留言", unit=f"{label}人民政府办公室",
                                      belongs_to="5309000001", export=f"http://www{n}.example.test/hdjl/export.csv",
                                      report_label=label) for n, label in enumerate(SEED_COUNTS))
    return Registry(office="临沧市人民政府办公室", region="临沧市", message_platforms=platforms)


def seed_exports(tmp_path: Path) -> dict[str, bytes | Path]:
    """The seed's 95 messages as messy real exports: XLSX for even platforms, CSV for odd ones, Q1/Q3 rows mixed in."""
    exports: dict[str, bytes | Path] = {}
    for n, count in enumerate(SEED_COUNTS.values()):
        start = datetime(2020, 4, 1, 8, 30) + timedelta(hours=5 * n)
        rows = [row(f"LC{n:02d}Q1", "2020-3-30 10:00", "2020/03/31 11:00:00", person=n)]
        for k in range(count):
            t = start + timedelta(hours=19 * k)
            replied = (t + timedelta(days=k % 3, hours=3)).strftime("%Y/%m/%d %H:%M:%S")
            rows.append(row(f"LC{n:02d}{k:03d}", f"{t.year}-{t.month}-{t.day} {t.hour}:{t.minute:02d}", replied,
                            person=k))
        rows.append(row(f"LC{n:02d}Q3", "2020-07-01 09:00", "", person=n))
        if count:
            rows.insert(2, list(rows[1]))  # a duplicated row
            rows[-2][5] = rows[-2][5][:10].replace("/", "-")  # a date-only reply
            rows[-2][0] = "  " + rows[-2][0]  # leading whitespace
        exports[f"hdjl-{n:02d}"] = write_xlsx(tmp_path / f"{n}.xlsx", rows) if n % 2 == 0 else csv_bytes(rows)
    return exports


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def test_the_seed_quarter_as_a_data_file(tmp_path: Path) -> None:
    path = write_message_summary(registry(), Q2, AS_OF, seed_exports(tmp_path), tmp_path / "content")
    assert path == tmp_path / "content" / "messages" / "2020Q2.md"
    data = front_matter(path)
    assert data["schema"] == "govcensus.messages/1" and data["period"] == "2020Q2"
    assert data["limit_working_days"] == 5
    assert {p["report_label"]: p["received"] for p in data["platforms"]} == SEED_COUNTS
    assert data["totals"]["received"] == 95 and data["totals"]["completion_rate_text"] == "100%"
    assert data["anomalies_by_platform"]["hdjl-00"] == {"date_only_reply": 1, "duplicate_row": 1, "whitespace_trimmed": 1}
    body = path.read_text(encoding="utf-8").split("---\n", 2)[2]
    assert "共接到网民留言 95 条，其中：市级 26 条、临翔区 23 条、永德县 7 条" in body
    assert "办结率 100%。" in body


def test_the_file_is_byte_identical_for_the_same_input(tmp_path: Path) -> None:
    exports = seed_exports(tmp_path)
    first = write_message_summary(registry(), Q2, AS_OF, exports, tmp_path / "a").read_bytes()
    second = write_message_summary(registry(), Q2, AS_OF, exports, tmp_path / "b").read_bytes()
    assert first == second


def test_no_personal_data_reaches_the_data_file(tmp_path: Path) -> None:
    text = write_message_summary(registry(), Q2, AS_OF, seed_exports(tmp_path), tmp_path).read_text(encoding="utf-8")
    for secret in NAMES + PHONES + ("反映道路维修",):
        assert secret not in text


def test_an_unreachable_export_is_shown_as_such_not_as_zero(tmp_path: Path) -> None:
    exports = seed_exports(tmp_path)
    exports["hdjl-01"] = UnreachableExport("http://www1.example.test/hdjl/export.csv", "HTTP 404")
    path = write_message_summary(registry(), Q2, AS_OF, exports, tmp_path)
    data = front_matter(path)
    row_01 = data["platforms"][1]
    assert row_01["received"] is None and row_01["export"] == {"status": "unreachable", "reason": "HTTP 404"}
    assert data["totals"]["platforms_without_data"] == 1 and data["totals"]["received"] == 72
    assert "导出无法取得（HTTP 404）" in path.read_text(encoding="utf-8")


def test_why_an_export_was_not_fetched_is_published_in_words_not_in_the_transport_s(tmp_path: Path) -> None:
    exports = seed_exports(tmp_path)
    exports["hdjl-01"] = UnreachableExport("http://www1.example.test/hdjl/export.csv",
                                           "timeout: Operation timed out after 20001 milliseconds")
    exports["hdjl-02"] = UnreachableExport("http://www2.example.test/hdjl/export.csv", "connect")
    rows = {p["id"]: p for p in front_matter(write_message_summary(registry(), Q2, AS_OF, exports, tmp_path))["platforms"]}
    assert rows["hdjl-01"]["export"]["reason"] == "超时" and rows["hdjl-02"]["export"]["reason"] == "无法连接"


def test_located_errors_are_listed_in_the_body(tmp_path: Path) -> None:
    exports = seed_exports(tmp_path)
    exports["hdjl-09"] = csv_bytes([row("GA1", "上周三"), row("GA2", "2020-05-06 10:00", "2020-05-07 10:00")])
    path = write_message_summary(registry(), Q2, AS_OF, exports, tmp_path)
    assert front_matter(path)["errors_by_platform"] == {"hdjl-09": 1}
    assert "row 2: 留言时间" in path.read_text(encoding="utf-8")


def test_fetch_exports_over_http_and_from_local_files(loopback: LoopbackSite, tmp_path: Path) -> None:
    data = csv_bytes([row("1", "2020-04-03 09:05", "2020-04-07 10:00")])
    loopback.add("www.ok.test", "/export.csv", Page(data, content_type="text/csv"))
    (tmp_path / "local.csv").write_bytes(data)
    platforms = tuple(MessagePlatform(id=pid, name=pid, unit="u", belongs_to="s", export=export, report_label="市级")
                      for pid, export in (("web", "http://www.ok.test/export.csv"),
                                          ("gone", "http://www.ok.test/missing.csv"),
                                          ("local", "local.csv"), ("nofile", "nofile.csv")))
    reg = Registry(office="o", region="r", message_platforms=platforms)

    async def run() -> dict:
        async with Fetcher(FetchSettings(allow_private_addresses=True, resolve=loopback.resolve, retries=0)) as fetcher:
            return await fetch_exports(reg, fetcher, base_dir=tmp_path)

    exports = asyncio.run(run())
    assert exports["web"] == data and exports["local"] == tmp_path / "local.csv"
    assert exports["gone"] == UnreachableExport("http://www.ok.test/missing.csv", "HTTP 404")
    assert isinstance(exports["nofile"], UnreachableExport)


def test_an_unreadable_export_could_not_be_checked_and_is_named_not_counted(tmp_path: Path) -> None:
    exports = seed_exports(tmp_path)
    exports["hdjl-02"] = csv_bytes([["1", "2020-05-06 10:00", "已办结"]], ["留言编号", "留言时间", "状态"])
    exports["hdjl-04"] = b"PK\x03\x04 truncated download"
    path = write_message_summary(registry(), Q2, AS_OF, exports, tmp_path)
    data = front_matter(path)
    rows = {p["id"]: p for p in data["platforms"]}
    assert rows["hdjl-02"]["received"] is None and rows["hdjl-02"]["completion_rate_text"] == "—"
    assert rows["hdjl-02"]["export"]["status"] == "unreadable"
    assert "文件缺少必需的列“答复时间”" in rows["hdjl-02"]["export"]["reason"]
    assert rows["hdjl-04"]["export"]["status"] == "unreadable"
    assert rows["hdjl-04"]["export"]["reason"] == "无法按 XLSX 格式读取文件"
    totals = data["totals"]
    assert totals["platforms_without_data"] == 2
    assert totals["received"] == sum(SEED_COUNTS.values()) - SEED_COUNTS["永德县"] - SEED_COUNTS["云县"]
    assert [u["name"] for u in totals["could_not_check"]] == ["永德县网民留言", "云县网民留言"]
    assert totals["note"].startswith("以下留言平台数据无法读取") and "永德县网民留言" in totals["note"]
    unit = next(u for u in data["units"] if u["report_label"] == "永德县")
    assert unit["platforms_without_data"] == 1 and unit["received"] == 0
    body = path.read_text(encoding="utf-8").split("---\n", 2)[2]
    assert "永德县网民留言：导出无法读取" in body and "无法检查" in body


def test_a_readable_export_is_never_named_as_could_not_check(tmp_path: Path) -> None:
    data = front_matter(write_message_summary(registry(), Q2, AS_OF, seed_exports(tmp_path), tmp_path))
    assert data["totals"]["could_not_check"] == [] and data["totals"]["note"] == ""
    assert {p["export"]["status"] for p in data["platforms"]} == {"ok"}


def test_a_platform_mapping_is_used_when_the_export_is_imported(tmp_path: Path) -> None:
    from message_exports.message_exports import teddy_row, write_teddy_xlsx

    rows = [teddy_row(1, "2020/5/6 9:00:00", "已处理", "2020/5/7 10:00:00"),
            teddy_row(2, "2020/5/6 9:30:00", "", "")]
    plain = MessagePlatform(id="teddy", name="市长信箱", unit="市政府办", belongs_to="5309000001",
                            export="exports/附件4.xlsx", report_label="市级")
    renamed = MessagePlatform(id="teddy", name="市长信箱", unit="市政府办", belongs_to="5309000001",
                              export="exports/附件4.xlsx", report_label="市级", headers=(("replied_at", ("回复时间",)),))
    export = write_teddy_xlsx(tmp_path / "附件4.xlsx", rows)
    ok = front_matter(write_message_summary(Registry(office="o", region="r", message_platforms=(plain,)), Q2, AS_OF,
                                            {"teddy": export}, tmp_path / "a"))
    assert (ok["totals"]["received"], ok["totals"]["replied"], ok["totals"]["open"]) == (2, 1, 1)
    # this platform says its reply times are under 回复时间: the file has none, so nothing can be read
    bad = front_matter(write_message_summary(Registry(office="o", region="r", message_platforms=(renamed,)), Q2, AS_OF,
                                             {"teddy": export}, tmp_path / "b"))
    assert bad["platforms"][0]["export"]["status"] == "unreadable" and bad["totals"]["received"] == 0
