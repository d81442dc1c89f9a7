"""Atom feeds: the published circulars, and one per responsible unit (its entries' scorecards, every
quarter), so a unit can follow its own results without visiting the site.

Feed readers need absolute addresses: every link is FEED_DOMAIN (publishconf.py: the site's public
address; pelicanconf.py: the `make serve` address) + the page's path. Ids are tag URIs (RFC 4151)
made of the page's address and its first date, so an entry keeps its id across builds and moves only
if the page does. The author is the office that publishes the site: GOVCENSUS_OFFICE, else the
issuer of the newest published circular, else the site's name.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

import lxml.html
from feedgenerator import Atom1Feed
from feedgenerator.django.utils.encoding import iri_to_uri
from feedgenerator.django.utils.feedgenerator import rfc3339_date
from feedgenerator.django.utils.xmlutils import UnserializableContentError

from govcensus_data.atomic import write_atomic
from govcensus_site import scale
from govcensus_site.census import Census, unit_slug
from govcensus_site.incremental import PageCache, digest
from govcensus_site.labels import KIND_LABELS, RESULT_LABELS, label, period_label
from govcensus_data.model import Scorecard

CIRCULARS_FEED = "feeds/circulars.atom.xml"
UNIT_FEEDS = "feeds/units"


def feed_domain(settings: dict[str, Any]) -> str:
    return str(settings.get("FEED_DOMAIN") or settings.get("SITEURL") or "").rstrip("/")


def unit_feed_path(unit: str) -> str:
    return f"{UNIT_FEEDS}/{unit_slug(unit)}.atom.xml"


def office_name(settings: dict[str, Any], circulars: list) -> str:
    """Who publishes: the office setting, else the newest published circular's issuer, else the site."""
    if settings.get("GOVCENSUS_OFFICE"):
        return str(settings["GOVCENSUS_OFFICE"])
    for article in circulars:
        issuer = (getattr(article, "metadata", {}) or {}).get("issuer")
        if issuer:
            return str(issuer)
    return str(settings.get("SITENAME") or "")


def tag_uri(url: str, when: datetime) -> str:
    """tag:host,YYYY-MM-DD:/path — stable for a page that stays where it is; a section of a page
    (a unit's account, grouping.py) keeps its #anchor, so each account is its own entry (RFC 4151
    allows the fragment)."""
    parts = urlsplit(url)
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return f"tag:{parts.hostname or 'localhost'},{when:%Y-%m-%d}:{parts.path or '/'}{fragment}"


def absolute_links(html: str, base: str) -> str:
    """The article's relative links (../scorecards/…) made absolute against its page's address."""
    if not html.strip():
        return html
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    root.make_links_absolute(base, resolve_base_href=False)
    return "".join(lxml.html.tostring(child, encoding="unicode") for child in root)


def _new_feed(title: str, link: str, feed_url: str, description: str, author: str, when: datetime) -> Atom1Feed:
    return Atom1Feed(title=title, link=link, feed_url=feed_url, description=description, language="zh-CN",
                     author_name=author, feed_guid=tag_uri(feed_url, when))


def circulars_feed(circulars: list, settings: dict[str, Any]) -> Atom1Feed:
    """Published circulars, newest first (Pelican never passes drafts here)."""
    domain = feed_domain(settings)
    author = office_name(settings, circulars)
    first = min((a.date for a in circulars), default=datetime(2020, 1, 1))
    feed = _new_feed(f"{settings.get('SITENAME', '')} - 通报", f"{domain}/circulars/index.html",
                     f"{domain}/{settings.get('GOVCENSUS_CIRCULARS_FEED') or CIRCULARS_FEED}",
                     "政府网站和政府系统政务新媒体季度普查情况的通报", author, first)
    for article in circulars:
        url = f"{domain}/{article.url}"
        meta = getattr(article, "metadata", {}) or {}
        number = meta.get("document-number") or ""
        feed.add_item(title=article.title, link=url, unique_id=tag_uri(url, article.date),
                      description=(f"{number} " if number else "") + article.title,
                      content=absolute_links(article.content, url), author_name=str(meta.get("issuer") or author),
                      pubdate=article.date, updateddate=getattr(article, "modified", None) or article.date)
    return feed


