"""The pack's policies: thin resource and stack policy wrappers around the plain check functions."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, Final

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from aep_policies import connections, storage
from aep_policies.connections import CONNECTION_TYPE
from aep_policies.settings import (
    TLS_VERSIONS,
    AllowedSandboxSettings,
    DescriptionSettings,
    HttpsSettings,
    NamingSettings,
    ProductionSettings,
    RegionSettings,
    SasSettings,
    TlsSettings,
)
from aep_policies.storage import STORAGE_ACCOUNT_TYPE
from aep_policies.values import collect

MANDATORY: Final = EnforcementLevel.MANDATORY
ADVISORY: Final = EnforcementLevel.ADVISORY

Check = Callable[[ResourceValidationArgs], list[str]]


def _on_connections(check: Check) -> Callable[[ResourceValidationArgs, ReportViolation], None]:
    """Adapt a check to ``validate(args, report_violation)`` for AzureBlobConnection resources only."""

    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if args.resource_type != CONNECTION_TYPE:
            return
        for message in check(args):
            report_violation(message, None)

    return validate


def _strings_schema(description: str, default: tuple[str, ...]) -> dict[str, Any]:
    return {
        "type": "array",
        "items": {"type": "string"},
        "description": description,
        "default": list(default),
    }


def _default_sandbox_schema() -> dict[str, Any]:
    return {
        "type": "string",
        "description": "Sandbox assumed for connections without sandbox_name when the stack's "
        "aep:sandboxName is not visible to the pack (the provider's own default is 'prod').",
    }


# --- connection policies (resource policies: they run at preview and before each create/update) ----------

_https = HttpsSettings()
connection_https = ResourceValidationPolicy(
    name="aep-connection-https",
    description="AEP Azure Blob connections reach storage over https only.",
    enforcement_level=MANDATORY,
    validate=_on_connections(
        lambda args: connections.https_violations(args.props, HttpsSettings.from_config(args.get_config()))
    ),
    config_schema=PolicyConfigSchema(
        properties={
            "allowLoopback": {
                "type": "boolean",
                "default": _https.allow_loopback,
                "description": "Allow http:// endpoints on localhost, 127.0.0.0/8 and ::1 (emulators).",
            },
            "allowDevelopmentStorage": {
                "type": "boolean",
                "default": _https.allow_development_storage,
                "description": "Allow UseDevelopmentStorage=true connection strings (Azurite).",
            },
            "allowedInsecureHosts": _strings_schema(
                "Further hosts that may be reached over http (e.g. a docker-compose Azurite host).",
                _https.allowed_insecure_hosts,
            ),
        }
    ),
)

_sas = SasSettings()
sas_read_list_short_lived = ResourceValidationPolicy(
    name="aep-sas-read-list-short-lived",
    description="SAS tokens given to AEP grant only read and list, and expire soon.",
    enforcement_level=MANDATORY,
    validate=_on_connections(
        lambda args: connections.sas_violations(
            args.props, SasSettings.from_config(args.get_config()), datetime.now(UTC)
        )
    ),
    config_schema=PolicyConfigSchema(
        properties={
            "maxExpiryDays": {
                "type": "integer",
                "minimum": 1,
                "default": _sas.max_expiry_days,
                "description": "Latest allowed expiry (se), in days from the time of the preview/update.",
            },
            "allowedPermissions": {
                "type": "string",
                "pattern": "^[a-z]+$",
                "default": _sas.allowed_permissions,
                "description": "SAS permission letters (sp) that are allowed.",
            },
        }
    ),
)

_allowed = AllowedSandboxSettings()
allowed_sandboxes = ResourceValidationPolicy(
    name="aep-allowed-sandboxes",
    description="AEP connections target only allowed sandboxes.",
    enforcement_level=MANDATORY,
    validate=_on_connections(
        lambda args: connections.allowed_sandbox_violations(
            args.props, AllowedSandboxSettings.from_config(args.get_config()), connections.stack_sandbox_name
        )
    ),
    config_schema=PolicyConfigSchema(
        properties={
            "allowedSandboxes": _strings_schema(
                "Allowed sandbox names; shell-style patterns such as 'dev-*' are accepted.",
                _allowed.allowed_sandboxes,
            ),
            "defaultSandbox": _default_sandbox_schema(),
        }
    ),
)

_production = ProductionSettings()
protect_production_connections = ResourceValidationPolicy(
    name="aep-protect-production-connections",
    description="AEP connections in production sandboxes are protected from deletion.",
    enforcement_level=MANDATORY,
    validate=_on_connections(
        lambda args: connections.production_protect_violations(
            args.props,
            bool(args.opts.protect),
            ProductionSettings.from_config(args.get_config()),
            connections.stack_sandbox_name,
        )
    ),
    config_schema=PolicyConfigSchema(
        properties={
            "productionSandboxes": _strings_schema(
                "Sandboxes whose connections must be `protect`ed.", _production.production_sandboxes
            ),
            "defaultSandbox": _default_sandbox_schema(),
        }
    ),
)

connection_naming = ResourceValidationPolicy(
    name="aep-connection-naming",
    description="AEP connection names follow the naming convention.",
    enforcement_level=ADVISORY,
    validate=_on_connections(
        lambda args: connections.naming_violations(args.props, NamingSettings.from_config(args.get_config()))
    ),
    config_schema=PolicyConfigSchema(
        properties={
            "pattern": {
                "type": "string",
                "default": NamingSettings().pattern,
                "description": "Regular expression (Python syntax) the connection `name` must match.",
            }
        }
    ),
)

connection_description = ResourceValidationPolicy(
    name="aep-connection-description",
    description="AEP connections carry a description.",
    enforcement_level=ADVISORY,
    validate=_on_connections(
        lambda args: connections.description_violations(
            args.props, DescriptionSettings.from_config(args.get_config())
        )
    ),
    config_schema=PolicyConfigSchema(
        properties={
            "minLength": {
                "type": "integer",
                "minimum": 1,
                "default": DescriptionSettings().min_length,
                "description": "Minimum length of the description, ignoring surrounding blanks.",
            }
        }
    ),
)


# --- storage account policies (stack policies: they need to know whether the stack declares connections) --

StorageCheck = Callable[[Mapping[str, Any], Mapping[str, Any]], list[str]]


def _storage_validate(check: StorageCheck) -> Callable[[StackValidationArgs, ReportViolation], None]:
    """Run ``check(props, config)`` on every storage account, but only in stacks that declare connections.

    Each account is judged on its own: a violation is reported against the account's URN, and an unknown
    value on one account defers only that account (the analyzer then adds a "can't run policy during
    preview" note after the violations already reported).
    """

    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        if not any(r.resource_type == CONNECTION_TYPE for r in args.resources):
            return
        config = args.get_config()
        pending: UnknownValueError | None = None
        for resource in args.resources:
            if resource.resource_type != STORAGE_ACCOUNT_TYPE:
                continue
            props = resource.props
            try:
                messages = collect(lambda: check(props, config))  # noqa: B023 - called right here
            except UnknownValueError as exc:
                pending = pending or exc
                continue
            for message in messages:
                report_violation(message, resource.urn)
        if pending is not None:
            raise pending

    return validate


def _connections_of(resources: Iterable[Any]) -> list[tuple[str, Mapping[str, Any]]]:
    return [(r.name, r.props) for r in resources if r.resource_type == CONNECTION_TYPE]


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
    config_schema=PolicyConfigSchema(
        properties={
            "minimumTlsVersion": {
                "type": "string",
                "enum": list(TLS_VERSIONS[2:]),
                "default": TlsSettings().minimum_tls_version,
                "description": "Lowest acceptable minimumTlsVersion.",
            }
        }
    ),
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
    config_schema=PolicyConfigSchema(
        properties={
            "blockedRegions": _strings_schema(
                "Azure regions (programmatic or display names) the Blob source cannot reach.",
                RegionSettings().blocked_regions,
            )
        }
    ),
)

#: Every policy of the pack, in the order the CLI lists them.
POLICIES: Final[list[Policy]] = [
    connection_https,
    sas_read_list_short_lived,
    allowed_sandboxes,
    protect_production_connections,
    connection_naming,
    connection_description,
    storage_https_only,
    storage_min_tls,
    storage_no_public_blob_access,
    storage_shared_key_for_connections,
    storage_blob_source_region,
]
