"""Deletes out of dependency order, over the emulator's HTTP: refused with Adobe's code, and the provider's error
says what failed, on which resource, which dependents block it (their ids), what to delete first, and keeps the
request id. Nothing is deleted by a refused delete; in order, the same deletes succeed."""

from __future__ import annotations

import re
from typing import Any

import pytest

from pulumi_aep import operations
from pulumi_aep.core import client_for
from pulumi_aep.errors import ApiError, ConnectionInUseError
from pulumi_aep.pipeline_client import Collection, pipeline_clients
from pulumi_aep.pipeline_core import PipelineCore
from tests.helpers.emulator import EmulatorSession
from tests.pipeline_wire.conftest import emulator_config
from tests.pipeline_wire.test_lifecycle import START, build

REQUEST_ID = re.compile(r"request id [0-9a-f-]{36}\)")


@pytest.fixture
def core(emulator: EmulatorSession, clients: Any) -> PipelineCore:
    return PipelineCore(emulator_config(emulator.base_url), now=lambda: START - 3600)


@pytest.fixture
def base_id(emulator: EmulatorSession) -> str:
    return str(emulator.create_connection()["id"])


@pytest.fixture
def made(core: PipelineCore, base_id: str) -> dict[str, dict[str, Any]]:
    """The four pipeline resources on a base connection (outputs by ``source``, ``dataset``, ...)."""
    return build(core, base_id)


def refused(error: ApiError, *, code: str, resource: str, dependents: str, ids: tuple[str, ...]) -> str:
    """Check the parts every refused delete's message has; return the message."""
    message = str(error)
    assert (error.status, error.code) == (400, code), message
    assert error.request_id, message
    assert REQUEST_ID.search(message), message
    assert message.startswith(f"cannot delete {resource} in sandbox 'prod': {dependents} still use it ("), (
        message
    )
    assert f"delete those {dependents} first" in message, message
    assert "Adobe said: " in message, message
    for id_ in ids:
        assert id_ in message.split("Adobe said: ")[0], message
    return message


def still_there(core: PipelineCore, collection: Collection, entity_id: str) -> bool:
    flow, _ = pipeline_clients(core.config)
    return bool(flow.get(collection=collection, sandbox="prod", entity_id=entity_id)["id"] == entity_id)


@pytest.mark.parametrize(
    ("key", "resource", "id_output", "collection"),
    [
        ("source", "AzureBlobSourceConnection", "source_connection_id", "sourceConnections"),
        ("target", "DataLakeTargetConnection", "target_connection_id", "targetConnections"),
    ],
)
def test_a_connection_a_flow_uses_is_refused_naming_the_flow(
    core: PipelineCore,
    made: dict[str, dict[str, Any]],
    key: str,
    resource: str,
    id_output: str,
    collection: Collection,
) -> None:
    entity, flow_id = made[key][id_output], made["flow"]["flow_id"]
    label = f"{'source' if key == 'source' else 'target'} connection {entity}"
    with pytest.raises(ConnectionInUseError) as info:
        core.delete(resource, entity, made[key])
    message = refused(info.value, code="1447-400", resource=label, dependents="dataflows", ids=(flow_id,))
    assert f"dataflows still use it ({flow_id})" in message
    assert info.value.flow_ids == (flow_id,)
    assert still_there(core, collection, entity)

    core.delete("Dataflow", flow_id, made["flow"])
    core.delete(resource, entity, made[key])  # in order it succeeds
    core.delete(resource, entity, made[key])  # and again: gone counts as deleted


def test_a_dataset_a_target_connection_writes_to_is_refused_naming_it(
    core: PipelineCore, made: dict[str, dict[str, Any]]
) -> None:
    dataset_id, target_id = made["dataset"]["dataset_id"], made["target"]["target_connection_id"]
    with pytest.raises(ConnectionInUseError) as info:
        core.delete("Dataset", dataset_id, made["dataset"])
    message = refused(
        info.value,
        code="1447-400",
        resource=f"dataset {dataset_id}",
        dependents="target connections",
        ids=(target_id,),
    )
    assert "DELETE /targetConnections/{id}" in message
    assert info.value.flow_ids == ()
    _, catalog = pipeline_clients(core.config)
    assert catalog.get_dataset(sandbox="prod", dataset_id=dataset_id)

    core.delete("Dataflow", made["flow"]["flow_id"], made["flow"])
    core.delete("DataLakeTargetConnection", target_id, made["target"])
    core.delete("Dataset", dataset_id, made["dataset"])


