"""check(): every input validated offline, unknowns at preview tolerated, no secret echoed."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.dynamic import Config, ConfigureRequest

from pulumi_aep.provider import AzureBlobConnectionProvider

from .helpers import UNKNOWN, props, sas_uri, service_principal


@pytest.fixture
def provider() -> AzureBlobConnectionProvider:
    p = AzureBlobConnectionProvider()
    p.configure(ConfigureRequest(Config({"aep:sandboxName": "dev"}, "proj")))
    return p


def _failures(provider: AzureBlobConnectionProvider, news: dict[str, Any]) -> dict[str, str]:
    result = provider.check({}, news)
    for failure in result.failures:
        for secret in (news.get("connection_string"), news.get("sas_uri")):
            assert not secret or secret not in failure.reason
    return {f.property: f.reason for f in result.failures}


def test_valid_inputs_pass(provider: AzureBlobConnectionProvider) -> None:
    assert _failures(provider, props()) == {}


def test_defaults_applied(provider: AzureBlobConnectionProvider) -> None:
    news = props(sandbox_name=None, connection_spec_version=None)
    inputs = provider.check({}, news).inputs
    assert (inputs["sandbox_name"], inputs["connection_spec_version"]) == ("dev", "1.0")


def test_explicit_sandbox_kept(provider: AzureBlobConnectionProvider) -> None:
    assert provider.check({}, props(sandbox_name="prod")).inputs["sandbox_name"] == "prod"


def test_unknowns_at_preview_pass(provider: AzureBlobConnectionProvider) -> None:
    news = props(
        name=UNKNOWN, description=UNKNOWN, connection_string=UNKNOWN, container=UNKNOWN, folder_path=UNKNOWN
    )
    assert _failures(provider, news) == {}


def test_unknown_service_principal_fields_pass(provider: AzureBlobConnectionProvider) -> None:
    principal = service_principal(service_principal_key=UNKNOWN, service_endpoint=UNKNOWN)
    assert _failures(provider, props(connection_string=None, service_principal=principal)) == {}


def test_wholly_unknown_service_principal_passes(provider: AzureBlobConnectionProvider) -> None:
    assert _failures(provider, props(connection_string=None, service_principal=UNKNOWN)) == {}


def test_no_credentials(provider: AzureBlobConnectionProvider) -> None:
    failures = _failures(provider, props(connection_string=None))
    assert failures["connection_string"].startswith("set exactly one of connection_string, sas_uri")


def test_two_credentials(provider: AzureBlobConnectionProvider) -> None:
    failures = _failures(provider, props(sas_uri=sas_uri()))
    assert "found connection_string and sas_uri" in failures["sas_uri"]


def test_bad_connection_string_named(provider: AzureBlobConnectionProvider) -> None:
    failures = _failures(provider, props(connection_string="AccountName=Bad;AccountKey=abc="))
    assert "AccountName must be 3-24" in failures["connection_string"]


def test_bad_sas_uri_named(provider: AzureBlobConnectionProvider) -> None:
    failures = _failures(
        provider, props(connection_string=None, sas_uri="https://a.blob.core.windows.net/?sv=1")
    )
    assert "has no 'sig' and 'se' query parameter" in failures["sas_uri"]


def test_bad_container(provider: AzureBlobConnectionProvider) -> None:
    assert "not a valid container name" in _failures(provider, props(container="My_Container"))["container"]


@pytest.mark.parametrize(
    ("prop", "value", "reason"),
    [
        ("name", "", "must not be empty"),
        ("name", "a" * 257, "the limit is 256"),
        ("name", "line\nbreak", "control character"),
        ("description", "x" * 1025, "the limit is 1024"),
        ("description", "tab\there", "control character"),
        ("folder_path", "a\\b", "use '/' as the separator"),
        ("sandbox_name", "Prod", "lowercase letters, digits and hyphens"),
        ("connection_spec_version", "v1", 'such as "1.0"'),
        ("verify", "yes", "must be true or false"),
        ("adopt_existing_id", "not-a-uuid", "must be a connection id"),
    ],
)
def test_field_rules(provider: AzureBlobConnectionProvider, prop: str, value: Any, reason: str) -> None:
    assert reason in _failures(provider, props(**{prop: value}))[prop]


def test_name_required(provider: AzureBlobConnectionProvider) -> None:
    assert "is required" in _failures(provider, props(name=None))["name"]


def test_service_principal_valid(provider: AzureBlobConnectionProvider) -> None:
    assert _failures(provider, props(connection_string=None, service_principal=service_principal())) == {}


@pytest.mark.parametrize(
    ("override", "prop", "reason"),
    [
        ({"tenant": None}, "service_principal.tenant", "is required"),
        ({"account_kind": "Premium"}, "service_principal.account_kind", "must be one of Storage"),
        (
            {"service_endpoint": "http://x.blob.core.windows.net"},
            "service_principal.service_endpoint",
            "https",
        ),
        ({"service_principal_key": " "}, "service_principal.service_principal_key", "must not be empty"),
        ({"extra": "1"}, "service_principal.extra", "unknown field"),
    ],
)
def test_service_principal_rules(
    provider: AzureBlobConnectionProvider, override: dict[str, Any], prop: str, reason: str
) -> None:
    principal = {k: v for k, v in service_principal(**override).items() if v is not None}
    failures = _failures(provider, props(connection_string=None, service_principal=principal))
    assert reason in failures[prop]


def test_sp_key_never_echoed(provider: AzureBlobConnectionProvider) -> None:
    principal = service_principal(service_endpoint="ftp://nope")
    result = provider.check({}, props(connection_string=None, service_principal=principal))
    assert result.failures
    assert all(principal["service_principal_key"] not in f.reason for f in result.failures)
