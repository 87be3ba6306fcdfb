"""Sibling services on the same base URL: Catalog datasets, the seeded Schema Registry, Data Prep mapping sets."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from aep_emulator import defaults
from aep_emulator.siblings import SCHEMAS
from tests.helpers.emulator import EmulatorSession
from tests.helpers.pipeline import CATALOG, CONVERSION, SCHEMA_ID, create_dataset, create_mapping, platform

pytestmark = pytest.mark.emulator
SCHEMA_PATH = defaults.SCHEMA_REGISTRY_PREFIX + "/tenant/schemas"


def test_schemas_by_alt_id_encoded_id_and_list(emulator: EmulatorSession) -> None:
    schema = SCHEMAS[0]
    assert platform(emulator, "GET", f"{SCHEMA_PATH}/{schema['meta:altId']}").json()["$id"] == schema["$id"]
    encoded = platform(emulator, "GET", f"{SCHEMA_PATH}/{quote(schema['$id'], safe='')}")
    assert encoded.json()["meta:altId"] == schema["meta:altId"]
    listed = platform(emulator, "GET", SCHEMA_PATH).json()["results"]
    assert [s["$id"] for s in listed] == [s["$id"] for s in SCHEMAS]


@pytest.mark.parametrize("schema_id", ["_aepemulator.schemas.nope", "line%0Abreak"])
def test_unknown_schema_is_404(emulator: EmulatorSession, schema_id: str) -> None:
    response = platform(emulator, "GET", f"{SCHEMA_PATH}/{schema_id}")
    assert response.status_code == 404
    assert response.json()["type"].endswith("FLOW-1101-404")


def test_dataset_create_get_list_delete(emulator: EmulatorSession) -> None:
    dataset = create_dataset(emulator)
    assert len(dataset) == 24
    got = platform(emulator, "GET", f"{CATALOG}/dataSets/{dataset}").json()
    assert list(got) == [dataset]
    assert got[dataset]["schemaRef"]["id"] == SCHEMA_ID
    assert not any(k.startswith("_") for k in got[dataset])
    assert list(platform(emulator, "GET", f"{CATALOG}/dataSets").json()) == [dataset]
    assert platform(emulator, "DELETE", f"{CATALOG}/dataSets/{dataset}").json() == [f"@/dataSets/{dataset}"]
    assert platform(emulator, "GET", f"{CATALOG}/dataSets/{dataset}").status_code == 404


def test_dataset_on_an_unknown_schema_is_refused(emulator: EmulatorSession) -> None:
    body = {"name": "x", "schemaRef": {"id": "https://ns.adobe.com/aepemulator/schemas/none"}}
    assert platform(emulator, "POST", f"{CATALOG}/dataSets", json=body).status_code == 404


def test_mapping_set_create_is_200_and_get(emulator: EmulatorSession) -> None:
    created = create_mapping(emulator)
    assert len(created["id"]) == 32
    assert created["version"] == 0
    got = platform(emulator, "GET", f"{CONVERSION}/mappingSets/{created['id']}").json()
    assert got["outputSchema"]["schemaRef"]["id"] == SCHEMA_ID
    assert not any(k.startswith("_") for k in got)
    listed = platform(emulator, "GET", f"{CONVERSION}/mappingSets").json()
    assert [m["id"] for m in listed["data"]] == [created["id"]]


def test_sibling_services_are_scoped_by_sandbox(emulator: EmulatorSession) -> None:
    dataset = create_dataset(emulator)
    dev = emulator.headers(**{"x-sandbox-name": "dev"})
    url = emulator.base_url + f"{CATALOG}/dataSets/{dataset}"
    assert emulator.http.get(url, headers=dev, timeout=10).status_code == 404
