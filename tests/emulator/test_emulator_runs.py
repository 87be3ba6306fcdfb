"""Runs: the newest ``max_runs_per_flow`` kept per flow (memory and state file); storage reads off the event loop."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests

from aep_emulator import defaults
from aep_emulator.blobstore import LOOPBACK_TIMEOUT_S
from aep_emulator.config import EmulatorConfig
from aep_emulator.server import EmulatorServer
from aep_emulator.testing import fetch_token
from tests.helpers.emulator import EmulatorSession, blob_connection_body
from tests.helpers.pipeline import create_dataset, created_id, flow_body, source_body, target_body

pytestmark = pytest.mark.emulator

HOUR = 3600


def _flow(session: EmulatorSession, base_params: dict[str, Any] | None = None, **schedule: Any) -> str:
    body = blob_connection_body(params=base_params) if base_params else None
    base = session.create_connection(body)["id"]
    source = created_id(session.request("POST", "/sourceConnections", json=source_body(base)))
    target = created_id(
        session.request("POST", "/targetConnections", json=target_body(create_dataset(session)))
    )
    return created_id(session.request("POST", "/flows", json=flow_body(source, target, **schedule)))


def _runs(session: EmulatorSession, flow: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    params: dict[str, str] = {"property": f"flowId=={flow}", "orderby": "-createdAt", "limit": "100"}
    response = session.request("GET", "/runs", params=params)
    while True:
        assert response.status_code == 200, response.text
        items += response.json()["items"]
        if "_links" not in response.json():
            return items
        response = session.request("GET", response.json()["_links"]["next"]["href"])


def test_runs_are_capped_per_flow_by_default(emulator: EmulatorSession) -> None:
    flow = _flow(emulator)  # hourly since 2023: far more slots than the cap
    assert len(_runs(emulator, flow)) == defaults.MAX_RUNS_PER_FLOW
    emulator.server.control.advance_clock(5 * HOUR)
    runs = _runs(emulator, flow)
    assert len(runs) == defaults.MAX_RUNS_PER_FLOW
    count = emulator.request("GET", "/runs", params={"count": "true", "property": f"flowId=={flow}"})
    assert count.json() == {"count": defaults.MAX_RUNS_PER_FLOW}


def test_the_cap_is_configurable_keeps_the_newest_and_bounds_the_state_file(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with EmulatorServer(config=EmulatorConfig(max_runs_per_flow=3), state_file=state) as server:
        start = 1_800_000_000
        server.control.set_clock(start + 10 * HOUR + 60)
        session = EmulatorSession(server, fetch_token(server.base_url))
        flow = _flow(session, startTime=start, frequency="hour", interval=1)
        starts = [r["params"]["startTime"] for r in _runs(session, flow)]
        assert starts == [start + h * HOUR for h in (10, 9, 8)]
        server.control.advance_clock(2 * HOUR)
        starts = [r["params"]["startTime"] for r in _runs(session, flow)]
        assert starts == [start + h * HOUR for h in (12, 11, 10)]
        saved = json.loads(state.read_text())["state"]["pipeline"]["runs"]
        assert sorted(r["params"]["startTime"] for r in saved) == sorted(starts)
        assert session.request("GET", f"/runs/{saved[0]['id']}").status_code == 200


def test_the_cap_must_be_a_positive_integer() -> None:
    assert EmulatorConfig.from_dict({"max_runs_per_flow": 7}).max_runs_per_flow == 7
    for wrong in (0, -1, "5", True):
        with pytest.raises(ValueError, match="max_runs_per_flow must be a positive integer"):
            EmulatorConfig.from_dict({"max_runs_per_flow": wrong})


class _SlowStorage(ThreadingHTTPServer):
    """A loopback blob endpoint that holds each request until released, then lists no containers."""

    def __init__(self) -> None:
        self.received = threading.Event()
        self.release = threading.Event()
        self.received_at = 0.0
        super().__init__(("127.0.0.1", 0), _SlowHandler)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/devstoreaccount1"


class _SlowHandler(BaseHTTPRequestHandler):
    server: _SlowStorage

    def do_GET(self) -> None:
        self.server.received_at = time.monotonic()
        self.server.received.set()
        self.server.release.wait(timeout=30)
        body = b'<?xml version="1.0" encoding="utf-8"?><EnumerationResults><Containers /><NextMarker /></EnumerationResults>'
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-ms-version", "2021-08-06")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def slow_storage() -> Iterator[_SlowStorage]:
    storage = _SlowStorage()
    thread = threading.Thread(target=storage.serve_forever, daemon=True)
    thread.start()
    yield storage
    storage.release.set()
    storage.shutdown()
    storage.server_close()


def test_counting_a_runs_files_does_not_hold_up_other_requests(
    emulator: EmulatorSession, slow_storage: _SlowStorage
) -> None:
    """While a run listing waits for (slow) real storage, the emulator answers other requests at once."""
    key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
    connection_string = (
        f"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={key};"
        f"BlobEndpoint={slow_storage.endpoint};"
    )
    flow = _flow(emulator, {"connectionString": connection_string, "container": "landing"})
    listing: dict[str, Any] = {}
    params = {"property": f"flowId=={flow}", "count": "true"}

    def list_runs() -> None:
        url = emulator.flow_url + "/runs"
        listing["response"] = requests.get(url, params=params, headers=emulator.headers(), timeout=30)

    runs = threading.Thread(target=list_runs)
    runs.start()
    assert slow_storage.received.wait(timeout=10)
    other = emulator.request("GET", "/flows", params={"count": "true"})
    answered_after = time.monotonic() - slow_storage.received_at
    slow_storage.release.set()
    runs.join(timeout=30)
    assert other.json() == {"count": 1}
    assert answered_after < LOOPBACK_TIMEOUT_S  # the storage call would have timed out first
    assert listing["response"].json() == {"count": defaults.MAX_RUNS_PER_FLOW}
    assert {r["metrics"]["fileSummary"]["inputFileCount"] for r in _runs(emulator, flow)} == {0}
