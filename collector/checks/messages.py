"""互动回应: import each message platform's exported message list once a day.

The observation keeps what the statistics need — message number, times, replying unit, status —
and never the names, phone numbers or texts of the export (the importer does not read them), so
message figures regenerate from observations like every other figure.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from collector.checks.base import Check, CheckContext, register
from collector.messages.importer import load_export
from collector.messages.summary import export_filename
from collector.observations import Observation
from collector.registry import Entry


@register
class Messages(Check):
    name = "messages"
    title = "网民留言办理"
    indicator = "互动回应"
    applies_to = frozenset({"message_platform"})

    async def observe(self, entry: Entry, ctx: CheckContext) -> Observation:
        source = entry.export  # type: ignore[union-attr]
        if urlsplit(source).scheme in ("http", "https"):
            fetched = await ctx.fetch(source)
            if not fetched.ok or fetched.status != 200:
                return self.unreachable(entry, ctx, fetched)
            data: bytes | Path = fetched.content
        else:
            data = Path(source)
            if not data.is_file():
                return self.observation(entry, ctx, {"error": f"no such file: {source}"}, [], outcome="unreachable")
        result = load_export(data, export_filename(source, data), platform=entry.id)
        figures = {"import": result.to_dict(), "messages": len(result.messages), "errors": len(result.errors)}
        return self.observation(entry, ctx, figures, [], outcome="error" if result.errors and not result.messages else "ok")
