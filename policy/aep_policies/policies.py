"""The pack's policies: connection (resource) policies here, storage (stack) policies re-exported.

Each policy is a thin ``ResourceValidationPolicy``/``StackValidationPolicy`` around plain check functions
(``connections``, ``storage``), so tests can call either without the analyzer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
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
from aep_policies.faces import connection_props, face_message, how_to_protect
from aep_policies.pipeline_policies import PIPELINE_POLICIES
from aep_policies.settings import (
    AllowedSandboxSettings,
    DescriptionSettings,
    HttpsSettings,
    NamingSettings,
    ProductionSettings,
    SasSettings,
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

Check = Callable[[ResourceValidationArgs, Mapping[str, Any]], list[str]]


def _on_connections(check: Check) -> Callable[[ResourceValidationArgs, ReportViolation], None]:
    """Adapt ``check(args, props)`` to ``validate(args, report_violation)`` for AzureBlobConnection
    resources of either face only; ``props`` always has the snake_case keys the checks read, and each
    message names the properties as the resource's face spells them."""

    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        props = connection_props(args.resource_type, args.props)
        if props is None:
            return
        for message in check(args, props):
            report_violation(face_message(args.resource_type, message), None)

    return validate


# --- connection policies (resource policies: they run at preview and before each create/update) ----------

connection_https = ResourceValidationPolicy(
    name="aep-connection-https",
    description="AEP Azure Blob connections reach storage over https only.",
    enforcement_level=MANDATORY,
    validate=_on_connections(
        lambda args, props: connections.https_violations(props, HttpsSettings.from_config(args.get_config()))
    ),
    config_schema=PolicyConfigSchema(properties=HttpsSettings.schema()),
)

sas_read_list_short_lived = ResourceValidationPolicy(
    name="aep-sas-read-list-short-lived",
    description="SAS tokens given to AEP grant only read and list, and expire soon.",
    enforcement_level=MANDATORY,
    validate=_on_connections(
        lambda args, props: connections.sas_violations(
            props, SasSettings.from_config(args.get_config()), datetime.now(UTC)
        )
    ),
    config_schema=PolicyConfigSchema(properties=SasSettings.schema()),
)

allowed_sandboxes = ResourceValidationPolicy(
    name="aep-allowed-sandboxes",
    description="AEP connections target only allowed sandboxes.",
    enforcement_level=MANDATORY,
    validate=_on_connections(
        lambda args, props: connections.allowed_sandbox_violations(
            props, AllowedSandboxSettings.from_config(args.get_config()), connections.stack_sandbox_name
        )
    ),
    config_schema=PolicyConfigSchema(properties=AllowedSandboxSettings.schema()),
)

protect_production_connections = ResourceValidationPolicy(
    name="aep-protect-production-connections",
    description="AEP connections in production sandboxes are protected from deletion.",
    enforcement_level=MANDATORY,
    validate=_on_connections(
        lambda args, props: connections.production_protect_violations(
            props,
            bool(args.opts.protect),
            ProductionSettings.from_config(args.get_config()),
            connections.stack_sandbox_name,
            how_to_protect(args.resource_type),
        )
    ),
    config_schema=PolicyConfigSchema(properties=ProductionSettings.schema()),
)

connection_naming = ResourceValidationPolicy(
    name="aep-connection-naming",
    description="AEP connection names follow the naming convention.",
    enforcement_level=ADVISORY,
    validate=_on_connections(
        lambda args, props: connections.naming_violations(
            props, NamingSettings.from_config(args.get_config())
        )
    ),
    config_schema=PolicyConfigSchema(properties=NamingSettings.schema()),
)

connection_description = ResourceValidationPolicy(
    name="aep-connection-description",
    description="AEP connections carry a description.",
    enforcement_level=ADVISORY,
    validate=_on_connections(
        lambda args, props: connections.description_violations(
            props, DescriptionSettings.from_config(args.get_config())
        )
    ),
    config_schema=PolicyConfigSchema(properties=DescriptionSettings.schema()),
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
