"""Each policy's configuration: a frozen dataclass whose defaults also feed the JSON schema the CLI sees."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from aep_policies.azure import InsecureHostRules, normalize_regions
from aep_policies.values import string_list

#: Azure's minimum-TLS enum, weakest first.
TLS_VERSIONS: Final = ("TLS1_0", "TLS1_1", "TLS1_2", "TLS1_3")


def strings_schema(description: str, default: tuple[str, ...]) -> dict[str, Any]:
    """JSON schema of a list-of-strings setting (the default comes from the settings dataclass)."""
    return {
        "type": "array",
        "items": {"type": "string"},
        "description": description,
        "default": list(default),
    }


def _bool(config: Mapping[str, Any], key: str, default: bool) -> bool:
    value = config.get(key, default)
    return value if isinstance(value, bool) else default


def _int(config: Mapping[str, Any], key: str, default: int) -> int:
    value = config.get(key, default)
    # JSON numbers arrive as floats from the analyzer's protobuf Struct.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    return int(value)


def _str(config: Mapping[str, Any], key: str, default: str | None) -> str | None:
    value = config.get(key, default)
    return value if isinstance(value, str) and value else default


def _strings(config: Mapping[str, Any], key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(string_list(config[key])) if key in config else default


@dataclass(frozen=True)
class HttpsSettings:
    """``aep-connection-https``."""

    allow_loopback: bool = True
    allow_development_storage: bool = True
    allowed_insecure_hosts: tuple[str, ...] = ()

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> HttpsSettings:
        base = cls()
        return cls(
            allow_loopback=_bool(config, "allowLoopback", base.allow_loopback),
            allow_development_storage=_bool(
                config, "allowDevelopmentStorage", base.allow_development_storage
            ),
            allowed_insecure_hosts=_strings(config, "allowedInsecureHosts", base.allowed_insecure_hosts),
        )

    @property
    def host_rules(self) -> InsecureHostRules:
        return InsecureHostRules(
            allow_loopback=self.allow_loopback,
            allowed_hosts=frozenset(h.lower() for h in self.allowed_insecure_hosts),
        )


@dataclass(frozen=True)
class SasSettings:
    """``aep-sas-read-list-short-lived``."""

    max_expiry_days: int = 90
    allowed_permissions: str = "rl"

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SasSettings:
        base = cls()
        return cls(
            max_expiry_days=max(1, _int(config, "maxExpiryDays", base.max_expiry_days)),
            allowed_permissions=_str(config, "allowedPermissions", base.allowed_permissions) or "",
        )


@dataclass(frozen=True)
class AllowedSandboxSettings:
    """``aep-allowed-sandboxes``."""

    allowed_sandboxes: tuple[str, ...] = ("prod", "stage*", "dev*")
    default_sandbox: str | None = None

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> AllowedSandboxSettings:
        base = cls()
        return cls(
            allowed_sandboxes=_strings(config, "allowedSandboxes", base.allowed_sandboxes),
            default_sandbox=_str(config, "defaultSandbox", base.default_sandbox),
        )


@dataclass(frozen=True)
class ProductionSettings:
    """``aep-protect-production-connections``."""

    production_sandboxes: tuple[str, ...] = ("prod",)
    default_sandbox: str | None = None

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ProductionSettings:
        base = cls()
        return cls(
            production_sandboxes=_strings(config, "productionSandboxes", base.production_sandboxes),
            default_sandbox=_str(config, "defaultSandbox", base.default_sandbox),
        )


@dataclass(frozen=True)
class NamingSettings:
    """``aep-connection-naming``: lower-case words joined by single hyphens, at most 64 characters."""

    pattern: str = r"^(?=.{3,64}$)[a-z0-9]+(-[a-z0-9]+)*$"

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> NamingSettings:
        return cls(pattern=_str(config, "pattern", cls().pattern) or cls().pattern)

    def compiled(self) -> re.Pattern[str] | None:
        """The pattern, or ``None`` when the configured text is not a valid regular expression."""
        try:
            return re.compile(self.pattern)
        except re.error:
            return None


@dataclass(frozen=True)
class DescriptionSettings:
    """``aep-connection-description``."""

    min_length: int = 1

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> DescriptionSettings:
        return cls(min_length=max(1, _int(config, "minLength", cls().min_length)))


@dataclass(frozen=True)
class TlsSettings:
    """``azure-storage-min-tls``."""

    minimum_tls_version: str = "TLS1_2"

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> TlsSettings:
        value = _str(config, "minimumTlsVersion", cls().minimum_tls_version)
        return cls(minimum_tls_version=value if value in TLS_VERSIONS else cls().minimum_tls_version)


@dataclass(frozen=True)
class RegionSettings:
    """``azure-storage-blob-source-region``: Adobe's docs list these as unreachable from the same region."""

    blocked_regions: tuple[str, ...] = ("eastus2", "westeurope", "australiaeast")

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> RegionSettings:
        return cls(blocked_regions=_strings(config, "blockedRegions", cls().blocked_regions))

    @property
    def normalized(self) -> frozenset[str]:
        return normalize_regions(self.blocked_regions)
