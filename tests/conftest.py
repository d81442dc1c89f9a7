"""Shared fixtures: a real loopback HTTP server, the default profile, the demo pipeline's output."""
from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

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
    from collector.cli import main

    work = tmp_path_factory.mktemp("demo")
    content = work / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("scorecards", "messages",
                                                                             "rectification-status", "2020Q2*.md"))
    result = CliRunner().invoke(main, ["demo-run", "--from", "2020-06-24", "--data", str(work / "observations"),
                                       "--content", str(content), "--registry", str(DEMO_REGISTRY)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    build = subprocess.run([sys.executable, "-m", "pelican", str(content), "-s", str(ROOT / "pelicanconf.py"),
                            "-o", str(work / "output")], cwd=ROOT, capture_output=True, text=True)
    assert build.returncode == 0, build.stdout + build.stderr
    return work
