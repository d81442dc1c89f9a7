"""The reference the streamed summaries are held to: how scorecards and message statistics were
written before streaming, with every observation of the period in one list."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from pathlib import Path

from collector.checks.base import all_checks
from collector.observations import Observation
from collector.periods import Period
from collector.registry import Registry
from collector.store import ObservationStore
from collector.summarize.message_stats import write_message_statistics
from collector.summarize.scorecards import scorecard_document, scorecard_path
from govcensus_data.atomic import write_atomic


def summarise_all_at_once(registry: Registry, store: ObservationStore, period: Period, as_of: datetime, profile,
                          folder: Path) -> Path:
    """Every observation in one list, grouped by the entry it counts for (a platform's for its site)."""
    observations = [o for o in store.read(period.start, min(period.end, as_of.date())) if o.at <= as_of]
    owner = {p.id: p.belongs_to for p in registry.message_platforms}
    by_entry: dict[str, list[Observation]] = defaultdict(list)
    for obs in observations:
        by_entry[owner.get(obs.entry, obs.entry)].append(obs)
    for entry in registry.entries():
        if entry.kind != "message_platform":
            text = scorecard_document(entry, registry, period, as_of, by_entry.get(entry.id, []), profile,
                                      all_checks())
            write_atomic(scorecard_path(folder, period, entry), text)
    write_message_statistics(registry, observations, period, as_of, profile, folder)
    return folder


def summary_files(folder: Path) -> dict[str, bytes]:
    """The scorecards and message statistics under a content folder, by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.md"))
            if p.parts[len(folder.parts)] in ("scorecards", "messages")}
