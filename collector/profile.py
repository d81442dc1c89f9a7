"""The indicator profile: thresholds and severities as data, so a province's variant is a file, not code."""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from collector.yamlerrors import YAML_ERRORS, where, yaml_problem

DEFAULT_PROFILE = "default.yaml"


class ProfileError(ValueError):
    """A profile file that cannot be used: the file, the line where known, and why."""


@dataclass(frozen=True)
class Profile:
    name: str
    source: str
    raw: dict[str, Any]

    def check(self, name: str) -> dict[str, Any]:
        """Settings of one check; a missing check is a profile error, not a silent default."""
        try:
            return self.raw["checks"][name]
        except KeyError:
            raise KeyError(f"profile {self.source} has no settings for check {name!r}") from None

    def setting(self, check: str, key: str) -> Any:
        settings = self.check(check)
        if key not in settings:
            raise KeyError(f"profile {self.source}: check {check!r} has no setting {key!r}")
        return settings[key]


def load_profile(path: str | Path | None = None) -> Profile:
    """Load a profile file; without a path, the default profile shipped with the collector."""
    if path is None:
        text = resources.files("collector.profiles").joinpath(DEFAULT_PROFILE).read_text(encoding="utf-8")
        source = f"collector/profiles/{DEFAULT_PROFILE}"
    else:
        source = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ProfileError(f"{source}: cannot read the profile: {exc}") from None
    try:
        raw = yaml.safe_load(text)
    except YAML_ERRORS as exc:
        line, reason = yaml_problem(exc, text)
        raise ProfileError(f"{where(source, line)}: {reason}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("checks"), dict):
        raise ProfileError(f"{source}: checks: a profile needs a 'checks' mapping")
    return Profile(name=str(raw.get("name", source)), source=source, raw=raw)
