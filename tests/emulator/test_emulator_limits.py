"""Honest answers: 501 FLOW-9501 for routes not emulated (never a 404), size limits on names and bodies."""

from __future__ import annotations

from typing import Any

import pytest

from aep_emulator import defaults
from aep_emulator.pipeline_checks import MAX_DESCRIPTION, MAX_NAME
from aep_emulator.routes_flow import MAX_BODY_BYTES
from tests.helpers.emulator import EmulatorSession, blob_connection_body
from tests.helpers.pipeline import create_dataset, created_id, flow_body, source_body, target_body

pytestmark = pytest.mark.emulator


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/connections/search"),
        ("POST", "/flows/search"),
        ("POST", "/runs"),
        ("PUT", "/flowSpecs/9753525b-82c7-4dce-8a9b-5ccfce2b9876"),
        ("GET", "/connectionSpecs/4c10e202-c428-4796-9208-5f1f5732b1cf/configs"),
        ("GET", "/noSuchCollection"),
        ("DELETE", "/noSuchCollection/abc/def"),
    ],
)
def test_a_route_not_emulated_is_501_naming_it(emulator: EmulatorSession, method: str, path: str) -> None:
    response = emulator.request(method, path, json={})
    assert response.status_code == 501, response.text
    assert response.json()["type"].endswith("FLOW-9501-501")
    assert f"{method} {defaults.FLOW_SERVICE_PREFIX}{path}" in response.json()["errorMessage"]


def test_an_unknown_sibling_route_is_501(emulator: EmulatorSession) -> None:
    response = emulator.http.get(
        emulator.base_url + defaults.CATALOG_PREFIX + "/batches", headers=emulator.headers(), timeout=10
    )
    assert response.status_code == 501
    assert response.json()["type"].endswith("FLOW-9501-501")


def test_a_name_over_the_limit_is_refused(emulator: EmulatorSession) -> None:
    response = emulator.request("POST", "/connections", json=blob_connection_body(name="n" * (MAX_NAME + 1)))
    assert response.status_code == 400
    assert f"longer than {MAX_NAME}" in response.json()["errorMessage"]
    assert emulator.server.control.connections() == []


def test_a_name_at_the_limit_is_accepted(emulator: EmulatorSession) -> None:
    emulator.create_connection(blob_connection_body(name="n" * MAX_NAME))


def test_a_description_over_the_limit_is_refused(emulator: EmulatorSession) -> None:
    body = blob_connection_body(description="d" * (MAX_DESCRIPTION + 1))
    response = emulator.request("POST", "/connections", json=body)
    assert response.status_code == 400
    assert f"longer than {MAX_DESCRIPTION}" in response.json()["errorMessage"]


def test_a_body_over_the_limit_is_413(emulator: EmulatorSession) -> None:
    body = blob_connection_body()
    body["padding"] = "x" * MAX_BODY_BYTES
    response = emulator.request("POST", "/connections", json=body)
    assert response.status_code == 413
    assert response.json()["type"].endswith("FLOW-1100-413")


#: The pipeline collections, each with a valid create body built on the prerequisites it needs.
PIPELINE_KINDS = ("sourceConnections", "targetConnections", "flows")


def _valid_body(emulator: EmulatorSession, kind: str) -> dict[str, Any]:
    base = emulator.create_connection()["id"]
    if kind == "sourceConnections":
        return source_body(base)
    target = target_body(create_dataset(emulator))
    if kind == "targetConnections":
        return target
    source_id = created_id(emulator.request("POST", "/sourceConnections", json=source_body(base)))
    return flow_body(source_id, created_id(emulator.request("POST", "/targetConnections", json=target)))


@pytest.mark.parametrize("kind", PIPELINE_KINDS)
@pytest.mark.parametrize(("field", "limit"), [("name", MAX_NAME), ("description", MAX_DESCRIPTION)])
def test_pipeline_size_limits(emulator: EmulatorSession, kind: str, field: str, limit: int) -> None:
    body = _valid_body(emulator, kind)
    response = emulator.request("POST", f"/{kind}", json={**body, field: "x" * (limit + 1)})
    assert response.status_code == 400, response.text
    assert response.json()["type"].endswith("FLOW-1100-400")
    assert response.json()["errorMessage"] == f"The field {field} is longer than {limit} characters"
    assert emulator.request("GET", f"/{kind}", params={"count": "true"}).json() == {"count": 0}
    created_id(emulator.request("POST", f"/{kind}", json={**body, field: "x" * limit}))


@pytest.mark.parametrize("kind", PIPELINE_KINDS)
def test_pipeline_body_over_the_limit_is_413(emulator: EmulatorSession, kind: str) -> None:
    body = {**_valid_body(emulator, kind), "padding": "x" * MAX_BODY_BYTES}
    response = emulator.request("POST", f"/{kind}", json=body)
    assert response.status_code == 413
    assert response.json()["type"].endswith("FLOW-1100-413")
    assert response.json()["errorMessage"] == f"The request body is larger than {MAX_BODY_BYTES} bytes"
    assert emulator.request("GET", f"/{kind}", params={"count": "true"}).json() == {"count": 0}
