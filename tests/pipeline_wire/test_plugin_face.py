"""The pipeline resources on the plugin face: the plugin process over gRPC, the emulator over HTTP."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import requests
from google.protobuf import json_format, struct_pb2
from pulumi.runtime.proto import provider_pb2

from aep_emulator.testing import DEFAULT_CREDENTIALS, fetch_token, platform_headers
from tests.faces.test_plugin_grpc import Stub, plugin, server, struct
from tests.helpers.emulator import blob_connection_body
from tests.helpers.pipeline import SCHEMA_ID

pytestmark = pytest.mark.emulator
__all__ = ["plugin", "server"]

START = 1767225600


def urn(type_name: str, name: str) -> str:
    return f"urn:pulumi:dev::proj::aep:index:{type_name}::{name}"


def plain(message: struct_pb2.Struct) -> dict[str, Any]:
    return dict(json_format.MessageToDict(message))


@pytest.fixture
def base_id(server: Any) -> str:
    """A base connection on the emulator, made over HTTP."""
    headers = platform_headers(fetch_token(server.base_url), DEFAULT_CREDENTIALS)
    answer = requests.post(
        server.base_url + "/data/foundation/flowservice/connections",
        json=blob_connection_body(),
        headers=headers,
        timeout=10,
    )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


def created(stub: Stub, type_name: str, news: dict[str, Any]) -> tuple[str, struct_pb2.Struct]:
    checked = stub.Check(provider_pb2.CheckRequest(urn=urn(type_name, "r"), news=struct(news)))
    assert list(checked.failures) == [], checked.failures
    answer = stub.Create(provider_pb2.CreateRequest(urn=urn(type_name, "r"), properties=checked.inputs))
    return answer.id, answer.properties


def test_schema_offers_the_four_pipeline_resources(plugin: Stub) -> None:
    schema = json.loads(plugin.GetSchema(provider_pb2.GetSchemaRequest()).schema)
    for name in ("AzureBlobSourceConnection", "Dataset", "DataLakeTargetConnection", "Dataflow"):
        assert f"aep:index:{name}" in schema["resources"]
    flow = schema["resources"]["aep:index:Dataflow"]
    assert flow["inputProperties"]["schedule"]["$ref"] == "#/types/aep:index:Schedule"
    assert flow["inputProperties"]["sourceConnectionId"]["replaceOnChanges"] is True
    assert "lastRunStatus" in flow["properties"]


def test_check_names_schema_properties(plugin: Stub) -> None:
    bad = {
        "sourceConnectionId": "nope",
        "schedule": {"frequency": "minute", "interval": 5, "startTime": START},
    }
    checked = plugin.Check(provider_pb2.CheckRequest(urn=urn("Dataflow", "f"), news=struct(bad)))
    failed = {f.property: f.reason for f in checked.failures}
    assert "sourceConnectionId" in failed
    assert "targetConnectionId" in failed
    assert "15" in failed["schedule.interval"]


def test_pipeline_create_diff_update_delete(plugin: Stub, base_id: str) -> None:
    source_id, _ = created(
        plugin,
        "AzureBlobSourceConnection",
        {"baseConnectionId": base_id, "path": "/incoming/*.csv", "dataFormat": "delimited"},
    )
    dataset_id, _ = created(plugin, "Dataset", {"name": "customers", "schemaId": SCHEMA_ID})
    target_id, _ = created(
        plugin, "DataLakeTargetConnection", {"datasetId": dataset_id, "schemaId": SCHEMA_ID}
    )
    flow_inputs = {
        "sourceConnectionId": source_id,
        "targetConnectionId": target_id,
        "schedule": {"frequency": "hour", "interval": 1, "startTime": START},
    }
    flow_id, flow = created(plugin, "Dataflow", flow_inputs)
    outputs = plain(flow)
    assert outputs["flowId"] == flow_id
    assert outputs["state"] == "enabled"
    assert outputs["schedule"]["startTime"] == START

    flow_urn = urn("Dataflow", "r")
    # As the engine calls it for a resource in state: with its inputs there (the name chosen at create).
    same = plugin.Check(provider_pb2.CheckRequest(urn=flow_urn, news=struct(flow_inputs), olds=flow)).inputs
    no_change = plugin.Diff(provider_pb2.DiffRequest(urn=flow_urn, id=flow_id, olds=flow, news=same))
    assert no_change.changes == provider_pb2.DiffResponse.DIFF_NONE

    off = plugin.Check(
        provider_pb2.CheckRequest(urn=flow_urn, news=struct({**flow_inputs, "enabled": False, "name": "x"}))
    ).inputs
    change = plugin.Diff(provider_pb2.DiffRequest(urn=flow_urn, id=flow_id, olds=flow, news=off))
    assert set(change.detailedDiff) == {"enabled", "name"}
    assert list(change.replaces) == []
    updated = plugin.Update(provider_pb2.UpdateRequest(urn=flow_urn, id=flow_id, olds=flow, news=off))
    assert plain(updated.properties)["state"] == "disabled"

    read = plugin.Read(provider_pb2.ReadRequest(urn=flow_urn, id=flow_id, properties=updated.properties))
    assert read.id == flow_id
    assert plain(read.inputs)["enabled"] is False

    for type_name, id_ in (
        ("Dataflow", flow_id),
        ("AzureBlobSourceConnection", source_id),
        ("DataLakeTargetConnection", target_id),
        ("Dataset", dataset_id),
    ):
        plugin.Delete(provider_pb2.DeleteRequest(urn=urn(type_name, "r"), id=id_))
    gone = plugin.Read(provider_pb2.ReadRequest(urn=flow_urn, id=flow_id, properties=updated.properties))
    assert gone.id == ""


def test_a_resource_inside_a_component_is_served(plugin: Stub) -> None:
    inside = "urn:pulumi:dev::proj::my:index:Pipeline$aep:index:Dataset::customers"
    checked = plugin.Check(provider_pb2.CheckRequest(urn=inside, news=struct({"schemaId": SCHEMA_ID})))
    assert list(checked.failures) == []
    assert re.fullmatch(r"customers-[0-9a-f]{7}", plain(checked.inputs)["name"])


def test_import_reads_a_flow_from_its_id_alone(plugin: Stub, base_id: str) -> None:
    source_id, _ = created(
        plugin,
        "AzureBlobSourceConnection",
        {"baseConnectionId": base_id, "path": "/incoming/*.csv", "dataFormat": "delimited"},
    )
    dataset_id, _ = created(plugin, "Dataset", {"name": "customers", "schemaId": SCHEMA_ID})
    target_id, _ = created(
        plugin, "DataLakeTargetConnection", {"datasetId": dataset_id, "schemaId": SCHEMA_ID}
    )
    schedule = {"frequency": "hour", "interval": 1, "startTime": START}
    flow_id, _ = created(
        plugin,
        "Dataflow",
        {"sourceConnectionId": source_id, "targetConnectionId": target_id, "schedule": schedule},
    )
    imported = plugin.Read(provider_pb2.ReadRequest(urn=urn("Dataflow", "r"), id=flow_id))
    inputs = plain(imported.inputs)
    assert imported.id == flow_id
    assert (inputs["sourceConnectionId"], inputs["targetConnectionId"]) == (source_id, target_id)
    assert inputs["schedule"]["frequency"] == "hour"
    assert inputs["sandboxName"] == "prod"
    declared = {
        "name": inputs["name"],  # the program declares the imported flow as it is
        "sourceConnectionId": source_id,
        "targetConnectionId": target_id,
        "schedule": schedule,
    }
    news = plugin.Check(provider_pb2.CheckRequest(urn=urn("Dataflow", "r"), news=struct(declared))).inputs
    diff = plugin.Diff(
        provider_pb2.DiffRequest(urn=urn("Dataflow", "r"), id=flow_id, olds=imported.properties, news=news)
    )
    assert diff.changes == provider_pb2.DiffResponse.DIFF_NONE, dict(diff.detailedDiff)


def test_values_unknown_at_preview_are_not_failures(plugin: Stub) -> None:
    from pulumi_aep.model import UNKNOWN

    news = {"sourceConnectionId": UNKNOWN, "targetConnectionId": UNKNOWN, "schedule": UNKNOWN}
    flow = urn("Dataflow", "f")
    checked = plugin.Check(provider_pb2.CheckRequest(urn=flow, news=struct(news)))
    assert list(checked.failures) == []
    planned = plugin.Create(provider_pb2.CreateRequest(urn=flow, properties=checked.inputs, preview=True))
    outputs = plain(planned.properties)
    assert planned.id == ""
    assert outputs["flowId"] == UNKNOWN
    assert outputs["lastRunStatus"] == UNKNOWN
