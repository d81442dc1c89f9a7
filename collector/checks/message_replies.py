"""互动回应: import each message platform's exported message list once a day.

The observation keeps what the statistics need — message number, times, replying unit, status —
and never the names, phone numbers or texts of the export (the importer does not read them), so
message figures regenerate from observations like every other figure. A valid message left
unanswered for more than three months in the year before the monitoring time is the website
veto 互动回应差; it is judged on the site or column the platform belongs to (see summarize).
"""
from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from dataclasses import dataclass

from collector.checks.base import Check, CheckContext, Code, Settings, register, setting
from collector.message_exports.importer import ImportResult, Message, load_export
from collector.message_exports.exports import NO_SUCH_FILE, REFUSED, export_filename
from collector.observations import Evidence, Finding, Observation
from collector.profile import Profile
from collector.registry import Entry, export_path
from govcensus_data.masking import mask_text


@dataclass(frozen=True)
class MessagesSettings(Settings):
    limit_working_days: int = setting(5, "答复时限（工作日）")
    unanswered_veto_days: int = setting(92, "超过此天数未答复即否决")
    lookback_days: int = setting(365, "回溯天数")


def unanswered_findings(messages: tuple[Message, ...], as_of: datetime, export: str,
                        settings: MessagesSettings) -> list[Finding]:
    """One finding per message received in the look-back year and still unanswered after the limit."""
    limit = timedelta(days=settings.unanswered_veto_days)
    since = as_of - timedelta(days=settings.lookback_days)
    findings = []
    for message in messages:
        if message.replied_at is not None or message.closed or not since <= message.received_at <= as_of - limit:
            continue
        days = (as_of - message.received_at).days
        findings.append(Finding(
            code="message_unanswered", indicator=settings.indicator or Messages.indicator,
            severity=settings.severity or Messages.codes["message_unanswered"].severity,
            message=f"留言 {message.id} 于 {message.received_at:%Y-%m-%d} 收到，至监测时 {days} 天未答复",
            key=_key(message), evidence=Evidence(url=export, location=f"留言编号 {message.id}",
                                              snippet=f"收到 {message.received_at:%Y-%m-%d %H:%M}；状态 {message.status}"),
        ))
    return findings


def _key(message: Message) -> str:
    """The message number; one that holds a personal number is masked when stored, so two such
    messages could look alike: their receiving time keeps them apart."""
    if mask_text(message.id) == message.id:
        return message.id
    return f"{message.id}|{message.received_at:%Y-%m-%d %H:%M}"


@register
class Messages(Check[MessagesSettings]):
    name = "messages"
    title = "网民留言办理"
    indicator = "互动回应差"
    applies_to = frozenset({"message_platform"})
    settings = MessagesSettings
    codes = {"message_unanswered": Code("有效留言超过 3 个月未答复", "veto")}
    figures = {
        "platforms": "留言平台数",
        "platforms_unread": "导出未能读取的平台数",
        "messages": "导出中的留言数",
        "open": "未办结",
        "import": "导入情况",
        # figures of the message statistics shown with older data files
        "received": "收到留言",
        "replied": "已答复",
        "on_time": "按时答复",
        "overdue": "超期未答复",
        "completion_rate": "办结率",
    }

    async def observe(self, entry: Entry, ctx: CheckContext) -> Observation:
        settings = self.configured(ctx.profile)
        source = entry.export  # type: ignore[union-attr]
        if urlsplit(source).scheme in ("http", "https"):
            fetched = await ctx.fetch(source)
            if not fetched.ok or fetched.status != 200:
                return self.unreachable(entry, ctx, fetched)
            data: bytes | Path = fetched.content
        else:
            try:  # validation refuses these too; this is the one place a local export is opened
                data = export_path(source, ctx.registry.root)
            except ValueError:  # `collector validate` tells staff why; what is published says only this
                return self.observation(entry, ctx, {"error": REFUSED}, [], outcome="error")
            if not data.is_file():
                return self.observation(entry, ctx, {"error": f"{NO_SUCH_FILE}：{source}"}, [], outcome="unreachable")
        result = load_export(data, export_filename(source, data), platform=entry.id,
                             headers=entry.header_mapping)  # type: ignore[union-attr]
        figures = {"import": result.to_dict(), "messages": len(result.messages), "errors": len(result.errors)}
        if result.unreadable:
            figures["error"] = result.unreadable
        findings = unanswered_findings(result.messages, ctx.as_of, source, settings)
        outcome = "error" if result.unreadable or (result.errors and not result.messages) else None
        return self.observation(entry, ctx, figures, findings, outcome=outcome)

    def period_figures(self, observations: list[Observation], profile: Profile) -> dict:
        """What a scorecard shows: counts of each platform's latest import, never the messages."""
        latest: dict[str, Observation] = {}
        for obs in observations:
            if obs.entry not in latest or obs.at > latest[obs.entry].at:
                latest[obs.entry] = obs
        read = (ImportResult.from_dict(o.figures["import"]) for o in latest.values() if "import" in o.figures)
        imports = [i for i in read if i.readable]  # fetched but unreadable is not read either
        return {"platforms": len(latest), "platforms_unread": len(latest) - len(imports),
                "messages": sum(len(i.messages) for i in imports),
                "open": sum(1 for i in imports for m in i.messages if not m.closed),
                "errors": sum(len(i.errors) for i in imports)}
