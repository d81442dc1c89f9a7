"""The collector's HTTP client: polite per host, fast across hosts, never hangs, never lies.

- per-host concurrency limit and a politeness delay between requests to the same host;
- the indicator's 15 s as an overall deadline per attempt: connect, headers and the whole body
  (a per-read timeout lets a server that trickles a byte every few seconds hold a request for
  minutes; the deadline does not);
- retries with exponential backoff for transient errors only (connect errors, timeouts, 502/503/504,
  429), honouring Retry-After up to a cap (a longer Retry-After is not waited for: no retry), and
  bounded per round: at most `retry_budget_per_host` retries per host and `retry_budget_per_round`
  in all, so one hostile host cannot multiply a round's time (`start_round` resets the budgets);
- a redirect limit and a response-size cap on the raw body and on the decoded one (gzip bombs);
  decoding and, for big pages, charset detection run in a worker thread, off the event loop;
- public addresses only (addresses.py, guard.py), checked on every hop where the connection is
  opened, unless `allow_private_addresses` (the demo world and tests) or `allowed_private_networks`;
- charset detection for GBK/GB2312/GB18030 pages (see charset.py).

The numbers (FetchSettings defaults): 15 s per attempt, 2 retries per request (waits 0.5 s, then
1 s, or a Retry-After of up to 30 s), at most 6 retries per host and 200 in all per round, 5
redirects, 20 MB raw and 20 MB decoded, 64 requests in flight (waiting for one of those slots is
outside the deadline), 4 per host. So an attempt never lasts beyond 15 s however a server
trickles, and a hostile host adds at most 6 retries (6 x (15 s + 30 s)) to a whole round.

The transport is swappable: `"curl"` (the default) is libcurl through pycurl's multi interface on
the event loop (curl.py), the fastest by far; `"aiohttp"` speaks aiohttp directly (direct.py);
`"httpx"` is httpx with its own connection pool, `"httpx-aiohttp"` httpx's client over aiohttp (both
cost much more CPU per request; bench/transport.py measures them all). Every one keeps the same
guard, deadline, caps and error kinds (tests/collector/test_fetch.py and tests/hostile run on each).
A transport passed to Fetcher is an httpx transport.
"""
from __future__ import annotations

import asyncio
import email.utils
import ssl
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from functools import cached_property
from typing import Literal
from urllib.parse import urljoin, urlsplit

import aiohttp
import httpx

from collector.fetch.addresses import AddressRefused
from collector.fetch.charset import decode_html
from collector.fetch.curl import CurlSession, TransportFailure
from collector.fetch.direct import DirectSession
from collector.fetch.encoding import (ACCEPT_ENCODING, TooLarge, Undecodable, declared_too_large, decode_body,
                                      over_cap)
from collector.fetch.guard import AddressPolicy, GuardedBackend, GuardedResolver, GuardTransport
from collector.fetch.resolve import ResolveTransport

ErrorKind = Literal["timeout", "dns", "connect", "tls", "too_large", "too_many_redirects", "protocol", "invalid_url",
                    "truncated", "refused_address"]
#: Bodies above this size have their charset detected in a worker thread, not on the event loop.
DECODE_IN_THREAD_BYTES = 256 * 1024
TRANSIENT_STATUSES = frozenset({429, 502, 503, 504})
#: How a `tls` error's detail begins when the certificate, not the handshake, was refused, on every
#: transport (https_ipv6 tells an invalid certificate from no HTTPS at all by it, not by library words).
CERTIFICATE_NOT_TRUSTED = "certificate not trusted"
USER_AGENT = "GovCensus/0.1 (government website census; polite monitor)"
#: What every request sends, whichever transport (httpx adds "Accept: */*" by itself; aiohttp too).
REQUEST_HEADERS = {"User-Agent": USER_AGENT, "Accept": "*/*", "Accept-Language": "zh-CN,zh;q=0.9",
                   "Accept-Encoding": ACCEPT_ENCODING}


