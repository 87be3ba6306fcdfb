"""check(): every input validated offline, unknowns at preview tolerated, no secret echoed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pulumi.dynamic import Config, ConfigureRequest

from pulumi_aep.provider import AzureBlobConnectionProvider
from pulumi_aep.validation import check_inputs, normalize

from .helpers import UNKNOWN, connection_string, props, sas_uri, service_principal


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


# --- issue 11: each test below failed on the code before its fix -------------------------------------


@pytest.mark.parametrize(
    ("prop", "value", "reason"),
    [
        ("container", "landing\n", "not a valid container name"),
        ("sandbox_name", "dev\n", "lowercase letters, digits and hyphens"),
        ("connection_spec_version", "1.0\n", 'such as "1.0"'),
        ("connection_spec_version", "\u0661.\u0660", 'such as "1.0"'),
        ("connection_spec_version", "\uff11.\uff10", 'such as "1.0"'),
    ],
    ids=["container-newline", "sandbox-newline", "version-newline", "version-arabic", "version-fullwidth"],
)
def test_d9_trailing_newline_and_unicode_digits_fail_check(
    provider: AzureBlobConnectionProvider, prop: str, value: str, reason: str
) -> None:
    assert reason in _failures(provider, props(**{prop: value}))[prop]


def _sas_with_expiry(se: str) -> str:
    return sas_uri().replace("se=2030-01-01T00:00:00Z", f"se={se}")


def test_d10_expired_sas_uri_fails_check(provider: AzureBlobConnectionProvider) -> None:
    failures = _failures(provider, props(connection_string=None, sas_uri=_sas_with_expiry("2020-01-01")))
    assert "the SAS URI expired on 2020-01-01 00:00 UTC" in failures["sas_uri"]


@pytest.mark.parametrize("se", ["next-week", "2030-13-01", "\u0662\u0660\u0663\u0660-01-01", "01/01/2030"])
def test_d10_unparseable_sas_expiry_fails_check(provider: AzureBlobConnectionProvider, se: str) -> None:
    failures = _failures(provider, props(connection_string=None, sas_uri=_sas_with_expiry(se)))
    assert "has an expiry (se) that is not an ISO 8601 UTC time" in failures["sas_uri"]


@pytest.mark.parametrize(("se", "reason"), [("2020-01-01", "expired on"), ("soon", "not an ISO 8601")])
def test_d10_connection_string_sas_expiry_checked(
    provider: AzureBlobConnectionProvider, se: str, reason: str
) -> None:
    value = (
        "BlobEndpoint=https://acct01.blob.core.windows.net;"
        f"SharedAccessSignature=sv=2022-11-02&sp=rl&se={se}&sig=c2ln"
    )
    failures = _failures(provider, props(connection_string=value))
    assert (
        f"SharedAccessSignature {'' if reason == 'expired on' else 'has an '}"
        in failures["connection_string"]
    )
    assert reason in failures["connection_string"]


def test_d10_sas_expiry_compared_with_the_injected_clock() -> None:
    inputs = normalize(props(connection_string=None, sas_uri=sas_uri()), "prod")  # se=2030-01-01T00:00:00Z
    before = datetime(2029, 12, 31, 23, 59, tzinfo=UTC)
    after = datetime(2030, 1, 1, 0, 0, 1, tzinfo=UTC)
    assert check_inputs(inputs, now=lambda: before) == []
    (failure,) = check_inputs(inputs, now=lambda: after)
    assert (failure.property, "expired on 2030-01-01 00:00 UTC" in failure.reason) == ("sas_uri", True)


@pytest.mark.parametrize(
    "char", ["\u2028", "\u2029", "\u202e", "\u2066", "\u200b", "\u200d", "\ufeff"], ids=ascii
)
def test_names_refuse_separators_bidi_controls_and_zero_width(
    provider: AzureBlobConnectionProvider, char: str
) -> None:
    failures = _failures(provider, props(name=f"land{char}ing", description=f"x{char}y"))
    assert f"(U+{ord(char):04X})" in failures["name"]
    assert "control character or an invisible one" in failures["description"]


@pytest.mark.parametrize(
    "value",
    [
        "{4cb0c374-d3bb-4557-b139-5712880adc55}",
        "urn:uuid:4cb0c374-d3bb-4557-b139-5712880adc55",
        "4CB0C374-D3BB-4557-B139-5712880ADC55",
        "4cb0c374d3bb4557b1395712880adc55",
    ],
)
def test_adopt_existing_id_accepts_only_the_canonical_form(
    provider: AzureBlobConnectionProvider, value: str
) -> None:
    assert "canonical form" in _failures(provider, props(adopt_existing_id=value))["adopt_existing_id"]
    assert _failures(provider, props(adopt_existing_id="4cb0c374-d3bb-4557-b139-5712880adc55")) == {}


@pytest.mark.parametrize(
    ("field", "suffix"), [("connection_string", "\n"), ("sas_uri", " "), ("sas_uri", "\r\n")]
)
def test_the_credential_validated_is_the_credential_sent(
    provider: AzureBlobConnectionProvider, field: str, suffix: str
) -> None:
    # Before: the check judged value.strip() while the untouched value went to the API.
    value = (connection_string() if field == "connection_string" else sas_uri()) + suffix
    news = {**props(connection_string=None), field: value}
    assert field in _failures(provider, news)


def test_sp_endpoint_with_a_trailing_space_fails_check(provider: AzureBlobConnectionProvider) -> None:
    principal = service_principal(service_endpoint="https://acct01.blob.core.windows.net ")
    failures = _failures(provider, props(connection_string=None, service_principal=principal))
    assert "starts or ends with a space" in failures["service_principal.service_endpoint"]
