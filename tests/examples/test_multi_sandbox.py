"""examples/multi-sandbox through the real CLI: one connection per sandbox, prod protected."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import pytest

from aep_emulator import defaults
from tests.e2e.harness import PulumiProject

pytestmark = [pytest.mark.e2e, pytest.mark.emulator]


@pytest.fixture
def multi(configured_project: Callable[[str], PulumiProject]) -> PulumiProject:
    return configured_project("multi-sandbox")


def test_one_connection_per_sandbox_and_prod_is_protected(multi: PulumiProject, fresh_emulator: Any) -> None:
    multi.up()
    outputs = multi.outputs()
    assert outputs["sandboxes"] == {"dev": "dev", "prod": "prod"}
    stored = {c["id"]: c for c in fresh_emulator.control.connections()}
    assert set(stored) == set(outputs["connectionIds"].values())
    for sandbox, connection_id in outputs["connectionIds"].items():
        assert stored[connection_id]["sandboxName"] == sandbox
        assert stored[connection_id]["imsOrgId"] == defaults.DEFAULT_ORG_ID

    protected = {
        r["urn"].rsplit("::", 1)[1]: r.get("protect", False)
        for r in multi.export()["deployment"]["resources"]
        if r["type"] == "pulumi-python:dynamic/aep:AzureBlobConnection"
    }
    assert protected == {"landing-dev": False, "landing-prod": True}

    refused = multi.destroy(check=False)
    assert refused.returncode != 0
    assert "protected" in (refused.stdout + refused.stderr)
    assert len(fresh_emulator.control.connections()) == 1  # dev went, prod stayed

    multi.run("state", "unprotect", "--all", "--yes", "--stack", multi.stack)
    multi.destroy()
    assert fresh_emulator.control.connections() == []


def test_account_key_is_not_in_outputs(multi: PulumiProject) -> None:
    multi.up()
    key = base64.b64encode(bytes(range(64))).decode()
    assert key not in str(multi.outputs())
