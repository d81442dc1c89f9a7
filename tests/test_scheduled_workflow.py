"""The scheduled workflow, end to end without GitHub: collect.yml's own jobs and `run:` steps, in order.

The test reads .github/workflows/collect.yml and runs it the way Actions would: the `plan` job, one
`round` job per shard of the matrix the plan computed (two here), then `merge-summarize-build` and
`deploy`. Every `run:` step is executed as written, with bash as Actions runs it (`-eo pipefail`), in a
job folder of its own that `actions/checkout` fills from a local bare repository standing in for
GitHub (so the workflow's `git push` really pushes, to that bare repository). The `uses:` steps are
emulated: checkout clones, setup-python reuses our .venv, upload/download-artifact copy folders
between job folders the way those actions lay them out, cache/restore and cache/save keep folders
by key (restore-keys as prefixes, the newest first), the Pages steps check what they would
publish. A re-run of a job gets a fresh workspace at the same path, as on GitHub. `${{ }}` expressions are filled from a fixed table: an expression the table does not know
fails the test, so the workflow cannot grow an input this emulation silently ignores.

The collector meets the demo world on loopback: the workflow's GOVCENSUS_* variables, empty in
production, carry the round's time and --resolve/--allow-private-addresses/--whois-at/--dns-at.
Only a few checks run (--check), to keep the test short; which entries and shards is the workflow's.
"""
from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from collector.checks.base import get_check
from collector.demo.dns_server import dns_server
from collector.demo.testing import running_world, shared_world
from collector.demo.whois_server import whois_server
from collector.registry import load_registry
from collector.shards import Manifest
from poisoned import Payload

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "collect.yml"
REGISTRY = "registry/lincang-demo.yaml"
AS_OF = "2020-06-30T09:00:00+08:00"
SITEURL = "http://127.0.0.1:8000/govcensus"
CHECKS = ("homepage_freshness", "footer_marks", "reachability")
STEP_TIMEOUT = 600  # seconds; "does not hang", many times what a step takes
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
CACHE_KEY = "the-publishing-job-s-secret"


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


