"""Emulator fixtures for any test folder.

Use from a ``conftest.py``::

    from tests.helpers.emulator import emulator, emulator_server  # noqa: F401  (pytest fixtures)

``emulator_server`` is one in-process :class:`EmulatorServer` per test session (or the stand-alone server at
``$AEP_EMULATOR_URL``); ``emulator`` resets it before each test and hands out an :class:`EmulatorSession`
(base URLs, a token, the platform headers, helpers).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests

from aep_emulator import defaults
from aep_emulator.control import ControlClient
from aep_emulator.server import EmulatorServer
from aep_emulator.testing import DEFAULT_CREDENTIALS, TIMEOUT_S, Credentials, fetch_token, platform_headers


def blob_connection_body(
    name: str = "Blob connection",
    spec_name: str = "ConnectionString",
    params: dict[str, Any] | None = None,
    description: str | None = "A test Azure Blob connection",
) -> dict[str, Any]:
    """A valid ``POST /connections`` body for the Azure Blob source."""
    if params is None:
        params = {
            "connectionString": "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=c2VjcmV0LWtleQ==",
            "container": "acme-blob-container",
            "folderPath": "/acme/customers",
        }
    body: dict[str, Any] = {
        "name": name,
        "auth": {"specName": spec_name, "params": params},
        "connectionSpec": {"id": defaults.AZURE_BLOB_SPEC_ID, "version": "1.0"},
    }
    if description is not None:
        body["description"] = description
    return body


@dataclass
class EmulatorSession:
    """A running emulator plus a token and headers for the default client, and request helpers."""

    server: EmulatorServer | RemoteEmulator
    token: str
    creds: Credentials = DEFAULT_CREDENTIALS
    http: requests.Session = field(default_factory=requests.Session)

    @property
    def base_url(self) -> str:
        return self.server.base_url

    @property
    def flow_url(self) -> str:
        return self.server.base_url + defaults.FLOW_SERVICE_PREFIX

    def headers(self, **overrides: str) -> dict[str, str]:
        """The platform headers for this session's token, with overrides."""
        return platform_headers(self.token, self.creds, **overrides)

    def request(self, method: str, path: str, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        """Call the Flow Service at ``path`` (below ``/data/foundation/flowservice``)."""
        return self.http.request(
            method, self.flow_url + path, headers=headers or self.headers(), timeout=TIMEOUT_S, **kwargs
        )

    def create_connection(self, body: dict[str, Any] | None = None, **headers: str) -> dict[str, Any]:
        """Create a connection and return its ``{"id", "etag"}``; fails the test on a non-201."""
        response = self.request(
            "POST", "/connections", headers=self.headers(**headers), json=body or blob_connection_body()
        )
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    def get_connection(self, connection_id: str, **headers: str) -> dict[str, Any]:
        """GET a connection and return its item; fails the test on a non-200."""
        response = self.request("GET", f"/connections/{connection_id}", headers=self.headers(**headers))
        assert response.status_code == 200, response.text
        item: dict[str, Any] = response.json()["items"][0]
        return item


@dataclass
class RemoteEmulator:
    """A stand-alone emulator that is already running (``aep-emulator serve``), used like an EmulatorServer."""

    base_url: str

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        self.control = ControlClient(self.base_url)


@pytest.fixture(scope="session")
def emulator_server() -> Iterator[EmulatorServer | RemoteEmulator]:
    """One emulator for the whole test session: in-process on a free loopback port, or, when
    ``AEP_EMULATOR_URL`` is set, the stand-alone server at that URL (the same tests run against both)."""
    remote = os.environ.get("AEP_EMULATOR_URL")
    if remote:
        server = RemoteEmulator(remote)
        server.control.health()
        yield server
        server.control.close()
        return
    with EmulatorServer() as in_process:
        yield in_process


@pytest.fixture
def emulator(emulator_server: EmulatorServer | RemoteEmulator) -> Iterator[EmulatorSession]:
    """The session's emulator, reset, with a fresh token for the default client."""
    emulator_server.control.reset()
    session = EmulatorSession(emulator_server, fetch_token(emulator_server.base_url))
    yield session
    session.http.close()
