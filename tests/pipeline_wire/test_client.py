"""The pipeline client on the emulator over HTTP: the generic calls (get, paged listing, delete) and a
reconciled create whose answer is lost, on the emulator's ``/connections`` collection (the same verbs
and answer shapes as ``/sourceConnections``, ``/targetConnections`` and ``/flows``); the reconcile
window by the server's clock beside another stack's same-named entity; Catalog's paged list; a 2xx
answer that is not Flow Service's JSON."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any, Final, cast

import pytest

from pulumi_aep.client import PAGE_SIZE, Listing
from pulumi_aep.created_window import Lookup, create_reconciled
from pulumi_aep.errors import NotFoundError, UnexpectedResponseError
from pulumi_aep.pipeline_client import (
    CatalogClient,
    Collection,
    PipelineClient,
    pipeline_clients,
    reset_pipeline_clients,
)
from pulumi_aep.pipeline_core import PipelineCore
from pulumi_aep.pipeline_ops import read_or_gone
from tests.helpers.emulator import EmulatorSession, blob_connection_body
from tests.helpers.pipeline import SCHEMA_ID, create_dataset
from tests.helpers.welcome import welcome_url
from tests.pipeline_wire.conftest import emulator_config
from tests.pipeline_wire.test_lifecycle import START

__all__ = ["welcome_url"]  # a pytest fixture

Clients = tuple[PipelineClient, CatalogClient]
#: The emulator's base connections, standing in for any Flow Service collection.
CONNECTIONS: Final = cast("Collection", "connections")


def posts(emulator: EmulatorSession, path: str) -> list[dict[str, Any]]:
    return [
        r for r in emulator.server.control.requests() if r["method"] == "POST" and r["path"].endswith(path)
    ]


def test_get_returns_the_one_item(emulator: EmulatorSession, clients: Clients) -> None:
    created = emulator.create_connection(blob_connection_body("one"))
    item = clients[0].get(collection="connections", sandbox="prod", entity_id=created["id"])
    assert (item["id"], item["name"]) == (created["id"], "one")


def test_list_all_follows_every_page(emulator: EmulatorSession, clients: Clients) -> None:
    ids = {emulator.create_connection(blob_connection_body("paged"))["id"] for _ in range(103)}
    emulator.create_connection(blob_connection_body("other"))
    listed = clients[0].list_all(collection="connections", sandbox="prod", filters={"name": "paged"})
    assert sorted(i["id"] for i in listed) == sorted(ids)


def test_a_deleted_entity_reads_as_gone(emulator: EmulatorSession, clients: Clients) -> None:
    flow = clients[0]
    created = emulator.create_connection()
    flow.delete(collection=CONNECTIONS, sandbox="prod", entity_id=created["id"])
    with pytest.raises(NotFoundError) as info:
        flow.get(collection="connections", sandbox="prod", entity_id=created["id"])
    assert info.value.code
    assert info.value.request_id
    assert (
        read_or_gone(
            "connection", lambda: flow.get(collection="connections", sandbox="prod", entity_id=created["id"])
        )
        is None
    )


def test_a_lost_create_answer_is_adopted_not_repeated(emulator: EmulatorSession, clients: Clients) -> None:
    flow, body = clients[0], blob_connection_body("lost answer")
    emulator.server.control.inject_fault("POST", "/connections", count=1, action="drop_response")

    def listing(resend: bool) -> Listing:
        return flow.list_dated(collection="connections", sandbox="prod", filters={"name": "lost answer"})

    found = create_reconciled(
        flow.policy,
        "connection 'lost answer'",
        lambda: flow.create(collection=CONNECTIONS, sandbox="prod", body=body).id,
        Lookup(listing, lambda item: str(item["id"]), flow.client_id, "GET /connections"),
    )
    stored = [c for c in emulator.server.control.connections() if c["name"] == "lost answer"]
    assert [c["id"] for c in stored] == [found]
    assert len(posts(emulator, "/connections")) == 1


# --- the reconcile window: the server's clock, never a loose local allowance --------------------------------


@pytest.fixture
def quick_core(emulator: EmulatorSession, clients: Clients) -> PipelineCore:
    """The pipeline core on the emulator, looking for a lost create for 1 s (one list, a 0.5 s wait, one)."""
    config = emulator_config(emulator.base_url)
    return PipelineCore(replace(config, retries=replace(config.retries, reconcile=1.0)), now=lambda: START)


def source_props(base_id: str) -> dict[str, Any]:
    return {
        "name": "csv",
        "base_connection_id": base_id,
        "path": "/incoming/*.csv",
        "data_format": "delimited",
    }


def theirs(emulator: EmulatorSession, core: PipelineCore, base_id: str) -> str:
    """The same source connection made by another stack (same API client) 20 s ago, by the server's clock."""
    control = emulator.server.control
    control.set_clock(time.time() - 20)
    try:
        return core.create("AzureBlobSourceConnection", source_props(base_id))[0]
    finally:
        control.real_clock()


def stored_sources(core: PipelineCore) -> list[str]:
    flow, _ = pipeline_clients(core.config)
    return sorted(i["id"] for i in flow.list_all(collection="sourceConnections", sandbox="prod", filters={}))


