"""One place that turns anything PyYAML can raise on a bad file into a line number and a reason.

Loaders of staff-edited YAML (profile, circular template, rectification marks) catch
`YAML_ERRORS` and report `file, line N: reason`; without this a control character (ReaderError),
brackets nested thousands deep (RecursionError) or `2020-13-45` (ValueError from the timestamp
constructor) would end a command in a traceback.
"""
from __future__ import annotations

import yaml

YAML_ERRORS: tuple[type[BaseException], ...] = (yaml.YAMLError, RecursionError, ValueError, TypeError, OverflowError)


def yaml_problem(exc: BaseException, text: str, first_line: int = 1) -> tuple[int | None, str]:
    """(line, one-line reason) of an exception in YAML_ERRORS raised while loading `text`.

    first_line is the file line `text` starts on (front matter starts on line 2).
    """
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        reason = exc.problem or exc.context or "invalid YAML"
        return (mark.line + first_line if mark else None), " ".join(str(reason).split())
    if isinstance(exc, yaml.reader.ReaderError):
        line = text[: max(exc.position, 0)].count("\n") + first_line
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        return line, f"control character U+{char:04X} is not allowed"
    if isinstance(exc, RecursionError):
        return None, "nested too deeply"
    return None, " ".join(f"{type(exc).__name__}: {exc}".split())[:200]


def where(source: object, line: int | None) -> str:
    """`file, line N` or just `file`."""
    return f"{source}, line {line}" if line is not None else str(source)
