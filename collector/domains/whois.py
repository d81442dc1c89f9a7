"""A WHOIS client (RFC 3912) and a parser for CNNIC-style replies.

RFC 3912: connect to port 43, send the query and CRLF, read until the server closes. Replies are
free text; CNNIC's are `Key: Value` lines. What matters for deregistration is telling "registered"
from "not registered" reliably, so every reply we cannot read with certainty (a rate-limit notice,
garbage, silence, a refused connection) gets its own outcome and is never taken as "not registered".
"""
from __future__ import annotations

import asyncio
import fnmatch
import re
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Mapping

WhoisOutcome = Literal["registered", "not_registered", "rate_limited", "unparseable", "timeout",
                       "connection_error"]
#: Each outcome as the portal says it.
WHOIS_OUTCOME_WORDS: dict[str, str] = {
    "registered": "仍在注册", "not_registered": "未注册（已注销）", "rate_limited": "查询被限流",
    "unparseable": "答复无法识别", "timeout": "查询超时", "connection_error": "无法连接 WHOIS 服务器",
}
#: EPP domain statuses (RFC 5731) as CNNIC names them in Chinese, the code kept beside the words.
EPP_STATUS_WORDS: dict[str, str] = {code: f"{words}（{code}）" for code, words in {
    "ok": "正常", "inactive": "未激活（无域名服务器）",
    "clientHold": "注册商设置暂停解析", "serverHold": "注册局设置暂停解析",
    "clientTransferProhibited": "注册商设置禁止转移", "serverTransferProhibited": "注册局设置禁止转移",
    "clientDeleteProhibited": "注册商设置禁止删除", "serverDeleteProhibited": "注册局设置禁止删除",
    "clientUpdateProhibited": "注册商设置禁止更新", "serverUpdateProhibited": "注册局设置禁止更新",
    "clientRenewProhibited": "注册商设置禁止续费", "serverRenewProhibited": "注册局设置禁止续费",
    "pendingDelete": "等待删除", "pendingTransfer": "等待转移", "pendingCreate": "等待注册",
    "pendingRenew": "等待续费", "pendingUpdate": "等待更新", "redemptionPeriod": "赎回期",
    "pendingRestore": "等待恢复", "addPeriod": "注册宽限期", "autoRenewPeriod": "自动续费宽限期",
    "renewPeriod": "续费宽限期", "transferPeriod": "转移宽限期",
}.items()}
#: Outcomes that say nothing about the domain: the check reports them as errors, never as a pass.
FAILED_OUTCOMES: frozenset[str] = frozenset({"rate_limited", "unparseable", "timeout", "connection_error"})

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)")
_RATE_LIMITED = re.compile(
    r"queried interval is too short|exceeded|too many (?:requests|queries)|rate.?limit|try again later",
    re.IGNORECASE)
_NOT_FOUND = re.compile(
    r"no matching record|^\W*no match\b|^\W*not found\b|^\W*no found\b|no entries found|no data found"
    r"|domain not found|^\W*no such domain",
    re.IGNORECASE | re.MULTILINE)
_FIELD = re.compile(r"^\s*([A-Za-z][A-Za-z ]*?)\s*:\s*(.*?)\s*$")
#: The reply lines a finding quotes as evidence, in this order.
EVIDENCE_FIELDS = ("Domain Name", "Domain Status", "Registration Time", "Expiration Time", "Sponsoring Registrar")


def mask_emails(text: str) -> str:
    """`someone@163.com` -> `***@163.com`: the mailbox is personal-ish, the provider is not."""
    return _EMAIL.sub(lambda m: f"***@{m.group(1)}", text)


@dataclass(frozen=True)
class WhoisRecord:
    """A parsed registration. Times are as the server shows them (CNNIC: Beijing time, no zone)."""

    domain_name: str
    roid: str = ""
    statuses: tuple[str, ...] = ()
    registrant: str = ""
    registrant_email: str = ""          # masked: ***@domain
    sponsoring_registrar: str = ""
    name_servers: tuple[str, ...] = ()
    registration_time: datetime | None = None
    expiration_time: datetime | None = None
    dnssec: str = ""
    #: (key, value) lines as received, emails masked, for quoting evidence.
    lines: tuple[tuple[str, str], ...] = ()

    def evidence_lines(self) -> list[str]:
        """The reply's Domain Name / Domain Status / times / registrar lines, emails masked."""
        wanted = {name.lower(): order for order, name in enumerate(EVIDENCE_FIELDS)}
        picked = [(wanted[key.lower()], key, value) for key, value in self.lines if key.lower() in wanted]
        return [f"{key}: {value}" for _, key, value in sorted(picked, key=lambda item: item[0])]


@dataclass(frozen=True)
class WhoisResult:
    domain: str
    server: str                          # the server asked, "host:port" (before any override)
    outcome: WhoisOutcome
    record: WhoisRecord | None = None
    detail: str = ""                     # why, for every outcome but registered / not_registered
    text: str = ""                       # the reply, emails masked

    @property
    def failed(self) -> bool:
        return self.outcome in FAILED_OUTCOMES


