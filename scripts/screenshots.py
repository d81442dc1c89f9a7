"""Take the README's screenshots from a built site, so they show what the site looks like today.

    .venv/bin/python scripts/screenshots.py                 # output/ (built by `make demo`) -> docs/img/
    .venv/bin/python scripts/screenshots.py --site DIR --out DIR [--build]

The site is served from 127.0.0.1 and shot with Debian chromium (Playwright); any request for
another host is refused, so a screenshot can never depend on, or reach, anything outside this
machine. With --build, or when the site folder has no index.html, the site is first built from
content/ with pelicanconf.py (content/ needs the demo quarter's data files: run `make demo`).

Files written (PNG, each written beside its final name and then renamed, so a failed run leaves the
old image in place):
  home.png         the home page at 1280 px wide
  home-phone.png   the home page at 375 px wide, as on a phone
  scorecards.png   the scorecard list at 1280 px
  scorecard.png    a failing scorecard (the first on the list; any scorecard if none fails) at 1280 px
"""
from __future__ import annotations

import argparse
import functools
import http.server
import os
import re
import shutil
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

REPO = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
SCORECARD_PAGE = re.compile(r"(^|/)scorecards/\d{4}Q[1-4]/[^/]+\.html$")


class ScreenshotError(Exception):
    """Something the person running the script can fix; printed as one line, exit status 2."""


@dataclass(frozen=True)
class Shot:
    name: str
    width: int
    height: int


HOME = Shot("home.png", 1280, 1000)
HOME_PHONE = Shot("home-phone.png", 375, 812)
SCORECARDS = Shot("scorecards.png", 1280, 1000)
SCORECARD = Shot("scorecard.png", 1280, 1000)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without a log line per request."""

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serving(directory: Path) -> Iterator[str]:
    """The folder over HTTP on 127.0.0.1 (a free port), for as long as the block runs."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def build(content: Path, site: Path) -> None:
    """The site as `make site` builds it."""
    if not any((content / "scorecards").glob("*/*/*.md")):
        raise ScreenshotError(f"{content / 'scorecards'}: no scorecards to show; run `make demo` first")
    from govcensus_site import build_site

    build_site(content, site)


def chromium_path(given: str | None) -> str:
    path = given or shutil.which("chromium")
    if not path or not os.access(path, os.X_OK):
        raise ScreenshotError("Debian chromium is not installed (make browser installs it), or --chromium is wrong")
    return path


def write_png(data: bytes, target: Path) -> None:
    """Temp file + rename: the old image stays whole if anything fails."""
    partial = target.with_name(f".{target.name}.partial")
    partial.write_bytes(data)
    partial.replace(target)


def scorecard_address(page, base: str) -> str:
    """The first failing scorecard on the list, else the first scorecard (from the list page shown)."""
    for selector in ("tr:has(.badge-fail) a[href]", "a[href]"):
        for href in page.locator(selector).evaluate_all("links => links.map(a => a.href)"):
            if href.startswith(base) and SCORECARD_PAGE.search(urlsplit(href).path):
                return href
    raise ScreenshotError("the scorecard list links to no scorecard page")


def take(site: Path, out: Path, chromium: str) -> list[Path]:
    """Every shot of the module docstring from `site` into `out`; returns the files written."""
    from playwright.sync_api import sync_playwright

    if not (site / "index.html").is_file():
        raise ScreenshotError(f"{site}: no index.html; build the site first (make demo) or pass --build")
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with serving(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            def shoot(shot: Shot, address: str) -> str:
                """Writes the shot; returns the scorecard to show next when the page is the list."""
                context = browser.new_context(viewport={"width": shot.width, "height": shot.height},
                                              device_scale_factor=1, reduced_motion="reduce", locale="zh-CN")
                try:
                    # Only our loopback server: a page asking for anything else is not shot as served.
                    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                                  else route.abort("blockedbyclient"))
                    page = context.new_page()
                    response = page.goto(address, wait_until="load")
                    if response is None or not response.ok:
                        raise ScreenshotError(f"{address}: HTTP {response.status if response else 'no answer'}")
                    target = out / shot.name
                    write_png(page.screenshot(type="png"), target)
                    written.append(target)
                    return scorecard_address(page, base) if shot is SCORECARDS else ""
                finally:
                    context.close()

            shoot(HOME, urljoin(base, "index.html"))
            shoot(HOME_PHONE, urljoin(base, "index.html"))
            shoot(SCORECARD, shoot(SCORECARDS, urljoin(base, "scorecards/index.html")))
        finally:
            browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Take the README screenshots from a built site.")
    parser.add_argument("--site", type=Path, default=REPO / "output", help="the built site (default: output/)")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "img", help="where the PNGs go (default: docs/img/)")
    parser.add_argument("--build", action="store_true", help="build the site from --content first")
    parser.add_argument("--content", type=Path, default=REPO / "content", help="content to build from (default: content/)")
    parser.add_argument("--chromium", help="the chromium binary (default: chromium on PATH)")
    args = parser.parse_args(argv)
    try:
        chromium = chromium_path(args.chromium)
        if args.build or not (args.site / "index.html").is_file():
            build(args.content, args.site)
        for path in take(args.site, args.out, chromium):
            print(path)
    except ScreenshotError as error:
        print(f"screenshots: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
