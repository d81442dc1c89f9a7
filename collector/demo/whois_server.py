"""Our WHOIS server (RFC 3912) for the demo world and the tests: answers from a dict, on loopback.

It speaks the real protocol over a real socket, so the client is tested as it runs against CNNIC.
Besides records it can misbehave the ways real servers do: a rate-limit notice, silence (the client
must time out), and garbage (the client must not read it as "not registered").
"""
from __future__ import annotations

import asyncio
import threading
from contextlib import contextmanager
from typing import Iterable, Iterator, Mapping, Protocol

NO_MATCH = "No matching record.\r\n"
RATE_LIMITED = "Queried interval is too short.\r\n"
GARBAGE = b"\x00\x1f\xff\xfe<html><body>502 Bad Gateway</body></html>\r\n\x8f\x00"
MAX_QUERY_BYTES = 1024


class WhoisServer:
    """`await server.start()` -> port; `await server.stop()`. Raw request lines are kept in `requests`."""

    def __init__(self, records: Mapping[str, str], *, rate_limited: Iterable[str] = (),
                 silent: Iterable[str] = (), garbage: Iterable[str] = (), host: str = "127.0.0.1",
                 port: int = 0):
        self.records = {domain.lower(): text for domain, text in records.items()}
        self.rate_limited = {d.lower() for d in rate_limited}
        self.silent = {d.lower() for d in silent}
        self.garbage = {d.lower() for d in garbage}
        self.host = host
        self.port = port
        self.requests: list[bytes] = []
        self._server: asyncio.base_events.Server | None = None
        self._open: set[asyncio.StreamWriter] = set()

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._handle, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    async def stop(self) -> None:
        """Stop listening and drop connections still open (the silent ones)."""
        if self._server is None:
            return
        self._server.close()
        for writer in list(self._open):
            writer.close()
        await self._server.wait_closed()
        self._server = None

    def answer(self, domain: str) -> bytes | None:
        """The bytes sent for a query; None for a silent domain (we never answer)."""
        if domain in self.silent:
            return None
        if domain in self.garbage:
            return GARBAGE
        if domain in self.rate_limited:
            return RATE_LIMITED.encode()
        text = self.records.get(domain, NO_MATCH)
        return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._open.add(writer)
        try:
            line = await reader.readuntil(b"\n")
            self.requests.append(line[:MAX_QUERY_BYTES])
            domain = line[:MAX_QUERY_BYTES].decode("utf-8", errors="replace").strip().lower()
            reply = self.answer(domain)
            if reply is None:
                await reader.read()         # until the client gives up and closes
                return
            writer.write(reply)
            await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            pass
        finally:
            self._open.discard(writer)
            writer.close()


class Startable(Protocol):
    async def start(self) -> int: ...
    async def stop(self) -> None: ...


@contextmanager
def serving_in_thread(server: Startable) -> Iterator[int]:
    """Run an async server on its own event loop in a thread (for synchronous tests); yields its port."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name=f"{type(server).__name__}", daemon=True)
    thread.start()
    try:
        port = asyncio.run_coroutine_threadsafe(server.start(), loop).result()
        try:
            yield port
        finally:
            asyncio.run_coroutine_threadsafe(server.stop(), loop).result()
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()


@contextmanager
def whois_server(records: Mapping[str, str], **options: Iterable[str]) -> Iterator[int]:
    """`with whois_server({"lcsd.gov.cn": text}, rate_limited=["x.gov.cn"]) as port: ...`"""
    with serving_in_thread(WhoisServer(records, **options)) as port:  # type: ignore[arg-type]
        yield port
