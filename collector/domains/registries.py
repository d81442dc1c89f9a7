"""Who runs a WHOIS server: the name an office reads in evidence and in the circular.

Evidence must say which server answered, not assume CNNIC: a registry may list a site's .com
domain (Verisign's server) beside its .gov.cn one. Known servers get their operator's name; any
other is named by its host, which is still exact.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WhoisOperator:
    #: How evidence names it: 中国互联网络信息中心（CNNIC）.
    name: str
    #: How the circular names it, as the seed circular does: “中国互联网络信息中心”.
    circular_name: str


#: Operators of the WHOIS servers a Chinese government site's domains are usually under.
KNOWN_SERVERS: dict[str, WhoisOperator] = {
    "whois.cnnic.cn": WhoisOperator("中国互联网络信息中心（CNNIC）", "中国互联网络信息中心"),
    "whois.cnnic.net.cn": WhoisOperator("中国互联网络信息中心（CNNIC）", "中国互联网络信息中心"),
    "whois.verisign-grs.com": WhoisOperator("威瑞信（Verisign）", "威瑞信（Verisign）"),
    "whois.pir.org": WhoisOperator("公共利益注册机构（PIR）", "公共利益注册机构（PIR）"),
}


def server_host(server: str) -> str:
    """"whois.cnnic.cn:43" -> "whois.cnnic.cn" (a bare host stays as it is)."""
    host, sep, port = server.rpartition(":")
    return (host if sep and port.isdigit() else server).lower()


def operator_name(server: str) -> str:
    """中国互联网络信息中心（CNNIC） for CNNIC's server; "WHOIS 服务器 <host>" for one we do not know."""
    host = server_host(server)
    known = KNOWN_SERVERS.get(host)
    return known.name if known else f"WHOIS 服务器 {host}"


def found_in(server: str) -> str:
    """For a finding's sentence: "中国互联网络信息中心（CNNIC）的 WHOIS ", or " WHOIS 服务器 <host> "."""
    host = server_host(server)
    known = KNOWN_SERVERS.get(host)
    return f"{known.name}的 WHOIS " if known else f" WHOIS 服务器 {host} "


def circular_name(server: str) -> str:
    """The name the circular gives the server's operator; an unknown server by its host."""
    host = server_host(server)
    known = KNOWN_SERVERS.get(host)
    return known.circular_name if known else host


def evidence_location(server: str) -> str:
    """Where a WHOIS record was read: 中国互联网络信息中心（CNNIC）WHOIS（whois.cnnic.cn）."""
    host = server_host(server)
    known = KNOWN_SERVERS.get(host)
    return f"{known.name}WHOIS（{host}）" if known else f"WHOIS 服务器 {host}"
