"""The Fetcher's libcurl transport (pycurl's multi interface driven by the asyncio event loop).

Why: a round is thousands of short requests to thousands of hosts, and in aiohttp each request's
Python work (parser, streams, futures, connector) sits between the answer arriving and the next
being read. libcurl does that work in C; a 2,000-host loopback web is fetched as fast as lychee
(bench/transport.py). What the other transports do for us is kept, the same way:

- the address policy, twice: a name is resolved here (every answer must be public, as
  GuardedResolver requires) and libcurl is given only those checked addresses (CURLOPT_RESOLVE);
  and every socket libcurl opens is checked again on the address it is about to dial
  (CURLOPT_OPENSOCKETFUNCTION), so nothing reaches a refused address whatever libcurl resolves;
- `--resolve`: a mapped host is sent to its address (CURLOPT_CONNECT_TO) with its own Host header
  and TLS name, refused up front when the policy refuses that address;
- no proxy from the environment, http and https only, no redirects followed (the Fetcher follows
  them hop by hop), no decoding (the Fetcher undoes gzip itself under its cap), HTTP/1.1;
- response headers as httpx gave them (direct.header_dict), a cookie jar shared across requests,
  certifi's CA roots (what httpx.create_ssl_context trusts).

Failures are raised as `TransportFailure(kind, detail)` with the Fetcher's error kinds.
"""
from __future__ import annotations

import asyncio
import json
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import certifi
import pycurl
from yarl import URL

from collector.fetch.addresses import AddressRefused
from collector.fetch.direct import header_dict
from collector.fetch.encoding import declared_too_large, over_cap
from collector.fetch.guard import AddressPolicy, check_mapped
from collector.fetch.resolve import DEFAULT_PORTS, MappedTargets

#: How long a name's checked addresses are reused (aiohttp's DNS cache keeps them 10 s too).
DNS_CACHE_SECONDS = 10.0
#: Names looked up at once, at most (and never more than the connections). The system resolver
#: blocks a thread per look-up, and asyncio's default pool has cores + 4 threads: a national round's
#: thousands of distinct hosts would wait for their names a few at a time.
LOOKUP_THREADS = 64

_TLS_ERRORS = frozenset({pycurl.E_SSL_CONNECT_ERROR, pycurl.E_PEER_FAILED_VERIFICATION, pycurl.E_SSL_CACERT_BADFILE,
                         pycurl.E_SSL_CERTPROBLEM, pycurl.E_SSL_CIPHER, pycurl.E_SSL_ENGINE_NOTFOUND,
                         pycurl.E_SSL_ENGINE_SETFAILED, pycurl.E_SSL_SHUTDOWN_FAILED, pycurl.E_SSL_CRL_BADFILE,
                         pycurl.E_SSL_ISSUER_ERROR, getattr(pycurl, "E_SSL_PINNEDPUBKEYNOTMATCH", 90),
                         getattr(pycurl, "E_SSL_INVALIDCERTSTATUS", 91), getattr(pycurl, "E_SSL_CLIENTCERT", 98)})
#: libcurl's errors that mean the certificate, not the handshake, was refused.
_CERTIFICATE_ERRORS = frozenset({pycurl.E_PEER_FAILED_VERIFICATION, pycurl.E_SSL_ISSUER_ERROR,
                                 getattr(pycurl, "E_SSL_INVALIDCERTSTATUS", 91)})


def system_lookup(host: str, port: int) -> list[tuple]:
    """The system resolver's answers for host (getaddrinfo), in a look-up thread."""
    return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)


class TransportFailure(Exception):
    """A request that got no usable answer, as one of the Fetcher's error kinds."""

    def __init__(self, kind: str, detail: str, certificate_refused: bool = False):
        super().__init__(detail)
        self.kind = kind
        self.certificate_refused = certificate_refused


@dataclass
class CurlAnswer:
    status: int
    headers: dict[str, str]
    body: bytes
    #: why the body was not read to its end because of the size cap ("" when it was)
    too_large: str = ""


