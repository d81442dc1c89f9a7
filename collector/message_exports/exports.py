"""Each message platform's export, fetched from its URL or read from a local path, and imported.

A check (message_replies) and the period's summary (collector.summarize.messages) both read exports,
so fetching and importing live here, below both. An export that cannot be fetched is an
UnreachableExport with its reason, never an empty list of messages.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Mapping
from urllib.parse import urlsplit

from collector.fetch import Fetcher
from collector.message_exports.importer import ImportResult, load_export
from collector.registry import MessagePlatform, Registry, export_path


#: Why an export was not read, in the words the portal publishes (a fetch error kind is put in
#: words where it is published: checks.base.reason_in_words).
NOT_FETCHED = "未取得留言记录"
NO_SUCH_FILE = "留言记录文件不存在"
REFUSED = "留言记录的地址不予读取（只读取 http(s) 地址或登记库目录内的文件）"


@dataclass(frozen=True)
class UnreachableExport:
    """An export that could not be fetched or read, and why (e.g. "HTTP 404", "timeout")."""

    source: str
    reason: str


Export = bytes | Path | UnreachableExport


async def fetch_exports(registry: Registry, fetcher: Fetcher, base_dir: Path | None = None) -> dict[str, Export]:
    """Each platform's export: bytes for a URL that answered 200, a Path for a local file, else UnreachableExport.

    Relative local paths are resolved against base_dir (the registry's repository) and must stay inside it.
    """
    async def one(platform: MessagePlatform) -> Export:
        source = platform.export
        if urlsplit(source).scheme in ("http", "https"):
            result = await fetcher.get(source)
            if result.error:
                return UnreachableExport(source, f"{result.error}: {result.error_detail}" if result.error_detail
                                         else result.error)
            if result.status != 200:
                return UnreachableExport(source, f"HTTP {result.status}")
            return result.content
        try:
            path = export_path(source, base_dir or registry.root)
        except ValueError:  # the registry's validation says why to staff; the portal says only this
            return UnreachableExport(source, REFUSED)
        return path if path.is_file() else UnreachableExport(source, NO_SUCH_FILE)

    platforms = registry.message_platforms
    exports = await asyncio.gather(*(one(p) for p in platforms))
    return {p.id: export for p, export in zip(platforms, exports)}


def import_exports(registry: Registry, exports: Mapping[str, Export]) -> dict[str, ImportResult | UnreachableExport]:
    """Import every platform's export; platforms absent from `exports` are recorded as unreachable."""
    results: dict[str, ImportResult | UnreachableExport] = {}
    for platform in registry.message_platforms:
        export = exports.get(platform.id, UnreachableExport(platform.export, NOT_FETCHED))
        if isinstance(export, UnreachableExport):
            results[platform.id] = export
        else:
            results[platform.id] = load_export(export, export_filename(platform.export, export), platform=platform.id,
                                               headers=platform.header_mapping)
    return results


def export_filename(export: str, source: bytes | Path) -> str:
    if isinstance(source, Path):
        return source.name
    return PurePosixPath(urlsplit(export).path).name or export