def test_a_base_connection_is_refused_first_for_its_flows_then_for_its_source_connections(
    emulator: EmulatorSession, core: PipelineCore, made: dict[str, dict[str, Any]], base_id: str
) -> None:
    client = client_for(core.config)
    flow_id, source_id = made["flow"]["flow_id"], made["source"]["source_connection_id"]
    resource = f"connection {base_id}"

    with pytest.raises(ConnectionInUseError) as info:
        operations.delete(client, connection_id=base_id, sandbox="prod")
    refused(info.value, code="1418-400", resource=resource, dependents="dataflows", ids=(flow_id,))
    assert info.value.flow_ids == (flow_id,)

    core.delete("Dataflow", flow_id, made["flow"])
    with pytest.raises(ConnectionInUseError) as info:
        operations.delete(client, connection_id=base_id, sandbox="prod")
    message = refused(
        info.value, code="1418-400", resource=resource, dependents="source connections", ids=(source_id,)
    )
    assert "DELETE /sourceConnections/{id}" in message
    assert "dataflows" not in message.split("Adobe said: ")[0]
    assert info.value.flow_ids == ()  # the ids named are source connections, not flows
    assert emulator.get_connection(base_id)["id"] == base_id

    core.delete("AzureBlobSourceConnection", source_id, made["source"])
    operations.delete(client, connection_id=base_id, sandbox="prod")
    assert [c["id"] for c in emulator.server.control.connections()] == []


def test_an_answer_naming_no_dependents_says_so() -> None:
    """Adobe's documented 1418 text names no flows (only the connection itself, which is not a dependent)."""
    base = "9e1b6a3c-5f2d-4c8e-9a7b-1d2e3f4a5b6c"
    answer = ApiError(
        f"deleting connection {base} in sandbox 'prod': The base connection with the ID {base} cannot be "
        "deleted because the base connection is being used in one or more flows. Please ensure that "
        "corresponding flows are deleted before deleting a base connection.",
        status=400,
        code="1418-400",
        request_id="req-1",
    )
    error = operations.refused_delete(f"connection {base} in sandbox 'prod'", answer, "dataflows")
    assert "dataflows still use it (Adobe's answer does not name them)" in str(error)
    assert error.flow_ids == ()
    assert (error.code, error.request_id) == ("1418-400", "req-1")
    assert str(error).count(f"deleting connection {base}") == 0  # Adobe is quoted without our prefix


def test_where_adobe_may_allow_a_delete_the_provider_just_deletes() -> None:
    """With ``block_referenced_deletes`` off (the reference's guess of Adobe), a base connection with only source
    connections and a dataset a target connection writes to are deleted; only flows block (and 202 is success)."""
    from aep_emulator.config import EmulatorConfig
    from aep_emulator.server import EmulatorServer
    from aep_emulator.testing import fetch_token
    from pulumi_aep.pipeline_client import reset_pipeline_clients

    with EmulatorServer(config=EmulatorConfig(delete_status=202, block_referenced_deletes=False)) as server:
        reset_pipeline_clients()
        try:
            session = EmulatorSession(server, fetch_token(server.base_url))
            core = PipelineCore(emulator_config(server.base_url), now=lambda: START - 3600)
            base = str(session.create_connection()["id"])
            made = build(core, base)
            with pytest.raises(ConnectionInUseError) as info:
                operations.delete(client_for(core.config), connection_id=base, sandbox="prod")
            assert info.value.flow_ids == (made["flow"]["flow_id"],)  # flows still block

            core.delete("Dataflow", made["flow"]["flow_id"], made["flow"])
            operations.delete(client_for(core.config), connection_id=base, sandbox="prod")
            core.delete("Dataset", made["dataset"]["dataset_id"], made["dataset"])
            assert server.control.connections() == []
            assert still_there(core, "sourceConnections", made["source"]["source_connection_id"])
        finally:
            reset_pipeline_clients()