class _Transfer:
    """One request's state while libcurl runs it: headers, body, progress, and why it stopped."""

    def __init__(self, progress, max_bytes: int, host: str, policy: AddressPolicy | None,  # type: ignore[no-untyped-def]
                 future: asyncio.Future):
        self.progress = progress
        self.max_bytes = max_bytes
        self.host = host
        self.policy = policy
        self.future = future
        self.header_lines: list[bytes] = []
        self.in_head = False
        self.head: dict[str, str] = {}  # the final answer's headers, parsed once its head is complete
        self.chunks: list[bytes] = []
        self.too_large = ""
        self.refused: AddressRefused | None = None

    def header(self, line: bytes) -> int | None:
        if line.startswith(b"HTTP/"):  # a new status line (after a 1xx): its own headers follow
            self.header_lines = []
            self.in_head = True
        elif line in (b"\r\n", b"\n"):
            if self.in_head:  # the head is complete: refuse a declared size over the cap, as the others do
                self.head = self._parsed()
                self.too_large = declared_too_large(self.head, self.max_bytes)
                if self.too_large:
                    return 0  # libcurl stops with CURLE_WRITE_ERROR
            self.in_head = False
            self.progress.phase = "reading the body"
        elif self.in_head:  # not a chunked body's trailer, which the other transports ignore too
            self.header_lines.append(line)
        return None

    def _parsed(self) -> dict[str, str]:
        pairs = []
        for line in self.header_lines:
            name, colon, value = line.partition(b":")
            if colon:
                pairs.append((name.strip(), value.strip()))
            elif pairs and line[:1] in (b" ", b"\t"):  # an obsolete folded continuation line
                pairs[-1] = (pairs[-1][0], pairs[-1][1] + b" " + line.strip())
        return header_dict(tuple(pairs))

    def write(self, chunk: bytes) -> int | None:
        self.progress.bytes += len(chunk)
        if self.progress.bytes > self.max_bytes:
            self.too_large = over_cap(self.max_bytes)
            return 0
        self.chunks.append(chunk)
        return None

    def open_socket(self, purpose: int, address: tuple) -> socket.socket | int:
        """CURLOPT_OPENSOCKETFUNCTION: the address about to be dialled, checked before the socket exists."""
        family, socktype, protocol, sockaddr = address
        if self.policy is not None:
            try:
                self.policy.check_ip(self.host, str(sockaddr[0]))
            except AddressRefused as exc:
                self.refused = exc
                return pycurl.SOCKET_BAD
        return socket.socket(family, socktype, protocol)


