"""The office's own words in its circular: who issues it, to whom, contact, 抄送, the province's rules.

They live beside the registry, in `<registry stem>.office.yaml` (registry/registry.yaml ->
registry/registry.office.yaml), because they belong to the office, not to our template: the shipped
template carries no city's words. Without that file the draft gets clear blanks (【请填写：…】) for
staff to fill in, never another office's contact or rules.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from collector.registry import Registry

SCHEMA = "govcensus.office/1"
FIELDS: dict[str, str] = {
    # key: what a blank asks for
    "issuer": "发文机关",
    "report_to": "整改情况报送单位（如：市政府办公室）",
    "recipients": "主送单位",
    "addressees": "下级单位的统称（如：各县（区）、市直各部门）",
    "units_concerned": "被通报单位的统称（如：有关县（区）和市直部门）",
    "contact": "联系人及电话",
    "cc": "抄送单位",
    "province": "省份",
    "newmedia_rules": "本省政务新媒体管理办法名称",
    "newmedia_filing_system": "本省政务新媒体备案登记系统名称",
}
OPTIONAL_LISTS = ("provincial_notices",)


class OfficeSettingsError(ValueError):
    """An office settings file that cannot be used, with the file, line and field."""


def blank(what: str) -> str:
    """A gap staff see at once in the draft and cannot mistake for text."""
    return f"【请填写：{what}】"


@dataclass(frozen=True)
class OfficeSettings:
    """Words of one office; `source` is the file they came from, or "" when there is none."""

    values: dict[str, str]
    provincial_notices: tuple[str, ...]
    source: str = ""

    @classmethod
    def blank_for(cls, registry: Registry) -> "OfficeSettings":
        """No settings file: only what the registry itself says (its office), blanks for the rest."""
        values = {key: blank(what) for key, what in FIELDS.items()}
        if registry.office:
            values["issuer"] = registry.office
        return cls(values=values, provincial_notices=(), source="")

    def placeholders(self) -> dict[str, str]:
        """Template placeholders: every field, plus the provincial notices as one run of titles."""
        notices = "".join(self.provincial_notices) if self.source else blank("本省相关文件名称（没有可删去）")
        return {**self.values, "provincial_notices": notices}


def office_settings_path(registry_path: str | Path) -> Path:
    path = Path(registry_path)
    return path.with_name(f"{path.stem}.office.yaml")


def load_office_settings(registry_path: str | Path, registry: Registry) -> OfficeSettings:
    """The office settings beside the registry, or blanks when that file does not exist."""
    path = office_settings_path(registry_path)
    if not path.exists():
        return OfficeSettings.blank_for(registry)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise OfficeSettingsError(f"{path}: cannot read the office settings ({exc})") from None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        raise OfficeSettingsError(f"{path}, line {line}: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise OfficeSettingsError(f"{path}: {exc}") from None
    return parse_office_settings(raw, str(path), registry)


def parse_office_settings(raw: Any, source: str, registry: Registry) -> OfficeSettings:
    if not isinstance(raw, dict) or raw.get("schema") != SCHEMA:
        raise OfficeSettingsError(f"{source}: expected a mapping with schema: {SCHEMA}")
    known = {"schema", *FIELDS, *OPTIONAL_LISTS}
    unknown = sorted(str(k) for k in raw if k not in known)
    if unknown:
        raise OfficeSettingsError(f"{source}: unknown field(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    values: dict[str, str] = {}
    for key, what in FIELDS.items():
        value = raw.get(key)
        if isinstance(value, list):
            value = "，".join(str(v).strip() for v in value if str(v).strip())
        if value is not None and not isinstance(value, (str, int, float)):
            raise OfficeSettingsError(f"{source}: field {key} must be text or a list of text")
        text = " ".join(str(value or "").split())
        values[key] = text or blank(what)
    if values["issuer"] == blank(FIELDS["issuer"]) and registry.office:
        values["issuer"] = registry.office
    notices = raw.get("provincial_notices") or []
    if not isinstance(notices, list) or not all(isinstance(n, str) for n in notices):
        raise OfficeSettingsError(f"{source}: field provincial_notices must be a list of document titles")
    return OfficeSettings(values=values, provincial_notices=tuple(n.strip() for n in notices if n.strip()),
                          source=source)