@dataclass(frozen=True)
class FetchResult:
    url: str
    final_url: str
    status: int | None
    content: bytes = b""
    content_type: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    elapsed_ms: float = 0.0
    attempts: int = 1
    redirects: int = 0
    error: ErrorKind | None = None
    error_detail: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 400

    @property
    def failure(self) -> str:
        """Why the fetch did not give a usable page: the error kind, or the HTTP status."""
        return self.error or f"HTTP {self.status}"

    @cached_property
    def decoded(self) -> tuple[str, str]:
        return decode_html(self.content, self.content_type)

    @property
    def text(self) -> str:
        return self.decoded[0]

    @property
    def encoding(self) -> str:
        return self.decoded[1]


@dataclass
class FetchSettings:
    timeout_seconds: float = 15.0
    per_host_concurrency: int = 4
    politeness_delay_seconds: float = 0.0
    retries: int = 2
    backoff_seconds: float = 0.5
    max_retry_after_seconds: float = 30.0
    max_redirects: int = 5
    max_bytes: int = 20 * 1024 * 1024
    total_concurrency: int = 64
    transport: Literal["curl", "aiohttp", "httpx", "httpx-aiohttp"] = "curl"
    resolve: dict[str, str] = field(default_factory=dict)
    #: Retries one host may cost in one round, and all hosts together (see Fetcher.start_round).
    retry_budget_per_host: int = 6
    retry_budget_per_round: int = 200
    #: Connect to loopback, private, link-local ... addresses too (the demo world, tests).
    allow_private_addresses: bool = False
    #: Or only to these networks ("127.0.0.1/32"): a test server, with everything else still refused.
    allowed_private_networks: tuple[str, ...] = ()

    @property
    def policy(self) -> AddressPolicy | None:
        """None when any address is allowed."""
        return None if self.allow_private_addresses else AddressPolicy(self.allowed_private_networks)


def make_transport(settings: FetchSettings) -> httpx.AsyncBaseTransport:
    """The HTTP library under httpx, with the address policy where it connects, under --resolve's mapping.

    "aiohttp" here means httpx-aiohttp: the Fetcher itself uses DirectSession for it.
    """
    limits = httpx.Limits(max_connections=settings.total_concurrency,
                          max_keepalive_connections=settings.total_concurrency)
    policy = settings.policy
    inner: httpx.AsyncBaseTransport
    if settings.transport != "httpx":
        from httpx_aiohttp import AiohttpTransport

        aio = AiohttpTransport(limits=limits, trust_env=False)
        if policy is not None:
            aio.client = lambda: _guarded_session(aio, limits, policy)  # type: ignore[assignment]
        inner = aio
    else:
        inner = httpx.AsyncHTTPTransport(limits=limits, trust_env=False)
        if policy is not None:  # httpx offers no parameter for it; the pool reads this attribute per connection
            inner._pool._network_backend = GuardedBackend(policy)  # type: ignore[attr-defined]
    if policy is not None:
        inner = GuardTransport(inner, policy)
    return ResolveTransport(inner, settings.resolve) if settings.resolve else inner


def _guarded_session(transport, limits: httpx.Limits, policy: AddressPolicy):
    """The session httpx-aiohttp would build, with our resolver (made inside the running loop)."""
    import aiohttp

    connector = aiohttp.TCPConnector(keepalive_timeout=limits.keepalive_expiry, ssl=transport.ssl_context,
                                     limit=limits.max_connections or 0, resolver=GuardedResolver(policy))
    return aiohttp.ClientSession(connector=connector)


class _Progress:
    """How far an attempt got, so a deadline hit can say in which phase it stopped."""

    def __init__(self) -> None:
        self.phase = "connecting or waiting for the headers"
        self.bytes = 0

    def describe(self) -> str:
        return f"{self.phase}, {self.bytes} bytes of body read" if self.bytes else self.phase


