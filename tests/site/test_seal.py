"""The build cache sealed with a key: where others can write it (the Actions cache), nothing in it is
unpickled, loaded as code or published unless its seal holds."""
from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from govcensus_site import build_site
from poisoned import Payload
from govcensus_site.incremental import PAGES_FILE, cache_dir, last_rendered, read_pickle, write_pickle
from govcensus_site.seal import KEY_ENV, MAGIC, REQUIRED_ENV, Seal, read_cache_file, write_cache_file

KEY = "a-secret-only-the-publishing-job-holds"
# Pages that show articles, the profile or message statistics: rendered by every build.
UNTRACKED = {"index.html", "404.html", "methodology.html", "rectification.html", "circulars/index.html",
             "messages/2020Q2.html", "feeds/circulars.atom.xml"}
A_SCORECARD = "scorecards/2020Q2/5309210001.html"


def pages(output: Path) -> dict[str, bytes]:
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in output.rglob("*") if p.is_file()}


@pytest.fixture
def sealed(monkeypatch) -> None:
    monkeypatch.setenv(KEY_ENV, KEY)


# --- the seal itself -----------------------------------------------------------------------------------

def test_the_mode_comes_from_the_environment():
    assert Seal.from_environment({}) == Seal(None, False)
    assert Seal.from_environment({KEY_ENV: KEY}) == Seal(KEY.encode(), True)
    assert Seal.from_environment({REQUIRED_ENV: "1"}) == Seal(None, True)
    assert Seal.from_environment({REQUIRED_ENV: "0", KEY_ENV: ""}) == Seal(None, False)
    assert Seal(None, True).trusts_nothing and not Seal(None, True).trusts_sizes
    assert Seal().trusts_sizes and not Seal(KEY.encode(), True).trusts_sizes


def test_sealed_bytes_come_back_only_unaltered_under_their_name_and_key():
    seal = Seal(KEY.encode(), True)
    stored = seal.wrap("pages.json", b'{"pages": {}}')
    assert stored.startswith(MAGIC) and seal.unwrap("pages.json", stored) == b'{"pages": {}}'
    assert seal.unwrap("rows.pickle", stored) is None  # moved to another file's name
    assert Seal(b"another key", True).unwrap("pages.json", stored) is None
    assert seal.unwrap("pages.json", stored[:-1] + b"]") is None  # one byte of the data changed
    mac_at = len(MAGIC)
    flipped = stored[:mac_at] + (b"0" if stored[mac_at:mac_at + 1] != b"0" else b"1") + stored[mac_at + 1:]
    assert seal.unwrap("pages.json", flipped) is None
    assert seal.unwrap("pages.json", b'{"pages": {}}') is None  # not sealed at all
    assert seal.unwrap("pages.json", MAGIC) is None  # cut short


def test_without_a_key_files_are_written_and_read_as_they_are(tmp_path, monkeypatch):
    monkeypatch.delenv(KEY_ENV, raising=False)
    monkeypatch.delenv(REQUIRED_ENV, raising=False)
    write_cache_file(tmp_path / "pages.json", "{}")
    assert (tmp_path / "pages.json").read_bytes() == b"{}" and read_cache_file(tmp_path / "pages.json") == b"{}"
    assert read_cache_file(tmp_path / "missing.json") is None


def test_a_build_that_trusts_its_cache_reads_a_sealed_file_too(tmp_path, monkeypatch):
    """A cache taken home from the workflow, to look into it: read as it is, as every file is then."""
    monkeypatch.delenv(KEY_ENV, raising=False)
    monkeypatch.delenv(REQUIRED_ENV, raising=False)
    (tmp_path / "pages.json").write_bytes(Seal(KEY.encode(), True).wrap("pages.json", b"{}"))
    assert read_cache_file(tmp_path / "pages.json") == b"{}"


def test_required_without_a_key_no_cache_file_is_read(tmp_path, monkeypatch):
    (tmp_path / "pages.json").write_bytes(b"{}")
    monkeypatch.setenv(REQUIRED_ENV, "1")
    assert read_cache_file(tmp_path / "pages.json") is None


def test_a_poisoned_pickle_is_refused_before_it_is_unpickled(tmp_path, sealed):
    marker = tmp_path / "the-payload-ran"
    stamp = {"version": 1}
    for stored in (pickle.dumps({**stamp, "rows": Payload(marker)}),  # unsealed
                   Seal(b"a key of the attacker", True).wrap("rows.pickle", pickle.dumps(Payload(marker)))):
        (tmp_path / "rows.pickle").write_bytes(stored)
        assert read_pickle(tmp_path / "rows.pickle", stamp, "rows") == {}
    assert not marker.exists()
    write_pickle(tmp_path / "rows.pickle", stamp, "rows", {"a": "b"})  # ours, sealed with our key
    assert read_pickle(tmp_path / "rows.pickle", stamp, "rows") == {"a": "b"}


# --- a whole build ---------------------------------------------------------------------------------------

def test_a_sealed_cache_serves_the_next_build_as_an_unsealed_one_does(content_dir, tmp_path, sealed):
    output = build_site(content_dir, tmp_path / "output")
    folder = cache_dir({"OUTPUT_PATH": str(output)})
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {PAGES_FILE, "rows.pickle", "scorecards.pickle", "opendata.json"}
    assert any(p.parent.name == "jinja" for p in files)
    assert all(p.read_bytes().startswith(MAGIC) for p in files)  # compiled templates too
    build_site(content_dir, output)
    assert last_rendered(output) <= UNTRACKED


