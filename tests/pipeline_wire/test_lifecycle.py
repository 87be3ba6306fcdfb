"""The pipeline core's CRUD on the emulator over HTTP: source connection, dataset, target connection and
dataflow created, read, updated in place, deleted in dependency order (and refused out of order)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pulumi_aep.errors import ConnectionInUseError, CreateOutcomeUnknownError
from pulumi_aep.pipeline_client import pipeline_clients
from pulumi_aep.pipeline_core import PipelineCore
from tests.helpers.emulator import EmulatorSession
from tests.helpers.pipeline import SCHEMA_ID
from tests.pipeline_wire.conftest import emulator_config

START = 1767225600
COLLECTIONS = ("sourceConnections", "targetConnections", "flows")


@pytest.fixture
def core(emulator: EmulatorSession, clients: Any) -> PipelineCore:
    return PipelineCore(emulator_config(emulator.base_url), now=lambda: START - 3600)


def build(
    core: PipelineCore,
    base_id: str,
    run: Callable[[Callable[[], Any]], Any] = lambda step: step(),
    tag: str = "",
) -> dict[str, dict[str, Any]]:
    """All four resources, created in dependency order through the core; their outputs by resource.

    ``run`` runs each create (the chaos test runs a failed one again, as a rerun of `pulumi up`);
    ``tag`` suffixes every name (several pipelines side by side).
    """
    made: dict[str, dict[str, Any]] = {}

    def create(key: str, resource: str, props: dict[str, Any]) -> None:
        made[key] = run(lambda: core.create(resource, props)[1])

    create(
        "source",
        "AzureBlobSourceConnection",
        {
            "name": f"csv{tag}",
            "base_connection_id": base_id,
            "path": "/incoming/*.csv",
            "data_format": "delimited",
        },
    )
    create("dataset", "Dataset", {"name": f"customers{tag}", "schema_id": SCHEMA_ID})
    create(
        "target",
        "DataLakeTargetConnection",
        {"name": f"lake{tag}", "dataset_id": made["dataset"]["dataset_id"], "schema_id": SCHEMA_ID},
    )
    create(
        "flow",
        "Dataflow",
        {
            "name": f"hourly{tag}",
            "source_connection_id": made["source"]["source_connection_id"],
            "target_connection_id": made["target"]["target_connection_id"],
            "schedule": {"frequency": "hour", "interval": 1, "start_time": START},
        },
    )
    return made


def remaining(core: PipelineCore, tags: tuple[str, ...] = ("",)) -> dict[str, int]:
    """How many of each collection exist (datasets: those of the pipelines ``tags`` name)."""
    flow, catalog = pipeline_clients(core.config)
    counts = {c: len(flow.list_all(collection=c, sandbox="prod", filters={})) for c in COLLECTIONS}
    counts["dataSets"] = sum(len(catalog.datasets_named(sandbox="prod", name=f"customers{t}")) for t in tags)
    return counts


def test_create_read_and_no_diff_after_refresh(emulator: EmulatorSession, core: PipelineCore) -> None:
    made = build(core, emulator.create_connection()["id"])
    flow = made["flow"]
    assert flow["state"] == "enabled"
    assert flow["enabled"] is True
    assert flow["schedule"]["frequency"] == "hour"
    for resource, key, id_output in (
        ("AzureBlobSourceConnection", "source", "source_connection_id"),
        ("Dataset", "dataset", "dataset_id"),
        ("DataLakeTargetConnection", "target", "target_connection_id"),
        ("Dataflow", "flow", "flow_id"),
    ):
        read = core.read(resource, made[key][id_output], made[key])
        assert read is not None, resource
        news, failures = core.check(resource, read.inputs)
        assert failures == [], resource
        assert core.diff(resource, read.outputs, news).changed == (), resource


def test_rename_and_disable_in_place(emulator: EmulatorSession, core: PipelineCore) -> None:
    made = build(core, emulator.create_connection()["id"])
    old = made["flow"]
    news, _ = core.check("Dataflow", {**old, "name": "renamed", "enabled": False})
    assert core.diff("Dataflow", old, news).replaces == ()
    outs = core.update("Dataflow", old["flow_id"], old, news)
    assert (outs["name"], outs["state"], outs["enabled"]) == ("renamed", "disabled", False)
    assert outs["etag"] != old["etag"]


def test_out_of_order_delete_names_what_to_delete_first(
    emulator: EmulatorSession, core: PipelineCore
) -> None:
    made = build(core, emulator.create_connection()["id"])
    source = made["source"]
    with pytest.raises(ConnectionInUseError) as info:
        core.delete("AzureBlobSourceConnection", source["source_connection_id"], source)
    assert "dataflows still use it" in str(info.value)
    assert "delete those dataflows first" in str(info.value)
    assert info.value.code
    assert info.value.request_id
    for key, resource, id_output in (
        ("flow", "Dataflow", "flow_id"),
        ("source", "AzureBlobSourceConnection", "source_connection_id"),
        ("target", "DataLakeTargetConnection", "target_connection_id"),
        ("dataset", "Dataset", "dataset_id"),
    ):
        core.delete(resource, made[key][id_output], made[key])
    assert remaining(core) == dict.fromkeys((*COLLECTIONS, "dataSets"), 0)


def test_a_flow_deleted_out_of_band_reads_as_gone(emulator: EmulatorSession, core: PipelineCore) -> None:
    flow = build(core, emulator.create_connection()["id"])["flow"]
    pipeline_clients(core.config)[0].delete(collection="flows", sandbox="prod", entity_id=flow["flow_id"])
    assert core.read("Dataflow", flow["flow_id"], flow) is None
    core.delete("Dataflow", flow["flow_id"], flow)  # already gone: success


@pytest.mark.parametrize("name", ["csv", "landing, prod"], ids=["plain", "comma"])
def test_lost_create_answer_of_a_source_connection_is_adopted(
    emulator: EmulatorSession, core: PipelineCore, name: str
) -> None:
    """D5 for pipeline entities too: ``property=name==landing, prod`` means "landing or prod" to Flow
    Service, so a comma name is compared here, never sent as a filter (else it is not found, and sent again)."""
    base_id = emulator.create_connection()["id"]
    emulator.server.control.inject_fault("POST", "/sourceConnections", count=1, action="drop_response")
    _, outs = core.create(
        "AzureBlobSourceConnection",
        {"name": name, "base_connection_id": base_id, "path": "/incoming/*.csv", "data_format": "delimited"},
    )
    listed = pipeline_clients(core.config)[0].list_all(
        collection="sourceConnections", sandbox="prod", filters={}
    )
    assert [(i["id"], i["name"]) for i in listed] == [(outs["source_connection_id"], name)]
    posts = [
        r
        for r in emulator.server.control.requests()
        if r["method"] == "POST" and r["path"].endswith("/sourceConnections")
    ]
    assert len(posts) == 1


def test_a_lost_create_of_a_comma_name_whose_list_fails_never_hints_an_any_of_query(
    emulator: EmulatorSession, clients: Any
) -> None:
    """The "find it with GET ..." of a lost create: ``property=name==landing, prod`` would list "landing"
    and "prod", so a comma name is looked for in every page."""
    core = PipelineCore(emulator_config(emulator.base_url, reconcileSeconds="1", maxRetries="1"))
    base_id = emulator.create_connection()["id"]
    emulator.server.control.inject_fault("POST", "/sourceConnections", count=1, action="drop_response")
    emulator.server.control.inject_fault("GET", "/sourceConnections", count=1000, status=503)
    with pytest.raises(CreateOutcomeUnknownError, match="may exist") as info:
        core.create(
            "AzureBlobSourceConnection",
            {
                "name": "landing, prod",
                "base_connection_id": base_id,
                "path": "/incoming/*.csv",
                "data_format": "delimited",
            },
        )
    assert "GET /sourceConnections and look for name 'landing, prod' in every page" in str(info.value)
    assert "property=name==" not in str(info.value)


def test_a_stale_etag_is_re_read_and_the_patch_sent_once_more(
    emulator: EmulatorSession, core: PipelineCore
) -> None:
    old = build(core, emulator.create_connection()["id"])["flow"]
    first, _ = core.check("Dataflow", {**old, "name": "first"})
    core.update("Dataflow", old["flow_id"], old, first)  # the state's etag is stale from here on
    second, _ = core.check("Dataflow", {**old, "name": "second"})
    outs = core.update("Dataflow", old["flow_id"], old, second)
    assert outs["name"] == "second"
    patches = [r for r in emulator.server.control.requests() if r["method"] == "PATCH"]
    assert [r.get("status") for r in patches][-2:] == [412, 200]
