"""All summaries of a period, in order: the catalogue, scorecards, message statistics, the draft
circular, rectification status. Each step reads only what the previous ones wrote (or the observations)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from collector.circular.draft import write_draft
from collector.circular.office import OfficeSettings
from collector.periods import Period
from collector.profile import Profile
from collector.rectification.tracking import RECHECK_BATCH, write_rectification_status
from collector.registry import Registry
from collector.store import ObservationStore
from collector.summarize.catalogue import write_catalogue
from collector.summarize.message_stats import write_message_statistics
from collector.summarize.scorecards import BATCH_ENTRIES, write_scorecards_by_entry
from govcensus_data.bulk import older_objects_spared


class NoObservations(ValueError):
    """Nothing observed in the period: summarising would overwrite every scorecard with 未检查."""

    def __init__(self, data_dir: Path, period: Period, as_of: datetime, hint: str = ""):
        self.data_dir, self.period, self.as_of = data_dir, period, as_of
        super().__init__(f"no observations of {period} up to {as_of.isoformat()} in {data_dir}; nothing was "
                         f"written ({hint or 'run a round first, or give --data the folder that holds them'})")


@dataclass
class PeriodSummary:
    scorecards: int = 0
    changed: int = 0
    files: list[Path] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.scorecards} scorecards ({self.changed} changed), "
                + ", ".join(str(f) for f in self.files))


def summarize_period(registry: Registry, store: ObservationStore, period: Period, as_of: datetime,
                     profile: Profile, content_dir: Path, circular_date: datetime | None,
                     office: OfficeSettings | None = None,
                     batch_entries: int | None = BATCH_ENTRIES) -> PeriodSummary:
    """`as_of` bounds the observations used; `circular_date` dates the draft and judges deadlines
    (None: the draft is dated by its data, so a later re-run on the same observations changes
    nothing, and rectification is judged at as_of);
    `office` gives the office's own words in the draft (blanks without it).

    Raises NoObservations, before writing anything, when the period has no observations up to as_of.
    Observations are read a batch of entries at a time (`batch_entries`, see write_scorecards_by_entry)
    and message statistics read only the `messages` check, so memory does not grow with the period.
    """
    last = min(period.end, as_of.date())
    if not store.exists_until(period.start, last, as_of):
        raise NoObservations(store.root, period, as_of)
    summary = PeriodSummary()
    with older_objects_spared():  # the registry is not walked by every full pass of the collector
        summary.files.append(write_catalogue(period, profile, content_dir))
        summary.scorecards, summary.changed = write_scorecards_by_entry(
            registry, lambda ids: store.read(period.start, last, entries=ids), period, as_of, profile, content_dir,
            batch_entries)
        messages = store.read(period.start, last, checks={"messages"})
        summary.files.append(write_message_statistics(registry, messages, period, as_of, profile, content_dir))
        template = content_dir / "circulars" / "templates" / "requirements.md"
        draft = write_draft(period, content_dir, registry, circular_date, template, office)
        summary.files.append(draft.path)
        if draft.notice:
            summary.notices.append(draft.notice)
        summary.files.append(write_rectification_status(period, content_dir, circular_date or as_of, template,
                                                        content_dir / "rectification" / "marks.yaml", store,
                                                        batch_entries or RECHECK_BATCH))
    return summary
