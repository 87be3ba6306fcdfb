"""The whole lifecycle through the real CLI: every auth mode, in-place updates, replacement, drift, destroy."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import pytest
import requests

from aep_emulator.testing import fetch_token, platform_headers
from tests.e2e.harness import CONNECTION_STRING, PulumiProject

pytestmark = [pytest.mark.e2e, pytest.mark.emulator, pytest.mark.slow]

SAS_URI = (
    "https://lifecycleacct.blob.core.windows.net/?sv=2022-11-02&ss=b&srt=co&sp=rl"
    "&se=2030-01-01T00:00:00Z&spr=https&sig=c2lnbmF0dXJlLW9mLXRoZS1zYXM%3D"
)
SP_KEY = "sp~Secret.Value_1234567890abcdefghij"
ROTATED_KEY = base64.b64encode(bytes(range(64, 128))).decode()
ROTATED = (
    CONNECTION_STRING.split("AccountKey=")[0] + f"AccountKey={ROTATED_KEY};EndpointSuffix=core.windows.net"
)
SECRETS = (CONNECTION_STRING, ROTATED, ROTATED_KEY, SAS_URI, "c2lnbmF0dXJlLW9mLXRoZS1zYXM", SP_KEY)


def stored(emulator: Any) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in emulator.control.connections()}


def patch_out_of_band(base_url: str, connection_id: str, ops: list[dict[str, Any]]) -> None:
    url = f"{base_url}/data/foundation/flowservice/connections/{connection_id}"
    headers = platform_headers(fetch_token(base_url))
    etag = requests.get(url, headers=headers, timeout=10).json()["items"][0]["etag"]
    response = requests.patch(url, headers={**headers, "If-Match": etag}, json=ops, timeout=10)
    assert response.status_code == 200, response.text


def delete_out_of_band(base_url: str, connection_id: str) -> None:
    url = f"{base_url}/data/foundation/flowservice/connections/{connection_id}"
    response = requests.delete(url, headers=platform_headers(fetch_token(base_url)), timeout=10)
    assert response.status_code == 204, response.text


def connection_ids_in_state(project: PulumiProject) -> set[str]:
    resources = project.export()["deployment"]["resources"]
    return {r["id"] for r in resources if r["type"] == "pulumi-python:dynamic/aep:AzureBlobConnection"}


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


@pytest.fixture
def lifecycle(configured_project: Callable[[str], PulumiProject]) -> PulumiProject:
    project = configured_project("tests/e2e/programs/lifecycle")
    project.config("sasUri", SAS_URI, secret=True)
    project.config("spKey", SP_KEY, secret=True)
    return project


def test_full_lifecycle(lifecycle: PulumiProject, fresh_emulator: Any) -> None:
    base = fresh_emulator.base_url
    lifecycle.up()
    first = lifecycle.outputs()
    conns = stored(fresh_emulator)
    assert {conns[first[f"{k}Id"]]["auth"]["specName"] for k in ("key", "sas", "sp")} == {
        "ConnectionString",
        "SAS URI Authentication",
        "Service Principal Based Authentication",
    }
    lifecycle.preview("--expect-no-changes")

    # Rename and rotate the key: in place, same id, new etag; the diff names properties, not values.
    lifecycle.config("keyName", "by key (renamed)")
    lifecycle.config("connectionString", ROTATED, secret=True)
    diff = lifecycle.preview("--diff")
    assert "~ pulumi-python:dynamic/aep:AzureBlobConnection: (update)" in diff.stdout, diff.stdout
    assert "name" in diff.stdout
    assert "connection_string" in diff.stdout
    assert_no_secret(diff.stdout + diff.stderr)
    lifecycle.up()
    second = lifecycle.outputs()
    assert second["keyId"] == first["keyId"]
    assert second["keyEtag"] != first["keyEtag"]
    renamed = stored(fresh_emulator)[first["keyId"]]
    assert renamed["name"] == "by key (renamed)"
    assert renamed["auth"]["params"]["connectionString"] == ROTATED

    # Change the auth type: Adobe forbids it in place, so the connection is replaced.
    lifecycle.config("sasMode", "connection-string")
    replaced = lifecycle.up()
    assert "replaced" in replaced.stdout, replaced.stdout
    third = lifecycle.outputs()
    assert third["sasId"] != first["sasId"]
    assert first["sasId"] not in stored(fresh_emulator)

    # Out-of-band rename: refresh shows the drift, up restores the declared name.
    patch_out_of_band(base, first["keyId"], [{"op": "replace", "path": "/name", "value": "renamed by hand"}])
    refreshed = lifecycle.refresh("--diff")
    assert "renamed by hand" in refreshed.stdout, refreshed.stdout
    lifecycle.up()
    assert stored(fresh_emulator)[first["keyId"]]["name"] == "by key (renamed)"
    lifecycle.preview("--expect-no-changes")

    # Out-of-band delete: refresh drops it from state, up creates it again.
    delete_out_of_band(base, first["spId"])
    lifecycle.refresh()
    assert first["spId"] not in connection_ids_in_state(lifecycle)
    lifecycle.up()
    fourth = lifecycle.outputs()
    assert fourth["spId"] != first["spId"]
    assert fourth["spId"] in stored(fresh_emulator)

    assert_no_secret(str(lifecycle.export()) + str(lifecycle.outputs()) + "\n".join(lifecycle.log))
    lifecycle.destroy()
    assert fresh_emulator.control.connections() == []
