"""azure-storage-shared-key-for-connections: key/SAS connections need shared-key access on their account."""

from __future__ import annotations

import pytest
from pulumi_policy import PolicyResource

from aep_policies.policies import storage_shared_key_for_connections as policy
from tests.policy.helpers import (
    STORAGE_TYPE,
    UNKNOWN,
    connection_props,
    policy_resource,
    sas_uri,
    stack_args,
    storage_props,
    urn,
    violations,
)

pytestmark = pytest.mark.policy

ACCOUNT_URN = urn("acmeorders", STORAGE_TYPE)
FIX = (
    "authenticate with shared-key credentials, which Azure then rejects. Set allowSharedKeyAccess to true "
    "(`allow_shared_key_access=True` in Python) on this account, or switch the connections to "
    "service-principal auth."
)
PRINCIPAL = {
    "service_endpoint": "https://acmeorders.blob.core.windows.net",
    "service_principal_id": "3f1c2d4e-0000-4000-8000-000000000001",
    "service_principal_key": "sp-secret",
    "tenant": "contoso.onmicrosoft.com",
}


def account(**overrides: object) -> PolicyResource:
    return policy_resource(storage_props(**overrides), type_=STORAGE_TYPE, name="acmeorders")


def test_key_connection_with_shared_key_allowed_passes() -> None:
    assert violations(policy, stack_args(account(), policy_resource(connection_props()))) == []


def test_key_connection_with_shared_key_disabled_is_reported() -> None:
    args = stack_args(account(allowSharedKeyAccess=False), policy_resource(connection_props()))
    assert violations(policy, args) == [
        f"{ACCOUNT_URN}: allowSharedKeyAccess is false, but connection(s) 'orders' (an account key) {FIX}"
    ]


def test_sas_connection_with_shared_key_disabled_is_reported() -> None:
    connection = policy_resource(connection_props(connection_string=None, sas_uri=sas_uri()))
    assert violations(policy, stack_args(account(allowSharedKeyAccess=False), connection)) == [
        f"{ACCOUNT_URN}: allowSharedKeyAccess is false, but connection(s) 'orders' (a SAS URI) {FIX}"
    ]


def test_service_principal_connection_needs_no_shared_key() -> None:
    connection = policy_resource(connection_props(connection_string=None, service_principal=PRINCIPAL))
    assert violations(policy, stack_args(account(allowSharedKeyAccess=False), connection)) == []


def test_connection_to_another_account_is_not_held_against_this_one() -> None:
    args = stack_args(
        account(allowSharedKeyAccess=False, accountName="archive"), policy_resource(connection_props())
    )
    assert violations(policy, args) == []


def test_unknown_connection_string_still_counts_as_key_auth() -> None:
    connection = policy_resource(connection_props(connection_string=UNKNOWN))
    assert violations(policy, stack_args(account(allowSharedKeyAccess=False), connection)) == [
        f"{ACCOUNT_URN}: allowSharedKeyAccess is false, but connection(s) 'orders' (a connection string) "
        + FIX
    ]


def test_unnamed_account_is_assumed_to_be_the_connections_account() -> None:
    args = stack_args(
        account(allowSharedKeyAccess=False, accountName=None), policy_resource(connection_props())
    )
    assert len(violations(policy, args)) == 1
