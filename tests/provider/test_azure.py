"""Azure connection strings and SAS URIs parsed the Azure way; failures never echo the secret."""

from __future__ import annotations

import pytest

from pulumi_aep.azure import check_container_name, parse_connection_string, parse_sas_uri
from pulumi_aep.errors import ValidationError

from .helpers import account_key, connection_string, sas_uri

AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="


def _reason(value: str, parser=parse_connection_string) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as info:
        parser(value)
    assert value not in str(info.value)
    return info.value.reason


def test_adobe_documented_form() -> None:
    parsed = parse_connection_string(connection_string("acct01"))
    assert parsed.account_name == "acct01"
    assert parsed.blob_endpoint == "https://acct01.blob.core.windows.net"
    assert parsed.uses_account_key


def test_keys_are_case_insensitive_and_trailing_semicolon_ok() -> None:
    value = f"defaultendpointsprotocol=https;ACCOUNTNAME=acct01;accountkey={account_key()};"
    assert parse_connection_string(value).account_name == "acct01"


def test_value_may_contain_equals() -> None:
    key = account_key()
    assert key.endswith("==")
    assert parse_connection_string(f"AccountName=acct01;AccountKey={key}").uses_account_key


def test_endpoint_suffix_defaults_to_public_cloud() -> None:
    value = f"DefaultEndpointsProtocol=https;AccountName=acct01;AccountKey={account_key()}"
    assert parse_connection_string(value).blob_endpoint == "https://acct01.blob.core.windows.net"


def test_sovereign_cloud_suffix() -> None:
    value = f"AccountName=acct01;AccountKey={account_key()};EndpointSuffix=core.chinacloudapi.cn"
    assert parse_connection_string(value).blob_endpoint == "https://acct01.blob.core.chinacloudapi.cn"


def test_azurite_http_loopback_allowed() -> None:
    value = (
        f"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AZURITE_KEY};"
        "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;"
    )
    assert parse_connection_string(value).blob_endpoint == "http://127.0.0.1:10000/devstoreaccount1"


def test_use_development_storage() -> None:
    assert parse_connection_string("UseDevelopmentStorage=true").account_name == "devstoreaccount1"


def test_sas_connection_string_with_blob_endpoint() -> None:
    value = "BlobEndpoint=https://acct01.blob.core.windows.net;SharedAccessSignature=sv=2022&se=2030-01-01&sig=abc%3D"
    parsed = parse_connection_string(value)
    assert parsed.uses_sas
    assert not parsed.uses_account_key


def test_http_outside_loopback_rejected() -> None:
    reason = _reason(f"DefaultEndpointsProtocol=http;AccountName=acct01;AccountKey={account_key()}")
    assert "must use https" in reason


def test_http_blob_endpoint_outside_loopback_rejected() -> None:
    value = f"AccountName=acct01;AccountKey={account_key()};BlobEndpoint=http://acct01.example.com"
    assert "BlobEndpoint must use https" in _reason(value)


@pytest.mark.parametrize("name", ["ab", "a" * 25, "Upper1", "with-dash", "under_score"])
def test_bad_account_name(name: str) -> None:
    reason = _reason(f"AccountName={name};AccountKey={account_key()}")
    assert "AccountName must be 3-24 characters of lowercase letters and digits" in reason


def test_key_not_base64() -> None:
    assert "AccountKey is not valid base64" in _reason("AccountName=acct01;AccountKey=not*base64!")


def test_segment_without_equals() -> None:
    reason = _reason(f"AccountName=acct01;{account_key().rstrip('=')}")
    assert reason.startswith("segment 2 is not Key=Value")


def test_pasted_key_alone_is_not_echoed() -> None:
    key = account_key()
    reason = _reason(key)
    assert key.rstrip("=") not in reason


def test_unknown_key_named() -> None:
    reason = _reason(f"AccountName=acct01;AcountKey={account_key()}")
    assert reason.startswith("segment 2 has an unknown key (did you mean AccountKey?)")


def test_unknown_key_never_echoed() -> None:
    assert "Zzzzzzzzzzzz" not in _reason(f"AccountName=acct01;AccountKey={account_key()};Zzzzzzzzzzzz=1")


def test_duplicate_key() -> None:
    assert "AccountName appears more than once" in _reason(
        f"AccountName=a01;accountname=a02;AccountKey={account_key()}"
    )


def test_missing_credentials() -> None:
    assert "has neither AccountKey nor SharedAccessSignature" in _reason("AccountName=acct01")


def test_empty() -> None:
    assert _reason("  ").startswith("is empty")


def test_endpoint_suffix_with_scheme_rejected() -> None:
    value = f"AccountName=acct01;AccountKey={account_key()};EndpointSuffix=https://core.windows.net"
    assert "EndpointSuffix must be a DNS suffix" in _reason(value)


def test_sas_uri_ok() -> None:
    assert parse_sas_uri(sas_uri("acct01")) == "acct01.blob.core.windows.net"


def test_sas_uri_needs_https() -> None:
    assert "must use https" in _reason(sas_uri().replace("https://", "http://"), parse_sas_uri)


@pytest.mark.parametrize("param", ["sig", "se"])
def test_sas_uri_needs_sig_and_se(param: str) -> None:
    value = "&".join(p for p in sas_uri().split("&") if not p.startswith(f"{param}="))
    assert f"has no '{param}' query parameter" in _reason(value, parse_sas_uri)


def test_sas_uri_relative_rejected() -> None:
    assert "must be an absolute URL" in _reason("?sv=1&se=2&sig=3", parse_sas_uri)


@pytest.mark.parametrize("name", ["abc", "a-b-c", "landing2024", "a" * 63, "0ab"])
def test_good_container_names(name: str) -> None:
    check_container_name(name)


@pytest.mark.parametrize("name", ["ab", "a" * 64, "Landing", "a--b", "-ab", "ab-", "a_b", "a.b"])
def test_bad_container_names(name: str) -> None:
    with pytest.raises(ValidationError, match="is not a valid container name"):
        check_container_name(name)
