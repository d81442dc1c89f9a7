"""Fixtures of the circular tests: the seed-shaped registry and a content folder for its quarter."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from circular.seed_quarter import PERIOD, seed_observations, seed_registry, write_messages
from collector.circular.office import OfficeSettings, load_office_settings
from collector.profile import Profile
from collector.registry import Registry
from collector.summarize.scorecards import write_scorecards


@pytest.fixture(scope="session")
def registry() -> Registry:
    return seed_registry()


DEMO_REGISTRY = Path(__file__).resolve().parents[2] / "registry" / "lincang-demo.yaml"


@pytest.fixture(scope="session")
def office_settings(registry: Registry) -> OfficeSettings:
    """The demo office's own words (Lincang's, from its real circular), as the demo registry keeps them."""
    return load_office_settings(DEMO_REGISTRY, registry)


@pytest.fixture(scope="session")
def seed_content(tmp_path_factory: pytest.TempPathFactory, registry: Registry, profile: Profile) -> Path:
    """The quarter's scorecards and message summary, written once through the real scorecard writer."""
    folder = tmp_path_factory.mktemp("seed-content")
    write_scorecards(registry, seed_observations(registry), PERIOD, PERIOD.end_time, profile, folder)
    write_messages(folder, registry)
    return folder


@pytest.fixture
def content(tmp_path: Path, seed_content: Path) -> Path:
    """A test's own copy of the seed content folder, free to change."""
    shutil.copytree(seed_content, tmp_path, dirs_exist_ok=True)
    return tmp_path
