"""A loopback benchmark web: N government "hosts", each on its own 127.0.0.1 port, answering after a latency.

Each host has its own port, so a client opens one connection per host as it would across a
national registry (one shared port would let it reuse connections across hosts). The server is a
bare asyncio protocol rather than a web framework so that it costs little CPU per request and the
client, measured in the other process, is what the figures describe. HTTP/1.1 with keep-alive,
Content-Length, GET and HEAD; nothing leaves 127.0.0.1.

Usage from a bench: `with loopback_web(n_hosts, latency, page) as ports:` -> list of ports, host i on ports[i].
"""
from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta

#: page(i) -> the body host i serves at every path
PageMaker = Callable[[int], bytes]


def host_name(i: int) -> str:
    return f"www.site{i:04d}.gov.cn"


def list_page(i: int) -> bytes:
    """A small list page (~4 KB), the same for every host: what bench/transport.py fetches."""
    return ("<html><body>" + "<li><a href='/a'>临沧市人民政府 通知公告</a> 2020-06-29</li>" * 60
            + "</body></html>").encode()


def homepage(i: int, today: date = date(2020, 6, 30)) -> bytes:
    """A county portal's homepage (~45 KB): navigation, four dated lists, links, a footer.

    Host i's newest item is i % 40 days old, so some homepages are stale, as in a real registry.
    """
    newest = today - timedelta(days=i % 40)
    nav = "".join(f"<li><a href='/col/col{n}/index.html'>栏目{n}</a></li>" for n in range(30))
    sections = []
    for s, title in enumerate(("要闻动态", "通知公告", "政策文件", "部门动态")):
        rows = "".join(
            f"<li><a href='/art/{(newest - timedelta(days=3 * r + s)):%Y/%m/%d}/art_{s}_{r}.html' "
            f"title='关于做好2020年第{r}批次政务公开工作的通知'>关于做好2020年第{r}批次政务公开工作的通知</a>"
            f"<span class='date'>{(newest - timedelta(days=3 * r + s)).isoformat()}</span></li>"
            for r in range(18))
        sections.append(f"<div class='list'><h3>{title}</h3><ul>{rows}</ul>"
                        f"<a class='more' href='/col/col{s}/index.html'>更多</a></div>")
    filler = "<p class='intro'>" + "临沧市位于云南省西南部，" * 300 + "</p>"
    footer = ("<div class='footer'>主办：临沧市人民政府办公室 网站标识码：5309000001 "
              "滇ICP备05000000号 滇公网安备 53090202000001号 ©2020</div>")
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>站点{i}</title></head><body>"
            f"<div class='nav'><ul>{nav}</ul></div>{''.join(sections)}{filler}{footer}</body></html>").encode()


class _Responder(asyncio.Protocol):
    def __init__(self, answer: bytes, head: bytes, latency: float):
        self.answer = answer
        self.head = head
        self.latency = latency
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        loop = asyncio.get_running_loop()
        while b"\r\n\r\n" in self.buffer:
            request, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
            loop.call_later(self.latency, self._write, self.head if request.startswith(b"HEAD ") else self.answer)

    def _write(self, response: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(response)

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None


def _serve(n_hosts: int, latency: float, page: PageMaker, conn) -> None:  # type: ignore[no-untyped-def]
    async def main() -> None:
        loop = asyncio.get_running_loop()
        ports = []
        servers = []
        for i in range(n_hosts):
            body = page(i)
            head = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                    b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n")
            server = await loop.create_server(lambda h=head, b=body: _Responder(h + b, h, latency), "127.0.0.1", 0,
                                              backlog=512)
            servers.append(server)
            ports.append(server.sockets[0].getsockname()[1])
        conn.send(ports)
        await asyncio.Event().wait()

    asyncio.run(main())


@contextmanager
def loopback_web(n_hosts: int, latency: float, page: PageMaker = list_page) -> Iterator[list[int]]:
    """Serve n_hosts hosts in a child process; yields their ports (host i on ports[i])."""
    parent, child = multiprocessing.Pipe()
    server = multiprocessing.get_context("spawn").Process(target=_serve, args=(n_hosts, latency, page, child),
                                                          daemon=True)
    server.start()
    try:
        if not parent.poll(120):
            raise RuntimeError("the loopback web did not start")
        yield parent.recv()
    finally:
        server.terminate()
        server.join(10)


def resolve_map(ports: list[int]) -> dict[str, str]:
    """--resolve entries sending host i to its port."""
    return {host_name(i): f"127.0.0.1:{port}" for i, port in enumerate(ports)}
