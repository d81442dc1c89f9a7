"""Personal numbers that third-party pages and message exports show anywhere — page title, link
text, footer, the newest item on a homepage or column, the address of a leaking file, the id, unit
and status cells of an export — never reach data/observations, content/ or output/ unmasked: a
real round against a loopback site, the real summary and the real Pelican build."""
from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import lxml.html
import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from collector.cli import main
from govcensus_site import build_site
from loopback import LoopbackSite, Page, serve

ROOT = Path(__file__).resolve().parents[1]
HOST = "www.leak.gov.cn"
# Three resident IDs (valid checksum and birth date) and two mobiles, one of each full-width.
TITLE_ID, TITLE_ID_MASKED = "360426199101010071", "3604**********0071"
FILE_ID, FILE_ID_MASKED = "530902198805120010", "5309**********0010"
WIDE_ID_ASCII, WIDE_ID_MASKED = "530921197503040028", "5309**********0028"
WIDE_ID = WIDE_ID_ASCII.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
MOBILE, MOBILE_MASKED = "13812345678", "138****5678"
WIDE_MOBILE_ASCII, WIDE_MOBILE_MASKED = "13987654321", "139****4321"
WIDE_MOBILE = WIDE_MOBILE_ASCII.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
RAW = (TITLE_ID, FILE_ID, WIDE_ID, WIDE_ID_ASCII, MOBILE, WIDE_MOBILE, WIDE_MOBILE_ASCII)
AS_OF = "2020-06-30T09:00:00+08:00"

HOMEPAGE = f"""<!doctype html><html><head><meta charset="utf-8">
<title>测试县人民政府 {TITLE_ID}</title></head><body>
<ul>
<li><a href="/xw/1.html">关于张三（{TITLE_ID}）低保资格的公示</a> <span>2020-05-20</span></li>
<li><a href="/xw/0.html">县政府召开常务会议</a> <span>2020-05-10</span></li>
</ul>
<p><a href="/gone.html">请联系 {MOBILE} 咨询</a></p>
<p><a href="/files/{FILE_ID}.xlsx">低保名单</a></p>
<div class="footer"><p>主办：测试县人民政府办公室</p><p>经办人 {WIDE_ID} 电话 {WIDE_MOBILE}</p></div>
</body></html>"""

COLUMN = f"""<!doctype html><html><head><meta charset="utf-8"><title>通知公告</title></head><body>
<ul><li><a href="/tzgg/1.html">{WIDE_ID}号户主 {WIDE_MOBILE} 补贴公示</a> <span>2020-04-01</span></li></ul>
</body></html>"""

ARTICLE = "<!doctype html><html><head><meta charset='utf-8'><title>公示</title></head><body><p>正文</p></body></html>"


