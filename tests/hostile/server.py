"""A hostile HTTP server on 127.0.0.1: one misbehaviour per host name, written at the socket level.

aiohttp's server would refuse to misbehave (it frames, buffers and times out correctly), so each
behaviour writes raw bytes: headers a byte at a time, bodies that never end or stop short, resets,
bombs. The server counts accepted connections and records every request head it managed to read.
"""
from __future__ import annotations

import asyncio
import gzip
import socket
import struct
import threading
import zlib
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import date

Writer = asyncio.StreamWriter
Behaviour = Callable[["HostileServer", str, str, Writer, asyncio.StreamReader], Awaitable[None]]

#: Long enough that a client without an overall deadline would still be waiting when a test ends.
FOREVER_SECONDS = 120.0


def _head(status: str, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers.items()), "Connection: close", "", ""]
    return "\r\n".join(lines).encode("latin-1")


def homepage(today: date, links: tuple[str, ...] = ()) -> str:
    items = "".join(f'<li><a href="{href}">通知 {i}</a><span>{today.isoformat()}</span></li>'
                    for i, href in enumerate(links or ("/a.html",)))
    return f"<html><head><title>人民政府</title></head><body><ul>{items}</ul></body></html>"


async def _send(writer: Writer, status: str, body: bytes, headers: dict[str, str] | None = None,
                method: str = "GET") -> None:
    head = {"Content-Type": "text/html; charset=utf-8", "Content-Length": str(len(body)), **(headers or {})}
    writer.write(_head(status, head) + (body if method != "HEAD" else b""))
    await writer.drain()


class HostileServer:
    def __init__(self, today: date, gzip_bomb_bytes: int = 64 * 1024 * 1024):
        self.today = today
        self.port = 0
        self.connections = 0
        self.requests: list[tuple[str, str, str]] = []  # (method, host, path)
        self.behaviours: dict[str, Behaviour] = {}
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
        block = b"\0" * (1024 * 1024)
        self.gzip_bomb = b"".join([*(compressor.compress(block) for _ in range(gzip_bomb_bytes // len(block))),
                                   compressor.flush()])

    def host(self, name: str, behaviour: Behaviour) -> None:
        self.behaviours[name] = behaviour

    @property
    def resolve(self) -> dict[str, str]:
        return {"*": f"127.0.0.1:{self.port}"}

    async def _connection(self, reader: asyncio.StreamReader, writer: Writer) -> None:
        self.connections += 1
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            request_line, *header_lines = head.decode("latin-1").split("\r\n")
            method, path, _ = request_line.split(" ", 2)
            headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in header_lines if h)}
            host = headers.get("host", "").rsplit(":", 1)[0]
            self.requests.append((method, host, path))
            behaviour = self.behaviours.get(host)
            if behaviour is None:
                await _send(writer, "404 Not Found", b"no such host", method=method)
            else:
                await behaviour(self, method, path, writer, reader)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, ValueError):
            pass
        finally:
            if not writer.is_closing():
                writer.close()

    def requests_for(self, host: str) -> list[tuple[str, str]]:
        return [(method, path) for method, h, path in self.requests if h == host]


# --- behaviours -----------------------------------------------------------------------------------

async def good_site(server: HostileServer, method: str, path: str, writer: Writer, reader: asyncio.StreamReader,
                    links: tuple[str, ...] = ("/a.html",)) -> None:
    body = homepage(server.today, links) if path == "/" else "<html><body><p>正文内容</p></body></html>"
    await _send(writer, "200 OK", body.encode("utf-8"), method=method)


async def slowloris_headers(server, method, path, writer, reader) -> None:
    """A status line, then header bytes one at a time, never the blank line that ends them."""
    writer.write(b"HTTP/1.1 200 OK\r\n")
    for _ in range(int(FOREVER_SECONDS / 0.2)):
        writer.write(b"X")
        await writer.drain()
        await asyncio.sleep(0.2)