class Fetcher:
    """Use as `async with Fetcher(settings) as fetcher: await fetcher.get(url)`."""

    def __init__(self, settings: FetchSettings | None = None, transport: httpx.AsyncBaseTransport | None = None):
        self.settings = settings or FetchSettings()
        self._direct: DirectSession | None = None
        self._curl: CurlSession | None = None
        if transport is None and self.settings.transport == "curl":
            self._curl = CurlSession(self.settings.resolve, self.settings.policy, self.settings.total_concurrency,
                                     dict(REQUEST_HEADERS))
            self._transport = None
        elif transport is None and self.settings.transport == "aiohttp":
            self._direct = DirectSession(self.settings.resolve, self.settings.policy, self.settings.total_concurrency,
                                         dict(REQUEST_HEADERS))
            self._transport: httpx.AsyncBaseTransport | None = None
        else:
            self._transport = transport or make_transport(self.settings)
        self._client: httpx.AsyncClient | None = None
        self._host_slots: dict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(self.settings.per_host_concurrency))
        self._host_next_time: dict[str, float] = defaultdict(float)
        # As many requests in flight as the transport has connections: a request then never waits
        # for a pooled connection inside its deadline (queueing is not the site's slowness).
        self._slots = asyncio.Semaphore(self.settings.total_concurrency)
        self.requests_sent = 0
        self.retries_by_host: Counter[str] = Counter()
        self._policy = self.settings.policy

    async def __aenter__(self) -> "Fetcher":
        if self._curl is not None:
            await self._curl.open()
            return self
        if self._direct is not None:
            await self._direct.open()
            return self
        self._client = httpx.AsyncClient(
            transport=self._transport,
            follow_redirects=False,
            timeout=httpx.Timeout(self.settings.timeout_seconds),
            headers=REQUEST_HEADERS,
            trust_env=False,
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._curl is not None:
            await self._curl.close()
            return
        if self._direct is not None:
            await self._direct.close()
            return
        assert self._client is not None
        await self._client.aclose()

    def start_round(self) -> None:
        """A new round: its retry budgets start full (a replay runs many rounds on one fetcher)."""
        self.retries_by_host.clear()

    @property
    def retries_used(self) -> int:
        return sum(self.retries_by_host.values())

    async def get(self, url: str, method: str = "GET", retries: int | None = None,
                  after: FetchResult | None = None) -> FetchResult:
        """Fetch url, following redirects ourselves so each hop is polite, counted and checked.

        `retries=0` makes a single attempt, for checks where a retry would hide what they measure.
        `after` is such a single attempt at url, already made (and shared, see CheckContext.attempt):
        the request continues from it as if this call had made it, from the hop that failed, with
        the retries left and under the same budgets, so sharing one attempt never costs a request.
        """
        retries = self.settings.retries if retries is None else retries
        if after is not None and (retries == 0 or not _transient(after)):
            return after
        current = after.final_url if after is not None else url
        first_hop = after.redirects if after is not None else 0
        attempts_total = after.attempts - 1 if after is not None else 0
        started = time.perf_counter() - (after.elapsed_ms / 1000 if after is not None else 0.0)
        for redirects in range(first_hop, self.settings.max_redirects + 1):
            result, attempts = await self._with_retries(current, method, retries,
                                                        first=after if redirects == first_hop else None)
            attempts_total += attempts
            location = result.headers.get("location")
            if result.error or result.status not in (301, 302, 303, 307, 308) or not location:
                return await self._finish(replace(result, url=url, attempts=attempts_total, redirects=redirects,
                                                  elapsed_ms=(time.perf_counter() - started) * 1000))
            current = urljoin(current, location)
            if urlsplit(current).scheme not in ("http", "https"):
                return FetchResult(url, current, result.status, error="invalid_url",
                                   error_detail=f"redirect to {current}", attempts=attempts_total)
        return FetchResult(url, current, None, error="too_many_redirects", attempts=attempts_total,
                           redirects=self.settings.max_redirects,
                           error_detail=f"more than {self.settings.max_redirects} redirects")

    async def post_json(self, url: str, payload: dict) -> int:
        """POST a JSON body (used to drive the demo world's clock); returns the status code."""
        if self._curl is not None:
            return await self._curl.post_json(url, payload)
        if self._direct is not None:
            return await self._direct.post_json(url, payload)
        assert self._client is not None, "use Fetcher as an async context manager"
        response = await self._client.post(url, json=payload)
        return response.status_code

    async def _finish(self, result: FetchResult) -> FetchResult:
        """Detect a big page's charset in a thread now, so no check does it on the event loop later."""
        if len(result.content) >= DECODE_IN_THREAD_BYTES and _is_text(result.content_type):
            # cached_property stores in the instance dict, which a frozen dataclass permits
            result.__dict__["decoded"] = await asyncio.to_thread(decode_html, result.content, result.content_type)
        return result

    async def _with_retries(self, url: str, method: str, retries: int,
                            first: FetchResult | None = None) -> tuple[FetchResult, int]:
        """Attempts at one hop; `first`, when given, is the first of them, already made."""
        host = urlsplit(url).hostname or ""
        attempt = 0
        while True:
            attempt += 1
            result = first if first is not None and attempt == 1 else await self._once(url, method)
            if not _transient(result) or attempt > retries:
                return result, attempt
            wait = self.settings.backoff_seconds * (2 ** (attempt - 1))
            retry_after = _retry_after_seconds(result.headers.get("retry-after"))
            if retry_after is not None:
                if retry_after > self.settings.max_retry_after_seconds:
                    return result, attempt  # the server asks for longer than a round may wait
                wait = max(wait, retry_after)
            if (self.retries_by_host[host] >= self.settings.retry_budget_per_host
                    or self.retries_used >= self.settings.retry_budget_per_round):
                return result, attempt  # this round's retries are spent
            self.retries_by_host[host] += 1
            await asyncio.sleep(wait)

    async def _once(self, url: str, method: str) -> FetchResult:
        host = urlsplit(url).hostname or ""
        if not host:
            return FetchResult(url, url, None, error="invalid_url", error_detail="no host")
        if self._policy is not None:
            try:
                self._policy.check_host(host)
            except AddressRefused as exc:  # plain to see in the URL: no need to take a host slot
                return FetchResult(url, url, None, error="refused_address", error_detail=str(exc))
        async with self._host_slots[host]:
            await self._wait_politely(host)
            async with self._slots:
                result = await self._attempt(url, method)
        return result

    async def _attempt(self, url: str, method: str) -> FetchResult:
        """One attempt under the overall deadline, classified; the body decoded after it."""
        started = time.perf_counter()
        progress = _Progress()
        kind: ErrorKind
        try:
            async with asyncio.timeout(self.settings.timeout_seconds):
                result, coding = await self._send(url, method, started, progress)
        except TimeoutError:
            return FetchResult(url, url, None, error="timeout",
                               error_detail=(f"no complete answer within {self.settings.timeout_seconds:g} s "
                                             f"(stopped while {progress.describe()})"),
                               elapsed_ms=(time.perf_counter() - started) * 1000)
        except AddressRefused as exc:
            self.requests_sent -= 1  # refused before anything was sent
            return self._failed(url, "refused_address", exc, started, detail=str(exc))
        except TransportFailure as exc:  # libcurl's errors, already classified (curl.py)
            return self._failed(url, exc.kind, exc, started,  # type: ignore[arg-type]
                                detail=f"{progress.describe()}: {exc}" if exc.kind != "invalid_url" else str(exc))
        except (httpx.TimeoutException, httpx.ConnectError) as exc:
            refused = _refusal_in_chain(exc)
            if refused is not None:
                self.requests_sent -= 1
                return self._failed(url, "refused_address", exc, started, detail=str(refused))
            kind = _classify_connection_error(exc)
            if kind == "connect" and progress.phase == "reading the body":
                kind = "truncated"  # the connection went away mid-body
            return self._failed(url, kind, exc, started, detail=f"{progress.describe()}: {type(exc).__name__}: {exc}")
        except (httpx.UnsupportedProtocol, httpx.InvalidURL, aiohttp.InvalidURL, aiohttp.NonHttpUrlClientError) as exc:
            return self._failed(url, "invalid_url", exc, started)
        except aiohttp.ClientConnectionError as exc:  # the direct session's; httpx-aiohttp maps these to httpx's
            refused = _refusal_in_chain(exc)
            if refused is not None:
                self.requests_sent -= 1
                return self._failed(url, "refused_address", exc, started, detail=str(refused))
            kind = _classify_aiohttp_error(exc)
            if kind == "connect" and progress.phase == "reading the body":
                kind = "truncated"
            return self._failed(url, kind, exc, started, detail=f"{progress.describe()}: {type(exc).__name__}: {exc}")
        except (httpx.HTTPError, aiohttp.ClientError) as exc:  # aiohttp lets malformed answers through unmapped
            if progress.phase == "reading the body":
                kind = "protocol" if _bad_framing(exc) else "truncated"
            else:
                kind = "connect" if _dropped(exc) else "protocol"
            return self._failed(url, kind, exc, started, detail=f"{progress.describe()}: {type(exc).__name__}: {exc}")
        if coding and result.content:
            return await self._decoded(result, coding)
        return result

    async def _send(self, url: str, method: str, started: float, progress: _Progress) -> tuple[FetchResult, str]:
        """One request and its whole raw body; returns the result and its Content-Encoding."""
        self.requests_sent += 1
        if self._curl is not None:
            answer = await self._curl.fetch(method, url, progress, self.settings.max_bytes)
            if answer.too_large:
                return _too_large(url, answer.status, answer.headers, answer.too_large)
            return _answered(url, answer.status, answer.headers, answer.body, started)
        if self._direct is not None:
            return await self._send_direct(url, method, started, progress)
        assert self._client is not None, "use Fetcher as an async context manager"
        request = self._client.build_request(method, url)
        response = await self._client.send(request, stream=True)
        headers = {k.lower(): v for k, v in response.headers.items()}
        try:
            declared = declared_too_large(response.headers, self.settings.max_bytes)
            if declared:
                return _too_large(url, response.status_code, headers, declared)
            chunks: list[bytes] = []
            if method != "HEAD":
                progress.phase = "reading the body"
                async for chunk in response.aiter_raw():
                    progress.bytes += len(chunk)
                    if progress.bytes > self.settings.max_bytes:
                        return _too_large(url, response.status_code, headers, over_cap(self.settings.max_bytes))
                    chunks.append(chunk)
        finally:
            await response.aclose()
        # content type and coding as httpx reads them (a repeated header joined), as before
        return _answered(url, response.status_code, headers, b"".join(chunks), started, fields=response.headers)

    async def _send_direct(self, url: str, method: str, started: float, progress: _Progress
                           ) -> tuple[FetchResult, str]:
        """`_send` over the direct aiohttp session: the same checks, caps and result."""
        assert self._direct is not None
        try:
            target, request_headers = self._direct.prepare(url)
        except ValueError as exc:  # yarl could not parse it
            raise httpx.InvalidURL(str(exc)) from exc
        async with self._direct.send(method, target, request_headers) as answer:
            headers = answer.headers
            declared = declared_too_large(headers, self.settings.max_bytes)
            if declared:
                return _too_large(url, answer.status, headers, declared)
            chunks: list[bytes] = []
            if method != "HEAD":
                progress.phase = "reading the body"
                async for chunk in answer.body.iter_any():
                    progress.bytes += len(chunk)
                    if progress.bytes > self.settings.max_bytes:
                        return _too_large(url, answer.status, headers, over_cap(self.settings.max_bytes))
                    chunks.append(chunk)
        return _answered(url, answer.status, headers, b"".join(chunks), started)

    async def _decoded(self, result: FetchResult, coding: str) -> FetchResult:
        """Undo gzip/deflate in a worker thread, capped at max_bytes of output."""
        try:
            body = await asyncio.to_thread(decode_body, result.content, coding, self.settings.max_bytes)
        except TooLarge as exc:
            return replace(result, content=b"", error="too_large", error_detail=str(exc))
        except Undecodable as exc:
            return replace(result, content=b"", error="protocol", error_detail=str(exc))
        return replace(result, content=body)

    def _failed(self, url: str, kind: ErrorKind, exc: Exception, started: float, detail: str = "") -> FetchResult:
        detail = detail or f"{type(exc).__name__}: {exc}"
        if kind == "tls" and _certificate_refused(exc):
            detail = f"{CERTIFICATE_NOT_TRUSTED}: {detail}"
        return FetchResult(url, url, None, error=kind, error_detail=detail[:300],
                           elapsed_ms=(time.perf_counter() - started) * 1000)

    async def _wait_politely(self, host: str) -> None:
        delay = self.settings.politeness_delay_seconds
        if delay <= 0:
            return
        now = time.monotonic()
        slot = max(now, self._host_next_time[host])
        self._host_next_time[host] = slot + delay
        if slot > now:
            await asyncio.sleep(slot - now)


def _too_large(url: str, status: int, headers: dict[str, str], detail: str) -> tuple[FetchResult, str]:
    """An answer refused for its size (declared, or found while reading): no body kept."""
    return FetchResult(url, url, status, error="too_large", error_detail=detail, headers=headers), ""


def _answered(url: str, status: int, headers: dict[str, str], content: bytes, started: float,
              fields: Mapping[str, str] | None = None) -> tuple[FetchResult, str]:
    """A whole raw answer as every transport returns it, with its Content-Encoding (both read from
    `fields` when given: httpx's own view of the headers)."""
    fields = headers if fields is None else fields
    return FetchResult(url=url, final_url=url, status=status, content=content,
                       content_type=fields.get("content-type", ""), headers=headers,
                       elapsed_ms=(time.perf_counter() - started) * 1000), fields.get("content-encoding", "")


def _is_text(content_type: str) -> bool:
    kind = content_type.split(";", 1)[0].strip().lower()
    return not kind or kind.startswith("text/") or "html" in kind or "xml" in kind


def _dropped(exc: BaseException) -> bool:
    """The server closed or reset the connection before answering (as aiohttp reports it: connect)."""
    return (isinstance(exc, (httpx.ReadError, httpx.WriteError, aiohttp.ClientPayloadError))
            or (isinstance(exc, httpx.RemoteProtocolError) and "disconnected" in str(exc).lower()))


def _bad_framing(exc: BaseException) -> bool:
    """A body whose chunked framing is broken: a protocol error, not merely a short body."""
    chain = [exc, exc.__cause__, getattr(exc.__cause__, "__cause__", None)]
    return any(e is not None and ("TransferEncoding" in type(e).__name__ or "chunk" in str(e).lower()) for e in chain)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """exc and what it wraps, however deep: each library between us and the socket adds a layer."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        yield current
        seen.add(id(current))
        current = current.__cause__ or current.__context__


def _refusal_in_chain(exc: BaseException) -> AddressRefused | None:
    """The policy's refusal, if that is what an HTTP library's connection error wraps."""
    return next((e for e in _chain(exc) if isinstance(e, AddressRefused)), None)


def _transient(result: FetchResult) -> bool:
    """Worth another attempt: no connection, no answer in time, or a status that says "later"."""
    return result.error in ("timeout", "connect") or result.status in TRANSIENT_STATUSES


def _retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _classify_connection_error(exc: Exception) -> ErrorKind:
    """httpx-aiohttp maps a refused or dropped connection to ConnectTimeout; the cause tells them apart."""
    cause = exc.__cause__
    timed_out = (isinstance(cause, TimeoutError) or "Timeout" in type(cause).__name__ if cause is not None
                 else isinstance(exc, httpx.TimeoutException))
    if timed_out:
        return "timeout"
    if _looks_like_dns(exc):
        return "dns"
    return "tls" if _looks_like_tls(exc) else "connect"


def _classify_aiohttp_error(exc: aiohttp.ClientConnectionError) -> ErrorKind:
    """`_classify_connection_error` for an aiohttp error met directly (it is what httpx-aiohttp wraps)."""
    if isinstance(exc, TimeoutError) or "Timeout" in type(exc).__name__:
        return "timeout"
    if _looks_like_dns(exc):
        return "dns"
    return "tls" if _looks_like_tls(exc) else "connect"


def _looks_like_dns(exc: Exception) -> bool:
    text = repr(exc).lower() + repr(exc.__cause__).lower()
    return any(s in text for s in ("name or service not known", "nodename nor servname", "getaddrinfo",
                                    "name resolution", "no address associated"))


def _certificate_refused(exc: Exception) -> bool:
    """The handshake failed because we do not trust the certificate (issuer, expiry, host name)."""
    return any(isinstance(e, ssl.SSLCertVerificationError) or "Certificate" in type(e).__name__
               or getattr(e, "certificate_refused", False) for e in _chain(exc))


def _looks_like_tls(exc: Exception) -> bool:
    """A failed TLS handshake or an untrusted certificate, wherever in the chain a library put it
    (httpx raises a bare ConnectError whose cause's cause is the ssl error; httpcore may leave it
    as the context only). The kind "tls" is what https_ipv6 judges a certificate by."""
    return any(isinstance(e, ssl.SSLError) or "SSL" in type(e).__name__ or "Certificate" in type(e).__name__
               for e in _chain(exc))
