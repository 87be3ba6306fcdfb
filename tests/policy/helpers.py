"""Builders for policy arguments and a collector for the violations a policy reports."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from pulumi_policy import (
    Policy,
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, unknown_checking_proxy

CONNECTION_TYPE = "pulumi-python:dynamic/aep:AzureBlobConnection"
STORAGE_TYPE = "azure-native:storage:StorageAccount"
UNKNOWN = UNKNOWN_STRING_VALUE  # == pulumi.runtime.rpc.UNKNOWN, what dynamic providers see at preview
UNKNOWN_BOOL = "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7"

# Valid-looking secrets (an 88-character base64 key of 64 bytes, a SAS signature, a client secret).
ACCOUNT_KEY = base64.b64encode(bytes(range(64))).decode()
SAS_SIG = "k2Xk%2Fq1tWb6m8bq0Yy9lJd4wR0u7aT2v3Yc5dE8fH1s%3D"
SP_KEY = "sp-secret-Qm9yZGVyLWNvbnRyb2wtMTIz"


def account_key_connection_string(protocol: str = "https", extra: str = "") -> str:
    return (
        f"DefaultEndpointsProtocol={protocol};AccountName=acmeorders;AccountKey={ACCOUNT_KEY};"
        f"EndpointSuffix=core.windows.net{extra}"
    )


def sas_token(permissions: str = "rl", days: float = 30, *, expiry: str | None = None) -> str:
    se = expiry or (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"sv=2022-11-02&ss=b&srt=co&sp={permissions}&se={se}&spr=https&sig={SAS_SIG}"


def sas_uri(permissions: str = "rl", days: float = 30, *, scheme: str = "https") -> str:
    return f"{scheme}://acmeorders.blob.core.windows.net/landing?{sas_token(permissions, days)}"


def _overridden(props: dict[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """PROPS with OVERRIDES applied; an override of ``None`` removes the key."""
    for key, value in overrides.items():
        if value is None:
            props.pop(key, None)
        else:
            props[key] = value
    return props


def connection_props(**overrides: Any) -> dict[str, Any]:
    """A compliant account-key connection; ``None`` overrides remove a key."""
    props: dict[str, Any] = {
        "__provider": "cHJvdmlkZXI=",
        "name": "acme-orders-blob",
        "description": "Orders export from the ACME ERP, owned by data-eng",
        "connection_string": account_key_connection_string(),
        "container": "landing",
        "folder_path": "orders/",
        "sandbox_name": "dev",
        "connection_spec_version": "1.0",
        "verify": True,
    }
    return _overridden(props, overrides)


def storage_props(**overrides: Any) -> dict[str, Any]:
    """A compliant storage account as azure-native's inputs (camelCase); ``None`` removes a key."""
    props: dict[str, Any] = {
        "accountName": "acmeorders",
        "resourceGroupName": "rg-aep",
        "location": "northeurope",
        "kind": "StorageV2",
        "sku": {"name": "Standard_LRS"},
        "enableHttpsTrafficOnly": True,
        "minimumTlsVersion": "TLS1_2",
        "allowBlobPublicAccess": False,
        "allowSharedKeyAccess": True,
    }
    return _overridden(props, overrides)


def options(*, protect: bool = False) -> PolicyResourceOptions:
    return PolicyResourceOptions(protect, [], None, [], PolicyCustomTimeouts(0, 0, 0), [], None)


def urn(name: str, type_: str = CONNECTION_TYPE) -> str:
    return f"urn:pulumi:dev::policy-tests::{type_}::{name}"


def resource_args(
    props: Mapping[str, Any],
    *,
    type_: str = CONNECTION_TYPE,
    name: str = "orders",
    protect: bool = False,
    config: Mapping[str, Any] | None = None,
) -> ResourceValidationArgs:
    """Arguments as the analyzer builds them: props behind its unknown-checking proxy."""
    return ResourceValidationArgs(
        resource_type=type_,
        props=unknown_checking_proxy(dict(props)),
        urn=urn(name, type_),
        name=name,
        opts=options(protect=protect),
        provider=None,
        config=config,
    )


def policy_resource(
    props: Mapping[str, Any], *, type_: str = CONNECTION_TYPE, name: str = "orders"
) -> PolicyResource:
    return PolicyResource(
        type_, unknown_checking_proxy(dict(props)), urn(name, type_), name, options(), None, None, [], {}
    )


def stack_args(*resources: PolicyResource, config: Mapping[str, Any] | None = None) -> StackValidationArgs:
    return StackValidationArgs(list(resources), config)


def violations(policy: Policy, args: ResourceValidationArgs | StackValidationArgs) -> list[str]:
    """Run ``policy`` and return the messages it reported (``urn: message`` for stack policies)."""
    found: list[str] = []

    def report(message: str, urn: str | None = None) -> None:
        found.append(f"{urn}: {message}" if urn else message)

    if isinstance(policy, ResourceValidationPolicy):
        assert isinstance(args, ResourceValidationArgs)
        policy.validate(args, report)
    else:
        assert isinstance(policy, StackValidationPolicy)
        assert isinstance(args, StackValidationArgs)
        policy.validate(args, report)
    return found
