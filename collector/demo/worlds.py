"""The demo worlds `collector demo-run --world NAME` can replay, and what each one needs.

Each world is a model plus a server answering every one of its hosts on one loopback port; the
replay only needs to start it, know its WHOIS records, and where its registry and quarter are.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class WorldSpec:
    name: str
    title: str
    registry: str        # registry file, relative to the project root
    period: str          # its demo quarter
    circular_date: str   # the drafted circular's date
    server: str          # module with start(world, clock) -> (runner, port)
    model: str           # module with shared_world() -> the world (built once per process)

    def world(self) -> Any:
        return importlib.import_module(self.model).shared_world()

    def whois_records(self) -> dict[str, str]:
        """Its WHOIS records: from the model's `whois_records()` when it has one, which does not build the
        world (seconds of CPU a replay shard would spend again beside its world's own process)."""
        model = importlib.import_module(self.model)
        records = getattr(model, "whois_records", None)
        return records() if records is not None else self.world().whois_records

    async def start(self, clock: Any) -> tuple[Any, int]:
        return await importlib.import_module(self.server).start(self.world(), clock)


WORLDS: dict[str, WorldSpec] = {
    "lincang": WorldSpec("lincang", "临沧市 2020 年第二季度", "registry/lincang-demo.yaml", "2020Q2", "2020-07-13",
                         "collector.demo.server", "collector.demo.testing"),
    "cenzhou": WorldSpec("cenzhou", "岑州市 2021 年第三季度", "registry/cenzhou-demo.yaml", "2021Q3", "2021-10-15",
                         "collector.demo.cenzhou.server", "collector.demo.cenzhou.server"),
}
DEFAULT_WORLD = "lincang"
