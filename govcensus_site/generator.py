"""The Pelican generator that turns the collector's data files into the portal's own pages.

It runs after Pelican's article and page generators (so notices and circulars are known) and writes:
index.html, scorecards/index.html (and -2, -3, … pages, and the filter pages kind-/result-/level-…),
scorecards/<period>/<id>.html (the newest quarters; an older quarter is one compact list,
scorecards/<period>/index.html: archive.py),
units/index.html (paged the same way), units/<slug>.html (paged), messages/<period>.html, rectification.html, circulars/index.html (and the
circulars' Atom feed when GOVCENSUS_CIRCULARS_FEED names a path), methodology.html and 404.html.
Another data kind is added the same way: a loader in `model`, a `_write_…` step below, its template.

Builds are incremental (see `incremental`): each page is written through `_write` with a key made
of the content hashes of the data files it shows; `None` marks a page whose inputs are not tracked
(it shows articles or the catalogue), which is rendered every build but still only written
when its bytes change.

Everything the pages say about checks, codes, figures and the indicator profile comes from the
catalogue under content/ (`catalogue`), never from the collector: the site builds from data alone.
"""
from __future__ import annotations

import gc
import itertools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pelican
from pelican.generators import Generator
from pelican.utils import get_relative_path, path_to_url

from govcensus_site import archive, catalogue, grouping, scale
from govcensus_site.census import Census, group_by, problems_first
from govcensus_site.circular_docx import write_circular_docx
from govcensus_site.feeds import write_feeds
from govcensus_site.incremental import PageCache, cache_dir, digest, last_output, settings_digest, tree_digest
from govcensus_site.parallel import build_workers, forks, in_chunks
from govcensus_site.rows import RowCache
from govcensus_site.pagination import DEFAULT_ROWS, Page, paginate
from govcensus_site.labels import (
    KIND_LABELS, RECTIFICATION_LABELS, RECTIFIED_BY_LABELS, RESULT_LABELS, period_label, show_time,
)
from govcensus_data.model import (
    KINDS, RECTIFICATION_STATUSES, RectificationStatus, Scorecard, load_message_summaries, load_rectification_statuses,
)
from govcensus_data.bulk import collection_paused
from govcensus_site.loading import load_scorecards
from govcensus_site.views import (
    bar_chart, filters, methodology_view, problem_views, scorecard_view, scoring_view,
)

NEWEST_ARTICLES = 5
#: Stale pages are rendered over worker processes once there are this many (a national rebuild's
#: few hundred); fewer (every test and demo site) are rendered in-process, where forking would
#: cost more than it saves and a process running threads (a test server) is better not forked.
RENDER_IN_WORKERS = 400
#: The home page lists at most this many failing entries (GOVCENSUS_HOME_PROBLEMS), in the index's
#: order, and links the paged list of all of them; so many of each 与上季度相比 list too: a national
#: quarter's failures would make it megabytes.
HOME_PROBLEMS = 50


def section_articles(articles, section: str) -> list:
    """Published articles of one content folder (notices/ or circulars/), newest first."""
    return sorted((a for a in articles if getattr(a, "section", "") == section), key=lambda a: a.date, reverse=True)


