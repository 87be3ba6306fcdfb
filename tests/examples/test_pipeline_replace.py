"""Replacing the base connection under a live flow, and deleting out of order, through the real CLI on both faces
(examples/pipeline: the Python program on the dynamic provider, the YAML program on the plugin).

Switching the ``AzureBlobConnection`` from a connection string to a SAS URI replaces it; its id changes, so the
source connection (``base_connection_id``) and then the flow (``source_connection_id``) are replaced too. One
``pulumi up`` creates the three new ones first, then deletes the old flow, the old source connection and the
old base connection, in that order (each old one is refused by Adobe while the next still uses it).
Then a delete out of order (the flow forgotten with ``pulumi state delete``, its source connection destroyed)
fails, saying which flow to delete first.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.harness import PulumiProject
from tests.examples.test_pipeline_example import ONE_EACH, any_face, counts, deletes
from tests.helpers.azurite import ACCOUNT, ACCOUNT_KEY, azurite_connection_string

pytestmark = [pytest.mark.e2e, pytest.mark.emulator, pytest.mark.azurite]
__all__ = ["any_face", "azurite_connection_string"]


def sas_uri(connection_string: str) -> str:
    """An account SAS URI (read and list, valid for a day) for the Azurite behind ``connection_string``."""
    from azure.storage.blob import AccountSasPermissions, ResourceTypes, generate_account_sas

    endpoint = re.search(r"BlobEndpoint=([^;]+)", connection_string)
    assert endpoint is not None, "the Azurite connection string names its BlobEndpoint"
    token = generate_account_sas(
        ACCOUNT,
        ACCOUNT_KEY,
        resource_types=ResourceTypes(service=True, container=True, object=True),
        permission=AccountSasPermissions(read=True, list=True),
        expiry=datetime.now(UTC) + timedelta(days=1),
    )
    return f"{endpoint.group(1).rstrip('/')}?{token}"


def switch_to_sas(project: PulumiProject) -> None:
    """Edit the program as a user would: the connection's credentials become a SAS URI (config ``sasUri``)."""
    python = project.work_dir / "__main__.py"
    if python.exists():
        _rewrite(
            python,
            'connection_string=config.require_secret("connectionString")',
            'sas_uri=config.require_secret("sasUri")',
        )
    else:
        _rewrite(project.work_dir / "Pulumi.yaml", "connectionString", "sasUri")


def _rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{path} no longer declares {old!r}: update this test"
    path.write_text(text.replace(old, new))


def stack_state(project: PulumiProject) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The stack's outputs and its resources by type name (``AzureBlobConnection``, ...), from one export."""
    outputs: dict[str, Any] = {}
    found = {}
    for resource in project.export()["deployment"].get("resources") or []:
        if resource["type"] == "pulumi:pulumi:Stack":
            outputs = resource.get("outputs") or {}
        elif not resource["type"].startswith("pulumi:"):
            found[re.split(r"[:/]", resource["type"])[-1]] = resource
    return outputs, found


def flow_runs(emulator: Any, flow_id: str) -> list[dict[str, Any]]:
    """The flow's runs, through the API."""
    from pulumi_aep.pipeline_client import pipeline_clients
    from tests.pipeline_wire.conftest import emulator_config

    flow, _ = pipeline_clients(emulator_config(emulator.base_url))
    return flow.runs_of_flow(sandbox="prod", flow_id=flow_id)


