"""Send requests for chosen host names to another address, keeping the Host header (curl --resolve).

This is how the demo world serves every Lincang host name from one loopback port without
touching /etc/hosts, and how tests guarantee that no request leaves 127.0.0.1: the pattern `*`
maps every host.
"""
from __future__ import annotations

import fnmatch

import httpx


def parse_resolve(specs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """`["*=127.0.0.1:8123", "www.a.gov.cn=127.0.0.1:9000"]` -> {pattern: "ip:port"}."""
    mapping: dict[str, str] = {}
    for spec in specs:
        pattern, sep, target = spec.partition("=")
        ip, colon, port = target.strip().rpartition(":")
        if not sep or not pattern.strip() or not colon or not ip or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f"--resolve {spec!r}: expected HOST_PATTERN=IP:PORT")
        mapping[pattern.strip().lower()] = target.strip()
    return mapping


def mapped_target(mapping: dict[str, str], host: str) -> str | None:
    """The "ip:port" `mapping` sends `host` to: an exact name first, then the first matching pattern."""
    host = host.lower()
    if host in mapping:
        return mapping[host]
    for pattern, target in mapping.items():
        if fnmatch.fnmatchcase(host, pattern):
            return target
    return None


#: The port a URL without one is dialled on.
DEFAULT_PORTS = {"http": 80, "https": 443}


class MappedTargets:
    """`mapped_target` per host name, remembered: a pure function of the name, asked for every
    request of a round (the patterns are matched once per host, not once per request)."""

    def __init__(self, mapping: dict[str, str]):
        self.mapping = mapping
        self._known: dict[str, str | None] = {}

    def __call__(self, host: str) -> str | None:
        if not self.mapping:
            return None
        if host not in self._known:
            self._known[host] = mapped_target(self.mapping, host)
        return self._known[host]


class ResolveTransport(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport, mapping: dict[str, str]):
        self.inner = inner
        self.mapping = mapping

    def target_for(self, host: str) -> str | None:
        return mapped_target(self.mapping, host)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        target = self.target_for(request.url.host)
        if target is not None:
            ip, _, port = target.rpartition(":")
            headers = request.headers.copy()
            headers.setdefault("Host", request.url.netloc.decode("ascii"))
            request = httpx.Request(
                request.method, request.url.copy_with(host=ip, port=int(port)),
                headers=headers, stream=request.stream, extensions=request.extensions,
            )
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()
