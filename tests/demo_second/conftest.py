"""The 岑州 demo world served once per test session, and a client that reaches any of its hosts."""
from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from collector.demo.cenzhou.testing import running_world
from collector.demo.cenzhou.world import DEFAULT_NOW
from collector.demo.testing import WorldHandle


@pytest.fixture(scope="session")
def cenzhou_served() -> Iterator[WorldHandle]:
    with running_world() as handle:
        yield handle


@pytest.fixture
def cenzhou(cenzhou_served: WorldHandle) -> Iterator[WorldHandle]:
    """The served world at its default clock; a test that moves the clock leaves it as it found it."""
    cenzhou_served.set_clock(DEFAULT_NOW)
    yield cenzhou_served
    cenzhou_served.set_clock(DEFAULT_NOW)


@pytest.fixture
def get(cenzhou: WorldHandle) -> Iterator[Callable[..., httpx.Response]]:
    """GET a world URL like `curl --resolve`: connect to the loopback port, send the URL's host."""
    with httpx.Client(timeout=10) as client:
        def fetch(url: str, **kwargs) -> httpx.Response:
            parsed = httpx.URL(url)
            target = parsed.copy_with(scheme="http", host="127.0.0.1", port=cenzhou.port)
            return client.get(target, headers={"Host": parsed.host}, **kwargs)
        yield fetch