async def slow_body(server, method, path, writer, reader) -> None:
    """Prompt headers, then ten bytes of body every 0.2 s: each read is quick, the whole never ends."""
    writer.write(_head("200 OK", {"Content-Type": "text/html; charset=utf-8", "Content-Length": "1000000"}))
    for _ in range(int(FOREVER_SECONDS / 0.2)):
        writer.write(b"<p>slow</p>"[:10])
        await writer.drain()
        await asyncio.sleep(0.2)


async def never_answers(server, method, path, writer, reader) -> None:
    """Accepts and reads the request, then says nothing until the client gives up."""
    await asyncio.wait_for(reader.read(), FOREVER_SECONDS)


async def connection_reset(server, method, path, writer, reader) -> None:
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close with RST
    writer.transport.abort()


async def redirect_loop(server, method, path, writer, reader) -> None:
    target = "/b" if path == "/" else "/"
    await _send(writer, "302 Found", b"", {"Location": target}, method)


async def redirect_to_metadata(server, method, path, writer, reader) -> None:
    """A redirect to the cloud metadata address: the classic server-side request forgery."""
    await _send(writer, "302 Found", b"", {"Location": "http://169.254.169.254/latest/meta-data/"}, method)


async def huge_body(server, method, path, writer, reader) -> None:
    """No Content-Length, and a body that goes on (64 KB writes) until the client hangs up."""
    writer.write(_head("200 OK", {"Content-Type": "text/html; charset=utf-8"}))
    chunk = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>\n"
    for _ in range(100_000):
        writer.write(chunk)
        await writer.drain()


async def gzip_bomb(server, method, path, writer, reader) -> None:
    await _send(writer, "200 OK", server.gzip_bomb, {"Content-Encoding": "gzip"}, method)


async def lying_charset(server, method, path, writer, reader) -> None:
    """Says UTF-8 in the header; the page is GBK (and says gb2312 in its meta)."""
    html = homepage(server.today).replace("<head>", '<head><meta charset="gb2312">')
    await _send(writer, "200 OK", html.encode("gb18030"), {"Content-Type": "text/html; charset=utf-8"}, method)


async def too_many_requests(server, method, path, writer, reader) -> None:
    await _send(writer, "429 Too Many Requests", b"slow down", {"Retry-After": "3600"}, method)


async def unavailable(server, method, path, writer, reader) -> None:
    await _send(writer, "503 Service Unavailable", b"busy", method=method)


async def truncated_body(server, method, path, writer, reader) -> None:
    """Content-Length promises 5000 bytes; 100 arrive, then the connection closes."""
    writer.write(_head("200 OK", {"Content-Type": "text/html; charset=utf-8", "Content-Length": "5000"}) + b"<" * 100)
    await writer.drain()


async def head_not_allowed(server, method, path, writer, reader) -> None:
    """HEAD is 405 everywhere; GET works (a visitor never notices)."""
    if method == "HEAD":
        await _send(writer, "405 Method Not Allowed", b"", method=method)
    else:
        await good_site(server, method, path, writer, reader, links=("/a.html", "/file.pdf"))


async def bad_chunked(server, method, path, writer, reader) -> None:
    writer.write(_head("200 OK", {"Content-Type": "text/html", "Transfer-Encoding": "chunked"})
                 + b"zz\r\nnot a chunk size\r\n0\r\n\r\n")
    await writer.drain()


def gzipped(text: str) -> bytes:
    return gzip.compress(text.encode("utf-8"))


@contextmanager
def serve(server: HostileServer) -> Iterator[HostileServer]:
    """Run the server in a thread with its own event loop (the client under test has another)."""
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    box: dict = {}

    async def start() -> None:
        box["server"] = await asyncio.start_server(server._connection, "127.0.0.1", 0)
        server.port = box["server"].sockets[0].getsockname()[1]

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    ready.wait(10)
    try:
        yield server
    finally:
        async def stop() -> None:
            box["server"].close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        asyncio.run_coroutine_threadsafe(stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
