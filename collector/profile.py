"""The indicator profile: thresholds and severities as data, so a province's variant is a file, not code.

Loading a profile verifies it against what the checks declare (collector/checks/base.py): every
check section names a known check, every setting is a field of that check's settings dataclass
with a value of the right kind, and every scoring item counts codes the check declares. A typo
is a located error (file, line, `checks.<check>.<key>`, the closest known name) when the profile
is loaded, not a KeyError in the middle of a round or a finding silently left unscored.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from collector.yamlerrors import YAML_ERRORS, where, yaml_problem

if TYPE_CHECKING:
    from collector.checks.base import Settings

DEFAULT_PROFILE = "default.yaml"


class ProfileError(ValueError):
    """A profile file that cannot be used: the file, the line where known, and why."""


@dataclass(frozen=True)
class Profile:
    name: str
    source: str
    raw: dict[str, Any]
    _typed: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def check(self, name: str) -> dict[str, Any]:
        """Settings of one check as written in the file; a missing check is a profile error."""
        try:
            return self.raw["checks"][name]
        except KeyError:
            raise KeyError(f"profile {self.source} has no settings for check {name!r}") from None

    def setting(self, check: str, key: str) -> Any:
        return getattr(self.settings(check), key)

    @property
    def configured_checks(self) -> frozenset[str]:
        """Checks the profile has a section for."""
        return frozenset(self.raw.get("checks") or {})

    def settings(self, check: str) -> Settings:
        """One check's typed settings: the file's values over the dataclass defaults (cached)."""
        typed = self._typed.get(check)
        if typed is None:
            typed = self._typed[check] = typed_settings(self, check)
        return typed


def _closest(word: str, known: Any) -> str:
    match = difflib.get_close_matches(word, sorted(known), n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""


class _Lines:
    """Line numbers of mapping keys in the profile's YAML, for located errors."""

    def __init__(self, text: str) -> None:
        try:
            self.root = yaml.compose(text)
        except YAML_ERRORS:
            self.root = None

    def of(self, *path: str | int) -> int | None:
        node = self.root
        line = None
        for step in path:
            if isinstance(node, yaml.MappingNode):
                found = next(((k, v) for k, v in node.value if k.value == step), None)
                if found is None:
                    return line
                line, node = found[0].start_mark.line + 1, found[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
                node = node.value[step]
                line = node.start_mark.line + 1
            else:
                return line
        return line


def _kind_ok(default: Any, value: Any) -> bool:
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if isinstance(default, str):
        return isinstance(value, str)
    if isinstance(default, dict):
        return isinstance(value, dict)
    if isinstance(default, (list, tuple)):
        return isinstance(value, list)
    return True


def _kind_name(default: Any) -> str:
    for kind, name in ((bool, "true or false"), (int, "a whole number"), (float, "a number"), (str, "text"),
                       (dict, "a mapping"), ((list, tuple), "a list")):
        if isinstance(default, kind):
            return name
    return "a value"


def typed_settings(profile: Profile, check: str, lines: _Lines | None = None) -> Settings:
    """Build a check's settings dataclass from the profile, refusing unknown keys and wrong kinds."""
    from collector.checks.base import SEVERITIES, get_known_check, setting_default, setting_fields

    known = get_known_check(check)
    if known is None:
        from collector.checks.base import all_checks
        names = [c.name for c in all_checks()]
        raise ProfileError(f"{where(profile.source, lines.of('checks', check) if lines else None)}: "
                           f"checks.{check}: no such check{_closest(check, names)}")
    raw = (profile.raw.get("checks") or {}).get(check) or {}
    if not isinstance(raw, dict):
        raise ProfileError(f"{where(profile.source, lines.of('checks', check) if lines else None)}: "
                           f"checks.{check}: a mapping of settings is needed")
    accepted = setting_fields(known.settings)
    values: dict[str, Any] = {}
    confirmations = []
    for key, value in raw.items():
        at = where(profile.source, lines.of("checks", check, key) if lines else None)
        if isinstance(key, str) and key.startswith("confirm"):
            if not isinstance(value, bool):
                raise ProfileError(f"{at}: checks.{check}.{key}: true or false, not {value!r}")
            if value:
                confirmations.append(key)
            continue
        if key not in accepted:
            raise ProfileError(f"{at}: checks.{check}.{key}: check {check!r} has no setting {key!r}"
                               f"{_closest(str(key), accepted)}")
        if key == "severity" or str(key).startswith("severity_"):
            if value not in SEVERITIES:
                raise ProfileError(f"{at}: checks.{check}.{key}: one of {', '.join(sorted(SEVERITIES))}, "
                                   f"not {value!r}")
        elif not _kind_ok(setting_default(accepted[key]), value):
            raise ProfileError(f"{at}: checks.{check}.{key}: {_kind_name(setting_default(accepted[key]))}, "
                               f"not {value!r}")
        values[key] = value
    return known.settings(**values, confirmations=tuple(confirmations))


def verify_profile(profile: Profile, text: str = "") -> None:
    """Every check section and scoring item of the profile against the checks' declarations."""
    from collector.checks.base import get_known_check

    lines = _Lines(text) if text else None
    for check in profile.raw["checks"]:
        profile._typed[check] = typed_settings(profile, str(check), lines)
    kinds = ((profile.raw.get("scoring") or {}).get("kinds") or {})
    if not isinstance(kinds, dict):
        return  # collector.scoring reports a malformed scoring section with its own located errors
    for kind, rules in kinds.items():
        for part in ("vetoes", "deductions"):
            items = rules.get(part) if isinstance(rules, dict) else None
            for i, item in enumerate(items if isinstance(items, list) else []):
                counted = item.get("findings") if isinstance(item, dict) else None
                for check, codes in (counted.items() if isinstance(counted, dict) else ()):
                    at = where(profile.source, lines.of("scoring", "kinds", kind, part, i, "findings", check)
                               if lines else None)
                    name = f"scoring.kinds.{kind}.{part}[{i}] ({item.get('item', '')})"
                    known = get_known_check(str(check))
                    if known is None:
                        from collector.checks.base import all_checks
                        raise ProfileError(f"{at}: {name}: findings: no such check {check!r}"
                                           f"{_closest(str(check), [c.name for c in all_checks()])}")
                    for code in codes if isinstance(codes, list) else [codes]:
                        if code not in known.codes:
                            raise ProfileError(f"{at}: {name}: findings: check {check!r} has no finding code "
                                               f"{code!r}{_closest(str(code), known.codes)}")


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
    profile = Profile(name=str(raw.get("name", source)), source=source, raw=raw)
    verify_profile(profile, text)
    return profile
