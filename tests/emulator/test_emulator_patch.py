"""PATCH /connections/{id}: RFC 6902 ops under If-Match, immutable paths, re-validation."""

from __future__ import annotations

from typing import Any

import pytest

from aep_emulator.config import EmulatorConfig
from aep_emulator.server import EmulatorServer
from aep_emulator.testing import fetch_token, platform_headers
from tests.helpers.emulator import EmulatorSession

pytestmark = pytest.mark.emulator


def _patch(emulator: EmulatorSession, cid: str, ops: Any, etag: str | None) -> Any:
    headers = emulator.headers() if etag is None else emulator.headers(**{"If-Match": etag})
    return emulator.request("PATCH", f"/connections/{cid}", headers=headers, json=ops)


def _code(response: Any) -> str:
    return str(response.json()["type"]).rsplit("FLOW-", 1)[1]


def test_patch_replaces_name_and_returns_a_new_etag(emulator: EmulatorSession) -> None:
    created = emulator.create_connection()
    response = _patch(
        emulator, created["id"], [{"op": "replace", "path": "/name", "value": "renamed"}], created["etag"]
    )
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == created["id"]
    assert body["etag"] != created["etag"]
    item = emulator.get_connection(created["id"])
    assert item["name"] == "renamed"
    assert item["etag"] == item["version"] == body["etag"]
    assert item["updatedAt"] >= item["createdAt"]


def test_patch_add_description_and_remove_it(emulator: EmulatorSession) -> None:
    created = emulator.create_connection()
    added = _patch(
        emulator, created["id"], [{"op": "add", "path": "/description", "value": "d2"}], created["etag"]
    )
    assert emulator.get_connection(created["id"])["description"] == "d2"
    removed = _patch(
        emulator, created["id"], [{"op": "remove", "path": "/description"}], added.json()["etag"]
    )
    assert removed.status_code == 200
    assert "description" not in emulator.get_connection(created["id"])


def test_patch_replacing_auth_params_replaces_the_whole_object(emulator: EmulatorSession) -> None:
    created = emulator.create_connection()
    new_params = {
        "connectionString": "DefaultEndpointsProtocol=https;AccountName=b;AccountKey=bmV3",
        "container": "n",
    }
    ops = [{"op": "replace", "path": "/auth/params", "value": new_params}]
    assert _patch(emulator, created["id"], ops, created["etag"]).status_code == 200
    stored = next(c for c in emulator.server.control.connections() if c["id"] == created["id"])
    assert stored["auth"]["params"] == new_params


def test_patch_ops_are_case_insensitive(emulator: EmulatorSession) -> None:
    created = emulator.create_connection()
    response = _patch(
        emulator, created["id"], [{"op": "REPLACE", "path": "/name", "value": "up"}], created["etag"]
    )
    assert response.status_code == 200
    assert emulator.get_connection(created["id"])["name"] == "up"


def test_patch_accepts_unquoted_if_match_by_default(emulator: EmulatorSession) -> None:
    created = emulator.create_connection()
    bare = created["etag"].strip('"')
    assert (
        _patch(emulator, created["id"], [{"op": "replace", "path": "/name", "value": "b"}], bare).status_code
        == 200
    )


def test_strict_if_match_requires_quotes() -> None:
    with EmulatorServer(config=EmulatorConfig(strict_if_match=True)) as server:
        headers = platform_headers(fetch_token(server.base_url))
        session = EmulatorSession(server, fetch_token(server.base_url))
        created = session.create_connection()
        bare = created["etag"].strip('"')
        ops = [{"op": "replace", "path": "/name", "value": "b"}]
        response = session.request(
            "PATCH", f"/connections/{created['id']}", headers={**headers, "If-Match": bare}, json=ops
        )
    assert response.status_code == 412
    assert _code(response) == "1404-412"


def test_patch_without_if_match_is_1403(emulator: EmulatorSession) -> None:
    created = emulator.create_connection()
    response = _patch(emulator, created["id"], [{"op": "replace", "path": "/name", "value": "x"}], None)
    assert response.status_code == 400
    assert _code(response) == "1403-400"
    assert response.json()["errorMessage"] == "The header 'If-Match' is missing in the request"


