"""The registrable domain of a host: what a unit registered and must cancel (www.lcsd.gov.cn -> lcsd.gov.cn)."""
from __future__ import annotations

#: Second-level names under .cn that CNNIC registers below (category and provincial domains), so
#: www.lcsd.gov.cn -> lcsd.gov.cn and www.example.yn.cn -> example.yn.cn.
CN_SECOND_LEVEL = frozenset({
    "ac", "com", "edu", "gov", "mil", "net", "org",
    "bj", "sh", "tj", "cq", "he", "sx", "nm", "ln", "jl", "hl", "js", "zj", "ah", "fj", "jx", "sd",
    "ha", "hb", "hn", "gd", "gx", "hi", "sc", "gz", "yn", "xz", "sn", "gs", "qh", "nx", "xj", "tw",
    "hk", "mo",
})


def registrable_domain(host: str) -> str:
    """Host name -> the domain registered with the registry; unknown TLDs keep their last two labels."""
    labels = [label for label in host.strip().rstrip(".").lower().split(".") if label]
    if len(labels) <= 2:
        return ".".join(labels)
    if labels[-1] == "cn" and labels[-2] in CN_SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])
