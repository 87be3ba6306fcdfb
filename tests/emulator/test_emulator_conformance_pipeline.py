"""Conformance: replay the OpenAPI examples of sourceConnections, targetConnections, flowSpecs, flows and runs.

Request bodies come from the spec's ``example`` values with the ids the emulator issued substituted (the
examples name other connectors' specs and placeholder ids). Answers must have a documented status, validate
against the documented schema, and carry every documented item field. Every operation of these paths is
replayed or one the emulator answers 501 for (the completeness test below).
"""

from __future__ import annotations

import time
from typing import Any

import jsonschema
import pytest
import yaml

from aep_emulator import defaults
from aep_emulator.flowspecs import CLOUD_STORAGE_TO_AEP_ID, DATA_LAKE_SPEC_ID
from tests.emulator.test_emulator_conformance import SPEC_PATH, _example, _resolve, assert_replayed_or_excused
from tests.helpers.emulator import EmulatorSession
from tests.helpers.pipeline import SCHEMA_ID, create_dataset, create_mapping

pytestmark = pytest.mark.emulator

IN_SCOPE = ("/sourceConnections", "/targetConnections", "/flowSpecs", "/flows", "/runs")
SOURCE = "/sourceConnections/{SOURCE_CONNECTION_ID}"
TARGET = "/targetConnections/{TARGET_CONNECTION_ID}"
FLOW = "/flows/{FLOW_ID}"
#: The operations the tests below replay.
REPLAYED = {
    ("get", "/sourceConnections"), ("post", "/sourceConnections"),
    ("get", SOURCE), ("patch", SOURCE), ("delete", SOURCE), ("post", SOURCE + "/action"),
    ("get", "/targetConnections"), ("post", "/targetConnections"),
    ("get", TARGET), ("patch", TARGET), ("delete", TARGET), ("post", TARGET + "/action"),
    ("get", "/flowSpecs"), ("get", "/flowSpecs/{FLOW_SPEC_ID}"),
    ("get", "/flows"), ("post", "/flows"), ("get", FLOW), ("patch", FLOW), ("delete", FLOW),
    ("post", FLOW + "/action"),
    ("get", "/runs"), ("get", "/runs/{RUN_ID}"),
}  # fmt: skip


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    return loaded


def _request_example(spec: dict[str, Any], path: str, method: str = "post") -> Any:
    content = spec["paths"][path][method]["requestBody"]["content"]["application/json"]
    return _example(_resolve(content["schema"], spec))


def _check(spec: dict[str, Any], method: str, path: str, response: Any, expected: int) -> Any:
    """A documented status, a schema-valid body, and every documented field of each item."""
    assert response.status_code == expected, response.text
    operation = spec["paths"][path][method]
    assert str(expected) in operation["responses"], f"{expected} is not documented for {method} {path}"
    if not response.content:
        return None
    body = response.json()
    schema = _resolve(operation["responses"][str(expected)]["content"]["application/json"]["schema"], spec)
    jsonschema.validate(body, _with_documented_deviations(schema))
    item_schema = schema.get("properties", {}).get("items", {}).get("items", {})
    for item in body.get("items", []) if item_schema else []:
        missing = set(item_schema.get("properties", {})) - set(item)
        assert not missing, f"documented fields missing: {sorted(missing)}"
    return body


def _with_documented_deviations(schema: dict[str, Any]) -> dict[str, Any]:
    """OAS-S types a flow spec's ``transformationSpecs`` as one object; the flow spec JSON in Adobe's tutorials
    (and the emulator, see emulator/README.md) has an array of them."""
    props = schema.get("properties", {}).get("items", {}).get("items", {}).get("properties", {})
    if props.get("transformationSpecs", {}).get("type") == "object":
        props["transformationSpecs"] = {"type": "array", "items": props["transformationSpecs"]}
    return schema


def _created(spec: dict[str, Any], collection: str, response: Any) -> str:
    """The id of a create answered as Adobe documents it (201 ``{id, etag}``)."""
    return str(_check(spec, "post", collection, response, 201)["id"])


def _source(emulator: EmulatorSession, spec: dict[str, Any], mode: str | None = None) -> str:
    base = emulator.create_connection()["id"]
    body = _request_example(spec, "/sourceConnections")
    body.update(baseConnectionId=base, connectionSpec={"id": defaults.AZURE_BLOB_SPEC_ID, "version": "1.0"})
    body["params"] = {"path": "/acme-blob-container/acme/customers/customers", "type": "folder"}
    params = {"mode": mode} if mode else None
    response = emulator.request("POST", "/sourceConnections", params=params, json=body)
    return _created(spec, "/sourceConnections", response)


def _target(emulator: EmulatorSession, spec: dict[str, Any], mode: str | None = None) -> tuple[str, str]:
    dataset = create_dataset(emulator)
    body = _request_example(spec, "/targetConnections")
    body["connectionSpec"] = {"id": DATA_LAKE_SPEC_ID, "version": "1.0"}
    body["params"] = {"dataSetId": dataset}
    body["data"] = {**body.get("data", {}), "schema": {"id": SCHEMA_ID, "version": "1"}}
    params = {"mode": mode} if mode else None
    response = emulator.request("POST", "/targetConnections", params=params, json=body)
    return _created(spec, "/targetConnections", response), dataset


