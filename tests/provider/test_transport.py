"""Transport against a raw loopback socket that drops every connection after reading the request."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from pulumi_aep.auth import StaticToken
from pulumi_aep.client import FlowServiceClient
from pulumi_aep.config import ProviderConfig, RetrySettings
from pulumi_aep.errors import TransportError
from pulumi_aep.transport import build_retry, build_session


class DroppingServer:
    """Accepts connections, reads the request, closes without answering; counts requests."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.requests = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                self.requests += 1

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def dropping() -> Iterator[DroppingServer]:
    server = DroppingServer()
    yield server
    server.close()


def _client(port: int, retries: int = 2) -> FlowServiceClient:
    config = ProviderConfig(
        client_id="cid",
        org_id="org",
        access_token="static-token-value",
        platform_url=f"http://127.0.0.1:{port}",
        retries=RetrySettings(total=retries, backoff_factor=0.0, jitter=0.0),
    )
    return FlowServiceClient(config, tokens=StaticToken("static-token-value"))


def test_get_is_retried_after_a_dropped_answer(dropping: DroppingServer) -> None:
    with pytest.raises(TransportError) as info:
        _client(dropping.port).get_connection("prod", "abc")
    assert dropping.requests == 3
    assert info.value.request_sent is None


def test_post_is_never_resent(dropping: DroppingServer) -> None:
    with pytest.raises(TransportError, match=r"lost the connection before the answer") as info:
        _client(dropping.port).create_connection("prod", {"name": "n"})
    assert dropping.requests == 1
    assert info.value.request_sent is None


def test_patch_is_never_resent(dropping: DroppingServer) -> None:
    with pytest.raises(TransportError):
        _client(dropping.port).patch_connection("prod", "abc", '"e"', [])
    assert dropping.requests == 1


def test_backoff_is_exponential_and_capped() -> None:
    retry: Any = build_retry(RetrySettings(total=10, backoff_factor=1.0, backoff_max=5.0, jitter=0.0))
    waits = []
    for _ in range(6):
        retry = retry.increment(method="GET", url="/x", error=ConnectionError())
        waits.append(retry.get_backoff_time())
    assert waits == [0, 2.0, 4.0, 5.0, 5.0, 5.0]


def test_jitter_is_bounded() -> None:
    retry: Any = build_retry(RetrySettings(total=10, backoff_factor=1.0, backoff_max=100.0, jitter=0.5))
    retry = retry.increment(method="GET", url="/x", error=ConnectionError())
    retry = retry.increment(method="GET", url="/x", error=ConnectionError())
    assert 2.0 <= retry.get_backoff_time() <= 2.5


def test_only_idempotent_methods_retry_on_status() -> None:
    retry = build_retry(RetrySettings())
    assert retry.is_retry("GET", 503)
    assert retry.is_retry("DELETE", 429)
    assert not retry.is_retry("POST", 503)
    assert not retry.is_retry("PATCH", 503)
    assert not retry.is_retry("GET", 500)


def test_session_never_disables_tls_verification() -> None:
    assert build_session(ProviderConfig()).verify is True
