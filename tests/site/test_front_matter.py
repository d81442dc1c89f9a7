"""Reading data files fast: libyaml's C loader, the cache of scorecards read before, parsing in worker processes."""
from __future__ import annotations

import datetime
import os
import pickle
import shutil
from pathlib import Path

import pytest
import yaml

from govcensus_data import model
from govcensus_site import DataFileError, load_scorecards
from govcensus_site.scorecard_cache import DELTA as CHANGES_FILE, FILE as CACHE_FILE
from govcensus_site.parallel import in_chunks

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scorecards"
EXTRAS = Path(__file__).resolve().parents[1] / "fixtures" / "site"
needs_libyaml = pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML was built without libyaml")


def front_matters() -> list[str]:
    """The YAML front matter of every fixture data file: scorecards, message statistics, rectification."""
    paths = sorted([*FIXTURES.glob("*/*/*.md"), *EXTRAS.glob("messages/*.md"), *EXTRAS.glob("rectification-status/*.md")])
    return [model._FRONT_MATTER.match(p.read_text(encoding="utf-8")).group(1) for p in paths]


@needs_libyaml
def test_the_c_loader_reads_every_fixture_data_file_exactly_as_the_pure_loader():
    fronts = front_matters()
    assert len(fronts) > 100
    for front in fronts:
        assert yaml.load(front, Loader=yaml.CSafeLoader) == yaml.load(front, Loader=yaml.SafeLoader), front
    assert model.yaml_loader() is yaml.CSafeLoader and model.yaml_dumper() is yaml.CSafeDumper


@needs_libyaml
def test_scorecards_read_with_the_c_loader_equal_those_read_with_the_pure_one(monkeypatch):
    fast = load_scorecards(FIXTURES)
    monkeypatch.setattr(model, "yaml_loader", lambda: yaml.SafeLoader)
    assert load_scorecards(FIXTURES) == fast


@needs_libyaml
def test_the_c_dumper_writes_what_the_pure_dumper_writes():
    for front in front_matters():
        meta = yaml.load(front, Loader=yaml.CSafeLoader)
        options = {"allow_unicode": True, "sort_keys": False}
        assert yaml.dump(meta, Dumper=yaml.CSafeDumper, **options) == yaml.dump(meta, Dumper=yaml.SafeDumper, **options)


def test_without_libyaml_the_pure_loader_and_dumper_are_used(monkeypatch):
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    monkeypatch.delattr(yaml, "CSafeDumper", raising=False)
    assert model.yaml_loader() is yaml.SafeLoader and model.yaml_dumper() is yaml.SafeDumper
    assert load_scorecards(FIXTURES)


# --------------------------------------------------------------------------- the parsed-file cache

def count_parses(monkeypatch) -> list[Path]:
    parsed: list[Path] = []
    real = model._parse

    def parse(path, text, schema):
        parsed.append(path)
        return real(path, text, schema)
    monkeypatch.setattr(model, "_parse", parse)
    return parsed


def test_a_second_load_parses_only_the_files_that_changed(tmp_path, monkeypatch):
    root = shutil.copytree(FIXTURES, tmp_path / "scorecards")
    cache = tmp_path / "cache"
    first = load_scorecards(root, cache)
    assert (cache / CACHE_FILE).is_file()
    parsed = count_parses(monkeypatch)
    assert load_scorecards(root, cache) == first and parsed == []
    changed = root / "2020Q2" / "account" / "wx-10.md"
    changed.write_text(changed.read_text(encoding="utf-8").replace("监测时间前两周内无更新", "两周无更新"), encoding="utf-8")
    again = load_scorecards(root, cache)
    assert parsed == [changed]
    assert [c for c in again if c.source == str(changed)][0].findings[0].message == "两周无更新"
    assert load_scorecards(root) == again  # the same as reading without any cache


def test_a_small_change_is_recorded_apart_and_folded_in_once_changes_grow(tmp_path, monkeypatch):
    root = shutil.copytree(FIXTURES, tmp_path / "scorecards")
    cache = tmp_path / "cache"
    load_scorecards(root, cache)
    main = (cache / CACHE_FILE).read_bytes()
    changed = root / "2020Q2" / "account" / "wx-10.md"
    changed.write_text(changed.read_text(encoding="utf-8").replace("两周", "14 天"), encoding="utf-8")
    (root / "2020Q2" / "account" / "wx-11.md").unlink()
    first = load_scorecards(root, cache)
    assert (cache / CACHE_FILE).read_bytes() == main and (cache / CHANGES_FILE).is_file()
    parsed = count_parses(monkeypatch)
    again = load_scorecards(root, cache)
    assert parsed == []  # the change was taken from the changes file, the rest from the main file
    assert again == first == load_scorecards(root) and "wx-11" not in {c.id for c in again}
    for path in sorted(root.glob("2020Q2/column/*.md")):  # many changes: one main file again
        path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    load_scorecards(root, cache)
    assert not (cache / CHANGES_FILE).exists() and (cache / CACHE_FILE).read_bytes() != main


def read_files(monkeypatch) -> list[str]:
    """The data files load_scorecards reads and hashes from now on."""
    import govcensus_site.loading as loading
    read, real = [], loading.content_digest
    monkeypatch.setattr(loading, "content_digest", lambda data: read.append(data) or real(data))
    return read


def test_a_file_untouched_since_an_earlier_build_read_it_is_not_read_again(tmp_path, monkeypatch):
    root = shutil.copytree(FIXTURES, tmp_path / "scorecards")  # copies keep the fixtures' old mtimes
    first = load_scorecards(root, tmp_path / "cache")
    read = read_files(monkeypatch)
    assert load_scorecards(root, tmp_path / "cache") == first and read == []
    changed = root / "2020Q2" / "account" / "wx-10.md"
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("监测时间前两周内无更新", "监测时间前两周内未更新"), encoding="utf-8")  # same size
    again = load_scorecards(root, tmp_path / "cache")
    assert len(read) == 1 and [c for c in again if c.id == "wx-10"][0].findings[0].message == "监测时间前两周内未更新"


