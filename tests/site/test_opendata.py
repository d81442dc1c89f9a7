"""Open data: every table of the built site per quarter as CSV and JSON, described by a valid data package."""
from __future__ import annotations

import csv
import gzip
import io
import json
import re
import shutil
from pathlib import Path

import lxml.html
import pytest
from frictionless import Package

from govcensus_data.masking import mask_text
from govcensus_site import Census, DataFileError, load_message_summaries, load_rectification_statuses, load_scorecards
from govcensus_site.opendata import TABLES, write_open_data

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scorecards"
PERIODS = ("2020Q2", "2020Q1")


def read_bytes(path: Path) -> bytes:
    """A file of the current quarter, or the gzipped file a past quarter has in its place (archive.py)."""
    packed = path.with_name(path.name + ".gz")
    return gzip.decompress(packed.read_bytes()) if packed.exists() and not path.exists() else path.read_bytes()


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(read_bytes(path).decode("utf-8-sig"))))


def read_json(path: Path) -> list[dict]:
    return json.loads(read_bytes(path).decode("utf-8"))


def validate(folder: Path):
    return Package(str(folder / "datapackage.json")).validate()


@pytest.mark.parametrize("period", [*PERIODS, "latest"])
def test_every_resource_is_valid_against_its_datapackage(site, period):
    report = validate(site / "data" / period)
    problems = [(task.name, error.message) for task in report.tasks for error in task.errors]
    assert report.valid, problems
    names = {task.name for task in report.tasks}
    assert {"entries", "entries-json", "scorecards", "scorecards-json", "findings", "figures"} <= names