def leaking_xlsx() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号码", "联系电话"])
    sheet.append(["张三", FILE_ID, MOBILE])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def message_export() -> bytes:
    """A platform export whose id, reply-unit and status cells carry personal numbers."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["留言编号", "留言时间", "留言人", "联系电话", "留言主题", "答复时间", "答复单位", "状态"])
    writer.writerow([MOBILE, "2020-02-03 09:00", "张三", MOBILE, "咨询", "", "测试县政府办公室", "办理中"])
    writer.writerow([TITLE_ID, "2020-02-04 09:00", "李四", "", "咨询", "2020-02-05 10:00",
                     f"测试县民政局（经办 {WIDE_MOBILE}）", f"已办结 {FILE_ID}"])
    writer.writerow([f"L-{WIDE_ID}", "2020-06-01 09:00", "王五", "", "咨询", "", "测试县政府办公室",
                     f"转 {MOBILE} 办理"])
    return out.getvalue().encode("utf-8-sig")


REGISTRY = {
    "office": "测试县人民政府办公室", "region": "测试县",
    "websites": [{"site_code": "5309990001", "name": "测试县人民政府门户网站", "unit": "测试县人民政府办公室",
                  "level": "县级", "site_kind": "政府门户网站", "url": f"http://{HOST}/", "status": "运行",
                  "columns": [{"name": "通知公告", "type": "通知公告", "url": f"http://{HOST}/tzgg/"}]}],
    "message_platforms": [{"id": "hdjl-5309990001", "name": "测试县网民留言", "unit": "测试县人民政府办公室",
                           "belongs_to": "5309990001", "export": f"http://{HOST}/hdjl/export.csv",
                           "report_label": "县级", "status": "运行"}],
}


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("leak")
    registry = work / "registry.yaml"
    registry.write_text(yaml.safe_dump(REGISTRY, allow_unicode=True), encoding="utf-8")
    content = work / "content"
    for folder in ("pages", "notices", "circulars/templates"):
        shutil.copytree(ROOT / "content" / folder, content / folder)
    site = LoopbackSite()
    site.add(HOST, "/", Page(HOMEPAGE))
    site.add(HOST, "/xw/1.html", Page(ARTICLE))
    site.add(HOST, "/xw/0.html", Page(ARTICLE))
    site.add(HOST, "/tzgg/", Page(COLUMN))
    site.add(HOST, "/tzgg/1.html", Page(ARTICLE))
    site.add(HOST, f"/files/{FILE_ID}.xlsx", Page(leaking_xlsx(), content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))
    site.add(HOST, "/hdjl/export.csv", Page(message_export(), content_type="text/csv"))
    runner = CliRunner()
    with serve(site):
        result = runner.invoke(main, ["round", "--registry", str(registry), "--data", str(work / "observations"),
                                      "--resolve", f"*=127.0.0.1:{site.port}", "--allow-private-addresses",
                                      "--as-of", AS_OF],
                               catch_exceptions=False)
        assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["summarize", "--registry", str(registry), "--data", str(work / "observations"),
                                  "--period", "2020Q2", "--content", str(content)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    build_site(content, work / "output")
    return work


def stored_files(work: Path) -> list[Path]:
    return [p for folder in ("observations", "content", "output") for p in (work / folder).rglob("*")
            if p.is_file() and p.suffix in (".jsonl", ".md", ".html", ".xml", ".json", ".txt")]


def test_no_raw_personal_number_is_stored_written_or_published(published):
    files = stored_files(published)
    assert any(p.suffix == ".jsonl" for p in files) and any(p.suffix == ".html" for p in files)
    for path in files:
        text = path.read_text(encoding="utf-8")
        for raw in RAW:
            assert raw not in text, f"{raw} in {path.relative_to(published)}"


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_what_the_checks_saw_is_stored_masked_in_the_observations(published):
    observations = "".join(read(p) for p in (published / "observations").rglob("*.jsonl"))
    assert f"2020-05-20 关于张三（{TITLE_ID_MASKED}）低保资格的公示" in observations      # newest homepage item
    assert f"链接文字「请联系 {MOBILE_MASKED} 咨询」" in observations                      # a link's text
    assert f"经办人 {WIDE_ID_MASKED} 电话 {WIDE_MOBILE_MASKED}" in observations             # the footer, full-width
    assert f"http://{HOST}/files/{FILE_ID_MASKED}.xlsx" in observations                    # a leaking file's address
    assert f"留言 {MOBILE_MASKED} 于 2020-02-03 收到" in observations                        # an export's id cell
    messages = [json.loads(line) for line in observations.splitlines() if '"check":"messages"' in line]
    stored = {m["id"]: m for m in messages[0]["figures"]["import"]["messages"]}   # id, unit and status cells
    assert WIDE_MOBILE_MASKED in stored[TITLE_ID_MASKED]["unit"] and FILE_ID_MASKED in stored[TITLE_ID_MASKED]["status"]
    assert MOBILE_MASKED in stored[f"L-{WIDE_ID_MASKED}"]["status"]


def test_scorecards_and_rectification_status_hold_only_masked_numbers(published):
    card = read(published / "content" / "scorecards" / "2020Q2" / "website" / "5309990001.md")
    for masked in (TITLE_ID_MASKED, FILE_ID_MASKED, WIDE_ID_MASKED, MOBILE_MASKED, WIDE_MOBILE_MASKED):
        assert masked in card
    rectification = read(published / "content" / "rectification-status" / "2020Q2.md")
    assert f"留言 {MOBILE_MASKED} 于 2020-02-03 收到" in rectification


def test_the_published_scorecard_shows_masked_evidence_and_no_link_to_the_leaking_file(published):
    page = read(published / "output" / "scorecards" / "2020Q2" / "5309990001.html")
    for masked in (TITLE_ID_MASKED, FILE_ID_MASKED, WIDE_ID_MASKED, MOBILE_MASKED, WIDE_MOBILE_MASKED):
        assert masked in page
    tree = lxml.html.fromstring(page)
    hrefs = [a.get("href") for a in tree.iter("a")]
    assert not any("/files/" in h or "*" in h for h in hrefs), hrefs
    files = [dd for dd in tree.xpath("//dd[@class='url']") if f"/files/{FILE_ID_MASKED}.xlsx" in dd.text_content()]
    assert files and all("该文件含个人信息，不提供链接" in dd.text_content() for dd in files)
    pages_with_leaks = [dd for dd in tree.xpath("//dd[@class='url']") if "该页面含个人信息，不提供链接" in dd.text_content()]
    assert pages_with_leaks and all(not dd.xpath(".//a") for dd in pages_with_leaks)
    assert tree.xpath(f"//a[@href='http://{HOST}/gone.html']"), "a dead link's evidence is still a link"