def server_for(domain: str, servers: Mapping[str, str]) -> str | None:
    """The WHOIS server of the longest matching suffix (`gov.cn` before `cn`), or None."""
    labels = domain.lower().rstrip(".").split(".")
    for start in range(len(labels)):
        suffix = ".".join(labels[start:])
        if suffix in servers:
            return servers[suffix]
    return None


def dial_address(server: str, overrides: Mapping[str, tuple[str, int]]) -> tuple[str, int]:
    """Where to connect for `server` ("host:port"): an override for its host name, else itself."""
    host, _, port = server.rpartition(":")
    host = host.lower()
    if host in overrides:
        return overrides[host]
    for pattern, target in overrides.items():
        if fnmatch.fnmatchcase(host, pattern):
            return target
    return host, int(port)


#: When each server may next be asked (monotonic seconds): a round asks about many domains at once,
#: and CNNIC answers bursts with "Queried interval is too short".
_next_slot: dict[str, float] = {}


async def _wait_turn(server: str, interval: float) -> None:
    if interval <= 0:
        return
    now = time.monotonic()
    slot = max(now, _next_slot.get(server, 0.0))
    _next_slot[server] = slot + interval
    if slot > now:
        await asyncio.sleep(slot - now)


async def query(domain: str, server: str, *, overrides: Mapping[str, tuple[str, int]] | None = None,
                timeout: float = 10.0, max_bytes: int = 64 * 1024, min_interval: float = 0.0) -> WhoisResult:
    """Ask `server` ("host:port") about `domain`, at least `min_interval` s after the previous
    question to that server; never raises for network trouble, reports it."""
    await _wait_turn(server, min_interval)
    ip, port = dial_address(server, overrides or {})
    try:
        raw = await asyncio.wait_for(_exchange(ip, port, domain, max_bytes), timeout)
    except asyncio.TimeoutError:
        return WhoisResult(domain, server, "timeout", detail=f"no complete reply within {timeout:g} s")
    except _TooLarge:
        return WhoisResult(domain, server, "unparseable", detail=f"reply larger than {max_bytes} bytes")
    except OSError as exc:
        return WhoisResult(domain, server, "connection_error", detail=f"{type(exc).__name__}: {exc}"[:300])
    return classify(domain, server, decode(raw))


class _TooLarge(Exception):
    pass


async def _exchange(ip: str, port: int, domain: str, max_bytes: int) -> bytes:
    reader, writer = await asyncio.open_connection(ip, port)
    try:
        writer.write(domain.encode("idna") + b"\r\n")
        await writer.drain()
        chunks: list[bytes] = []
        size = 0
        while chunk := await reader.read(8192):
            size += len(chunk)
            if size > max_bytes:
                raise _TooLarge
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        writer.close()


def decode(raw: bytes) -> str:
    """CNNIC answers in UTF-8; older servers in GB18030. Undecodable bytes stay visible as U+FFFD."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace")


def classify(domain: str, server: str, text: str) -> WhoisResult:
    """Turn a reply into an outcome. Only a record naming the domain is "registered", and only an
    explicit no-match notice is "not registered"; anything else is unparseable."""
    masked = mask_emails(text)
    record = parse_record(text)
    if record is not None and record.domain_name.lower().rstrip(".") == domain.lower().rstrip("."):
        return WhoisResult(domain, server, "registered", record=record, text=masked)
    if _RATE_LIMITED.search(text):
        return WhoisResult(domain, server, "rate_limited", detail=_first_line(masked), text=masked)
    if record is None and _NOT_FOUND.search(text):
        return WhoisResult(domain, server, "not_registered", text=masked)
    if record is not None:
        detail = f"the reply is about {record.domain_name}, not {domain}"
    elif not text.strip():
        detail = "empty reply"
    else:
        detail = f"no Domain Name line and no no-match notice: {_first_line(masked)!r}"
    return WhoisResult(domain, server, "unparseable", detail=detail, text=masked)


def parse_record(text: str) -> WhoisRecord | None:
    """CNNIC-style `Key: Value` lines -> a record; None without a Domain Name line."""
    lines: list[tuple[str, str]] = []
    for line in text.splitlines():
        match = _FIELD.match(line)
        if match and match.group(2):
            lines.append((match.group(1), mask_emails(match.group(2))))
    values: dict[str, list[str]] = {}
    for key, value in lines:
        values.setdefault(key.lower(), []).append(value)

    def one(key: str) -> str:
        return values.get(key, [""])[0]

    if not one("domain name"):
        return None
    return WhoisRecord(
        domain_name=one("domain name").lower(),
        roid=one("roid"),
        statuses=tuple(values.get("domain status", ())),
        registrant=one("registrant"),
        registrant_email=one("registrant contact email"),
        sponsoring_registrar=one("sponsoring registrar"),
        name_servers=tuple(ns.lower() for ns in values.get("name server", ())),
        registration_time=_parse_time(one("registration time")),
        expiration_time=_parse_time(one("expiration time")),
        dnssec=one("dnssec"),
        lines=tuple(lines),
    )


def _parse_time(value: str) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _first_line(text: str) -> str:
    """The first non-blank line, control bytes shown as "?", for a readable reason in figures."""
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")[:200]
    return "".join(ch if ch.isprintable() else "?" for ch in line)
