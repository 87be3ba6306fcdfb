"""Pipeline validation over HTTP: schedules, references, PATCH paths under If-Match, actions, filters."""

from __future__ import annotations

from typing import Any

import pytest

from aep_emulator import defaults
from aep_emulator.flowspecs import DATA_LAKE_SPEC_ID
from aep_emulator.siblings import SCHEMAS
from tests.helpers.emulator import EmulatorSession
from tests.helpers.pipeline import (
    SCHEMA_ID,
    create_dataset,
    create_mapping,
    created_id,
    flow_body,
    source_body,
    target_body,
)

pytestmark = pytest.mark.emulator


def _code(response: Any) -> str:
    return str(response.json()["type"]).rsplit("FLOW-", 1)[1]


@pytest.fixture
def pair(emulator: EmulatorSession) -> tuple[str, str]:
    base = emulator.create_connection()["id"]
    source = created_id(emulator.request("POST", "/sourceConnections", json=source_body(base)))
    target = created_id(
        emulator.request("POST", "/targetConnections", json=target_body(create_dataset(emulator)))
    )
    return source, target


@pytest.mark.parametrize(
    ("schedule", "code"),
    [
        ({"startTime": 1, "frequency": "once", "interval": 15}, "1361-400"),
        ({"startTime": 1, "frequency": "once", "backfill": True}, "1364-400"),
        ({"startTime": 1, "frequency": "minute", "interval": 14}, "1362-400"),
        ({"startTime": 1, "frequency": "hour"}, "1363-400"),
        ({"startTime": 1, "frequency": "month", "interval": 1}, "1397-400"),
    ],
)
def test_schedule_rules(
    emulator: EmulatorSession, pair: tuple[str, str], schedule: dict[str, Any], code: str
) -> None:
    response = emulator.request("POST", "/flows", json=flow_body(*pair, **schedule))
    assert response.status_code == 400, response.text
    assert _code(response) == code
    assert emulator.request("GET", "/flows", params={"count": "true"}).json() == {"count": 0}


def test_empty_schedule_is_1317(emulator: EmulatorSession, pair: tuple[str, str]) -> None:
    body = flow_body(*pair)
    body["scheduleParams"] = {}
    assert _code(emulator.request("POST", "/flows", json=body)) == "1317-400"


def test_state_in_a_create_flow_request_is_1410(emulator: EmulatorSession, pair: tuple[str, str]) -> None:
    assert (
        _code(emulator.request("POST", "/flows", json={**flow_body(*pair), "state": "enabled"})) == "1410-400"
    )


def test_unknown_referenced_ids_are_404_naming_the_kind(
    emulator: EmulatorSession, pair: tuple[str, str]
) -> None:
    response = emulator.request("POST", "/flows", json=flow_body("no-such-source", pair[1]))
    assert response.status_code == 404
    assert response.json()["errorMessage"] == "sourceConnections not found with id = [no-such-source]"
    missing_base = emulator.request("POST", "/sourceConnections", json=source_body("no-such-base"))
    assert missing_base.json()["errorMessage"] == "connections not found with id = [no-such-base]"
    missing_dataset = emulator.request("POST", "/targetConnections", json=target_body("0" * 24))
    assert missing_dataset.json()["errorMessage"] == f"dataSets not found with id = [{'0' * 24}]"


def test_mapping_version_must_exist(emulator: EmulatorSession, pair: tuple[str, str]) -> None:
    mapping = {**create_mapping(emulator), "version": 3}
    assert _code(emulator.request("POST", "/flows", json=flow_body(*pair, mapping))) == "1412-400"


def test_target_spec_must_be_the_data_lake(emulator: EmulatorSession) -> None:
    body = target_body(create_dataset(emulator))
    body["connectionSpec"]["id"] = "4c10e202-c428-4796-9208-5f1f5732b1cf"
    assert _code(emulator.request("POST", "/targetConnections", json=body)) == "1307-400"


def test_source_format_and_delimiter(emulator: EmulatorSession) -> None:
    base = emulator.create_connection()["id"]
    body = source_body(base)
    body["data"]["format"] = "xml"
    assert _code(emulator.request("POST", "/sourceConnections", json=body)) == "1327-400"
    body = source_body(base)
    body["data"]["properties"]["columnDelimiter"] = ";;"
    assert _code(emulator.request("POST", "/sourceConnections", json=body)) == "1331-400"


