"""Each policy's configuration: a frozen dataclass whose fields generate both the reader and the JSON schema.

A field made with :func:`setting` carries its config key, JSON type, description and schema constraints;
:meth:`Settings.from_config` reads the analyzer's config with them and :meth:`Settings.schema` hands the
CLI the very same facts, so a default or a bound is written once.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Self

from aep_policies.azure import InsecureHostRules, normalize_regions
from aep_policies.values import string_list

#: Azure's minimum-TLS enum, weakest first.
TLS_VERSIONS: Final = ("TLS1_0", "TLS1_1", "TLS1_2", "TLS1_3")


def setting(default: Any, key: str, json_type: str, description: str, **constraints: Any) -> Any:
    """A settings field: ``key`` in the policy config, of JSON ``json_type`` (``array`` = strings).

    ``constraints`` (``minimum``, ``enum``, ``pattern``) go into the schema and bound what is read.
    """
    meta = {"key": key, "type": json_type, "description": description, "constraints": constraints}
    return dataclasses.field(default=default, metadata=meta)


def _read(spec: Mapping[str, Any], config: Mapping[str, Any], default: Any) -> Any:
    key, json_type, limits = spec["key"], spec["type"], spec["constraints"]
    if key not in config:
        return default
    value = config[key]
    if json_type == "array":
        return tuple(string_list(value))
    if json_type == "boolean":
        return value if isinstance(value, bool) else default
    if json_type == "integer":
        # JSON numbers arrive as floats from the analyzer's protobuf Struct.
        if isinstance(value, bool) or not isinstance(value, int | float):
            return default
        return max(int(limits.get("minimum", value)), int(value))
    if not isinstance(value, str) or not value or value not in limits.get("enum", (value,)):
        return default
    return value


class Settings:
    """Base of the settings dataclasses: reader and schema generated from the fields."""

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Self:
        """Read the policy's config; a missing or ill-typed value keeps the field's default."""
        fields = dataclasses.fields(cls)  # type: ignore[arg-type]
        return cls(**{f.name: _read(f.metadata, config, f.default) for f in fields})

    @classmethod
    def schema(cls) -> dict[str, dict[str, Any]]:
        """The ``PolicyConfigSchema`` properties: one entry per field, default included."""
        properties: dict[str, dict[str, Any]] = {}
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            spec: dict[str, Any] = {"type": f.metadata["type"], "description": f.metadata["description"]}
            if f.metadata["type"] == "array":
                spec["items"] = {"type": "string"}
            spec.update(f.metadata["constraints"])
            if f.default is not None:
                spec["default"] = list(f.default) if isinstance(f.default, tuple) else f.default
            properties[f.metadata["key"]] = spec
        return properties


def _default_sandbox() -> Any:
    return setting(
        None,
        "defaultSandbox",
        "string",
        "Sandbox assumed for connections without sandbox_name when the stack's aep:sandboxName is not "
        "visible to the pack (the provider's own default is 'prod').",
    )


@dataclass(frozen=True)
class HttpsSettings(Settings):
    """``aep-connection-https``."""

    allow_loopback: bool = setting(
        True,
        "allowLoopback",
        "boolean",
        "Allow http:// endpoints on localhost, 127.0.0.0/8 and ::1 (emulators).",
    )
    allow_development_storage: bool = setting(
        True,
        "allowDevelopmentStorage",
        "boolean",
        "Allow UseDevelopmentStorage=true connection strings (Azurite).",
    )
    allowed_insecure_hosts: tuple[str, ...] = setting(
        (),
        "allowedInsecureHosts",
        "array",
        "Further hosts that may be reached over http (e.g. a docker-compose Azurite host).",
    )

    @property
    def host_rules(self) -> InsecureHostRules:
        return InsecureHostRules(
            allow_loopback=self.allow_loopback,
            allowed_hosts=frozenset(h.lower() for h in self.allowed_insecure_hosts),
        )


@dataclass(frozen=True)
class SasSettings(Settings):
    """``aep-sas-read-list-short-lived``."""

    max_expiry_days: int = setting(
        90,
        "maxExpiryDays",
        "integer",
        "Latest allowed expiry (se), in days from the time of the preview/update.",
        minimum=1,
    )
    allowed_permissions: str = setting(
        "rl",
        "allowedPermissions",
        "string",
        "SAS permission letters (sp) that are allowed.",
        pattern="^[a-z]+$",
    )


@dataclass(frozen=True)
class AllowedSandboxSettings(Settings):
    """``aep-allowed-sandboxes``."""

    allowed_sandboxes: tuple[str, ...] = setting(
        ("prod", "stage*", "dev*"),
        "allowedSandboxes",
        "array",
        "Allowed sandbox names; shell-style patterns such as 'dev-*' are accepted.",
    )
    default_sandbox: str | None = _default_sandbox()


@dataclass(frozen=True)
class ProductionSettings(Settings):
    """``aep-protect-production-connections``."""

    production_sandboxes: tuple[str, ...] = setting(
        ("prod",),
        "productionSandboxes",
        "array",
        "Sandboxes whose connections must be `protect`ed (shell-style patterns work).",
    )
    default_sandbox: str | None = _default_sandbox()


@dataclass(frozen=True)
class NamingSettings(Settings):
    """``aep-connection-naming``: lower-case words joined by single hyphens, at most 64 characters."""

    pattern: str = setting(
        r"^(?=.{3,64}$)[a-z0-9]+(-[a-z0-9]+)*$",
        "pattern",
        "string",
        "Regular expression (Python syntax) the connection `name` must match.",
    )

    def compiled(self) -> re.Pattern[str] | None:
        """The pattern, or ``None`` when the configured text is not a valid regular expression."""
        try:
            return re.compile(self.pattern)
        except re.error:
            return None


@dataclass(frozen=True)
class DescriptionSettings(Settings):
    """``aep-connection-description``."""

    min_length: int = setting(
        1,
        "minLength",
        "integer",
        "Minimum length of the description, ignoring surrounding blanks.",
        minimum=1,
    )


@dataclass(frozen=True)
class TlsSettings(Settings):
    """``azure-storage-min-tls``."""

    minimum_tls_version: str = setting(
        "TLS1_2",
        "minimumTlsVersion",
        "string",
        "Lowest acceptable minimumTlsVersion.",
        enum=list(TLS_VERSIONS[2:]),
    )


@dataclass(frozen=True)
class RegionSettings(Settings):
    """``azure-storage-blob-source-region``: Adobe's docs list these as unreachable from the same region."""

    blocked_regions: tuple[str, ...] = setting(
        ("eastus2", "westeurope", "australiaeast"),
        "blockedRegions",
        "array",
        "Azure regions (programmatic or display names) the Blob source cannot reach.",
    )

    @property
    def normalized(self) -> frozenset[str]:
        return normalize_regions(self.blocked_regions)