@dataclass(frozen=True)
class UnitFeed:
    """What one unit's feed shows, before it is built: its key says whether the last build's file will do."""

    unit: str
    cards: tuple[Scorecard, ...]   # newest first, every one the feed covers (its date comes from them)
    results: frozenset[str] | None
    domain: str
    author: str

    @property
    def key(self) -> str | None:
        """The scorecards' content hashes and addresses, the office and the domain (settings, templates
        and code are the build's fingerprint); None when a scorecard was read without a hash."""
        if not all(card.digest for card in self.cards):
            return None
        return digest(self.unit, self.domain, self.author, repr(sorted(self.results or ())),
                      *(f"{card.digest} {card.url}" for card in self.cards))

    def entries(self) -> list[dict[str, Any]]:
        """The feed's entries, as Atom1Feed.add_item takes them."""
        domain, author = self.domain, self.author
        entries = []
        for card in self.cards:
            if self.results is not None and card.result not in self.results:
                continue  # a national feed: what needs the unit's attention
            url = f"{domain}/{card.url}"
            result = label(RESULT_LABELS, card.result)
            score = f"，得分 {card.score:g}" if card.score is not None and card.result != "unchecked" else ""
            name = entry_title(card)
            summary = f"{period_label(card.period)}{name}：{result}{score}，发现问题 {len(card.findings)} 项。"
            entries.append(dict(title=f"{period_label(card.period)} {name}：{result}", link=url,
                                unique_id=tag_uri(url, _day(card.period_start)), description=summary,
                                author_name=author, pubdate=_time(card.as_of), updateddate=_time(card.as_of)))
        return entries

    def _head(self) -> tuple[str, str, str, str, datetime]:
        """(title, page, feed address, description, first day) of the feed."""
        domain = self.domain
        return (f"{self.unit} - 普查结果", f"{domain}/units/{unit_slug(self.unit)}.html",
                f"{domain}/{unit_feed_path(self.unit)}",
                f"{self.unit}负责的政府网站、信息公开专栏和政务新媒体的季度普查结果", _day(self.cards[-1].period_start))

    def feed(self) -> Atom1Feed:
        """The feed as feedgenerator builds it (the reference `xml` is held to)."""
        title, page, feed_url, description, first = self._head()
        feed = _new_feed(title, page, feed_url, description, self.author, first)
        for entry in self.entries():
            feed.add_item(**entry)
        if not feed.items:  # nothing needing attention: dated by the unit's newest result, not by the clock
            feed.latest_post_date = lambda when=_time(self.cards[0].as_of): when
        return feed

    def xml(self) -> str:
        """`feed().writeString("utf-8")`, byte for byte, written directly: a national site has
        thousands of unit feeds, and feedgenerator's SAX writer was most of a rebuild's feed time."""
        title, page, feed_url, description, first = self._head()
        entries = self.entries()
        updated = max((e["updateddate"] for e in entries), default=_time(self.cards[0].as_of))
        author = f"<author>{_element('name', self.author)}</author>"
        out = ['<?xml version="1.0" encoding="utf-8"?>\n<feed xml:lang="zh-CN" xmlns="http://www.w3.org/2005/Atom">',
               _element("title", title), _link(page, "alternate"), _link(feed_url, "self"),
               _element("id", tag_uri(feed_url, first)), _element("updated", rfc3339_date(updated)),
               author, _element("subtitle", description)]
        for e in entries:
            out += ["<entry>", _element("title", e["title"]), _link(e["link"], "alternate"),
                    _element("published", rfc3339_date(e["pubdate"])), _element("updated", rfc3339_date(e["updateddate"])),
                    author, _element("id", e["unique_id"]), _element("summary", e["description"], ' type="html"'),
                    "</entry>"]
        out.append("</feed>")
        return "".join(out)


#: What feedgenerator refuses in an element's text (XML 1.0 has no way to write it).
_CONTROL = re.compile(r"[\x00-\x08\x0B-\x0C\x0E-\x1F]")


