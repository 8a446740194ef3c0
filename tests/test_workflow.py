"""The ready CI workflow and the pre-commit hook: valid YAML with the promised shape."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import Any

import pytest
import yaml

from tests.conftest import REPO

WORKFLOW = REPO / ".github" / "workflows" / "site.yml"
HOOKS = REPO / ".pre-commit-hooks.yaml"


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    data = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    assert isinstance(data, dict)
    # YAML 1.1 reads the bare key `on` as the boolean true.
    data["on"] = data.pop(True, data.get("on"))
    return data


def _runs(job: dict[str, Any]) -> list[str]:
    return [step["run"] for step in job["steps"] if "run" in step]


def _step(job: dict[str, Any], uses: str) -> dict[str, Any]:
    found = [step for step in job["steps"] if str(step.get("uses", "")).startswith(uses)]
    assert len(found) == 1, uses
    return found[0]


def test_workflow_is_valid_for_github_actions() -> None:
    """Validated against the workflow schema that check-jsonschema ships (no network)."""
    checked = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            str(WORKFLOW),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_workflow_runs_on_pushes_to_main_and_on_pull_requests(workflow: dict[Any, Any]) -> None:
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert "pull_request" in workflow["on"]
    assert set(workflow["jobs"]) == {"site", "deploy"}


def test_workflow_checks_then_builds_with_python_311_from_the_repository(
    workflow: dict[Any, Any],
) -> None:
    site = workflow["jobs"]["site"]
    assert _step(site, "actions/setup-python")["with"]["python-version"] == "3.11"
    runs = _runs(site)
    assert runs.index("pip install .") < runs.index("kennisbank check")
    assert runs.index("kennisbank check") < runs.index("kennisbank build")
    check = next(s for s in site["steps"] if s.get("run") == "kennisbank check")
    assert "if" not in check  # pull requests are checked too


def test_pull_requests_are_only_checked_never_built_or_deployed(workflow: dict[Any, Any]) -> None:
    site = workflow["jobs"]["site"]
    publishing = [
        s
        for s in site["steps"]
        if s.get("run") == "kennisbank build" or "pages" in str(s.get("uses", ""))
    ]
    assert len(publishing) == 3
    for step in publishing:
        assert step["if"] == "github.event_name != 'pull_request'"
    assert workflow["jobs"]["deploy"]["if"] == "github.event_name != 'pull_request'"


def test_output_is_uploaded_and_deployed_to_pages_with_the_right_permissions(
    workflow: dict[Any, Any],
) -> None:
    site, deploy = workflow["jobs"]["site"], workflow["jobs"]["deploy"]
    assert _step(site, "actions/upload-pages-artifact")["with"]["path"] == "output"
    assert deploy["needs"] == "site"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert _step(deploy, "actions/deploy-pages")["id"] == "deployment"
    assert workflow["permissions"] == {"contents": "read"}


def test_the_build_cache_is_keyed_by_the_content(workflow: dict[Any, Any]) -> None:
    cache = _step(workflow["jobs"]["site"], "actions/cache")
    assert cache["with"]["path"] == ".kennisbank-cache"
    key = cache["with"]["key"]
    assert "hashFiles('content/**', 'templates/**', 'site.yaml')" in key


def test_pre_commit_hook_runs_check_on_site_files_only() -> None:
    hooks = yaml.safe_load(HOOKS.read_text("utf-8"))
    assert [hook["id"] for hook in hooks] == ["kennisbank-check"]
    hook = hooks[0]
    assert hook["entry"] == "kennisbank check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    for path in ("content/articles/a.md", "content/static/img/x.png", "site.yaml", "templates/x"):
        assert files.search(path), path
    for path in ("README.md", "output/index.html", "docs/site.yaml.md", "generator/cli.py"):
        assert not files.search(path), path


def test_readme_documents_the_workflow_and_the_hook() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    assert ".github/workflows/site.yml" in readme
    assert "id: kennisbank-check" in readme
    assert "kennisbank serve" in readme
