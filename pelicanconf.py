"""Pelican settings for local builds (`pelican -s pelicanconf.py`); publishconf.py extends them."""
import os

SITENAME = "政府网站与政务新媒体普查公开平台"
SITEURL = ""
DEFAULT_LANG = "zh-CN"
TIMEZONE = "Asia/Shanghai"
DEFAULT_DATE_FORMAT = "%Y年%-m月%-d日"

PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
RELATIVE_URLS = True

# Our plugin is the govcensus_site package at the repository root; naming the root as a plugin
# path loads it from the tree even where the package is not installed.
PLUGIN_PATHS = [os.path.dirname(os.path.abspath(__file__))]
PLUGINS = ["govcensus_site"]

# Staff-written notices and circulars are articles; the collector's data files are read by our
# plugin only, never as articles or pages.
ARTICLE_PATHS = ["notices", "circulars"]
PAGE_PATHS = ["pages"]
# circulars/templates holds the staff template of the circular, which is not an article.
ARTICLE_EXCLUDES = ["scorecards", "messages", "rectification-status", "rectification", "circulars/templates"]
PAGE_EXCLUDES = ["scorecards", "messages", "rectification-status", "rectification", "circulars/templates"]
STATIC_PATHS: list[str] = []
# The folder a staff file sits in (notices/ or circulars/) is its section and its URL prefix.
PATH_METADATA = r"(?P<section>notices|circulars)/.*"
SLUGIFY_SOURCE = "basename"  # Chinese titles would make unreadable slugs; file names are ASCII

ARTICLE_URL = "{section}/{slug}.html"
ARTICLE_SAVE_AS = "{section}/{slug}.html"
PAGE_URL = "{slug}.html"
PAGE_SAVE_AS = "{slug}.html"
ARCHIVES_SAVE_AS = "notices/index.html"

# The home page is written by the plugin; we publish no tag, category or author listings.
# search.html: the Pagefind search page (the index is built by `make site`, see the Makefile).
DIRECT_TEMPLATES = ["archives", "search"]
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
# Drafts (Status: draft, e.g. the collector's circular draft) are previewed locally under drafts/;
# publishconf.py writes none.
DRAFT_URL = "drafts/{slug}.html"
DRAFT_SAVE_AS = "drafts/{slug}.html"
# A check's figures for staff (a WHOIS server's own reply, a transport's detail: the catalogue's
# `diagnostics`) are shown on scorecards in the local preview; publishconf.py shows none.
GOVCENSUS_SHOW_DIAGNOSTICS = True
DEFAULT_PAGINATION = False

# Third-party text (site names, snippets) must never become markup.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True, "extensions": []}

# Feeds need absolute addresses: locally the `make serve` address; publishconf.py uses SITEURL.
FEED_DOMAIN = "http://127.0.0.1:8000"
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = None

# Atom feeds written by our plugin (govcensus_site/feeds.py): published circulars (never drafts)
# and one per responsible unit, feeds/units/<unit>.atom.xml.
GOVCENSUS_CIRCULARS_FEED = "feeds/circulars.atom.xml"
GOVCENSUS_UNIT_FEEDS = True
# The office that publishes the site: the feeds' author (None: the newest published circular's issuer).
GOVCENSUS_OFFICE = os.environ.get("GOVCENSUS_OFFICE") or None

# The methodology page shows the indicator profile as `collector summarize` recorded it in
# content/catalogue/<period>.yaml (the newest period): the site reads no collector code.

# How many of the newest quarters keep a full page per scorecard; older quarters become one compact
# paged list each plus their open data (govcensus_site/archive.py, docs/scale.md "Site size").
GOVCENSUS_FULL_QUARTERS = 1

# "city" (default) or "national": a national registry's site turns on the levers of
# govcensus_site/scale.py together (a unit's accounts on one page, gzipped open data, result-only filter
# pages, lean unit feeds, pages without indentation) to stay under GitHub Pages' 1 GB (docs/scale.md).
# Any of them set here by name overrides the scale's default.
GOVCENSUS_SCALE = os.environ.get("GOVCENSUS_SCALE") or "city"