@dataclass
class Actions:
    """Just enough of GitHub Actions to run collect.yml's jobs locally (see the module docstring)."""

    work: Path
    origin: Path
    env_overrides: dict[str, str]
    vars: dict[str, str]
    secrets: dict[str, str] = field(default_factory=dict)  # a secret not configured reads as ""
    artifacts: Path = field(init=False)
    log: list[str] = field(default_factory=list)
    pages: Path | None = None
    deployed: bool = False
    caches: dict[str, Path] = field(default_factory=dict)  # actions/cache: key -> saved folder, in saving order
    restored: dict[str, str] = field(default_factory=dict)  # job label -> the key its restore found ("" none)

    def __post_init__(self) -> None:
        self.artifacts = self.work / "artifacts"
        self.artifacts.mkdir()

    def run_job(self, name: str, needs: dict[str, dict[str, str]], matrix: dict[str, str] | None = None,
                conditions: dict[str, bool] | None = None, attempt: int = 1) -> dict[str, str]:
        """Run one job's steps in order (`attempt` > 1: a re-run of it); returns the job's outputs."""
        job = workflow()["jobs"][name]
        assert "timeout-minutes" in job, f"job {name} has no timeout-minutes"
        context = {f"vars.{k}": v for k, v in self.vars.items()}
        context.update({f"secrets.{k}": self.secrets.get(k, "") for k in SECRETS})
        context.update({"github.run_id": "1", "github.run_attempt": str(attempt)})
        context.update({f"needs.{job_name}.outputs.{k}": v for job_name, outputs in needs.items()
                        for k, v in outputs.items()})
        context.update({f"matrix.{k}": v for k, v in (matrix or {}).items()})
        if "if" in job:
            condition = EXPRESSION.sub(lambda m: m.group(1), str(job["if"])).strip()
            assert condition in (conditions or {}), f"job {name}: the test does not know the condition {condition!r}"
            if not (conditions or {})[condition]:
                return {}
        workspace = name + (f"-{matrix['shard'].replace('/', '-of-')}" if matrix else "")
        label = workspace + (f"-{attempt}" if attempt > 1 else "")
        # A re-run gets a fresh runner whose workspace has the same path, as on GitHub.
        folder = self.work / "jobs" / workspace
        if folder.exists():
            shutil.rmtree(folder)
        runner_temp = self.work / "runner" / label
        runner_temp.mkdir(parents=True)
        github_env = runner_temp / "github_env"
        github_env.touch()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GOVCENSUS_", "RUNNER_"))}
        env.update({k: fill(str(v), context) for k, v in workflow().get("env", {}).items()})
        env.update(self.env_overrides)
        env.update({k: fill(str(v), context) for k, v in job.get("env", {}).items()})
        env.update({"CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(folder), "GITHUB_JOB": name,
                    "GITHUB_ENV": str(github_env), "RUNNER_TEMP": str(runner_temp)})
        steps: dict[str, dict[str, str]] = {}
        for number, step in enumerate(job["steps"], start=1):
            step_context = {**context, **{f"env.{k}": v for k, v in env.items()},
                            **{f"steps.{i}.outputs.{k}": v for i, outs in steps.items() for k, v in outs.items()}}
            if "if" in step and not step_condition(str(step["if"]), step_context):
                self.log.append(f"{label}: skipped {step.get('name') or step.get('uses')}")
                continue
            if "uses" in step:
                with_ = {k: fill(str(v), step_context) for k, v in step.get("with", {}).items()}
                self.uses(step["uses"], with_, folder, label)
                self.log.append(f"{label}: uses {step['uses']}")
                continue
            output_file = runner_temp / f"output-{number}"
            output_file.touch()
            step_env = {**env, **{k: fill(str(v), step_context) for k, v in step.get("env", {}).items()},
                        "GITHUB_OUTPUT": str(output_file)}
            script = runner_temp / f"step-{number}.sh"
            script.write_text(step["run"], encoding="utf-8")
            done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=folder,
                                  env=step_env, capture_output=True, text=True, timeout=STEP_TIMEOUT)
            title = step.get("name", step["run"].splitlines()[0])
            assert done.returncode == 0, f"{label}: step {title!r} failed:\n{done.stdout}\n{done.stderr}"
            self.log.append(f"{label}: {title}\n{done.stdout}")
            if "id" in step:
                steps[step["id"]] = key_values(output_file)
            env.update(key_values(github_env))
        final = {**context, **{f"steps.{i}.outputs.{k}": v for i, outs in steps.items() for k, v in outs.items()}}
        return {k: fill(str(v), final) for k, v in job.get("outputs", {}).items()}

    def uses(self, action: str, with_: dict[str, str], folder: Path, label: str = "") -> None:
        name = action.split("@")[0]
        if name == "actions/checkout":
            subprocess.run(["git", "clone", "-q", str(self.origin), str(folder)], check=True)
            # setup-python plus a cached environment: our .venv, as up to date as it is here.
            (folder / ".venv").symlink_to(ROOT / ".venv", target_is_directory=True)
            stamp = (ROOT / ".venv" / ".installed").stat().st_mtime
            for dependency in ("requirements.txt", "pyproject.toml"):
                os.utime(folder / dependency, (stamp - 60, stamp - 60))
            fresh = subprocess.run(["make", "-q", ".venv/.installed"], cwd=folder)
            assert fresh.returncode == 0, "the Install step would reinstall: run `make .venv/.installed` first"
        elif name == "actions/setup-python":
            assert with_ == {"python-version": "3.11"}
        elif name == "actions/upload-artifact":
            source = folder / with_["path"]
            assert source.is_dir() and any(source.iterdir()), f"upload-artifact: nothing at {with_['path']}"
            assert not (self.artifacts / with_["name"]).exists(), f"two jobs upload the artifact {with_['name']}"
            shutil.copytree(source, self.artifacts / with_["name"])
        elif name == "actions/download-artifact":
            # Several artifacts, no merge-multiple: each lands in <path>/<artifact name>/.
            assert "merge-multiple" not in with_
            for artifact in sorted(self.artifacts.iterdir()):
                if fnmatch.fnmatch(artifact.name, with_["pattern"]):
                    shutil.copytree(artifact, folder / with_["path"] / artifact.name)
        elif name == "actions/cache/restore":
            # The exact key, else the newest cache whose key starts with a restore key; nothing on a miss.
            prefixes = [line.strip() for line in with_.get("restore-keys", "").splitlines() if line.strip()]
            found = with_["key"] if with_["key"] in self.caches else next(
                (key for key in reversed(self.caches) if any(key.startswith(p) for p in prefixes)), "")
            self.restored[label] = found
            if found:
                shutil.copytree(self.caches[found], folder, dirs_exist_ok=True, symlinks=True)
        elif name == "actions/cache/save":
            assert with_["key"] not in self.caches, f"cache key {with_['key']} saved twice: the second save would fail"
            saved = self.work / "caches" / str(len(self.caches))
            for path in (line.strip() for line in with_["path"].splitlines() if line.strip()):
                assert (folder / path).exists(), f"cache/save: nothing at {path}"
                shutil.copytree(folder / path, saved / path, symlinks=True)
            self.caches[with_["key"]] = saved
        elif name == "actions/upload-pages-artifact":
            self.pages = folder / with_["path"]
            assert (self.pages / "index.html").is_file()
        elif name == "actions/deploy-pages":
            assert self.pages is not None, "deploy without a Pages artifact"
            self.deployed = True
        else:
            raise AssertionError(f"the test does not emulate {action}")


