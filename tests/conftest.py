"""Shared fixtures: a real loopback HTTP server, the default profile, the demo pipeline's output."""
from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from collector.profile import Profile, load_profile
from loopback import LoopbackSite, serve

ROOT = Path(__file__).resolve().parents[1]
DEMO_REGISTRY = ROOT / "registry" / "lincang-demo.yaml"


@pytest.fixture
def loopback() -> Iterator[LoopbackSite]:
    with serve(LoopbackSite()) as site:
        yield site


@pytest.fixture(scope="session")
def profile() -> Profile:
    return load_profile()


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> Path:
    """The demo pipeline, once per session: the last week of 2020 Q2 replayed against the demo world
    (`collector demo-run`), summarised, and built by Pelican. Tests read it; one that needs to change
    files works on its own copy."""
    work = tmp_path_factory.mktemp("demo")
    content = work / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("scorecards", "messages",
                                                                             "rectification-status", "2020Q2*.md"))
    # In its own process, as `make demo` runs it: a test that asks for it first may already be
    # driving a browser, whose event loop would be running in this one.
    run = subprocess.run([sys.executable, "-m", "collector.cli", "demo-run", "--from", "2020-06-24",
                          "--data", str(work / "observations"), "--content", str(content),
                          "--registry", str(DEMO_REGISTRY)], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    build = subprocess.run([sys.executable, "-m", "pelican", str(content), "-s", str(ROOT / "pelicanconf.py"),
                            "-o", str(work / "output")], cwd=ROOT, capture_output=True, text=True)
    assert build.returncode == 0, build.stdout + build.stderr
    return work
