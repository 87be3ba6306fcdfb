"""Request bodies and HTTP helpers for the pipeline tests: dataset, mapping, source, target and flow."""

from __future__ import annotations

from typing import Any

from aep_emulator import defaults
from aep_emulator.flowspecs import CLOUD_STORAGE_TO_AEP_ID, DATA_LAKE_SPEC_ID
from aep_emulator.siblings import SCHEMAS
from tests.helpers.emulator import EmulatorSession

SCHEMA_ID: str = SCHEMAS[0]["$id"]
CATALOG = defaults.CATALOG_PREFIX
CONVERSION = defaults.DATA_PREP_PREFIX


def platform(emulator: EmulatorSession, method: str, path: str, **kwargs: Any) -> Any:
    """Call a platform path (a full ``/data/foundation/...`` path) with the session's headers."""
    return emulator.http.request(
        method, emulator.base_url + path, headers=emulator.headers(), timeout=10, **kwargs
    )


def create_dataset(emulator: EmulatorSession, schema_id: str = SCHEMA_ID) -> str:
    body = {
        "name": "Customers",
        "schemaRef": {"id": schema_id, "contentType": "application/vnd.adobe.xed+json;version=1"},
    }
    response = platform(emulator, "POST", CATALOG + "/dataSets", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()[0]).removeprefix("@/dataSets/")


def create_mapping(emulator: EmulatorSession, schema_id: str = SCHEMA_ID) -> dict[str, Any]:
    body = {
        "outputSchema": {
            "schemaRef": {"id": schema_id, "contentType": "application/vnd.adobe.xed-full+json;version=1"}
        },
        "mappings": [{"sourceType": "ATTRIBUTE", "source": "id", "destination": "_id"}],
    }
    response = platform(emulator, "POST", CONVERSION + "/mappingSets", json=body)
    assert response.status_code == 200, response.text
    created: dict[str, Any] = response.json()
    return created


def source_body(
    base_id: str, path: str = "/acme-blob-container/acme/customers/customers/customers.csv"
) -> dict[str, Any]:
    return {
        "name": "Blob source",
        "baseConnectionId": base_id,
        "data": {"format": "delimited", "properties": {"columnDelimiter": ","}},
        "params": {"path": path, "type": "file"},
        "connectionSpec": {"id": defaults.AZURE_BLOB_SPEC_ID, "version": "1.0"},
    }


def target_body(dataset_id: str, schema_id: str = SCHEMA_ID) -> dict[str, Any]:
    return {
        "name": "Data Lake target",
        "data": {
            "format": "parquet_xdm",
            "schema": {"id": schema_id, "version": "application/vnd.adobe.xed-full+json;version=1"},
        },
        "params": {"dataSetId": dataset_id},
        "connectionSpec": {"id": DATA_LAKE_SPEC_ID, "version": "1.0"},
    }


def flow_body(
    source_id: str, target_id: str, mapping: dict[str, Any] | None = None, **schedule: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Blob to AEP",
        "flowSpec": {"id": CLOUD_STORAGE_TO_AEP_ID, "version": "1.0"},
        "sourceConnectionIds": [source_id],
        "targetConnectionIds": [target_id],
        "scheduleParams": schedule or {"startTime": 1_700_000_000, "frequency": "hour", "interval": 1},
    }
    if mapping is not None:
        body["transformations"] = [
            {"name": "Mapping", "params": {"mappingId": mapping["id"], "mappingVersion": mapping["version"]}}
        ]
    return body


def created_id(response: Any) -> str:
    """The id of a 201 ``{id, etag}`` answer (fails the test otherwise)."""
    assert response.status_code == 201, response.text
    assert set(response.json()) == {"id", "etag"}
    return str(response.json()["id"])
