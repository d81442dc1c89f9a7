"""Incremental builds: a page is rendered only when what it shows changed, and written only when its bytes did."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from govcensus_site import Census, build_site, load_scorecards, unit_slug
from govcensus_site.feeds import unit_feed_path
from govcensus_site.incremental import PAGES_FILE, cache_dir, last_build_stats, last_rendered

REPO = Path(__file__).resolve().parents[2]
# Pages that show articles, the indicator profile or message statistics: rendered every build,
# written only when their bytes change.
UNTRACKED = {"index.html", "404.html", "methodology.html", "rectification.html", "circulars/index.html",
             "messages/2020Q2.html", "feeds/circulars.atom.xml"}
# Pages Pelican's writer writes (articles, staff pages, drafts, the notices archive, the open-data
# page of govcensus_site.opendata, the search page): not in the page cache, but never rewritten with the same bytes.
PELICANS = ("notices/", "circulars/2", "drafts/", "about", "opendata.html", "search.html")
LONG_AGO = 1_000_000_000  # 2001-09-09: any page written by a rebuild gets a newer mtime


def html_pages(output: Path) -> list[str]:
    """The pages and the Atom feeds: the build cache tracks both."""
    files = [*output.rglob("*.html"), *(output / "feeds").rglob("*.atom.xml")]
    return sorted(p.relative_to(output).as_posix() for p in files)


def age_every_page(output: Path) -> None:
    for path in output.rglob("*.html"):
        os.utime(path, (LONG_AGO, LONG_AGO))


def rewritten(output: Path) -> set[str]:
    return {p.relative_to(output).as_posix() for p in output.rglob("*.html") if p.stat().st_mtime != LONG_AGO}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, path
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def built(content_dir, tmp_path) -> tuple[Path, Path]:
    output = build_site(content_dir, tmp_path / "output")
    age_every_page(output)
    return content_dir, output


def test_a_rebuild_with_nothing_changed_renders_no_data_page_and_writes_nothing(built):
    content, output = built
    before = html_pages(output)
    build_site(content, output)
    assert last_rendered(output) <= UNTRACKED
    stats = last_build_stats(output)
    ours = [p for p in before if not p.startswith(PELICANS)]
    assert stats["written"] == 0 and stats["skipped"] == len(ours) - len(last_rendered(output))
    # Not even Pelican's own pages (notices, staff pages) are rewritten with the same bytes.
    assert rewritten(output) == set() and html_pages(output) == before


def test_changing_one_scorecard_rerenders_only_the_pages_that_show_it(built):
    content, output = built
    path = content / "scorecards" / "2020Q2" / "column" / "lc-zfxxgk-col22.md"
    edit(path, "发布的信息中存在严重表述错误\n", "发布的信息中存在严重表述错误（已复核）\n")
    build_site(content, output)

    census = Census(load_scorecards(content / "scorecards"))
    card = next(c for c in census.scorecards if c.source == str(path))
    # Its own page, its website's (which lists its columns) and its other quarters'; the lists
    # (index, unit) show nothing of a finding's wording, so they are not rendered.
    shows_it = {card.url, census.parent_of(card).url} | {c.url for c in census.history_of(card.id)}
    # and its unit's feed, whose entries are built from the scorecards (feeds.UnitFeed.key)
    assert last_rendered(output) - UNTRACKED == shows_it | {unit_feed_path(card.entry.unit)}
    # Only the scorecard itself and the home page (whose problem list gives a failing entry's reason)
    # show the changed message; every other page keeps its bytes and mtime.
    assert card.result == "fail"
    assert rewritten(output) == {card.url, "index.html"}
    assert "（已复核）" in (output / card.url).read_text(encoding="utf-8")
    assert "（已复核）" in (output / "index.html").read_text(encoding="utf-8")


def test_a_changed_result_reaches_every_page_that_shows_it(built):
    content, output = built
    edit(content / "scorecards" / "2020Q2" / "website" / "5309210001.md", "result: pass", "result: fail")
    build_site(content, output)
    changed = rewritten(output)
    # Its page, the index, its unit and the home page's figures; its earlier quarter is a row of that
    # quarter's compact list (archive.py), which shows nothing of a later quarter.
    unit = f"units/{unit_slug('凤庆县人民政府办公室')}.html"
    assert {"scorecards/2020Q2/5309210001.html", "scorecards/index.html", unit, "index.html"} <= changed
    assert "scorecards/2020Q1/index.html" not in changed
    assert not any(p.startswith("scorecards/2020Q2/") for p in changed - {"scorecards/2020Q2/5309210001.html"})
    assert "units/index.html" in changed  # its 不合格 count changed
    census = Census(load_scorecards(content / "scorecards"))
    site = next(c for c in census.scorecards if c.url == "scorecards/2020Q2/5309210001.html")
    under_it = {c.url for c in census.scorecards if census.parent_of(c) is site}  # they link to it by name
    feed = unit_feed_path("凤庆县人民政府办公室")  # the unit's feed shows the new result
    assert feed in last_rendered(output) and "不合格" in (output / feed).read_text(encoding="utf-8")
    assert under_it and (last_rendered(output) - UNTRACKED - {feed}) - changed == under_it


def test_a_template_change_rerenders_every_page(content_dir, tmp_path):
    theme = shutil.copytree(REPO / "theme", tmp_path / "theme")
    settings = {"THEME": str(theme)}
    output = build_site(content_dir, tmp_path / "output", settings=settings)
    edit(theme / "templates" / "base.html", "所有数据由自动监测生成", "全部数据由自动监测生成")
    build_site(content_dir, output, settings=settings)
    ours = {p for p in html_pages(output) if not p.startswith(PELICANS)}
    assert ours <= last_rendered(output)
    assert all("全部数据由自动监测生成" in (output / p).read_text(encoding="utf-8") for p in ours if p.endswith(".html"))


def test_a_removed_scorecard_takes_its_page_out_of_the_site_and_the_sitemap(built):
    content, output = built
    (content / "scorecards" / "2020Q2" / "account" / "wx-10.md").unlink()
    build_site(content, output)
    assert not (output / "scorecards" / "2020Q2" / "wx-10.html").exists()
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    assert "2020Q2/wx-10.html" not in sitemap and "2020Q2/wx-11.html" in sitemap
    assert last_build_stats(output)["removed"] == 1


def test_a_page_missing_or_altered_in_the_output_is_written_again(built):
    content, output = built
    gone, altered = output / "scorecards" / "2020Q2" / "wx-10.html", output / "units" / "index.html"
    expected = gone.read_bytes()
    gone.unlink()
    altered.write_text("<p>edited by hand</p>", encoding="utf-8")
    build_site(content, output)
    assert gone.read_bytes() == expected
    assert "edited by hand" not in altered.read_text(encoding="utf-8")


def test_a_damaged_page_cache_means_a_full_build_never_a_wrong_one(built):
    content, output = built
    (cache_dir({"OUTPUT_PATH": str(output)}) / PAGES_FILE).write_text('{"version": 1, "pages": {"index', encoding="utf-8")
    build_site(content, output)
    assert last_rendered(output) == {p for p in html_pages(output) if not p.startswith(PELICANS)}
    assert rewritten(output) == set()  # rendered again, the same bytes: nothing rewritten


def test_the_build_cache_is_not_part_of_the_published_output(built):
    _, output = built
    assert cache_dir({"OUTPUT_PATH": str(output)}).is_dir()
    cache_files = {p.name for p in cache_dir({"OUTPUT_PATH": str(output)}).rglob("*") if p.is_file()}
    assert cache_files and not any(p.name in cache_files or p.suffix == ".pickle" for p in output.rglob("*"))
    # the only JSON published is open data (govcensus_site.opendata)
    assert all(p.relative_to(output).parts[0] == "data" for p in output.rglob("*.json"))


def test_pages_rendered_over_worker_processes_are_the_pages_rendered_in_process(content_dir, tmp_path, monkeypatch):
    from govcensus_site import generator
    alone = build_site(content_dir, tmp_path / "alone", settings={"GOVCENSUS_BUILD_WORKERS": 1})
    monkeypatch.setattr(generator, "RENDER_IN_WORKERS", 1)  # a national rebuild's queue, on the fixture site
    spread = build_site(content_dir, tmp_path / "spread", settings={"GOVCENSUS_BUILD_WORKERS": 2})
    files = sorted(p.relative_to(alone).as_posix() for p in alone.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(spread).as_posix() for p in spread.rglob("*") if p.is_file())
    differ = [f for f in files if (alone / f).read_bytes() != (spread / f).read_bytes()]
    assert [f for f in differ if not f.endswith(".docx")] == []  # a .docx (a zip) carries the time it was made
    assert last_build_stats(alone) == last_build_stats(spread)  # every page the workers wrote is recorded


def test_the_number_of_build_workers_does_not_make_pages_stale(built):
    content, output = built
    build_site(content, output, settings={"GOVCENSUS_BUILD_WORKERS": 3})
    assert last_rendered(output) <= UNTRACKED and rewritten(output) == set()


def test_a_written_page_is_world_readable_and_leaves_no_temporary_file(tmp_path):
    from govcensus_site.incremental import replace_file
    page = tmp_path / "out" / "scorecards" / "a.html"
    replace_file(page, "一".encode("utf-8"))
    old = os.umask(0o077)  # a strict umask must not make published pages unreadable to the web server
    try:
        replace_file(page, "二".encode("utf-8"))
    finally:
        os.umask(old)
    assert page.read_text(encoding="utf-8") == "二" and page.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in page.parent.iterdir()] == ["a.html"]
    shutil.rmtree(tmp_path / "out")  # a folder removed after this process made it is made again
    replace_file(page, b"3")
    assert page.read_bytes() == b"3"


def test_a_page_the_last_build_recorded_is_compared_by_its_recorded_hash_not_read_again(built, monkeypatch):
    content, output = built
    from pathlib import Path as RealPath
    read = []
    real = RealPath.read_bytes
    monkeypatch.setattr(RealPath, "read_bytes", lambda self: read.append(str(self)) or real(self))
    edit(content / "scorecards" / "2020Q2" / "website" / "5309210001.md", "result: pass", "result: fail")
    build_site(content, output)
    rendered = {str(output / page) for page in last_rendered(output)}
    assert str(output / "scorecards/2020Q2/5309210001.html") in rendered
    assert not set(read) & rendered  # no page the cache rendered was read back to compare


def test_a_finished_build_keeps_nothing_of_its_census_alive(content_dir, tmp_path):
    """A process that builds again (`pelican --autoreload`, these tests) must not keep every earlier
    build's scorecards: Pelican's memo of rendered articles held each build's whole context."""
    import gc
    import weakref
    from pelican import signals
    censuses = []

    def keep_a_weak_reference(generators):
        censuses.extend(weakref.ref(g.census) for g in generators if hasattr(g, "census"))
    signals.all_generators_finalized.connect(keep_a_weak_reference)
    try:
        build_site(content_dir, tmp_path / "output")
        build_site(content_dir, tmp_path / "output")
    finally:
        signals.all_generators_finalized.disconnect(keep_a_weak_reference)
    gc.collect()
    assert len(censuses) == 2 and [ref() for ref in censuses] == [None, None]


