"""Content-Encoding (gzip, deflate) decoding with a cap on the decoded size.

The fetcher reads bodies raw (compressed) under its byte cap and decodes them here, in a worker
thread: a 100 KB gzip bomb inflates to 100 MB, and inflating it on the event loop would both
exhaust memory and stall every other site's timing measurement. Output stops one byte past the
cap, so memory stays bounded whatever the ratio.
"""
from __future__ import annotations

import zlib

#: What we ask for. Brotli and zstd are not installed, so we never invite them.
ACCEPT_ENCODING = "gzip, deflate"


def declared_too_large(headers, cap: int) -> str:  # type: ignore[no-untyped-def]
    """Why an answer is refused on its head alone ("Content-Length N" over the cap), else "".

    `headers` is any mapping with .get (our lower-cased dict, or httpx's own view of them)."""
    declared = headers.get("content-length")
    return f"Content-Length {declared}" if declared and declared.isdigit() and int(declared) > cap else ""


def over_cap(cap: int) -> str:
    """Why a raw body was cut: it went past the cap while it was read."""
    return f"more than {cap} bytes"


class TooLarge(ValueError):
    """The decoded body would exceed the cap."""


class Undecodable(ValueError):
    """The body is not valid for its declared Content-Encoding (or the encoding is unknown)."""


def encodings(header: str | None) -> list[str]:
    """Codings in the order they were applied, without `identity`."""
    return [c.strip().lower() for c in (header or "").split(",") if c.strip() and c.strip().lower() != "identity"]


def decode_body(raw: bytes, content_encoding: str | None, cap: int) -> bytes:
    """Undo every Content-Encoding (last applied first); raise TooLarge past `cap` bytes."""
    data = raw
    for coding in reversed(encodings(content_encoding)):
        if coding in ("gzip", "x-gzip"):
            data = _inflate(data, zlib.MAX_WBITS | 16, cap, coding)
        elif coding == "deflate":
            try:
                data = _inflate(data, zlib.MAX_WBITS, cap, coding)
            except Undecodable:  # many servers send raw deflate without the zlib header
                data = _inflate(data, -zlib.MAX_WBITS, cap, coding)
        else:
            raise Undecodable(f"unsupported Content-Encoding {coding!r}")
    return data


def _inflate(data: bytes, wbits: int, cap: int, coding: str) -> bytes:
    out = bytearray()
    pending = data
    try:
        while pending:
            inflater = zlib.decompressobj(wbits)
            chunk = pending
            while chunk:
                out += inflater.decompress(chunk, cap + 1 - len(out))
                if len(out) > cap:
                    raise TooLarge(f"{coding} body inflates to more than {cap} bytes")
                chunk = inflater.unconsumed_tail
            out += inflater.flush()
            if len(out) > cap:
                raise TooLarge(f"{coding} body inflates to more than {cap} bytes")
            # gzip allows several members one after another; anything else after the end is junk
            pending = inflater.unused_data if inflater.eof and wbits > zlib.MAX_WBITS else b""
    except zlib.error as exc:
        raise Undecodable(f"invalid {coding} body: {exc}") from None
    return bytes(out)