def test_a_fresh_checkout_with_every_file_time_new_does_not_rewrite_the_cache(tmp_path, monkeypatch):
    root = shutil.copytree(FIXTURES, tmp_path / "scorecards")
    first = load_scorecards(root, tmp_path / "cache")
    main = (tmp_path / "cache" / CACHE_FILE).read_bytes()
    for path in root.rglob("*.md"):  # what a CI checkout does: the same bytes, every time new (and still)
        os.utime(path, (path.stat().st_mtime - 3600, path.stat().st_mtime - 3600))
    read = read_files(monkeypatch)
    assert load_scorecards(root, tmp_path / "cache") == first and len(read) == len(first)
    assert (tmp_path / "cache" / CACHE_FILE).read_bytes() == main and not (tmp_path / "cache" / CHANGES_FILE).exists()
    changed = root / "2020Q2" / "account" / "wx-10.md"  # a real change is still recorded, apart
    changed.write_text(changed.read_text(encoding="utf-8").replace("两周", "二周"), encoding="utf-8")
    load_scorecards(root, tmp_path / "cache")
    assert (tmp_path / "cache" / CACHE_FILE).read_bytes() == main and (tmp_path / "cache" / CHANGES_FILE).exists()


def test_a_file_written_just_before_a_build_is_read_every_time_until_it_has_been_still(tmp_path, monkeypatch):
    root = shutil.copytree(FIXTURES, tmp_path / "scorecards")
    fresh = root / "2020Q2" / "account" / "wx-10.md"
    fresh.write_text(fresh.read_text(encoding="utf-8"), encoding="utf-8")  # modified now
    load_scorecards(root, tmp_path / "cache")
    # Same size and the same modification time, new bytes: what a write within the same clock tick
    # as the build looks like. Its stat was not trusted, so the new bytes are read.
    when = fresh.stat().st_mtime_ns
    fresh.write_text(fresh.read_text(encoding="utf-8").replace("两周", "二周"), encoding="utf-8")
    os.utime(fresh, ns=(when, when))
    read = read_files(monkeypatch)
    cards = load_scorecards(root, tmp_path / "cache")
    assert len(read) == 1 and "二周" in [c for c in cards if c.id == "wx-10"][0].findings[0].message


def test_cached_scorecards_give_back_dates_and_number_keys_exactly(tmp_path, monkeypatch):
    root = shutil.copytree(FIXTURES, tmp_path / "scorecards")
    path = root / "2020Q2" / "account" / "wx-10.md"
    text = path.read_text(encoding="utf-8").replace("      age_days: 36", "      age_days: 36\n      since: 2020-05-25\n      by_day: {1: 2}")
    path.write_text(text, encoding="utf-8")
    load_scorecards(root, tmp_path / "cache")
    parsed = count_parses(monkeypatch)
    card = [c for c in load_scorecards(root, tmp_path / "cache") if c.id == "wx-10"][0]
    assert parsed == []
    figures = card.checks[0].figures
    assert figures["since"] == datetime.date(2020, 5, 25) and figures["by_day"] == {1: 2}


def test_a_cache_of_another_folder_is_not_used(tmp_path, monkeypatch):
    first = shutil.copytree(FIXTURES, tmp_path / "one")
    second = shutil.copytree(FIXTURES, tmp_path / "two")
    load_scorecards(first, tmp_path / "cache")
    parsed = count_parses(monkeypatch)
    cards = load_scorecards(second, tmp_path / "cache")
    assert len(parsed) == len(cards) and all(c.source.startswith(str(second)) for c in cards)


def test_a_damaged_cache_is_ignored_and_replaced(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / CACHE_FILE).write_bytes(b"\x80\x05not a pickle")
    assert load_scorecards(FIXTURES, cache) == load_scorecards(FIXTURES)
    assert (cache / CACHE_FILE).stat().st_size > 10_000


def test_a_cached_file_that_breaks_is_reported_with_its_path(tmp_path):
    root = shutil.copytree(FIXTURES, tmp_path / "scorecards")
    load_scorecards(root, tmp_path / "cache")
    path = root / "2020Q2" / "account" / "wx-10.md"
    path.write_text(path.read_text(encoding="utf-8").replace("result: fail", "result: [fail"), encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        load_scorecards(root, tmp_path / "cache")
    assert error.value.path == path and "not valid YAML" in error.value.reason


# --------------------------------------------------------------------------- worker processes

def test_chunks_run_in_other_processes_and_come_back_in_order():
    pids = in_chunks(lambda chunk: [(n * n, os.getpid()) for n in chunk], list(range(50)), workers=2, min_items=1)
    assert [n for chunk in pids for n, _ in chunk] == [n * n for n in range(50)]
    assert len(pids) == 2 and os.getpid() not in {pid for chunk in pids for _, pid in chunk}


def test_small_batches_stay_in_this_process():
    assert in_chunks(lambda chunk: [os.getpid()] * len(chunk), [1, 2, 3], workers=2) == [[os.getpid()] * 3]


def test_a_data_file_error_in_a_worker_arrives_with_its_path_and_reason(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text("no front matter", encoding="utf-8")
    files = [(bad, bad.read_bytes())] * 4
    with pytest.raises(DataFileError) as error:
        in_chunks(model.parse_files, files, workers=2, min_items=1)
    assert error.value.path == bad and error.value.reason == "no YAML front matter between '---' lines"
    assert pickle.loads(pickle.dumps(error.value)).path == bad
