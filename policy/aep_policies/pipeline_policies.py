"""Policies of the Blob ingestion pipeline (issue 14), on ``pulumi_aep.pipeline.policy_rules``.

Each is a thin ``ResourceValidationPolicy`` around a rule function of the provider, for the resource's
type on both faces (``pulumi-python:dynamic/aep:<Name>`` and ``aep:index:<Name>``). Settings come from
the pack's config (keys below), defaults from ``PipelinePolicySettings``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from aep_policies.connections import stack_sandbox_name
from aep_policies.settings import Settings, setting
from pulumi_aep.pipeline.policy_rules import (
    PipelinePolicySettings,
    interval_violations,
    protected_sandbox_violations,
    root_path_violations,
)

_BASE: Final = PipelinePolicySettings()
Rule = Callable[[Mapping[str, Any], PipelinePolicySettings], list[str]]


def types_of(name: str) -> tuple[str, str]:
    """The resource's type token on the dynamic face and on the plugin."""
    return (f"pulumi-python:dynamic/aep:{name}", f"aep:index:{name}")


@dataclass(frozen=True)
class IntervalSettings(Settings):
    """``aep-dataflow-minimum-interval``."""

    minimum_interval_minutes: int = setting(
        _BASE.minimum_interval_minutes,
        "minimumIntervalMinutes",
        "integer",
        "Shortest time between two runs, in minutes (Adobe's own floor is 15).",
        minimum=15,
    )


@dataclass(frozen=True)
class ProtectedSandboxSettings(Settings):
    """``aep-dataflow-protected-sandboxes``."""

    protected_sandboxes: tuple[str, ...] = setting(
        _BASE.protected_sandboxes,
        "protectedSandboxes",
        "array",
        "Protected sandboxes (patterns such as 'prod*').",
    )
    forbid_once_in_protected: bool = setting(
        _BASE.forbid_once_in_protected, "forbidOnceInProtected", "boolean", "Refuse `once` schedules there."
    )
    forbid_disabled_in_protected: bool = setting(
        _BASE.forbid_disabled_in_protected,
        "forbidDisabledInProtected",
        "boolean",
        "Refuse disabled dataflows there.",
    )


@dataclass(frozen=True)
class RootPathSettings(Settings):
    """``aep-source-not-container-root``."""

    production_sandboxes: tuple[str, ...] = setting(
        _BASE.production_sandboxes, "productionSandboxes", "array", "Production sandboxes (patterns)."
    )
    path_starts_with_container: bool = setting(
        _BASE.path_starts_with_container,
        "pathStartsWithContainer",
        "boolean",
        "Whether source paths start with the container's name ('/<container>/...').",
    )


def settings_from(cls: type[Settings], config: Mapping[str, Any]) -> PipelinePolicySettings:
    """The pack's config keys of one policy over ``PipelinePolicySettings``' defaults."""
    return dataclasses.replace(_BASE, **dataclasses.asdict(cls.from_config(config)))  # type: ignore[call-overload]


def _on(
    name: str, rule: Rule, cls: type[Settings]
) -> Callable[[ResourceValidationArgs, ReportViolation], None]:
    types = types_of(name)

    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if args.resource_type not in types:
            return
        props = _plain(args.props)
        for message in rule(props, settings_from(cls, args.get_config())):
            report_violation(message, None)

    return validate


def _plain(props: Mapping[str, Any]) -> dict[str, Any]:
    """The analyzer's props (behind its unknown-checking proxy) as plain snake_case values; a value
    unknown at preview becomes None, which no rule reports."""
    plain: dict[str, Any] = {}
    for key in list(props.keys()):
        try:
            value = props[key]
        except UnknownValueError:
            value = None
        plain[_snake(key)] = _plain(value) if isinstance(value, Mapping) else value
    return plain


def _snake(key: str) -> str:
    """Plugin props are camelCase (``sourcePath``), the rules read snake_case."""
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in key)


dataflow_minimum_interval = ResourceValidationPolicy(
    name="aep-dataflow-minimum-interval",
    description="A repeating dataflow runs no more often than the configured minimum.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_on("Dataflow", interval_violations, IntervalSettings),
    config_schema=PolicyConfigSchema(properties=IntervalSettings.schema()),
)

dataflow_protected_sandboxes = ResourceValidationPolicy(
    name="aep-dataflow-protected-sandboxes",
    description="In protected sandboxes dataflows keep running on a schedule: no `once`, not disabled.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_on(
        "Dataflow",
        lambda p, s: protected_sandbox_violations(p, s, stack_sandbox_name()),
        ProtectedSandboxSettings,
    ),
    config_schema=PolicyConfigSchema(properties=ProtectedSandboxSettings.schema()),
)

source_not_container_root = ResourceValidationPolicy(
    name="aep-source-not-container-root",
    description="In production a Blob source connection reads a folder or files, not the container root.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_on(
        "AzureBlobSourceConnection",
        lambda p, s: root_path_violations(p, s, stack_sandbox_name()),
        RootPathSettings,
    ),
    config_schema=PolicyConfigSchema(properties=RootPathSettings.schema()),
)

PIPELINE_POLICIES: Final = [
    dataflow_minimum_interval,
    dataflow_protected_sandboxes,
    source_not_container_root,
]
