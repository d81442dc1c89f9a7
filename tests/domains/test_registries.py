"""Who runs a WHOIS server, as evidence and the circular name it."""
from __future__ import annotations

import pytest

from collector.domains import DEFAULT_WHOIS_SERVERS
from collector.domains.registries import circular_name, evidence_location, found_in, operator_name, server_host
from collector.domains.whois import server_for


def test_cnnic_is_named_as_the_seed_circular_names_it():
    assert operator_name("whois.cnnic.cn:43") == "中国互联网络信息中心（CNNIC）"
    assert circular_name("whois.cnnic.cn:43") == "中国互联网络信息中心"
    assert evidence_location("whois.cnnic.cn:43") == "中国互联网络信息中心（CNNIC）WHOIS（whois.cnnic.cn）"
    assert found_in("WHOIS.CNNIC.CN") == "中国互联网络信息中心（CNNIC）的 WHOIS "


def test_another_known_registry_is_named_by_its_operator():
    assert operator_name("whois.verisign-grs.com:43") == "威瑞信（Verisign）"
    assert evidence_location("whois.verisign-grs.com:43") == "威瑞信（Verisign）WHOIS（whois.verisign-grs.com）"


@pytest.mark.parametrize("server", ["whois.nic.gov.cn:43", "whois.nic.gov.cn"])
def test_a_server_we_do_not_know_is_named_by_its_host_never_as_cnnic(server):
    assert server_host(server) == "whois.nic.gov.cn"
    assert operator_name(server) == "WHOIS 服务器 whois.nic.gov.cn"
    assert circular_name(server) == "whois.nic.gov.cn"
    assert "中国互联网络信息中心" not in evidence_location(server) + found_in(server)


@pytest.mark.parametrize(("domain", "server"), [
    ("lcsd.gov.cn", "whois.cnnic.cn:43"), ("lcsw.cn", "whois.cnnic.cn:43"),
    ("lcsd-water.com", "whois.verisign-grs.com:43"), ("lcsd.org", "whois.pir.org:43"),
])
def test_each_suffix_a_registry_may_list_has_its_registry_s_server_by_default(domain, server):
    assert server_for(domain, DEFAULT_WHOIS_SERVERS) == server
    assert not operator_name(server).startswith("WHOIS 服务器")


def test_a_suffix_without_a_known_server_has_none():
    assert server_for("lcsd.xyz", DEFAULT_WHOIS_SERVERS) is None
