"""CLI and server: ``aep-emulator serve`` prints URLs, credentials and READY; EmulatorServer binds port 0."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from aep_emulator import defaults
from aep_emulator.server import EmulatorServer
from aep_emulator.testing import TIMEOUT_S, Credentials, fetch_token, platform_headers
from tests.helpers.emulator import EmulatorSession, blob_connection_body

pytestmark = pytest.mark.emulator

#: Seconds for the CLI to print READY: interpreter start plus imports, well under 10 s on 2 cores.
READY_TIMEOUT_S = 30.0


@contextmanager
def _serve(*args: str) -> Iterator[tuple[str, list[str]]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "aep_emulator", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    lines: list[str] = []
    try:
        deadline = time.monotonic() + READY_TIMEOUT_S
        assert process.stdout is not None
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
            if line.startswith("READY "):
                yield line.split()[1], lines
                return
        pytest.fail("no READY line:\n" + "\n".join(lines))
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def test_serve_prints_ready_line_and_serves_health() -> None:
    with _serve() as (base_url, _):
        response = requests.get(base_url + defaults.CONTROL_PREFIX + "/health", timeout=TIMEOUT_S)
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_serve_prints_base_urls_and_default_credentials() -> None:
    with _serve() as (base_url, lines):
        text = "\n".join(lines)
    assert f"{base_url}{defaults.FLOW_SERVICE_PREFIX}" in text
    assert f"{base_url}{defaults.IMS_TOKEN_PATH}" in text
    assert defaults.DEFAULT_CLIENT_ID in text
    assert defaults.DEFAULT_CLIENT_SECRET in text
    assert defaults.DEFAULT_ORG_ID in text


def test_serve_honours_config_and_token_lifetime(tmp_path: Path) -> None:
    config = tmp_path / "c.json"
    config.write_text(json.dumps({"clients": [{"client_id": "cli-client", "client_secret": "s3"}]}))
    with _serve("--config", str(config), "--token-lifetime", "60") as (base_url, lines):
        response = requests.post(
            base_url + defaults.IMS_TOKEN_PATH,
            data={
                "grant_type": "client_credentials",
                "client_id": "cli-client",
                "client_secret": "s3",
                "scope": "openid",
            },
            timeout=TIMEOUT_S,
        )
    assert "cli-client" in "\n".join(lines)
    assert response.status_code == 200
    assert response.json()["expires_in"] == 60


def test_serve_with_state_file_keeps_connections_across_restarts(tmp_path: Path) -> None:
    state = str(tmp_path / "state.json")
    with _serve("--state-file", state) as (base_url, _):
        token = fetch_token(base_url)
        headers = {
            "Authorization": f"Bearer {token}",
            "x-api-key": defaults.DEFAULT_CLIENT_ID,
            "x-gw-ims-org-id": defaults.DEFAULT_ORG_ID,
            "x-sandbox-name": "prod",
        }
        created = requests.post(
            base_url + defaults.FLOW_SERVICE_PREFIX + "/connections",
            json=blob_connection_body(),
            headers=headers,
            timeout=TIMEOUT_S,
        ).json()
    with _serve("--state-file", state) as (base_url, _):
        response = requests.get(
            base_url + defaults.FLOW_SERVICE_PREFIX + f"/connections/{created['id']}",
            headers=headers,
            timeout=TIMEOUT_S,
        )
    assert response.status_code == 200
    assert response.json()["items"][0]["id"] == created["id"]


def test_in_process_server_binds_a_free_port_and_is_ready_on_return() -> None:
    with EmulatorServer(port=0) as server:
        assert server.port > 0
        assert server.base_url == f"http://127.0.0.1:{server.port}"
        assert server.control.health()["status"] == "ok"


def test_two_in_process_servers_are_independent() -> None:
    with EmulatorServer() as one, EmulatorServer() as two:
        EmulatorSession(one, fetch_token(one.base_url)).create_connection()
        assert len(one.control.connections()) == 1
        assert two.control.connections() == []


def test_openapi_document_is_published() -> None:
    with EmulatorServer() as server:
        doc = requests.get(server.base_url + "/openapi.json", timeout=TIMEOUT_S).json()
    assert doc["openapi"].startswith("3.")
    assert f"{defaults.FLOW_SERVICE_PREFIX}/connections/{{connection_id}}" in doc["paths"]
    assert "CreateConnectionRequest" in doc["components"]["schemas"]


def test_serve_tenancy_flags_define_orgs_sandboxes_and_clients() -> None:
    org = "FLAGS000000000000000000@AdobeOrg"
    with _serve("--org", f"{org}:stage,prod", "--client", f"flag-client:flag-secret:{org}") as (
        base_url,
        lines,
    ):
        creds = Credentials("flag-client", "flag-secret", org, "stage", scope="openid")
        token = fetch_token(base_url, creds)
        url = base_url + defaults.FLOW_SERVICE_PREFIX + "/connections"
        ok = requests.get(url, headers=platform_headers(token, creds), timeout=TIMEOUT_S)
        dev = requests.get(
            url, headers=platform_headers(token, creds, **{"x-sandbox-name": "dev"}), timeout=TIMEOUT_S
        )
    assert "flag-client" in "\n".join(lines)
    assert ok.status_code == 200
    assert dev.status_code == 404
    assert dev.json()["type"].endswith("FLOW-2100-404")


def test_serve_never_prints_a_custom_client_secret(tmp_path: Path) -> None:
    config = tmp_path / "config.json"
    clients = [{"client_id": "file-client", "client_secret": "file-secret-value-42"}]
    config.write_text(json.dumps({"clients": clients}), encoding="utf-8")
    with _serve("--client", "flag-client:flag-secret-value-17") as (_, lines):
        flag_text = "\n".join(lines)
    with _serve("--config", str(config)) as (_, lines):
        file_text = "\n".join(lines)
    assert "flag-client" in flag_text
    assert "flag-secret-value-17" not in flag_text
    assert "file-client" in file_text
    assert "file-secret-value-42" not in file_text
    assert "not printed" in file_text
