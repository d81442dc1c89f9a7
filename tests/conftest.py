"""Shared fixtures: a real loopback HTTP server, the demo world, the default profile."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from collector.profile import Profile, load_profile
from loopback import LoopbackSite, serve


@pytest.fixture
def loopback() -> Iterator[LoopbackSite]:
    with serve(LoopbackSite()) as site:
        yield site


@pytest.fixture(scope="session")
def profile() -> Profile:
    return load_profile()
