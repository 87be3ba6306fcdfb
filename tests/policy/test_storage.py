"""Storage-account stack policies: https-only, TLS, public access, region, and their connection gate."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from pulumi_policy import StackValidationArgs

from aep_policies.policies import (
    storage_blob_source_region,
    storage_https_only,
    storage_min_tls,
    storage_no_public_blob_access,
)
from tests.policy.helpers import (
    STORAGE_TYPE,
    connection_props,
    policy_resource,
    stack_args,
    storage_props,
    urn,
    violations,
)

pytestmark = pytest.mark.policy

ACCOUNT_URN = urn("acmeorders", STORAGE_TYPE)


def stack_with(
    config: Mapping[str, object] | None = None, **storage_overrides: object
) -> StackValidationArgs:
    return stack_args(
        policy_resource(storage_props(**storage_overrides), type_=STORAGE_TYPE, name="acmeorders"),
        policy_resource(connection_props()),
        config=config,
    )


def test_compliant_account_passes_every_storage_policy() -> None:
    for policy in (
        storage_https_only,
        storage_min_tls,
        storage_no_public_blob_access,
        storage_blob_source_region,
    ):
        assert violations(policy, stack_with()) == [], policy.name


def test_http_traffic_is_reported_against_the_account() -> None:
    assert violations(storage_https_only, stack_with(enableHttpsTrafficOnly=False)) == [
        f"{ACCOUNT_URN}: enableHttpsTrafficOnly is false, so the account accepts plain-http requests. Set "
        "enableHttpsTrafficOnly to true (`enable_https_traffic_only=True` in Python), or leave it unset: "
        "Azure defaults to true."
    ]


def test_unset_https_only_relies_on_the_azure_default() -> None:
    assert violations(storage_https_only, stack_with(enableHttpsTrafficOnly=None)) == []


def test_storage_policies_skip_stacks_without_connections() -> None:
    args = stack_args(
        policy_resource(storage_props(enableHttpsTrafficOnly=False), type_=STORAGE_TYPE, name="acmeorders")
    )
    assert violations(storage_https_only, args) == []


def test_old_tls_is_reported() -> None:
    assert violations(storage_min_tls, stack_with(minimumTlsVersion="TLS1_0")) == [
        f"{ACCOUNT_URN}: minimumTlsVersion is TLS1_0, below TLS1_2. Set minimumTlsVersion to TLS1_2 "
        "(`minimum_tls_version='TLS1_2'` in Python)."
    ]


def test_unset_tls_is_reported() -> None:
    assert violations(storage_min_tls, stack_with(minimumTlsVersion=None)) == [
        f"{ACCOUNT_URN}: minimumTlsVersion is not set, and older API versions default to TLS1_0. "
        "Set minimumTlsVersion to TLS1_2 (`minimum_tls_version='TLS1_2'` in Python)."
    ]


def test_tls_1_3_passes() -> None:
    assert violations(storage_min_tls, stack_with(minimumTlsVersion="TLS1_3")) == []


def test_minimum_tls_version_is_configurable() -> None:
    found = violations(storage_min_tls, stack_with({"minimumTlsVersion": "TLS1_3"}))
    assert found == [
        f"{ACCOUNT_URN}: minimumTlsVersion is TLS1_2, below TLS1_3. Set minimumTlsVersion to TLS1_3 "
        "(`minimum_tls_version='TLS1_3'` in Python)."
    ]


def test_public_blob_access_is_reported() -> None:
    assert violations(storage_no_public_blob_access, stack_with(allowBlobPublicAccess=True)) == [
        f"{ACCOUNT_URN}: allowBlobPublicAccess is true, so containers can be made anonymously readable. Set "
        "allowBlobPublicAccess to false (`allow_blob_public_access=False` in Python); AEP reads the account "
        "with its own credentials."
    ]


def test_unset_public_blob_access_is_reported() -> None:
    found = violations(storage_no_public_blob_access, stack_with(allowBlobPublicAccess=None))
    assert found == [
        f"{ACCOUNT_URN}: allowBlobPublicAccess is not set (API versions before 2023-01-01 default to true), "
        "so containers can be made anonymously readable. Set allowBlobPublicAccess to false "
        "(`allow_blob_public_access=False` in Python); AEP reads the account with its own credentials."
    ]


def test_same_region_as_aep_is_reported() -> None:
    assert violations(storage_blob_source_region, stack_with(location="eastus2")) == [
        f"{ACCOUNT_URN}: location 'eastus2' is one of the regions (eastus2, westeurope, australiaeast) that "
        "Adobe's docs say the Azure Blob source cannot reach from the same region. Create the account in "
        "another region, or change blockedRegions in the policy pack config if your AEP instance runs "
        "elsewhere."
    ]


def test_region_display_names_are_normalised() -> None:
    assert len(violations(storage_blob_source_region, stack_with(location="West Europe"))) == 1


def test_blocked_regions_are_configurable() -> None:
    config = {"blockedRegions": ["North Europe"]}
    assert len(violations(storage_blob_source_region, stack_with(config, location="northeurope"))) == 1


def test_unset_location_is_not_judged() -> None:
    assert violations(storage_blob_source_region, stack_with(location=None)) == []