def test_patch_flow_under_if_match(emulator: EmulatorSession, pair: tuple[str, str]) -> None:
    flow = created_id(emulator.request("POST", "/flows", json=flow_body(*pair)))
    etag = emulator.request("GET", f"/flows/{flow}").json()["items"][0]["etag"]
    ops = [{"op": "REPLACE", "path": "/name", "value": "renamed"}]
    assert _code(emulator.request("PATCH", f"/flows/{flow}", json=ops)) == "1403-400"
    stale = emulator.headers(**{"If-Match": '"stale"'})
    assert emulator.request("PATCH", f"/flows/{flow}", json=ops, headers=stale).status_code == 412
    fresh = emulator.headers(**{"If-Match": etag})
    immutable = [{"op": "replace", "path": "/flowSpec/id", "value": "x"}]
    assert _code(emulator.request("PATCH", f"/flows/{flow}", json=immutable, headers=fresh)) == "1414-400"
    unknown = [{"op": "replace", "path": "/colour", "value": "x"}]
    assert _code(emulator.request("PATCH", f"/flows/{flow}", json=unknown, headers=fresh)) == "1455-400"
    done = emulator.request("PATCH", f"/flows/{flow}", json=ops, headers=fresh)
    assert done.status_code == 200, done.text
    item = emulator.request("GET", f"/flows/{flow}").json()["items"][0]
    assert item["name"] == "renamed"
    assert item["etag"] == done.json()["etag"] != etag
    assert item["lastOperation"]["operation"] == "update"


def test_actions_follow_the_state_machine(emulator: EmulatorSession, pair: tuple[str, str]) -> None:
    flow = created_id(emulator.request("POST", "/flows", json=flow_body(*pair)))
    assert _code(emulator.request("POST", f"/flows/{flow}/action", params={"op": "enable"})) == "1422-400"
    assert emulator.request("POST", f"/flows/{flow}/action", params={"op": "Disable"}).status_code == 200
    assert emulator.request("GET", f"/flows/{flow}").json()["items"][0]["state"] == "disabled"
    assert _code(emulator.request("POST", f"/flows/{flow}/action", params={"op": "disable"})) == "1422-400"


def test_draft_source_is_published(emulator: EmulatorSession) -> None:
    base = emulator.create_connection()["id"]
    draft = created_id(
        emulator.request("POST", "/sourceConnections", params={"mode": "draft"}, json=source_body(base))
    )
    assert emulator.request("GET", f"/sourceConnections/{draft}").json()["items"][0]["state"] == "draft"
    assert (
        emulator.request("POST", f"/sourceConnections/{draft}/action", params={"op": "publish"}).status_code
        == 200
    )
    assert emulator.request("GET", f"/sourceConnections/{draft}").json()["items"][0]["state"] == "enabled"


def test_flows_filter_on_array_paths(emulator: EmulatorSession, pair: tuple[str, str]) -> None:
    flow = created_id(emulator.request("POST", "/flows", json=flow_body(*pair)))
    created_id(emulator.request("POST", "/flows", json=flow_body(*pair)))
    by_source = emulator.request("GET", "/flows", params={"property": f"sourceConnectionIds[]=={pair[0]}"})
    assert len(by_source.json()["items"]) == 2
    by_id = emulator.request("GET", "/flows", params={"property": f"id=={flow}"})
    assert [f["id"] for f in by_id.json()["items"]] == [flow]
    nested = "inheritedAttributes.sourceConnections[].baseConnection.id"
    base = emulator.request("GET", f"/sourceConnections/{pair[0]}").json()["items"][0]["baseConnectionId"]
    assert (
        len(emulator.request("GET", "/flows", params={"property": f"{nested}=={base}"}).json()["items"]) == 2
    )
    assert (
        _code(emulator.request("GET", "/flows", params={"property": "sourceConnectionIds[]>1"})) == "1448-400"
    )


@pytest.mark.parametrize("collection", ["sourceConnections", "runs"])
def test_pipeline_collections_page_like_connections(emulator: EmulatorSession, collection: str) -> None:
    base = emulator.create_connection()["id"]
    if collection == "runs":
        source = created_id(emulator.request("POST", "/sourceConnections", json=source_body(base)))
        target = created_id(
            emulator.request("POST", "/targetConnections", json=target_body(create_dataset(emulator)))
        )
        created_id(emulator.request("POST", "/flows", json=flow_body(source, target)))  # hourly since 2023
    else:
        for _ in range(5):
            created_id(emulator.request("POST", "/sourceConnections", json=source_body(base)))
    total = emulator.request("GET", f"/{collection}", params={"count": "true"}).json()["count"]
    response = emulator.request("GET", f"/{collection}", params={"limit": "2"})
    seen: list[str] = []
    while True:
        body = response.json()
        seen += [item["id"] for item in body["items"]]
        if "next" not in body.get("_links", {}):
            break
        href = body["_links"]["next"]["href"]
        assert href.startswith(f"/{collection}?continuationToken=")
        response = emulator.request("GET", href)
    assert total >= 5
    assert len(seen) == len(set(seen)) == total


