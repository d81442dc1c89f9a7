"""sitemap.xml of the built site: every public HTML page, written once Pelican has finished.

Draft previews (drafts/) and the 404 page are left out. Locations are SITEURL + path, so a
published build (publishconf.py) lists absolute addresses; a local build lists site-relative ones.
"""
from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

EXCLUDED = ("drafts/", "404.html", "theme/")


def page_paths(output: Path) -> list[str]:
    paths = sorted(p.relative_to(output).as_posix() for p in output.rglob("*.html"))
    return [p for p in paths if not p.startswith(EXCLUDED)]


def write_sitemap(output: str | Path, site_url: str) -> Path:
    output = Path(output)
    base = site_url.rstrip("/") + "/" if site_url else ""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"  <url><loc>{escape(base + path)}</loc></url>" for path in page_paths(output)]
    lines.append("</urlset>")
    path = output / "sitemap.xml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
