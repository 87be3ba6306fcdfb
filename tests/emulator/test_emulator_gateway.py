"""Gateway header checks, run before routing, with the adobe.io and Flow Service bodies."""

from __future__ import annotations

import pytest

from tests.helpers.emulator import EmulatorSession, blob_connection_body

pytestmark = pytest.mark.emulator


def _without(headers: dict[str, str], name: str) -> dict[str, str]:
    return {k: v for k, v in headers.items() if k.lower() != name.lower()}


def test_missing_authorization_is_403010(emulator: EmulatorSession) -> None:
    response = emulator.request("GET", "/connections", headers=_without(emulator.headers(), "Authorization"))
    assert response.status_code == 403
    assert response.json() == {"error_code": "403010", "message": "Oauth token is missing."}


def test_unknown_token_is_401013(emulator: EmulatorSession) -> None:
    response = emulator.request(
        "GET", "/connections", headers=emulator.headers(Authorization="Bearer forged")
    )
    assert response.status_code == 401
    assert response.json() == {"error_code": "401013", "message": "Oauth token is not valid"}


def test_missing_api_key_is_403000(emulator: EmulatorSession) -> None:
    response = emulator.request("GET", "/connections", headers=_without(emulator.headers(), "x-api-key"))
    assert response.status_code == 403
    assert response.json() == {"error_code": "403000", "message": "Api Key is required"}


def test_api_key_of_another_client_is_403003(emulator: EmulatorSession) -> None:
    response = emulator.request(
        "GET", "/connections", headers=emulator.headers(**{"x-api-key": "someone-else"})
    )
    assert response.status_code == 403
    assert response.json() == {"error_code": "403003", "message": "Api Key is invalid"}


def test_missing_org_header_is_400003(emulator: EmulatorSession) -> None:
    response = emulator.request(
        "GET", "/connections", headers=_without(emulator.headers(), "x-gw-ims-org-id")
    )
    assert response.status_code == 400
    assert response.json() == {"error_code": "400003", "message": "Missing header"}


def test_org_the_token_is_not_entitled_to_is_403025(emulator: EmulatorSession) -> None:
    headers = emulator.headers(**{"x-gw-ims-org-id": "FFFFFFFFFFFFFFFFFFFFFFFF@AdobeOrg"})
    response = emulator.request("GET", "/connections", headers=headers)
    assert response.status_code == 403
    assert response.json() == {"error_code": "403025", "message": "Profile is not valid"}


def test_missing_sandbox_header_is_flow_2105(emulator: EmulatorSession) -> None:
    response = emulator.request("GET", "/connections", headers=_without(emulator.headers(), "x-sandbox-name"))
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "https://ns.adobe.com/aep/errors/FLOW-2105-400"
    assert "x-sandbox-name" in body["errorMessage"]


def test_unknown_sandbox_is_flow_2100_404(emulator: EmulatorSession) -> None:
    response = emulator.request(
        "GET", "/connections", headers=emulator.headers(**{"x-sandbox-name": "staging"})
    )
    assert response.status_code == 404
    body = response.json()
    assert body["type"] == "https://ns.adobe.com/aep/errors/FLOW-2100-404"
    assert body["title"] == "Sandbox not found"
    assert "'staging'" in body["errorMessage"]


def test_write_without_content_type_is_rejected(emulator: EmulatorSession) -> None:
    response = emulator.request(
        "POST",
        "/connections",
        headers=_without(emulator.headers(), "Content-Type"),
        data=b'{"name": "x"}',
    )
    assert response.status_code == 400
    assert response.json() == {
        "type": "/placeholder/type/uri",
        "status": 400,
        "title": "BadRequestError",
        "detail": "A valid content-type must be specified",
    }


def test_write_with_text_content_type_is_rejected(emulator: EmulatorSession) -> None:
    headers = emulator.headers(**{"Content-Type": "text/plain"})
    response = emulator.request("POST", "/connections", headers=headers, data=b"{}")
    assert response.status_code == 400
    assert response.json()["detail"] == "A valid content-type must be specified"


def test_gateway_checks_run_before_routing(emulator: EmulatorSession) -> None:
    headers = _without(emulator.headers(), "Authorization")
    response = emulator.request("GET", "/no/such/route", headers=headers)
    assert response.status_code == 403
    assert response.json()["error_code"] == "403010"


def test_valid_headers_reach_the_service(emulator: EmulatorSession) -> None:
    created = emulator.create_connection(blob_connection_body())
    assert emulator.get_connection(created["id"])["id"] == created["id"]
