"""No secret in plaintext in any exception (with its chain, as the engine prints it), repr or log line."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from aep_emulator import defaults
from pulumi_aep.auth import ClientCredentialsToken, StaticToken
from pulumi_aep.client import FlowServiceClient
from pulumi_aep.config import ProviderConfig
from pulumi_aep.provider import AzureBlobConnectionProvider, client_for

from .helpers import account_key, connection_string, props, sas_uri, service_principal
from .test_client import _issue_token

pytestmark = pytest.mark.emulator
P = AzureBlobConnectionProvider


@pytest.fixture
def secrets_seen() -> list[str]:
    """Every secret the scenario used; the test scans for all of them."""
    return [defaults.DEFAULT_CLIENT_SECRET]


@pytest.fixture(autouse=True)
def _all_logs(caplog: pytest.LogCaptureFixture, secrets_seen: list[str]) -> Iterator[None]:
    caplog.set_level(logging.DEBUG)
    yield
    text = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    _assert_clean(text, secrets_seen)


def _assert_clean(text: str, secrets: list[str]) -> None:
    for secret in secrets:
        assert secret not in text
        # Also the base64 key alone, without padding (how a partial echo would look).
        if "AccountKey=" in secret:
            key = secret.split("AccountKey=", 1)[1].split(";", 1)[0]
            assert key.rstrip("=") not in text


def _cached_token(provider: P) -> str:
    """The access token the provider's process-wide client holds (issued by IMS during the test)."""
    return provider._client()._tokens.token()


def _raised(action: Callable[[], Any]) -> str:
    with pytest.raises(Exception) as info:  # noqa: PT011 - any error: we scan its text
        action()
    return "".join(traceback.format_exception(info.value)) + repr(info.value)


def test_wrong_client_secret(make_provider: Any, secrets_seen: list[str]) -> None:
    wrong = "wrong-client-secret-7f3a"
    secrets_seen.append(wrong)
    provider = make_provider(clientSecret=wrong)
    _assert_clean(_raised(lambda: provider.create(provider.check({}, props()).inputs)), secrets_seen)


def test_rejected_static_token(make_provider: Any, secrets_seen: list[str]) -> None:
    token = "static-token-7f3a-not-valid"
    secrets_seen.append(token)
    provider = make_provider(clientSecret="", accessToken=token)
    _assert_clean(_raised(lambda: provider.delete("4cb0c374-d3bb-4557-b139-5712880adc55", {})), secrets_seen)


def test_api_rejection_of_a_create(make_provider: Any, emulator: Any, secrets_seen: list[str]) -> None:
    token = _issue_token(emulator)
    value = connection_string()
    secrets_seen += [token, value]
    provider = make_provider(accessToken=token)
    inputs = provider.check({}, props(connection_string=value, connection_spec_version="9.9")).inputs
    _assert_clean(_raised(lambda: provider.create(inputs)), secrets_seen)


def test_server_error_on_update_with_service_principal(
    provider: P, emulator: Any, secrets_seen: list[str]
) -> None:
    principal = service_principal()
    secrets_seen.append(principal["service_principal_key"])
    created = provider.create(
        provider.check({}, props(connection_string=None, service_principal=principal)).inputs
    )
    assert created.outs is not None
    rotated = service_principal()
    secrets_seen.append(rotated["service_principal_key"])
    news = provider.check(created.outs, props(connection_string=None, service_principal=rotated)).inputs
    emulator.control.inject_fault("PATCH", "/connections/*", 2, status=412)
    text = _raised(lambda: provider.update(created.id, created.outs or {}, news))
    secrets_seen.append(_cached_token(provider))
    _assert_clean(text, secrets_seen)


def test_lost_create_with_sas(provider: P, emulator: Any, secrets_seen: list[str]) -> None:
    value = sas_uri()
    secrets_seen.append(value)
    emulator.control.inject_fault("POST", "/connections", 5, status=500)
    inputs = provider.check({}, props(connection_string=None, sas_uri=value)).inputs
    text = _raised(lambda: provider.create(inputs))
    secrets_seen.append(_cached_token(provider))
    _assert_clean(text, secrets_seen)


def test_failed_verification(provider: P, emulator: Any, secrets_seen: list[str]) -> None:
    value = (
        f"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={account_key()};"
        f"BlobEndpoint={emulator.base_url}/devstoreaccount1"
    )
    secrets_seen.append(value)
    inputs = provider.check({}, props(connection_string=value, verify=True)).inputs
    _assert_clean(_raised(lambda: provider.create(inputs)), secrets_seen)


def test_delete_in_use(provider: P, emulator: Any, secrets_seen: list[str]) -> None:
    created = provider.create(provider.check({}, props()).inputs)
    assert created.outs is not None
    secrets_seen.append(created.outs["connection_string"])
    emulator.control.mark_used_by_flows(created.id, ["d1c3b9a2-0000-4000-8000-000000000001"])
    text = _raised(lambda: provider.delete(created.id, created.outs or {}))
    secrets_seen.append(_cached_token(provider))
    _assert_clean(text, secrets_seen)


@pytest.mark.parametrize(
    "bad",
    [
        {"connection_string": f"AccountName=UPPER;AccountKey={account_key()}"},
        {"connection_string": f"DefaultEndpointsProtocol=http;AccountName=acct01;AccountKey={account_key()}"},
        {"connection_string": account_key()},
        {"connection_string": f"AccountName=acct01;AccountKey={account_key()[:-3]}!!"},
        {"connection_string": None, "sas_uri": sas_uri().replace("&se=", "&xx=")},
        {"connection_string": None, "sas_uri": sas_uri().replace("https://", "http://")},
        {"connection_string": None, "service_principal": service_principal(service_endpoint="ftp://x")},
    ],
)
def test_validation_failures(provider: P, bad: dict[str, Any], secrets_seen: list[str]) -> None:
    inputs = props(**bad)
    for key in ("connection_string", "sas_uri"):
        if inputs.get(key):
            secrets_seen.append(inputs[key])
    if "service_principal" in inputs:
        secrets_seen.append(inputs["service_principal"]["service_principal_key"])
    failures = provider.check({}, inputs).failures
    assert failures
    _assert_clean(" ".join(f"{f.property} {f.reason}" for f in failures), secrets_seen)
    _assert_clean(_raised(lambda: provider.create(inputs)), secrets_seen)


def test_reprs(provider: P, emulator: Any, secrets_seen: list[str]) -> None:
    token = _issue_token(emulator)
    secrets_seen.append(token)
    config = ProviderConfig(
        client_id="cid", org_id="org", client_secret=defaults.DEFAULT_CLIENT_SECRET, access_token=token
    )
    client = client_for(config)
    texts = [
        repr(config),
        str(config),
        repr(client),
        repr(StaticToken(token)),
        repr(ClientCredentialsToken(client._session, config)),
        repr(provider),
        repr(FlowServiceClient(config)),
    ]
    _assert_clean("\n".join(texts), secrets_seen)


def test_scanner_catches_a_leak(secrets_seen: list[str]) -> None:
    value = connection_string()
    key = value.split("AccountKey=", 1)[1].split(";", 1)[0]
    with pytest.raises(AssertionError):
        _assert_clean(f"oops {key.rstrip('=')}", [value])