# --- a build into an emptied output takes unchanged pages from a copy of the last one -----------------

def last_output_build(content: Path, tmp_path: Path) -> tuple[Path, Path]:
    """Build, then move the output aside as the scheduled workflow does before its publishing build
    deletes output/: (the new output folder, the last build's copy)."""
    output = build_site(content, tmp_path / "output")
    last = tmp_path / "last-output"
    output.rename(last)
    return output, last


def test_a_build_into_an_empty_output_takes_unchanged_pages_from_the_last_output(content_dir, tmp_path, monkeypatch):
    from govcensus_site import opendata
    output, last = last_output_build(content_dir, tmp_path)
    made = []
    real_frame = opendata.frame
    monkeypatch.setattr(opendata, "frame", lambda table, rows: made.append(table.name) or real_frame(table, rows))
    build_site(content_dir, output, settings={"GOVCENSUS_LAST_OUTPUT": str(last)})
    assert last_rendered(output) <= UNTRACKED and made == []  # no data page rendered, no open data made
    assert html_pages(output) == html_pages(last)
    assert [p for p in html_pages(output) if (output / p).read_bytes() != (last / p).read_bytes()] == []
    data = sorted(p.relative_to(output).as_posix() for p in (output / "data").rglob("*") if p.is_file())
    assert data == sorted(p.relative_to(last).as_posix() for p in (last / "data").rglob("*") if p.is_file())
    assert [p for p in data if (output / p).read_bytes() != (last / p).read_bytes()] == []


