"""The demo world's 11 message platforms, fetched over loopback, give the seed circular's figures."""
from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

import yaml

from collector.demo.testing import running_world
from collector.fetch import Fetcher, FetchSettings
from collector.message_exports.exports import fetch_exports
from collector.summarize.messages import write_message_summary
from collector.periods import CHINA_TZ, Period

SEED_COUNTS = {"市级": 26, "临翔区": 23, "永德县": 7, "凤庆县": 7, "云县": 2, "双江": 4, "镇康县": 12, "沧源县": 10,
               "耿马县": 2, "市公安局": 2}
AFTER_Q2 = datetime(2020, 7, 15, 12, 0, tzinfo=CHINA_TZ)


def test_demo_exports_give_the_seed_numbers(tmp_path: Path) -> None:
    with running_world(now=AFTER_Q2) as world:
        registry = world.world.registry()

        async def fetch() -> dict:
            async with Fetcher(FetchSettings(allow_private_addresses=True, resolve={"*": f"127.0.0.1:{world.port}"}, retries=0)) as fetcher:
                return await fetch_exports(registry, fetcher)

        exports = asyncio.run(fetch())
    assert len(exports) == 11 and all(isinstance(e, bytes) for e in exports.values())
    path = write_message_summary(registry, Period(2020, 2), AFTER_Q2, exports, tmp_path)
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text.split("---\n")[1])

    received = {u["report_label"]: u["received"] for u in data["units"] if u["received"]}
    assert received == SEED_COUNTS
    assert data["totals"]["received"] == 95 and data["totals"]["on_time"] == 95
    assert data["totals"]["overdue"] == 0 and data["totals"]["completion_rate_text"] == "100%"
    assert data["errors_by_platform"] == {}
    assert {p["export"]["format"] for p in data["platforms"]} == {"xlsx", "csv"}
    planted = {rule for counts in data["anomalies_by_platform"].values() for rule in counts}
    assert {"duplicate_row", "date_only_reply", "whitespace_trimmed"} <= planted

    for platform in world.world.platforms:
        for message in platform.messages:
            assert message.author not in text and message.phone not in text
