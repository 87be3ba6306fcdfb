"""The pack's own small parsers for connection strings, SAS times, hosts and regions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from aep_policies.azure import (
    InsecureHostRules,
    normalize_region,
    parse_connection_string,
    parse_sas_time,
    sas_params,
    storage_account_from_host,
)

pytestmark = pytest.mark.policy


def test_values_keep_their_equals_signs() -> None:
    assert parse_connection_string("AccountKey=abc==;AccountName=x")["accountkey"] == "abc=="


def test_keys_are_lower_cased_and_blank_segments_ignored() -> None:
    assert parse_connection_string("DefaultEndpointsProtocol=https;;AccountName=x;") == {
        "defaultendpointsprotocol": "https",
        "accountname": "x",
    }


def test_segments_without_equals_are_ignored() -> None:
    assert parse_connection_string("garbage;AccountName=x") == {"accountname": "x"}


def test_sas_params_accept_a_leading_question_mark() -> None:
    assert sas_params("?sp=rl&se=2030-01-01")["sp"] == "rl"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2030-01-31", datetime(2030, 1, 31, tzinfo=UTC)),
        ("2030-01-31T10:20:30Z", datetime(2030, 1, 31, 10, 20, 30, tzinfo=UTC)),
        ("2030-01-31T10:20Z", datetime(2030, 1, 31, 10, 20, tzinfo=UTC)),
    ],
)
def test_sas_times_parse_as_utc(text: str, expected: datetime) -> None:
    assert parse_sas_time(text) == expected


def test_unreadable_sas_time_is_none() -> None:
    assert parse_sas_time("next week") is None


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]"])
def test_loopback_hosts_are_exempt_by_default(host: str) -> None:
    assert InsecureHostRules().exempt(host)


# ``*.localhost`` and ``localhost.localdomain`` go through DNS or a hosts file: remote, as for the provider.
@pytest.mark.parametrize(
    "host", ["10.0.0.5", "acme.blob.core.windows.net", "blob.localhost", "localhost.localdomain", "", None]
)
def test_other_hosts_are_not_exempt(host: str | None) -> None:
    assert not InsecureHostRules().exempt(host)


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("127.0.0.9", True),
        ("[::1]", True),
        ("foo.localhost", False),
        ("localhost.localdomain", False),
        ("localhost.evil.example", False),
    ],
)
def test_pack_and_provider_judge_plain_http_hosts_alike(host: str, loopback: bool) -> None:
    # Issue 11: the two loopback rules disagreed on foo.localhost and localhost.localdomain.
    from pulumi_aep.azure import check_https_url
    from pulumi_aep.errors import ValidationError

    url = f"http://{host}:10000/devstoreaccount1"
    try:
        check_https_url(url, "service_endpoint")
        provider_accepts = True
    except ValidationError:
        provider_accepts = False
    assert (InsecureHostRules().exempt(host.strip("[]")), provider_accepts) == (loopback, loopback)


def test_account_name_comes_from_any_azure_cloud_blob_host() -> None:
    assert storage_account_from_host("acme.blob.core.chinacloudapi.cn") == "acme"


def test_custom_domains_name_no_account() -> None:
    assert storage_account_from_host("files.example.com") is None


@pytest.mark.parametrize("name", ["East US 2", "eastus2", "east-us-2", "EASTUS2"])
def test_region_names_normalise(name: str) -> None:
    assert normalize_region(name) == "eastus2"
