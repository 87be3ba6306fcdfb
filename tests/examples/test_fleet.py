"""examples/fleet: the Automation API deploys one stack per sandbox in parallel and reports outputs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from aep_emulator import defaults
from tests.e2e.harness import CONNECTION_STRING, PulumiCli, copy_example

pytestmark = [pytest.mark.e2e, pytest.mark.emulator]


def run_fleet(program_dir: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, str(program_dir / "deploy_fleet.py"), *args],
        cwd=program_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    return proc


def test_fleet_deploys_one_stack_per_sandbox(pulumi_shims: Path, tmp_path: Path, fresh_emulator: Any) -> None:
    program_dir = copy_example("fleet", tmp_path / "fleet")
    env = PulumiCli(shims=pulumi_shims, root=tmp_path / "pulumi").env()
    env.update(
        AEP_CLIENT_ID=defaults.DEFAULT_CLIENT_ID,
        AEP_CLIENT_SECRET=defaults.DEFAULT_CLIENT_SECRET,
        AEP_ORG_ID=defaults.DEFAULT_ORG_ID,
        AEP_PLATFORM_URL=fresh_emulator.base_url,
        AEP_IMS_URL=fresh_emulator.base_url,
        AEP_BLOB_CONNECTION_STRING=CONNECTION_STRING,
    )

    reports = json.loads(run_fleet(program_dir, env, "--sandboxes", "dev,prod").stdout)
    by_sandbox = {r["sandbox"]: r for r in reports}
    assert set(by_sandbox) == {"dev", "prod"}
    stored = {c["id"]: c for c in fresh_emulator.control.connections()}
    for sandbox, report in by_sandbox.items():
        assert report["result"] == "succeeded", report
        assert report["outputs"]["sandbox"] == sandbox
        assert stored[report["outputs"]["connectionId"]]["sandboxName"] == sandbox
    assert len(stored) == 2

    destroyed = json.loads(run_fleet(program_dir, env, "--sandboxes", "dev,prod", "--destroy").stdout)
    assert {r["result"] for r in destroyed} == {"destroyed"}
    assert fresh_emulator.control.connections() == []
