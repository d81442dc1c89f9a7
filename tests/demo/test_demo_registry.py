"""The committed demo registry is the world's own, and it has the seed circular's populations."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from click.testing import CliRunner

from collector.demo.cli import demo
from collector.registry import load_registry

COMMITTED = Path(__file__).resolve().parents[2] / "registry" / "lincang-demo.yaml"


def test_committed_registry_is_what_write_registry_writes(tmp_path: Path) -> None:
    out = tmp_path / "demo.yaml"
    result = CliRunner().invoke(demo, ["write-registry", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == COMMITTED.read_text(encoding="utf-8")


def test_registry_loads_without_problems() -> None:
    registry = load_registry(COMMITTED)
    assert registry.office == "临沧市人民政府办公室"


def test_registry_has_the_seed_populations() -> None:
    registry = load_registry(COMMITTED)
    running = [w for w in registry.websites if w.status == "运行"]
    assert Counter(w.level for w in running) == {"市级": 1, "县级": 8}
    assert all(w.site_kind == "政府门户网站" for w in running)
    assert len(registry.columns) == 34
    assert Counter(a.platform for a in registry.accounts) == {"微博": 18, "微信公众号": 44, "今日头条": 1}
    assert len(registry.message_platforms) == 11


def test_registry_keeps_the_two_decommissioned_sites() -> None:
    registry = load_registry(COMMITTED)
    closed = {w.host: w.unit for w in registry.websites if w.status == "下线"}
    assert closed == {"www.lcsd.gov.cn": "临沧市水务局", "www.lcda.gov.cn": "临沧市档案局"}


def test_message_platforms_carry_the_circulars_labels() -> None:
    registry = load_registry(COMMITTED)
    assert {p.report_label for p in registry.message_platforms} == {
        "市级", "临翔区", "永德县", "凤庆县", "云县", "双江", "镇康县", "沧源县", "耿马县", "市公安局", "市人社局"}


def test_site_codes_are_the_regions_codes() -> None:
    registry = load_registry(COMMITTED)
    codes = {w.name: w.site_code for w in registry.websites}
    assert codes["临沧市人民政府门户网站"] == "5309000001"
    assert all(code.startswith("5309") and len(code) == 10 for code in codes.values())
