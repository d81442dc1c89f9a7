"""The catalogue of this build: read through govcensus_data.catalogue (which owns the file's schema
and reader), stamped with a digest so a page whose labels come from it is rebuilt when it changes,
and held for the views while pages render.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from govcensus_data import catalogue as data
from govcensus_data.catalogue import Catalogue
from govcensus_site.incremental import tree_digest

__all__ = ["Catalogue", "current", "load_catalogue", "use"]


def load_catalogue(content: Path) -> Catalogue:
    """Every `<content>/catalogue/*.yaml` (newer declarations win), with the digest of those files."""
    found = data.load_catalogue(content)
    if not found.files:
        return found
    return replace(found, digest=tree_digest(found.files, Path(content) / data.FOLDER))


#: The catalogue of this build: set by the generator before any page is rendered (workers are
#: forked after that, so they see it too).
_CURRENT = Catalogue()


def use(catalogue: Catalogue) -> None:
    global _CURRENT
    _CURRENT = catalogue


def current() -> Catalogue:
    return _CURRENT
