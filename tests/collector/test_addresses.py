"""The address policy: which hosts and addresses the collector refuses, and what `validate` says."""
from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest
from click.testing import CliRunner

from collector.cli import main
from collector.fetch.addresses import AddressRefused, host_refusal, ip_refusal, literal_ip, url_refusal
from collector.fetch.guard import AddressPolicy


@pytest.mark.parametrize("host, reason", [
    ("127.0.0.1", "loopback"),
    ("127.8.9.10", "loopback"),
    ("localhost", "localhost"),
    ("LocalHost.", "localhost"),
    ("admin.localhost", "localhost"),
    ("10.1.2.3", "private"),
    ("172.16.0.1", "private"),
    ("172.31.255.254", "private"),
    ("192.168.1.1", "private"),
    ("100.64.0.1", "carrier-grade NAT"),
    ("100.127.255.254", "carrier-grade NAT"),
    ("169.254.169.254", "link-local"),
    ("0.0.0.0", "unspecified"),
    ("224.0.0.1", "multicast"),
    ("240.0.0.1", "reserved"),
    ("198.18.0.1", "reserved"),  # benchmarking range: not the public Internet
    ("[::1]", "loopback"),
    ("::", "unspecified"),
    ("fe80::1", "link-local"),
    ("[fe80::1%25eth0]", "link-local"),
    ("fd12:3456::1", "unique-local"),
    ("ff02::1", "multicast"),
    ("::ffff:127.0.0.1", "loopback address (IPv4 127.0.0.1 inside IPv6)"),
    ("[::ffff:a00:1]", "private address (IPv4 10.0.0.1 inside IPv6)"),
    ("64:ff9b::a9fe:a9fe", "link-local address (IPv4 169.254.169.254 inside IPv6)"),
    ("2002:7f00:1::", "loopback address (IPv4 127.0.0.1 inside 6to4)"),
    ("2130706433", "loopback"),      # decimal
    ("0177.0.0.1", "loopback"),      # octal
    ("0x7f.0.0.1", "loopback"),      # hex
    ("0x7f000001", "loopback"),
    ("127.1", "loopback"),           # short form
    ("012.1", "private"),            # octal 10.0.0.1
    ("999.1.1.1", "malformed numeric"),
])
def test_non_public_hosts_are_refused_with_the_reason(host, reason):
    refusal = host_refusal(host)
    assert refusal is not None and reason in refusal


@pytest.mark.parametrize("host", ["www.gov.cn", "www.lincang.gov.cn", "202.96.128.86", "8.8.8.8", "[2400:3200::1]",
                                  "100.128.0.1", "172.32.0.1", "192.169.0.1", "12345.gov.cn", "0x7f.gov.cn",
                                  "localhost.gov.cn"])
def test_public_hosts_and_names_pass(host):
    assert host_refusal(host) is None


def test_numeric_forms_name_the_address_resolvers_would_dial():
    assert {str(literal_ip(h)) for h in ("2130706433", "0177.0.0.1", "0x7f.1", "127.0.0.1")} == {"127.0.0.1"}
    assert literal_ip("www.gov.cn") is None


def test_every_refused_range_is_caught_at_its_edges():
    assert ip_refusal(ipaddress.ip_address("100.63.255.255")) is None
    assert ip_refusal(ipaddress.ip_address("100.64.0.0")) is not None
    assert ip_refusal(ipaddress.ip_address("172.15.255.255")) is None
    assert ip_refusal(ipaddress.ip_address("172.16.0.0")) is not None


def test_url_refusal_reads_the_host_of_a_url():
    assert "loopback" in (url_refusal("http://127.0.0.1:8080/index.html") or "")
    assert "link-local" in (url_refusal("http://169.254.169.254/latest/meta-data/") or "")
    assert url_refusal("https://www.gov.cn/") is None


def test_a_policy_can_allow_one_network_and_still_refuse_the_rest():
    policy = AddressPolicy(["127.0.0.1/32"])
    policy.check_host("127.0.0.1")
    policy.check_ip("test.gov.cn", "127.0.0.1")
    for host in ("127.0.0.2", "10.0.0.1", "localhost"):
        with pytest.raises(AddressRefused):
            policy.check_host(host)
    with pytest.raises(AddressRefused, match="resolves to a loopback address"):
        policy.check_ip("rebind.gov.cn", "127.0.0.2")


REGISTRY = """\
office: 测试
region: 测试
websites:
  - site_code: '5300000001'
    name: 公开网站
    unit: 测试
    level: 市级
    url: http://www.lincang.gov.cn/
  - site_code: '5300000002'
    name: 内网网站
    unit: 测试
    level: 市级
    url: http://192.168.10.5/portal/
"""


def test_validate_reports_a_private_registry_url_as_a_located_error(tmp_path: Path):
    path = tmp_path / "registry.yaml"
    path.write_text(REGISTRY, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert f"{path}, line 9: url: 'http://192.168.10.5/portal/': the host is a private address" in result.output
    assert "Traceback" not in result.output


def test_validate_accepts_private_urls_when_allowed(tmp_path: Path):
    path = tmp_path / "registry.yaml"
    path.write_text(REGISTRY, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--allow-private-addresses", str(path)])
    assert result.exit_code == 0 and "valid" in result.output


def test_validate_locates_a_localhost_url_in_a_sheet_by_row(tmp_path: Path):
    path = tmp_path / "sites.csv"
    path.write_text("网站标识码,网站名称,主办单位,层级,首页网址\n"
                    "5300000001,公开网站,测试,市级,http://www.lincang.gov.cn/\n"
                    "5300000002,本机网站,测试,市级,http://localhost:8000/\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2 and f"{path}, row 3:" in result.output and "localhost" in result.output
