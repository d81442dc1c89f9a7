"""The staff-editable circular template (content/circulars/templates/requirements.md).

YAML front matter holds the words around the figures (title, recipients, preamble, contact, 抄送),
the deadlines and the problem groups of section 二; the Markdown body is section 三 (下一步工作要求).
Placeholders are `{name}`; one that names no known field is an error, so a typo never reaches a
published circular.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Mapping

import yaml

from collector.periods import Period
from collector.yamlerrors import YAML_ERRORS, where, yaml_problem

DEFAULT_TEMPLATE = Path("content/circulars/templates/requirements.md")
SCHEMA = "govcensus.circular-template/1"
QUARTER_CN = "一二三四"
_FIELD = re.compile(r"\{([A-Za-z_]+)\}")


class TemplateError(ValueError):
    """A template that cannot be used, with the file and the reason."""


@dataclass(frozen=True)
class CircularTemplate:
    meta: dict[str, Any]
    requirements: str
    source: str

    def deadline(self, name: str, period: Period) -> date:
        """An explicit date, or the period end plus a number of days."""
        spec = (self.meta.get("deadlines") or {}).get(name)
        if not isinstance(spec, dict):
            raise TemplateError(f"{self.source}: deadlines.{name} is missing")
        if spec.get("date"):
            value = spec["date"]
            return value if isinstance(value, date) else date.fromisoformat(str(value))
        if "after_period_end_days" in spec:
            return period.end + timedelta(days=int(spec["after_period_end_days"]))
        raise TemplateError(f"{self.source}: deadlines.{name} needs date or after_period_end_days")

    def text(self, key: str) -> str:
        value = self.meta.get(key)
        return "" if value is None else str(value)


def load_template(path: str | Path = DEFAULT_TEMPLATE) -> CircularTemplate:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"{path}: cannot read the circular template ({exc.__class__.__name__}: {exc})") from None
    if not text.startswith("---\n") or "\n---\n" not in text[3:]:
        raise TemplateError(f"{path}: expected YAML front matter between '---' lines")
    front, _, body = text[4:].partition("\n---\n")
    try:
        meta = yaml.safe_load(front)
    except YAML_ERRORS as exc:
        line, reason = yaml_problem(exc, front, first_line=2)
        raise TemplateError(f"{where(path, line)}: {reason}") from None
    if not isinstance(meta, dict) or meta.get("schema") != SCHEMA:
        raise TemplateError(f"{path}: front matter must be a mapping with schema: {SCHEMA}")
    return CircularTemplate(meta=meta, requirements=body.strip(), source=str(path))


def fill(text: str, values: Mapping[str, object], source: str) -> str:
    """Replace {field} placeholders; an unknown field is a TemplateError naming it."""
    unknown = sorted({m.group(1) for m in _FIELD.finditer(text)} - set(values))
    if unknown:
        raise TemplateError(f"{source}: unknown placeholder(s) {', '.join('{' + u + '}' for u in unknown)}; "
                            f"known: {', '.join(sorted(values))}")
    return _FIELD.sub(lambda m: str(values[m.group(1)]), text)


def long_date(day: date) -> str:
    """2020 年 7 月 20 日, as the circular writes a deadline."""
    return f"{day.year} 年 {day.month} 月 {day.day} 日"


def short_date(day: date) -> str:
    return f"{day.month} 月 {day.day} 日"
