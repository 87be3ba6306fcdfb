"""POST, GET and DELETE /connections: status codes, shapes and the documented error codes."""

from __future__ import annotations

import re
import uuid

import pytest

from aep_emulator import defaults
from tests.helpers.emulator import EmulatorSession, blob_connection_body

pytestmark = pytest.mark.emulator

ETAG = re.compile(r'^"[0-9a-f]{8}-0000-0200-0000-[0-9a-f]{8}0000"$')
DOCUMENTED_FIELDS = {
    "id", "createdAt", "updatedAt", "createdBy", "updatedBy", "createdClient", "updatedClient", "sandboxId",
    "sandboxName", "imsOrgId", "name", "description", "connectionSpec", "state", "auth", "version", "etag",
}  # fmt: skip


def _problem(response: object, code: int, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    body: dict[str, object] = response.json()  # type: ignore[attr-defined]
    assert body["type"] == f"https://ns.adobe.com/aep/errors/FLOW-{code}-{status}"
    assert body["status"] == status
    assert body["errorMessage"] == body["errorDetails"] == body["report"]["detailed-message"]  # type: ignore[index]
    uuid.UUID(str(body["report"]["request-id"]))  # type: ignore[index]
    return body


def test_create_returns_201_id_etag_and_location(emulator: EmulatorSession) -> None:
    response = emulator.request("POST", "/connections", json=blob_connection_body())
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "etag"}
    assert uuid.UUID(body["id"]).version == 4
    assert ETAG.match(body["etag"])
    assert response.headers["Location"] == f"{defaults.FLOW_SERVICE_PREFIX}/connections/{body['id']}"


