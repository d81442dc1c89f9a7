"""GovCensus's Pelican plugin: scorecard data files -> typed objects -> the portal's pages.

Enable with `PLUGINS = ["govcensus_site"]`. Public surface: the data model (`load_scorecards`,
`Scorecard`, `Finding`, `CheckResult`), the figures (`Census`, `format_rate`) and `build_site`.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

from pelican import signals
from pelican.contents import Content

from govcensus_site.build import build_site
from govcensus_site.census import Census, PeriodFigures, Tally, Unit, format_rate, unit_slug
from govcensus_site.generator import CensusGenerator
from govcensus_site.incremental import UnchangedFilesWriter, cache_dir
from govcensus_data.model import (
    CheckResult, DataFileError, Entry, Evidence, Finding, MessageSummary, RectificationItem, RectificationStatus, Scorecard,
    load_message_summaries, load_rectification_statuses, load_scorecard,
)
from govcensus_site.loading import load_scorecards
from govcensus_site.opendata import generators as open_data_generators
from govcensus_site.seal import SealedBytecodeCache, unlink_symlinks
from govcensus_site.sitemap import write_sitemap
from govcensus_site.views import circular_view

__all__ = [
    "Census", "CensusGenerator", "CheckResult", "DataFileError", "Entry", "Evidence", "Finding", "MessageSummary", "PeriodFigures",
    "RectificationItem", "RectificationStatus", "Scorecard", "Tally", "Unit", "build_site", "format_rate", "load_message_summaries",
    "load_rectification_statuses", "load_scorecard", "load_scorecards", "register",
    "unit_slug",
]


def _generators(pelican_object) -> type[CensusGenerator]:
    return CensusGenerator


def _writer(pelican_object) -> type[UnchangedFilesWriter]:
    return UnchangedFilesWriter


def _filters(generator) -> None:
    """`article|circular` in templates: a circular's parts laid out like the official document."""
    generator.env.filters["circular"] = circular_view


def _template_cache(generator) -> None:
    """Compiled templates kept between builds, for every generator (Pelican's own too: its article,
    page and archive templates were compiled again each build). Jinja checks each template's mtime
    itself; a cache we cannot make only means templates are compiled every build, as Pelican does."""
    unlink_symlinks(cache_dir(generator.settings))  # the first to touch the cache: links in it are not followed
    folder = cache_dir(generator.settings) / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    generator.env.bytecode_cache = SealedBytecodeCache(str(folder))  # seal.py: it is code


def _forget_rendered_content(pelican_object=None) -> None:
    """Empty Pelican's memo of rendered articles and pages at the end of a build.

    Pelican memoizes Content.get_content and get_summary in one dict per class that lives as long as
    the process, keyed by the article; an article holds the build's context, and so the whole census.
    A process that builds again (`pelican --autoreload`, the tests, the benches) kept every earlier
    build's 15,000 scorecards alive, and the garbage collector scanned them in each later build.
    """
    for name in ("get_content", "get_summary"):
        memo = getattr(Content.__dict__.get(name), "cache", None)
        if isinstance(memo, dict):
            memo.clear()


def _sitemap(pelican_object) -> None:
    write_sitemap(pelican_object.settings["OUTPUT_PATH"], pelican_object.settings.get("SITEURL", ""))


logger = logging.getLogger(__name__)


def _announce_new_drafts(generator) -> None:
    """Say in the build output when the collector left a fresh draft beside a circular staff edited:
    on stderr, so `make site` (pelican -q) shows it too, and on the edited circular's local preview."""
    articles = {Path(a.source_path).name: a for a in (*getattr(generator, "articles", ()), *getattr(generator, "drafts", ()))}
    for draft in getattr(generator, "drafts", ()):
        path = Path(draft.source_path)
        if path.name.endswith("-new-draft.md"):
            edited = path.with_name(path.name.replace("-new-draft.md", ".md"))
            message = (f"circular {edited.name} was edited or published by staff and is left as it is; the figures "
                       f"have changed since: review the fresh draft {path.name}")
            logger.warning(message)
            print(f"notice: {message}", file=sys.stderr)
            if edited.name in articles and generator.settings.get("DRAFT_SAVE_AS"):
                articles[edited.name].new_draft = draft


def _remove_stale_draft_previews(generator, writer=None) -> None:
    """Local previews (drafts/…) of drafts that are gone — published, renamed, deleted — are removed,
    so a published circular is not also seen as its old draft."""
    save_as = generator.settings.get("DRAFT_SAVE_AS") or ""
    folder = save_as.split("/", 1)[0] if "/" in save_as else ""
    if not folder:
        return
    root = Path(generator.output_path) / folder
    current = {str(Path(generator.output_path) / d.save_as) for d in getattr(generator, "drafts", ())}
    for preview in root.glob("*.html") if root.is_dir() else ():
        if str(preview) not in current:
            preview.unlink()
            print(f"notice: removed the local preview {folder}/{preview.name}: its draft is no longer a draft",
                  file=sys.stderr)


def register() -> None:
    """Pelican's plugin hook."""
    signals.get_generators.connect(_generators)
    signals.get_writer.connect(_writer)
    signals.get_generators.connect(open_data_generators)
    signals.generator_init.connect(_filters)
    signals.generator_init.connect(_template_cache)
    signals.finalized.connect(_sitemap)
    signals.finalized.connect(_forget_rendered_content)
    signals.article_generator_finalized.connect(_announce_new_drafts)
    signals.article_writer_finalized.connect(_remove_stale_draft_previews)
