"""The WHOIS client against our real loopback WHOIS server (RFC 3912 over TCP)."""
from __future__ import annotations

import asyncio
import socket
from datetime import datetime

from collector.demo.whois_server import WhoisServer, serving_in_thread, whois_server
from collector.domains.whois import WhoisResult, classify, dial_address, query, server_for

CNNIC = "whois.cnnic.cn:43"


def ask(port: int, domain: str, timeout: float = 5.0, max_bytes: int = 64 * 1024) -> WhoisResult:
    return asyncio.run(query(domain, CNNIC, overrides={"whois.cnnic.cn": ("127.0.0.1", port)},
                             timeout=timeout, max_bytes=max_bytes))


def test_registered_domain_is_parsed_with_dates_registrar_and_statuses(lcsd_whois: str) -> None:
    with whois_server({"lcsd.gov.cn": lcsd_whois}) as port:
        result = ask(port, "lcsd.gov.cn")
    assert result.outcome == "registered"
    record = result.record
    assert record is not None
    assert record.domain_name == "lcsd.gov.cn"
    assert record.roid == "20030317s10011s00045521-cn"
    assert record.statuses == ("serverDeleteProhibited", "serverUpdateProhibited", "serverTransferProhibited")
    assert record.registrant == "临沧市水务局"
    assert record.sponsoring_registrar == "北京新网数码信息技术有限公司"
    assert record.name_servers == ("dns1.xinnet.cn", "dns2.xinnet.cn")
    assert record.registration_time == datetime(2003, 3, 17, 12, 20, 5)
    assert record.expiration_time == datetime(2021, 3, 17, 12, 48, 36)
    assert record.dnssec == "unsigned"


def test_the_query_is_the_domain_and_crlf_and_the_server_name_stays_the_real_one(lcsd_whois: str) -> None:
    server = WhoisServer({"lcsd.gov.cn": lcsd_whois})
    with serving_in_thread(server) as port:
        result = ask(port, "lcsd.gov.cn")
    assert server.requests == [b"lcsd.gov.cn\r\n"]
    assert result.server == CNNIC


def test_registrant_email_keeps_only_its_domain_everywhere(lcsd_whois: str) -> None:
    with whois_server({"lcsd.gov.cn": lcsd_whois}) as port:
        result = ask(port, "lcsd.gov.cn")
    assert result.record is not None
    assert result.record.registrant_email == "***@163.com"
    assert "zhang.wei" not in result.text
    assert all("zhang.wei" not in value for _, value in result.record.lines)


def test_evidence_quotes_name_statuses_times_and_registrar_lines(lcsd_whois: str) -> None:
    with whois_server({"lcsd.gov.cn": lcsd_whois}) as port:
        record = ask(port, "lcsd.gov.cn").record
    assert record is not None
    assert record.evidence_lines() == [
        "Domain Name: lcsd.gov.cn",
        "Domain Status: serverDeleteProhibited",
        "Domain Status: serverUpdateProhibited",
        "Domain Status: serverTransferProhibited",
        "Registration Time: 2003-03-17 12:20:05",
        "Expiration Time: 2021-03-17 12:48:36",
        "Sponsoring Registrar: 北京新网数码信息技术有限公司",
    ]


def test_a_domain_without_record_is_not_registered(lcsd_whois: str) -> None:
    with whois_server({"lcsd.gov.cn": lcsd_whois}) as port:
        result = ask(port, "lcda.gov.cn")
    assert result.outcome == "not_registered"
    assert not result.failed


def test_other_registries_no_match_notices_mean_not_registered_too() -> None:
    for reply in ('No match for "EXAMPLE.CN".', "NOT FOUND", "%% No entries found for the selected source(s).",
                  "Domain not found."):
        assert classify("example.cn", CNNIC, reply).outcome == "not_registered", reply


def test_a_rate_limit_notice_is_reported_as_rate_limited_not_as_unregistered(lcsd_whois: str) -> None:
    with whois_server({"lcsd.gov.cn": lcsd_whois}, rate_limited=["lcsd.gov.cn"]) as port:
        result = ask(port, "lcsd.gov.cn")
    assert result.outcome == "rate_limited"
    assert result.failed
    assert result.detail == "Queried interval is too short."
    assert classify("x.cn", CNNIC, "You have exceeded this server's query limit").outcome == "rate_limited"


def test_a_server_that_never_answers_times_out() -> None:
    with whois_server({}, silent=["lcsd.gov.cn"]) as port:
        result = ask(port, "lcsd.gov.cn", timeout=0.2)
    assert result.outcome == "timeout"
    assert result.failed


def test_garbage_is_unparseable_never_not_registered() -> None:
    with whois_server({}, garbage=["lcsd.gov.cn"]) as port:
        result = ask(port, "lcsd.gov.cn")
    assert result.outcome == "unparseable"
    assert result.failed
    assert result.detail.isprintable()


def test_an_empty_reply_and_a_record_of_another_domain_are_unparseable(lcsd_whois: str) -> None:
    assert classify("lcsd.gov.cn", CNNIC, "").outcome == "unparseable"
    other = lcsd_whois.replace("Domain Name: lcsd.gov.cn", "Domain Name: lcda.gov.cn")
    result = classify("lcsd.gov.cn", CNNIC, other)
    assert (result.outcome, result.detail) == ("unparseable", "the reply is about lcda.gov.cn, not lcsd.gov.cn")


def test_a_reply_larger_than_the_cap_is_unparseable(lcsd_whois: str) -> None:
    with whois_server({"lcsd.gov.cn": lcsd_whois * 20}) as port:
        result = ask(port, "lcsd.gov.cn", max_bytes=1024)
    assert result.outcome == "unparseable"
    assert "larger than 1024 bytes" in result.detail


def test_a_refused_connection_is_a_connection_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    result = ask(closed_port, "lcsd.gov.cn")
    assert result.outcome == "connection_error"
    assert result.failed


def test_gov_cn_and_cn_go_to_cnnic_and_the_longest_suffix_wins() -> None:
    servers = {"cn": "whois.cnnic.cn:43", "gov.cn": "whois.gov.example:4343"}
    assert server_for("lcsd.gov.cn", servers) == "whois.gov.example:4343"
    assert server_for("example.cn", servers) == "whois.cnnic.cn:43"
    assert server_for("example.com", servers) is None


def test_overrides_redirect_by_server_host_name_or_pattern() -> None:
    assert dial_address("whois.cnnic.cn:43", {}) == ("whois.cnnic.cn", 43)
    assert dial_address("whois.cnnic.cn:43", {"whois.cnnic.cn": ("127.0.0.1", 4343)}) == ("127.0.0.1", 4343)
    assert dial_address("whois.cnnic.cn:43", {"*": ("127.0.0.1", 4343)}) == ("127.0.0.1", 4343)
