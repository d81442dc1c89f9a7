"""Reading a build's scorecards: through the cache of files an earlier build read, spread over
worker processes when there are many (the site's part; the file format is govcensus_data.model)."""
from __future__ import annotations

import os
from pathlib import Path

from govcensus_data.model import DataFileError, Scorecard, content_digest, data_files, parse_files, scorecard_from
from govcensus_site.parallel import in_chunks
from govcensus_site.scorecard_cache import ScorecardCache, signature


def load_scorecards(root: str | Path, cache_dir: str | Path | None = None, workers: int = 1) -> list[Scorecard]:
    """Every `<period>/<kind>/<id>.md` under root, sorted by path so builds are reproducible.

    With `cache_dir`, scorecards an earlier build read are taken from the cache by the file's
    content hash (see scorecard_cache), so a rebuild parses only changed files. Files to parse are
    spread over `workers` processes when there are many.
    """
    root = Path(root)
    if not root.is_dir():
        return []
    cache = ScorecardCache(Path(cache_dir), root) if cache_dir is not None else None
    files = []  # (relative path, digest, cached card or the file's bytes, its stat)
    for relative in data_files(str(root)):
        path = os.path.join(root, relative)
        stat = signature(os.stat(path)) if cache else None
        card = cache.unchanged(relative, stat) if cache else None
        if card is not None:  # not touched since an earlier build read it: not even read
            files.append((relative, card.digest, card, stat))
            continue
        with open(path, "rb") as handle:
            data = handle.read()
        digest = content_digest(data)
        card = cache.get(relative, digest, stat) if cache else None
        files.append((relative, digest, card if card is not None else data, stat))
    misses = [(root / relative, found) for relative, _, found, _ in files if isinstance(found, bytes)]
    parsed = iter([one for chunk in in_chunks(parse_files, misses, workers) for one in chunk])
    cards = []
    for relative, digest, found, stat in files:
        if isinstance(found, bytes):
            path = root / relative
            card = scorecard_from(path, *next(parsed), digest)
            period_dir, kind_dir = relative.split("/")[:2]
            if (card.period, card.kind) != (period_dir, kind_dir):
                raise DataFileError(path, f"lies under {period_dir}/{kind_dir} but says period "
                                          f"{card.period}, kind {card.kind}")
            if cache:
                cache.put(relative, digest, card, stat)
            found = card
        cards.append(found)
    if cache:
        cache.save()
    return cards