class CurlSession:
    """Open inside the running loop (`await open()`), then `await session.fetch(...)`."""

    def __init__(self, mapping: dict[str, str], policy: AddressPolicy | None, connections: int,
                 headers: dict[str, str]):
        self.policy = policy
        self.connections = connections
        self.header_lines = [f"{name}: {value}" for name, value in headers.items()] + ["Expect:"]
        self._target = MappedTargets(mapping)
        self._checked: dict[tuple[str, int], tuple[float, str]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._multi: pycurl.CurlMulti | None = None
        self._share: pycurl.CurlShare | None = None
        self._transfers: dict[pycurl.Curl, _Transfer] = {}
        self._watched: dict[int, tuple[bool, bool]] = {}
        self._timer: asyncio.TimerHandle | None = None
        self._lookups: ThreadPoolExecutor | None = None

    async def open(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._share = pycurl.CurlShare()
        self._share.setopt(pycurl.SH_SHARE, pycurl.LOCK_DATA_COOKIE)
        self._multi = pycurl.CurlMulti()
        self._multi.setopt(pycurl.M_SOCKETFUNCTION, self._watch)
        self._multi.setopt(pycurl.M_TIMERFUNCTION, self._set_timer)
        self._multi.setopt(pycurl.M_MAX_TOTAL_CONNECTIONS, self.connections)
        self._multi.setopt(pycurl.M_MAXCONNECTS, self.connections)
        self._lookups = ThreadPoolExecutor(max_workers=max(1, min(LOOKUP_THREADS, self.connections)),
                                           thread_name_prefix="curl-lookup")

    async def close(self) -> None:
        if self._multi is None:
            return
        if self._lookups is not None:
            self._lookups.shutdown(wait=False, cancel_futures=True)
        for handle, transfer in list(self._transfers.items()):
            self._drop(handle)
            if not transfer.future.done():
                transfer.future.cancel()
        if self._timer is not None:
            self._timer.cancel()
        for fd in list(self._watched):
            self._unwatch(fd)
        self._multi.close()
        self._multi = None

    # --- the event loop drives libcurl -------------------------------------------------------------

    def _watch(self, what: int, fd: int, multi: object, data: object) -> None:
        """CURLMOPT_SOCKETFUNCTION: libcurl says which of its sockets to wait on, and for what."""
        self._unwatch(fd)
        if what == pycurl.POLL_REMOVE:
            return
        assert self._loop is not None
        reading = what in (pycurl.POLL_IN, pycurl.POLL_INOUT)
        writing = what in (pycurl.POLL_OUT, pycurl.POLL_INOUT)
        if reading:
            self._loop.add_reader(fd, self._act, fd, pycurl.CSELECT_IN)
        if writing:
            self._loop.add_writer(fd, self._act, fd, pycurl.CSELECT_OUT)
        self._watched[fd] = (reading, writing)

    def _unwatch(self, fd: int) -> None:
        watched = self._watched.pop(fd, None)
        if watched is None or self._loop is None:
            return
        if watched[0]:
            self._loop.remove_reader(fd)
        if watched[1]:
            self._loop.remove_writer(fd)

    def _set_timer(self, milliseconds: int) -> None:
        """CURLMOPT_TIMERFUNCTION: when libcurl next needs to be called without a socket event."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if milliseconds >= 0 and self._loop is not None:
            self._timer = self._loop.call_later(milliseconds / 1000, self._act, pycurl.SOCKET_TIMEOUT, 0)

    def _act(self, fd: int, event: int) -> None:
        if self._multi is None:
            return
        while self._multi.socket_action(fd, event)[0] == pycurl.E_CALL_MULTI_PERFORM:
            pass
        while True:
            queued, done, failed = self._multi.info_read()
            for handle in done:
                self._finish(handle, 0, "")
            for handle, code, message in failed:
                self._finish(handle, code, message)
            if not queued:
                break

    def _finish(self, handle: pycurl.Curl, code: int, message: str) -> None:
        transfer = self._transfers.get(handle)
        if transfer is None:
            return
        self._drop(handle)
        if not transfer.future.done():
            transfer.future.set_result((code, message))

    def _drop(self, handle: pycurl.Curl) -> None:
        if self._transfers.pop(handle, None) is not None and self._multi is not None:
            self._multi.remove_handle(handle)

    # --- requests ------------------------------------------------------------------------------------

    async def _checked_addresses(self, host: str, port: int) -> str:
        """The name's addresses, every one allowed by the policy (else AddressRefused), comma-joined."""
        key = (host, port)
        cached = self._checked.get(key)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        assert self.policy is not None and self._loop is not None  # _routing has checked the name itself
        try:
            infos = await self._loop.run_in_executor(self._lookups, system_lookup, host, port)
        except OSError as exc:
            raise TransportFailure("dns", f"could not resolve {host}: {exc}") from exc
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        if not addresses:
            raise TransportFailure("dns", f"no address for {host}")
        for address in addresses:
            self.policy.check_ip(host, address)
        joined = ",".join(f"[{a}]" if ":" in a else a for a in addresses)
        self._checked[key] = (time.monotonic() + DNS_CACHE_SECONDS, joined)
        return joined

    async def _routing(self, scheme: str, host: str, port: int | None) -> tuple[list[str], list[str]]:
        """CURLOPT_CONNECT_TO and CURLOPT_RESOLVE entries for one request (checked by the policy)."""
        named = f"[{host}]" if ":" in host else host
        target = self._target(host)
        if target is not None:
            ip, _, mapped_port = target.rpartition(":")
            if self.policy is not None:
                check_mapped(self.policy, named, ip)
            bare = ip.strip("[]")
            return [f"{named}::{f'[{bare}]' if ':' in bare else bare}:{mapped_port}"], []
        if self.policy is None:
            return [], []
        self.policy.check_host(host)  # a literal address: dialled without a look-up
        if _is_literal(host):
            return [], []
        port = port or DEFAULT_PORTS[scheme]
        return [], [f"{named}:{port}:{await self._checked_addresses(host, port)}"]

    async def fetch(self, method: str, url: str, progress, max_bytes: int,  # type: ignore[no-untyped-def]
                    body: bytes | None = None, extra_headers: tuple[str, ...] = ()) -> CurlAnswer:
        """One request, no redirect followed, its raw body read whole (up to `max_bytes`)."""
        assert self._multi is not None and self._loop is not None, "open() the session first"
        sent, scheme, host, port = _origin(url)
        connect_to, resolve = await self._routing(scheme, host, port)
        handle = pycurl.Curl()
        transfer = _Transfer(progress, max_bytes, host, self.policy, self._loop.create_future())
        self._configure(handle, method, sent, transfer, connect_to, resolve, body, extra_headers)
        self._transfers[handle] = transfer
        self._multi.add_handle(handle)
        self._set_timer(0)
        try:
            code, message = await transfer.future
        except BaseException:  # the deadline (cancelled): take the request off libcurl's hands
            self._drop(handle)
            handle.close()
            raise
        status = handle.getinfo(pycurl.RESPONSE_CODE)
        handle.close()
        if transfer.too_large:
            return CurlAnswer(status, transfer.head, b"", transfer.too_large)
        if code:
            if transfer.refused is not None:  # no address it was allowed to dial answered
                raise transfer.refused
            raise _failure(code, message, progress.phase == "reading the body")
        return CurlAnswer(status, transfer.head, b"".join(transfer.chunks))

    def _configure(self, handle: pycurl.Curl, method: str, url: str, transfer: _Transfer, connect_to: list[str],
                   resolve: list[str], body: bytes | None, extra_headers: tuple[str, ...]) -> None:
        handle.setopt(pycurl.URL, url)
        handle.setopt(pycurl.PROTOCOLS, pycurl.PROTO_HTTP | pycurl.PROTO_HTTPS)
        handle.setopt(pycurl.NOSIGNAL, 1)
        handle.setopt(pycurl.PROXY, "")  # never a proxy from the environment
        handle.setopt(pycurl.FOLLOWLOCATION, 0)
        handle.setopt(pycurl.HTTP_CONTENT_DECODING, 0)
        handle.setopt(pycurl.HTTP_VERSION, pycurl.CURL_HTTP_VERSION_1_1)
        handle.setopt(pycurl.CAINFO, certifi.where())
        handle.setopt(pycurl.HTTPHEADER, self.header_lines + list(extra_headers))
        handle.setopt(pycurl.SHARE, self._share)
        handle.setopt(pycurl.COOKIEFILE, "")  # the cookie engine on, in memory
        handle.setopt(pycurl.HEADERFUNCTION, transfer.header)
        handle.setopt(pycurl.WRITEFUNCTION, transfer.write)
        handle.setopt(pycurl.OPENSOCKETFUNCTION, transfer.open_socket)
        if connect_to:
            handle.setopt(pycurl.CONNECT_TO, connect_to)
        if resolve:
            handle.setopt(pycurl.RESOLVE, resolve)
        if method == "HEAD":
            handle.setopt(pycurl.NOBODY, 1)
        elif body is not None:
            handle.setopt(pycurl.POSTFIELDS, body)
            if method != "POST":
                handle.setopt(pycurl.CUSTOMREQUEST, method)
        elif method != "GET":
            handle.setopt(pycurl.CUSTOMREQUEST, method)

    async def post_json(self, url: str, payload: dict) -> int:
        answer = await self.fetch("POST", url, _Unwatched(), 1024 * 1024, body=json.dumps(payload).encode(),
                                  extra_headers=("Content-Type: application/json",))
        return answer.status


class _Unwatched:
    """Progress nobody reads (a POST outside the Fetcher's deadline bookkeeping)."""

    phase = ""
    bytes = 0


def _is_literal(host: str) -> bool:
    try:
        socket.inet_pton(socket.AF_INET6 if ":" in host else socket.AF_INET, host)
    except OSError:
        return False
    return True


def _origin(url: str) -> tuple[str, str, str, int | None]:
    """(URL as sent, scheme, host, explicit port): encoded as the aiohttp transport sends it (yarl:
    non-ASCII and unsafe characters percent-encoded, an IDN host in punycode), since libcurl takes
    ASCII only; TransportFailure("invalid_url") when it cannot be parsed."""
    try:
        parsed = URL(url)
        sent = str(parsed)
        host = parsed.raw_host or ""
        port = parsed.explicit_port
    except (ValueError, UnicodeError) as exc:
        raise TransportFailure("invalid_url", f"{type(exc).__name__}: {exc}") from None
    if parsed.scheme not in DEFAULT_PORTS or not host:
        raise TransportFailure("invalid_url", f"not an http(s) URL with a host: {url}")
    if not sent.isascii():
        raise TransportFailure("invalid_url", f"cannot be sent as ASCII: {url}")
    return sent, parsed.scheme, host, port


def _failure(code: int, message: str, in_body: bool) -> TransportFailure:
    """libcurl's error as the Fetcher's kind (the same kinds the other transports' errors map to)."""
    detail = f"curl error {code}: {message}"
    kind: str
    if code == pycurl.E_OPERATION_TIMEDOUT:
        kind = "timeout"
    elif code == pycurl.E_COULDNT_RESOLVE_HOST:
        kind = "dns"
    elif code in _TLS_ERRORS:
        return TransportFailure("tls", detail, certificate_refused=code in _CERTIFICATE_ERRORS)
    elif code == pycurl.E_URL_MALFORMAT or (code == pycurl.E_UNSUPPORTED_PROTOCOL and "HTTP/0.9" not in message):
        kind = "invalid_url"
    elif code == pycurl.E_PARTIAL_FILE:
        kind = "truncated"
    elif "chunk" in message.lower():
        kind = "protocol"  # broken chunked framing, not merely a short body
    elif code in (pycurl.E_COULDNT_CONNECT, pycurl.E_GOT_NOTHING, pycurl.E_RECV_ERROR, pycurl.E_SEND_ERROR):
        kind = "truncated" if in_body else "connect"
    else:
        kind = "protocol"
    return TransportFailure(kind, detail)

