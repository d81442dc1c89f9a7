"""Enforce the address policy (addresses.py) where connections are opened, not before.

Checking a URL's host name and then letting the HTTP library resolve it again would leave a gap:
a hostile name server can answer "public" to the check and "127.0.0.1" to the connect (DNS
rebinding). So names are resolved once, here, the answers are checked, and the connection goes
to a checked address:

- aiohttp transport: a resolver for its connector (`GuardedResolver`); aiohttp dials exactly the
  addresses the resolver returns and caches only those.
- httpx transport: a network backend for httpcore (`GuardedBackend`) that resolves, checks and
  connects to the checked IP (TLS still verifies the certificate against the host name).
- libcurl transport (curl.py): the name is resolved and checked here, libcurl is given only those
  addresses, and every socket it opens is checked again on the address it is about to dial.
- Literal IP hosts skip name resolution in both libraries, and `ResolveTransport` rewrites host
  names to its mapped IP; `GuardTransport`, just above the library, checks those.
"""
from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver

from collector.fetch.addresses import AddressRefused, IPAddress, host_refusal, ip_refusal, literal_ip


class AddressPolicy:
    """Public addresses only, plus the networks a caller allows (e.g. 127.0.0.1/32 for a test server)."""

    def __init__(self, allowed_networks: Iterable[str] = ()):
        self.allowed = tuple(ipaddress.ip_network(n, strict=False) for n in allowed_networks)

    def _allowed(self, ip: IPAddress) -> bool:
        return any(ip.version == n.version and ip in n for n in self.allowed)

    def check_host(self, host: str) -> None:
        """Refuse names that are never looked up (`localhost`) and refused literal IPs."""
        ip = literal_ip(host)
        if ip is not None and self._allowed(ip):
            return
        reason = host_refusal(host)
        if reason:
            raise AddressRefused(host, reason)

    def check_ip(self, host: str, address: str) -> None:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if self._allowed(ip):
            return
        reason = ip_refusal(ip)
        if reason:
            raise AddressRefused(host, f"resolves to {reason} ({ip})")


def check_mapped(policy: AddressPolicy, named: str, ip: str) -> None:
    """A host `--resolve` sends to `ip`: refused when the policy refuses that address, and the
    refusal says both, the name and where it was sent ("www.a.gov.cn (sent to 127.0.0.1)")."""
    try:
        policy.check_host(ip)
    except AddressRefused as exc:
        raise AddressRefused(f"{named} (sent to {ip})", exc.reason) from None


class GuardedResolver(AbstractResolver):
    """aiohttp resolver: the system's answers, each checked; refused unless every answer is public.

    All answers must pass (not just one): a name that mixes public and private answers is
    exactly what a rebinding attack looks like.
    """

    def __init__(self, policy: AddressPolicy, inner: AbstractResolver | None = None):
        self.policy = policy
        self.inner = inner or ThreadedResolver()

    async def resolve(self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
                      ) -> list[ResolveResult]:
        self.policy.check_host(host)
        answers = await self.inner.resolve(host, port, family)
        for answer in answers:
            self.policy.check_ip(host, answer["host"])
        return answers

    async def close(self) -> None:
        await self.inner.close()


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore network backend: resolve once, check, connect to the checked address."""

    def __init__(self, policy: AddressPolicy, inner: httpcore.AsyncNetworkBackend | None = None):
        self.policy = policy
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None, socket_options: Any = None
                          ) -> httpcore.AsyncNetworkStream:
        self.policy.check_host(host)
        addresses = await self.resolve(host, port)
        for address in addresses:
            self.policy.check_ip(host, address)
        last: Exception | None = None
        for address in addresses:  # every answer was checked; dial them in the order given
            try:
                return await self.inner.connect_tcp(address, port, timeout=timeout, local_address=local_address,
                                                    socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    async def resolve(self, host: str, port: int) -> list[str]:
        """The system resolver's addresses for host, each once, in its order."""
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        if not infos:
            raise OSError(f"no address for {host}")
        return list(dict.fromkeys(str(info[4][0]) for info in infos))

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Any = None) -> httpcore.AsyncNetworkStream:
        raise AddressRefused(path, "a local socket")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class GuardTransport(httpx.AsyncBaseTransport):
    """Checks the host each request will dial when it is already an address (literal or mapped)."""

    def __init__(self, inner: httpx.AsyncBaseTransport, policy: AddressPolicy):
        self.inner = inner
        self.policy = policy

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        named = request.headers.get("host", "").rsplit(":", 1)[0]
        if named and named != host:  # --resolve sent this name to that address
            check_mapped(self.policy, named, host)
        else:
            self.policy.check_host(host)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()
