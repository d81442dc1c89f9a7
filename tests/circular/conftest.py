"""Fixtures of the circular tests: the seed-shaped registry and a content folder for its quarter."""
from __future__ import annotations

from pathlib import Path

import pytest

from circular.seed_quarter import PERIOD, seed_observations, seed_registry, write_messages
from collector.profile import Profile
from collector.registry import Registry
from collector.summarize.scorecards import write_scorecards


@pytest.fixture
def registry() -> Registry:
    return seed_registry()


@pytest.fixture
def content(tmp_path: Path, registry: Registry, profile: Profile) -> Path:
    """A content folder holding the quarter's scorecards and message summary."""
    write_scorecards(registry, seed_observations(registry), PERIOD, PERIOD.end_time, profile, tmp_path)
    write_messages(tmp_path, registry)
    return tmp_path
