"""The Pelican generator that turns the collector's data files into the portal's own pages.

It runs after Pelican's article and page generators (so notices and circulars are known) and writes:
index.html, scorecards/index.html, scorecards/<period>/<id>.html, units/index.html,
units/<slug>.html, messages/<period>.html, rectification.html, circulars/index.html (and the
circulars' Atom feed when GOVCENSUS_CIRCULARS_FEED names a path), methodology.html and 404.html.
Another data kind is added the same way: a loader in `model`, a `_write_…` step below, its template.
"""
from __future__ import annotations

from pathlib import Path

from pelican.generators import Generator

from collector.messages.importer import RULES as MESSAGE_RULES
from collector.messages.stats import DEFINITIONS as MESSAGE_DEFINITIONS, OVER_DAYS as MESSAGE_OVER_DAYS
from collector.profile import load_profile
from collector.scoring import methodology
from govcensus_site.census import Census
from govcensus_site.labels import (
    KIND_LABELS, RECTIFICATION_LABELS, RECTIFIED_BY_LABELS, RESULT_LABELS, period_label, show_time,
)
from govcensus_site.model import RECTIFICATION_STATUSES, load_message_summaries, load_rectification_statuses, load_scorecards
from govcensus_site.views import bar_chart, methodology_view, scorecard_view, scoring_view

NEWEST_ARTICLES = 5


def section_articles(articles, section: str) -> list:
    """Published articles of one content folder (notices/ or circulars/), newest first."""
    return sorted((a for a in articles if getattr(a, "section", "") == section), key=lambda a: a.date, reverse=True)


class CensusGenerator(Generator):
    """Loads `<PATH>/scorecards/`, `messages/` and `rectification-status/` and writes the pages built from them."""

    def generate_context(self) -> None:
        root = Path(self.path) / self.settings.get("GOVCENSUS_SCORECARDS", "scorecards")
        self.census = Census(load_scorecards(root))
        self.messages = {m.period: m for m in load_message_summaries(Path(self.path) / "messages")}
        self.rectification = {r.period: r for r in
                              load_rectification_statuses(Path(self.path) / "rectification-status")}
        latest_messages = self.messages[max(self.messages)] if self.messages else None
        self.context.update(
            census=self.census,
            KIND_LABELS=KIND_LABELS,
            RESULT_LABELS=RESULT_LABELS,
            RECTIFICATION_LABELS=RECTIFICATION_LABELS,
            RECTIFIED_BY_LABELS=RECTIFIED_BY_LABELS,
            show_time=show_time,
            messages_url=latest_messages.url if latest_messages else None,
        )

    def generate_output(self, writer) -> None:
        self._write_home(writer)
        self._write_scorecards(writer)
        self._write_units(writer)
        self._write_messages(writer)
        self._write_rectification(writer)
        self._write_circulars(writer)
        self._write_methodology(writer)
        self._write(writer, "404.html", "404")

    def _write(self, writer, save_as: str, template: str, **values) -> None:
        # override_output: our home page replaces Pelican's article index if a site keeps it on.
        writer.write_file(save_as, self.get_template(template), self.context,
                          relative_urls=self.settings["RELATIVE_URLS"], override_output=True,
                          page_name=save_as.removesuffix(".html"), **values)

    def _latest_rectification(self):
        return self.rectification[max(self.rectification)] if self.rectification else None

    def _write_home(self, writer) -> None:
        latest = self.census.latest
        articles = self.context.get("articles", [])
        rectification = self._latest_rectification()
        self._write(writer, "index.html", "index",
                    figures=self.census.figures(latest) if latest else None,
                    history=self.census.history(),
                    messages=self.messages.get(latest),
                    rectification=rectification,
                    rectification_label=period_label(rectification.period) if rectification else "",
                    circulars=section_articles(articles, "circulars")[:NEWEST_ARTICLES],
                    notices=section_articles(articles, "notices")[:NEWEST_ARTICLES])

    def _write_scorecards(self, writer) -> None:
        latest = self.census.latest
        self._write(writer, "scorecards/index.html", "scorecards",
                    period=latest, period_label=period_label(latest) if latest else "",
                    figures=self.census.figures(latest) if latest else None,
                    scorecards=self.census.of_period(latest))
        for card in self.census.scorecards:
            self._write(writer, card.url, "scorecard",
                        view=scorecard_view(card, self.census, self.rectification.get(card.period)))

    def _write_units(self, writer) -> None:
        units = self.census.units()
        self._write(writer, "units/index.html", "units", units=units)
        for unit in units:
            status = self.rectification.get(unit.period)
            self._write(writer, unit.url, "unit", unit=unit,
                        rectification=status.of_unit(unit.name) if status else ())

    def _write_messages(self, writer) -> None:
        for summary in self.messages.values():
            label = period_label(summary.period)
            chart = bar_chart("chart-messages-by-unit", f"{label}各单位收到网民留言数（条）",
                              [(u.name, u.received if u.has_data else None) for u in summary.units], unit=" 条")
            self._write(writer, summary.url, "messages", summary=summary, period_label=label, chart=chart,
                        rules=MESSAGE_RULES, over_days=MESSAGE_OVER_DAYS)

    def _write_rectification(self, writer) -> None:
        status = self._latest_rectification()
        self._write(writer, "rectification.html", "rectification", status=status,
                    period_label=period_label(status.period) if status else "",
                    groups=[(s, status.of_status(s)) for s in RECTIFICATION_STATUSES] if status else [])

    def _write_circulars(self, writer) -> None:
        circulars = section_articles(self.context.get("articles", []), "circulars")
        feed = self.settings.get("GOVCENSUS_CIRCULARS_FEED")
        self._write(writer, "circulars/index.html", "circulars", circulars=circulars, circulars_feed=feed)
        if feed:
            domain = self.settings.get("FEED_DOMAIN") or self.settings.get("SITEURL") or ""
            writer.write_feed(circulars, {**self.context, "FEED_DOMAIN": domain}, feed, feed_title="通报")

    def _write_methodology(self, writer) -> None:
        profile = load_profile(self.settings.get("GOVCENSUS_PROFILE"))
        self._write(writer, "methodology.html", "methodology", profile=profile,
                    checks=methodology_view(profile), scoring=scoring_view(methodology(profile)),
                    message_definitions=MESSAGE_DEFINITIONS,
                    message_limit_days=profile.setting("messages", "limit_working_days"))
