"""IMS token endpoint: client-credentials grant, scopes, expiry, OAuth2 error bodies."""

from __future__ import annotations

import pytest
import requests

from aep_emulator import defaults
from aep_emulator.server import EmulatorServer
from aep_emulator.testing import TIMEOUT_S, platform_headers
from tests.helpers.emulator import EmulatorSession

pytestmark = pytest.mark.emulator

GOOD = {
    "grant_type": "client_credentials",
    "client_id": defaults.DEFAULT_CLIENT_ID,
    "client_secret": defaults.DEFAULT_CLIENT_SECRET,
    "scope": defaults.DEFAULT_SCOPES,
}


def _token(base_url: str, **kwargs: object) -> requests.Response:
    return requests.post(base_url + defaults.IMS_TOKEN_PATH, timeout=TIMEOUT_S, **kwargs)  # type: ignore[arg-type]


def test_form_body_grant_returns_bearer_token_with_expiry_in_seconds(emulator: EmulatorSession) -> None:
    response = _token(emulator.base_url, data=GOOD)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == defaults.DEFAULT_TOKEN_LIFETIME_S


def test_query_parameter_grant_is_accepted(emulator: EmulatorSession) -> None:
    response = _token(emulator.base_url, params=GOOD)
    assert response.status_code == 200
    assert response.json()["access_token"]


def test_v2_token_path_is_accepted(emulator: EmulatorSession) -> None:
    response = requests.post(emulator.base_url + "/ims/token/v2", params=GOOD, timeout=TIMEOUT_S)
    assert response.status_code == 200
    assert response.json()["token_type"] == "bearer"


def test_unknown_client_id_is_invalid_client(emulator: EmulatorSession) -> None:
    response = _token(emulator.base_url, data={**GOOD, "client_id": "nobody"})
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_client", "error_description": "invalid client_id parameter"}


def test_wrong_client_secret_is_invalid_client(emulator: EmulatorSession) -> None:
    response = _token(emulator.base_url, data={**GOOD, "client_secret": "wrong"})
    assert response.status_code == 401
    assert response.json() == {
        "error": "invalid_client",
        "error_description": "invalid client_secret parameter",
    }


def test_scope_outside_the_client_binding_is_invalid_scope(emulator: EmulatorSession) -> None:
    response = _token(emulator.base_url, data={**GOOD, "scope": "openid,admin_everything"})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


def test_other_grant_type_is_unsupported(emulator: EmulatorSession) -> None:
    response = _token(emulator.base_url, data={**GOOD, "grant_type": "password"})
    assert response.status_code == 400
    assert response.json() == {
        "error": "unsupported_grant_type",
        "error_description": "unsupported grant_type 'password'",
    }


def test_missing_client_secret_is_invalid_request(emulator: EmulatorSession) -> None:
    response = _token(emulator.base_url, data={k: v for k, v in GOOD.items() if k != "client_secret"})
    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid_request",
        "error_description": "missing client_secret parameter",
    }


def test_token_expires_after_its_lifetime() -> None:
    with EmulatorServer(token_lifetime_s=60) as server:
        server.control.set_clock(1_790_000_000)
        body = _token(server.base_url, data=GOOD).json()
        assert body["expires_in"] == 60
        url = server.base_url + defaults.FLOW_SERVICE_PREFIX + "/connections"
        headers = platform_headers(body["access_token"])
        server.control.advance_clock(59)
        assert requests.get(url, headers=headers, timeout=TIMEOUT_S).status_code == 200
        server.control.advance_clock(1)
        expired = requests.get(url, headers=headers, timeout=TIMEOUT_S)
    assert expired.status_code == 401
    assert expired.json() == {"error_code": "401013", "message": "Oauth token is not valid"}
