"""Whatever PyYAML raises on a staff-edited file becomes a line and a one-line reason."""
from __future__ import annotations

import pytest
import yaml

from collector.yamlerrors import YAML_ERRORS, yaml_problem


def problem(text: str, first_line: int = 1):
    with pytest.raises(YAML_ERRORS) as caught:
        yaml.safe_load(text)
    return yaml_problem(caught.value, text, first_line)


def test_a_syntax_error_gives_its_line():
    assert problem("a: 1\nb: [unclosed\n") == (3, "expected ',' or ']', but got '<stream end>'")


def test_a_control_character_gives_its_line_and_code_point():
    assert problem("a: 1\nb: x\x07y\n") == (2, "control character U+0007 is not allowed")


def test_lines_count_from_where_the_text_starts_in_its_file():
    assert problem("a: 1\nb: x\x07y\n", first_line=2) == (3, "control character U+0007 is not allowed")


def test_an_impossible_date_is_a_reason_not_a_crash():
    line, reason = problem("date: 2020-13-45\n")
    assert line is None and reason.startswith("ValueError: month must be in 1..12")


def test_deep_nesting_is_a_reason_not_a_crash():
    assert problem("a: " + "[" * 5000 + "]" * 5000 + "\n") == (None, "nested too deeply")
