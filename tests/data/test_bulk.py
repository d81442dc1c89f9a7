"""collection_paused: no cyclic GC while a registry or a build's scorecards are read; older_objects_spared:
the GC leaves a round's registry alone; the collector's state restored afterwards, whatever happens inside."""
from __future__ import annotations

import gc
import weakref

import pytest

from govcensus_data.bulk import collection_paused, older_objects_spared


def test_the_collector_is_off_inside_and_on_again_after():
    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_still_turns_it_back_on():
    with pytest.raises(ValueError):
        with collection_paused():
            raise ValueError("a registry problem")
    assert gc.isenabled()


def test_a_collector_someone_else_turned_off_stays_off():
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_loading_a_registry_leaves_the_collector_on(tmp_path):
    from collector.registry import load_registry

    path = tmp_path / "registry.yaml"
    path.write_text("office: 测试办公室\nregion: 测试市\nwebsites:\n- site_code: '5300000001'\n  name: 测试网站\n"
                    "  unit: 测试单位\n  level: 市级\n  url: http://www.example.gov.cn/\n", encoding="utf-8")
    assert len(load_registry(path).websites) == 1
    assert gc.isenabled()


# --------------------------------------------------------------------------- older_objects_spared

def test_a_round_freezes_what_exists_and_passes_less_often_then_restores_both():
    threshold = gc.get_threshold()
    with older_objects_spared(young_threshold=12_345):
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (12_345, *threshold[1:])
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == threshold


def test_garbage_made_inside_is_still_collected_and_what_was_frozen_is_handed_back():
    class Node:
        def __init__(self) -> None:
            self.other = self  # a cycle: only the collector frees it

    before = Node()  # alive when the block starts: frozen
    was_before = weakref.ref(before)
    with older_objects_spared():
        inner = Node()
        was_inner = weakref.ref(inner)
        del inner
        gc.collect()
        assert was_inner() is None  # a cycle made inside is collected inside
        del before  # garbage while frozen: the collector leaves it alone …
        gc.collect()
        assert was_before() is not None
    gc.collect()
    assert was_before() is None  # … until it is handed back


def test_nested_blocks_share_one_freeze_and_an_error_still_restores():
    threshold = gc.get_threshold()
    with pytest.raises(ValueError):
        with older_objects_spared():
            with older_objects_spared():
                pass
            assert gc.get_freeze_count() > 0  # the inner block's end does not end the outer one's
            raise ValueError("a round that failed")
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == threshold
