"""Control plane: reset, fault injection, request log, counters, stored connections, health."""

from __future__ import annotations

import time

import pytest
import requests

from aep_emulator import defaults
from aep_emulator.testing import TIMEOUT_S
from tests.helpers.emulator import EmulatorSession

pytestmark = pytest.mark.emulator


def test_health_answers_ok(emulator: EmulatorSession) -> None:
    response = requests.get(emulator.base_url + defaults.CONTROL_PREFIX + "/health", timeout=TIMEOUT_S)
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_reset_forgets_connections(emulator: EmulatorSession) -> None:
    created = emulator.create_connection()
    emulator.server.control.reset()
    assert emulator.server.control.connections() == []
    assert emulator.request("GET", f"/connections/{created['id']}").status_code == 404


def test_reset_with_tokens_invalidates_issued_tokens(emulator: EmulatorSession) -> None:
    emulator.server.control.reset(tokens=True)
    response = emulator.request("GET", "/connections")
    assert response.status_code == 401
    assert response.json()["error_code"] == "401013"


def test_connections_returns_unmasked_params_across_sandboxes(emulator: EmulatorSession) -> None:
    emulator.create_connection()
    emulator.create_connection(None, **{"x-sandbox-name": "dev"})
    stored = emulator.server.control.connections()
    assert sorted(c["sandboxName"] for c in stored) == ["dev", "prod"]
    assert all(c["auth"]["params"]["connectionString"].startswith("DefaultEndpointsProtocol") for c in stored)


def test_injected_status_answers_n_times_then_stops(emulator: EmulatorSession) -> None:
    emulator.server.control.inject_fault("GET", "/connections", count=2, status=503)
    first = emulator.request("GET", "/connections")
    second = emulator.request("GET", "/connections")
    third = emulator.request("GET", "/connections")
    assert [first.status_code, second.status_code, third.status_code] == [503, 503, 200]
    assert first.json()["type"] == "https://ns.adobe.com/aep/errors/FLOW-1103-503"


def test_injected_429_carries_retry_after_and_gateway_body(emulator: EmulatorSession) -> None:
    emulator.server.control.inject_fault("*", "/connections*", count=1, status=429, retry_after=7)
    response = emulator.request("GET", "/connections")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "7"
    assert response.json() == {"error_code": "429050", "message": "Too many requests"}


def test_fault_matches_method_and_glob_path(emulator: EmulatorSession) -> None:
    created = emulator.create_connection()
    emulator.server.control.inject_fault("DELETE", "/connections/*", count=1, status=500)
    assert emulator.request("GET", f"/connections/{created['id']}").status_code == 200
    response = emulator.request("DELETE", f"/connections/{created['id']}")
    assert response.status_code == 500
    assert response.json()["type"] == "https://ns.adobe.com/aep/errors/FLOW-1102-500"


def test_fault_matches_full_path_patterns(emulator: EmulatorSession) -> None:
    emulator.server.control.inject_fault(
        "GET", defaults.FLOW_SERVICE_PREFIX + "/connections", count=1, status=504
    )
    assert emulator.request("GET", "/connections").status_code == 504


def test_injected_latency_delays_the_answer(emulator: EmulatorSession) -> None:
    emulator.server.control.inject_fault("GET", "/connections", count=1, latency_ms=300)
    started = time.perf_counter()
    response = emulator.request("GET", "/connections")
    assert response.status_code == 200
    assert time.perf_counter() - started >= 0.3


def test_injected_reset_drops_the_connection_without_applying(emulator: EmulatorSession) -> None:
    emulator.server.control.inject_fault("POST", "/connections", count=1, action="reset")
    with pytest.raises(requests.ConnectionError):
        emulator.request("POST", "/connections", json={"name": "x"})
    assert emulator.server.control.connections() == []


def test_drop_response_applies_the_write_then_resets(emulator: EmulatorSession) -> None:
    from tests.helpers.emulator import blob_connection_body

    emulator.server.control.inject_fault("POST", "/connections", count=1, action="drop_response")
    with pytest.raises(requests.ConnectionError):
        emulator.request("POST", "/connections", json=blob_connection_body(name="ghost"))
    assert [c["name"] for c in emulator.server.control.connections()] == ["ghost"]