def test_a_page_the_last_output_holds_but_this_build_does_not_make_is_not_carried_over(content_dir, tmp_path):
    output, last = last_output_build(content_dir, tmp_path)
    (content_dir / "scorecards" / "2020Q2" / "account" / "wx-10.md").unlink()
    build_site(content_dir, output, settings={"GOVCENSUS_LAST_OUTPUT": str(last)})
    assert (last / "scorecards" / "2020Q2" / "wx-10.html").exists()
    assert not (output / "scorecards" / "2020Q2" / "wx-10.html").exists()


def test_a_last_output_file_of_another_size_or_a_link_is_not_taken(content_dir, tmp_path):
    output, last = last_output_build(content_dir, tmp_path)
    altered, linked = last / "scorecards" / "2020Q2" / "5309210001.html", last / "scorecards" / "2020Q2" / "5309000001.html"
    altered.write_text(altered.read_text(encoding="utf-8") + "<!-- planted -->", encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("not a page", encoding="utf-8")
    size = linked.stat().st_size
    linked.unlink()
    linked.symlink_to(secret)
    secret.write_text("x" * size, encoding="utf-8")  # the recorded size: only the link gives it away
    build_site(content_dir, output, settings={"GOVCENSUS_LAST_OUTPUT": str(last)})
    rendered = last_rendered(output)
    assert {"scorecards/2020Q2/5309210001.html", "scorecards/2020Q2/5309000001.html"} <= rendered
    assert "<!-- planted -->" not in (output / "scorecards" / "2020Q2" / "5309210001.html").read_text(encoding="utf-8")
    assert not (output / "scorecards" / "2020Q2" / "5309000001.html").is_symlink()