class CensusGenerator(Generator):
    """Loads `<PATH>/scorecards/`, `messages/` and `rectification-status/` and writes the pages built from them."""

    def generate_context(self) -> None:
        root = Path(self.path) / self.settings.get("GOVCENSUS_SCORECARDS", "scorecards")
        self.workers = build_workers(self.settings)
        # Reading 15,000 scorecards makes millions of objects that live for the whole build; the
        # garbage collector would scan them again and again (a third of a rebuild's time), so it
        # pauses while they are made and they are then frozen out of its scans until the build ends.
        with collection_paused():
            # Past quarters become rows of compact lists (archive.py): the 1 GB cap of GitHub Pages.
            # A national site shows a unit's accounts on one page (grouping.py): the same cap.
            self.census = Census(grouping.group(archive.archive(
                load_scorecards(root, cache_dir(self.settings), self.workers), self.settings), self.settings))
        gc.freeze()
        # Circulars link scorecard pages by address; those shown as a section or a row are relinked.
        grouping.relink_articles(self.context, self.census.scorecards)
        where = grouping.moved(self.census.scorecards)
        self.catalogue = catalogue.load_catalogue(Path(self.path))
        catalogue.use(self.catalogue)
        self.messages = {m.period: m for m in load_message_summaries(Path(self.path) / "messages")}
        self.rectification = {r.period: r for r in
                              load_rectification_statuses(Path(self.path) / "rectification-status")}
        self.rows = int(self.settings.get("GOVCENSUS_PAGE_ROWS") or DEFAULT_ROWS)
        self.compact_html = bool(scale.setting(self.settings, "GOVCENSUS_COMPACT_HTML"))
        latest_messages = self.messages[max(self.messages)] if self.messages else None
        self.context.update(
            census=self.census,
            title_of=self.census.title_of,
            KIND_LABELS=KIND_LABELS,
            RESULT_LABELS=RESULT_LABELS,
            RECTIFICATION_LABELS=RECTIFICATION_LABELS,
            RECTIFIED_BY_LABELS=RECTIFIED_BY_LABELS,
            show_time=show_time,
            messages_url=latest_messages.url if latest_messages else None,
            archived_quarters=archive.quarters(self.census, self.settings),
            # where a scorecard named by its page address (rectification items) is shown
            scorecard_at=lambda path: where.get(path, path),
            search_lean=bool(scale.setting(self.settings, "GOVCENSUS_SEARCH_LEAN")),
            scorecard_rows=self._scorecard_rows,
        )

    def generate_output(self, writer) -> None:
        try:
            fingerprint = self._fingerprint()
            self.pages = PageCache(cache_dir(self.settings), Path(self.output_path), fingerprint,
                                   last_output(self.settings))
            self.rows_cache = RowCache(cache_dir(self.settings), fingerprint)
            self._row_macros: dict[str, Any] = {}
            self._shown: dict[int, str] = {}  # list_row by id() of the card: a card is a row of up to five lists
            self.pages.queue = []  # pages found stale are rendered together at the end: _render_queued
            self._write_home(writer)
            self._write_scorecards(writer)
            archive.write_pages(self, writer)
            self._write_units(writer)
            self._write_messages(writer)
            self._write_rectification(writer)
            self._write_circulars(writer)
            self._write_methodology(writer)
            self._write(writer, "404.html", "404")
            self._render_queued()
            self.pages.finish()
            self.rows_cache.save(set(self._shown.values()))
        finally:
            gc.unfreeze()  # a process that builds again (tests, `pelican --autoreload`) must not keep this census

    def _fingerprint(self) -> str:
        """What every page depends on besides its data: settings, templates, our code, the nav, and
        the catalogue (check titles and figure labels on scorecard pages)."""
        templates = Path(self.settings["THEME"]) / "templates"
        code = Path(__file__).resolve().parent
        return digest(pelican.__version__, settings_digest(self.settings),
                      tree_digest(templates.rglob("*.html"), templates), tree_digest(code.glob("*.py"), code),
                      str(self.context.get("messages_url")), self.catalogue.digest)

    def _write(self, writer, save_as: str, template: str, key: str | None = None,
               values: Callable[[], dict[str, Any]] | None = None, **fixed: Any) -> None:
        """Render `template` to `save_as` as Pelican's writer would (relative SITEURL, output_file),
        unless `key` says the page is up to date; `values` is only called when it is rendered."""
        def render() -> str:
            local = dict(self.context)
            local["localsiteurl"] = local.get("localsiteurl", None)
            if self.settings["RELATIVE_URLS"]:
                local["SITEURL"] = local["localsiteurl"] = path_to_url(get_relative_path(save_as))
                self.context["localsiteurl"] = local["localsiteurl"]
            local["output_file"] = save_as
            local["page_name"] = save_as.removesuffix(".html")
            local.update(fixed)
            if values:
                local.update(values())
            html = self.get_template(template).render(local)
            return compact(html) if self.compact_html else html
        self.pages.page(save_as, key, render)

    def _render_queued(self) -> None:
        """Render the pages found stale, over the build's workers when there are many (forked: they
        share the census), and take in what each wrote and the list rows it rendered."""
        queue, self.pages.queue = self.pages.queue or [], None
        if forks(len(queue), self.workers, RENDER_IN_WORKERS):
            # The last build's list rows, read once here and shared by the forked workers, rather than
            # once in each of them and again to save them (10 MB at national scale).
            self.rows_cache.previous  # noqa: B018
        # Workers are sent positions in the queue: its render closures cannot be pickled, and need not be.
        render = lambda positions: self._render_chunk([queue[n] for n in positions])  # noqa: E731
        for pages, stats, rows, rows_rendered in in_chunks(render, range(len(queue)), self.workers,
                                                           min_items=RENDER_IN_WORKERS, per_worker=4):
            self.pages.merge(pages, stats)
            self.rows_cache.merge(rows, rows_rendered)

    def _render_chunk(self, chunk: list) -> tuple[dict[str, dict[str, Any]], dict[str, int], dict, int]:
        before, rows_before, rows_known = dict(self.pages.stats), self.rows_cache.rendered, len(self.rows_cache.used)
        written = {}
        for save_as, key, render in chunk:
            self.pages.write(save_as, key, render())
            written[save_as] = self.pages.pages[save_as]
        done = {k: v - before[k] for k, v in self.pages.stats.items()}
        rendered = self.rows_cache.rendered - rows_before
        self.pages.stats, self.rows_cache.rendered = before, rows_before  # counted once, by merge()
        rows = dict(itertools.islice(self.rows_cache.used.items(), rows_known, None))  # this chunk's first uses
        return written, done, rows, rendered

    def _scorecard_rows(self, cards, show_unit: bool, siteurl: str):
        """macros.html scorecard_table's rows: each rendered once, and kept between builds (rows.py)."""
        return self.rows_cache.rows(cards, show_unit, siteurl, self._list_row,
                                    self._render_row)

    def _list_row(self, card: Scorecard) -> str:
        shown = self._shown.get(id(card))
        if shown is None:
            shown = self._shown[id(card)] = list_row(card, self.census)
        return shown

    def _render_row(self, card: Scorecard, show_unit: bool, siteurl: str) -> str:
        macros = self._row_macros.get(siteurl)
        if macros is None:  # the macros with the context of a page at that depth
            macros = self._row_macros[siteurl] = self.get_template("macros").make_module(
                {**self.context, "SITEURL": siteurl})
        return macros.scorecard_row(card, show_unit)

    def _latest_rectification(self):
        return self.rectification[max(self.rectification)] if self.rectification else None

    def _write_home(self, writer) -> None:
        latest = self.census.latest
        articles = self.context.get("articles", [])
        rectification = self._latest_rectification()
        change = self.census.change(latest)
        self._write(writer, "index.html", "index",
                    figures=self.census.figures(latest) if latest else None,
                    previous=self.census.figures(change.previous) if change else None,
                    problems=problem_views(problems_first(self.census.of_period(latest)), self.census),
                    home_list_limit=int(self.settings.get("GOVCENSUS_HOME_PROBLEMS") or HOME_PROBLEMS),
                    change=change,
                    history=self.census.history(),
                    messages=self.messages.get(latest),
                    rectification=rectification,
                    rectification_label=period_label(rectification.period) if rectification else "",
                    circulars=section_articles(articles, "circulars")[:NEWEST_ARTICLES],
                    notices=section_articles(articles, "notices")[:NEWEST_ARTICLES])

    def _write_scorecards(self, writer) -> None:
        latest = self.census.latest
        cards = problems_first(self.census.of_period(latest))
        figures = self.census.figures(latest) if latest else None
        unchecked = sum(c.result == "unchecked" for c in cards)
        facets = filters(cards, scale.setting(self.settings, "GOVCENSUS_FILTER_FACETS"),
                         scale.setting(self.settings, "GOVCENSUS_FILTER_RESULTS"))
        links = tuple((f.facet, f.value, f.url, len(f.cards)) for f in facets)
        label = period_label(latest) if latest else ""
        archived = repr([q.url for q in self.context["archived_quarters"]])
        for chosen in (None, *facets):
            rows = list(chosen.cards) if chosen else cards
            pages = paginate(rows, self.rows, chosen.url if chosen else "scorecards/index.html")
            # A page of the index shows its rows, the totals and the links to every page: re-rendered
            # only when one of those changed, not for a change only a scorecard page shows.
            shared = digest(str(latest), str(len(pages)), str(len(cards)), str(unchecked), repr(links), archived,
                            repr((chosen.facet, chosen.value)) if chosen else "")
            for page in pages:
                key = digest(shared, repr(figures) if page.number == 1 and not chosen else "",
                             *(self._list_row(c) for c in page.items))
                self._write(writer, page.url, "scorecards", key=key,
                            period=latest, period_label=label, figures=None if chosen else figures,
                            scorecards=page.items, page=page, total=len(cards), unchecked=unchecked,
                            filters=links, chosen=chosen, shown=len(rows))
        for card in self.census.scorecards:
            if archive.is_archived(card) or grouping.is_grouped(card):
                continue  # a row of its quarter's compact list, or a section of its unit's accounts page
            status = self.rectification.get(card.period)
            self._write(writer, card.url, "scorecard", key=self._scorecard_key(card, status),
                        values=lambda card=card, status=status: {"view": scorecard_view(card, self.census, status)})
        self._write_accounts(writer)

    def _write_accounts(self, writer) -> None:
        """Each unit's accounts page (grouping.py), keyed as the scorecard pages it replaces are."""
        for accounts in grouping.pages(self.census.scorecards, self.settings):
            statuses = [(c, self.rectification.get(c.period)) for c in accounts.cards]
            keys = [self._scorecard_key(c, status) for c, status in statuses]
            key = None if None in keys else digest(accounts.url, *(c.url for c in accounts.cards), *keys)
            self._write(writer, accounts.url, "accounts", key=key, accounts=accounts,
                        values=lambda statuses=statuses: {
                            "views": [scorecard_view(c, self.census, status) for c, status in statuses]})

    def _scorecard_key(self, card: Scorecard, status: RectificationStatus | None) -> str | None:
        """A scorecard page shows its own file, its parent website, its columns and its other quarters."""
        parent = self.census.parent_of(card)
        children = self.census.children_of(card)
        history = self.census.history_of(card.id)
        if not all(c.digest for c in (card, *([parent] if parent else ()), *children, *history)):
            return None  # read without a content hash: render it every time
        return digest(card.digest, self.census.title_of(card),
                      "parent", parent.digest if parent else "", "children", *(c.digest for c in children),
                      "history", *(c.digest for c in history), *(c.url for c in history),
                      "rectification", repr(status.of_entry(card.id)) if status else "")

    def _write_units(self, writer) -> None:
        units = self.census.units()
        pages = paginate(units, self.rows, "units/index.html")
        for page in pages:
            key = digest(str(len(pages)), str(len(units)),
                         *(repr((u.name, u.url, u.period, u.kind_counts, u.failed)) for u in page.items))
            self._write(writer, page.url, "units", key=key, units=page.items, page=page, total=len(units))
        for unit in units:
            status = self.rectification.get(unit.period)
            items = status.of_unit(unit.name) if status else ()
            unit_key = digest(unit.period, *(self._list_row(c) for c in unit.scorecards), "rectification", repr(items))
            ordered = problems_first(unit.scorecards)
            kind_totals = dict(group_by(ordered, lambda c: c.kind, KINDS))
            # A national site lists a unit's accounts on their own page (grouping.py): here a count and a link.
            accounts = [c for c in ordered if grouping.is_grouped(c)]
            listed = [c for c in ordered if not grouping.is_grouped(c)] if accounts else ordered
            for page in paginate(listed, self.rows, unit.url):
                self._write(writer, page.url, "unit", key=unit_key, unit=unit, page=page,
                            groups=unit_groups(page, kind_totals), rectification=items,
                            grouped=grouping.summaries(accounts) if accounts and page.number == 1 else ())

    def _write_messages(self, writer) -> None:
        for summary in self.messages.values():
            label = period_label(summary.period)
            chart = bar_chart("chart-messages-by-unit", f"{label}各单位收到网民留言数（条）",
                              [(u.name, u.received if u.has_data else None) for u in summary.units], unit=" 条")
            self._write(writer, summary.url, "messages", summary=summary, period_label=label, chart=chart,
                        rules=self._message_terms().get("import_rules") or {},
                        over_days=tuple(self._message_terms().get("over_days") or ()))

    def _write_rectification(self, writer) -> None:
        status = self._latest_rectification()
        self._write(writer, "rectification.html", "rectification", status=status,
                    period_label=period_label(status.period) if status else "",
                    groups=[(s, status.of_status(s)) for s in RECTIFICATION_STATUSES] if status else [])

    def _write_circulars(self, writer) -> None:
        circulars = section_articles(self.context.get("articles", []), "circulars")
        feed = self.settings.get("GOVCENSUS_CIRCULARS_FEED")
        self._write(writer, "circulars/index.html", "circulars", circulars=circulars, circulars_feed=feed)
        write_feeds(self.output_path, self.census, circulars, self.settings, self.pages)  # feeds.py: circulars, each unit
        for article in circulars:  # published only: Pelican keeps drafts out of `articles`
            write_circular_docx(article, self.output_path)

    def _message_terms(self) -> dict[str, Any]:
        """The message statistics' definitions and rules, as the newest catalogue states them."""
        return dict(self.catalogue.current.get("messages") or {})

    def _write_methodology(self, writer) -> None:
        current = self.catalogue.current
        terms = self._message_terms()
        self._write(writer, "methodology.html", "methodology", profile=current.get("profile") or {},
                    checks=methodology_view(self.catalogue), scoring=scoring_view(current.get("scoring") or []),
                    message_definitions=[tuple(d) for d in terms.get("definitions") or []],
                    message_limit_days=terms.get("limit_working_days", ""))


