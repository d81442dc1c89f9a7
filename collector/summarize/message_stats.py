"""Message statistics of a period from the `messages` observations (latest import per platform)."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from collector.message_exports.importer import ImportResult
from collector.message_exports.exports import UnreachableExport
from collector.observations import Observation
from collector.periods import Period
from collector.profile import Profile
from collector.registry import Registry
from collector.summarize.messages import write_summary_of_imports


NOT_OBSERVED = "本期没有读取留言记录"


def latest_imports(registry: Registry, observations: Iterable[Observation],
                   as_of: datetime) -> dict[str, ImportResult | UnreachableExport]:
    """Each platform's most recent import up to as_of; a platform never read is unreachable."""
    latest: dict[str, Observation] = {}
    for obs in observations:
        if obs.check == "messages" and obs.at <= as_of and (obs.entry not in latest or obs.at > latest[obs.entry].at):
            latest[obs.entry] = obs
    result: dict[str, ImportResult | UnreachableExport] = {}
    for platform in registry.message_platforms:
        obs = latest.get(platform.id)
        if obs is None:
            result[platform.id] = UnreachableExport(platform.export, NOT_OBSERVED)
        elif "import" in obs.figures:
            result[platform.id] = ImportResult.from_dict(obs.figures["import"])
        else:
            result[platform.id] = UnreachableExport(platform.export, str(obs.figures.get("error", obs.outcome)))
    return result


def write_message_statistics(registry: Registry, observations: Iterable[Observation], period: Period,
                             as_of: datetime, profile: Profile, content_dir: Path) -> Path:
    limit = int(profile.setting("messages", "limit_working_days"))
    return write_summary_of_imports(registry, period, as_of, latest_imports(registry, observations, as_of),
                                    content_dir, limit)