def test_invalid_fault_is_rejected(emulator: EmulatorSession) -> None:
    with pytest.raises(requests.HTTPError) as info:
        emulator.server.control.inject_fault("GET", "/connections", count=1)
    assert info.value.response.status_code == 400
    assert "needs a status" in info.value.response.json()["error"]


def test_request_log_records_method_path_status_and_fault(emulator: EmulatorSession) -> None:
    rule = emulator.server.control.inject_fault("GET", "/connections", count=1, status=503)
    emulator.request("GET", "/connections")
    emulator.request("GET", "/connections")
    log = [e for e in emulator.server.control.requests() if e["path"].endswith("/connections")]
    assert [(e["method"], e["status"], e["fault"]) for e in log] == [("GET", 503, rule), ("GET", 200, None)]


def test_counters_count_per_route_template(emulator: EmulatorSession) -> None:
    created = emulator.create_connection()
    for _ in range(3):
        emulator.get_connection(created["id"])
    counters = emulator.server.control.counters()
    assert counters[f"GET {defaults.FLOW_SERVICE_PREFIX}/connections/{{connection_id}}"] == 3
    assert counters[f"POST {defaults.FLOW_SERVICE_PREFIX}/connections"] == 1


def test_control_plane_needs_no_platform_headers(emulator: EmulatorSession) -> None:
    response = requests.get(emulator.base_url + defaults.CONTROL_PREFIX + "/counters", timeout=TIMEOUT_S)
    assert response.status_code == 200
    assert isinstance(response.json(), dict)


def test_mark_used_by_flows_on_unknown_connection_is_404(emulator: EmulatorSession) -> None:
    with pytest.raises(requests.HTTPError) as info:
        emulator.server.control.mark_used_by_flows("00000000-0000-4000-8000-000000000000", ["f"])
    assert info.value.response.status_code == 404
    assert info.value.response.json()["type"].endswith("FLOW-1101-404")


def test_counters_use_the_route_template_for_gateway_rejections(emulator: EmulatorSession) -> None:
    headers = {k: v for k, v in emulator.headers().items() if k != "Authorization"}
    assert emulator.request("GET", "/connections/abc", headers=headers).status_code == 403
    counters = emulator.server.control.counters()
    assert counters[f"GET {defaults.FLOW_SERVICE_PREFIX}/connections/{{connection_id}}"] == 1
    assert not any(key.endswith("/abc") for key in counters)


def test_unsupported_method_is_405_with_allow_header(emulator: EmulatorSession) -> None:
    response = emulator.request("PUT", "/connections/abc", json={})
    assert response.status_code == 405
    assert response.headers["Allow"] == "DELETE, GET, PATCH"
    assert response.json()["type"].endswith("FLOW-1100-405")


def test_every_answer_is_dated_by_the_emulator_clock_and_its_lag() -> None:
    """``Date`` comes from the emulator's clock (moved with it, one per answer, as Adobe's gateway stamps
    it), and ``lag_date`` makes it lag as a gateway caching its date header would."""
    from email.utils import parsedate_to_datetime

    from aep_emulator.server import EmulatorServer

    url_of = defaults.FLOW_SERVICE_PREFIX + "/connections"
    with EmulatorServer() as server:
        server.control.set_clock(1_790_000_000.9)
        answer = requests.get(server.base_url + url_of, timeout=TIMEOUT_S)
        assert answer.status_code == 403  # no API key: the gateway's refusal is dated too
        # One Date header (uvicorn's own is off: two would arrive joined and not parse).
        assert parsedate_to_datetime(answer.headers["Date"]).timestamp() == 1_790_000_000
        server.control.lag_date(3)
        lagging = requests.get(server.base_url + url_of, timeout=TIMEOUT_S)
        assert parsedate_to_datetime(lagging.headers["Date"]).timestamp() == 1_789_999_997
        server.control.real_clock()
        now = time.time()
        real = requests.get(server.base_url + url_of, timeout=TIMEOUT_S)
        assert abs(parsedate_to_datetime(real.headers["Date"]).timestamp() - now) <= 1.5
