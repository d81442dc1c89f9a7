"""The circular's 应注销未注销已下线网站域名 sentence: the sites' domains, their 下线日期, and whoever's
WHOIS server still lists them — CNNIC as in the seed circular, another registry when it answered."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from circular.seed_quarter import PERIOD, ROUND, seed_observations, seed_registry, write_messages
from circular.test_draft import AS_OF, OFFICE, TEMPLATE, body
from collector.circular import write_draft
from collector.observations import Evidence, Finding, Observation
from collector.profile import Profile
from collector.registry import Registry
from collector.summarize.scorecards import write_scorecards

HEADING = "### （五）应注销未注销已下线网站域名"


def quarter(tmp_path: Path, profile: Profile, registry: Registry, observations: list[Observation]) -> str:
    write_scorecards(registry, observations, PERIOD, PERIOD.end_time, profile, tmp_path)
    write_messages(tmp_path, registry)
    text = body(write_draft(PERIOD, tmp_path, registry, AS_OF, TEMPLATE, OFFICE).path)
    return text[text.index(HEADING):].split("\n\n")[1]


def registered(site: str, domain: str, server_host: str) -> Observation:
    finding = Finding("domain_still_registered", "应注销未注销已下线网站域名", "veto", f"{domain} 仍可查", key=domain,
                      evidence=Evidence(url=f"whois://{server_host}/{domain}", location=server_host))
    return Observation(at=ROUND, entry=site, kind="website", check="decommissioned_domain", outcome="finding",
                       figures={"domain": domain}, findings=(finding,))


def without_decommissioned(registry: Registry) -> list[Observation]:
    return [o for o in seed_observations(registry) if o.check != "decommissioned_domain"]


def test_cnnic_answering_keeps_the_seed_circular_sentence(tmp_path, profile):
    registry = seed_registry()
    observations = without_decommissioned(registry) + [registered("5309000010", "lcsd.gov.cn", "whois.cnnic.cn"),
                                                       registered("5309000011", "lcda.gov.cn", "whois.cnnic.cn")]
    assert quarter(tmp_path, profile, registry, observations) == (
        "[市水务局已下线网站（域名：lcsd.gov.cn）](../scorecards/2020Q2/5309000010.html)和"
        "[市档案局已下线网站（域名：lcda.gov.cn）](../scorecards/2020Q2/5309000011.html)"
        "未在第三方注册公司进行注销，在“中国互联网络信息中心”还能查找到域名相关信息。")


def test_the_sentence_names_the_registries_whose_servers_answered(tmp_path, profile):
    registry = seed_registry()
    observations = without_decommissioned(registry) + [
        registered("5309000010", "lcsd-water.com", "whois.verisign-grs.com"),
        registered("5309000011", "lcda.gov.cn", "whois.nic.example")]
    sentence = quarter(tmp_path, profile, registry, observations)
    assert "在“威瑞信（Verisign）”、“whois.nic.example”还能查找到域名相关信息" in sentence
    assert "中国互联网络信息中心" not in sentence


def test_several_domains_and_the_offline_date_are_named(tmp_path, profile):
    registry = seed_registry()
    water = replace(registry.get("5309000010"), domains=("lcsd.gov.cn", "lcsw.cn"), offline_since=date(2020, 3, 31))
    registry = replace(registry, websites=tuple(water if w.id == water.id else w for w in registry.websites))
    both = registered("5309000010", "lcsd.gov.cn", "whois.cnnic.cn")
    both = replace(both, figures={"domain": "lcsd.gov.cn", "domains": ["lcsd.gov.cn", "lcsw.cn"]})
    observations = without_decommissioned(registry) + [both]
    assert quarter(tmp_path, profile, registry, observations) == (
        "[市水务局已下线网站（域名：lcsd.gov.cn、lcsw.cn，2020 年 3 月 31 日下线）](../scorecards/2020Q2/5309000010.html)"
        "未在第三方注册公司进行注销，在“中国互联网络信息中心”还能查找到域名相关信息。")


def test_older_data_without_a_whois_address_falls_back_to_the_suffix_s_server(content, registry):
    """The seed quarter's findings carry no whois:// evidence: .gov.cn is CNNIC's, as before."""
    text = body(write_draft(PERIOD, content, registry, AS_OF, TEMPLATE, OFFICE).path)
    assert "在“中国互联网络信息中心”还能查找到域名相关信息" in text
