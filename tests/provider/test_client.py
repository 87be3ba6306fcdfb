"""Client layer: token cache and refresh, static tokens, retries, timeouts, error mapping over HTTP."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
import requests

from aep_emulator import defaults
from pulumi_aep.auth import ClientCredentialsToken
from pulumi_aep.client import FlowServiceClient
from pulumi_aep.config import ProviderConfig
from pulumi_aep.errors import (
    AuthenticationError,
    ConfigurationError,
    RateLimitedError,
    ServerError,
    TransportError,
)
from pulumi_aep.provider import AzureBlobConnectionProvider
from pulumi_aep.transport import build_session

from .conftest import flow_requests
from .helpers import props

pytestmark = pytest.mark.emulator
P = AzureBlobConnectionProvider


def _create(provider: P) -> tuple[str, dict[str, Any]]:
    result = provider.create(provider.check({}, props()).inputs)
    assert result.outs is not None
    return result.id, result.outs


def _ims_calls(emulator: Any) -> int:
    return sum(1 for r in emulator.control.requests() if r["path"].startswith("/ims/"))


def _issue_token(emulator: Any) -> str:
    answer = requests.post(
        emulator.base_url + defaults.IMS_TOKEN_PATH,
        data={
            "grant_type": "client_credentials",
            "client_id": defaults.DEFAULT_CLIENT_ID,
            "client_secret": defaults.DEFAULT_CLIENT_SECRET,
            "scope": defaults.DEFAULT_SCOPES,
        },
        timeout=5,
    )
    answer.raise_for_status()
    return str(answer.json()["access_token"])


def test_token_cached_across_calls(provider: P, emulator: Any) -> None:
    id_, outs = _create(provider)
    provider.read(id_, outs)
    provider.delete(id_, outs)
    assert _ims_calls(emulator) == 1


def test_token_shared_across_threads(provider: P, emulator: Any) -> None:
    errors: list[BaseException] = []

    def work() -> None:
        try:
            _create(provider)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _ims_calls(emulator) == 1
    assert len(emulator.control.connections()) == 8


def test_expired_token_refreshed_once_on_401(provider: P, emulator: Any) -> None:
    _create(provider)
    emulator.control.reset(tokens=True)  # the gateway no longer knows the cached token
    _create(provider)
    log = [(r["method"], r["path"], r["status"]) for r in emulator.control.requests()]
    assert log == [
        ("POST", "/data/foundation/flowservice/connections", 401),
        ("POST", "/ims/token/v3", 200),
        ("POST", "/data/foundation/flowservice/connections", 201),
    ]


def test_token_renewed_before_expiry(emulator: Any) -> None:
    config = ProviderConfig(
        client_id=defaults.DEFAULT_CLIENT_ID,
        client_secret=defaults.DEFAULT_CLIENT_SECRET,
        org_id=defaults.DEFAULT_ORG_ID,
        ims_url=emulator.base_url,
        platform_url=emulator.base_url,
    )
    now = [1000.0]
    tokens = ClientCredentialsToken(build_session(config), config, clock=lambda: now[0])
    first = tokens.token()
    now[0] += defaults.DEFAULT_TOKEN_LIFETIME_S - 600  # still 10 minutes left: cached
    assert tokens.token() == first
    now[0] += 400  # within the 5-minute margin: renewed
    tokens.token()
    assert _ims_calls(emulator) == 2


def test_static_access_token(make_provider: Any, emulator: Any) -> None:
    provider = make_provider(clientSecret="", accessToken=_issue_token(emulator))
    emulator.control.reset()  # clear the log, keep the token
    _create(provider)
    assert _ims_calls(emulator) == 0


def test_invalid_static_token_not_refreshed(make_provider: Any, emulator: Any) -> None:
    provider = make_provider(clientSecret="", accessToken="not-a-real-token")
    with pytest.raises(AuthenticationError) as info:
        provider.delete("4cb0c374-d3bb-4557-b139-5712880adc55", {})
    assert (info.value.status, info.value.code) == (401, "401013")
    assert _ims_calls(emulator) == 0
    assert len(flow_requests(emulator)) == 1


def test_wrong_client_secret(make_provider: Any) -> None:
    provider = make_provider(clientSecret="wrong-secret-value")
    with pytest.raises(AuthenticationError) as info:
        _create(provider)
    assert str(info.value).endswith(AuthenticationError.HINT)
    assert "aep:scopes" in str(info.value)
    assert info.value.code is not None
    assert "wrong-secret-value" not in str(info.value)


def test_missing_credentials_fail_on_first_api_call(make_provider: Any) -> None:
    provider = make_provider(clientId="", orgId="")
    assert provider.check({}, props()).failures == []
    with pytest.raises(ConfigurationError, match=r"missing provider configuration: aep:clientId"):
        _create(provider)


def test_non_loopback_http_rejected_at_configure(make_provider: Any) -> None:
    with pytest.raises(ConfigurationError, match=r"aep:platformUrl uses plain http"):
        make_provider(platformUrl="http://platform.example.com")


def test_get_retried_on_503(provider: P, emulator: Any) -> None:
    id_, outs = _create(provider)
    emulator.control.inject_fault("GET", "/connections/*", 2, status=503)
    assert provider.read(id_, outs).id == id_
    statuses = [r["status"] for r in flow_requests(emulator, "GET")]
    assert statuses[-3:] == [503, 503, 200]


def test_get_retried_on_connection_reset(provider: P, emulator: Any) -> None:
    id_, outs = _create(provider)
    emulator.control.inject_fault("GET", "/connections/*", 1, action="reset")
    assert provider.read(id_, outs).id == id_


def test_retry_after_honoured(provider: P, emulator: Any) -> None:
    id_, outs = _create(provider)
    emulator.control.inject_fault("GET", "/connections/*", 1, status=429, retry_after=1)
    started = time.monotonic()
    provider.read(id_, outs)
    assert time.monotonic() - started >= 1.0


def test_retries_exhausted_on_503(make_provider: Any, emulator: Any) -> None:
    provider = make_provider(maxRetries="1")
    id_, outs = _create(provider)
    emulator.control.inject_fault("GET", "/connections/*", 5, status=503)
    with pytest.raises(ServerError) as info:
        provider.read(id_, outs)
    assert info.value.status == 503
    assert len([r for r in flow_requests(emulator, "GET") if r["status"] == 503]) == 2


def test_throttled_after_budget(make_provider: Any, emulator: Any) -> None:
    provider = make_provider(maxRetries="0")
    id_, outs = _create(provider)
    emulator.control.inject_fault("GET", "/connections/*", 1, status=429)
    with pytest.raises(RateLimitedError) as info:
        provider.read(id_, outs)
    assert info.value.status == 429


def test_patch_not_retried(provider: P, emulator: Any) -> None:
    id_, outs = _create(provider)
    emulator.control.inject_fault("PATCH", "/connections/*", 1, status=503)
    news = provider.check(outs, props(connection_string=outs["connection_string"], name="x")).inputs
    with pytest.raises(ServerError):
        provider.update(id_, outs, news)
    assert len(flow_requests(emulator, "PATCH")) == 1


def test_read_timeout_is_a_transport_error(make_provider: Any, emulator: Any) -> None:
    provider = make_provider(readTimeout="0.3", maxRetries="0")
    id_, outs = _create(provider)
    emulator.control.inject_fault("GET", "/connections/*", 1, latency_ms=1500)
    with pytest.raises(TransportError, match=r"reading connection .* timed out waiting for the answer"):
        provider.read(id_, outs)


def test_client_list_filters_by_name(emulator: Any, oob: FlowServiceClient, provider: P) -> None:
    _create(provider)
    provider.create(provider.check({}, props(name="other")).inputs)
    names = [c["name"] for c in oob.list_connections("prod", {"name": "other"})]
    assert names == ["other"]


def test_explore_root_lists_container(provider: P, oob: FlowServiceClient) -> None:
    id_, _ = _create(provider)
    assert [item["name"] for item in oob.explore(sandbox="prod", connection_id=id_)] == ["landing"]


def test_environment_only_configuration(emulator: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in {
        "AEP_CLIENT_ID": defaults.DEFAULT_CLIENT_ID,
        "AEP_CLIENT_SECRET": defaults.DEFAULT_CLIENT_SECRET,
        "AEP_ORG_ID": defaults.DEFAULT_ORG_ID,
        "AEP_SANDBOX_NAME": "dev",
        "AEP_PLATFORM_URL": emulator.base_url,
        "AEP_IMS_URL": emulator.base_url,
    }.items():
        monkeypatch.setenv(key, value)
    provider = AzureBlobConnectionProvider()  # configure() never called: the environment is used
    result = provider.create(provider.check({}, props(sandbox_name=None)).inputs)
    assert result.outs is not None
    assert result.outs["sandbox_name"] == "dev"


def test_configured_scopes_are_sent(make_provider: Any) -> None:
    provider = make_provider(scopes="openid,not_a_scope")
    with pytest.raises(AuthenticationError) as info:
        _create(provider)
    assert info.value.code == "invalid_scope"


def test_list_follows_pages(
    provider: P, oob: FlowServiceClient, emulator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pulumi_aep.client as client_module

    for _ in range(3):
        _create(provider)
    monkeypatch.setattr(client_module, "PAGE_SIZE", 2)
    assert len(oob.list_connections("prod", {"name": "landing"})) == 3
    assert sum(1 for r in flow_requests(emulator, "GET") if "continuationToken" in r["query"]) == 1
