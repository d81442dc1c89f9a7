"""Parsed (and masked) front matter of scorecard files, kept between builds by content hash.

Parsing YAML is most of what reading 15,000 data files costs; a rebuild after a 1 % change should
parse 1 % of them. The cache maps a file's path to the hash of its bytes and the masked front matter
and body that parsing gave. It is JSON (nothing in it can run code when read) and only holds values
JSON gives back exactly: front matter with dates or non-string keys is parsed every time instead.
Its version covers the parser and the masking gate, so a change to either empties it.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import yaml

from collector.atomic import write_atomic

logger = logging.getLogger(__name__)

FILE = "front-matter.json"


def _code_version() -> str:
    """What parsing depends on: this format, the YAML loader, our reader and the masking gate."""
    import collector.masking
    import govcensus_site.model
    from govcensus_site.incremental import digest
    sources = [Path(m.__file__).read_bytes() for m in (collector.masking, govcensus_site.model)]
    return digest("1", yaml.__version__, str(yaml.__with_libyaml__), *sources)


class FrontMatterCache:
    def __init__(self, directory: Path):
        self.path = directory / FILE
        self.version = _code_version()
        self.entries: dict[str, list[Any]] = self._load()
        self.used: set[str] = set()
        self.changed = False

    def _load(self) -> dict[str, list[Any]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("version") != self.version or not isinstance(data.get("files"), dict):
            return {}
        return data["files"]

    def get(self, relative: str, digest: str) -> tuple[dict[str, Any], str] | None:
        entry = self.entries.get(relative)
        if not (isinstance(entry, list) and len(entry) == 3 and entry[0] == digest):
            return None
        self.used.add(relative)
        return entry[1], entry[2]

    def put(self, relative: str, digest: str, meta: dict[str, Any], body: str) -> None:
        try:
            exact = json.loads(json.dumps(meta)) == meta and _same_types(meta)
        except (TypeError, ValueError):
            exact = False
        self.changed = True
        if exact:
            self.entries[relative] = [digest, meta, body]
            self.used.add(relative)
        else:
            self.entries.pop(relative, None)

    def save(self) -> None:
        """Write the cache when a file was parsed or one is gone; entries of removed files are dropped."""
        if set(self.entries) - self.used:
            self.entries = {k: v for k, v in self.entries.items() if k in self.used}
            self.changed = True
        if not self.changed:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, json.dumps({"version": self.version, "files": self.entries}, ensure_ascii=False))
        except OSError as exc:  # a cache we cannot write only makes the next build slower
            logger.warning("could not write the front matter cache %s: %s", self.path, exc)


def _same_types(value: Any) -> bool:
    """JSON turns tuples into lists and equal-but-different numbers (1 vs 1.0) compare equal; only
    str, bool, int, float, None, lists and str-keyed dicts come back as they went in."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return True
    if isinstance(value, list):
        return all(_same_types(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _same_types(v) for k, v in value.items())
    return False
