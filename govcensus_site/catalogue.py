"""The catalogue the collector writes (`content/catalogue/<period>.yaml`), read for the site.

Check titles, finding-code labels, figure and setting labels, the profile's thresholds and the
scoring items all come from these files, never from the collector's code: the site builds from a
content/ folder alone. The newest period's file describes the methodology page; labels of a name
the newest file lacks (a check since retired) come from the older files, and a name no file knows
is shown as itself so a figure never disappears.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from govcensus_site.incremental import tree_digest
from govcensus_data.model import DataFileError, yaml_loader

SCHEMA = "govcensus.catalogue/1"
FOLDER = "catalogue"


@dataclass(frozen=True)
class Catalogue:
    """The newest catalogue (`current`, {} when content/ has none) and labels merged over all periods.

    `digest` is a hash of every catalogue file: a page whose labels come from here is stale when it changes.
    """

    current: dict[str, Any] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    figures: dict[str, dict[str, str]] = field(default_factory=dict)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    digest: str = ""

    @property
    def period(self) -> str:
        return str(self.current.get("period") or "")

    def checks(self) -> dict[str, dict[str, Any]]:
        return dict(self.current.get("checks") or {})

    def figure_label(self, check: str, key: str) -> str:
        """A figure's label as its check declares it; else as any check declares that key; else the key."""
        own = self.figures.get(check, {}).get(key)
        if own:
            return own
        return next((labels[key] for labels in self.figures.values() if key in labels), key)

    def code_label(self, check: str, code: str) -> str:
        return self.codes.get(check, {}).get(code, code)


def _read_one(path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml_loader())  # noqa: S506 (safe loader)
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(path, f"cannot read: {exc}") from None
    except yaml.YAMLError as exc:
        raise DataFileError(path, f"not valid YAML: {' '.join(str(exc).split())[:200]}") from None
    if not isinstance(data, dict):
        raise DataFileError(path, "a catalogue must be a mapping")
    if data.get("schema") != SCHEMA:
        raise DataFileError(path, f"schema is {data.get('schema')!r}, expected {SCHEMA!r}")
    checks = data.get("checks")
    if not isinstance(checks, dict) or not all(isinstance(c, dict) for c in checks.values()):
        raise DataFileError(path, "checks: a mapping of check name to its description is needed")
    for name, check in checks.items():
        for part in ("codes", "figures"):
            if not isinstance(check.get(part, {}), dict):
                raise DataFileError(path, f"checks.{name}.{part}: a mapping is needed")
        if not isinstance(check.get("settings", []), list):
            raise DataFileError(path, f"checks.{name}.settings: a list is needed")
    return data


def load_catalogue(content: Path) -> Catalogue:
    """Every `<content>/catalogue/*.yaml`, oldest first, so newer declarations win."""
    folder = Path(content) / FOLDER
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    titles: dict[str, str] = {}
    figures: dict[str, dict[str, str]] = {}
    codes: dict[str, dict[str, str]] = {}
    current: dict[str, Any] = {}
    for path in files:
        current = _read_one(path)
        for name, check in current["checks"].items():
            if check.get("title"):
                titles[name] = str(check["title"])
            figures.setdefault(name, {}).update({str(k): str(v) for k, v in (check.get("figures") or {}).items()})
            codes.setdefault(name, {}).update({str(k): str((v or {}).get("label") or k)
                                               for k, v in (check.get("codes") or {}).items()})
    return Catalogue(current, titles, figures, codes, tree_digest(files, folder) if files else "")


#: The catalogue of this build: set by the generator before any page is rendered (workers are
#: forked after that, so they see it too).
_CURRENT = Catalogue()


def use(catalogue: Catalogue) -> None:
    global _CURRENT
    _CURRENT = catalogue


def current() -> Catalogue:
    return _CURRENT
