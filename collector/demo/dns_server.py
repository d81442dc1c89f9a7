"""Our small authoritative DNS server (UDP, dnspython) for the demo world and the tests.

It answers configured names with the configured records, NOERROR without records for a configured
name lacking the type asked, NXDOMAIN for every other name, and nothing at all for `silent` names
(so the resolver's timeout is exercised through a real socket).
"""
from __future__ import annotations

import asyncio
from contextlib import contextmanager
from typing import Iterable, Iterator, Mapping

import dns.exception
import dns.flags
import dns.message
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset

from collector.demo.whois_server import serving_in_thread

TTL = 300


class DnsServer(asyncio.DatagramProtocol):
    """`records`: {"lcsd.gov.cn": {"A": ["10.53.9.1"], "NS": ["ns1.lcsd.gov.cn."]}}."""

    def __init__(self, records: Mapping[str, Mapping[str, Iterable[str]]], *, silent: Iterable[str] = (),
                 host: str = "127.0.0.1", port: int = 0):
        self.records = {_key(name): {t.upper(): list(v) for t, v in types.items()} for name, types in records.items()}
        self.silent = {_key(name) for name in silent}
        self.host = host
        self.port = port
        self._transport: asyncio.DatagramTransport | None = None

    async def start(self) -> int:
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(lambda: self, local_addr=(self.host, self.port))
        self._transport = transport  # type: ignore[assignment]
        self.port = transport.get_extra_info("sockname")[1]
        return self.port

    async def stop(self) -> None:
        if self._transport is not None:
            self._transport.close()
            self._transport = None

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        try:
            query = dns.message.from_wire(data)
        except dns.exception.DNSException:
            return
        reply = self.respond(query)
        if reply is not None and self._transport is not None:
            self._transport.sendto(reply.to_wire(), addr)

    def respond(self, query: dns.message.Message) -> dns.message.Message | None:
        """The reply to one query, or None to stay silent."""
        if not query.question:
            return None
        question = query.question[0]
        name = _key(question.name.to_text())
        rdtype = dns.rdatatype.to_text(question.rdtype)
        if name in self.silent:
            return None
        response = dns.message.make_response(query)
        response.flags |= dns.flags.AA
        types = self.records.get(name)
        if types is None:
            response.set_rcode(dns.rcode.NXDOMAIN)
        elif types.get(rdtype):
            response.answer.append(dns.rrset.from_text_list(question.name, TTL, dns.rdataclass.IN, rdtype,
                                                            types[rdtype]))
        return response


def _key(name: str) -> str:
    return name.rstrip(".").lower()


@contextmanager
def dns_server(records: Mapping[str, Mapping[str, Iterable[str]]], *, silent: Iterable[str] = ()) -> Iterator[int]:
    """`with dns_server({"lcsd.gov.cn": {"NS": ["ns1.lcsd.gov.cn."]}}) as port: ...` (UDP on 127.0.0.1)."""
    with serving_in_thread(DnsServer(records, silent=silent)) as port:
        yield port
