"""Pelican settings for the published site: absolute URLs, Atom feeds (all articles; published circulars), no drafts.

SITEURL comes from the environment (GOVCENSUS_SITEURL, e.g. the GitHub Pages address) so the same
repository can publish anywhere.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: E402,F401,F403

SITEURL = os.environ.get("GOVCENSUS_SITEURL", "").rstrip("/")
if not SITEURL:
    raise SystemExit("publishconf.py: set GOVCENSUS_SITEURL to the site's public address, e.g. https://example.github.io/govcensus")
RELATIVE_URLS = False

FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
GOVCENSUS_CIRCULARS_FEED = "feeds/circulars.atom.xml"

# Drafts are previewed locally only; the public site has none.
DRAFT_URL = ""
DRAFT_SAVE_AS = ""
# Nor do staff's diagnostics on scorecards.
GOVCENSUS_SHOW_DIAGNOSTICS = False

DELETE_OUTPUT_DIRECTORY = True

# A copy of the last published build (the scheduled workflow restores it from the Actions cache and
# moves it aside before this build deletes output/): unchanged pages are taken from it instead of
# being rendered again (govcensus_site/incremental.py). Empty: every page is made.
GOVCENSUS_LAST_OUTPUT = os.environ.get("GOVCENSUS_LAST_OUTPUT", "")
