"""The catalogue data file, `content/catalogue/<period>.yaml` (schema govcensus.catalogue/1): its
name, its one serialiser and its validating reader.

It carries what the site needs to name and explain what it shows — check titles, finding-code
labels, figure and setting labels, the words for figures' coded values (`values`: nxdomain ->
不存在（已不能解析）), the figures that are staff's diagnostics (`diagnostics`), the profile's
thresholds, the scoring items — so the site builds from content/ alone. The collector builds the document from the checks' declarations and writes it
through `catalogue_text`; the site reads it through `load_catalogue`. Both sides meet here, so the
layout is stated once.

Labels merge over every period, oldest first: a name the newest file lacks (a check since retired)
keeps its older label, and a name no file knows is shown as itself so a figure never disappears.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from govcensus_data.model import DataFileError, yaml_loader

SCHEMA = "govcensus.catalogue/1"
FOLDER = "catalogue"


def catalogue_text(document: dict[str, Any]) -> str:
    """The catalogue as YAML in the order given (the methodology page follows it); deterministic,
    so an unchanged profile rewrites no file."""
    if document.get("schema") != SCHEMA:
        raise ValueError(f"a catalogue document must carry schema {SCHEMA!r}")
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)


@dataclass(frozen=True)
class Catalogue:
    """The newest catalogue (`current`, {} when content/ has none) and labels merged over all periods.

    `files` are the catalogue files read; `digest` a hash of them, set by whoever needs to know when
    a page whose labels come from here goes stale.
    """

    current: dict[str, Any] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    figures: dict[str, dict[str, str]] = field(default_factory=dict)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    digest: str = ""
    #: check -> figure key -> coded value -> its words
    values: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    files: tuple[Path, ...] = ()
    #: check -> figure keys for staff (a transport's own detail): the public site does not show them
    diagnostics: dict[str, frozenset[str]] = field(default_factory=dict)

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

    def value_label(self, check: str, key: str, value: str) -> str | None:
        """A coded value of a figure (a DNS answer, how a list was read) in the words its check
        declares; None when it declares none for that value (it is then shown as written)."""
        return self.values.get(check, {}).get(key, {}).get(value)

    def is_diagnostic(self, check: str, key: str) -> bool:
        """A figure for staff, not for readers (`Check.diagnostic_figures`)."""
        return key in self.diagnostics.get(check, ())

    def code_label(self, check: str, code: str) -> str:
        return self.codes.get(check, {}).get(code, code)


def read_catalogue(path: Path) -> dict[str, Any]:
    """One catalogue file, checked against the schema; a damaged one is a DataFileError naming the
    file and the field, since a silently missing label would misname a published figure."""
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
        for part in ("codes", "figures", "values"):
            if not isinstance(check.get(part, {}), dict):
                raise DataFileError(path, f"checks.{name}.{part}: a mapping is needed")
        for key, words in (check.get("values") or {}).items():
            if not isinstance(words, dict):
                raise DataFileError(path, f"checks.{name}.values.{key}: a mapping of value to its words is needed")
        if not isinstance(check.get("settings", []), list):
            raise DataFileError(path, f"checks.{name}.settings: a list is needed")
        diagnostics = check.get("diagnostics", [])
        if not isinstance(diagnostics, list) or not all(isinstance(key, str) for key in diagnostics):
            raise DataFileError(path, f"checks.{name}.diagnostics: a list of figure keys is needed")
    return data


def catalogue_files(content: Path) -> list[Path]:
    """Every `<content>/catalogue/*.yaml`, oldest period first."""
    folder = Path(content) / FOLDER
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def load_catalogue(content: Path) -> Catalogue:
    """Every catalogue under content/, oldest first, so newer declarations win."""
    files = catalogue_files(content)
    titles: dict[str, str] = {}
    figures: dict[str, dict[str, str]] = {}
    codes: dict[str, dict[str, str]] = {}
    values: dict[str, dict[str, dict[str, str]]] = {}
    diagnostics: dict[str, frozenset[str]] = {}
    current: dict[str, Any] = {}
    for path in files:
        current = read_catalogue(path)
        for name, check in current["checks"].items():
            if check.get("title"):
                titles[name] = str(check["title"])
            figures.setdefault(name, {}).update({str(k): str(v) for k, v in (check.get("figures") or {}).items()})
            codes.setdefault(name, {}).update({str(k): str((v or {}).get("label") or k)
                                               for k, v in (check.get("codes") or {}).items()})
            for key, words in (check.get("values") or {}).items():
                values.setdefault(name, {}).setdefault(str(key), {}).update(
                    {str(k): str(v) for k, v in words.items() if v})
            if "diagnostics" in check:  # the newest file that says wins: a figure may stop being one
                diagnostics[name] = frozenset(check["diagnostics"])
    return Catalogue(current, titles, figures, codes, files=tuple(files), values=values, diagnostics=diagnostics)
