"""Pipeline validation over HTTP: schedules, references, PATCH paths under If-Match, actions, filters."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers.emulator import EmulatorSession
from tests.helpers.pipeline import (
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