def _element(name: str, text: str, attributes: str = "") -> str:
    """An element as xml.sax's XMLGenerator writes it (short when empty), refusing what feedgenerator refuses."""
    if not text:
        return f"<{name}{attributes}/>"
    if _CONTROL.search(text):
        raise UnserializableContentError("Control characters are not supported in XML 1.0")
    return f"<{name}{attributes}>{escape(text)}</{name}>"


def _link(href: str, rel: str) -> str:
    return f"<link href={quoteattr(iri_to_uri(href))} rel={quoteattr(rel)}/>"


def unit_feed_sources(census: Census, settings: dict[str, Any], circulars: list) -> dict[str, UnitFeed]:
    """Every unit's feed by its path, not built yet: each of its entries' scorecards, newest first
    (only those with a result in GOVCENSUS_UNIT_FEED_RESULTS when it is set): every quarter, or the
    newest GOVCENSUS_UNIT_FEED_QUARTERS (a national site: a feed of every quarter for 130,000 entries
    would weigh more than the whole current quarter's pages)."""
    domain = feed_domain(settings)
    author = office_name(settings, circulars)
    kept = feed_quarters(settings)
    results = scale.setting(settings, "GOVCENSUS_UNIT_FEED_RESULTS")
    by_unit: dict[str, list[Scorecard]] = defaultdict(list)
    for card in census.scorecards:
        by_unit[card.entry.unit].append(card)
    sources = {}
    for unit, cards in sorted(by_unit.items()):
        if kept:  # the unit's own newest quarters: a unit gone from the registry keeps its last ones
            newest = set(sorted({c.period for c in cards})[-kept:])
            cards = [c for c in cards if c.period in newest]
        cards.sort(key=lambda c: (c.as_of, c.period, c.id), reverse=True)
        sources[unit_feed_path(unit)] = UnitFeed(unit, tuple(cards), frozenset(results) if results is not None else None,
                                                 domain, author)
    return sources


def feed_quarters(settings: dict[str, Any]) -> int | None:
    """How many of the newest quarters the unit feeds carry (None: all), checked."""
    value = scale.setting(settings, "GOVCENSUS_UNIT_FEED_QUARTERS")
    if value is None:
        return None
    try:
        count = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"GOVCENSUS_UNIT_FEED_QUARTERS must be a whole number of quarters, not {value!r}") from None
    if count < 1:
        raise ValueError(f"GOVCENSUS_UNIT_FEED_QUARTERS must be at least 1 (the current quarter), not {count}")
    return count


def entry_title(card: Scorecard) -> str:
    """临沧市生态环境局（政务新媒体，微信公众号）: a unit's accounts often carry the unit's own name."""
    kind = label(KIND_LABELS, card.entry.kind)
    platform = f"，{card.entry.platform}" if card.entry.platform else ""
    return f"{card.entry.name}（{kind}{platform}）"


def write_feeds(output_path: str | Path, census: Census, circulars: list, settings: dict[str, Any],
                pages: PageCache | None = None) -> None:
    """Write the circulars' feed (when GOVCENSUS_CIRCULARS_FEED names a path) and every unit's feed.

    With the build's page cache, a unit feed whose scorecards did not change since the last build is
    neither built nor written (a national site has thousands), and a feed no longer made is removed.
    """
    def write(path: str, key: str | None, render) -> None:
        if pages is not None:
            pages.page(path, key, render)
        else:
            write_atomic(Path(output_path) / path, render())

    if settings.get("GOVCENSUS_CIRCULARS_FEED"):
        write(str(settings["GOVCENSUS_CIRCULARS_FEED"]), None,
              lambda: circulars_feed(circulars, settings).writeString("utf-8"))
    if settings.get("GOVCENSUS_UNIT_FEEDS", True):
        for path, source in unit_feed_sources(census, settings, circulars).items():
            write(path, source.key, source.xml)


def _day(value: str) -> datetime:
    return datetime.combine(datetime.fromisoformat(value).date(), time())


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value)
