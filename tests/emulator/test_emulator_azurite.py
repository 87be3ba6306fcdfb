"""Explore and test answered from real blob storage (Azurite) when the credentials point at loopback."""

from __future__ import annotations

import time
from typing import Any

import pytest
from azure.storage.blob import BlobServiceClient

from tests.helpers.azurite import ACCOUNT_KEY, azurite_connection_string  # noqa: F401  (fixture)
from tests.helpers.emulator import EmulatorSession, blob_connection_body

pytestmark = [pytest.mark.emulator, pytest.mark.azurite]

CONTAINER = "landing"


@pytest.fixture(scope="module")
def seeded(azurite_connection_string: str) -> str:  # noqa: F811
    service = BlobServiceClient.from_connection_string(azurite_connection_string)
    container = service.get_container_client(CONTAINER)
    if not container.exists():
        container.create_container()
    container.upload_blob("crm/contacts.csv", b"id,email\n1,a@example.com\n2,b@example.com\n", overwrite=True)
    container.upload_blob("crm/2026/deals.json", b'[{"deal": "d1", "amount": 10}]', overwrite=True)
    return azurite_connection_string


def _create(emulator: EmulatorSession, conn_str: str) -> str:
    body = blob_connection_body(params={"connectionString": conn_str, "container": CONTAINER})
    return str(emulator.create_connection(body)["id"])


def _explore(emulator: EmulatorSession, cid: str, **params: str) -> Any:
    return emulator.request("GET", f"/connections/{cid}/explore", params=params)


def test_test_connection_against_azurite_is_true(emulator: EmulatorSession, seeded: str) -> None:
    response = emulator.request("GET", f"/connections/{_create(emulator, seeded)}/test")
    assert response.status_code == 200
    assert response.json() == {"result": True}


def test_wrong_account_key_really_fails_against_azurite(emulator: EmulatorSession, seeded: str) -> None:
    wrong = seeded.replace(ACCOUNT_KEY, "d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXk=")
    cid = _create(emulator, wrong)
    assert emulator.request("GET", f"/connections/{cid}/test").json() == {"result": False}
    response = _explore(emulator, cid, objectType="root")
    assert response.status_code == 400
    assert response.json()["errorMessage"].startswith("Unable to access the storage account")


def test_root_lists_the_real_container(emulator: EmulatorSession, seeded: str) -> None:
    items = _explore(emulator, _create(emulator, seeded), objectType="root").json()
    assert [(i["type"], i["name"], i["path"]) for i in items] == [("folder", CONTAINER, f"/{CONTAINER}/")]


def test_folder_lists_real_blobs(emulator: EmulatorSession, seeded: str) -> None:
    response = _explore(emulator, _create(emulator, seeded), objectType="folder", object=f"/{CONTAINER}/crm/")
    assert response.status_code == 200
    assert {(i["type"], i["name"]) for i in response.json()} == {("file", "contacts.csv"), ("folder", "2026")}


def test_file_preview_reads_the_real_blob(emulator: EmulatorSession, seeded: str) -> None:
    obj = f"/{CONTAINER}/crm/contacts.csv"
    body = _explore(emulator, _create(emulator, seeded), objectType="file", object=obj, preview="true").json()
    assert body["data"] == [{"id": "1", "email": "a@example.com"}, {"id": "2", "email": "b@example.com"}]


def test_missing_real_blob_is_404(emulator: EmulatorSession, seeded: str) -> None:
    obj = f"/{CONTAINER}/crm/missing.csv"
    response = _explore(emulator, _create(emulator, seeded), objectType="file", object=obj, preview="true")
    assert response.status_code == 404
    assert response.json()["type"].endswith("FLOW-1101-404")


def test_runs_count_the_files_azurite_really_holds(emulator: EmulatorSession, seeded: str) -> None:
    from tests.helpers.pipeline import (
        create_dataset,
        create_mapping,
        created_id,
        flow_body,
        source_body,
        target_body,
    )

    container = BlobServiceClient.from_connection_string(seeded).get_container_client(CONTAINER)
    for name in ("runs/a.csv", "runs/b.csv"):
        container.upload_blob(name, b"id\n1\n", overwrite=True)
    if container.get_blob_client("runs/c.csv").exists():
        container.delete_blob("runs/c.csv")
    start = int(time.time()) // 3600 * 3600
    emulator.server.control.set_clock(start)
    base = _create(emulator, seeded)
    source = created_id(
        emulator.request("POST", "/sourceConnections", json=source_body(base, f"/{CONTAINER}/runs"))
    )
    target = created_id(
        emulator.request("POST", "/targetConnections", json=target_body(create_dataset(emulator)))
    )
    body = flow_body(source, target, create_mapping(emulator), startTime=start, frequency="hour", interval=1)
    flow = created_id(emulator.request("POST", "/flows", json=body))
    emulator.server.control.advance_clock(60)
    runs = emulator.request("GET", "/runs", params={"property": f"flowId=={flow}"}).json()["items"]
    assert [r["metrics"]["fileSummary"]["inputFileCount"] for r in runs] == [2]
    container.upload_blob("runs/c.csv", b"id\n3\n", overwrite=True)
    emulator.server.control.advance_clock(3600)
    runs = emulator.request("GET", "/runs", params={"property": f"flowId=={flow}"}).json()["items"]
    assert [r["metrics"]["fileSummary"]["inputFileCount"] for r in runs] == [3, 2]
