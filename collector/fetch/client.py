"""The collector's HTTP client: polite per host, fast across hosts, never hangs, never lies.

- per-host concurrency limit and a politeness delay between requests to the same host;
- the indicator's 15 s timeout (inclusive) per attempt;
- retries with exponential backoff for transient errors only (connect errors, timeouts, 502/503/504,
  429), honouring Retry-After;
- a redirect limit and a response-size cap (a hostile site cannot make us read forever);
- charset detection for GBK/GB2312/GB18030 pages (see charset.py).

The transport is swappable (`transport="httpx"` or `"aiohttp"`) because httpx's own connection pool
costs a lot of CPU at high concurrency; bench/ measures both.
"""
from __future__ import annotations

import asyncio
import email.utils
import ssl
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from functools import cached_property
from typing import Literal
from urllib.parse import urljoin, urlsplit

import httpx

from collector.fetch.charset import decode_html
from collector.fetch.resolve import ResolveTransport

ErrorKind = Literal["timeout", "dns", "connect", "tls", "too_large", "too_many_redirects", "protocol", "invalid_url"]
TRANSIENT_STATUSES = frozenset({429, 502, 503, 504})
USER_AGENT = "GovCensus/0.1 (government website census; polite monitor)"


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
    transport: Literal["httpx", "aiohttp"] = "aiohttp"
    resolve: dict[str, str] = field(default_factory=dict)


def make_transport(settings: FetchSettings) -> httpx.AsyncBaseTransport:
    limits = httpx.Limits(max_connections=settings.total_concurrency,
                          max_keepalive_connections=settings.total_concurrency)
    inner: httpx.AsyncBaseTransport
    if settings.transport == "aiohttp":
        from httpx_aiohttp import AiohttpTransport

        inner = AiohttpTransport(limits=limits, trust_env=False)
    else:
        inner = httpx.AsyncHTTPTransport(limits=limits, trust_env=False)
    return ResolveTransport(inner, settings.resolve) if settings.resolve else inner


class Fetcher:
    """Use as `async with Fetcher(settings) as fetcher: await fetcher.get(url)`."""

    def __init__(self, settings: FetchSettings | None = None, transport: httpx.AsyncBaseTransport | None = None):
        self.settings = settings or FetchSettings()
        self._transport = transport or make_transport(self.settings)
        self._client: httpx.AsyncClient | None = None
        self._host_slots: dict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(self.settings.per_host_concurrency))
        self._host_next_time: dict[str, float] = defaultdict(float)
        self.requests_sent = 0

    async def __aenter__(self) -> "Fetcher":
        self._client = httpx.AsyncClient(
            transport=self._transport,
            follow_redirects=False,
            timeout=httpx.Timeout(self.settings.timeout_seconds),
            headers={"User-Agent": USER_AGENT, "Accept-Language": "zh-CN,zh;q=0.9"},
            trust_env=False,
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._client is not None
        await self._client.aclose()

    async def get(self, url: str, method: str = "GET", retries: int | None = None) -> FetchResult:
        """Fetch url, following redirects ourselves so each hop is polite and counted.

        `retries=0` makes a single attempt, for checks where a retry would hide what they measure.
        """
        current = url
        attempts_total = 0
        started = time.perf_counter()
        for redirects in range(self.settings.max_redirects + 1):
            result, attempts = await self._with_retries(current, method, self.settings.retries if retries is None else retries)
            attempts_total += attempts
            location = result.headers.get("location")
            if result.error or result.status not in (301, 302, 303, 307, 308) or not location:
                return replace(result, url=url, attempts=attempts_total, redirects=redirects,
                                elapsed_ms=(time.perf_counter() - started) * 1000)
            current = urljoin(current, location)
            if urlsplit(current).scheme not in ("http", "https"):
                return FetchResult(url, current, result.status, error="invalid_url",
                                   error_detail=f"redirect to {current}", attempts=attempts_total)
        return FetchResult(url, current, None, error="too_many_redirects", attempts=attempts_total,
                           redirects=self.settings.max_redirects,
                           error_detail=f"more than {self.settings.max_redirects} redirects")

    async def post_json(self, url: str, payload: dict) -> int:
        """POST a JSON body (used to drive the demo world's clock); returns the status code."""
        assert self._client is not None, "use Fetcher as an async context manager"
        response = await self._client.post(url, json=payload)
        return response.status_code

    async def _with_retries(self, url: str, method: str, retries: int) -> tuple[FetchResult, int]:
        attempt = 0
        while True:
            attempt += 1
            result = await self._once(url, method)
            transient = result.error in ("timeout", "connect") or result.status in TRANSIENT_STATUSES
            if not transient or attempt > retries:
                return result, attempt
            wait = self.settings.backoff_seconds * (2 ** (attempt - 1))
            retry_after = _retry_after_seconds(result.headers.get("retry-after"))
            if retry_after is not None:
                wait = max(wait, min(retry_after, self.settings.max_retry_after_seconds))
            await asyncio.sleep(wait)

    async def _once(self, url: str, method: str) -> FetchResult:
        assert self._client is not None, "use Fetcher as an async context manager"
        host = urlsplit(url).hostname or ""
        if not host:
            return FetchResult(url, url, None, error="invalid_url", error_detail="no host")
        async with self._host_slots[host]:
            await self._wait_politely(host)
            started = time.perf_counter()
            try:
                return await self._send(url, method, started)
            except (httpx.TimeoutException, httpx.ConnectError) as exc:
                return self._failed(url, _classify_connection_error(exc), exc, started)
            except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
                return self._failed(url, "invalid_url", exc, started)
            except httpx.HTTPError as exc:
                return self._failed(url, "protocol", exc, started)

    async def _send(self, url: str, method: str, started: float) -> FetchResult:
        assert self._client is not None
        self.requests_sent += 1
        request = self._client.build_request(method, url)
        response = await self._client.send(request, stream=True)
        try:
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > self.settings.max_bytes:
                return FetchResult(url, url, response.status_code, error="too_large",
                                   error_detail=f"Content-Length {declared}", headers=dict(response.headers))
            chunks: list[bytes] = []
            size = 0
            if method != "HEAD":
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > self.settings.max_bytes:
                        return FetchResult(url, url, response.status_code, error="too_large",
                                           error_detail=f"more than {self.settings.max_bytes} bytes")
                    chunks.append(chunk)
        finally:
            await response.aclose()
        return FetchResult(
            url=url, final_url=url, status=response.status_code, content=b"".join(chunks),
            content_type=response.headers.get("content-type", ""),
            headers={k.lower(): v for k, v in response.headers.items()},
            elapsed_ms=(time.perf_counter() - started) * 1000,
        )

    def _failed(self, url: str, kind: ErrorKind, exc: Exception, started: float) -> FetchResult:
        return FetchResult(url, url, None, error=kind, error_detail=f"{type(exc).__name__}: {exc}"[:300],
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


def _looks_like_dns(exc: Exception) -> bool:
    text = repr(exc).lower() + repr(exc.__cause__).lower()
    return any(s in text for s in ("name or service not known", "nodename nor servname", "getaddrinfo",
                                    "name resolution", "no address associated"))


def _looks_like_tls(exc: Exception) -> bool:
    chain = [exc, exc.__cause__, getattr(exc.__cause__, "__cause__", None)]
    return any(isinstance(e, ssl.SSLError) or "SSL" in type(e).__name__ or "Certificate" in type(e).__name__
               for e in chain if e is not None)