def test_a_lost_answer_adopts_this_attempts_entity_beside_another_stacks_same_named_one(
    emulator: EmulatorSession, quick_core: PipelineCore
) -> None:
    """The old window (this machine's clock - 120 s) saw both and stopped with "several candidates"."""
    base_id = emulator.create_connection()["id"]
    other = theirs(emulator, quick_core, base_id)
    emulator.server.control.inject_fault("POST", "/sourceConnections", count=1, action="drop_response")
    ours, outputs = quick_core.create("AzureBlobSourceConnection", source_props(base_id))
    assert ours != other
    assert stored_sources(quick_core) == sorted([ours, other])
    assert outputs["source_connection_id"] == ours
    assert len(posts(emulator, "/sourceConnections")) == 2  # theirs, and our one POST


def test_a_post_that_never_landed_does_not_adopt_another_stacks_same_named_entity(
    emulator: EmulatorSession, quick_core: PipelineCore
) -> None:
    """The old window adopted the other stack's entity: two resources would have shared it."""
    base_id = emulator.create_connection()["id"]
    other = theirs(emulator, quick_core, base_id)
    emulator.server.control.inject_fault("POST", "/sourceConnections", count=1, action="reset")
    ours, _ = quick_core.create("AzureBlobSourceConnection", source_props(base_id))
    assert ours != other
    assert stored_sources(quick_core) == sorted([ours, other])
    assert len(posts(emulator, "/sourceConnections")) == 3  # theirs, the reset one, the one sent again


def test_a_dataset_applied_late_behind_a_504_is_adopted_not_duplicated(
    emulator: EmulatorSession, quick_core: PipelineCore
) -> None:
    control = emulator.server.control
    control.inject_fault("POST", "*/dataSets", count=1, action="apply_late", status=504, latency_ms=300)
    dataset_id, _ = quick_core.create("Dataset", {"name": "late", "schema_id": SCHEMA_ID})
    _, catalog = pipeline_clients(quick_core.config)
    assert list(catalog.datasets_named(sandbox="prod", name="late")) == [dataset_id]
    assert [r["status"] for r in posts(emulator, "/dataSets")] == [504]


# --- Catalog paging ---------------------------------------------------------------------------------------


def test_datasets_named_pages_past_the_first_hundred(emulator: EmulatorSession, clients: Clients) -> None:
    for _ in range(PAGE_SIZE + 3):
        create_dataset(emulator)
    _, catalog = clients
    wanted = catalog.create_dataset("prod", {"name": "the last", "schemaRef": {"id": SCHEMA_ID}})
    assert list(catalog.datasets_named(sandbox="prod", name="the last")) == [wanted]
    assert len(catalog.datasets_named(sandbox="prod", name="Customers")) == PAGE_SIZE + 3
    lists = [
        r
        for r in emulator.server.control.requests()
        if r["method"] == "GET" and r["path"].endswith("/dataSets")
    ]
    assert ["start=100" in r["query"] for r in lists[-2:]] == [False, True]


# --- a 2xx that is not Flow Service's JSON ----------------------------------------------------------------


@pytest.fixture
def html_clients(emulator: EmulatorSession, welcome_url: str) -> Iterator[Clients]:
    """Pipeline clients whose platform answers HTML (tokens still come from the emulator's IMS)."""
    config = replace(emulator_config(emulator.base_url), platform_url=welcome_url)
    reset_pipeline_clients()
    try:
        yield pipeline_clients(config)
    finally:
        reset_pipeline_clients()


CALLS: Final[dict[str, Callable[[Clients], object]]] = {
    "create": lambda c: c[0].create(collection="flows", sandbox="prod", body={"name": "f"}),
    "get": lambda c: c[0].get(collection="flows", sandbox="prod", entity_id="f-1"),
    "list": lambda c: c[0].list_all(collection="flows", sandbox="prod", filters={"name": "f"}),
    "patch": lambda c: c[0].patch(collection="flows", sandbox="prod", entity_id="f-1", etag="*", ops=[]),
    "delete": lambda c: c[0].delete(collection="flows", sandbox="prod", entity_id="f-1"),
    "action": lambda c: c[0].flow_action(sandbox="prod", flow_id="f-1", op="enable"),
    "create dataset": lambda c: c[1].create_dataset("prod", {"name": "d"}),
    "get dataset": lambda c: c[1].get_dataset(sandbox="prod", dataset_id="d-1"),
    "list datasets": lambda c: c[1].datasets_named(sandbox="prod", name="d"),
    "delete dataset": lambda c: c[1].delete_dataset(sandbox="prod", dataset_id="d-1"),
}


@pytest.mark.parametrize("call", list(CALLS))
def test_a_2xx_that_is_not_flow_services_json_is_an_unexpected_response(
    html_clients: Clients, call: str
) -> None:
    with pytest.raises(UnexpectedResponseError) as info:
        CALLS[call](html_clients)
    assert info.value.status == 200
    assert "sandbox 'prod'" in str(info.value)


def test_one_token_serves_the_connection_and_the_pipeline(emulator: EmulatorSession) -> None:
    """One provider process asks IMS once: the pipeline's clients share the base connection's token
    cache (`make bench` counted two token requests per command before)."""
    from aep_emulator import defaults
    from pulumi_aep.core import client_for, reset_clients
    from tests.pipeline_wire.conftest import emulator_config

    reset_clients()
    config = emulator_config(emulator.base_url)

    def token_requests() -> list[dict[str, Any]]:
        return [r for r in emulator.server.control.requests() if r["path"] == defaults.IMS_TOKEN_PATH]

    before = len(token_requests())  # the fixture's own
    try:
        client_for(config).list_connections("prod", {})
        flow, catalog = pipeline_clients(config)
        flow.list_all(collection="flows", sandbox="prod", filters={})
        catalog.datasets_named(sandbox="prod", name="customers")
        assert len(token_requests()) - before == 1, token_requests()
    finally:
        reset_clients()
