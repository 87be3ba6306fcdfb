"""aep-connection-https: connection strings, SAS URIs and service-principal endpoints use https."""

from __future__ import annotations

import pytest

from aep_policies.policies import connection_https
from tests.policy.helpers import (
    ACCOUNT_KEY,
    STORAGE_TYPE,
    account_key_connection_string,
    connection_props,
    resource_args,
    sas_uri,
    violations,
)

pytestmark = pytest.mark.policy

AZURITE = (
    f"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={ACCOUNT_KEY};"
    "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;"
)
BLOB_FIX = (
    "Use the account's https endpoint (https://<account>.blob.core.windows.net/...); plain http is only "
    "allowed for loopback and hosts listed in allowedInsecureHosts."
)


def test_https_account_key_string_passes() -> None:
    assert violations(connection_https, resource_args(connection_props())) == []


def test_http_default_protocol_is_reported() -> None:
    props = connection_props(connection_string=account_key_connection_string("http"))
    assert violations(connection_https, resource_args(props)) == [
        "connection_string sets DefaultEndpointsProtocol=http, so the blob endpoint is reached without TLS. "
        "Set DefaultEndpointsProtocol=https."
    ]


def test_keys_are_matched_case_insensitively() -> None:
    value = f"defaultendpointsprotocol=http;accountname=acmeorders;accountkey={ACCOUNT_KEY}"
    assert len(violations(connection_https, resource_args(connection_props(connection_string=value)))) == 1


def test_http_blob_endpoint_on_a_public_host_is_reported() -> None:
    value = account_key_connection_string(extra=";BlobEndpoint=http://acmeorders.blob.core.windows.net")
    assert violations(connection_https, resource_args(connection_props(connection_string=value))) == [
        f"connection_string BlobEndpoint uses 'http://' instead of 'https://'. {BLOB_FIX}"
    ]


def test_endpoint_without_scheme_is_reported() -> None:
    value = account_key_connection_string(extra=";BlobEndpoint=acmeorders.blob.core.windows.net")
    assert violations(connection_https, resource_args(connection_props(connection_string=value))) == [
        f"connection_string BlobEndpoint uses no scheme instead of 'https://'. {BLOB_FIX}"
    ]


def test_explicit_https_blob_endpoint_makes_the_default_protocol_irrelevant() -> None:
    value = account_key_connection_string("http", ";BlobEndpoint=https://acmeorders.blob.core.windows.net")
    assert violations(connection_https, resource_args(connection_props(connection_string=value))) == []


def test_azurite_on_loopback_is_allowed_by_default() -> None:
    assert violations(connection_https, resource_args(connection_props(connection_string=AZURITE))) == []


def test_loopback_exception_can_be_switched_off() -> None:
    args = resource_args(connection_props(connection_string=AZURITE), config={"allowLoopback": False})
    assert violations(connection_https, args) == [
        f"connection_string BlobEndpoint uses 'http://' instead of 'https://'. {BLOB_FIX}"
    ]


def test_allowed_insecure_hosts_are_exempt() -> None:
    value = AZURITE.replace("127.0.0.1", "azurite")
    config = {"allowedInsecureHosts": ["AZURITE"]}
    assert (
        violations(connection_https, resource_args(connection_props(connection_string=value), config=config))
        == []
    )


def test_unlisted_dev_host_is_reported() -> None:
    value = AZURITE.replace("127.0.0.1", "azurite")
    assert violations(connection_https, resource_args(connection_props(connection_string=value))) == [
        f"connection_string BlobEndpoint uses 'http://' instead of 'https://'. {BLOB_FIX}"
    ]


def test_development_storage_shortcut_is_allowed_by_default() -> None:
    props = connection_props(connection_string="UseDevelopmentStorage=true")
    assert violations(connection_https, resource_args(props)) == []


def test_development_storage_shortcut_can_be_forbidden() -> None:
    props = connection_props(connection_string="UseDevelopmentStorage=true")
    args = resource_args(props, config={"allowDevelopmentStorage": False})
    assert violations(connection_https, args) == [
        "connection_string uses UseDevelopmentStorage=true (the local storage emulator over http). Use an "
        "https connection string for a real storage account, or set allowDevelopmentStorage to true for "
        "development stacks."
    ]


def test_https_sas_uri_passes() -> None:
    props = connection_props(connection_string=None, sas_uri=sas_uri())
    assert violations(connection_https, resource_args(props)) == []


def test_http_sas_uri_is_reported() -> None:
    props = connection_props(connection_string=None, sas_uri=sas_uri(scheme="http"))
    assert violations(connection_https, resource_args(props)) == [
        f"sas_uri uses 'http://' instead of 'https://'. {BLOB_FIX}"
    ]


def test_http_service_principal_endpoint_is_reported() -> None:
    principal = {
        "service_endpoint": "http://acmeorders.blob.core.windows.net",
        "service_principal_id": "3f1c2d4e-0000-4000-8000-000000000001",
        "service_principal_key": "sp-secret",
        "tenant": "contoso.onmicrosoft.com",
    }
    props = connection_props(connection_string=None, service_principal=principal)
    assert violations(connection_https, resource_args(props)) == [
        f"service_principal.service_endpoint uses 'http://' instead of 'https://'. {BLOB_FIX}"
    ]


def test_https_service_principal_endpoint_passes() -> None:
    principal = {"service_endpoint": "https://acmeorders.blob.core.windows.net", "tenant": "contoso"}
    props = connection_props(connection_string=None, service_principal=principal)
    assert violations(connection_https, resource_args(props)) == []


def test_other_resource_types_are_ignored() -> None:
    props = connection_props(connection_string=account_key_connection_string("http"))
    assert violations(connection_https, resource_args(props, type_=STORAGE_TYPE)) == []
