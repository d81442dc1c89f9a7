"""confined(): a path built from registry or observation data never leads out of its folder."""
from __future__ import annotations

import os
from datetime import date

import pytest

from collector.store import ObservationStore
from govcensus_data.atomic import PathEscapeError, confined


def test_a_plain_name_stays_under_the_folder_as_given(tmp_path):
    assert confined(tmp_path, "scorecards", "2020Q2", "website", "5309000001.md") == \
        tmp_path / "scorecards" / "2020Q2" / "website" / "5309000001.md"


@pytest.mark.parametrize("parts", [("..", "x.md"), ("../../../../x",), ("a", "..", "..", "x"), ("/etc/passwd",),
                                   ("website", "/tmp/x.md")])
def test_parent_steps_and_absolute_parts_are_refused(tmp_path, parts):
    with pytest.raises(PathEscapeError, match="resolves outside"):
        confined(tmp_path / "content", *parts)


def test_a_step_back_that_stays_inside_is_allowed(tmp_path):
    assert confined(tmp_path, "a", "..", "b.md") == tmp_path / "a" / ".." / "b.md"


def test_a_symlink_pointing_out_of_the_folder_is_refused(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", tmp_path / "content" / "scorecards")
    with pytest.raises(PathEscapeError):
        confined(tmp_path / "content", "scorecards", "x.md")


def test_a_symlink_that_stays_inside_is_followed(tmp_path):
    (tmp_path / "content" / "real").mkdir(parents=True)
    os.symlink(tmp_path / "content" / "real", tmp_path / "content" / "link")
    assert confined(tmp_path / "content", "link", "x.md") == tmp_path / "content" / "link" / "x.md"


def test_the_store_refuses_a_year_folder_linked_out_of_it(tmp_path):
    (tmp_path / "obs").mkdir()
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", tmp_path / "obs" / "2020")
    with pytest.raises(PathEscapeError):
        ObservationStore(tmp_path / "obs").day_file(date(2020, 6, 30))
    assert list((tmp_path / "elsewhere").iterdir()) == []
