"""Conformance: replay the request examples of Adobe's OpenAPI spec against the emulator.

Every operation of ``/connections``, ``/connectionSpecs`` and explore in
``data/adobe-flow-service.openapi.yaml`` (a copy of AdobeDocs/experience-platform-apis
``static/swagger-specs/flow-service.yaml``) is either replayed, or one the emulator answers 501 for
(``routes_unemulated.NOT_EMULATED``, with the reason). Requests are built from the spec's ``example``
values; where an example names another connector
(the spec's examples use Google Cloud Storage and BigQuery), the Azure Blob spec id and auth are
substituted, since the emulator emulates the Blob source. Responses are checked for a documented status,
validated against the documented response schema, and must carry every documented field.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from aep_emulator import defaults, routes_unemulated
from tests.helpers.emulator import EmulatorSession, blob_connection_body

pytestmark = pytest.mark.emulator

SPEC_PATH = Path(__file__).parent / "data" / "adobe-flow-service.openapi.yaml"
IN_SCOPE = ("/connections", "/connectionSpecs")


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    return loaded


def _resolve(node: Any, doc: dict[str, Any], depth: int = 0) -> Any:
    """Inline every ``$ref`` (the in-scope schemas are not recursive; depth is a guard)."""
    if depth > 30:
        return {}
    if isinstance(node, dict):
        if "$ref" in node:
            target: Any = doc
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            return _resolve(target, doc, depth + 1)
        return {k: _resolve(v, doc, depth + 1) for k, v in node.items()}
    if isinstance(node, list):
        return [_resolve(v, doc, depth + 1) for v in node]
    return node


def _example(schema: dict[str, Any]) -> Any:
    """A value built from a schema's ``example`` fields (first enum value, else a type default)."""
    if "example" in schema:
        return copy.deepcopy(schema["example"])
    if "enum" in schema:
        return schema["enum"][0]
    if schema.get("type") == "object" or "properties" in schema:
        return {k: _example(v) for k, v in schema.get("properties", {}).items()}
    if schema.get("type") == "array":
        return [_example(schema.get("items", {}))]
    return {"string": "example", "integer": 1, "boolean": True, "number": 1.0}.get(schema.get("type", ""))


