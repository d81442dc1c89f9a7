from collector.domains import registrable_domain


def test_a_gov_cn_site_host_belongs_to_the_domain_below_gov_cn() -> None:
    assert registrable_domain("www.lcsd.gov.cn") == "lcsd.gov.cn"


def test_a_registrable_domain_is_its_own_registrable_domain() -> None:
    assert registrable_domain("LCDA.gov.cn.") == "lcda.gov.cn"


def test_provincial_second_level_domains_are_suffixes_too() -> None:
    assert registrable_domain("www.example.yn.cn") == "example.yn.cn"
