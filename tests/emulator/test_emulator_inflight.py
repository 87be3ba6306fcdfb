"""Control plane: the in-flight gauge counts requests being served, including those in injected latency."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from aep_emulator.testing import TIMEOUT_S
from tests.helpers.emulator import EmulatorSession, blob_connection_body

pytestmark = pytest.mark.emulator


def _create(emulator: EmulatorSession, index: int) -> int:
    response = requests.post(
        emulator.flow_url + "/connections",
        headers=emulator.headers(),
        json=blob_connection_body(name=f"c{index}"),
        timeout=TIMEOUT_S,
    )
    return int(response.status_code)


def test_concurrent_requests_in_injected_latency_are_counted(emulator: EmulatorSession) -> None:
    emulator.server.control.inject_fault("POST", "/connections", count=8, latency_ms=300)
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda i: _create(emulator, i), range(8)))
    assert statuses == [201] * 8
    gauge = emulator.server.control.inflight()
    assert gauge["createConnection"] == {"current": 0, "max": 8}


def test_sequential_requests_peak_at_one(emulator: EmulatorSession) -> None:
    created = emulator.create_connection()
    for _ in range(3):
        emulator.get_connection(created["id"])
    gauge = emulator.server.control.inflight()
    assert gauge["getConnection"] == {"current": 0, "max": 1}
    assert gauge["createConnection"]["max"] == 1


def test_reset_inflight_forgets_the_high_water_marks(emulator: EmulatorSession) -> None:
    emulator.create_connection()
    assert "createConnection" in emulator.server.control.inflight()
    emulator.server.control.reset_inflight()
    assert emulator.server.control.inflight() == {}


def test_each_method_of_a_path_counts_as_its_own_operation(emulator: EmulatorSession) -> None:
    created = emulator.create_connection()
    emulator.server.control.reset_inflight()
    headers = emulator.headers(**{"If-Match": created["etag"]})
    patch = [{"op": "replace", "path": "/name", "value": "renamed"}]
    assert (
        emulator.request("PATCH", f"/connections/{created['id']}", headers=headers, json=patch).status_code
        == 200
    )
    assert emulator.request("DELETE", f"/connections/{created['id']}").status_code == 204
    assert set(emulator.server.control.inflight()) == {"patchConnection", "deleteConnection"}
