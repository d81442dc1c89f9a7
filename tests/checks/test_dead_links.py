"""链接不可用: what counts as a dead link, what does not, and where the thresholds apply."""
from __future__ import annotations

import pytest
from aiohttp import web

from collector.links import classify, is_internal, registrable_host
from collector.fetch import FetchResult
from collector.registry import Website
from loopback import LoopbackSite, Page

HOST = "www.testcity.gov.cn"
SITE = Website(site_code="5309000001", name="测试市人民政府", unit="测试市人民政府办公室", level="市级",
               site_kind="政府门户网站", url=f"http://{HOST}/")

HOMEPAGE = """<html><head><title>测试市人民政府</title><link rel="stylesheet" href="/style.css"></head><body>
<a href="/">首页</a> <a href="/news/">新闻</a> <a href="/notices/">通知</a>
<a href="/ok.html">正常页面</a> <a href="/ok.html#part2">正常页面第二部分</a>
<a href="/gone.html">旧通知</a> <a href="/soft.html">已删除的文章</a>
<a href="/busy.html">繁忙页面</a> <a href="/maintenance.html">维护中</a>
<a href="/noheads.html">不接受 HEAD 的页面</a>
<a href="mailto:office@testcity.gov.cn">联系我们</a> <a href="javascript:void(0)">收藏</a> <a href="#top">回到顶部</a>
<a href="tel:08832121234">电话</a>
<a href="http://www.province.gov.cn/">省政府</a>
<img src="/logo.png" alt="logo"><script src="/missing.js"></script>
</body></html>"""


def _list_page(title: str, links: list[str]) -> str:
    items = "".join(f'<li><a href="{href}">条目 {i}</a></li>' for i, href in enumerate(links))
    return f"<html><head><title>{title}</title></head><body><a href='/ok.html'>正常页面</a><ul>{items}</ul></body></html>"


def _head_refused(request: web.Request) -> Page:
    if request.method == "HEAD":
        return Page(status=405)
    return Page("<html><head><title>正常</title></head><body>这是一个正常页面。</body></html>")


@pytest.fixture
def site(loopback: LoopbackSite) -> LoopbackSite:
    ok = Page("<html><head><title>正常页面</title></head><body><p>正常内容，欢迎访问。</p></body></html>")
    loopback.add(HOST, "/", Page(HOMEPAGE))
    loopback.add(HOST, "/ok.html", ok)
    loopback.add(HOST, "/soft.html", Page("<html><head><title>提示信息</title></head><body>"
                                          "<h1>对不起，您访问的页面不存在！</h1><a href='/'>返回首页</a></body></html>"))
    loopback.add(HOST, "/busy.html", Page("slow down", status=429, headers={"Retry-After": "0"},
                                          content_type="text/plain"))
    loopback.add(HOST, "/maintenance.html", Page("maintenance", status=503, headers={"Retry-After": "0"},
                                                 content_type="text/plain"))
    loopback.add(HOST, "/noheads.html", _head_refused)
    loopback.add(HOST, "/logo.png", Page(b"\x89PNG....", content_type="image/png"))
    loopback.add(HOST, "/style.css", Page("body{}", content_type="text/css"))
    # /news/ has 2 dead links (not above the threshold of 5), /notices/ has 6 (above it).
    loopback.add(HOST, "/news/", Page(_list_page("新闻", [f"/news/{i}.html" for i in range(2)])))
    loopback.add(HOST, "/notices/", Page(_list_page("通知", [f"/notices/{i}.html" for i in range(6)])))
    loopback.add("www.province.gov.cn", "/", ok)
    return loopback


@pytest.fixture
def observation(site: LoopbackSite, run_check):
    return run_check("dead_links", SITE, site)


def _finding(observation, url: str):
    return next((f for f in observation.findings if f.evidence.url == url), None)


def test_a_404_on_the_homepage_is_a_finding_located_by_page_and_link_text(observation):
    finding = _finding(observation, f"http://{HOST}/gone.html")
    assert finding is not None
    assert finding.code == "dead_link_homepage"
    assert finding.severity == "deduction"
    assert f"http://{HOST}/" in finding.evidence.location and "旧通知" in finding.evidence.location
    assert "404" in finding.evidence.snippet


