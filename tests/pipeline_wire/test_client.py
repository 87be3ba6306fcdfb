"""The pipeline client on the emulator over HTTP: the generic calls (get, paged listing, delete) and a
reconciled create whose answer is lost, on the emulator's ``/connections`` collection (the same verbs
and answer shapes as ``/sourceConnections``, ``/targetConnections`` and ``/flows``)."""

from __future__ import annotations

from typing import Any, Final, cast

import pytest

from pulumi_aep.errors import NotFoundError
from pulumi_aep.pipeline_client import CatalogClient, Collection, PipelineClient
from pulumi_aep.pipeline_ops import create_reconciled, created_since, delete_or_gone, read_or_gone
from tests.helpers.emulator import EmulatorSession, blob_connection_body

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
    delete_or_gone(
        "connection",
        lambda: flow.delete(collection=CONNECTIONS, sandbox="prod", entity_id=created["id"]),
        "x",
    )


def test_a_lost_create_answer_is_adopted_not_repeated(emulator: EmulatorSession, clients: Clients) -> None:
    flow, body = clients[0], blob_connection_body("lost answer")
    emulator.server.control.inject_fault("POST", "/connections", count=1, action="drop_response")

    def find(since: int) -> list[str]:
        listed = flow.list_all(collection="connections", sandbox="prod", filters={"name": str(body["name"])})
        return [str(i["id"]) for i in listed if created_since(i, flow.client_id, since)]

    found = create_reconciled(
        flow.config,
        "connection 'lost answer'",
        lambda: flow.create(collection=CONNECTIONS, sandbox="prod", body=body).id,
        find,
    )
    stored = [c for c in emulator.server.control.connections() if c["name"] == "lost answer"]
    assert [c["id"] for c in stored] == [found]
    assert len(posts(emulator, "/connections")) == 1