def test_base_connection_replaced_under_a_live_flow_then_an_out_of_order_destroy_refused(
    any_face: PulumiProject, fresh_emulator: Any, azurite_connection_string: str
) -> None:
    from tests.examples.test_azurite_example import load_seeder

    load_seeder().seed(azurite_connection_string)
    project = any_face
    project.config("connectionString", azurite_connection_string, secret=True)
    project.up()
    first, before = stack_state(project)
    old_base = before["AzureBlobConnection"]["id"]
    assert first["flowState"] == "enabled"
    assert counts(fresh_emulator) == ONE_EACH

    # 1. Switch the credentials to a SAS URI: one `up` replaces the connection, source connection and flow.
    switch_to_sas(project)
    project.config("sasUri", sas_uri(azurite_connection_string), secret=True)
    logged = len(fresh_emulator.control.requests())
    started = time.monotonic()
    replaced = project.up()
    took = time.monotonic() - started
    assert "3 replaced" in replaced.stdout, replaced.stdout
    for type_name in ("AzureBlobConnection", "AzureBlobSourceConnection", "Dataflow"):
        assert re.search(rf"\+-\s+\S*{type_name}\b", replaced.stdout), replaced.stdout

    now, after = stack_state(project)
    new_base = after["AzureBlobConnection"]["id"]
    assert new_base != old_base
    assert now["sourceConnectionId"] != first["sourceConnectionId"]
    assert now["flowId"] != first["flowId"]
    assert now["datasetId"] == first["datasetId"]
    assert after["DataLakeTargetConnection"]["id"] == before["DataLakeTargetConnection"]["id"]
    stored = fresh_emulator.control.connections()
    assert [c["id"] for c in stored] == [new_base]
    assert stored[0]["auth"]["specName"] == "SAS URI Authentication", stored[0]["auth"]["specName"]

    # The order of that `up`'s writes, from the emulator's request log: all creates, then the old ones
    # deleted, each before what it used.
    during = [
        f"{r['method']} {'/'.join(r['path'].rsplit('/', 2)[-2:])}"
        for r in fresh_emulator.control.requests()[logged:]
        if r["method"] in ("POST", "DELETE") and "/ims/" not in r["path"] and "/action" not in r["path"]
    ]
    creates = [w for w in during if w.startswith("POST")]
    assert creates == [f"POST flowservice/{c}" for c in ("connections", "sourceConnections", "flows")], during
    old_deletes = [
        f"DELETE flows/{first['flowId']}",
        f"DELETE sourceConnections/{first['sourceConnectionId']}",
        f"DELETE connections/{old_base}",
    ]
    assert [w for w in during if w.startswith("DELETE")] == old_deletes, during
    assert during.index(creates[-1]) < during.index(old_deletes[0]), during  # create before delete

    assert counts(fresh_emulator) == ONE_EACH
    project.preview("--expect-no-changes")
    assert (now["flowState"], now["lastRunStatus"]) == ("enabled", "success")
    flow_outputs = after["Dataflow"]["outputs"]  # snake_case on the dynamic face, camelCase on the plugin
    assert (
        flow_outputs.get("source_connection_id", flow_outputs.get("sourceConnectionId"))
        == (now["sourceConnectionId"])
    )
    ran = {r["id"] for r in flow_runs(fresh_emulator, now["flowId"])}
    assert ran, "the new flow ran its backfill at create"
    fresh_emulator.control.advance_clock(2 * 3600)  # two more hourly slots, on the emulator's clock
    runs = flow_runs(fresh_emulator, now["flowId"])
    # Two new runs (the emulator keeps a flow's newest runs only: max_runs_per_flow, so count new ids).
    assert len([r for r in runs if r["id"] not in ran]) == 2, runs
    assert all(r["metrics"]["statusSummary"]["status"] == "success" for r in runs)
    print(f"\n[{project.work_dir.name}] replace up took {took:.1f}s; deletes in order: {old_deletes}")

    # 2. Forget the flow (`pulumi state delete`), then destroy its source connection: Adobe refuses, and the
    # error says which flow to delete first, with Adobe's code and request id; nothing is deleted.
    flow_id, source_id = now["flowId"], now["sourceConnectionId"]
    project.run("state", "delete", after["Dataflow"]["urn"], "--yes", "--stack", project.stack)
    refused = project.destroy("--target", after["AzureBlobSourceConnection"]["urn"], check=False)
    output = " ".join((refused.stdout + refused.stderr).split())
    assert refused.returncode != 0, output
    assert (
        f"cannot delete source connection {source_id} in sandbox 'prod': dataflows still use it ({flow_id})"
        in output
    ), output
    assert "delete those dataflows first" in output, output
    assert "code 1447-400" in output, output
    assert re.search(r"request id [0-9a-f-]{36}", output), output
    assert deletes(fresh_emulator)[-1] == f"sourceConnections/{source_id}"
    assert counts(fresh_emulator) == ONE_EACH
    assert stack_state(project)[1]["AzureBlobSourceConnection"]["id"] == source_id  # still in state

    from pulumi_aep.pipeline_client import pipeline_clients
    from tests.pipeline_wire.conftest import emulator_config

    pipeline_clients(emulator_config(fresh_emulator.base_url))[0].delete(
        collection="flows", sandbox="prod", entity_id=flow_id
    )
    project.destroy()  # with the flow deleted first, the rest goes in order
    assert counts(fresh_emulator) == dict.fromkeys(ONE_EACH, 0)