INDENTATION = re.compile(r">\n[ \t]+<")


def compact(html: str) -> str:
    """The page without the templates' indentation: only a newline followed by spaces between two tags
    is touched, so no text, no <pre> evidence and no space between inline elements changes."""
    return INDENTATION.sub(">\n<", html)


def list_row(card: Scorecard, census: Census) -> str:
    """What a list of scorecards (the index, a unit's page: macros.html scorecard_table, the unit's
    tally) shows of one — its link, name, kind, level, unit, platform, status, result, score and
    number of findings — as its part of those pages' keys. A list that starts showing more of a
    scorecard (its as_of, its checks) must add it here, or a change to it would not reach the list."""
    e = card.entry
    return "\x1f".join((card.url, census.title_of(card), e.kind, e.level, e.unit, str(e.platform), e.status, card.result,
                        str(card.score), str(len(card.findings))))


def unit_groups(page: Page, kind_totals: dict[str, tuple]) -> tuple[tuple[str, int, tuple[Scorecard, ...]], ...]:
    """One page of a unit's entries by kind: (kind label, how many of that kind the unit has, rows here)."""
    return tuple((KIND_LABELS[kind], len(kind_totals[kind]), cards)
                 for kind, cards in group_by(page.items, lambda c: c.kind, KINDS))
