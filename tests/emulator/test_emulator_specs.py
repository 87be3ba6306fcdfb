"""GET /connectionSpecs: the Azure Blob source and its three auth specs as JSON schemas."""

from __future__ import annotations

import pytest

from aep_emulator import defaults
from tests.helpers.emulator import EmulatorSession

pytestmark = pytest.mark.emulator


def _spec(emulator: EmulatorSession) -> dict[str, object]:
    response = emulator.request("GET", f"/connectionSpecs/{defaults.AZURE_BLOB_SPEC_ID}")
    assert response.status_code == 200
    items = response.json()["items"]
    assert len(items) == 1
    spec: dict[str, object] = items[0]
    return spec


def test_blob_spec_has_documented_fields(emulator: EmulatorSession) -> None:
    spec = _spec(emulator)
    assert spec["id"] == defaults.AZURE_BLOB_SPEC_ID
    assert spec["version"] == "1.0"
    assert spec["attributes"]["category"] == "Cloud Storage"  # type: ignore[index]
    assert {"name", "providerId", "authSpec", "exploreSpec", "permissionsInfo"} <= set(spec)


def test_blob_spec_lists_three_auth_specs(emulator: EmulatorSession) -> None:
    names = [(a["name"], a["type"]) for a in _spec(emulator)["authSpec"]]  # type: ignore[attr-defined]
    assert names == [
        ("ConnectionString", "ConnectionString"),
        ("SAS URI Authentication", "SasURIAuthentication"),
        ("Service Principal Based Authentication", "ServicePrincipalBasedAuthentication"),
    ]


def test_auth_specs_are_draft7_schemas_with_password_secrets(emulator: EmulatorSession) -> None:
    by_name = {a["name"]: a["spec"] for a in _spec(emulator)["authSpec"]}  # type: ignore[attr-defined]
    cs = by_name["ConnectionString"]
    assert cs["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert cs["required"] == ["connectionString"]
    assert cs["properties"]["connectionString"]["format"] == "password"
    assert by_name["SAS URI Authentication"]["properties"]["sasUri"]["format"] == "password"
    sp = by_name["Service Principal Based Authentication"]
    assert sp["properties"]["servicePrincipalKey"]["format"] == "password"
    assert set(sp["required"]) == {"serviceEndpoint", "servicePrincipalId", "servicePrincipalKey", "tenant"}


def test_unknown_spec_id_is_404(emulator: EmulatorSession) -> None:
    response = emulator.request("GET", "/connectionSpecs/00000000-0000-4000-8000-000000000000")
    assert response.status_code == 404
    assert response.json()["type"] == "https://ns.adobe.com/aep/errors/FLOW-1101-404"
    assert response.json()["errorMessage"] == (
        "connectionSpecs not found with id = [00000000-0000-4000-8000-000000000000]"
    )


def test_list_specs_filters_by_id(emulator: EmulatorSession) -> None:
    response = emulator.request(
        "GET", "/connectionSpecs", params={"property": f"id=={defaults.AZURE_BLOB_SPEC_ID}"}
    )
    assert response.status_code == 200
    assert [s["id"] for s in response.json()["items"]] == [defaults.AZURE_BLOB_SPEC_ID]


def test_list_specs_filter_without_match_is_empty(emulator: EmulatorSession) -> None:
    response = emulator.request("GET", "/connectionSpecs", params={"property": "id==nope"})
    assert response.status_code == 200
    assert response.json() == {"items": []}
