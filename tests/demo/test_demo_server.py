"""The server: one port for every host, a settable clock, resets for closed sites, rare 503s."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import httpx
import pytest

from collector.demo.server import is_flaky
from collector.demo.world import TZ, at


def test_every_registry_url_answers_200_at_the_end_of_the_quarter(world_handle, fetch) -> None:
    registry = world_handle.world.registry()
    urls = [e.url for e in registry.entries() if getattr(e, "status", "运行") == "运行"]
    urls += [c.url for e in (*registry.websites, *registry.columns) if e.status == "运行" for c in e.columns]
    failed = {}
    for url in urls:
        status = fetch(url).status_code
        if status == 503 and httpx.URL(url).host == world_handle.world.planted.flaky_host:
            world_handle.set_clock(world_handle.now + timedelta(minutes=1))  # the flake is per minute
            status = fetch(url).status_code
        if status != 200:
            failed[url] = status
    assert len(urls) > 300 and failed == {}


@pytest.mark.parametrize("host", ["www.lcsd.gov.cn", "www.lcda.gov.cn"])
def test_decommissioned_sites_reset_the_connection(fetch, host) -> None:
    with pytest.raises(httpx.RemoteProtocolError):
        fetch(f"http://{host}/")


def test_unknown_host_gets_a_404_page(fetch) -> None:
    reply = fetch("http://www.example.gov.cn/")
    assert reply.status_code == 404 and "404" in reply.text


def test_unknown_path_gets_a_404(fetch) -> None:
    assert fetch("http://www.lincang.gov.cn/no/such/page.html").status_code == 404


def test_clock_can_be_read_and_set_over_http(world_handle) -> None:
    base = f"http://127.0.0.1:{world_handle.port}/clock"
    headers = {"Host": "control.world.test"}
    assert httpx.get(base, headers=headers).json() == {"now": "2020-06-30T09:00:00+08:00"}
    reply = httpx.post(base, headers=headers, json={"now": "2020-05-01T08:30:00+08:00"})
    assert reply.status_code == 200 and reply.json() == {"now": "2020-05-01T08:30:00+08:00"}
    assert world_handle.now == datetime(2020, 5, 1, 8, 30, tzinfo=TZ)


def test_clock_refuses_a_time_without_offset(world_handle) -> None:
    reply = httpx.post(f"http://127.0.0.1:{world_handle.port}/clock", headers={"Host": "control.world.test"},
                       json={"now": "2020-05-01T08:30:00"})
    assert reply.status_code == 400
    assert world_handle.now == datetime(2020, 6, 30, 9, 0, tzinfo=TZ)


def test_clock_decides_what_a_list_page_shows(world_handle, fetch) -> None:
    channel = world_handle.world.portals[0].channels[0]
    url = f"http://www.lincang.gov.cn{channel.path}"
    world_handle.set_clock(at(date(2020, 5, 1), 9))
    may = fetch(url).text
    world_handle.set_clock(at(date(2020, 6, 30), 9))
    june = fetch(url).text
    later = [a for a in channel.articles if at(date(2020, 5, 1), 9) < a.published <= at(date(2020, 6, 30), 9)]
    assert later and all(a.path not in may for a in later)
    assert later[0].path in june


def test_an_article_is_not_there_before_its_publication_time(world_handle, fetch) -> None:
    article = world_handle.world.portals[0].channels[0].articles[5]
    world_handle.set_clock(article.published - timedelta(minutes=1))
    assert fetch(f"http://www.lincang.gov.cn{article.path}").status_code == 404
    world_handle.set_clock(article.published)
    assert fetch(f"http://www.lincang.gov.cn{article.path}").status_code == 200


def test_the_flaky_portal_fails_rarely_over_a_week_of_attempts(world_handle) -> None:
    world = world_handle.world
    start = at(date(2020, 6, 24), 0)
    attempts = [start + timedelta(minutes=m) for m in range(0, 7 * 24 * 60, 3)]
    failures = sum(is_flaky(world, world.planted.flaky_host, "/", t) for t in attempts)
    assert 0.005 < failures / len(attempts) < 0.02


def test_the_flaky_portal_fails_only_on_its_homepage(world_handle) -> None:
    world = world_handle.world
    start = at(date(2020, 6, 24), 0)
    assert not any(is_flaky(world, world.planted.flaky_host, "/css/style.css", start + timedelta(minutes=m))
                   for m in range(2000))


def test_other_portals_never_fail(world_handle) -> None:
    world = world_handle.world
    start = at(date(2020, 6, 24), 0)
    for site in world.portals:
        if site.host != world.planted.flaky_host:
            assert not any(is_flaky(world, site.host, "/", start + timedelta(minutes=m)) for m in range(2000))


def test_head_requests_are_answered(world_handle) -> None:
    reply = httpx.head(f"http://127.0.0.1:{world_handle.port}/", headers={"Host": "www.lincang.gov.cn"})
    assert reply.status_code == 200


def _same_content(a: bytes, b: bytes) -> bool:
    """Equal bodies; a workbook by its members but docProps/core.xml (zip and openpyxl stamp the wall
    clock's time into a workbook as it is made: not the world's, and not what a check reads)."""
    if a[:2] == b"PK" and b[:2] == b"PK":
        import io
        import zipfile
        with zipfile.ZipFile(io.BytesIO(a)) as left, zipfile.ZipFile(io.BytesIO(b)) as right:
            return ({n: left.read(n) for n in left.namelist() if n != "docProps/core.xml"}
                    == {n: right.read(n) for n in right.namelist() if n != "docProps/core.xml"})
    return a == b


def test_a_cached_answer_is_what_a_fresh_render_gives_at_every_time() -> None:
    """The server's cache key (Pages.version) names everything a page depends on: over a week of
    world times, some within one day, every page of every portal (a list's second page too; every
    15th article and attachment) answered through the cache equals the page rendered afresh at that time."""
    from collector.demo.server import WorldApp, WorldClock
    from collector.demo.testing import shared_world

    world = shared_world()
    app = WorldApp(world, WorldClock())
    fresh = WorldApp(world, WorldClock()).pages
    requests = []
    for host, routes in app.pages.routes.items():
        articles = [path for path, route in routes.items() if route[0] in ("article", "file")]
        requests += [(host, path) for path, route in routes.items() if route[0] not in ("article", "file")]
        requests += [(host, path) for path in articles[::15]]
        requests += [(host, path + "index_1.html") for path, route in routes.items()
                     if route[0] == "list" and path.endswith("/")]  # a list's second page
    requests += [(e.host, "/") for e in world.external] + [(e.host, e.articles[0].path) for e in world.external]
    times = [at(date(2020, 6, 20) + timedelta(days=d), hour, minute)
             for d in range(7) for hour, minute in ((0, 0), (9, 30), (15, 5), (23, 59))]
    for now in times:
        app.clock.set(now)
        for host, path in requests:
            if is_flaky(world, host, path, now):
                continue
            cached, rendered = app.answer(host, path), fresh.render(host, path, now)
            assert rendered is not None, (host, path)
            assert (cached.status, cached.content_type) == (rendered.status, rendered.content_type), (host, path, now)
            assert _same_content(cached.body, rendered.body), (host, path, now)
