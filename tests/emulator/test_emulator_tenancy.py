"""Tenancy: several orgs, sandboxes and API clients from a config file; isolation between them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from aep_emulator import defaults
from aep_emulator.config import EmulatorConfig
from aep_emulator.server import EmulatorServer
from aep_emulator.testing import TIMEOUT_S, Credentials, fetch_token
from tests.helpers.emulator import EmulatorSession

pytestmark = pytest.mark.emulator

ACME = "ACME00000000000000000000@AdobeOrg"
GLOBEX = "GLOBEX000000000000000000@AdobeOrg"
CONFIG = {
    "orgs": [{"id": ACME, "sandboxes": ["prod", "qa"]}, {"id": GLOBEX, "sandboxes": ["prod"]}],
    "clients": [
        {"client_id": "acme-ci", "client_secret": "acme-secret", "orgs": [ACME]},
        {
            "client_id": "ops",
            "client_secret": "ops-secret",
            "orgs": [ACME, GLOBEX],
            "scopes": "openid,AdobeID",
        },
    ],
}


@pytest.fixture(scope="module")
def tenants(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorServer]:
    path = tmp_path_factory.mktemp("tenancy") / "emulator.json"
    path.write_text(json.dumps(CONFIG), encoding="utf-8")
    with EmulatorServer(config=path) as server:
        yield server


def _session(server: EmulatorServer, creds: Credentials) -> EmulatorSession:
    return EmulatorSession(server, fetch_token(server.base_url, creds), creds)


ACME_CI = Credentials("acme-ci", "acme-secret", ACME, "prod")
OPS = Credentials("ops", "ops-secret", GLOBEX, "prod", scope="openid,AdobeID")


def test_default_config_is_one_org_two_sandboxes_one_client() -> None:
    config = EmulatorConfig()
    assert [o.id for o in config.orgs] == [defaults.DEFAULT_ORG_ID]
    assert [s.name for s in config.orgs[0].sandboxes] == ["prod", "dev"]
    assert [c.client_id for c in config.clients] == [defaults.DEFAULT_CLIENT_ID]


def test_connection_in_another_sandbox_is_not_found(emulator: EmulatorSession) -> None:
    created = emulator.create_connection()
    response = emulator.request(
        "GET", f"/connections/{created['id']}", headers=emulator.headers(**{"x-sandbox-name": "dev"})
    )
    assert response.status_code == 404
    assert response.json()["type"].endswith("FLOW-1101-404")


def test_list_shows_only_the_callers_sandbox(emulator: EmulatorSession) -> None:
    emulator.create_connection()
    response = emulator.request("GET", "/connections", headers=emulator.headers(**{"x-sandbox-name": "dev"}))
    assert response.status_code == 200
    assert response.json()["items"] == []


def test_configured_client_gets_a_token_and_creates_in_its_org(tenants: EmulatorServer) -> None:
    session = _session(tenants, ACME_CI)
    created = session.create_connection()
    assert session.get_connection(created["id"])["imsOrgId"] == ACME


def test_configured_sandbox_exists(tenants: EmulatorServer) -> None:
    session = _session(tenants, ACME_CI)
    response = session.request("GET", "/connections", headers=session.headers(**{"x-sandbox-name": "qa"}))
    assert response.status_code == 200


def _token_response(server: EmulatorServer, creds: Credentials) -> requests.Response:
    data = {
        "grant_type": "client_credentials",
        "client_id": creds.client_id,
        "client_secret": creds.client_secret,
        "scope": creds.scope,
    }
    return requests.post(server.base_url + defaults.IMS_TOKEN_PATH, data=data, timeout=TIMEOUT_S)


def test_default_client_is_replaced_by_configured_clients(tenants: EmulatorServer) -> None:
    response = _token_response(tenants, Credentials())
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_client", "error_description": "invalid client_id parameter"}


def test_client_not_entitled_to_an_org_gets_403025(tenants: EmulatorServer) -> None:
    session = _session(tenants, ACME_CI)
    response = session.request("GET", "/connections", headers=session.headers(**{"x-gw-ims-org-id": GLOBEX}))
    assert response.status_code == 403
    assert response.json() == {"error_code": "403025", "message": "Profile is not valid"}


def test_connection_in_another_org_is_not_found(tenants: EmulatorServer) -> None:
    ops_acme = _session(tenants, Credentials("ops", "ops-secret", ACME, "prod", scope="openid,AdobeID"))
    created = ops_acme.create_connection()
    ops_globex = _session(tenants, OPS)
    response = ops_globex.request("GET", f"/connections/{created['id']}")
    assert response.status_code == 404
    assert response.json()["errorMessage"] == f"connections not found with id = [{created['id']}]"


def test_client_scopes_come_from_the_config(tenants: EmulatorServer) -> None:
    response = _token_response(
        tenants, Credentials("ops", "ops-secret", GLOBEX, scope=defaults.DEFAULT_SCOPES)
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


def test_config_naming_an_unknown_org_is_rejected(tmp_path: Path) -> None:
    bad = {"orgs": [{"id": ACME}], "clients": [{"client_id": "x", "client_secret": "y", "orgs": [GLOBEX]}]}
    with pytest.raises(ValueError, match="unknown orgs"):
        EmulatorConfig.from_dict(bad)