def test_get_returns_items_envelope_with_every_documented_field(emulator: EmulatorSession) -> None:
    created = emulator.create_connection()
    response = emulator.request("GET", f"/connections/{created['id']}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    items = response.json()["items"]
    assert len(items) == 1
    item = items[0]
    assert set(item) == DOCUMENTED_FIELDS
    assert item["state"] == "enabled"
    assert item["version"] == item["etag"] == created["etag"]
    assert item["connectionSpec"] == {"id": defaults.AZURE_BLOB_SPEC_ID, "version": "1.0"}
    assert item["createdClient"] == defaults.DEFAULT_CLIENT_ID
    assert item["imsOrgId"] == defaults.DEFAULT_ORG_ID
    assert item["sandboxName"] == "prod"
    assert isinstance(item["createdAt"], int)
    assert item["createdAt"] > 1_600_000_000_000


def test_get_masks_secret_params_and_keeps_the_others(emulator: EmulatorSession) -> None:
    created = emulator.create_connection()
    params = emulator.get_connection(created["id"])["auth"]["params"]
    assert params == {
        "connectionString": "xxxx",
        "container": "acme-blob-container",
        "folderPath": "/acme/customers",
    }


def test_get_masks_service_principal_key_only(emulator: EmulatorSession) -> None:
    params = {
        "serviceEndpoint": "https://acme.blob.core.windows.net",
        "servicePrincipalId": "11111111-2222-3333-4444-555555555555",
        "servicePrincipalKey": "sp-secret",
        "accountKind": "StorageV2",
        "tenant": "acme.onmicrosoft.com",
        "container": "c",
    }
    body = blob_connection_body(spec_name="Service Principal Based Authentication", params=params)
    shown = emulator.get_connection(emulator.create_connection(body)["id"])["auth"]["params"]
    assert shown == {**params, "servicePrincipalKey": "xxxx"}


@pytest.mark.parametrize("spec_name", ["SAS URI Authentication", "SasURIAuthentication"])
def test_create_accepts_both_sas_spellings_and_stores_the_one_sent(
    emulator: EmulatorSession, spec_name: str
) -> None:
    params = {"sasUri": "https://acme.blob.core.windows.net/?sv=2022-11-02&sig=abc", "container": "c"}
    created = emulator.create_connection(blob_connection_body(spec_name=spec_name, params=params))
    assert emulator.get_connection(created["id"])["auth"]["specName"] == spec_name


def test_create_without_version_defaults_to_1_0(emulator: EmulatorSession) -> None:
    body = blob_connection_body()
    del body["connectionSpec"]["version"]
    created = emulator.create_connection(body)
    assert emulator.get_connection(created["id"])["connectionSpec"]["version"] == "1.0"


def test_create_with_empty_body_is_1405(emulator: EmulatorSession) -> None:
    response = emulator.request("POST", "/connections", data=b"")
    body = _problem(response, 1405, 400)
    assert body["errorMessage"] == "The request body is null or empty"


def test_create_with_unknown_spec_id_is_1413(emulator: EmulatorSession) -> None:
    body = blob_connection_body()
    body["connectionSpec"]["id"] = str(uuid.uuid4())
    problem = _problem(emulator.request("POST", "/connections", json=body), 1413, 400)
    assert problem["errorMessage"] == "Please provide a valid spec id"


def test_create_with_unknown_auth_spec_is_1415(emulator: EmulatorSession) -> None:
    body = blob_connection_body(spec_name="Basic Authentication")
    problem = _problem(emulator.request("POST", "/connections", json=body), 1415, 400)
    assert problem["errorMessage"] == (
        "The auth spec 'Basic Authentication' could not be found for the connection spec ID "
        + defaults.AZURE_BLOB_SPEC_ID
    )


def test_create_without_required_param_is_1304(emulator: EmulatorSession) -> None:
    body = blob_connection_body(params={"container": "c"})
    problem = _problem(emulator.request("POST", "/connections", json=body), 1304, 400)
    assert problem["errorMessage"] == "The mandatory field connectionString is not provided"


def test_create_without_name_is_1304(emulator: EmulatorSession) -> None:
    body = blob_connection_body()
    del body["name"]
    problem = _problem(emulator.request("POST", "/connections", json=body), 1304, 400)
    assert problem["errorMessage"] == "The mandatory field name is not provided"


def test_create_with_param_of_wrong_type_is_rejected_by_the_auth_schema(emulator: EmulatorSession) -> None:
    body = blob_connection_body(
        params={"connectionString": "DefaultEndpointsProtocol=https;AccountName=a", "container": 7}
    )
    problem = _problem(emulator.request("POST", "/connections", json=body), 1100, 400)
    assert "auth.params.container" in str(problem["errorMessage"])


def test_get_unknown_id_is_1101_404(emulator: EmulatorSession) -> None:
    missing = str(uuid.uuid4())
    problem = _problem(emulator.request("GET", f"/connections/{missing}"), 1101, 404)
    assert problem["errorMessage"] == f"connections not found with id = [{missing}]"
    assert problem["report"] == {**problem["report"], "id": missing, "type": "connections"}  # type: ignore[dict-item]


def test_error_bodies_carry_a_fresh_request_id(emulator: EmulatorSession) -> None:
    missing = str(uuid.uuid4())
    first = emulator.request("GET", f"/connections/{missing}").json()["report"]["request-id"]
    second = emulator.request("GET", f"/connections/{missing}").json()["report"]["request-id"]
    assert first != second


def test_delete_returns_204_then_get_is_404(emulator: EmulatorSession) -> None:
    created = emulator.create_connection()
    response = emulator.request("DELETE", f"/connections/{created['id']}")
    assert response.status_code == 204
    assert response.content == b""
    _problem(emulator.request("GET", f"/connections/{created['id']}"), 1101, 404)


def test_delete_twice_is_404(emulator: EmulatorSession) -> None:
    created = emulator.create_connection()
    assert emulator.request("DELETE", f"/connections/{created['id']}").status_code == 204
    problem = _problem(emulator.request("DELETE", f"/connections/{created['id']}"), 1101, 404)
    assert problem["errorMessage"] == f"connections not found with id = [{created['id']}]"


def test_delete_accepts_trailing_slash(emulator: EmulatorSession) -> None:
    created = emulator.create_connection()
    assert emulator.request("DELETE", f"/connections/{created['id']}/").status_code == 204


def test_delete_of_connection_used_by_flows_is_1418(emulator: EmulatorSession) -> None:
    created = emulator.create_connection()
    emulator.server.control.mark_used_by_flows(created["id"], ["flow-1"])
    problem = _problem(emulator.request("DELETE", f"/connections/{created['id']}"), 1418, 400)
    assert "being used in one or more flows" in str(problem["errorMessage"])
    assert emulator.get_connection(created["id"])["id"] == created["id"]


def test_delete_succeeds_after_flows_are_unmarked(emulator: EmulatorSession) -> None:
    created = emulator.create_connection()
    emulator.server.control.mark_used_by_flows(created["id"], ["flow-1"])
    emulator.server.control.mark_used_by_flows(created["id"], [])
    assert emulator.request("DELETE", f"/connections/{created['id']}").status_code == 204


def test_strict_version_mode_requires_connection_spec_version() -> None:
    from aep_emulator.config import EmulatorConfig
    from aep_emulator.server import EmulatorServer
    from aep_emulator.testing import fetch_token

    with EmulatorServer(config=EmulatorConfig(strict_version=True)) as server:
        session = EmulatorSession(server, fetch_token(server.base_url))
        body = blob_connection_body()
        del body["connectionSpec"]["version"]
        response = session.request("POST", "/connections", json=body)
    problem = _problem(response, 422, 422)
    assert problem["errorMessage"] == "connectionSpec.version 'version' is required for spec info"


def test_get_connection_with_unknown_query_param_is_1451(emulator: EmulatorSession) -> None:
    created = emulator.create_connection()
    fast = emulator.request("GET", f"/connections/{created['id']}")
    routed = emulator.request("GET", f"/connections/{created['id']}", params={"unknown": "1"})
    assert fast.status_code == 200
    assert routed.status_code == 400
    assert routed.json()["type"].endswith("FLOW-1451-400")
