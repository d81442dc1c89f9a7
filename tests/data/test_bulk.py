"""collection_paused: no cyclic GC while a registry or a build's scorecards are read, and the
collector's state restored afterwards, whatever happens inside."""
from __future__ import annotations

import gc

import pytest

from govcensus_data.bulk import collection_paused


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
