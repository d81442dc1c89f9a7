"""scripts/screenshots.py: the README's screenshots taken from a built site with Debian chromium."""
from __future__ import annotations

import hashlib
import http.server
import struct
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.site.chromium import needs_chromium

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "screenshots.py"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True,
                          timeout=300, cwd=REPO)


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", data[16:24])


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.png"))}


@pytest.mark.browser
@needs_chromium
def test_the_script_shoots_home_phone_list_and_a_failing_scorecard_from_the_built_site(site, tmp_path):
    readme_images = digests(REPO / "docs" / "img")
    done = run("--site", site, "--out", tmp_path / "img")
    assert done.returncode == 0, done.stderr
    names = ["home.png", "home-phone.png", "scorecards.png", "scorecard.png"]
    assert done.stdout.split() == [str(tmp_path / "img" / name) for name in names]
    assert png_size(tmp_path / "img" / "home.png") == (1280, 1000)
    assert png_size(tmp_path / "img" / "home-phone.png") == (375, 812)
    assert all((tmp_path / "img" / name).stat().st_size > 20_000 for name in names)  # a page, not a blank
    assert sorted(p.name for p in (tmp_path / "img").iterdir()) == sorted(names)  # no temp file left
    assert digests(REPO / "docs" / "img") == readme_images


def test_without_a_built_site_or_data_to_build_it_the_script_says_what_to_do(tmp_path):
    done = run("--site", tmp_path / "output", "--out", tmp_path / "img", "--content", tmp_path / "content",
               "--chromium", sys.executable)
    assert done.returncode == 2
    assert done.stderr.strip() == f"screenshots: {tmp_path / 'content' / 'scorecards'}: no scorecards to show; run `make demo` first"
    assert "Traceback" not in done.stderr and not (tmp_path / "img").exists()


class Counting(http.server.SimpleHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        Counting.hits.append(self.path)
        self.send_error(404)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.mark.browser
@needs_chromium
def test_a_page_asking_for_another_server_is_shot_without_reaching_it(tmp_path):
    """Requests to anything but the site's own loopback server are aborted inside the browser,
    before a connection is opened: the other server (another port of 127.0.0.1) sees none."""
    other = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Counting)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    elsewhere = f"http://127.0.0.1:{other.server_address[1]}"
    site = tmp_path / "site"
    (site / "scorecards" / "2020Q2").mkdir(parents=True)
    page = '<!DOCTYPE html><html lang="zh-CN"><head><title>t</title><link rel="stylesheet" href="{0}/x.css"></head>' \
           '<body><img alt="" src="{0}/x.png"><script src="{0}/x.js"></script>{1}</body></html>'
    (site / "index.html").write_text(page.format(elsewhere, "首页"), encoding="utf-8")
    (site / "scorecards" / "index.html").write_text(
        page.format(elsewhere, f'<a href="{elsewhere}/scorecards/2020Q2/b.html">b</a><a href="2020Q2/a.html">a</a>'),
        encoding="utf-8")
    (site / "scorecards" / "2020Q2" / "a.html").write_text(page.format(elsewhere, "评分卡"), encoding="utf-8")
    try:
        done = run("--site", site, "--out", tmp_path / "img")
    finally:
        other.shutdown()
        other.server_close()
    assert done.returncode == 0, done.stderr
    assert Counting.hits == []
    assert (tmp_path / "img" / "scorecard.png").is_file()