def test_validation_catches_a_finding_whose_entry_is_not_listed(site, tmp_path):
    """The foreign key findings -> entries is checked: the validation above can fail."""
    folder = shutil.copytree(site / "data" / "2020Q2", tmp_path / "q")
    finding_entry = read_csv(folder / "findings.csv")[0]["entry_id"]
    lines = (folder / "entries.csv").read_text(encoding="utf-8-sig").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(finding_entry + ",")]
    assert len(kept) == len(lines) - 1
    (folder / "entries.csv").write_bytes("".join(kept).encode("utf-8-sig"))
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:   # the edit changes size and hash; only the key is under test
        resource.pop("bytes", None), resource.pop("hash", None)
    (folder / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    report = validate(folder)
    assert not report.valid
    assert any(error.type == "foreign-key" for task in report.tasks for error in task.errors)


def test_the_data_package_describes_every_field_in_chinese(site):
    package = json.loads((site / "data" / "2020Q2" / "datapackage.json").read_text(encoding="utf-8"))
    assert package["name"] == "govcensus-2020q2" and package["licenses"][0]["name"] == "CC-BY-4.0"
    by_name = {r["name"]: r for r in package["resources"]}
    assert by_name["entries"]["path"] == "entries.csv" and by_name["entries"]["mediatype"] == "text/csv"
    assert by_name["entries"]["encoding"] == "utf-8-sig"
    assert by_name["entries-json"]["path"] == "entries.json" and by_name["entries-json"]["mediatype"] == "application/json"
    assert by_name["findings"]["schema"]["foreignKeys"] == [
        {"fields": "entry_id", "reference": {"resource": "entries", "fields": "id"}}]
    assert by_name["findings-json"]["schema"]["foreignKeys"][0]["reference"]["resource"] == "entries-json"
    for resource in package["resources"]:
        assert resource["schema"]["primaryKey"]
        for field in resource["schema"]["fields"]:
            assert re.search(r"[\u4e00-\u9fff]", field["title"]), field
            assert field["description"] and field["type"] in ("string", "integer", "number", "date")


@pytest.mark.parametrize("period", PERIODS)
def test_rows_are_the_scorecards_and_findings_the_site_shows(site, period):
    cards = [c for c in load_scorecards(FIXTURES) if c.period == period]
    folder = site / "data" / period
    if period == "2020Q2":  # the current quarter: a page per scorecard
        pages = list((site / "scorecards" / period).glob("*.html"))
        shown_ids = {p.stem for p in pages}
        shown = sum(len(lxml.html.parse(str(p)).getroot().find_class("finding")) for p in pages)
    else:  # an earlier quarter: a row per scorecard on its compact list (archive.py), findings counted
        rows = lxml.html.parse(str(site / "scorecards" / period / "index.html")).getroot().xpath("//tbody/tr")
        shown_ids = {r.get("id").removeprefix("e-") for r in rows}
        shown = sum(int(r.xpath("td")[4].text_content()) for r in rows)
    for fmt, read in (("csv", read_csv), ("json", read_json)):
        scorecards = read(folder / f"scorecards.{fmt}")
        assert len(scorecards) == len(shown_ids) == len(cards)
        assert {r["entry_id"] for r in scorecards} == shown_ids
        assert len(read(folder / f"entries.{fmt}")) == len(cards)
        assert len(read(folder / f"findings.{fmt}")) == shown == sum(len(c.findings) for c in cards)


def test_scorecard_rows_carry_result_score_vetoes_and_deductions(site):
    card = next(c for c in load_scorecards(FIXTURES) if c.period == "2020Q2" and c.id == "5309000001")
    row = next(r for r in read_json(site / "data" / "2020Q2" / "scorecards.json") if r["entry_id"] == "5309000001")
    assert row["result"] == card.result == "pass" and row["result_label"] == "合格"
    assert row["score"] == card.score == 97.5
    assert row["deduction_points"] == 2.5 and row["vetoes"] == 0
    entry = next(r for r in read_json(site / "data" / "2020Q2" / "entries.json") if r["id"] == "5309000001")
    assert entry["name"] == "临沧市人民政府" and entry["url"] == "http://www.lincang.gov.cn/"
    assert (site / entry["scorecard"]).is_file()


def test_quarter_figures_use_the_rates_the_home_page_shows(site, read_page):
    home = read_page("index.html")

    def shown(name: str) -> str:
        return home.xpath(f'//*[@data-figure="{name}"]')[0].text_content().strip()

    figures = {(r["kind"], r["group"]): r for r in read_csv(site / "data" / "2020Q2" / "figures.csv")}
    assert figures[("column", "合计")]["pass_rate"] == shown("columns-rate") == "91.2%"
    assert figures[("account", "合计")]["pass_rate"] == shown("accounts-rate")
    assert figures[("website", "合计")]["pass_rate"] == shown("websites-rate")
    assert figures[("website", "合计")]["registered"] == shown("websites-registered")
    assert figures[("website", "合计")]["offline"] == shown("websites-offline")
    assert figures[("column", "合计")]["failed"] == shown("columns-failed")
    census = Census(load_scorecards(FIXTURES))
    assert figures[("account", "微信公众号")]["pass_rate"] == dict(census.figures("2020Q2").accounts.parts)["微信公众号"].rate


def test_message_and_rectification_tables_match_their_data_files(site):
    summary = next(m for m in load_message_summaries(site.parent / "content" / "messages") if m.period == "2020Q2")
    rows = read_json(site / "data" / "2020Q2" / "messages.json")
    assert [r["name"] for r in rows if r["scope"] == "platform"] == [p.name for p in summary.platforms]
    assert len([r for r in rows if r["scope"] == "unit"]) == len(summary.units)
    total = next(r for r in rows if r["scope"] == "total")
    assert total["received"] == summary.totals["received"] == 104
    status = load_rectification_statuses(site.parent / "content" / "rectification-status")[0]
    rectification = read_csv(site / "data" / "2020Q2" / "rectification.csv")
    assert [(r["id"], r["status"]) for r in rectification] == [(i.id, i.status) for i in status.items]
    assert not (site / "data" / "2020Q1" / "messages.csv").exists()


def test_a_personal_information_finding_gives_its_address_as_text_never_as_a_url(site):
    rows = read_json(site / "data" / "2020Q2" / "findings.json")
    leak = next(r for r in rows if r["check"] == "personal_info")
    assert leak["evidence_url"] is None
    assert leak["evidence_text"] == "javascript:alert(1)" and "个人信息" in leak["evidence_note"]
    for row in rows:   # no column named url carries anything but plain http(s)
        assert row["evidence_url"] is None or row["evidence_url"].startswith(("http://", "https://"))


def test_no_file_publishes_a_personal_number(site):
    files = [p for p in (site / "data").rglob("*") if p.is_file()]
    assert len(files) > 20
    for path in files:  # a past quarter's files gzipped: read through
        text = (gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()).decode("utf-8-sig")
        assert mask_text(text) == text, path


def test_numbers_planted_in_a_data_file_come_out_masked(content_dir, tmp_path):
    card = content_dir / "scorecards" / "2020Q2" / "column" / "lc-zfxxgk-col13.md"
    text = card.read_text(encoding="utf-8")
    text = text.replace("url: javascript:alert(1)", "url: http://www.lincang.gov.cn/gs.xlsx?id=530902199001011234")
    text = text.replace("message: 发布的附件中含有公民身份证号码", "message: 附件含 530902199001011234 与 13812345678")
    card.write_text(text, encoding="utf-8")
    write_open_data(content_dir, tmp_path / "out")
    for path in (tmp_path / "out" / "data").rglob("*.*"):
        body = path.read_text(encoding="utf-8-sig")
        assert "530902199001011234" not in body and "13812345678" not in body, path
    leak = next(r for r in read_json(tmp_path / "out" / "data" / "2020Q2" / "findings.json")
                if r["check"] == "personal_info")
    assert leak["message"] == "附件含 5309**********1234 与 138****5678"
    assert leak["evidence_url"] is None and "5309**********1234" in leak["evidence_text"]
    assert "文件" in leak["evidence_note"]


def test_text_that_a_spreadsheet_would_run_as_a_formula_stays_text_in_csv(content_dir, tmp_path):
    card = content_dir / "scorecards" / "2020Q2" / "column" / "lc-zfxxgk-col13.md"
    formula = '=HYPERLINK("http://evil.example/","点击")'
    text = card.read_text(encoding="utf-8").replace("message: 发布的附件中含有公民身份证号码", f"message: '{formula}'")
    card.write_text(text, encoding="utf-8")
    write_open_data(content_dir, tmp_path / "out")
    folder = tmp_path / "out" / "data" / "2020Q2"
    [row] = [r for r in read_csv(folder / "findings.csv") if r["check"] == "personal_info"]
    assert row["message"] == "'" + formula
    [record] = [r for r in read_json(folder / "findings.json") if r["check"] == "personal_info"]
    assert record["message"] == formula   # JSON is data for programs: kept as written
    assert all(not cell.startswith(("=", "+", "@")) for r in read_csv(folder / "findings.csv") for cell in r.values())
    assert validate(folder).valid


def test_csv_opens_in_excel_and_json_is_readable_chinese(site):
    raw = (site / "data" / "2020Q2" / "entries.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\xef\xbb\xbf") == 1
    body = (site / "data" / "2020Q2" / "entries.json").read_text(encoding="utf-8")
    assert "临沧市人民政府" in body and "\\u" not in body


def test_latest_is_the_newest_quarter_and_the_index_lists_every_quarter(site):
    data = site / "data"
    for path in (data / "2020Q2").iterdir():
        assert (data / "latest" / path.name).read_bytes() == path.read_bytes()
    index = json.loads((data / "index.json").read_text(encoding="utf-8"))
    assert index["latest"] == "2020Q2"
    assert [p["period"] for p in index["periods"]] == list(PERIODS)
    for period in index["periods"]:
        assert (site / period["datapackage"]).is_file()
        for listed in period["files"]:
            assert (site / listed["path"]).stat().st_size == listed["bytes"]


def test_an_empty_table_is_published_with_its_header(site):
    """2020Q1 has no findings: the files exist (stable URLs), the CSV with its header row."""
    header = read_bytes(site / "data" / "2020Q1" / "findings.csv").decode("utf-8-sig").splitlines()
    assert header == [",".join(f.name for f in TABLES[2].fields)]
    assert read_json(site / "data" / "2020Q1" / "findings.json") == []


def test_a_period_that_is_not_a_quarter_is_a_located_error(content_dir, tmp_path):
    path = content_dir / "messages" / "2020Q2.md"
    path.write_text(path.read_text(encoding="utf-8").replace("period: 2020Q2", "period: ../../etc", 1), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        write_open_data(content_dir, tmp_path / "out")
    assert caught.value.path == path and "'../../etc' is not a quarter" in str(caught.value)
    assert not (tmp_path / "etc").exists()


def test_the_open_data_page_lists_every_file_with_its_size_and_the_dictionary(site, read_page):
    page = read_page("opendata.html")
    assert page.xpath("//h1")[0].text_content() == "开放数据"
    assert not page.xpath("//script")
    for period in PERIODS:
        table = page.get_element_by_id(f"files-{period}")
        assert table.find("caption") is not None and table.xpath(".//th[@scope='col']")
        links = [a.get("href") for a in table.xpath(".//a[@href]") if "/data/" in a.get("href", "")]
        for path in (site / "data" / period).iterdir():
            assert f"./data/{period}/{path.name}" in links
        for href in links:
            assert (site / href.removeprefix("./")).is_file()
    assert re.search(r"entries\.csv（\d+\.\d KB）", page.text_content())
    for table in TABLES:
        dictionary = page.get_element_by_id(f"dict-{table.name}")
        rows = dictionary.getparent().xpath(".//table[@class='opendata-fields']//tbody/tr")
        assert [r.xpath("th/code")[0].text for r in rows] == [f.name for f in table.fields]
    assert "CC BY 4.0" in page.text_content()


def test_every_page_links_the_open_data_page(read_page):
    nav = read_page("index.html").xpath("//nav[@aria-label='主导航']//a")
    assert any(a.text == "开放数据" and a.get("href").endswith("opendata.html") for a in nav)
    current = read_page("opendata.html").xpath("//nav//a[@aria-current='page']")
    assert [a.text for a in current] == ["开放数据"]


def test_the_open_data_page_is_in_the_sitemap(site):
    assert "opendata.html" in (site / "sitemap.xml").read_text(encoding="utf-8")


# --- a rebuild makes again only the quarters whose inputs changed (build cache) ---------------------

def _mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def two_quarter_site(tmp_path):
    from govcensus_site import build_site
    from tests.site.conftest import make_content
    from tests.site.twoquarters import make_two_quarters
    content = make_two_quarters(make_content(tmp_path))
    return content, build_site(content, tmp_path / "output")


def test_a_rebuild_with_nothing_changed_leaves_every_quarters_files_alone(two_quarter_site):
    from govcensus_site import build_site
    content, output = two_quarter_site
    before = {p: _mtimes(output / "data" / p) for p in ("2020Q1", "2020Q2")}
    build_site(content, output)
    assert {p: _mtimes(output / "data" / p) for p in before} == before
    assert validate(output / "data" / "2020Q2").valid


def test_a_changed_scorecard_makes_its_own_quarter_again_and_no_other(two_quarter_site):
    from govcensus_site import build_site
    from tests.site.twoquarters import edit
    content, output = two_quarter_site
    q1 = _mtimes(output / "data" / "2020Q1")
    path = next((content / "scorecards" / "2020Q2" / "website").glob("*.md"))
    edit(path, lambda meta: meta["entry"].update(name=meta["entry"]["name"] + "（更名）"))
    build_site(content, output)
    assert _mtimes(output / "data" / "2020Q1") == q1
    assert any("（更名）" in row["name"] for row in read_json(output / "data" / "2020Q2" / "entries.json"))
    assert validate(output / "data" / "2020Q2").valid


def test_a_quarter_file_gone_from_the_output_is_made_again(two_quarter_site):
    from govcensus_site import build_site
    content, output = two_quarter_site
    gone = output / "data" / "2020Q2" / "findings.csv"
    gone.unlink()
    build_site(content, output)
    assert gone.exists() and validate(output / "data" / "2020Q2").valid


def test_a_changed_result_makes_the_scorecards_table_again_and_keeps_the_entries_table(two_quarter_site, monkeypatch):
    from govcensus_site import build_site, opendata
    from tests.site.twoquarters import edit
    content, output = two_quarter_site
    folder = output / "data" / "2020Q2"
    path = next((content / "scorecards" / "2020Q2" / "website").glob("*.md"))
    turned = {}

    def turn(meta):
        meta["result"] = "fail" if meta["result"] == "pass" else "pass"
        turned.update(id=meta["entry"]["id"], result=meta["result"])
    edit(path, turn)
    made = []  # the tables this rebuild turned into files (every table goes through frame())
    real_frame = opendata.frame
    monkeypatch.setattr(opendata, "frame", lambda table, rows: made.append(table.name) or real_frame(table, rows))
    build_site(content, output)
    # The entries did not change: their files are the last build's, not made again.
    assert "scorecards" in made and "entries" not in made
    row = next(r for r in read_json(folder / "scorecards.json") if r["entry_id"] == turned["id"])
    assert row["result"] == turned["result"]
    assert validate(folder).valid  # the data package still describes every file, kept or new


# --- written in a forked process beside the pages, when the census is big ----------------------------

def test_open_data_written_beside_the_pages_is_what_the_build_writes_alone(content_dir, tmp_path, monkeypatch):
    from govcensus_site import build_site, opendata
    alone = build_site(content_dir, tmp_path / "alone", settings={"GOVCENSUS_BUILD_WORKERS": 1})
    monkeypatch.setattr(opendata, "MIN_ITEMS", 1)  # a national census's size, on the fixture site
    forked = []
    real_forked = opendata.Forked
    monkeypatch.setattr(opendata, "Forked", lambda call: forked.append(call) or real_forked(call))
    beside = build_site(content_dir, tmp_path / "beside", settings={"GOVCENSUS_BUILD_WORKERS": 2})
    assert len(forked) == 1
    files = sorted(p.relative_to(alone).as_posix() for p in (alone / "data").rglob("*") if p.is_file())
    assert files and files == sorted(p.relative_to(beside).as_posix() for p in (beside / "data").rglob("*") if p.is_file())
    assert [f for f in files if (alone / f).read_bytes() != (beside / f).read_bytes()] == []
    assert (alone / "opendata.html").read_bytes() == (beside / "opendata.html").read_bytes()


def test_an_error_in_the_forked_writer_is_raised_by_the_build_with_its_file(content_dir, tmp_path, monkeypatch):
    from govcensus_site import build_site, opendata
    monkeypatch.setattr(opendata, "MIN_ITEMS", 1)
    path = content_dir / "rectification-status" / "2020Q2.md"
    path.write_text(path.read_text(encoding="utf-8").replace("period: 2020Q2", "period: 2020-06", 1), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        build_site(content_dir, tmp_path / "out", settings={"GOVCENSUS_BUILD_WORKERS": 2})
    assert caught.value.path == path and "is not a quarter" in str(caught.value)


def test_a_cache_record_naming_a_file_outside_its_quarter_is_not_followed(two_quarter_site, tmp_path):
    from govcensus_site import build_site
    from govcensus_site.incremental import cache_dir
    from govcensus_site.opendata import OPEN_DATA_CACHE
    content, output = two_quarter_site
    record = cache_dir({"OUTPUT_PATH": str(output)}) / OPEN_DATA_CACHE
    data = json.loads(record.read_text(encoding="utf-8"))
    resource = data["quarters"]["2020Q2"]["resources"][0]
    resource["path"] = "../planted.csv"  # data/2020Q2/../planted.csv: data/planted.csv
    record.write_text(json.dumps(data), encoding="utf-8")
    last = tmp_path / "last-output"
    (last / "data").mkdir(parents=True)
    (last / "data" / "planted.csv").write_bytes(b"x" * resource["bytes"])  # the size the record says
    (output / "data" / "2020Q2" / "entries.csv").unlink()  # so the quarter must be taken or made again
    build_site(content, output, settings={"GOVCENSUS_LAST_OUTPUT": str(last)})
    assert not (output / "data" / "planted.csv").exists()
    assert (output / "data" / "2020Q2" / "entries.csv").exists() and validate(output / "data" / "2020Q2").valid
