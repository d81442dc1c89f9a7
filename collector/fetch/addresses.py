"""Which addresses the collector may connect to: public ones only, unless a flag allows the rest.

A registry is edited by people and a page's redirects by anyone, so a URL could point the
collector at the machine it runs on (127.0.0.1, `localhost`), the office network behind it
(10/8, 172.16/12, 192.168/16, 100.64/10), a cloud metadata service (169.254.169.254) or other
addresses that are not the public Internet. The collector refuses those before it opens any
connection. The demo world and the tests live on loopback; they pass `allow_private_addresses`.

This module is pure policy (no I/O), shared by the fetcher (every hop, at connect time, on the
address it is about to dial) and `collector validate` (literal hosts in the registry).
"""
from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

#: 100.64.0.0/10 (carrier-grade NAT) is not "private" to the ipaddress module, but is not public either.
_SHARED = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_UNIQUE_LOCAL = ipaddress.ip_network("fc00::/7")
_RFC1918 = tuple(ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))
#: A host whose last label is a number (decimal, octal 0177, hex 0x7f) is an IPv4 address in
#: browsers and in getaddrinfo, however few dots it has: 2130706433, 0x7f.1, 127.1.
_NUMERIC_HOST = re.compile(r"^(?:(?:0x[0-9a-f]*|[0-9]+)\.){0,3}(?:0x[0-9a-f]*|[0-9]+)\.?$", re.IGNORECASE)


class AddressRefused(OSError):
    """Raised where a connection would be opened to an address the policy refuses.

    An OSError, so HTTP libraries treat it as a failed connection (aiohttp wraps resolver
    OSErrors in its connector error); the fetcher finds it in the exception chain.
    """

    def __init__(self, host: str, reason: str):
        self.host = host
        self.reason = reason
        super().__init__(f"refused {host}: {reason}")


def ip_refusal(ip: IPAddress) -> str | None:
    """Why the collector must not connect to `ip` (None: a public address)."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or (ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF) if ip in _NAT64 else None)
        if embedded is not None:
            reason = ip_refusal(embedded)
            return f"{reason} (IPv4 {embedded} inside IPv6)" if reason else None
        if ip.sixtofour is not None and ip_refusal(ip.sixtofour):
            return f"{ip_refusal(ip.sixtofour)} (IPv4 {ip.sixtofour} inside 6to4)"
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_unspecified:
        return "the unspecified address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast:
        return "a multicast address"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED:
        return "a shared (carrier-grade NAT) address"
    if isinstance(ip, ipaddress.IPv6Address) and ip in _UNIQUE_LOCAL:
        return "a unique-local address"
    if any(ip in net for net in _RFC1918 if ip.version == net.version):
        return "a private address"
    if ip.is_reserved or ip.is_private or not ip.is_global:  # documentation, benchmarking, 240/4 ...
        return "a reserved address"
    return None


def literal_ip(host: str) -> IPAddress | None:
    """The address a host names literally, in any of the forms resolvers accept, else None.

    `[::1]`, `::ffff:127.0.0.1`, `127.0.0.1`, `2130706433`, `0177.0.0.1`, `0x7f.1` and `127.1`
    all name loopback; a check that only knew dotted quads would let the others through.
    """
    host = host.strip().strip("[]").rstrip(".") if host else ""
    if not host:
        return None
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])  # a zone id (fe80::1%eth0) changes nothing
    except ValueError:
        pass
    if _NUMERIC_HOST.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def host_refusal(host: str) -> str | None:
    """Why a host name must be refused before any look-up: `localhost` names and refused literal IPs."""
    name = (host or "").strip().strip("[]").rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost") or name in ("localhost.localdomain", "ip6-localhost",
                                                                          "ip6-loopback"):
        return "localhost"
    ip = literal_ip(name)
    if ip is not None:
        reason = ip_refusal(ip)
        return f"{reason} ({ip})" if reason else None
    if _NUMERIC_HOST.match(name):
        return "a malformed numeric address"
    return None


def url_refusal(url: str) -> str | None:
    """Why `url` must not be fetched without `allow_private_addresses`, judged from its text alone.

    Names that resolve to private addresses are caught when they are resolved (the fetcher); this
    catches what a registry file shows outright.
    """
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return None
    return host_refusal(host) if host else None