def _operations(doc: dict[str, Any], in_scope: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    for path, item in doc["paths"].items():
        if path.startswith(in_scope):
            for method in item:
                if method in {"get", "post", "put", "patch", "delete"}:
                    yield method, path


def _shape(method: str, path: str) -> tuple[str, str]:
    """An operation with its path parameters unnamed: Adobe's ``{FLOW_ID}`` and the emulator's ``{entity_id}``."""
    return method.lower(), re.sub(r"\{[^}]*\}", "{}", path)


def assert_replayed_or_excused(
    doc: dict[str, Any], in_scope: tuple[str, ...], replayed: set[tuple[str, str]]
) -> None:
    """Each operation of Adobe's document under ``in_scope`` is ``replayed`` or one the emulator answers 501."""
    not_emulated = {_shape(method, path) for method, path in routes_unemulated.NOT_EMULATED}
    excused = {op for op in _operations(doc, in_scope) if _shape(*op) in not_emulated}
    assert set(_operations(doc, in_scope)) == replayed | excused
    assert not replayed & excused, "an operation the emulator does not serve cannot be replayed"


def _check_response(doc: dict[str, Any], method: str, path: str, response: Any, expected: int) -> Any:
    operation = doc["paths"][path][method]
    assert response.status_code == expected, response.text
    assert str(expected) in operation["responses"], f"{expected} is not documented for {method} {path}"
    if not response.content:
        return None
    body = response.json()
    content = operation["responses"][str(expected)].get("content", {}).get("application/json", {})
    if "schema" in content:
        schema = _resolve(content["schema"], doc)
        jsonschema.validate(body, schema)
        _assert_documented_fields(schema, body)
    elif "example" in content:
        assert set(content["example"]) <= set(body)
    return body


def _assert_documented_fields(schema: dict[str, Any], body: Any) -> None:
    if schema.get("type") == "array" and isinstance(body, list):
        for item in body:
            _assert_documented_fields(schema.get("items", {}), item)
    elif isinstance(body, dict) and "properties" in schema:
        missing = set(schema["properties"]) - set(body)
        assert not missing, f"documented fields missing: {sorted(missing)}"
        for key, sub in schema["properties"].items():
            if isinstance(sub, dict) and key in ("items",):
                _assert_documented_fields(sub, body[key])


def test_every_in_scope_operation_is_replayed_or_excused(spec: dict[str, Any]) -> None:
    replayed = {
        ("get", "/connections"),
        ("post", "/connections"),
        ("get", "/connections/{BASE_CONNECTION_ID}"),
        ("get", "/connections/{BASE_CONNECTION_ID}/test"),
        ("get", "/connections/{BASE_CONNECTION_ID}/explore"),
        ("patch", "/connections/{BASE_CONNECTION_ID}/"),
        ("delete", "/connections/{BASE_CONNECTION_ID}/"),
        ("get", "/connectionSpecs"),
        ("get", "/connectionSpecs/{CONNECTION_SPEC_ID}"),
    }
    assert_replayed_or_excused(spec, IN_SCOPE, replayed)


def _create_body(spec: dict[str, Any]) -> dict[str, Any]:
    schema = _resolve(
        spec["paths"]["/connections"]["post"]["requestBody"]["content"]["application/json"]["schema"], spec
    )
    body: dict[str, Any] = _example(schema)
    blob = blob_connection_body()
    body["connectionSpec"] = {**body["connectionSpec"], "id": defaults.AZURE_BLOB_SPEC_ID}
    body["auth"] = blob["auth"]
    return body


def _created(emulator: EmulatorSession, spec: dict[str, Any]) -> str:
    return str(emulator.create_connection(_create_body(spec))["id"])


def test_create_connection_example(emulator: EmulatorSession, spec: dict[str, Any]) -> None:
    response = emulator.request("POST", "/connections", json=_create_body(spec))
    body = _check_response(spec, "post", "/connections", response, 201)
    assert response.headers["Location"].endswith(body["id"])


def test_list_connections_example(emulator: EmulatorSession, spec: dict[str, Any]) -> None:
    _created(emulator, spec)
    params = {"limit": 10, "orderby": "-createdAt", "count": "false"}
    body = _check_response(
        spec, "get", "/connections", emulator.request("GET", "/connections", params=params), 200
    )
    assert len(body["items"]) == 1


def test_retrieve_connection_example(emulator: EmulatorSession, spec: dict[str, Any]) -> None:
    cid = _created(emulator, spec)
    path = "/connections/{BASE_CONNECTION_ID}"
    body = _check_response(spec, "get", path, emulator.request("GET", f"/connections/{cid}"), 200)
    assert body["items"][0]["id"] == cid


def test_test_connection_example(emulator: EmulatorSession, spec: dict[str, Any]) -> None:
    cid = _created(emulator, spec)
    path = "/connections/{BASE_CONNECTION_ID}/test"
    body = _check_response(spec, "get", path, emulator.request("GET", f"/connections/{cid}/test"), 200)
    assert body == {"result": True}


@pytest.mark.parametrize(
    ("object_type", "params", "expected"),
    [
        ("ROOT", {}, 200),
        ("FOLDER", {"object": "/acme-blob-container/"}, 200),
        (
            "FILE",
            {
                "object": "/acme-blob-container/acme/customers/customers/customers.csv",
                "FileType": "Delimited",
            },
            200,
        ),
        ("TABLE", {"object": "t"}, 400),
        ("REST", {"object": "r"}, 400),
    ],
)
def test_explore_example_for_each_object_type(
    emulator: EmulatorSession, spec: dict[str, Any], object_type: str, params: dict[str, str], expected: int
) -> None:
    cid = _created(emulator, spec)
    response = emulator.request(
        "GET", f"/connections/{cid}/explore", params={"objectType": object_type, **params}
    )
    if object_type == "FILE":
        # OAS-S types every explore answer as a listing; a file preview follows the explore tutorials
        # (format/schema/data), the shape flow-service-api.md §8 recommends.
        assert response.status_code == 200
        assert set(response.json()) == {"format", "schema", "data"}
        assert all({"name", "type", "xdm"} <= set(c) for c in response.json()["schema"]["columns"])
    elif expected == 200:
        _check_response(spec, "get", "/connections/{BASE_CONNECTION_ID}/explore", response, 200)
    else:  # Not a cloud-storage object type: the Sources catalog's 1358, absent from OAS-S's response list.
        assert response.status_code == expected
        assert response.json()["type"].endswith("FLOW-1358-400")


def test_patch_connection_example(emulator: EmulatorSession, spec: dict[str, Any]) -> None:
    created = emulator.create_connection(_create_body(spec))
    path = "/connections/{BASE_CONNECTION_ID}/"
    schema = _resolve(
        spec["paths"][path]["patch"]["requestBody"]["content"]["application/json"]["schema"], spec
    )
    instruction = _example(schema)
    # The spec's example pairs path /auth/params with a {description} value; replay it on /description.
    instruction.update(path="/description", value=instruction["value"]["description"])
    headers = emulator.headers(**{"If-Match": created["etag"]})
    response = emulator.request("PATCH", f"/connections/{created['id']}/", headers=headers, json=instruction)
    body = _check_response(spec, "patch", path, response, 200)
    assert emulator.get_connection(created["id"])["description"] == instruction["value"]
    assert body["etag"] != created["etag"]


def test_delete_connection_example(emulator: EmulatorSession, spec: dict[str, Any]) -> None:
    cid = _created(emulator, spec)
    path = "/connections/{BASE_CONNECTION_ID}/"
    _check_response(spec, "delete", path, emulator.request("DELETE", f"/connections/{cid}/"), 204)


def test_list_connection_specs_example(emulator: EmulatorSession, spec: dict[str, Any]) -> None:
    params = {"property": f"id=={defaults.AZURE_BLOB_SPEC_ID}"}
    response = emulator.request("GET", "/connectionSpecs", params=params)
    body = _check_response(spec, "get", "/connectionSpecs", response, 200)
    assert [s["id"] for s in body["items"]] == [defaults.AZURE_BLOB_SPEC_ID]


def test_retrieve_connection_spec_example(emulator: EmulatorSession, spec: dict[str, Any]) -> None:
    path = "/connectionSpecs/{CONNECTION_SPEC_ID}"
    response = emulator.request("GET", f"/connectionSpecs/{defaults.AZURE_BLOB_SPEC_ID}")
    body = _check_response(spec, "get", path, response, 200)
    assert body["items"][0]["version"] == "1.0"
