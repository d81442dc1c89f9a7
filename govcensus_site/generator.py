"""The Pelican generator that turns scorecard data files into the portal's own pages.

It runs after Pelican's article and page generators (so the newest notices are known) and writes:
index.html, scorecards/index.html, scorecards/<period>/<id>.html, units/index.html,
units/<slug>.html, messages/<period>.html, methodology.html and 404.html. Another data kind
(circulars, rectification) is added the way message statistics were: a loader next to
`model.load_message_summaries`, a `_write_…` step below and its template.
"""
from __future__ import annotations

from pathlib import Path

from pelican.generators import Generator

from collector.profile import load_profile
from govcensus_site.census import Census
from govcensus_site.labels import KIND_LABELS, RESULT_LABELS, period_label
from govcensus_site.model import load_message_summaries, load_scorecards
from govcensus_site.views import methodology_view, render_body, scorecard_view

NEWEST_NOTICES = 5


class CensusGenerator(Generator):
    """Loads `<PATH>/scorecards/` into a `Census` and writes the pages built from it."""

    def generate_context(self) -> None:
        root = Path(self.path) / self.settings.get("GOVCENSUS_SCORECARDS", "scorecards")
        self.census = Census(load_scorecards(root))
        self.messages = {m.period: m for m in load_message_summaries(Path(self.path) / "messages")}
        self.context["census"] = self.census
        self.context["KIND_LABELS"] = KIND_LABELS
        self.context["RESULT_LABELS"] = RESULT_LABELS

    def generate_output(self, writer) -> None:
        self._write_home(writer)
        self._write_scorecards(writer)
        self._write_units(writer)
        self._write_messages(writer)
        self._write_methodology(writer)
        self._write(writer, "404.html", "404")

    def _write(self, writer, save_as: str, template: str, **values) -> None:
        # override_output: our home page replaces Pelican's article index if a site keeps it on.
        writer.write_file(save_as, self.get_template(template), self.context,
                          relative_urls=self.settings["RELATIVE_URLS"], override_output=True,
                          page_name=save_as.removesuffix(".html"), **values)

    def _write_home(self, writer) -> None:
        latest = self.census.latest
        self._write(writer, "index.html", "index",
                    figures=self.census.figures(latest) if latest else None,
                    history=self.census.history(),
                    messages=self.messages.get(latest),
                    notices=list(self.context.get("articles", []))[:NEWEST_NOTICES])

    def _write_scorecards(self, writer) -> None:
        latest = self.census.latest
        self._write(writer, "scorecards/index.html", "scorecards",
                    period=latest, period_label=period_label(latest) if latest else "",
                    scorecards=self.census.of_period(latest))
        for card in self.census.scorecards:
            self._write(writer, card.url, "scorecard", view=scorecard_view(card, self.census))

    def _write_units(self, writer) -> None:
        units = self.census.units()
        self._write(writer, "units/index.html", "units", units=units)
        for unit in units:
            self._write(writer, unit.url, "unit", unit=unit)

    def _write_messages(self, writer) -> None:
        for summary in self.messages.values():
            self._write(writer, summary.url, "messages", summary=summary,
                        period_label=period_label(summary.period), body=render_body(summary.body, top=2))

    def _write_methodology(self, writer) -> None:
        profile = load_profile(self.settings.get("GOVCENSUS_PROFILE"))
        self._write(writer, "methodology.html", "methodology", profile=profile,
                    checks=methodology_view(profile))