def test_patch_with_stale_etag_is_412(emulator: EmulatorSession) -> None:
    created = emulator.create_connection()
    ops = [{"op": "replace", "path": "/name", "value": "one"}]
    assert _patch(emulator, created["id"], ops, created["etag"]).status_code == 200
    stale = _patch(emulator, created["id"], ops, created["etag"])
    assert stale.status_code == 412
    assert _code(stale) == "1404-412"
    current = emulator.get_connection(created["id"])["etag"]
    assert stale.json()["errorMessage"] == (
        f"Supplied version=[{created['etag']}] does not match the current version on entity=[{current}]"
    )


def test_patch_connection_spec_is_1414(emulator: EmulatorSession) -> None:
    created = emulator.create_connection()
    ops = [{"op": "replace", "path": "/connectionSpec/id", "value": "x"}]
    response = _patch(emulator, created["id"], ops, created["etag"])
    assert response.status_code == 400
    assert _code(response) == "1414-400"
    assert response.json()["errorMessage"] == "The connection spec of a connection cannot be updated."


def test_patch_auth_spec_name_is_refused(emulator: EmulatorSession) -> None:
    created = emulator.create_connection()
    ops = [{"op": "replace", "path": "/auth/specName", "value": "SAS URI Authentication"}]
    response = _patch(emulator, created["id"], ops, created["etag"])
    assert response.status_code == 400
    assert _code(response) == "1414-400"
    assert "authentication type of a connection cannot be changed" in response.json()["errorMessage"]


def test_patch_unknown_path_is_1455(emulator: EmulatorSession) -> None:
    created = emulator.create_connection()
    response = _patch(
        emulator, created["id"], [{"op": "replace", "path": "/state", "value": "x"}], created["etag"]
    )
    assert response.status_code == 400
    assert _code(response) == "1455-400"
    assert response.json()["errorMessage"] == (
        'An error has occurred while validating patch instructions: Missing field "/state"'
    )


def test_patch_move_op_is_1434(emulator: EmulatorSession) -> None:
    created = emulator.create_connection()
    ops = [{"op": "move", "from": "/name", "path": "/description"}]
    response = _patch(emulator, created["id"], ops, created["etag"])
    assert response.status_code == 400
    assert _code(response) == "1434-400"
    assert response.json()["errorMessage"] == "Unsupported operation 'move'"


def test_patch_empty_body_is_1405(emulator: EmulatorSession) -> None:
    created = emulator.create_connection()
    response = _patch(emulator, created["id"], [], created["etag"])
    assert response.status_code == 400
    assert _code(response) == "1405-400"


def test_patch_params_missing_required_field_is_1304(emulator: EmulatorSession) -> None:
    created = emulator.create_connection()
    ops = [{"op": "remove", "path": "/auth/params/connectionString"}]
    response = _patch(emulator, created["id"], ops, created["etag"])
    assert response.status_code == 400
    assert _code(response) == "1304-400"
    assert response.json()["errorMessage"] == "The mandatory field connectionString is not provided"


def test_failed_patch_leaves_the_connection_unchanged(emulator: EmulatorSession) -> None:
    created = emulator.create_connection()
    ops = [
        {"op": "replace", "path": "/name", "value": "new"},
        {"op": "replace", "path": "/state", "value": "x"},
    ]
    assert _patch(emulator, created["id"], ops, created["etag"]).status_code == 400
    item = emulator.get_connection(created["id"])
    assert item["name"] == "Blob connection"
    assert item["etag"] == created["etag"]


def test_patch_unknown_id_is_404(emulator: EmulatorSession) -> None:
    ops = [{"op": "replace", "path": "/name", "value": "x"}]
    response = _patch(emulator, "00000000-0000-4000-8000-000000000000", ops, '"x"')
    assert response.status_code == 404
    assert _code(response) == "1101-404"
