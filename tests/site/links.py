"""What a built site links to that is not there: shared by the tests of every page-size policy."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html


def broken_links(site: Path) -> tuple[list[tuple[str, str]], set[Path]]:
    """Every relative href/src of every page that names no file in the output, or a #fragment with no
    such id there (the search index's files only once it is built); and the pages whose ids were checked (to prove the anchors were among them)."""
    ids: dict[Path, set[str]] = {}
    # The search page's script and style come with the index, which `make site` builds after Pelican.
    search = (site / "pagefind").resolve()
    searchless = not search.is_dir()
    broken = []
    for html in sorted(site.rglob("*.html")):
        tree = lxml.html.fromstring(html.read_text(encoding="utf-8"))
        for link in tree.xpath("//a/@href | //link/@href | //script/@src | //img/@src"):
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith("mailto:"):
                continue
            target = (html.parent / unquote(parts.path)).resolve() if parts.path else html
            if not target.is_file() and not (searchless and target.is_relative_to(search)):
                broken.append((html.relative_to(site).as_posix(), link))
                continue
            if parts.fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = set(lxml.html.fromstring(target.read_text(encoding="utf-8")).xpath("//@id"))
                if parts.fragment not in ids[target]:
                    broken.append((html.relative_to(site).as_posix(), link))
    return broken, set(ids)


def ids_of(page: Path) -> set[str]:
    return set(lxml.html.fromstring(page.read_text(encoding="utf-8")).xpath("//@id"))
