"""The demo world served once per test session, and a client that reaches any of its hosts."""
from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from collector.demo.testing import WorldHandle, running_world
from collector.demo.world import DEFAULT_NOW


@pytest.fixture(scope="session")
def served() -> Iterator[WorldHandle]:
    with running_world() as handle:
        yield handle


@pytest.fixture
def world_handle(served: WorldHandle) -> Iterator[WorldHandle]:
    """The served world at its default clock; a test that moves the clock leaves it as it found it."""
    served.set_clock(DEFAULT_NOW)
    yield served
    served.set_clock(DEFAULT_NOW)


@pytest.fixture
def fetch(world_handle: WorldHandle) -> Iterator[Callable[..., httpx.Response]]:
    """GET a world URL like `curl --resolve`: connect to the loopback port, send the URL's host."""
    with httpx.Client(timeout=10) as client:
        def get(url: str, **kwargs) -> httpx.Response:
            parsed = httpx.URL(url)
            target = parsed.copy_with(scheme="http", host="127.0.0.1", port=world_handle.port)
            return client.get(target, headers={"Host": parsed.host}, **kwargs)
        yield get