def _flow(emulator: EmulatorSession, spec: dict[str, Any], start: int) -> str:
    body = _request_example(spec, "/flows")
    target, _ = _target(emulator, spec)
    mapping = create_mapping(emulator)
    body.update(
        flowSpec={"id": CLOUD_STORAGE_TO_AEP_ID, "version": "1.0"},
        sourceConnectionIds=[_source(emulator, spec)],
        targetConnectionIds=[target],
        transformations=[{"name": "Mapping", "params": {"mappingId": mapping["id"], "mappingVersion": "0"}}],
        scheduleParams={"startTime": start, "frequency": "minute", "interval": "15"},  # OAS-S types
    )
    body.pop("state", None)
    return _created(spec, "/flows", emulator.request("POST", "/flows", json=body))


def test_every_in_scope_operation_is_replayed_or_excused(spec: dict[str, Any]) -> None:
    assert_replayed_or_excused(spec, IN_SCOPE, REPLAYED)


def _patch_description(emulator: EmulatorSession, collection: str, entity_id: str) -> Any:
    """PATCH ``/description`` under the current etag; the answer is the docs' ``{id, etag}`` (OAS-S documents
    the entity list instead: see emulator/README.md), and a GET shows the new description."""
    etag = emulator.request("GET", f"{collection}/{entity_id}").json()["items"][0]["etag"]
    patch = [{"op": "replace", "path": "/description", "value": "updated"}]
    headers = emulator.headers(**{"If-Match": etag})
    response = emulator.request("PATCH", f"{collection}/{entity_id}", json=patch, headers=headers)
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"id", "etag"}
    assert response.json()["etag"] != etag
    assert emulator.request("GET", f"{collection}/{entity_id}").json()["items"][0]["description"] == "updated"


def _publish(
    emulator: EmulatorSession, spec: dict[str, Any], collection: str, template: str, draft: str
) -> None:
    """``POST /{collection}/{id}/action?op=PUBLISH`` (OAS-S's spelling) turns a draft into an enabled entity."""
    assert emulator.request("GET", f"{collection}/{draft}").json()["items"][0]["state"] == "draft"
    response = emulator.request("POST", f"{collection}/{draft}/action", params={"op": "PUBLISH"})
    body = _check(spec, "post", template + "/action", response, 200)
    assert body["id"] == draft
    assert emulator.request("GET", f"{collection}/{draft}").json()["items"][0]["state"] == "enabled"


def test_source_connection_examples(emulator: EmulatorSession, spec: dict[str, Any]) -> None:
    source = _source(emulator, spec)
    _check(spec, "get", SOURCE, emulator.request("GET", f"/sourceConnections/{source}"), 200)
    _check(spec, "get", "/sourceConnections", emulator.request("GET", "/sourceConnections"), 200)
    _patch_description(emulator, "/sourceConnections", source)
    _publish(emulator, spec, "/sourceConnections", SOURCE, _source(emulator, spec, mode="draft"))
    _check(spec, "delete", SOURCE, emulator.request("DELETE", f"/sourceConnections/{source}"), 204)


def test_target_connection_examples(emulator: EmulatorSession, spec: dict[str, Any]) -> None:
    target, _ = _target(emulator, spec)
    _check(spec, "get", TARGET, emulator.request("GET", f"/targetConnections/{target}"), 200)
    _check(spec, "get", "/targetConnections", emulator.request("GET", "/targetConnections"), 200)
    _patch_description(emulator, "/targetConnections", target)
    _publish(emulator, spec, "/targetConnections", TARGET, _target(emulator, spec, mode="draft")[0])
    _check(spec, "delete", TARGET, emulator.request("DELETE", f"/targetConnections/{target}"), 204)


def test_flow_spec_examples(emulator: EmulatorSession, spec: dict[str, Any]) -> None:
    params = {"property": 'name=="CloudStorageToAEP"'}
    body = _check(spec, "get", "/flowSpecs", emulator.request("GET", "/flowSpecs", params=params), 200)
    assert [s["id"] for s in body["items"]] == [CLOUD_STORAGE_TO_AEP_ID]
    one = emulator.request("GET", f"/flowSpecs/{CLOUD_STORAGE_TO_AEP_ID}")
    assert (
        _check(spec, "get", "/flowSpecs/{FLOW_SPEC_ID}", one, 200)["items"][0]["name"] == "CloudStorageToAEP"
    )


def test_flow_and_run_examples(emulator: EmulatorSession, spec: dict[str, Any]) -> None:
    start = int(time.time()) // 60 * 60
    emulator.server.control.set_clock(start)
    flow = _flow(emulator, spec, start)
    emulator.server.control.advance_clock(20 * 60)
    runs = _check(
        spec, "get", "/runs", emulator.request("GET", "/runs", params={"property": f"flowId=={flow}"}), 200
    )
    assert len(runs["items"]) == 2
    run_id = runs["items"][0]["id"]
    _check(spec, "get", "/runs/{RUN_ID}", emulator.request("GET", f"/runs/{run_id}"), 200)
    _check(spec, "get", FLOW, emulator.request("GET", f"/flows/{flow}"), 200)
    _check(spec, "get", "/flows", emulator.request("GET", "/flows"), 200)
    etag = emulator.request("GET", f"/flows/{flow}").json()["items"][0]["etag"]
    patch = [{"op": "replace", "path": "/scheduleParams/frequency", "value": "day"},
             {"op": "replace", "path": "/scheduleParams/interval", "value": "1"}]  # fmt: skip
    response = emulator.request(
        "PATCH", f"/flows/{flow}", json=patch, headers=emulator.headers(**{"If-Match": etag})
    )
    _check(spec, "patch", FLOW, response, 200)
    action = emulator.request("POST", f"/flows/{flow}/action", params={"op": "disable"})
    _check(spec, "post", "/flows/{FLOW_ID}/action", action, 200)
    _check(spec, "delete", FLOW, emulator.request("DELETE", f"/flows/{flow}"), 204)
