"""Automation API (`pulumi.automation`, local workspace) on top of the same CLI and language host."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest
from pulumi import automation as auto

from .harness import FIXTURES, isolated_env

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(1800)]


def test_automation_api_up_and_destroy(
    pulumi_shims: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work_dir = tmp_path / "program"
    shutil.copytree(FIXTURES / "program", work_dir)
    env = isolated_env(pulumi_shims, tmp_path / "pulumi")
    # PulumiCommand() looks `pulumi` up on our own PATH (and checks its version) before env_vars apply.
    monkeypatch.setenv("PATH", env["PATH"])
    stack_name = f"t{uuid.uuid4().hex[:10]}"

    stack = auto.create_or_select_stack(
        stack_name=stack_name,
        work_dir=str(work_dir),
        opts=auto.LocalWorkspaceOptions(env_vars=env),
    )
    try:
        stack.set_config("greet", auto.ConfigValue("automation"))
        result = stack.up(on_output=print)
        assert result.summary.result == "succeeded"
        assert result.outputs["message"].value == "hello, automation"
        assert stack.preview().change_summary == {"same": 2}
    finally:
        stack.destroy(on_output=print)
        stack.workspace.remove_stack(stack_name)
