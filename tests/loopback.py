"""A real HTTP server on 127.0.0.1 for tests, serving pages that a test defines per host and path."""
from __future__ import annotations

import asyncio
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from aiohttp import web


@dataclass
class Page:
    body: bytes | str = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/html; charset=utf-8"
    delay: float = 0.0


Handler = Callable[[web.Request], "Page"]


class LoopbackSite:
    """Routes keyed by (host, path); a handler may be a Page or a function of the request."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Page | Handler] = {}
        self.hits: list[tuple[str, str, str]] = []
        self.port = 0

    def add(self, url_host: str, path: str, page: Page | Handler) -> None:
        self.routes[(url_host, path)] = page

    @property
    def resolve(self) -> dict[str, str]:
        return {"*": f"127.0.0.1:{self.port}"}

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        host = request.host.split(":")[0]
        self.hits.append((request.method, host, request.path_qs))
        route = self.routes.get((host, request.path_qs)) or self.routes.get((host, request.path))
        if route is None:
            return web.Response(status=404, text="not found")
        page = route(request) if callable(route) else route
        if page.delay:
            await asyncio.sleep(page.delay)
        body = page.body.encode("utf-8") if isinstance(page.body, str) else page.body
        headers = {"Content-Type": page.content_type, **page.headers}
        return web.Response(status=page.status, body=body if request.method != "HEAD" else None, headers=headers)


@contextmanager
def serve(site: LoopbackSite, host: str = "127.0.0.1", ssl_context: ssl.SSLContext | None = None
          ) -> Iterator[LoopbackSite]:
    """Serve `site` on a free port of `host` (127.0.0.1, or ::1 for IPv6), over TLS with `ssl_context`."""
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    runner_box: dict = {}

    async def start() -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", site._handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        tcp = web.TCPSite(runner, host, 0, ssl_context=ssl_context)
        await tcp.start()
        site.port = tcp._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        runner_box["runner"] = runner

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    ready.wait(10)
    try:
        yield site
    finally:
        asyncio.run_coroutine_threadsafe(runner_box["runner"].cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


class CountingListener:
    """A loopback socket that counts the connections it accepts (and answers each with a tiny page)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while True:
            try:
                connection, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            connection.recv(4096)
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
            connection.close()


@contextmanager
def counting_listener() -> Iterator[CountingListener]:
    listener = CountingListener()
    try:
        yield listener
    finally:
        listener.sock.close()


@contextmanager
def socket_server(handle: Callable[[socket.socket], None]) -> Iterator[int]:
    """A loopback socket server below any HTTP library: each connection it accepts is handed to
    `handle` in a thread of its own and closed after it. Yields the port."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    def serve(connection: socket.socket) -> None:
        try:
            handle(connection)
        except OSError:
            pass  # the client went away: what the tests provoke
        finally:
            connection.close()

    def run() -> None:
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(connection,), daemon=True).start()

    threading.Thread(target=run, daemon=True).start()
    try:
        yield server.getsockname()[1]
    finally:
        server.close()


@contextmanager
def raw_server(answer: Callable[[bytes], bytes]) -> Iterator[tuple[list[bytes], int]]:
    """A loopback server that records each request's bytes and sends `answer(request)`, then closes.
    Yields (the requests, the port)."""
    requests: list[bytes] = []

    def reply(connection: socket.socket) -> None:
        request = connection.recv(65536)
        requests.append(request)
        connection.sendall(answer(request))

    with socket_server(reply) as port:
        yield requests, port
