"""Explore and test against the seeded in-memory tree (credentials that point at no loopback endpoint)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers.emulator import EmulatorSession, blob_connection_body

pytestmark = pytest.mark.emulator


@pytest.fixture
def cid(emulator: EmulatorSession) -> str:
    params = {
        "connectionString": "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=c2VjcmV0LWtleQ==",
        "container": "acme-blob-container",
    }
    return str(emulator.create_connection(blob_connection_body(params=params))["id"])


def _explore(emulator: EmulatorSession, cid: str, **params: str) -> Any:
    return emulator.request("GET", f"/connections/{cid}/explore", params=params)


def _code(response: Any) -> str:
    return str(response.json()["type"]).rsplit("FLOW-", 1)[1]


def test_root_lists_the_configured_container(emulator: EmulatorSession, cid: str) -> None:
    response = _explore(emulator, cid, objectType="root")
    assert response.status_code == 200
    assert response.json() == [
        {
            "type": "folder",
            "name": "acme-blob-container",
            "path": "/acme-blob-container/",
            "canPreview": False,
            "canFetchSchema": False,
        }
    ]


def test_object_type_is_case_insensitive(emulator: EmulatorSession, cid: str) -> None:
    assert _explore(emulator, cid, objectType="ROOT").status_code == 200


def test_folder_lists_files_and_subfolders(emulator: EmulatorSession, cid: str) -> None:
    response = _explore(emulator, cid, objectType="folder", object="/acme-blob-container/")
    assert response.status_code == 200
    assert {(i["type"], i["name"], i["path"]) for i in response.json()} == {
        ("folder", "customers", "/acme-blob-container/customers/"),
        ("folder", "sales", "/acme-blob-container/sales/"),
        ("folder", "events", "/acme-blob-container/events/"),
    }


def test_folder_items_carry_preview_flags(emulator: EmulatorSession, cid: str) -> None:
    items = _explore(emulator, cid, objectType="folder", object="/acme-blob-container/customers").json()
    assert items == [
        {
            "type": "file",
            "name": "customers.csv",
            "path": "/acme-blob-container/customers/customers.csv",
            "canPreview": True,
            "canFetchSchema": True,
        }
    ]


def test_delimited_preview_returns_format_schema_and_data(emulator: EmulatorSession, cid: str) -> None:
    response = _explore(
        emulator,
        cid,
        objectType="file",
        object="/acme-blob-container/customers/customers.csv",
        fileType="delimited",
        preview="true",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["format"] == "flat"
    columns = {c["name"]: (c["type"], c["xdm"]["type"]) for c in body["schema"]["columns"]}
    assert columns["id"] == ("integer", "integer")
    assert columns["email"] == ("string", "string")
    assert columns["active"] == ("boolean", "boolean")
    assert columns["loyaltyPoints"] == ("number", "number")
    assert body["data"][0]["firstName"] == "Richard"
    assert len(body["data"]) == 4


def test_json_preview_reads_json_lines(emulator: EmulatorSession, cid: str) -> None:
    obj = "/acme-blob-container/sales/2026/orders.json"
    body = _explore(emulator, cid, objectType="file", object=obj, fileType="json", preview="true").json()
    assert [c["name"] for c in body["schema"]["columns"]] == ["orderId", "customerId", "total", "currency"]
    assert body["data"][1]["orderId"] == "o-1002"


def test_column_delimiter_is_honoured(emulator: EmulatorSession, cid: str) -> None:
    obj = "/acme-blob-container/events/events.tsv"
    body = _explore(emulator, cid, objectType="file", object=obj, columnDelimiter="\t", preview="true").json()
    assert [c["name"] for c in body["schema"]["columns"]] == ["eventId", "type", "timestamp"]


def test_documented_backslash_t_delimiter_is_a_tab(emulator: EmulatorSession, cid: str) -> None:
    obj = "/acme-blob-container/events/events.tsv"
    response = _explore(emulator, cid, objectType="file", object=obj, columnDelimiter="\\t", preview="true")
    assert response.status_code == 200, response.text
    assert [c["name"] for c in response.json()["schema"]["columns"]] == ["eventId", "type", "timestamp"]


def test_missing_object_for_folder_is_1337(emulator: EmulatorSession, cid: str) -> None:
    response = _explore(emulator, cid, objectType="folder")
    assert response.status_code == 400
    assert _code(response) == "1337-400"
    assert response.json()["errorMessage"] == "The object cannot be empty for objectType=folder"


def test_invalid_object_type_is_1358(emulator: EmulatorSession, cid: str) -> None:
    response = _explore(emulator, cid, objectType="table")
    assert response.status_code == 400
    assert _code(response) == "1358-400"


def test_unknown_folder_is_404(emulator: EmulatorSession, cid: str) -> None:
    response = _explore(emulator, cid, objectType="folder", object="/acme-blob-container/nope/")
    assert response.status_code == 404
    assert _code(response) == "1101-404"


def test_explore_unknown_connection_is_404(emulator: EmulatorSession) -> None:
    response = _explore(emulator, "00000000-0000-4000-8000-000000000000", objectType="root")
    assert response.status_code == 404
    assert _code(response) == "1101-404"


def test_folder_path_param_roots_the_seeded_tree(emulator: EmulatorSession) -> None:
    created = emulator.create_connection(blob_connection_body())  # folderPath /acme/customers
    items = _explore(
        emulator, created["id"], objectType="folder", object="/acme-blob-container/acme/customers/"
    )
    assert {i["name"] for i in items.json()} == {"customers", "sales", "events"}


def test_test_connection_with_plausible_credentials_is_true(emulator: EmulatorSession, cid: str) -> None:
    response = emulator.request("GET", f"/connections/{cid}/test")
    assert response.status_code == 200
    assert response.json() == {"result": True}


def test_test_connection_with_malformed_account_key_is_false(emulator: EmulatorSession) -> None:
    params = {"connectionString": "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=not base64!"}
    created = emulator.create_connection(blob_connection_body(params=params))
    response = emulator.request("GET", f"/connections/{created['id']}/test")
    assert response.status_code == 200
    assert response.json() == {"result": False}


def test_test_connection_with_unsigned_sas_uri_is_false(emulator: EmulatorSession) -> None:
    params = {"sasUri": "https://acme.blob.core.windows.net/?sv=2022-11-02"}
    created = emulator.create_connection(
        blob_connection_body(spec_name="SAS URI Authentication", params=params)
    )
    assert emulator.request("GET", f"/connections/{created['id']}/test").json() == {"result": False}


def test_folder_named_root_lists_the_root_as_in_the_tutorial(emulator: EmulatorSession, cid: str) -> None:
    response = _explore(emulator, cid, objectType="folder", object="root")
    assert response.status_code == 200
    assert [i["name"] for i in response.json()] == ["acme-blob-container"]
