"""sitemap.xml of the built site: every public HTML page, written once Pelican has finished.

Draft previews (drafts/) and the 404 page are left out. Locations are SITEURL + path, so a
published build (publishconf.py) lists absolute addresses; a local build lists site-relative ones.
"""
from __future__ import annotations

import os
from pathlib import Path
from xml.sax.saxutils import escape

from govcensus_data.atomic import write_atomic

EXCLUDED = ("drafts/", "404.html", "theme/")


def page_paths(output: Path) -> list[str]:
    """Every .html file under output, as sorted relative paths (os.walk: a national site has 15,000+)."""
    paths = []
    root = str(output)
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        prefix = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if prefix == "." else prefix + "/"
        paths += [prefix + name for name in files if name.endswith(".html") and not name.startswith(".")]
    return [p for p in sorted(paths) if not p.startswith(EXCLUDED)]


def write_sitemap(output: str | Path, site_url: str) -> Path:
    """Written only when it changed, like every page of an incremental build."""
    output = Path(output)
    base = site_url.rstrip("/") + "/" if site_url else ""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"  <url><loc>{escape(base + path)}</loc></url>" for path in page_paths(output)]
    lines.append("</urlset>")
    path = output / "sitemap.xml"
    write_atomic(path, "\n".join(lines) + "\n")
    return path
