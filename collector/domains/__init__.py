"""Is a decommissioned site's domain really gone? WHOIS (RFC 3912) and DNS look-ups, and where they go.

Where look-ups go is deployment, not indicator data: the real collector asks CNNIC's WHOIS server
and the system resolver; the demo run and the tests send both to our loopback servers. The round
setup calls `configure` once; checks read `current_settings()`.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Mapping

from collector.domains.names import registrable_domain

#: WHOIS server per domain suffix (longest suffix wins). .gov.cn is CNNIC's, like all of .cn; a
#: site's registry entry may also list a .com, .net or .org domain (`domains:`), which their
#: registries' servers answer for.
DEFAULT_WHOIS_SERVERS: Mapping[str, str] = MappingProxyType({
    "cn": "whois.cnnic.cn:43",
    "gov.cn": "whois.cnnic.cn:43",
    "com": "whois.verisign-grs.com:43",
    "net": "whois.verisign-grs.com:43",
    "org": "whois.pir.org:43",
})


@dataclass(frozen=True)
class DomainSettings:
    """Where WHOIS and DNS questions go, and how long we wait for answers."""

    whois_servers: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_WHOIS_SERVERS))
    #: WHOIS server host name (fnmatch pattern, "*" for all) -> (ip, port) actually dialled; the
    #: server name stays in the evidence, like `--resolve` for HTTP.
    whois_overrides: Mapping[str, tuple[str, int]] = field(default_factory=dict)
    #: (ip, port) of the one nameserver to ask; None = the system resolver (/etc/resolv.conf).
    dns_nameserver: tuple[str, int] | None = None
    whois_timeout_seconds: float = 10.0
    whois_max_bytes: int = 64 * 1024
    #: Seconds between two questions to one WHOIS server. CNNIC publishes no figure; 2 s is our
    #: cautious guess (confirm against the real server).
    whois_min_interval_seconds: float = 2.0
    dns_timeout_seconds: float = 5.0


_settings = DomainSettings()


def configure(whois_overrides: dict[str, tuple[str, int]], dns_nameserver: tuple[str, int] | None, *,
              whois_servers: Mapping[str, str] | None = None, whois_timeout_seconds: float | None = None,
              dns_timeout_seconds: float | None = None,
              whois_min_interval_seconds: float | None = None) -> DomainSettings:
    """Set where WHOIS and DNS look-ups go for the rest of the process (called by the round setup)."""
    global _settings
    changes: dict[str, object] = {"whois_overrides": dict(whois_overrides), "dns_nameserver": dns_nameserver}
    if whois_servers is not None:
        changes["whois_servers"] = dict(whois_servers)
    if whois_timeout_seconds is not None:
        changes["whois_timeout_seconds"] = whois_timeout_seconds
    if dns_timeout_seconds is not None:
        changes["dns_timeout_seconds"] = dns_timeout_seconds
    if whois_min_interval_seconds is not None:
        changes["whois_min_interval_seconds"] = whois_min_interval_seconds
    _settings = replace(DomainSettings(), **changes)
    return _settings


def reset() -> None:
    """Back to the real servers (tests call this after pointing look-ups at loopback)."""
    global _settings
    _settings = DomainSettings()


def current_settings() -> DomainSettings:
    return _settings


__all__ = ["DEFAULT_WHOIS_SERVERS", "DomainSettings", "configure", "current_settings", "registrable_domain", "reset"]
