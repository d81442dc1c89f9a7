"""The Fetcher's own aiohttp session: nothing between a round and the socket but aiohttp.

Going through httpx (client, request and response models, URL parsing, headers) into aiohttp
(httpx-aiohttp) cost more CPU per request than aiohttp itself: 0.8 ms of a request's ~1 ms. This
session speaks aiohttp directly and keeps what those layers did for us, the same way:

- `--resolve` (resolve.py): a mapped host's request goes to the mapped address with its own Host
  header, as ResolveTransport does; the policy checks that address before anything is dialled
  ("refused www.a.gov.cn (sent to 127.0.0.1)");
- the address policy (guard.py): the connector's resolver is GuardedResolver, so every name is
  checked on the addresses it resolves to, where the connection opens; a literal IP host, which
  aiohttp dials without asking the resolver, is checked here before the request is made;
- response headers as httpx gave them: names lower-cased, repeated headers joined with ", ",
  bytes decoded as ASCII, else UTF-8, else Latin-1 (a raw GBK Location header stays as httpx read it);
- a cookie jar per host, IP hosts included, as the httpx client kept one.
"""
from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import aiohttp
import httpx
from yarl import URL

from collector.fetch.guard import AddressPolicy, GuardedResolver, check_mapped
from collector.fetch.resolve import DEFAULT_PORTS, MappedTargets



@dataclass(frozen=True)
class Answer:
    """The status line and headers of a response whose body is still to be read (`body`)."""

    status: int
    headers: dict[str, str]
    body: aiohttp.StreamReader


def header_dict(raw: tuple[tuple[bytes, bytes], ...]) -> dict[str, str]:
    """Lower-cased names, repeated headers joined with ", ", decoded the way httpx decodes them."""
    pairs: list[tuple[str, str]] | None = None
    for encoding in ("ascii", "utf-8"):
        try:
            pairs = [(k.decode(encoding).lower(), v.decode(encoding)) for k, v in raw]
            break
        except UnicodeDecodeError:
            continue
    if pairs is None:
        pairs = [(k.decode("iso-8859-1").lower(), v.decode("iso-8859-1")) for k, v in raw]
    headers: dict[str, str] = {}
    for name, value in pairs:
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


class DirectSession:
    """Open inside the running loop (`await open()`), then `async with session.request(...) as answer`."""

    def __init__(self, mapping: dict[str, str], policy: AddressPolicy | None, connections: int,
                 headers: dict[str, str]):
        self.policy = policy
        self.connections = connections
        self.headers = headers
        self._target = MappedTargets(mapping)
        self._literal_ok: set[str] = set()  # hosts check_host passed (a pure function of the name)
        self._session: aiohttp.ClientSession | None = None

    async def open(self) -> None:
        # The SSL context httpx would build (certifi's roots), so both transports trust the same CAs.
        connector = aiohttp.TCPConnector(limit=self.connections, keepalive_timeout=5.0,
                                         ssl=httpx.create_ssl_context(trust_env=False),
                                         resolver=GuardedResolver(self.policy) if self.policy is not None else None)
        self._session = aiohttp.ClientSession(connector=connector, trust_env=False, auto_decompress=False,
                                              cookie_jar=aiohttp.CookieJar(unsafe=True),
                                              timeout=aiohttp.ClientTimeout(total=None))

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    def _check_literal(self, host: str) -> None:
        """A literal address is dialled without a look-up, so GuardedResolver never sees it: check it here."""
        if host not in self._literal_ok:
            self.policy.check_host(host)  # type: ignore[union-attr]
            self._literal_ok.add(host)

    def prepare(self, url: str) -> tuple[URL, dict[str, str]]:
        """The URL to dial and the request headers: a mapped host goes to its address, keeping its name."""
        target_url = URL(url)
        headers = self.headers
        host = target_url.raw_host or ""
        target = self._target(host)
        if target is None and self.policy is not None:
            self._check_literal(host)
        if target is not None:
            ip, _, port = target.rpartition(":")
            named = host if ":" not in host else f"[{host}]"
            if self.policy is not None:
                check_mapped(self.policy, named, ip)
            netloc = named
            if target_url.explicit_port is not None and target_url.explicit_port != DEFAULT_PORTS.get(target_url.scheme):
                netloc = f"{named}:{target_url.explicit_port}"
            target_url = target_url.with_host(ip.strip("[]")).with_port(int(port))
            headers = {**headers, "Host": netloc}
        return target_url, headers

    @asynccontextmanager
    async def send(self, method: str, target_url: URL, headers: dict[str, str]) -> AsyncIterator[Answer]:
        """A request to what `prepare` returned; the body is read from the answer inside the block."""
        assert self._session is not None, "open() the session first"
        async with self._session.request(method, target_url, headers=headers, allow_redirects=False,
                                         compress=False) as response:
            yield Answer(response.status, header_dict(response.raw_headers), response.content)

    async def post_json(self, url: str, payload: dict) -> int:
        assert self._session is not None, "open() the session first"
        target_url, headers = self.prepare(url)
        async with self._session.post(target_url, json=payload, headers=headers, allow_redirects=False) as response:
            await response.read()
            return response.status
