"""The registrable domain of a host: what a unit registered and must cancel (www.lcsd.gov.cn -> lcsd.gov.cn)."""
from __future__ import annotations

from functools import lru_cache

from publicsuffixlist import PublicSuffixList


@lru_cache(maxsize=1)
def _suffixes() -> PublicSuffixList:
    """The Public Suffix List shipped with the package (gov.cn, yn.cn … are suffixes); parsed once."""
    return PublicSuffixList()


def registrable_domain(host: str) -> str:
    """Host -> the domain one registers (one label below its public suffix); a bare suffix stays as is."""
    host = host.strip().rstrip(".").lower()
    return _suffixes().privatesuffix(host) or host