# --- each remaining create error: status, code and message, and nothing stored -----------------------------


def _refused(emulator: EmulatorSession, path: str, body: Any, status: int, code: str, message: str) -> None:
    response = emulator.request("POST", path, json=body)
    assert (response.status_code, _code(response)) == (status, code), response.text
    assert response.json()["errorMessage"] == message
    assert emulator.request("GET", path, params={"count": "true"}).json() == {"count": 0}


def test_target_schema_other_than_the_datasets_is_1425(emulator: EmulatorSession) -> None:
    dataset = create_dataset(emulator)
    other = SCHEMAS[1]["$id"]
    message = (
        f"The schema {other} of the target connection is not the schema {SCHEMA_ID} of dataset {dataset}"
    )
    _refused(emulator, "/targetConnections", target_body(dataset, other), 400, "1425-400", message)


def test_mapping_schema_other_than_the_datasets_is_1425(
    emulator: EmulatorSession, pair: tuple[str, str]
) -> None:
    mapping = create_mapping(emulator, SCHEMAS[1]["$id"])
    dataset = emulator.request("GET", f"/targetConnections/{pair[1]}").json()["items"][0]["params"][
        "dataSetId"
    ]
    message = (
        f"Error while matching schema in target dataset {dataset} with schema in mapping {mapping['id']}. "
        "Schema with same id and version must be used in both mapping and target dataset"
    )
    _refused(emulator, "/flows", flow_body(*pair, mapping), 400, "1425-400", message)


@pytest.mark.parametrize(
    ("key", "kind"), [("sourceConnectionIds", "source"), ("targetConnectionIds", "target")]
)
def test_missing_connection_ids_are_1338(
    emulator: EmulatorSession, pair: tuple[str, str], key: str, kind: str
) -> None:
    body = flow_body(*pair)
    del body[key]
    _refused(
        emulator, "/flows", body, 400, "1338-400", f"The {kind} connection ID can't be null in flowRequest"
    )


@pytest.mark.parametrize(("ids", "size"), [([], 0), (["a", "b"], 2), ("a", 1)])
def test_not_exactly_one_source_id_is_1321(
    emulator: EmulatorSession, pair: tuple[str, str], ids: Any, size: int
) -> None:
    body = {**flow_body(*pair), "sourceConnectionIds": ids}
    message = f"The length of sourceConnectionIds should be one, supplied size is {size}"
    _refused(emulator, "/flows", body, 400, "1321-400", message)


def test_mapping_without_a_mapping_id_is_1370(emulator: EmulatorSession, pair: tuple[str, str]) -> None:
    body = {**flow_body(*pair), "transformations": [{"name": "Mapping", "params": {"mappingVersion": 0}}]}
    message = (
        "The source columns could not be fetched for ingestion because the mapping transformation is missing"
    )
    _refused(emulator, "/flows", body, 400, "1370-400", message)


def test_unknown_flow_spec_is_1413(emulator: EmulatorSession, pair: tuple[str, str]) -> None:
    spec = "00000000-0000-4000-8000-000000000000"
    body = {**flow_body(*pair), "flowSpec": {"id": spec, "version": "1.0"}}
    _refused(emulator, "/flows", body, 400, "1413-400", f"Please provide a valid flow spec id: {spec}")


def test_source_spec_other_than_the_base_connections_is_1413(emulator: EmulatorSession) -> None:
    base = emulator.create_connection()["id"]
    body = source_body(base)
    body["connectionSpec"]["id"] = DATA_LAKE_SPEC_ID
    message = (
        f"The connection spec {DATA_LAKE_SPEC_ID} does not match the spec {defaults.AZURE_BLOB_SPEC_ID} "
        f"of base connection {base}"
    )
    _refused(emulator, "/sourceConnections", body, 400, "1413-400", message)


def test_unknown_target_connection_on_flow_create_is_404(
    emulator: EmulatorSession, pair: tuple[str, str]
) -> None:
    message = "targetConnections not found with id = [no-such-target]"
    _refused(emulator, "/flows", flow_body(pair[0], "no-such-target"), 404, "1101-404", message)


def test_unknown_mapping_set_on_flow_create_is_404(emulator: EmulatorSession, pair: tuple[str, str]) -> None:
    mapping = {"id": "0" * 32, "version": 0}
    message = f"mappingSets not found with id = [{'0' * 32}]"
    _refused(emulator, "/flows", flow_body(*pair, mapping), 404, "1101-404", message)
