"""The real Pulumi CLI running a Python program with a dynamic resource through our language host."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from .harness import FIXTURES, Project

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(1800)]

GREETING_TYPE = "pulumi-python:dynamic/enginetest:Greeting"


def test_lifecycle_up_preview_refresh_edit_destroy(project: Project) -> None:
    up = project.run("up", "--yes", "--skip-preview")
    assert "created" in up.stdout
    assert project.outputs() == {"message": "hello, world", "cwd_is_project": True}

    project.run("preview", "--expect-no-changes")
    project.run("refresh", "--yes", "--skip-preview")
    project.run("preview", "--expect-no-changes")

    project.config("greet", "pulumi")
    edit = project.run("up", "--yes", "--skip-preview")
    assert "replaced" in edit.stdout
    assert project.outputs()["message"] == "hello, pulumi"

    destroy = project.run("destroy", "--yes", "--skip-preview")
    assert "deleted" in destroy.stdout
    assert project.outputs() == {}


def test_program_error_is_reported_once_and_fails(project: Project) -> None:
    project.config("fail", "true")

    proc = project.run("preview", expect=None)

    assert proc.returncode != 0
    output = proc.stdout + proc.stderr
    assert "ValueError: boom: the program failed on purpose" in output
    # Reported once in the diagnostics (the progress line above them shows its first line), and not a
    # second time as a generic "exit code" error.
    diagnostics = output.split("Diagnostics:", 1)[1]
    assert diagnostics.count("Program failed with an unhandled exception") == 1
    assert "non-zero exit code" not in output
    # The traceback shows the user's frame, not the language host's.
    assert "__main__.py" in output
    assert "exec_program.py" not in output


def test_secret_config_reaches_program_as_secret(project: Project) -> None:
    project.config("token", "s3cr3t-value", secret=True)

    project.run("up", "--yes", "--skip-preview")

    assert project.outputs()["token"] == "[secret]"
    assert project.outputs(show_secrets=True)["token"] == "s3cr3t-value"


def test_stack_export_contains_the_dynamic_resource(project: Project) -> None:
    project.run("up", "--yes", "--skip-preview")

    state = json.loads(project.run("stack", "export").stdout)

    types = [r["type"] for r in state["deployment"]["resources"]]
    assert GREETING_TYPE in types
    assert "pulumi:providers:pulumi-python" in types


def test_mandatory_policy_violation_blocks_preview(project: Project) -> None:
    proc = project.run("preview", "--policy-pack", str(FIXTURES / "policy_pack"), expect=None)

    assert proc.returncode != 0
    assert "[mandatory]  no-world  (pulumi-python:dynamic/enginetest:Greeting: greeting)" in proc.stdout
    assert "Greeting must not greet 'world': set `greet` to another name." in proc.stdout


def test_policy_pack_virtualenv_option_is_used(project: Project, tmp_path: Path) -> None:
    # The pack's own `virtualenv` runtime option picks the interpreter of `python -m pulumi.policy`.
    pack = tmp_path / "pack"
    shutil.copytree(FIXTURES / "policy_pack", pack)
    (pack / "venv").symlink_to(sys.prefix, target_is_directory=True)
    (pack / "PulumiPolicy.yaml").write_text(
        "runtime:\n  name: python\n  options:\n    virtualenv: venv\ndescription: engine tests\n"
    )

    proc = project.run("preview", "--policy-pack", str(pack), expect=None)

    assert proc.returncode != 0
    assert "[mandatory]  no-world  (pulumi-python:dynamic/enginetest:Greeting: greeting)" in proc.stdout


def test_compliant_stack_passes_policy_pack(project: Project) -> None:
    project.config("greet", "pulumi")

    proc = project.run("preview", "--policy-pack", str(FIXTURES / "policy_pack"))

    assert "[mandatory]" not in proc.stdout


def test_verbose_logging_to_stderr_does_not_break_up(project: Project) -> None:
    proc = project.run("up", "--yes", "--skip-preview", "-v=9", "--logtostderr", "--logflow")

    assert "created" in proc.stdout
    assert "langhost[python].Run" in proc.stderr
    assert project.outputs()["message"] == "hello, world"


def _use_virtualenv(work_dir: Path, virtualenv: str) -> None:
    (work_dir / "Pulumi.yaml").write_text(
        f"name: enginetest\nruntime:\n  name: python\n  options:\n    virtualenv: {virtualenv}\n"
    )


def test_project_virtualenv_option_is_used(pulumi_shims: Path, tmp_path: Path) -> None:
    # A relative `virtualenv` must serve both the program and the dynamic provider, even when the default
    # interpreter is unusable. The venv is this test run's own, reached through a symlink.
    proj = Project.create(
        pulumi_shims,
        tmp_path,
        PULUMI_PYTHON_CMD="/nonexistent/python",
        PULUMI_AEP_LANGHOST_PYTHON=sys.executable,
    )
    (proj.work_dir / "venv").symlink_to(sys.prefix, target_is_directory=True)
    _use_virtualenv(proj.work_dir, "venv")
    proj.init()
    try:
        proj.run("up", "--yes", "--skip-preview")
        assert proj.outputs()["message"] == "hello, world"
    finally:
        proj.cleanup()


def test_missing_virtualenv_is_explained(pulumi_shims: Path, tmp_path: Path) -> None:
    proj = Project.create(pulumi_shims, tmp_path)
    _use_virtualenv(proj.work_dir, "no-such-venv")
    proj.init()
    try:
        proc = proj.run("preview", expect=None)
        assert proc.returncode != 0
        output = proc.stdout + proc.stderr
        assert "no-such-venv" in output
        assert "is not a virtual environment" in output
    finally:
        proj.cleanup()
