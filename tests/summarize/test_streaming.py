"""Summaries read a batch of entries at a time, from JSONL and compacted days alike, and write exactly
what summarising every observation of the period at once writes."""
from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from circular.seed_quarter import PERIOD, seed_observations, seed_registry
from collector.compact import compact
from collector.observations import Observation
from collector.periods import CHINA_TZ
from collector.store import ObservationStore
from collector.summarize.period import summarize_period
from collector.summarize.scorecards import write_scorecards_by_entry
from summarize.all_at_once import summarise_all_at_once, summary_files

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = seed_registry()


def spread_over_the_quarter() -> list[Observation]:
    """The seed quarter's observations repeated on several days, and each platform's message imports."""
    observations = []
    for days_before in (40, 12, 5, 0):
        for obs in seed_observations(REGISTRY):
            observations.append(Observation(at=obs.at - timedelta(days=days_before), entry=obs.entry, kind=obs.kind,
                                            check=obs.check, outcome=obs.outcome, figures=obs.figures,
                                            findings=obs.findings))
    for n, platform in enumerate(REGISTRY.message_platforms):
        for hour in (8, 20):
            observations.append(Observation(at=datetime(2020, 6, 18 + n % 3 * 5, hour, tzinfo=CHINA_TZ), entry=platform.id,
                                            kind="message_platform", check="messages", outcome="unreachable",
                                            figures={"error": f"HTTP {400 + hour}"}))
    return observations


@pytest.fixture
def store(tmp_path: Path) -> ObservationStore:
    """The quarter stored, its days up to 2020-06-25 compacted, the rest still JSONL."""
    store = ObservationStore(tmp_path / "observations")
    store.append(spread_over_the_quarter())
    assert compact(store, before=datetime(2020, 6, 26).date())
    assert any(store.root.glob("*/*.jsonl")) and any(store.root.glob("*/*.parquet"))
    return store


def content_folder(path: Path) -> Path:
    shutil.copytree(ROOT / "content" / "circulars" / "templates", path / "circulars" / "templates")
    return path


MID = datetime(2020, 6, 20, 12, tzinfo=CHINA_TZ)


@pytest.mark.parametrize(("as_of", "batch"), [(PERIOD.end_time, 2), (MID, 3), (PERIOD.end_time, 7), (MID, None)],
                         ids=["end-two-entries", "mid-three-entries", "end-seven-entries", "mid-all-at-once"])
def test_streamed_summaries_are_byte_identical_to_summarising_the_whole_period_at_once(
        store, tmp_path, profile, as_of, batch):
    expected = summary_files(summarise_all_at_once(REGISTRY, store, PERIOD, as_of, profile, tmp_path / "reference"))
    summarize_period(REGISTRY, store, PERIOD, as_of, profile, content_folder(tmp_path / "streamed"), as_of,
                     batch_entries=batch)
    written = summary_files(tmp_path / "streamed")
    assert len(expected) == len([e for e in REGISTRY.entries() if e.kind != "message_platform"]) + 1
    assert written.keys() == expected.keys()
    assert [name for name in expected if written[name] != expected[name]] == []


class RecordingStore(ObservationStore):
    """A real store that notes how each read was narrowed."""

    def __init__(self, root: Path):
        super().__init__(root)
        self.reads: list[tuple[frozenset | None, frozenset | None]] = []

    def read(self, start, end, *, entries=None, checks=None):
        self.reads.append((None if entries is None else frozenset(entries), None if checks is None else frozenset(checks)))
        return super().read(start, end, entries=entries, checks=checks)


def test_no_read_of_a_summary_takes_the_whole_period(store, tmp_path, profile):
    recording = RecordingStore(store.root)
    owners = {e.id for e in REGISTRY.entries() if e.kind != "message_platform"}
    summarize_period(REGISTRY, recording, PERIOD, PERIOD.end_time, profile, content_folder(tmp_path / "c"),
                     PERIOD.end_time, batch_entries=4)
    scorecards = [entries for entries, checks in recording.reads if entries is not None and checks is None]
    # rectification re-reads only entries with problems, after their last sighting, narrowed to those checks
    rechecks = [(entries, checks) for entries, checks in recording.reads if entries is not None and checks is not None]
    assert rechecks and all(entries <= owners and len(entries) <= 4 and checks for entries, checks in rechecks)
    platforms = {p.id: p.belongs_to for p in REGISTRY.message_platforms}
    assert all(len(ids - set(platforms)) <= 4 for ids in scorecards)
    assert sorted(i for ids in scorecards for i in ids if i in owners) == sorted(owners)  # each entry once
    assert all(platforms[i] in ids for ids in scorecards for i in ids if i in platforms)  # with its own site
    assert (None, frozenset({"messages"})) in recording.reads
    assert [r for r in recording.reads if r == (None, None)] == []


def test_a_batch_holds_only_the_observations_of_its_entries(tmp_path, profile, store):
    every = list(store.read(PERIOD.start, PERIOD.end))
    largest: list[int] = []

    def read(ids: frozenset[str]):
        batch = [o for o in every if o.entry in ids]
        largest.append(len(batch))
        return batch
    write_scorecards_by_entry(REGISTRY, read, PERIOD, PERIOD.end_time, profile, tmp_path, batch_entries=5)
    assert len(largest) == -(-len([e for e in REGISTRY.entries() if e.kind != "message_platform"]) // 5)
    assert max(largest) < len(every) / 4