def test_a_build_given_a_poisoned_cache_runs_none_of_it_and_builds_everything_afresh(content_dir, tmp_path, sealed):
    clean = pages(build_site(content_dir, tmp_path / "clean"))
    output = build_site(content_dir, tmp_path / "output")
    marker = tmp_path / "the-payload-ran"
    for path in cache_dir({"OUTPUT_PATH": str(output)}).rglob("*"):
        if path.is_file():  # what a job that can write the cache could leave there
            path.write_bytes(pickle.dumps(Payload(marker)))
    build_site(content_dir, output)
    assert not marker.exists()
    assert A_SCORECARD in last_rendered(output)  # nothing taken from the cache
    assert pages(output) == clean


def test_a_sealed_build_takes_from_the_last_output_only_the_bytes_its_record_names(content_dir, tmp_path, sealed):
    output = build_site(content_dir, tmp_path / "output")
    last = tmp_path / "last-output"
    output.rename(last)
    planted = last / A_SCORECARD
    text = planted.read_text(encoding="utf-8")
    assert "凤庆县" in text
    planted.write_text(text.replace("凤庆县", "伪造县", 1), encoding="utf-8")  # same size, other bytes
    assert planted.stat().st_size == len(text.encode("utf-8"))
    kept = "scorecards/2020Q2/5309000001.html"
    build_site(content_dir, output, settings={"GOVCENSUS_LAST_OUTPUT": str(last)})
    rendered = last_rendered(output)
    assert A_SCORECARD in rendered and kept not in rendered  # the planted page made again, the others taken
    assert (output / A_SCORECARD).read_text(encoding="utf-8") == text
    assert (output / kept).read_bytes() == (last / kept).read_bytes()


def test_sealing_required_without_a_key_builds_everything_and_takes_nothing(content_dir, tmp_path, monkeypatch):
    output = build_site(content_dir, tmp_path / "output")
    last = tmp_path / "last-output"
    output.rename(last)
    monkeypatch.setenv(REQUIRED_ENV, "1")
    build_site(content_dir, output, settings={"GOVCENSUS_LAST_OUTPUT": str(last)})
    monkeypatch.delenv(REQUIRED_ENV)  # to read the build's own record back
    assert A_SCORECARD in last_rendered(output)
    assert (output / A_SCORECARD).stat().st_ino != (last / A_SCORECARD).stat().st_ino  # written, not linked
    assert pages(output) == pages(last)


def test_a_sealed_build_takes_no_open_data_file_whose_bytes_are_not_those_recorded(content_dir, tmp_path, sealed):
    output = build_site(content_dir, tmp_path / "output")
    last = tmp_path / "last-output"
    output.rename(last)
    table = last / "data" / "2020Q2" / "scorecards.csv"
    original = table.read_bytes()
    table.write_bytes(original.replace(b"pass", b"PASS", 1))  # the recorded size, another content
    assert table.read_bytes() != original
    build_site(content_dir, output, settings={"GOVCENSUS_LAST_OUTPUT": str(last)})
    assert (output / "data" / "2020Q2" / "scorecards.csv").read_bytes() == original


def test_a_sealed_build_follows_no_link_a_restored_cache_holds(content_dir, tmp_path, sealed):
    """A restored cache whose files or folders are links elsewhere would turn the build's own writes
    (records, compiled templates) onto another folder: the links are removed before it is used."""
    output = build_site(content_dir, tmp_path / "output")
    folder = cache_dir({"OUTPUT_PATH": str(output)})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (folder / PAGES_FILE).unlink()
    (folder / PAGES_FILE).symlink_to(elsewhere / "pages.json")
    shutil.rmtree(folder / "jinja")
    (folder / "jinja").symlink_to(elsewhere, target_is_directory=True)
    build_site(content_dir, output)
    assert list(elsewhere.iterdir()) == []
    assert not (folder / PAGES_FILE).is_symlink() and not (folder / "jinja").is_symlink()
    moved = tmp_path / "moved-cache"
    folder.rename(moved)
    folder.symlink_to(moved, target_is_directory=True)  # the whole cache folder a link
    build_site(content_dir, output)
    assert not folder.is_symlink() and folder.is_dir()


def test_a_sealed_build_into_an_empty_output_makes_no_open_data_again(content_dir, tmp_path, sealed, monkeypatch):
    """Its tables are taken from the last output by their recorded hashes; the data package, which has
    none, is written again from those records: the quarter is not made again for want of it."""
    from govcensus_site import opendata
    output = build_site(content_dir, tmp_path / "output")
    last = tmp_path / "last-output"
    output.rename(last)
    made = []
    real = opendata.quarter_tables
    monkeypatch.setattr(opendata, "quarter_tables", lambda period, *rest: made.append(period) or real(period, *rest))
    build_site(content_dir, output, settings={"GOVCENSUS_LAST_OUTPUT": str(last)})
    assert made == []
    for path in (last / "data").rglob("*"):
        if path.is_file():
            assert (output / path.relative_to(last)).read_bytes() == path.read_bytes(), path