def test_a_missing_script_counts_like_a_missing_page(observation):
    assert _finding(observation, f"http://{HOST}/missing.js").code == "dead_link_homepage"


def test_a_200_page_that_says_the_page_does_not_exist_is_a_soft_404(observation):
    finding = _finding(observation, f"http://{HOST}/soft.html")
    assert finding is not None and finding.evidence.snippet.startswith("soft404")


def test_a_rate_limited_link_is_not_dead(observation):
    assert _finding(observation, f"http://{HOST}/busy.html") is None
    assert _finding(observation, f"http://{HOST}/maintenance.html") is None
    assert observation.figures["rate_limited"] == 2


def test_a_server_that_refuses_head_is_asked_with_get(observation, site):
    assert _finding(observation, f"http://{HOST}/noheads.html") is None
    methods = [method for method, host, path in site.hits if path == "/noheads.html"]
    assert "GET" in methods


def test_mailto_javascript_tel_and_fragment_only_links_are_not_checked(observation, site):
    checked_paths = {path for _, host, path in site.hits if host == HOST}
    assert not any("mailto" in p or "javascript" in p or "tel:" in p for p in checked_paths)
    assert not any(f.evidence.url.endswith("#top") for f in observation.findings)


def test_each_unique_link_is_checked_once_even_when_linked_from_several_pages(observation, site):
    # /ok.html and /ok.html#part2 are one URL, linked from the homepage and from both list pages.
    requests = [(method, path) for method, host, path in site.hits if host == HOST and path == "/ok.html"]
    assert len(requests) == 1


def test_other_pages_only_count_when_their_dead_links_exceed_the_threshold(observation):
    page_findings = [f for f in observation.findings if f.code == "dead_link_page"]
    assert sorted(f.evidence.url for f in page_findings) == [f"http://{HOST}/notices/{i}.html" for i in range(6)]
    assert all(f"http://{HOST}/notices/" in f.evidence.location for f in page_findings)


def test_figures_count_pages_links_and_classes(observation):
    figures = observation.figures
    assert figures["pages_crawled"] == 6          # homepage, /news/, /notices/, ok, soft, noheads
    assert figures["external"] == 1               # www.province.gov.cn
    assert figures["by_class"]["4xx"] == 2 + 2 + 6  # gone, missing.js, news x2, notices x6
    assert figures["by_class"]["soft404"] == 1
    assert figures["dead_on_homepage"] == 3
    assert figures["links_checked"] == figures["links_found"]


def test_finding_keys_are_the_same_in_the_next_round(site, run_check, observation):
    again = run_check("dead_links", SITE, site)
    assert {f.merge_key for f in again.findings} == {f.merge_key for f in observation.findings}


def test_a_homepage_that_cannot_be_fetched_is_unreachable_not_a_finding(loopback, run_check):
    observation = run_check("dead_links", SITE, loopback)
    assert observation.outcome == "unreachable" and not observation.findings


@pytest.mark.parametrize("error", ["timeout", "dns", "tls", "connect"])
def test_network_failures_are_classified_by_kind(error):
    assert classify(FetchResult("http://x.gov.cn/", "http://x.gov.cn/", None, error=error)) == error


def test_a_503_without_retry_after_is_a_server_error():
    assert classify(FetchResult("http://x.gov.cn/", "http://x.gov.cn/", 503)) == "5xx"


def test_internal_means_the_same_registrable_host():
    assert registrable_host("www.lincang.gov.cn") == "lincang.gov.cn"
    assert is_internal("http://xxgk.lincang.gov.cn/a", "http://www.lincang.gov.cn/")
    assert not is_internal("http://www.moa.gov.cn/a", "http://www.lincang.gov.cn/")


def test_demo_world_city_portal_and_a_column_have_no_dead_links(run_on_demo):
    observations = run_on_demo("dead_links", ["5309000001", "zfxxgk-nyncj"])
    assert {entry: o.outcome for entry, o in observations.items()} == {"5309000001": "ok", "zfxxgk-nyncj": "ok"}
    city = observations["5309000001"].figures
    assert city["pages_crawled"] > 10 and city["links_checked"] > 100 and city["external"] >= 3
    assert city["dead"] == 0