#: The secrets the workflow may name; any other fails the test.
SECRETS = ("GOVCENSUS_CACHE_KEY",)
STEP_CONDITION = re.compile(r"([\w.-]+) == '([^']*)'")


def step_condition(condition: str, context: dict[str, str]) -> bool:
    """A step's `if:`; only the form the workflow uses (`steps.x.outputs.y == 'value'`) is known."""
    condition = EXPRESSION.sub(lambda m: m.group(1), condition).strip()
    match = STEP_CONDITION.fullmatch(condition)
    assert match, f"the test does not know the step condition {condition!r}"
    return context.get(match.group(1), "") == match.group(2)


def fill(text: str, context: dict[str, str]) -> str:
    def value(match: re.Match) -> str:
        expression = match.group(1)
        assert expression in context, f"the test does not know the expression {expression!r}"
        return context[expression]

    return EXPRESSION.sub(value, text)


def key_values(path: Path) -> dict[str, str]:
    """A GITHUB_OUTPUT / GITHUB_ENV file (KEY=value lines; the workflow uses no multi-line values)."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        assert "<<" not in line.split("=", 1)[0], "multi-line values are not emulated"
        key, _, value = line.partition("=")
        found[key] = value
    return found


def scratch_repository(work: Path) -> Path:
    """A bare repository holding this work tree's files (tracked and new, not ignored): our 'GitHub'."""
    source = work / "source"
    listed = subprocess.run(["git", "ls-files", "-z", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True,
                            check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@127.0.0.1"]
    subprocess.run(["git", "init", "-q", "-b", "main", str(source)], check=True)
    subprocess.run([*git, "add", "-A"], cwd=source, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "the repository before the scheduled run"], cwd=source, check=True)
    origin = work / "origin.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(source), str(origin)], check=True)
    return origin


@pytest.fixture(scope="module")
def scheduled(tmp_path_factory) -> Actions:
    """One scheduled run of collect.yml: plan, two round shards, merge-summarize-build, deploy."""
    if not (ROOT / ".venv" / ".installed").exists():
        pytest.skip("needs the project's .venv (make .venv/.installed)")
    work = tmp_path_factory.mktemp("scheduled")
    origin = scratch_repository(work)
    at = datetime.fromisoformat(AS_OF)
    with running_world(at) as world, whois_server(shared_world().whois_records) as whois_port, \
            dns_server({}) as dns_port:
        loopback = (f"--allow-private-addresses --resolve *=127.0.0.1:{world.port} "
                    f"--whois-at 127.0.0.1:{whois_port} --dns-at 127.0.0.1:{dns_port} "
                    + " ".join(f"--check {name}" for name in CHECKS))
        actions = Actions(work, origin, vars={"GOVCENSUS_REGISTRY": REGISTRY, "GOVCENSUS_SITEURL": SITEURL},
                          secrets={"GOVCENSUS_CACHE_KEY": CACHE_KEY},
                          env_overrides={"GOVCENSUS_AS_OF": AS_OF, "GOVCENSUS_ROUND_ARGS": loopback,
                                         "ENTRIES_PER_SHARD": "60"})
        plan = actions.run_job("plan", {}, conditions={"vars.GOVCENSUS_REGISTRY != ''": True})
        actions.plan = plan  # type: ignore[attr-defined]
        matrix = workflow()["jobs"]["round"]["strategy"]["matrix"]
        assert matrix == {"shard": "${{ fromJSON(needs.plan.outputs.shards) }}"}
        for shard in json.loads(plan["shards"]):
            actions.run_job("round", {"plan": plan}, matrix={"shard": shard})
    actions.run_job("merge-summarize-build", {"plan": plan, "round": {}},
                    conditions={"!cancelled() && needs.plan.result == 'success'": True})
    actions.run_job("deploy", {"merge-summarize-build": {}})
    return actions


def git_show(origin: Path, what: str) -> str:
    return subprocess.run(["git", "--git-dir", str(origin), "show", what], capture_output=True, text=True,
                          check=True).stdout


def test_the_plan_fixes_the_round_time_cadence_and_two_shards_from_the_registry(scheduled):
    assert scheduled.plan == {"as_of": AS_OF, "cadence": "all", "shards": '["1/2", "2/2"]'}


def test_each_round_job_uploads_a_shard_store_of_its_own_entries(scheduled):
    registry = load_registry(ROOT / REGISTRY)
    stores = sorted(scheduled.artifacts.iterdir())
    assert [s.name for s in stores] == ["shard-1-of-2", "shard-2-of-2"]
    manifests = [Manifest.read(s) for s in stores]
    assert not manifests[0].entries & manifests[1].entries
    assert manifests[0].entries | manifests[1].entries == {e.id for e in registry.entries()}
    for store, manifest in zip(stores, manifests):
        lines = (store / "2020" / "2020-06-30.jsonl").read_text(encoding="utf-8").splitlines()
        observed = {json.loads(line)["entry"] for line in lines}
        assert observed and observed <= manifest.entries
        assert {json.loads(line)["check"] for line in lines} <= set(CHECKS)


def pushed_day(origin: Path, folder: Path) -> list[str]:
    """The pushed observations of the round's day, as lines: the workflow compacts closed days to
    Parquet before committing (docs/scale.md), so they are read back through the store."""
    from datetime import date

    from collector.store import ObservationStore

    day = folder / "2020" / "2020-06-30.parquet"
    day.parent.mkdir(parents=True)
    day.write_bytes(subprocess.run(["git", "--git-dir", str(origin), "show", "main:data/observations/2020/2020-06-30.parquet"],
                                   capture_output=True, check=True).stdout)
    return [o.to_json() for o in ObservationStore(folder).read(date(2020, 6, 30), date(2020, 6, 30))]


def test_the_merged_observations_and_summaries_are_committed_and_pushed(scheduled, tmp_path):
    log = subprocess.run(["git", "--git-dir", str(scheduled.origin), "log", "--format=%s", "main"],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    assert log[0] == f"collector round {AS_OF}"
    pushed = pushed_day(scheduled.origin, tmp_path / "pushed")
    shard_lines = [line for store in scheduled.artifacts.iterdir()
                   for line in (store / "2020" / "2020-06-30.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(pushed) == sorted(shard_lines)
    keys = [(json.loads(line)["check"], json.loads(line)["entry"]) for line in pushed]
    assert keys == sorted(keys)  # one round's order, as an unsharded round writes it
    registry = load_registry(ROOT / REGISTRY)
    for name in CHECKS:
        expected = {e.id for e in registry.entries() if get_check(name).applies(e)}
        assert {entry for check, entry in keys if check == name} == expected, name
    card = git_show(scheduled.origin, "main:content/scorecards/2020Q2/website/5309000001.md")
    assert "schema: govcensus.scorecard/1" in card
    # the catalogue travels with the scorecards: a deploy job that checks out the commit builds from it
    assert "govcensus.catalogue/" in git_show(scheduled.origin, "main:content/catalogue/2020Q2.yaml")
    files = subprocess.run(["git", "--git-dir", str(scheduled.origin), "ls-tree", "-r", "--name-only", "main"],
                           capture_output=True, text=True, check=True).stdout.splitlines()
    assert not [f for f in files if f.startswith("data/shards/")]
    # the closed day was compacted before the commit: Parquet in git, its JSONL gone
    assert "data/observations/2020/2020-06-30.parquet" in files
    assert "data/observations/2020/2020-06-30.jsonl" not in files


def test_the_site_is_built_from_the_merged_summaries_and_deployed(scheduled):
    assert scheduled.deployed and scheduled.pages is not None
    page = (scheduled.pages / "scorecards" / "2020Q2" / "5309000001.html").read_text(encoding="utf-8")
    assert SITEURL in page
    steps = [entry.splitlines()[0] for entry in scheduled.log]
    merge = steps.index("merge-summarize-build: Merge the shard stores")
    assert steps.index("merge-summarize-build: Summaries of the current quarter") > merge
    assert steps.index("merge-summarize-build: Build the site") > merge
    assert steps[-1] == "deploy: uses actions/deploy-pages@v5"


def test_a_second_build_takes_its_unchanged_pages_from_the_last_one(scheduled):
    """The build job keeps its pages and build cache in the Actions cache; run again (a re-run of the
    job, the same data), it renders no page whose data did not change and publishes the same site."""
    from govcensus_site.incremental import last_rendered

    assert scheduled.pages is not None
    first = shutil.copytree(scheduled.pages, scheduled.work / "first-published")  # the re-run starts afresh
    assert scheduled.restored == {"merge-summarize-build": ""}  # the first build had nothing to take
    scheduled.run_job("merge-summarize-build", {"plan": scheduled.plan, "round": {}},  # type: ignore[attr-defined]
                      conditions={"!cancelled() && needs.plan.result == 'success'": True}, attempt=2)
    assert scheduled.restored["merge-summarize-build-2"] == "site-1-1"
    second = scheduled.pages
    assert second is not None
    rendered = last_rendered(second)
    # only the pages that show articles, the profile or message statistics are rendered every build
    assert rendered and not [p for p in rendered if p.startswith(("scorecards/", "units/", "feeds/units/"))]
    pages = sorted(p.relative_to(first).as_posix() for p in first.rglob("*.html"))
    assert pages == sorted(p.relative_to(second).as_posix() for p in second.rglob("*.html"))
    assert [p for p in pages if (first / p).read_bytes() != (second / p).read_bytes()] == []
    assert not (second.parent / "last-output").exists()  # the copy the build took pages from is gone


def published(pages: Path) -> dict[str, bytes]:
    return {p.relative_to(pages).as_posix(): p.read_bytes() for p in pages.rglob("*.html")}


def test_the_build_cache_travels_sealed_and_a_poisoned_one_is_not_used(scheduled):
    """Any job of the default branch can write the Actions cache (the test job and every package it
    installs): the build job seals what it saves and uses nothing that is not sealed with its secret."""
    import pickle

    from govcensus_site.incremental import last_rendered
    from govcensus_site.seal import MAGIC

    assert scheduled.pages is not None
    before = published(scheduled.pages)
    newest = scheduled.caches[next(reversed(scheduled.caches))]
    cache_files = [p for p in (newest / ".build-cache").rglob("*") if p.is_file()]
    assert cache_files and all(p.read_bytes().startswith(MAGIC) for p in cache_files)
    marker = scheduled.work / "the-payload-ran"
    for path in cache_files:
        path.write_bytes(pickle.dumps(Payload(marker)))
    page = newest / "output" / "scorecards" / "2020Q2" / "5309000001.html"
    original = page.read_bytes()
    page.write_bytes(original.replace("临沧".encode(), "伪造".encode(), 1))  # the recorded size, other bytes
    assert page.read_bytes() != original
    scheduled.run_job("merge-summarize-build", {"plan": scheduled.plan, "round": {}},  # type: ignore[attr-defined]
                      conditions={"!cancelled() && needs.plan.result == 'success'": True}, attempt=3)
    assert scheduled.restored["merge-summarize-build-3"]  # the poisoned cache was restored …
    assert not marker.exists()  # … and none of it was run
    assert "scorecards/2020Q2/5309000001.html" in last_rendered(scheduled.pages)  # nor taken
    assert published(scheduled.pages) == before


def test_without_the_secret_no_cache_is_restored_or_saved_and_the_site_is_built_in_full(scheduled):
    from govcensus_site.incremental import last_rendered

    assert scheduled.pages is not None
    before, saved = published(scheduled.pages), dict(scheduled.caches)
    scheduled.secrets = {}
    try:
        scheduled.run_job("merge-summarize-build", {"plan": scheduled.plan, "round": {}},  # type: ignore[attr-defined]
                          conditions={"!cancelled() && needs.plan.result == 'success'": True}, attempt=4)
    finally:
        scheduled.secrets = {"GOVCENSUS_CACHE_KEY": CACHE_KEY}
    assert "merge-summarize-build-4" not in scheduled.restored and scheduled.caches == saved
    assert "merge-summarize-build-4: skipped actions/cache/restore@v5" in scheduled.log
    assert "scorecards/2020Q2/5309000001.html" in last_rendered(scheduled.pages)
    assert published(scheduled.pages) == before
