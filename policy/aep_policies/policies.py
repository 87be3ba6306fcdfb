"""The pack's policies: connection (resource) policies here, storage (stack) policies re-exported.

Each policy is a thin ``ResourceValidationPolicy``/``StackValidationPolicy`` around plain check functions
(``connections``, ``storage``), so tests can call either without the analyzer.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Final

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
)

from aep_policies import connections
from aep_policies.connections import CONNECTION_TYPE
from aep_policies.pipeline_policies import PIPELINE_POLICIES
from aep_policies.settings import (
    AllowedSandboxSettings,
    DescriptionSettings,
    HttpsSettings,
    NamingSettings,
    ProductionSettings,
    SasSettings,
    strings_schema,
)
from aep_policies.storage_policies import (
    storage_blob_source_region,
    storage_https_only,
    storage_min_tls,
    storage_no_public_blob_access,
    storage_shared_key_for_connections,
)

__all__ = [
    "POLICIES",
    "allowed_sandboxes",
    "connection_description",
    "connection_https",
    "connection_naming",
    "protect_production_connections",
    "sas_read_list_short_lived",
    "storage_blob_source_region",
    "storage_https_only",
    "storage_min_tls",
    "storage_no_public_blob_access",
    "storage_shared_key_for_connections",
]

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
            "allowedInsecureHosts": strings_schema(
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
            "allowedSandboxes": strings_schema(
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
            "productionSandboxes": strings_schema(
                "Sandboxes whose connections must be `protect`ed (shell-style patterns work).",
                _production.production_sandboxes,
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
    *PIPELINE_POLICIES,
]
