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
from pulumi_aep.retry import RetryPolicy
from pulumi_aep.transport import build_session


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
        _client(dropping.port).get_connection(sandbox="prod", connection_id="abc")
    assert dropping.requests == 3
    assert info.value.request_sent is None


def test_post_is_never_resent(dropping: DroppingServer) -> None:
    with pytest.raises(TransportError, match=r"lost the connection before the answer") as info:
        _client(dropping.port).create_connection("prod", {"name": "n"})
    assert dropping.requests == 1
    assert info.value.request_sent is None


def test_patch_is_never_resent(dropping: DroppingServer) -> None:
    with pytest.raises(TransportError):
        _client(dropping.port).patch_connection(sandbox="prod", connection_id="abc", etag='"e"', ops=[])
    assert dropping.requests == 1


def _policy(jitter: float = 0.0, draw: float = 1.0, **settings: Any) -> tuple[RetryPolicy, list[float]]:
    slept: list[float] = []
    policy = RetryPolicy(
        RetrySettings(jitter=jitter, **settings), sleep=slept.append, jitter_source=lambda: draw
    )
    return policy, slept


def test_backoff_is_exponential_and_capped() -> None:
    policy, _ = _policy(total=10, backoff_factor=1.0, backoff_max=5.0)
    assert [policy.wait_seconds(n) for n in range(5)] == [1.0, 2.0, 4.0, 5.0, 5.0]


def test_jitter_is_added_within_its_bound() -> None:
    policy, _ = _policy(jitter=0.5, draw=0.999, total=10, backoff_factor=1.0, backoff_max=100.0)
    assert 2.0 < policy.wait_seconds(1) < 2.5
    assert _policy(jitter=0.5, draw=0.0, backoff_factor=1.0)[0].wait_seconds(1) == 2.0


def test_retry_after_wins_and_is_capped() -> None:
    policy, _ = _policy(retry_after_max=60)
    assert policy.wait_seconds(0, retry_after=3) == 3.0
    assert policy.wait_seconds(0, retry_after=600) == 60.0


def test_only_idempotent_methods_retry_on_status() -> None:
    policy, _ = _policy()
    assert policy.should_retry("GET", 0, status=503)
    assert policy.should_retry("DELETE", 0, status=429)
    assert policy.should_retry("POST", 0, status=429)  # throttled: never processed
    assert not policy.should_retry("POST", 0, status=503)
    assert not policy.should_retry("PATCH", 0, status=503)
    assert not policy.should_retry("GET", 0, status=500)


def test_no_answer_is_resent_only_when_it_never_left_or_is_idempotent() -> None:
    policy, _ = _policy()
    assert policy.should_retry("POST", 0, status=None, request_sent=False)
    assert not policy.should_retry("POST", 0, status=None, request_sent=None)
    assert policy.should_retry("GET", 0, status=None, request_sent=None)


def test_budget_is_total_plus_one_attempts() -> None:
    policy, _ = _policy(total=2)
    assert policy.attempts == 3
    assert policy.should_retry("GET", 1, status=503)
    assert not policy.should_retry("GET", 2, status=503)


def test_get_waits_come_from_the_injected_policy(dropping: DroppingServer) -> None:
    policy, slept = _policy(total=3, backoff_factor=0.25)
    config = ProviderConfig(
        client_id="cid", org_id="org", access_token="t", platform_url=f"http://127.0.0.1:{dropping.port}"
    )
    client = FlowServiceClient(config, tokens=StaticToken("static-token-value"), policy=policy)
    with pytest.raises(TransportError):
        client.get_connection(sandbox="prod", connection_id="abc")
    assert dropping.requests == 4
    assert slept == [0.25, 0.5, 1.0]


def test_session_never_disables_tls_verification() -> None:
    assert build_session(ProviderConfig()).verify is True
