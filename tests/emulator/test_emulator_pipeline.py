"""A whole Blob -> Data Lake pipeline by plain HTTP calls, and each wrong order of deletes refused."""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest

from tests.helpers.emulator import EmulatorSession
from tests.helpers.pipeline import (
    CATALOG,
    create_dataset,
    create_mapping,
    created_id,
    flow_body,
    platform,
    source_body,
    target_body,
)

pytestmark = pytest.mark.emulator

#: The frozen emulator time the pipeline is built at: the last full hour (the session's token stays valid).
START = int(time.time()) // 3600 * 3600


@dataclass
class Built:
    base: str
    source: str
    dataset: str
    target: str
    flow: str


@pytest.fixture
def built(emulator: EmulatorSession) -> Built:
    """A whole pipeline whose hourly flow is created, then disabled, at a frozen instant."""
    emulator.server.control.set_clock(START)
    base = emulator.create_connection()["id"]
    source = created_id(emulator.request("POST", "/sourceConnections", json=source_body(base)))
    dataset = create_dataset(emulator)
    target = created_id(emulator.request("POST", "/targetConnections", json=target_body(dataset)))
    mapping = create_mapping(emulator)
    body = flow_body(source, target, mapping, startTime=START + 1800, frequency="hour", interval=1)
    flow = created_id(emulator.request("POST", "/flows", json=body))
    assert emulator.request("POST", f"/flows/{flow}/action", params={"op": "disable"}).status_code == 200
    return Built(base, source, dataset, target, flow)


def _code(response: object) -> str:
    status = getattr(response, "status_code", None)
    assert status == 400, getattr(response, "text", "")
    return str(response.json()["type"]).rsplit("FLOW-", 1)[1]  # type: ignore[attr-defined]


def _all_present(emulator: EmulatorSession, built: Built) -> None:
    for path in (f"/connections/{built.base}", f"/sourceConnections/{built.source}",
                 f"/targetConnections/{built.target}", f"/flows/{built.flow}"):  # fmt: skip
        assert emulator.request("GET", path).status_code == 200, path
    assert platform(emulator, "GET", f"{CATALOG}/dataSets/{built.dataset}").status_code == 200


def test_pipeline_end_to_end(emulator: EmulatorSession, built: Built) -> None:
    flow = emulator.request("GET", f"/flows/{built.flow}").json()["items"][0]
    assert flow["state"] == "disabled"
    assert flow["inheritedAttributes"]["sourceConnections"][0]["baseConnection"]["id"] == built.base
    enable = emulator.request("POST", f"/flows/{built.flow}/action", params={"op": "ENABLE"})
    assert enable.status_code == 200, enable.text
    assert (
        emulator.request("GET", "/runs", params={"property": f"flowId=={built.flow}"}).json()["items"] == []
    )
    emulator.server.control.advance_clock(5 * 3600 + 60)
    runs = emulator.request(
        "GET", "/runs", params={"property": f"flowId=={built.flow}", "orderby": "+createdAt"}
    )
    assert runs.status_code == 200, runs.text
    items = runs.json()["items"]
    starts = [r["metrics"]["durationSummary"]["startedAtUTC"] for r in items]
    assert len(items) == 5
    assert starts == sorted(starts)
    assert all(r["metrics"]["statusSummary"]["status"] == "success" for r in items)
    assert all(r["metrics"]["fileSummary"]["inputFileCount"] == 1 for r in items)
    assert (
        emulator.request("POST", f"/flows/{built.flow}/action", params={"op": "disable"}).status_code == 200
    )
    for path in (f"/flows/{built.flow}", f"/targetConnections/{built.target}",
                 f"/sourceConnections/{built.source}", f"/connections/{built.base}"):  # fmt: skip
        assert emulator.request("DELETE", path).status_code == 204, path
        assert emulator.request("GET", path).status_code == 404, path
    assert platform(emulator, "DELETE", f"{CATALOG}/dataSets/{built.dataset}").status_code == 200


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/connections/{base}", "1418-400"),
        ("/sourceConnections/{source}", "1447-400"),
        ("/targetConnections/{target}", "1447-400"),
    ],
)
def test_deleting_what_a_flow_uses_is_refused_and_changes_nothing(
    emulator: EmulatorSession, built: Built, path: str, code: str
) -> None:
    response = emulator.request("DELETE", path.format(**vars(built)))
    assert _code(response) == code
    assert built.flow in response.json()["errorMessage"]
    _all_present(emulator, built)


def test_deleting_a_base_connection_its_source_uses_is_1418(emulator: EmulatorSession, built: Built) -> None:
    assert emulator.request("DELETE", f"/flows/{built.flow}").status_code == 204
    response = emulator.request("DELETE", f"/connections/{built.base}")
    assert _code(response) == "1418-400"
    assert built.source in response.json()["errorMessage"]
    assert emulator.request("GET", f"/connections/{built.base}").status_code == 200


def test_deleting_a_dataset_a_target_uses_is_1447(emulator: EmulatorSession, built: Built) -> None:
    response = platform(emulator, "DELETE", f"{CATALOG}/dataSets/{built.dataset}")
    assert _code(response) == "1447-400"
    _all_present(emulator, built)
