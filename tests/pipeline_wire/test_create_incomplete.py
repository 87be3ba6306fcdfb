"""A pipeline create that was applied but whose next step failed (reading the entity back, disabling the
new flow) leaves nothing behind: a failed create records nothing in the stack, so the new entity is
deleted again; when that fails too, the error names the id that remains. The emulator over HTTP."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_aep.errors import CreateIncompleteError
from pulumi_aep.pipeline_client import pipeline_clients
from pulumi_aep.pipeline_core import PipelineCore
from tests.helpers.emulator import EmulatorSession
from tests.helpers.pipeline import SCHEMA_ID
from tests.pipeline_wire.test_lifecycle import build, core, remaining

pytestmark = pytest.mark.emulator
__all__ = ["core"]

SOURCE = {"name": "csv", "path": "/incoming/*.csv", "data_format": "delimited"}


def _source(emulator: EmulatorSession) -> dict[str, Any]:
    return {**SOURCE, "base_connection_id": emulator.create_connection()["id"]}


def test_a_source_connection_that_cannot_be_read_back_is_deleted_again(
    emulator: EmulatorSession, core: PipelineCore
) -> None:
    emulator.server.control.inject_fault("GET", "*/sourceConnections/*", count=1, status=400)
    with pytest.raises(CreateIncompleteError) as info:
        core.create("AzureBlobSourceConnection", _source(emulator))
    message = str(info.value)
    assert "created source connection " in message
    assert "it was deleted again" in message
    assert "HTTP 400" in message
    assert "request id" in message  # Adobe's, of the step that failed
    assert info.value.remaining_id is None
    assert remaining(core)["sourceConnections"] == 0


def test_a_flow_declared_disabled_that_cannot_be_disabled_is_deleted_again(
    emulator: EmulatorSession, core: PipelineCore
) -> None:
    made = build(core, emulator.create_connection()["id"])
    flow = made["flow"]
    core.delete("Dataflow", flow["flow_id"], flow)
    emulator.server.control.inject_fault("POST", "*/flows/*/action", count=1, status=400)
    props = {k: flow[k] for k in ("name", "source_connection_id", "target_connection_id", "schedule")}
    with pytest.raises(CreateIncompleteError) as info:
        core.create("Dataflow", {**props, "enabled": False})  # a new flow starts enabled
    assert "it was deleted again" in str(info.value)
    assert remaining(core)["flows"] == 0


def test_a_dataset_that_cannot_be_read_back_is_deleted_again(
    emulator: EmulatorSession, core: PipelineCore
) -> None:
    emulator.server.control.inject_fault("GET", "*/dataSets/*", count=1, status=400)
    with pytest.raises(CreateIncompleteError):
        core.create("Dataset", {"name": "customers", "schema_id": SCHEMA_ID})
    assert remaining(core)["dataSets"] == 0


def test_when_the_clean_up_fails_too_the_error_names_the_id_that_remains(
    emulator: EmulatorSession, core: PipelineCore
) -> None:
    control = emulator.server.control
    control.inject_fault("GET", "*/sourceConnections/*", count=1, status=400)
    control.inject_fault("DELETE", "*/sourceConnections/*", count=1, status=400)
    with pytest.raises(CreateIncompleteError) as info:
        core.create("AzureBlobSourceConnection", _source(emulator))
    left = info.value.remaining_id
    flow, _ = pipeline_clients(core.config)
    assert [s["id"] for s in flow.list_all(collection="sourceConnections", sandbox="prod", filters={})] == [
        left
    ]
    assert f"DELETE /sourceConnections/{left}" in str(info.value)
    assert "still exists" in str(info.value)
    assert "deleted again" not in str(info.value)  # never claims what did not happen
