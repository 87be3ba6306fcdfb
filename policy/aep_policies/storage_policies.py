"""Storage-account policies: stack policies, since they apply only to stacks that declare connections."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from aep_policies import storage
from aep_policies.faces import CONNECTION_TYPES, connection_props
from aep_policies.settings import RegionSettings, TlsSettings
from aep_policies.storage import STORAGE_ACCOUNT_TYPE

MANDATORY: Final = EnforcementLevel.MANDATORY


StorageCheck = Callable[[Mapping[str, Any], Mapping[str, Any]], list[str]]


def _storage_validate(check: StorageCheck) -> Callable[[StackValidationArgs, ReportViolation], None]:
    """Run ``check(props, config)`` on every storage account, but only in stacks that declare connections.

    Each account is judged on its own: a violation is reported against the account's URN, and an unknown
    value on one account defers only that account (the analyzer then adds a "can't run policy during
    preview" note after the violations already reported).
    """

    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        if not any(r.resource_type in CONNECTION_TYPES for r in args.resources):
            return
        config = args.get_config()
        pending: UnknownValueError | None = None
        for resource in args.resources:
            if resource.resource_type != STORAGE_ACCOUNT_TYPE:
                continue
            try:
                messages = check(resource.props, config)
            except UnknownValueError as exc:
                pending = pending or exc
                continue
            for message in messages:
                report_violation(message, resource.urn)
        if pending is not None:
            raise pending

    return validate


def _connections_of(resources: Iterable[PolicyResource]) -> list[tuple[str, Mapping[str, Any]]]:
    found = ((r.name, connection_props(r.resource_type, r.props)) for r in resources)
    return [(name, props) for name, props in found if props is not None]


def _validate_shared_key(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    users = storage.key_auth_users(_connections_of(args.resources))
    if not users:
        return
    _storage_validate(lambda props, _config: storage.shared_key_violations(props, users))(
        args, report_violation
    )


storage_https_only = StackValidationPolicy(
    name="azure-storage-https-only",
    description="Storage accounts in stacks with AEP connections accept https traffic only.",
    enforcement_level=MANDATORY,
    validate=_storage_validate(lambda props, _config: storage.https_only_violations(props)),
)

storage_min_tls = StackValidationPolicy(
    name="azure-storage-min-tls",
    description="Storage accounts in stacks with AEP connections require TLS 1.2 or newer.",
    enforcement_level=MANDATORY,
    validate=_storage_validate(
        lambda props, config: storage.min_tls_violations(props, TlsSettings.from_config(config))
    ),
    config_schema=PolicyConfigSchema(properties=TlsSettings.schema()),
)

storage_no_public_blob_access = StackValidationPolicy(
    name="azure-storage-no-public-blob-access",
    description="Storage accounts in stacks with AEP connections disallow public blob access.",
    enforcement_level=MANDATORY,
    validate=_storage_validate(lambda props, _config: storage.public_blob_access_violations(props)),
)

storage_shared_key_for_connections = StackValidationPolicy(
    name="azure-storage-shared-key-for-connections",
    description="Storage accounts read by key- or SAS-authenticated AEP connections allow shared-key access.",
    enforcement_level=MANDATORY,
    validate=_validate_shared_key,
)

storage_blob_source_region = StackValidationPolicy(
    name="azure-storage-blob-source-region",
    description="Storage accounts in stacks with AEP connections are in regions the Blob source can reach.",
    enforcement_level=MANDATORY,
    validate=_storage_validate(
        lambda props, config: storage.region_violations(props, RegionSettings.from_config(config))
    ),
    config_schema=PolicyConfigSchema(properties=RegionSettings.schema()),
)
