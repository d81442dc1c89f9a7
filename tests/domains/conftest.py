"""Fixtures: a CNNIC-style WHOIS reply and our loopback WHOIS and DNS servers, no other network."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from collector import domains

#: What CNNIC answered for lcsd.gov.cn, in its format (the registrant email is made up).
LCSD_WHOIS = """Domain Name: lcsd.gov.cn
ROID: 20030317s10011s00045521-cn
Domain Status: serverDeleteProhibited
Domain Status: serverUpdateProhibited
Domain Status: serverTransferProhibited
Registrant: 临沧市水务局
Registrant Contact Email: zhang.wei@163.com
Sponsoring Registrar: 北京新网数码信息技术有限公司
Name Server: dns1.xinnet.cn
Name Server: dns2.xinnet.cn
Registration Time: 2003-03-17 12:20:05
Expiration Time: 2021-03-17 12:48:36
DNSSEC: unsigned
"""


@pytest.fixture
def lcsd_whois() -> str:
    return LCSD_WHOIS


@pytest.fixture(autouse=True)
def real_servers_after_each_test() -> Iterator[None]:
    """`configure` is process-wide; no test leaves look-ups pointed at a server that is gone."""
    yield
    domains.reset()
